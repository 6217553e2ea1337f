package basis

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

// onWasm reports whether the tests run under js/wasm (Node), where the
// net-based tests use smaller images.
func onWasm() bool { return runtime.GOARCH == "wasm" }

// orthogonal returns a random n×n orthogonal matrix (rows orthonormal), by
// Gram–Schmidt (twice) of Gaussian rows.
func orthogonal(rng *rand.Rand, n int) [][]float64 {
	q := make([][]float64, n)
	for i := range q {
		v := make([]float64, n)
		for j := range v {
			v[j] = rng.NormFloat64()
		}
		for range 2 {
			for _, u := range q[:i] {
				axpy(v, -dot(u, v), u)
			}
		}
		scal(v, 1/nrm2(v))
		q[i] = v
	}
	return q
}

// withSpectrum returns the symmetric matrix Σ_i λ_i u_i u_iᵀ with the rows
// u_i of a random orthogonal matrix, and those rows.
func withSpectrum(rng *rand.Rand, lambda []float64) (*Dense, [][]float64) {
	n := len(lambda)
	u := orthogonal(rng, n)
	a := make([]float64, n*n)
	for k, l := range lambda {
		for i := range n {
			for j := range n {
				a[i*n+j] += l * u[k][i] * u[k][j]
			}
		}
	}
	d, _ := NewDense(n, a)
	return d, u
}

// randomDense returns an n×n matrix with i.i.d. N(0, 1) entries plus
// shift·I.
func randomDense(rng *rand.Rand, n int, shift float64) *Dense {
	a := make([]float64, n*n)
	for i := range a {
		a[i] = rng.NormFloat64()
	}
	for i := range n {
		a[i*n+i] += shift
	}
	d, _ := NewDense(n, a)
	return d
}

// angle returns the angle between the lines of a and b, in [0, π/2], as
// atan(‖a⊥‖/|⟨a, b̂⟩|), accurate for small angles (unlike acos).
func angle(a, b []float64) float64 {
	nb := nrm2(b)
	c := dot(a, b) / nb
	perp := slices.Clone(a)
	axpy(perp, -c/nb, b)
	return math.Atan2(nrm2(perp), math.Abs(c))
}

// relErr returns |got − want| / |want|.
func relErr(got, want float64) float64 { return math.Abs(got-want) / math.Abs(want) }

// within3SE fails the test unless |e.Value − exact| ≤ 3·e.StdErr.
func within3SE(t *testing.T, what string, e Estimate, exact float64) {
	t.Helper()
	if d := math.Abs(e.Value - exact); !(d <= 3*e.StdErr) {
		t.Errorf("%s: estimate %.6g ± %.3g (%d probes), exact %.6g: off by %.2f SE", what, e.Value, e.StdErr, e.Probes, exact, d/e.StdErr)
	} else {
		t.Logf("%s: estimate %.6g ± %.3g (%d probes), exact %.6g (%.2f SE)", what, e.Value, e.StdErr, e.Probes, exact, d/e.StdErr)
	}
}
