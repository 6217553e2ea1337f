package polyspectra

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"strings"
	"testing"

	"scalewise/engine/cosmic"
	"scalewise/engine/fourier"
)

func whiteNoise(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, n)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	return x
}

func rms(v, s []float64) float64 {
	var a float64
	for i := range v {
		a += (v[i] / s[i]) * (v[i] / s[i])
	}
	return math.Sqrt(a / float64(len(v)))
}

func TestNewEstimatorErrors(t *testing.T) {
	for _, c := range []struct{ w, h, nb int }{{2, 8, 3}, {8, 8, 0}, {8, 8, MaxBins + 1}, {8, 8, 30}} {
		if _, err := NewEstimator(c.w, c.h, c.nb); err == nil {
			t.Errorf("NewEstimator(%d, %d, %d): want an error", c.w, c.h, c.nb)
		}
	}
	e, err := NewEstimator(16, 16, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Compute(make([]float64, 10)); err == nil {
		t.Error("Compute of a short field: want an error")
	}
	if _, err := e.Compute(make([]float64, 256)); err == nil {
		t.Error("Compute of a constant field: want an error")
	}
	x := whiteNoise(256, 1)
	x[3] = math.NaN()
	if _, err := e.Compute(x); err == nil {
		t.Error("Compute of a NaN field: want an error")
	}
}

// TestAgainstDirectSums checks the shell method against the definitions:
// the Dirac sums count the closed triangles and quadrilaterals, and B and
// the full T are the means of x̂x̂x̂ and x̂x̂x̂x̂ over them over √ΠP̂.
func TestAgainstDirectSums(t *testing.T) {
	const w, h, nb = 8, 6, 3
	e, err := NewEstimator(w, h, nb)
	if err != nil {
		t.Fatal(err)
	}
	x := whiteNoise(w*h, 7)
	for i := range x {
		x[i] = x[i] + 0.3*x[i]*x[i] // some bispectrum
	}
	p, err := e.Compute(x)
	if err != nil {
		t.Fatal(err)
	}
	plan, _ := fourier.NewPlan2D(h, w)
	xh := make([]complex128, w*h)
	_ = plan.ForwardReal(xh, x)
	type freq struct{ r, c, ring int }
	var fs []freq
	pw := make([]float64, nb)
	for k, ring := range e.ring {
		if ring >= 0 {
			fs = append(fs, freq{k / w, k % w, ring})
			pw[ring] += cmplx.Abs(xh[k]) * cmplx.Abs(xh[k]) / float64(e.modes[ring])
		}
	}
	idx := func(r, c int) int { return ((r%h+h)%h)*w + (c%w+w)%w }
	for ti, c := range e.tri {
		var cnt int
		var sum complex128
		for _, f1 := range fs {
			if f1.ring != c[0] {
				continue
			}
			for _, f2 := range fs {
				if f2.ring != c[1] {
					continue
				}
				k3 := idx(-f1.r-f2.r, -f1.c-f2.c)
				if e.ring[k3] != c[2] {
					continue
				}
				cnt++
				sum += xh[idx(f1.r, f1.c)] * xh[idx(f2.r, f2.c)] * xh[k3]
			}
		}
		if got := e.dtri[ti] * float64(w*h) * float64(w*h); math.Abs(got-float64(cnt)) > 1e-6 {
			t.Errorf("triangle %v: Dirac count %v, direct %d", c, got, cnt)
		}
		want := real(sum) / float64(cnt) / math.Sqrt(pw[c[0]]*pw[c[1]]*pw[c[2]])
		if math.Abs(p.Bispectrum[ti]-want) > 1e-9*(1+math.Abs(want)) {
			t.Errorf("B%v = %v, direct %v", c, p.Bispectrum[ti], want)
		}
	}
	for qi, c := range e.quad {
		var cnt int
		var sum complex128
		for _, f1 := range fs {
			if f1.ring != c[0] {
				continue
			}
			for _, f2 := range fs {
				if f2.ring != c[1] {
					continue
				}
				for _, f3 := range fs {
					if f3.ring != c[2] {
						continue
					}
					k4 := idx(-f1.r-f2.r-f3.r, -f1.c-f2.c-f3.c)
					if e.ring[k4] != c[3] {
						continue
					}
					cnt++
					sum += xh[idx(f1.r, f1.c)] * xh[idx(f2.r, f2.c)] * xh[idx(f3.r, f3.c)] * xh[k4]
				}
			}
		}
		if got := e.dquad[qi] * math.Pow(float64(w*h), 3); math.Abs(got-float64(cnt)) > 1e-6 {
			t.Errorf("quadrilateral %v: Dirac count %v, direct %d", c, got, cnt)
		}
		want := real(sum) / float64(cnt) / math.Sqrt(pw[c[0]]*pw[c[1]]*pw[c[2]]*pw[c[3]])
		if math.Abs(p.Trispectrum[qi]-want) > 1e-9*(1+math.Abs(want)) {
			t.Errorf("T%v = %v, direct %v", c, p.Trispectrum[qi], want)
		}
	}
	if len(e.tri) == 0 || len(e.quad) == 0 {
		t.Fatalf("no configurations: %d triangles, %d quadrilaterals", len(e.tri), len(e.quad))
	}
}

// TestTranslationRotationInvariance: a circular shift changes x̂ by phases
// that cancel on closed polygons, and a 90° rotation permutes each ring.
func TestTranslationRotationInvariance(t *testing.T) {
	const n = 32
	e, err := NewEstimator(n, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	x := whiteNoise(n*n, 3)
	for i := range x {
		x[i] = math.Exp(x[i])
	}
	shift := make([]float64, n*n)
	rot := make([]float64, n*n)
	for r := range n {
		for c := range n {
			shift[((r+5)%n)*n+(c+11)%n] = x[r*n+c]
			rot[c*n+(n-1-r)] = x[r*n+c]
		}
	}
	p0, _ := e.Compute(x)
	for name, y := range map[string][]float64{"shift": shift, "rotation": rot} {
		p, err := e.Compute(y)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range [][2][]float64{{p.Power, p0.Power}, {p.Bispectrum, p0.Bispectrum}, {p.Trispectrum, p0.Trispectrum}, {p.TrispectrumConnected, p0.TrispectrumConnected}} {
			for i := range c[0] {
				if math.Abs(c[0][i]-c[1][i]) > 1e-9*(1+math.Abs(c[1][i])) {
					t.Errorf("%s: bin %d: %v, unshifted %v", name, i, c[0][i], c[1][i])
				}
			}
		}
	}
}

// TestWhiteNoiseFlat: the ring-averaged power of unit white noise is 1 in
// every ring, within its sampling error.
func TestWhiteNoiseFlat(t *testing.T) {
	const n, draws = 64, 16
	e, err := NewEstimator(n, n, 6)
	if err != nil {
		t.Fatal(err)
	}
	var xs [][]float64
	for s := range draws {
		xs = append(xs, whiteNoise(n*n, uint64(100+s)))
	}
	p, err := e.Mean(xs)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range p.Power {
		// Each ring holds modes/2 independent complex frequencies, each
		// |x̂|²/n² exponential with mean 1.
		tol := 5 / math.Sqrt(float64(draws*e.modes[i])/2)
		if math.Abs(v-1) > tol {
			t.Errorf("ring %d (%d modes): power %v, want 1 ± %.3g", i, e.modes[i], v, tol)
		}
	}
	if d := SpectrumError(p.Power, []float64{1, 1, 1, 1, 1, 1}); d > 0.1 {
		t.Errorf("SpectrumError to flat = %v", d)
	}
}

// TestGaussianVersusLognormal: a Gaussian random field has no bispectrum
// beyond its noise (B/σ of order 1), a lognormal field of the same
// Gaussian a large one; the connected trispectrum likewise.
func TestGaussianVersusLognormal(t *testing.T) {
	const n = 64
	e, err := NewEstimator(n, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.Noise()
	if err != nil {
		t.Fatal(err)
	}
	par := cosmic.DefaultParams(n)
	g, err := cosmic.Gaussian(par)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := cosmic.Lognormal(par)
	if err != nil {
		t.Fatal(err)
	}
	pg, _ := e.Compute(g.Data)
	pl, _ := e.Compute(ln.Data)
	bg, bl := rms(pg.Bispectrum, s.Bispectrum), rms(pl.Bispectrum, s.Bispectrum)
	tg, tl := rms(pg.TrispectrumConnected, s.TrispectrumConnected), rms(pl.TrispectrumConnected, s.TrispectrumConnected)
	t.Logf("rms B/σ: Gaussian %.3g, lognormal %.3g; rms T_c/σ: Gaussian %.3g, lognormal %.3g", bg, bl, tg, tl)
	if bg > 3 || bl < 10*bg {
		t.Errorf("rms B/σ: Gaussian %.3g (want < 3), lognormal %.3g (want > 10× it)", bg, bl)
	}
	if tg > 3 || tl < 5*tg {
		t.Errorf("rms T_c/σ: Gaussian %.3g (want < 3), lognormal %.3g (want > 5× it)", tg, tl)
	}
	// Between the two, the error is large relative to the reference.
	if d, err := e.Compare(pg, pl); err != nil || d.Bispectrum < 0.5 {
		t.Errorf("bispectrum error Gaussian vs lognormal = %v (%v), want large", d.Bispectrum, err)
	}
}

// TestRandomPhases: same Fourier modulus and mean; the bispectrum of a
// lognormal field is gone.
func TestRandomPhases(t *testing.T) {
	const n = 64
	ln, err := cosmic.Lognormal(cosmic.DefaultParams(n))
	if err != nil {
		t.Fatal(err)
	}
	g, err := RandomPhases(ln.Data, n, n, 5)
	if err != nil {
		t.Fatal(err)
	}
	plan, _ := fourier.NewPlan2D(n, n)
	a, b := make([]complex128, n*n), make([]complex128, n*n)
	_ = plan.ForwardReal(a, ln.Data)
	_ = plan.ForwardReal(b, g)
	for k := range a {
		if math.Abs(cmplx.Abs(a[k])-cmplx.Abs(b[k])) > 1e-9*(1+cmplx.Abs(a[k])) {
			t.Fatalf("frequency %d: |x̂| %v, random phases %v", k, cmplx.Abs(a[k]), cmplx.Abs(b[k]))
		}
	}
	if cmplx.Abs(a[0]-b[0]) > 1e-9*cmplx.Abs(a[0]) {
		t.Errorf("mean changed: %v → %v", a[0], b[0])
	}
	e, _ := NewEstimator(n, n, 5)
	pl, _ := e.Compute(ln.Data)
	pg, _ := e.Compute(g)
	if d := SpectrumError(pg.Power, pl.Power); d > 1e-9 {
		t.Errorf("spectrum error %v, want 0", d)
	}
	s, err := e.Noise()
	if err != nil {
		t.Fatal(err)
	}
	if r := rms(pg.Bispectrum, s.Bispectrum); r > 3 {
		t.Errorf("rms B/σ of the random-phase field = %v, want O(1)", r)
	}
	if _, err := RandomPhases(ln.Data, n, n-1, 1); err == nil {
		t.Error("RandomPhases with a wrong size: want an error")
	}
}

func TestPDFTotalVariation(t *testing.T) {
	a := [][]float64{whiteNoise(4096, 1), whiteNoise(4096, 2)}
	tv, err := PDFTotalVariation(a, a, 32)
	if err != nil || tv != 0 {
		t.Errorf("TV of identical sets = %v, %v; want 0", tv, err)
	}
	b := [][]float64{whiteNoise(4096, 3), whiteNoise(4096, 4)}
	for _, f := range b {
		for i := range f {
			f[i] += 100
		}
	}
	if tv, _ := PDFTotalVariation(a, b, 16); math.Abs(tv-1) > 1e-12 {
		t.Errorf("TV of disjoint sets = %v, want 1", tv)
	}
	c := [][]float64{whiteNoise(8192, 5)}
	if tv, _ := PDFTotalVariation(a, c, 16); tv > 0.05 {
		t.Errorf("TV of two white-noise sets = %v, want small", tv)
	}
	if _, err := PDFTotalVariation(nil, a, 16); err == nil {
		t.Error("empty set: want an error")
	}
	if _, err := PDFTotalVariation(a, a, 0); err == nil {
		t.Error("0 bins: want an error")
	}
	// Tied values: a two-valued field gives two bins.
	bin := [][]float64{{0, 0, 0, 1}}
	if e := QuantileEdges(bin, 8); len(e) > 2 {
		t.Errorf("edges of tied data: %v", e)
	}
	if tv, _ := PDFTotalVariation([][]float64{{0, 1, 1, 1}}, bin, 8); math.Abs(tv-0.5) > 1e-12 {
		t.Errorf("TV of {0,1,1,1} vs {0,0,0,1} = %v, want 0.5", tv)
	}
}

func TestRelError(t *testing.T) {
	if v := RelError([]float64{1, 2}, []float64{1, 2}, []float64{1, 1}); v != 0 {
		t.Errorf("identical: %v", v)
	}
	// Reference ≫ noise: the relative error.
	if v := RelError([]float64{110, 0}, []float64{100, 0}, []float64{1e-3, 1e-3}); math.Abs(v-0.1) > 1e-6 {
		t.Errorf("strong reference: %v, want 0.1", v)
	}
	// Zero reference: rms difference in σ units.
	if v := RelError([]float64{2, -2}, []float64{0, 0}, []float64{1, 1}); math.Abs(v-2) > 1e-12 {
		t.Errorf("zero reference: %v, want 2", v)
	}
	if v := RelError([]float64{1}, []float64{1, 2}, []float64{1}); !math.IsNaN(v) {
		t.Errorf("length mismatch: %v, want NaN", v)
	}
}

// TestNoiseError: when a noise field cannot be computed (here: an estimator
// whose rings were emptied, so that no field has power in them), Noise and
// Compare return the error instead of panicking, and nothing is cached.
func TestNoiseError(t *testing.T) {
	e, err := NewEstimator(16, 16, 3)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Compute(whiteNoise(16*16, 1))
	if err != nil {
		t.Fatal(err)
	}
	ring := e.ring
	e.ring = make([]int, len(ring))
	for k := range e.ring {
		e.ring[k] = -1
	}
	if s, err := e.Noise(); s != nil || err == nil || !strings.Contains(err.Error(), "polyspectra: measuring the noise σ: ") {
		t.Errorf("Noise of an estimator without rings = %v, %v; want nil and the error", s, err)
	}
	if _, err := e.Compare(p, p); err == nil {
		t.Error("Compare of an estimator without rings: no error")
	}
	e.ring = ring
	s, err := e.Noise()
	if err != nil || s == nil {
		t.Fatalf("Noise after the rings are back = %v, %v", s, err)
	}
	if again, err := e.Noise(); again != s || err != nil {
		t.Errorf("second Noise = %p, %v; want the cached %p", again, err, s)
	}
	if d, err := e.Compare(p, p); err != nil || d.Spectrum != 0 || d.Bispectrum != 0 {
		t.Errorf("Compare(p, p) = %+v, %v; want zero errors", d, err)
	}
}
