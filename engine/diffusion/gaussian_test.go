package diffusion

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestGaussianDenoiser checks x̂(y) = μ + C(C + σ²I)⁻¹(y − μ) against a
// direct solve, in place too, and the limits σ → 0 (x̂ = y) and σ → ∞
// (x̂ = μ).
func TestGaussianDenoiser(t *testing.T) {
	mu, c := randomGaussian(1, 8, 0.3, 0.01, 2)
	d, err := NewGaussianDenoiser(mu, c)
	if err != nil {
		t.Fatal(err)
	}
	y := []float64{1, -2, 0.5, 3, 0, 0.25, -1, 2}
	for _, sigma := range []float64{0, 0.1, 1, 1e6} {
		a := mat.NewSymDense(8, nil)
		a.CopySym(c)
		for i := 0; i < 8; i++ {
			a.SetSym(i, i, a.At(i, i)+sigma*sigma)
		}
		r := make([]float64, 8)
		for i := range r {
			r[i] = y[i] - mu[i]
		}
		var sol, want mat.VecDense
		if err := sol.SolveVec(a, mat.NewVecDense(8, r)); err != nil {
			t.Fatal(err)
		}
		want.MulVec(c, &sol)
		got := make([]float64, 8)
		if err := d.Denoise(got, y, sigma); err != nil {
			t.Fatal(err)
		}
		inPlace := append([]float64(nil), y...)
		if err := d.Denoise(inPlace, inPlace, sigma); err != nil {
			t.Fatal(err)
		}
		for i := range got {
			w := mu[i] + want.AtVec(i)
			if math.Abs(got[i]-w) > 1e-9 || got[i] != inPlace[i] {
				t.Fatalf("σ=%g: x̂[%d] = %g (in place %g), want %g", sigma, i, got[i], inPlace[i], w)
			}
		}
	}
	if err := d.Denoise(make([]float64, 3), y, 1); err == nil {
		t.Error("wrong length accepted")
	}
	if err := d.Denoise(make([]float64, 8), y, math.NaN()); err == nil {
		t.Error("σ = NaN accepted")
	}
	bad := mat.NewSymDense(2, []float64{1, 0, 0, -1})
	if _, err := NewGaussianDenoiser([]float64{0, 0}, bad); err == nil {
		t.Error("indefinite covariance accepted")
	}
	if _, err := NewGaussianDenoiser([]float64{0}, c); err == nil {
		t.Error("size mismatch accepted")
	}
}
