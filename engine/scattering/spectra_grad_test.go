package scattering

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"scalewise/engine/wavelet"
)

// spTarget returns the Target of the field y, self-normalised.
func spTarget(t testing.TB, op *Operator, y []float64, f Form, w *Weights) *Target {
	t.Helper()
	s, err := op.Compute(y, nil)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := NewTarget(s, f, w)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// spDirectional returns the central finite difference
// (ℓ(x + h d) − ℓ(x − h d))/(2h).
func spDirectional(t *testing.T, op *Operator, tg *Target, x, d []float64, h float64) float64 {
	t.Helper()
	xp, xm := slices.Clone(x), slices.Clone(x)
	for i := range x {
		xp[i] += h * d[i]
		xm[i] -= h * d[i]
	}
	lp, err := op.Loss(xp, tg)
	if err != nil {
		t.Fatal(err)
	}
	lm, err := op.Loss(xm, tg)
	if err != nil {
		t.Fatal(err)
	}
	return (lp - lm) / (2 * h)
}

// TestLossGradFiniteDifference compares LossGrad with central finite
// differences on 16×16 fields (J = 3, L = 4) and a non-square 24×16 field
// (J = 2, L = 3), along random unit directions and along single pixels, for
// both kinds, forms and scale rules, and with unequal group weights. The
// step h = 1e−4 (field values are O(1)) makes the O(h²) truncation error
// and the O(ε·ℓ/h) rounding error both ≲ 1e−8 relative.
func TestLossGradFiniteDifference(t *testing.T) {
	type cfg struct {
		w, h, J, L int
		rule       ScaleRule
		wts        *Weights
	}
	cases := []cfg{
		{16, 16, 3, 4, ScalesInclusive, nil},
		{16, 16, 3, 4, ScalesStrict, nil},
		{24, 16, 2, 3, ScalesInclusive, &Weights{Mean: 0.5, S1: 2, S2: 0.25, S3: 3, S4: 1.5}},
	}
	const h = 1e-4
	var worstDir, worstPix float64
	for _, c := range cases {
		x, y := spField(c.w, c.h, 21, 1), spField(c.w, c.h, 22, 2)
		for _, kind := range spKinds {
			op := spOperator(t, kind, c.w, c.h, c.J, c.L, c.rule)
			for _, f := range []Form{Full, Isotropic} {
				tg := spTarget(t, op, y, f, c.wts)
				grad := make([]float64, len(x))
				loss, err := op.LossGrad(x, tg, grad)
				if err != nil {
					t.Fatal(err)
				}
				if l2, _ := op.Loss(x, tg); l2 != loss {
					t.Errorf("Loss %v ≠ LossGrad %v", l2, loss)
				}
				r := rand.New(rand.NewPCG(uint64(c.w*100+c.J), uint64(f)))
				var gmax float64
				for _, g := range grad {
					gmax = max(gmax, math.Abs(g))
				}
				for trial := range 3 {
					d := make([]float64, len(x))
					var nrm float64
					for i := range d {
						d[i] = r.NormFloat64()
						nrm += d[i] * d[i]
					}
					var an float64
					for i := range d {
						d[i] /= math.Sqrt(nrm)
						an += grad[i] * d[i]
					}
					fd := spDirectional(t, op, tg, x, d, h)
					e := math.Abs(fd-an) / max(math.Abs(an), math.Abs(fd))
					worstDir = max(worstDir, e)
					if e > 1e-5 {
						t.Errorf("%v %d×%d J=%d L=%d %v %v direction %d: analytic %.12g, finite difference %.12g (rel. error %.2g)",
							kind, c.w, c.h, c.J, c.L, c.rule, f, trial, an, fd, e)
					}
				}
				for _, p := range []int{0, 37, len(x) - 1, r.IntN(len(x))} {
					d := make([]float64, len(x))
					d[p] = 1
					fd := spDirectional(t, op, tg, x, d, h)
					e := math.Abs(fd-grad[p]) / max(math.Abs(grad[p]), math.Abs(fd), 1e-3*gmax)
					worstPix = max(worstPix, e)
					if e > 1e-5 {
						t.Errorf("%v %d×%d %v %v pixel %d: analytic %.12g, finite difference %.12g (rel. error %.2g)",
							kind, c.w, c.h, c.rule, f, p, grad[p], fd, e)
					}
				}
			}
		}
	}
	t.Logf("worst relative error: random directions %.2g, pixels %.2g", worstDir, worstPix)
}

// TestLossGradAtTarget checks that the loss and its gradient vanish at the
// target field, and that the gradient is mean-free except for the mean
// term (ψ̂(0) = 0).
func TestLossGradAtTarget(t *testing.T) {
	const w, h = 16, 16
	y := spField(w, h, 4, 1)
	for _, kind := range spKinds {
		op := spOperator(t, kind, w, h, 3, 4, ScalesInclusive)
		for _, f := range []Form{Full, Isotropic} {
			tg := spTarget(t, op, y, f, nil)
			grad := make([]float64, len(y))
			loss, err := op.LossGrad(y, tg, grad)
			if err != nil {
				t.Fatal(err)
			}
			if loss != 0 {
				t.Errorf("%v %v: loss at the target %g", kind, f, loss)
			}
			for i, g := range grad {
				if math.Abs(g) > 1e-12 {
					t.Fatalf("%v %v: gradient at the target [%d] = %g", kind, f, i, g)
				}
			}
			// Away from the target, with the mean weight 0, Σ grad = 0.
			x := spField(w, h, 5, 1)
			wts := UniformWeights()
			wts.Mean = 0
			tg0 := spTarget(t, op, y, f, &wts)
			if _, err := op.LossGrad(x, tg0, grad); err != nil {
				t.Fatal(err)
			}
			var sum, amax float64
			for _, g := range grad {
				sum += g
				amax = max(amax, math.Abs(g))
			}
			if math.Abs(sum) > 1e-10*amax*float64(len(grad)) {
				t.Errorf("%v %v: Σ gradient %g with no mean term (max |g| %g)", kind, f, sum, amax)
			}
		}
	}
}

// TestLossWeights checks that the loss is Σ_g w_g Σ_{i∈g} (Φ_i − t_i)².
func TestLossWeights(t *testing.T) {
	const w, h = 16, 16
	x, y := spField(w, h, 8, 1), spField(w, h, 9, 2)
	op := spOperator(t, wavelet.BumpSteerable, w, h, 3, 4, ScalesInclusive)
	sx, _ := op.Compute(y, nil)
	sxx, _ := op.Compute(x, sx)
	for _, f := range []Form{Full, Isotropic} {
		vx, vy := sxx.Vector(f), sx.Vector(f)
		wts := Weights{Mean: 1, S1: 2, S2: 3, S3: 4, S4: 5}
		ws := []float64{1, 2, 3, 4, 5}
		var want float64
		for gi, g := range sx.Groups(f) {
			for i := g.Start; i < g.End; i++ {
				want += ws[gi] * (vx[i] - vy[i]) * (vx[i] - vy[i])
			}
		}
		tg := spTarget(t, op, y, f, &wts)
		got, err := op.Loss(x, tg)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 1e-12*want {
			t.Errorf("%v: loss %.15g, want %.15g", f, got, want)
		}
		if tg.Form() != f || tg.Weights() != wts || !slices.Equal(tg.Vector(), vy) || tg.Spectra().Mean != sx.Mean {
			t.Errorf("%v: Target accessors", f)
		}
	}
}

// TestLossGradErrors checks the errors of NewTarget, Loss and LossGrad.
func TestLossGradErrors(t *testing.T) {
	op := spOperator(t, wavelet.Morlet, 16, 16, 2, 4, ScalesInclusive)
	other := spOperator(t, wavelet.Morlet, 16, 16, 2, 4, ScalesStrict)
	x := spField(16, 16, 1, 1)
	s, _ := op.Compute(x, nil)
	so, _ := other.Compute(x, nil)
	neg := UniformWeights()
	neg.S3 = -1
	nan := UniformWeights()
	nan.S1 = math.NaN()
	badNorm := s.Clone()
	badNorm.Norm[2] = -1
	for _, tc := range []struct {
		name string
		s    *Spectra
		f    Form
		w    *Weights
	}{
		{"nil spectra", nil, Full, nil},
		{"zero spectra", &Spectra{}, Full, nil},
		{"bad form", s, 0, nil},
		{"negative weight", s, Full, &neg},
		{"NaN weight", s, Isotropic, &nan},
		{"zero weights", s, Isotropic, &Weights{}},
		{"negative normaliser", badNorm, Full, nil},
	} {
		if _, err := NewTarget(tc.s, tc.f, tc.w); err == nil {
			t.Errorf("NewTarget %s: no error", tc.name)
		}
	}
	tg, _ := NewTarget(s, Full, nil)
	tgo, _ := NewTarget(so, Full, nil)
	bad := slices.Clone(x)
	bad[5] = math.NaN()
	grad := make([]float64, len(x))
	for _, tc := range []struct {
		name string
		x    []float64
		tg   *Target
		grad []float64
		want string
	}{
		{"nil target", x, nil, grad, "target"},
		{"mismatched target", x, tgo, grad, "target"},
		{"NaN", bad, tg, grad, "NaN"},
		{"short field", x[:100], tg, grad, "values"},
		{"short gradient", x, tg, grad[:10], "gradient"},
	} {
		if _, err := op.LossGrad(tc.x, tc.tg, tc.grad); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LossGrad %s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
		if tc.name != "short gradient" {
			if _, err := op.Loss(tc.x, tc.tg); err == nil {
				t.Errorf("Loss %s: no error", tc.name)
			}
		}
	}
}
