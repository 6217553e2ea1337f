package basis

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// spectrum returns n eigenvalues: f(i) for i = 0 … n−1.
func spectrum(n int, f func(i int) float64) []float64 {
	l := make([]float64, n)
	for i := range l {
		l[i] = f(i)
	}
	return l
}

// denoiserLike is the shape of a denoiser Jacobian's symmetric part: a
// cluster of c eigenvalues in [0.95, 1.3] above a bulk in [−0.3, 0.1].
func denoiserLike(n, c int) []float64 {
	rng := rand.New(rand.NewPCG(9, 9))
	return spectrum(n, func(i int) float64 {
		if i < c {
			return 0.95 + 0.35*rng.Float64()
		}
		return -0.3 + 0.4*rng.Float64()
	})
}

// TestLanczosKnownSpectrum compares Lanczos with synthetic symmetric
// matrices of known spectrum: the top k values to 1e-9 (relative to the
// spectral radius), each vector an eigenvector (explicit residual), the
// vectors orthonormal and, where the values are distinct, along the known
// eigenvectors. Exactly repeated or zero eigenvalues make the Krylov space
// invariant (breakdowns), after which Lanczos restarts; it then runs all m
// steps, since a convergence check at a breakdown could miss copies of a
// repeated eigenvalue.
func TestLanczosKnownSpectrum(t *testing.T) {
	tests := []struct {
		name         string
		lambda       []float64
		k, krylov    int
		wantRestarts bool
		angleTol     float64 // vs the known vectors, for distinct values
	}{
		{"decaying", spectrum(200, func(i int) float64 { return math.Exp(-float64(i) / 10) }), 10, 0, false, 1e-6},
		{"denoiser-like cluster", denoiserLike(300, 40), 16, 0, false, 1e-4},
		{"repeated", spectrum(50, func(i int) float64 { return []float64{5, 5, 5, 2, 2}[min(i, 4)] * float64(min(1, max(0, 5-i))) }), 5, 0, true, 0},
		{"low rank", spectrum(100, func(i int) float64 { return max(0, 3-float64(i)) }), 5, 0, true, 0},
		{"k = n", spectrum(8, func(i int) float64 { return float64(8 - 2*i) }), 8, 0, false, 1e-9},
		{"negative", spectrum(60, func(i int) float64 { return -1 - float64(i)/10 }), 3, 0, false, 1e-6},
		{"one", []float64{-2}, 1, 0, false, 1e-12},
		{"full Krylov", spectrum(40, func(i int) float64 { return 1 / float64(i+1) }), 4, 40, false, 1e-8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(len(tc.lambda)), 7))
			d, u := withSpectrum(rng, tc.lambda)
			order := make([]int, len(tc.lambda))
			for i := range order {
				order[i] = i
			}
			slices.SortStableFunc(order, func(a, b int) int { return -cmpFloat(tc.lambda[a], tc.lambda[b]) })
			e, err := Lanczos(context.Background(), d, tc.k, LanczosOptions{Krylov: tc.krylov, Tol: 1e-10, Seed: 1, ExplicitResiduals: true})
			if err != nil {
				t.Fatal(err)
			}
			radius := math.Max(math.Abs(slices.Max(tc.lambda)), math.Abs(slices.Min(tc.lambda)))
			for i := range tc.k {
				want := tc.lambda[order[i]]
				if math.Abs(e.Values[i]-want) > 1e-9*radius {
					t.Errorf("λ_%d = %.12g, want %.12g", i+1, e.Values[i], want)
				}
				if e.Residuals[i] > 1e-7*radius {
					t.Errorf("residual %d = %.3g", i+1, e.Residuals[i])
				}
				if tc.angleTol > 0 {
					if a := angle(e.Vectors[i], u[order[i]]); a > tc.angleTol {
						t.Errorf("e_%d off by %.3g rad", i+1, a)
					}
				}
				for j := range i + 1 {
					want := 0.0
					if i == j {
						want = 1
					}
					if g := dot(e.Vectors[i], e.Vectors[j]); math.Abs(g-want) > 1e-10 {
						t.Errorf("⟨e_%d, e_%d⟩ = %.3g", i+1, j+1, g)
					}
				}
			}
			if tc.wantRestarts != (e.Restarts > 0) {
				t.Errorf("%d restarts", e.Restarts)
			}
			if !e.Converged {
				t.Error("not converged")
			}
			t.Logf("n = %d, k = %d: %d steps, %d restarts, %d applications", len(tc.lambda), tc.k, e.Krylov, e.Restarts, e.Applies)
		})
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestLanczosResidualEstimate checks that the Lanczos estimate |β_m·y_m|
// matches the explicit residual, including for unconverged pairs (a short
// Krylov space, no early stop).
func TestLanczosResidualEstimate(t *testing.T) {
	d, _ := withSpectrum(rand.New(rand.NewPCG(5, 6)), denoiserLike(120, 30))
	opts := LanczosOptions{Krylov: 30, Tol: -1, Seed: 3}
	est, err := Lanczos(context.Background(), d, 8, opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.ExplicitResiduals = true
	exp, err := Lanczos(context.Background(), d, 8, opts)
	if err != nil {
		t.Fatal(err)
	}
	if est.Krylov != 30 || est.Converged {
		t.Errorf("%d steps, converged %v: want 30 unconverged steps", est.Krylov, est.Converged)
	}
	for i := range est.Residuals {
		if est.Values[i] != exp.Values[i] {
			t.Errorf("λ_%d differs between runs with one seed", i+1)
		}
		if math.Abs(est.Residuals[i]-exp.Residuals[i]) > 1e-9+1e-6*exp.Residuals[i] {
			t.Errorf("residual %d: estimate %.6g, explicit %.6g", i+1, est.Residuals[i], exp.Residuals[i])
		}
	}
}

// TestLanczosProgressAndCancel checks the progress callback and that a
// cancelled context stops the run.
func TestLanczosProgressAndCancel(t *testing.T) {
	d, _ := withSpectrum(rand.New(rand.NewPCG(7, 8)), denoiserLike(80, 10))
	var steps []int
	e, err := Lanczos(context.Background(), d, 3, LanczosOptions{Krylov: 20, Tol: -1, ExplicitResiduals: true,
		Progress: func(p LanczosProgress) {
			steps = append(steps, p.Step)
			if p.Total != 23 {
				t.Errorf("total %d, want 23", p.Total)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 23 || steps[22] != 23 || e.Applies != 23 {
		t.Errorf("progress steps %v, %d applications", steps, e.Applies)
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err = Lanczos(ctx, d, 3, LanczosOptions{Progress: func(p LanczosProgress) {
		if p.Step == 5 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}
}

// nanOp is an operator that returns NaN.
type nanOp struct{ n int }

func (o nanOp) Dim() int { return o.n }
func (o nanOp) Apply(dst, x []float64) error {
	for i := range dst {
		dst[i] = math.NaN()
	}
	return nil
}
func (o nanOp) ApplyT(dst, x []float64) error { return o.Apply(dst, x) }

func TestLanczosErrors(t *testing.T) {
	d, _ := withSpectrum(rand.New(rand.NewPCG(1, 1)), spectrum(10, func(i int) float64 { return float64(i) }))
	tests := []struct {
		name string
		op   Operator
		k    int
		o    LanczosOptions
	}{
		{"nil", nil, 1, LanczosOptions{}},
		{"symmetric part of nil", SymmetricPart(nil), 1, LanczosOptions{}},
		{"k = 0", d, 0, LanczosOptions{}},
		{"k > n", d, 11, LanczosOptions{}},
		{"krylov < k", d, 5, LanczosOptions{Krylov: 4}},
		{"krylov > n", d, 5, LanczosOptions{Krylov: 11}},
		{"NaN tol", d, 5, LanczosOptions{Tol: math.NaN()}},
		{"NaN operator", nanOp{10}, 2, LanczosOptions{}},
	}
	for _, tc := range tests {
		if _, err := Lanczos(context.Background(), tc.op, tc.k, tc.o); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// TestLastComponents checks the interlacing formula for the last
// components of T_m's eigenvectors against mat.EigenSym at every m.
func TestLastComponents(t *testing.T) {
	d, _ := withSpectrum(rand.New(rand.NewPCG(11, 12)), denoiserLike(150, 20))
	const m, k = 60, 8
	lz := &lanczos{s: d, n: 150, rng: rand.New(rand.NewPCG(1, lanczosStream)),
		q: make([]float64, m*150), alpha: make([]float64, m), beta: make([]float64, m),
		w: make([]float64, 150), coef: make([]float64, m), pass: make([]float64, m)}
	if _, err := lz.run(context.Background(), m, k, -1, func(int, float64) {}); err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for j := k + 1; j <= m; j++ {
		ys, _, ok := lz.lastComponents(j, k)
		if !ok {
			t.Fatalf("m = %d: formula failed", j)
		}
		ys = slices.Clone(ys)
		_, y, err := lz.tridiagonal(j)
		if err != nil {
			t.Fatal(err)
		}
		for r := range k {
			worst = math.Max(worst, math.Abs(ys[r]-math.Abs(y.At(j-1, j-1-r))))
		}
	}
	if worst > 1e-7 {
		t.Errorf("last components differ from EigenSym's by up to %.3g", worst)
	}
	t.Logf("largest difference %.3g", worst)
}
