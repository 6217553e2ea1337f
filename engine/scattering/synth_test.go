package scattering

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"scalewise/engine/fourier"
	"scalewise/engine/wavelet"
)

// synthGRF returns an n×n Gaussian random field with power spectrum
// P(ω) ∝ 1/(1 + |ω|²/k0²) (ω in radians per pixel): white noise filtered in
// Fourier by √P, with mean 0.5 added (so the mean statistic is not 0).
func synthGRF(t testing.TB, n int, k0 float64, seed uint64) []float64 {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 0x67726621))
	x := make([]float64, n*n)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	p, err := fourier.NewPlan2D(n, n)
	if err != nil {
		t.Fatal(err)
	}
	z := make([]complex128, n*n)
	if err := p.ForwardReal(z, x); err != nil {
		t.Fatal(err)
	}
	for i := range z {
		wx, wy := fourier.AngularFrequency(i%n, n), fourier.AngularFrequency(i/n, n)
		z[i] *= complex(1/math.Sqrt(1+(wx*wx+wy*wy)/(k0*k0)), 0)
	}
	if err := p.InverseReal(x, z); err != nil {
		t.Fatal(err)
	}
	for i := range x {
		x[i] += 0.5
	}
	return x
}

// radialSpectrum returns the radially averaged power spectrum of the n×n
// field x, P = ⟨|x̂(k)|²⟩/n² over the wave vectors k (integer frequency
// units, k ≠ 0) whose modulus falls in each of nbins log-spaced bins from
// kmin to kmax (the binning of the validation code of Cheng et al.,
// "Scattering Spectra Models for Physics" (2024), is kmin = 1,
// kmax = (n/2)·√2, J − 1 bins). Every bin must hold a wave vector.
func radialSpectrum(t testing.TB, x []float64, n, nbins int, kmin, kmax float64) []float64 {
	t.Helper()
	p, err := fourier.NewPlan2D(n, n)
	if err != nil {
		t.Fatal(err)
	}
	z := make([]complex128, n*n)
	if err := p.ForwardReal(z, x); err != nil {
		t.Fatal(err)
	}
	sum := make([]float64, nbins)
	cnt := make([]float64, nbins)
	l0, l1 := math.Log(kmin*(1-1e-9)), math.Log(kmax*(1+1e-9))
	for i, c := range z {
		k := math.Hypot(float64(fourier.SignedIndex(i%n, n)), float64(fourier.SignedIndex(i/n, n)))
		if k == 0 || math.Log(k) < l0 || math.Log(k) > l1 {
			continue
		}
		b := min(int((math.Log(k)-l0)/(l1-l0)*float64(nbins)), nbins-1)
		sum[b] += (real(c)*real(c) + imag(c)*imag(c)) / float64(n*n)
		cnt[b]++
	}
	for b := range sum {
		if cnt[b] == 0 {
			t.Fatalf("power spectrum bin %d of %d over [%g, %g] is empty", b, nbins, kmin, kmax)
		}
		sum[b] /= cnt[b]
	}
	return sum
}

// meanAbsLogRatio returns mean_b |log(a_b/b_b)|.
func meanAbsLogRatio(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += math.Abs(math.Log(a[i] / b[i]))
	}
	return s / float64(len(a))
}

