package basis

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestTraceSynthetic checks Hutchinson's estimate on dense matrices: exact
// (standard error 0) for a diagonal matrix, since zᵢ² = 1, and within 3
// standard errors of tr A otherwise.
func TestTraceSynthetic(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	diag := make([]float64, 25)
	for i := range 5 {
		diag[i*5+i] = float64(i) - 1.5
	}
	dd, _ := NewDense(5, diag)
	tests := []struct {
		name   string
		op     *Dense
		probes int
		exact  bool
	}{
		{"diagonal", dd, 3, true},
		{"random", randomDense(rng, 50, 3), 200, false},
		{"denoiser-like", func() *Dense { d, _ := withSpectrum(rng, denoiserLike(80, 15)); return d }(), 100, false},
	}
	for _, tc := range tests {
		e, err := Trace(context.Background(), tc.op, tc.probes, 1)
		if err != nil {
			t.Fatal(err)
		}
		if tc.exact {
			if math.Abs(e.Value-tc.op.Trace()) > 1e-12 || e.StdErr > 1e-12 {
				t.Errorf("%s: %g ± %g, want exactly %g", tc.name, e.Value, e.StdErr, tc.op.Trace())
			}
			continue
		}
		within3SE(t, tc.name, e, tc.op.Trace())
	}
}

// TestAntisymmetrySynthetic checks the antisymmetry ratio: 0 for a
// symmetric matrix, 1 for an antisymmetric one, and within 3 standard
// errors of the exact ratio for mixtures.
func TestAntisymmetrySynthetic(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	const n = 60
	g := randomDense(rng, n, 0)
	mix := func(c float64) *Dense { // S + c·A with S, A the parts of g
		a := make([]float64, n*n)
		for i := range n {
			for j := range n {
				s, h := 0.5*(g.At(i, j)+g.At(j, i)), 0.5*(g.At(i, j)-g.At(j, i))
				a[i*n+j] = s + c*h
			}
		}
		d, _ := NewDense(n, a)
		return d
	}
	tests := []struct {
		name string
		op   *Dense
		want float64 // exact when ≥ 0
	}{
		{"symmetric", mix(0), 0},
		{"antisymmetric", func() *Dense { // A alone: a symmetric part of 0
			d := mix(1)
			s := mix(0)
			for i := range d.a {
				d.a[i] -= s.a[i]
			}
			return d
		}(), 1},
		{"0.2 mixture", mix(0.2), -1},
		{"equal parts", mix(1), -1},
	}
	for _, tc := range tests {
		e, err := Antisymmetry(context.Background(), tc.op, 100, 2)
		if err != nil {
			t.Fatal(err)
		}
		if tc.want >= 0 {
			if math.Abs(e.Value-tc.want) > 1e-12 || e.StdErr > 1e-9 {
				t.Errorf("%s: %g ± %g, want %g", tc.name, e.Value, e.StdErr, tc.want)
			}
			continue
		}
		within3SE(t, tc.name, e, tc.op.AntisymmetryRatio())
	}
	tr, as, err := TraceAndAntisymmetry(context.Background(), mix(0.2), 100, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	t1, _ := Trace(context.Background(), mix(0.2), 100, 2)
	a1, _ := Antisymmetry(context.Background(), mix(0.2), 100, 2)
	if tr != t1 || as != a1 {
		t.Errorf("TraceAndAntisymmetry %v %v, separately %v %v", tr, as, t1, a1)
	}
}

func TestProbeErrors(t *testing.T) {
	d := randomDense(rand.New(rand.NewPCG(1, 1)), 4, 0)
	zero, _ := NewDense(2, make([]float64, 4))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		op   Operator
		p    int
		ctx  context.Context
	}{
		{"one probe", d, 1, context.Background()},
		{"too many probes", d, MaxProbes + 1, context.Background()},
		{"nil", nil, 4, context.Background()},
		{"cancelled", d, 4, ctx},
	}
	for _, tc := range tests {
		if _, err := Trace(tc.ctx, tc.op, tc.p, 1); err == nil {
			t.Errorf("Trace %s: no error", tc.name)
		}
		if _, err := Antisymmetry(tc.ctx, tc.op, tc.p, 1); err == nil {
			t.Errorf("Antisymmetry %s: no error", tc.name)
		}
	}
	if _, err := Antisymmetry(context.Background(), zero, 4, 1); err == nil {
		t.Error("Antisymmetry of 0: no error")
	}
}

// TestStdErrCalibrated checks that the standard errors are the spread of
// the estimates: over many seeds, the root mean square of
// (estimate − exact)/SE is near 1.
func TestStdErrCalibrated(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	d, _ := withSpectrum(rng, denoiserLike(60, 12))
	for i := range d.a { // add an antisymmetric part
		d.a[i] += 0.05 * rng.NormFloat64()
	}
	const seeds, probes = 300, 30
	var zt, za float64
	for s := range uint64(seeds) {
		tr, as, err := TraceAndAntisymmetry(context.Background(), d, probes, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		zt += math.Pow((tr.Value-d.Trace())/tr.StdErr, 2) / seeds
		za += math.Pow((as.Value-d.AntisymmetryRatio())/as.StdErr, 2) / seeds
	}
	zt, za = math.Sqrt(zt), math.Sqrt(za)
	t.Logf("rms z-score: trace %.3f, antisymmetry %.3f", zt, za)
	if zt < 0.85 || zt > 1.2 || za < 0.85 || za > 1.2 {
		t.Errorf("rms z-scores %.3f (trace), %.3f (antisymmetry), want about 1", zt, za)
	}
}
