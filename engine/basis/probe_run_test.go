package basis

import (
	"context"
	"math/rand/v2"
	"testing"
)

// TestProbeRun checks that ProbeRun stepped by hand gives exactly
// TraceAndAntisymmetry's estimates, refuses them before the end, and that
// its arguments are checked.
func TestProbeRun(t *testing.T) {
	d := randomDense(rand.New(rand.NewPCG(19, 20)), 50, 3)
	tr, as, err := TraceAndAntisymmetry(context.Background(), d, 16, 7, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewProbeRun(d, 16, 7)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 16 {
		if _, _, err := r.Estimates(); err == nil {
			t.Fatalf("estimates after %d probes: no error", i)
		}
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
		if done, n := r.Progress(); done != i+1 || n != 16 {
			t.Fatalf("progress %d of %d after %d steps", done, n, i+1)
		}
	}
	if !r.Done() || r.Step() != nil {
		t.Error("not done after 16 probes, or a Step after the end fails")
	}
	gtr, gas, err := r.Estimates()
	if err != nil {
		t.Fatal(err)
	}
	if gtr != tr || gas != as {
		t.Errorf("trace %+v antisymmetry %+v, want %+v %+v", gtr, gas, tr, as)
	}
	for _, probes := range []int{1, MaxProbes + 1} {
		if _, err := NewProbeRun(d, probes, 1); err == nil {
			t.Errorf("%d probes: no error", probes)
		}
	}
	if _, err := NewProbeRun(nil, 4, 1); err == nil {
		t.Error("nil operator: no error")
	}
}
