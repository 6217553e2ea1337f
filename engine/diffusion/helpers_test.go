package diffusion

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// randomGaussian returns a constant mean μ = mu·1 and a random SPD
// covariance C = Q diag(λ) Qᵀ of dimension n, Q a random rotation and λ
// log-uniform over [lo, hi].
func randomGaussian(seed uint64, n int, mu, lo, hi float64) ([]float64, *mat.SymDense) {
	rng := rand.New(rand.NewPCG(seed, 7))
	a := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var q mat.Dense
	qr.QTo(&q)
	c := mat.NewSymDense(n, nil)
	for k := 0; k < n; k++ {
		l := lo * math.Pow(hi/lo, float64(k)/float64(n-1))
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				c.SetSym(i, j, c.At(i, j)+l*q.At(i, k)*q.At(j, k))
			}
		}
	}
	m := make([]float64, n)
	for i := range m {
		m[i] = mu
	}
	return m, c
}

// momentErrors returns the errors of the sample mean and covariance of xs
// in the metric of the prior N(μ, C): e_mean = ‖C^{−1/2}(m̂ − μ)‖ and
// e_cov = ‖C^{−1/2} Ĉ C^{−1/2} − I‖_F / √n, with their sampling scales
// √(n/K) and √((n+1)/K) for K independent samples, and the plain relative
// Frobenius error ‖Ĉ − C‖_F / ‖C‖_F.
func momentErrors(xs [][]float64, mu []float64, c *mat.SymDense) (eMean, eCov, frob float64) {
	n, k := len(mu), float64(len(xs))
	mean := make([]float64, n)
	for _, x := range xs {
		for i, v := range x {
			mean[i] += v / k
		}
	}
	cov := mat.NewSymDense(n, nil)
	for _, x := range xs {
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				cov.SetSym(i, j, cov.At(i, j)+(x[i]-mean[i])*(x[j]-mean[j])/(k-1))
			}
		}
	}
	var e mat.EigenSym
	e.Factorize(c, true)
	var q mat.Dense
	e.VectorsTo(&q)
	d := mat.NewDiagDense(n, nil)
	for i, l := range e.Values(nil) {
		d.SetDiag(i, 1/math.Sqrt(l))
	}
	var w, ww, white mat.Dense
	w.Mul(&q, d)
	w.Mul(&w, q.T()) // C^{-1/2}
	ww.Mul(&w, cov)
	white.Mul(&ww, &w)
	for i := 0; i < n; i++ {
		white.Set(i, i, white.At(i, i)-1)
	}
	eCov = mat.Norm(&white, 2) / math.Sqrt(float64(n))
	dm := make([]float64, n)
	for i := range dm {
		dm[i] = mean[i] - mu[i]
	}
	var wm mat.VecDense
	wm.MulVec(&w, mat.NewVecDense(n, dm))
	eMean = mat.Norm(&wm, 2)
	var diff mat.Dense
	diff.Sub(cov, c)
	frob = mat.Norm(&diff, 2) / mat.Norm(c, 2)
	return eMean, eCov, frob
}

// drawAll runs newSampler(i) for i < k and returns the samples.
func drawAll(t *testing.T, k int, newSampler func(i int) (Sampler, error)) [][]float64 {
	t.Helper()
	xs := make([][]float64, k)
	for i := range xs {
		s, err := newSampler(i)
		if err != nil {
			t.Fatal(err)
		}
		if xs[i], err = s.Run(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	return xs
}

// offsetDenoiser returns x̂ = y + offset: a constant residual, so σ_t =
// |offset| forever.
type offsetDenoiser struct {
	n      int
	offset float64
}

func (d offsetDenoiser) Dim() int { return d.n }

func (d offsetDenoiser) Denoise(dst, y []float64, _ float64) error {
	for i, v := range y {
		dst[i] = v + d.offset
	}
	return nil
}

// pointMass is the exact denoiser of the prior δ_μ: x̂(y) = μ, whose
// residual μ − y is exactly the noise.
type pointMass struct {
	n  int
	mu float64
}

func (d pointMass) Dim() int { return d.n }

func (d pointMass) Denoise(dst, y []float64, _ float64) error {
	for i := range y {
		dst[i] = d.mu
	}
	return nil
}