func synthNew(t testing.TB, op *Operator, target []float64, opt SynthOptions) *Synthesis {
	t.Helper()
	s, err := NewSynthesis(op, target, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSynthesisConverges runs 60 iterations (30 with -short) on a 32×32
// skewed, oriented field (spField) in both forms: the loss never rises
// (every accepted step satisfies the sufficient-decrease condition), the
// relative error falls at least 10× (measured: isotropic 0.53 → 3.2·10⁻³
// in 30 iterations, 1.05·10⁻³ in 60; full 0.55 → 0.012 and 6.8·10⁻³, with
// one to three evaluations more than iterations), the counters and
// statuses are consistent, and Field, Vector and GroupErrors describe the
// current iterate.
func TestSynthesisConverges(t *testing.T) {
	iters := 60
	if testing.Short() {
		iters = 30
	}
	op := spOperator(t, wavelet.BumpSteerable, 32, 32, 3, 4, ScalesInclusive)
	target := spField(32, 32, 3, 1)
	for _, f := range []Form{Isotropic, Full} {
		s := synthNew(t, op, target, SynthOptions{Seed: 1, MaxIter: iters, Tol: 1e-12, Form: f})
		if s.Iter() != 0 || s.Evals() != 1 || s.Status() != SynthRunning {
			t.Fatalf("%v: start: iter %d evals %d status %v", f, s.Iter(), s.Evals(), s.Status())
		}
		m, sd := spMeanStd(s.Field())
		tm, tsd := spMeanStd(target)
		if math.Abs(m-tm) > 1e-12 || math.Abs(sd-tsd) > 1e-12 {
			t.Errorf("%v: initial mean, std %v, %v; target's %v, %v", f, m, sd, tm, tsd)
		}
		err0, loss := s.RelErr(), s.Loss()
		calls := 0
		if err := s.Run(context.Background(), func(s *Synthesis) {
			calls++
			if s.Loss() > loss {
				t.Errorf("%v: iteration %d: loss rose from %g to %g", f, s.Iter(), loss, s.Loss())
			}
			loss = s.Loss()
		}); err != nil {
			t.Fatal(err)
		}
		t.Logf("%v: relative error %.3g → %.3g in %d iterations, %d evaluations (%v)", f, err0, s.RelErr(), s.Iter(), s.Evals(), s.Status())
		if s.Status() != SynthMaxIter || s.Iter() != iters || calls != iters || s.Evals() < iters+1 || s.Evals() > 3*iters {
			t.Errorf("%v: status %v, %d iterations, %d callbacks, %d evaluations", f, s.Status(), s.Iter(), calls, s.Evals())
		}
		if s.RelErr() > err0/10 {
			t.Errorf("%v: relative error %.3g → %.3g, want a 10× decrease", f, err0, s.RelErr())
		}
		// The reported state is the current iterate's.
		l, err := op.Loss(s.Field(), s.Target())
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(l-s.Loss()) > 1e-12*l {
			t.Errorf("%v: Loss %g, loss of Field %g", f, s.Loss(), l)
		}
		if !slices.Equal(op.vec, s.Vector()) {
			t.Errorf("%v: Vector is not Φ(Field)", f)
		}
		ge := s.GroupErrors(nil)
		gs := s.Groups()
		if len(ge) != 5 || len(gs) != 5 || gs[4].End != op.Count(f) {
			t.Fatalf("%v: %d group errors, groups %v", f, len(ge), gs)
		}
		var num, den float64
		tv := s.Target().Vector()
		for i, v := range s.Vector() {
			num += (v - tv[i]) * (v - tv[i])
			den += tv[i] * tv[i]
		}
		if math.Abs(math.Sqrt(num/den)-s.RelErr()) > 1e-12 {
			t.Errorf("%v: RelErr %g, ‖Φ − Φt‖/‖Φt‖ = %g", f, s.RelErr(), math.Sqrt(num/den))
		}
		// Stepping a stopped synthesis does nothing.
		if done, err := s.Step(); !done || err != nil || s.Iter() != iters {
			t.Errorf("%v: Step after the end: %v, %v, iteration %d", f, done, err, s.Iter())
		}
	}
}

// TestSynthesisPowerSpectrum synthesises Gaussian random fields with
// P(ω) ∝ 1/(1 + |ω|²/k0²), k0 = 0.3 rad/pixel (bump-steerable, L = 4,
// isotropic, 60 iterations; 64×64 with J = 5, or 32×32 with J = 4 with
// -short) and compares the radially averaged power spectra of synthesis
// and target in Cheng's bins (J − 1 log bins over 1 ≤ |k| ≤ (n/2)√2), by
// the mean |log ratio|. The statistics fix the power per wavelet band, not
// per wave vector, so the synthesis is compared with the spread between
// two independent realisations of the field ("cosmic variance").
// Measured (targets of seeds 1–4, synthesis seed 3, relative error ≈ 10⁻³):
//
//	64×64  synthesis 0.021 0.039 0.046 0.051   independent sample 0.175 0.150 0.267 0.123
//	32×32  synthesis 0.097 0.019 0.017 0.056   independent sample 0.124 0.168 0.196 0.190
//
// and from the white-noise start 1.3–1.9. The test runs seeds 1 and 2
// and asserts 0.08 at 64² and below half the independent sample's (0.15
// at 32², where the two are close for seed 1), and a start worse than 0.5.
func TestSynthesisPowerSpectrum(t *testing.T) {
	n, J, tol, vsRef := 64, 5, 0.08, 0.5
	if testing.Short() {
		n, J, tol, vsRef = 32, 4, 0.15, math.Inf(1)
	}
	op := spOperator(t, wavelet.BumpSteerable, n, n, J, 4, ScalesInclusive)
	kmax := float64(n) / 2 * math.Sqrt2
	for seed := uint64(1); seed <= 2; seed++ {
		target := synthGRF(t, n, 0.3, seed)
		pt := radialSpectrum(t, target, n, J-1, 1, kmax)
		ref := meanAbsLogRatio(radialSpectrum(t, synthGRF(t, n, 0.3, seed+100), n, J-1, 1, kmax), pt)
		s := synthNew(t, op, target, SynthOptions{Seed: 3, MaxIter: 60, Form: Isotropic})
		e0 := meanAbsLogRatio(radialSpectrum(t, s.Field(), n, J-1, 1, kmax), pt)
		if err := s.Run(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		e := meanAbsLogRatio(radialSpectrum(t, s.Field(), n, J-1, 1, kmax), pt)
		t.Logf("%d×%d, target seed %d: %d iterations, %d evaluations, relative error %.3g (%v); power spectrum mean |log ratio| %.3f (white-noise start %.3f, independent sample %.3f)",
			n, n, seed, s.Iter(), s.Evals(), s.RelErr(), s.Status(), e, e0, ref)
		if e > tol || e > vsRef*ref || e0 < 0.5 {
			t.Errorf("target seed %d: power spectrum mean |log ratio| %.3f (start %.3f, independent sample %.3f), want ≤ %g and ≤ %g× the independent sample's (start ≥ 0.5)",
				seed, e, e0, ref, tol, vsRef)
		}
	}
}

// TestSynthesisDeterministic checks that a seed fixes the run (the same
// field, loss and counts) and that another seed gives another field.
func TestSynthesisDeterministic(t *testing.T) {
	op := spOperator(t, wavelet.Morlet, 16, 16, 2, 4, ScalesInclusive)
	target := spField(16, 16, 5, 1)
	run := func(seed uint64) *Synthesis {
		s := synthNew(t, op, target, SynthOptions{Seed: seed, MaxIter: 8, Tol: 1e-12, Form: Full})
		if err := s.Run(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b, c := run(11), run(11), run(12)
	if !slices.Equal(a.Field(), b.Field()) || a.Loss() != b.Loss() || a.Evals() != b.Evals() || a.Iter() != b.Iter() {
		t.Errorf("two runs with seed 11 differ: loss %v, %v; evaluations %d, %d", a.Loss(), b.Loss(), a.Evals(), b.Evals())
	}
	if slices.Equal(a.Field(), c.Field()) {
		t.Error("seeds 11 and 12 give the same field")
	}
	// Init replaces the white noise.
	init := slices.Clone(c.Field())
	d := synthNew(t, op, target, SynthOptions{Seed: 11, MaxIter: 1, Init: init})
	if !slices.Equal(d.Field(), init) {
		t.Error("Init is not the starting field")
	}
}

// TestSynthesisAllocs checks that Step does not allocate: gonum's
// LinesearchMethod, LBFGS and MoreThuente reuse the buffers sized by the
// Init in NewSynthesis (measured 0 allocations per Step on linux/amd64 and
// js/wasm).
func TestSynthesisAllocs(t *testing.T) {
	op := spOperator(t, wavelet.BumpSteerable, 16, 16, 2, 4, ScalesInclusive)
	s := synthNew(t, op, spField(16, 16, 2, 1), SynthOptions{Seed: 1, MaxIter: 1000, Tol: 1e-300, Form: Full})
	if a := testing.AllocsPerRun(5, func() {
		if _, err := s.Step(); err != nil {
			t.Fatal(err)
		}
	}); a != 0 {
		t.Errorf("Step allocates %v times", a)
	}
}

// TestSynthesisStops checks the stopping rules: a target reached at the
// start (Init = the target), Tol reached, MaxIter, a cancelled context.
func TestSynthesisStops(t *testing.T) {
	op := spOperator(t, wavelet.Morlet, 16, 16, 2, 4, ScalesInclusive)
	target := spField(16, 16, 4, 1)
	s := synthNew(t, op, target, SynthOptions{Init: target})
	if s.Status() != SynthConverged || s.RelErr() != 0 {
		t.Errorf("start at the target: status %v, relative error %g", s.Status(), s.RelErr())
	}
	if done, err := s.Step(); !done || err != nil || s.Iter() != 0 {
		t.Errorf("Step of a converged synthesis: %v, %v, iteration %d", done, err, s.Iter())
	}
	s = synthNew(t, op, target, SynthOptions{Seed: 2, Tol: 0.05})
	if err := s.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if s.Status() != SynthConverged || s.RelErr() > 0.05 || s.Iter() >= DefaultSynthIters {
		t.Errorf("Tol 0.05: status %v, relative error %g after %d iterations", s.Status(), s.RelErr(), s.Iter())
	}
	s = synthNew(t, op, target, SynthOptions{Seed: 2, MaxIter: 3, Tol: 1e-12})
	if err := s.Run(context.Background(), nil); err != nil || s.Status() != SynthMaxIter || s.Iter() != 3 {
		t.Errorf("MaxIter 3: %v, status %v, %d iterations", err, s.Status(), s.Iter())
	}
	if s.MaxIter() != 3 || s.Tol() != 1e-12 || s.StopReason() != nil {
		t.Errorf("MaxIter %d, Tol %g, StopReason %v", s.MaxIter(), s.Tol(), s.StopReason())
	}
	ctx, cancel := context.WithCancel(context.Background())
	s = synthNew(t, op, target, SynthOptions{Seed: 2})
	err := s.Run(ctx, func(s *Synthesis) {
		if s.Iter() == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || s.Iter() != 2 || s.Status() != SynthRunning {
		t.Errorf("cancelled run: %v after %d iterations, status %v", err, s.Iter(), s.Status())
	}
	for st, name := range map[SynthStatus]string{SynthRunning: "running", SynthConverged: "converged",
		SynthMaxIter: "max-iter", SynthStalled: "stalled", SynthFailed: "failed", 9: "SynthStatus(9)"} {
		if st.String() != name {
			t.Errorf("%d: String %q, want %q", int(st), st.String(), name)
		}
	}
}

// TestSynthesisStalled runs an isotropic synthesis from a small
// perturbation of the target with a tolerance it cannot reach: it
// converges to rounding (relative error ~10⁻¹⁵, after about 1000
// iterations at 16×16: measured 1011 iterations, 1110 evaluations) and
// then stops as stalled, at the last accepted iterate, with the line
// search's error (errStalled wrapping gonum's; measured ErrNoProgress) and
// no Step error.
func TestSynthesisStalled(t *testing.T) {
	if testing.Short() {
		t.Skip("about 1000 iterations")
	}
	op := spOperator(t, wavelet.Morlet, 16, 16, 2, 4, ScalesInclusive)
	target := spField(16, 16, 4, 1)
	init := spField(16, 16, 9, 1)
	for i := range init {
		init[i] = target[i] + 1e-4*init[i]
	}
	s := synthNew(t, op, target, SynthOptions{Tol: 1e-300, MaxIter: 5000, Init: init})
	if err := s.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("%v after %d iterations, %d evaluations: relative error %.3g (%v)", s.Status(), s.Iter(), s.Evals(), s.RelErr(), s.StopReason())
	if s.Status() != SynthStalled || !errors.Is(s.StopReason(), errStalled) || s.RelErr() > 1e-12 {
		t.Errorf("status %v (%v), relative error %g", s.Status(), s.StopReason(), s.RelErr())
	}
	l, err := op.Loss(s.Field(), s.Target())
	if err != nil || l != s.Loss() {
		t.Errorf("Loss %g, loss of Field %g (%v)", s.Loss(), l, err)
	}
	if done, err := s.Step(); !done || err != nil {
		t.Errorf("Step after stalling: %v, %v", done, err)
	}
}

func TestSynthesisErrors(t *testing.T) {
	op := spOperator(t, wavelet.Morlet, 16, 16, 2, 4, ScalesInclusive)
	target := spField(16, 16, 4, 1)
	nan := slices.Clone(target)
	nan[7] = math.NaN()
	constant := make([]float64, 16*16)
	for i := range constant {
		constant[i] = 2.5
	}
	for _, c := range []struct {
		name   string
		op     *Operator
		target []float64
		opt    SynthOptions
		want   string
	}{
		{"nil operator", nil, target, SynthOptions{}, "nil operator"},
		{"target size", op, spField(32, 32, 4, 1), SynthOptions{}, "target field has 1024 values, want 16×16"},
		{"target NaN", op, nan, SynthOptions{}, "target field value 7 is NaN"},
		{"constant target", op, constant, SynthOptions{}, "constant"},
		{"MaxIter", op, target, SynthOptions{MaxIter: -1}, "MaxIter -1"},
		{"Memory", op, target, SynthOptions{Memory: -3}, "Memory -3"},
		{"Tol negative", op, target, SynthOptions{Tol: -1e-3}, "Tol"},
		{"Tol NaN", op, target, SynthOptions{Tol: math.NaN()}, "Tol"},
		{"Tol Inf", op, target, SynthOptions{Tol: math.Inf(1)}, "Tol"},
		{"form", op, target, SynthOptions{Form: 7}, "unknown form 7"},
		{"weights", op, target, SynthOptions{Weights: &Weights{S1: -1}}, "weight"},
		{"zero weights", op, target, SynthOptions{Weights: &Weights{}}, "all weights are zero"},
		{"init size", op, target, SynthOptions{Init: make([]float64, 10)}, "initial field has 10 values"},
		{"init NaN", op, target, SynthOptions{Init: nan}, "initial field value 7 is NaN"},
	} {
		s, err := NewSynthesis(c.op, c.target, c.opt)
		if err == nil || s != nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not mention %q", c.name, err, c.want)
		}
	}
}
