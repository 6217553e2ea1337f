package scattering

import (
	"math"

	"scalewise/engine/fourier"
)

// lowPass is the optional low-pass power term of a Synthesis
// (SynthOptions.LowPass). The scattering spectra see the field only
// through the band-pass wavelets ψ_{j,ℓ} (and its mean), so the
// frequencies below the largest wavelet, which the bank's low-pass φ_J
// covers (wavelet.DirectionalBank; at 128², J = 6, |φ̂_J|² is 0.47 at one
// cycle per field, where the wavelets' |ψ̂|² sum to 0.49), are only
// loosely constrained and keep much of the initial white noise. The term
// matches one more statistic, the power of the fluctuations in the
// low-pass band,
//
//	P_φ(x) = (1/(MN)²) Σ_{k≠0} g(k) |x̂(k)|²,   g(k) = (|φ̂_J(k)|² + |φ̂_J(−k)|²)/2,
//
// (by Parseval, the mean of |(x − E x) ⋆ φ_J|²), on the log scale like
// S2:
//
//	ℓ_φ(x) = c (log P_φ(x) − log P_φ(t))²,   c = LowPass · w,
//
// with w the weight of one S2 entry of the target vector (1 for uniform
// weights), so LowPass = 1 counts it as one more S2 coefficient. With x̂
// the unnormalised DFT and g even,
//
//	∂P_φ/∂x = (2/(MN)) · IDFT(g·x̂)   (IDFT divided by MN, real),
//	∂ℓ_φ/∂x = 2c (log P_φ(x) − log P_φ(t)) / P_φ(x) · ∂P_φ/∂x,
//
// one real FFT and one inverse per evaluation, in preallocated buffers.
type lowPass struct {
	c    float64
	g    []float64 // g(k)/(MN)², g(0) = 0, FFT order
	tlog float64   // log P_φ(t)
	plan *fourier.Plan2D
	z    []complex128
	r    []float64
}

// newLowPass prepares the term for the target t with factor c ≥ 0 and
// the low-pass phi (FFT order, h×w). It returns nil when c is 0.
func newLowPass(t, phi []float64, w, h int, c float64) (*lowPass, error) {
	if c == 0 {
		return nil, nil
	}
	plan, err := fourier.NewPlan2D(h, w)
	if err != nil {
		return nil, err
	}
	n := w * h
	lp := &lowPass{c: c, g: make([]float64, n), plan: plan, z: make([]complex128, n), r: make([]float64, n)}
	inv := 1 / (float64(n) * float64(n))
	for i := 1; i < n; i++ {
		kx, ky := i%w, i/w
		j := ((h-ky)%h)*w + (w-kx)%w // −k
		lp.g[i] = (phi[i]*phi[i] + phi[j]*phi[j]) / 2 * inv
	}
	lp.tlog = spLog(lp.power(t))
	return lp, nil
}

// power returns P_φ(x), leaving x̂ in lp.z.
func (lp *lowPass) power(x []float64) float64 {
	_ = lp.plan.ForwardReal(lp.z, x) // lengths are checked by the caller
	var p float64
	for i, v := range lp.z {
		p += lp.g[i] * (real(v)*real(v) + imag(v)*imag(v))
	}
	return p
}

// relErr returns |log P_φ(x) − log P_φ(t)|.
func (lp *lowPass) relErr(x []float64) float64 { return math.Abs(spLog(lp.power(x)) - lp.tlog) }

// lossGrad returns ℓ_φ(x) and adds its gradient to grad.
func (lp *lowPass) lossGrad(x, grad []float64) float64 {
	p := lp.power(x)
	d := spLog(p) - lp.tlog
	if !(p > 0) {
		return lp.c * d * d // below the log floor the derivative is 0
	}
	for i, v := range lp.z {
		lp.z[i] = v * complex(lp.g[i], 0)
	}
	_ = lp.plan.InverseReal(lp.r, lp.z)
	// lp.g holds g/(MN)², so ∂P_φ/∂x = 2·MN·IDFT(lp.g·x̂).
	s := 2 * lp.c * d / p * 2 * float64(len(x))
	for i, v := range lp.r {
		grad[i] += s * v
	}
	return lp.c * d * d
}
