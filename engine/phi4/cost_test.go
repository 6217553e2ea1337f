package phi4

import (
	"math"
	"testing"
)

// TestMeasureCostSteps checks MeasureCost on a step-limited run: the counts,
// the cost per step of each sampler, and τ_int against TauInt of the same
// chain rerun by hand.
func TestMeasureCostSteps(t *testing.T) {
	m := Model{L: 8, Beta: 0.68}
	for _, tc := range []struct {
		kind Kind
		grad float64 // force evaluations per step
	}{{KindMALA, 2}, {KindCluster, 2}, {KindFAHMC, -1}} {
		opts := DefaultOptions(tc.kind)
		opts.Warmup = 200
		s, err := NewSampler(tc.kind, m, opts, 4)
		if err != nil {
			t.Fatal(err)
		}
		c, err := MeasureCost(s, 100, 1e6, 4000, 0, nil)
		if err != nil {
			t.Fatalf("%v: %v", tc.kind, err)
		}
		// The same chain by hand.
		r, _ := NewSampler(tc.kind, m, opts, 4)
		var series []float64
		for i := 0; i < 100+4000 && r.Step(); i++ {
			if i >= 100 {
				v := Magnetisation(r.Field())
				series = append(series, v*v)
			}
		}
		ac, err := TauInt(series, DefaultWindowC)
		if err != nil {
			t.Fatal(err)
		}
		want := tc.grad
		if h, ok := s.(*HMC); ok {
			want = float64(h.Leapfrog())
		}
		if c.Steps != 4000 || c.GradPerStep != want || c.Tau.Tau != ac.Tau || !(c.SecondsPerStep > 0) {
			t.Errorf("%v: steps %d, grad/step %v (want %v), τ %v (by hand %v), s/step %v", tc.kind, c.Steps, c.GradPerStep, want, c.Tau.Tau, ac.Tau, c.SecondsPerStep)
		}
		if p := c.Moments.Phi2(); math.Abs(p-0.8) > 0.1 {
			t.Errorf("%v: ⟨φ²⟩ = %v", tc.kind, p)
		}
		if g := c.GradPerSample(); g != 2*c.Tau.Tau*c.GradPerStep {
			t.Errorf("%v: grad per sample %v", tc.kind, g)
		}
	}
}

func TestMeasureCostBadInput(t *testing.T) {
	s, err := NewMALA(Model{L: 8, Beta: 0.68}, Options{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		burn     int
		seconds  float64
		maxSteps int
	}{
		{"negative burn-in", -1, 1, 100},
		{"zero seconds", 0, 0, 100},
		{"NaN seconds", 0, math.NaN(), 100},
		{"infinite seconds", 0, math.Inf(1), 100},
		{"too few steps", 0, 1, 3},
	} {
		if _, err := MeasureCost(s, tc.burn, tc.seconds, tc.maxSteps, 0, nil); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
