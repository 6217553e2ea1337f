package denoise

import (
	"fmt"
	"math"

	"scalewise/engine/field"
	"scalewise/engine/fourier"
)

// OracleWiener returns the mean PSNR over the pairs (clean[i], noisy[i]) of
// the Wiener filter built from the power spectrum of the clean images: an
// oracle upper reference for linear shift-invariant denoisers, not a
// denoiser one could run without the clean images.
//
// Every W×H image y is extended by half-sample symmetric reflection (as in
// GaussianFilter) to the 2W×2H image ỹ, which is periodic without jumps at
// its borders, and transformed by the unnormalised DFT
//
//	ŷ(k) = Σ_x ỹ(x) exp(−2πi(k₁x₁/2W + k₂x₂/2H)).
//
// With N = 4WH and S(k) = (1/n) Σ_i |x̂_i(k)|² the mean power spectrum of the
// extended clean images, the filter is
//
//	Ĥ(k) = S(k) / (S(k) + σ²·N·m(k₁)·m(k₂)),
//
// applied to ŷ, inverted and cropped back to W×H. σ²·N·m(k₁)·m(k₂) is the
// expected power E|ẑ(k)|² of extended white noise of variance σ²: N·σ² as
// for any white N-pixel image, except that mirroring makes the copies
// coherent on the axes, m(0) = 2, and cancels the Nyquist line, m(W) = 0
// along x (m(H) = 0 along y); m = 1 elsewhere. (Where both S and the noise
// power vanish the gain is 1; those coefficients are zero anyway.)
//
// Reflection followed by a mirror-symmetric circular convolution is a
// diagonal operator in the 2-D DCT-II basis, in which white noise stays
// white; Ĥ is the gain that minimises the mean squared error averaged over
// the set and the noise among all such operators, i.e. among all
// zero-phase linear shift-invariant filters with symmetric boundary
// handling (GaussianFilter is one of them). It is the MMSE linear estimator
// for a stationary Gaussian model with the set's spectrum. Since it
// minimises the expected MSE summed over the images, another such filter
// (the tuned GaussianFilter of BestGaussian, say) can beat its mean PSNR
// only through the particular noise realisation or the difference between
// the mean PSNR and the PSNR of the total MSE.
//
// The result has Name "wiener-oracle", Param 0 (the filter has no scalar
// parameter) and PSNR the mean over the images of PSNR(clean_i, x̂_i). The
// spectrum is accumulated in index order and the images are filtered in
// parallel; the result does not depend on GOMAXPROCS. Besides the errors of
// BestGaussian it returns an error if σ is not positive and finite or if
// the 2W×2H extension has more than fourier.MaxLen values.
func OracleWiener(clean, noisy []*field.Field, sigma float64) (Baseline, error) {
	w, h, err := checkSet(clean, noisy)
	if err != nil {
		return Baseline{}, err
	}
	if math.IsNaN(sigma) || !(sigma > 0) || math.IsInf(sigma, 1) {
		return Baseline{}, fmt.Errorf("denoise: Wiener noise std %v must be positive and finite", sigma)
	}
	if h > fourier.MaxLen/(4*w) {
		return Baseline{}, fmt.Errorf("denoise: %d×%d images are too large for the Wiener filter (their 2W×2H extension exceeds %d values)", w, h, fourier.MaxLen)
	}
	n := len(clean)
	workers := numWorkers(n)
	plans := make([]*mirrorFFT, workers)
	for wk := range plans {
		plans[wk] = newMirrorFFT(w, h)
	}
	gain := plans[0].wienerGain(plans[0].powerSpectrum(clean), sigma)
	bufs := make([][]float64, workers)
	for wk := range bufs {
		bufs[wk] = make([]float64, w*h)
	}
	p := meanOver(n, workers, func(wk, i int) float64 {
		plans[wk].filter(bufs[wk], noisy[i].Data, gain)
		return psnr(clean[i].Data, bufs[wk])
	})
	return Baseline{Name: "wiener-oracle", PSNR: p}, nil
}

