package turbulence

import (
	"math"
	"testing"

	"scalewise/engine/field"
)

// TestStateRoundTrip: a simulation saved after some steps and restored into
// a fresh one continues bit for bit like the original, whose adaptive time
// step and integrating factors were set along the way.
func TestStateRoundTrip(t *testing.T) {
	p := DefaultParams(32)
	p.Seed = 7
	a, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	for range 80 {
		if err := a.Step(); err != nil {
			t.Fatal(err)
		}
	}
	b, err := a.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if c.Time() != a.Time() || c.Steps() != a.Steps() || c.Budget() != a.Budget() {
		t.Fatalf("restored t = %v, steps %d, budget %+v; want %v, %d, %+v", c.Time(), c.Steps(), c.Budget(), a.Time(), a.Steps(), a.Budget())
	}
	for range 40 {
		if err := a.Step(); err != nil {
			t.Fatal(err)
		}
		if err := c.Step(); err != nil {
			t.Fatal(err)
		}
	}
	fa, fc := a.Vorticity(), c.Vorticity()
	for i := range fa.Data {
		if fa.Data[i] != fc.Data[i] {
			t.Fatalf("restored run differs at %d after 40 steps: %v vs %v", i, fc.Data[i], fa.Data[i])
		}
	}

	// Another seed, a damaged or truncated state: refused, state unchanged.
	q := p
	q.Seed = 8
	d, _ := New(q)
	if err := d.UnmarshalBinary(b); err == nil {
		t.Error("a state of seed 7 restored into a simulation of seed 8")
	}
	if err := d.UnmarshalBinary(b[:len(b)-3]); err == nil {
		t.Error("truncated state accepted")
	}
	if err := d.UnmarshalBinary(append([]byte("nonsense"), b...)); err == nil {
		t.Error("state with a bad header accepted")
	}
	if d.Steps() != 0 || d.Energy() != 0 {
		t.Errorf("refused states changed the simulation: steps %d, E = %v", d.Steps(), d.Energy())
	}
}

// TestStreamfunction: ψ of ω = k²(cos(3x) + sin(2x + y)) on |k|² = 9 and 5
// shells is cos(3x) + sin(2x + y).
func TestStreamfunction(t *testing.T) {
	n := 16
	w, want := field.New(n, n), field.New(n, n)
	for r := range n {
		for c := range n {
			x, y := 2*math.Pi*float64(c)/float64(n), 2*math.Pi*float64(r)/float64(n)
			w.Data[r*n+c] = 9*math.Cos(3*x) + 5*math.Sin(2*x+y) + 0.5 // the mean is ignored
			want.Data[r*n+c] = math.Cos(3*x) + math.Sin(2*x+y)
		}
	}
	psi, err := Streamfunction(w)
	if err != nil {
		t.Fatal(err)
	}
	for i := range psi.Data {
		if math.Abs(psi.Data[i]-want.Data[i]) > 1e-12 {
			t.Fatalf("ψ[%d] = %v, want %v", i, psi.Data[i], want.Data[i])
		}
	}
	if _, err := Streamfunction(field.New(4, 2)); err == nil {
		t.Error("stream function of a 4×2 field: no error")
	}
}

// TestMeasureAutocorrelation checks the bookkeeping on a short run at
// N = 32: C(0) = 1, the pair counts, the correlations falling with the lag,
// and the argument checks. (The decorrelation times at N = 64 are measured
// by scalewise turbulence and recorded in its sidecar.)
func TestMeasureAutocorrelation(t *testing.T) {
	s, err := New(DefaultParams(32))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Advance(5); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][3]float64{{1, 0, 1}, {1, 0.6, 1}, {math.Inf(1), 0.1, 1}, {math.NaN(), 0.1, 1}, {1, -1, 1}, {1, 0.1, 0.05}, {1, 0.1, math.NaN()}} {
		if _, err := s.MeasureAutocorrelation(c[0], c[1], c[2], nil); err == nil {
			t.Errorf("duration %v, step %v, largest lag %v: no error", c[0], c[1], c[2])
		}
	}
	if a, err := s.MeasureAutocorrelation(0.6, 0.1, 0.2, nil); err != nil || len(a.Lags) != 3 {
		t.Errorf("lags up to 0.2: %v lags, %v", len(a.Lags), err)
	}
	a, err := s.MeasureAutocorrelation(2, 0.1, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Lags) != 11 || a.Pairs[0] != 21 || a.Pairs[10] != 11 || a.Lags[10] != 1 {
		t.Fatalf("lags %v, pairs %v; want 11 lags to 1 and 21…11 pairs", a.Lags, a.Pairs)
	}
	if math.Abs(a.Vorticity[0]-1) > 1e-12 || math.Abs(a.Streamfunction[0]-1) > 1e-12 {
		t.Errorf("C(0) = %v, %v; want 1", a.Vorticity[0], a.Streamfunction[0])
	}
	if !(a.Vorticity[1] < 1 && a.Vorticity[10] < a.Vorticity[1] && a.Streamfunction[10] < a.Streamfunction[1]) {
		t.Errorf("correlations do not fall with the lag: C_ω %v, C_ψ %v", a.Vorticity, a.Streamfunction)
	}
	if !(a.Streamfunction[5] > a.Vorticity[5]) {
		t.Errorf("C_ψ(0.5) = %.3f not above C_ω(0.5) = %.3f: the large scales should decorrelate more slowly", a.Streamfunction[5], a.Vorticity[5])
	}
	for j := 1; j < len(a.Lags); j++ {
		if !(a.VorticityErr[j] > 0 && a.StreamfunctionErr[j] > 0) {
			t.Errorf("lag %d: standard errors %v, %v", j, a.VorticityErr[j], a.StreamfunctionErr[j])
		}
	}
	if a.VorticityErr[0] > 1e-12 {
		t.Errorf("standard error of C(0) = 1: %v", a.VorticityErr[0])
	}
	tw, tp := a.IntegralTimes()
	if !(tw > 0 && tp > tw) {
		t.Errorf("integral times τ_ω = %v, τ_ψ = %v", tw, tp)
	}
	cw, cp := a.At(0.25)
	if math.Abs(cw-(a.Vorticity[2]+a.Vorticity[3])/2) > 1e-12 || math.Abs(cp-(a.Streamfunction[2]+a.Streamfunction[3])/2) > 1e-12 {
		t.Errorf("At(0.25) = %v, %v: not the mean of lags 2 and 3", cw, cp)
	}
	if cw, _ := a.At(1.01); !math.IsNaN(cw) {
		t.Errorf("At beyond the last lag = %v, want NaN", cw)
	}
	if j, ok := a.Decorrelated(2); !ok || j != 1 {
		t.Errorf("Decorrelated(2) = %d, %v; want 1, true", j, ok)
	}
	if _, ok := a.Decorrelated(0.01); ok {
		t.Error("Decorrelated(0.01) found a lag within one turnover time")
	}
}
