package diffusion

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// GaussianDenoiser is the exact MMSE denoiser of a Gaussian prior
// x ~ N(μ, C) for y = x + σz, z ~ N(0, I):
//
//	x̂(y) = μ + C (C + σ²I)⁻¹ (y − μ) = μ + Q diag(λ_k / (λ_k + σ²)) Qᵀ (y − μ),
//
// with C = Q diag(λ) Qᵀ (the Wiener filter). It is not blind: Denoise uses
// its sigma argument. It is the reference against which the samplers are
// tested, since their samples must then have mean μ and covariance C. Not
// safe for concurrent use.
type GaussianDenoiser struct {
	mu   []float64
	q    []float64 // eigenvectors, q[i*n+k] = Q_ik
	lam  []float64
	c, g []float64 // scratch: Qᵀ(y − μ) and the Wiener gains
}

// NewGaussianDenoiser returns the exact denoiser of N(mu, cov); cov must be
// symmetric positive semi-definite (eigenvalues below 0 by rounding are set
// to 0) of the size of mu.
func NewGaussianDenoiser(mu []float64, cov mat.Symmetric) (*GaussianDenoiser, error) {
	n := len(mu)
	if n == 0 || cov == nil || cov.SymmetricDim() != n {
		return nil, fmt.Errorf("diffusion: Gaussian denoiser needs a mean and a covariance of the same size")
	}
	var e mat.EigenSym
	if !e.Factorize(cov, true) {
		return nil, fmt.Errorf("diffusion: covariance eigendecomposition failed")
	}
	lam := e.Values(nil)
	for k, l := range lam {
		if math.IsNaN(l) || l < -1e-9*math.Abs(lam[n-1]) {
			return nil, fmt.Errorf("diffusion: covariance is not positive semi-definite (eigenvalue %g)", l)
		}
		lam[k] = max(l, 0)
	}
	var q mat.Dense
	e.VectorsTo(&q)
	return &GaussianDenoiser{mu: append([]float64(nil), mu...), q: append([]float64(nil), q.RawMatrix().Data...),
		lam: lam, c: make([]float64, n), g: make([]float64, n)}, nil
}

// Dim returns the dimension of the Gaussian.
func (d *GaussianDenoiser) Dim() int { return len(d.mu) }

// Denoise sets dst = μ + C(C + σ²I)⁻¹(y − μ).
func (d *GaussianDenoiser) Denoise(dst, y []float64, sigma float64) error {
	n := len(d.mu)
	if err := checkLen(n, dst, y); err != nil {
		return err
	}
	if math.IsNaN(sigma) || sigma < 0 {
		return fmt.Errorf("diffusion: Gaussian denoiser at σ = %v", sigma)
	}
	s2 := sigma * sigma
	for k := range d.c {
		d.c[k] = 0
		if l := d.lam[k]; l+s2 > 0 {
			d.g[k] = l / (l + s2)
		} else {
			d.g[k] = 1
		}
	}
	for i := 0; i < n; i++ {
		r := y[i] - d.mu[i]
		row := d.q[i*n : (i+1)*n]
		for k, v := range row {
			d.c[k] += v * r
		}
	}
	for k := range d.c {
		d.c[k] *= d.g[k]
	}
	for i := 0; i < n; i++ {
		row := d.q[i*n : (i+1)*n]
		s := d.mu[i]
		for k, v := range row {
			s += v * d.c[k]
		}
		dst[i] = s
	}
	return nil
}