// mirrorFFT is a plan for the unnormalised 2-D DFT of the half-sample
// symmetric 2W×2H extension of a W×H image (fourier.Plan2D of 2H rows and 2W
// columns, real-input transforms), stored row-major in spec
// (spec[k₂·2W + k₁]). A plan must not be shared by goroutines.
type mirrorFFT struct {
	w, h   int // image size
	ew, eh int // extended size 2w, 2h
	plan   *fourier.Plan2D
	ext    []float64    // ew·eh: the extension, then the filtered extension
	spec   []complex128 // ew·eh
}

// newMirrorFFT returns a plan for w×h images (OracleWiener checks that the
// extension is within fourier.MaxLen).
func newMirrorFFT(w, h int) *mirrorFFT {
	plan, _ := fourier.NewPlan2D(2*h, 2*w)
	return &mirrorFFT{
		w: w, h: h, ew: 2 * w, eh: 2 * h,
		plan: plan,
		ext:  make([]float64, 4*w*h),
		spec: make([]complex128, 4*w*h),
	}
}

// forward stores in p.spec the DFT of the extension of src (w·h values).
func (p *mirrorFFT) forward(src []float64) {
	for y := range p.eh {
		s := src[reflectIndex(y, p.h)*p.w:][:p.w]
		r := p.ext[y*p.ew : (y+1)*p.ew]
		for x := range p.ew {
			r[x] = s[reflectIndex(x, p.w)]
		}
	}
	_ = p.plan.ForwardReal(p.spec, p.ext) // sizes match
}

// inverse writes into dst (w·h values) the top-left W×H crop of the inverse
// DFT of p.spec (its real part), divided by N = 4WH so that inverse undoes
// forward.
func (p *mirrorFFT) inverse(dst []float64) {
	_ = p.plan.InverseReal(p.ext, p.spec) // sizes match
	for y := range p.h {
		copy(dst[y*p.w:(y+1)*p.w], p.ext[y*p.ew:])
	}
}

// powerSpectrum returns S(k) = (1/n) Σ_i |x̂_i(k)|² over the extensions of
// the images, summed in index order.
func (p *mirrorFFT) powerSpectrum(imgs []*field.Field) []float64 {
	s := make([]float64, len(p.spec))
	for _, f := range imgs {
		p.forward(f.Data)
		for k, c := range p.spec {
			s[k] += real(c)*real(c) + imag(c)*imag(c)
		}
	}
	for k := range s {
		s[k] /= float64(len(imgs))
	}
	return s
}

// mirrorNoiseFactor returns m(k) of OracleWiener for frequency k of a
// 2n-periodic symmetric extension: 2 at k = 0, 0 at the Nyquist k = n, 1
// elsewhere.
func mirrorNoiseFactor(k, n int) float64 {
	switch k {
	case 0:
		return 2
	case n:
		return 0
	}
	return 1
}

// wienerGain returns Ĥ(k) = S(k)/(S(k) + σ²·N·m(k₁)·m(k₂)) (1 where the
// denominator vanishes).
func (p *mirrorFFT) wienerGain(s []float64, sigma float64) []float64 {
	g := make([]float64, len(s))
	noise := sigma * sigma * float64(p.ew*p.eh)
	for k2 := range p.eh {
		m2 := mirrorNoiseFactor(k2, p.h)
		for k1 := range p.ew {
			k := k2*p.ew + k1
			d := s[k] + noise*mirrorNoiseFactor(k1, p.w)*m2
			if d > 0 {
				g[k] = s[k] / d
			} else {
				g[k] = 1
			}
		}
	}
	return g
}

// filter writes into dst (w·h values, may alias src) the crop of the
// extension of src filtered by the real gain (one value per frequency).
func (p *mirrorFFT) filter(dst, src, gain []float64) {
	p.forward(src)
	for k, g := range gain {
		p.spec[k] *= complex(g, 0)
	}
	p.inverse(dst)
}
