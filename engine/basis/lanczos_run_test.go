package basis

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLanczosRun steps LanczosRun by hand and checks that it gives
// Lanczos' result exactly, with a state that advances one Lanczos step per
// Step, a residual of −1 before the first check, the Ritz values one Step
// after the last Lanczos step, then ritzVectorsPerStep vectors a Step and
// one Step per explicit residual.
func TestLanczosRun(t *testing.T) {
	d, _ := withSpectrum(rand.New(rand.NewPCG(13, 14)), denoiserLike(150, 20))
	tests := []struct {
		name string
		k    int
		o    LanczosOptions
	}{
		{"converges", 6, LanczosOptions{Seed: 2}},
		{"all steps", 4, LanczosOptions{Krylov: 30, Tol: -1, Seed: 3}},
		{"explicit residuals", 5, LanczosOptions{Seed: 4, ExplicitResiduals: true}},
		{"tight tolerance", 3, LanczosOptions{Tol: 1e-9, Seed: 5}},
		{"several vector steps", 20, LanczosOptions{Seed: 6}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := Lanczos(context.Background(), d, tc.k, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			r, err := NewLanczosRun(context.Background(), d, tc.k, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			if s := r.State(); s.Step != 0 || s.Residual != -1 || s.Done || s.Ritz {
				t.Errorf("initial state %+v", s)
			}
			if _, err := r.Result(); err == nil {
				t.Error("Result before the end: no error")
			}
			steps, vectors, residuals := 0, 0, 0
			for {
				before := r.State()
				done, err := r.Step()
				if err != nil {
					t.Fatal(err)
				}
				s := r.State()
				switch {
				case !before.Ritz && s.Step == before.Step+1:
					steps++
				case !before.Ritz && s.Ritz && s.Step == before.Step:
				case before.Ritz && s.Vectors > before.Vectors:
					vectors++
				case before.Ritz && before.Vectors == tc.k:
					residuals++
				default:
					t.Fatalf("step from %+v to %+v", before, s)
				}
				if s.Step >= tc.k && tc.o.Tol >= 0 && !s.Ritz && s.Residual < 0 {
					t.Errorf("no residual after %d steps", s.Step)
				}
				if done {
					if !s.Done {
						t.Error("done but the state is not")
					}
					break
				}
			}
			got, err := r.Result()
			if err != nil {
				t.Fatal(err)
			}
			if steps != want.Krylov || got.Krylov != want.Krylov || got.Applies != want.Applies || got.Converged != want.Converged {
				t.Errorf("%d steps (%d applies, converged %v), want %d (%d, %v)", steps, got.Applies, got.Converged, want.Krylov, want.Applies, want.Converged)
			}
			if want := (tc.k + ritzVectorsPerStep - 1) / ritzVectorsPerStep; vectors != want {
				t.Errorf("%d steps of Ritz vectors, want %d", vectors, want)
			}
			if tc.o.ExplicitResiduals != (residuals == tc.k) || (!tc.o.ExplicitResiduals && residuals != 0) {
				t.Errorf("%d explicit residual steps", residuals)
			}
			if !slices.Equal(got.Values, want.Values) || !slices.Equal(got.Residuals, want.Residuals) {
				t.Errorf("values %v residuals %v, want %v %v", got.Values, got.Residuals, want.Values, want.Residuals)
			}
			for i := range got.Vectors {
				if !slices.Equal(got.Vectors[i], want.Vectors[i]) {
					t.Errorf("vector %d differs", i+1)
				}
			}
			if s := r.State(); s.Residual != maxOf(got.Residuals) {
				t.Errorf("final residual %g, want %g", s.Residual, maxOf(got.Residuals))
			}
			if done, err := r.Step(); !done || err != nil {
				t.Errorf("Step after the end: %v %v", done, err)
			}
		})
	}
}

// TestLanczosRunCancel checks that a cancelled context stops a run and
// that every later Step returns the error.
func TestLanczosRunCancel(t *testing.T) {
	d, _ := withSpectrum(rand.New(rand.NewPCG(15, 16)), denoiserLike(60, 10))
	ctx, cancel := context.WithCancel(context.Background())
	r, err := NewLanczosRun(ctx, d, 3, LanczosOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := r.Step(); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	for range 2 {
		if _, err := r.Step(); !errors.Is(err, context.Canceled) {
			t.Errorf("Step after cancel: %v", err)
		}
	}
	if _, err := r.Result(); !errors.Is(err, context.Canceled) {
		t.Errorf("Result after cancel: %v", err)
	}
	if _, err := NewLanczosRun(nil, d, 0, LanczosOptions{}); err == nil { // nil: Background
		t.Error("k = 0: no error")
	}
}

// TestLanczosBasisOrthogonal checks that the reorthogonalisation (one
// Gram–Schmidt pass after the three-term recurrence, a second by the DGKS
// criterion) keeps the Lanczos basis orthonormal to working precision over
// many steps of a clustered spectrum, where plain Lanczos loses
// orthogonality as soon as the first Ritz pairs converge.
func TestLanczosBasisOrthogonal(t *testing.T) {
	const n, m = 400, 200
	d, _ := withSpectrum(rand.New(rand.NewPCG(17, 18)), denoiserLike(n, 60))
	lz := &lanczos{s: d, n: n, rng: rand.New(rand.NewPCG(1, lanczosStream)),
		q: make([]float64, m*n), alpha: make([]float64, m), beta: make([]float64, m),
		w: make([]float64, n), coef: make([]float64, m), pass: make([]float64, m)}
	if _, err := lz.run(context.Background(), m, 8, -1, func(int, float64) {}); err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i := range m {
		for j := range i + 1 {
			want := 0.0
			if i == j {
				want = 1
			}
			worst = math.Max(worst, math.Abs(dot(lz.row(i), lz.row(j))-want))
		}
	}
	if worst > 1e-13 {
		t.Errorf("|QᵀQ − I| up to %.3g", worst)
	}
	t.Logf("%d steps: |QᵀQ − I| ≤ %.3g", m, worst)
}
