package denoise

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"scalewise/engine/field"
	"scalewise/engine/wavelet"
)

// Baseline is the result of tuning a classical denoiser on a set of images.
type Baseline struct {
	// Name names the denoiser: "gaussian", "soft-" followed by the
	// wavelet name (for example "soft-db4"), or "wiener-oracle"
	// (OracleWiener).
	Name string
	// Param is the tuned parameter: the Gaussian std in pixels, or the
	// soft threshold in intensity units; 0 for "wiener-oracle", whose
	// filter is the whole oracle spectrum rather than one number.
	Param float64
	// PSNR is the mean over the images of the PSNR in dB at Param.
	PSNR float64
}

// gaussianMinStd is the smallest positive std searched by BestGaussian; below
// it the kernel differs from the identity by less than 4·10⁻⁶.
const gaussianMinStd = 0.2

// thresholdRange is the ratio hi/lo of the threshold range searched by
// BestWaveletThreshold, and thresholdMaxSigmas the upper end in units of the
// largest estimated noise std.
const (
	thresholdRange     = 1000
	thresholdMaxSigmas = 5
)

// checkSet validates the pairs (clean[i], noisy[i]): equal non-zero counts,
// valid finite fields, all of the same size. It returns that size.
func checkSet(clean, noisy []*field.Field) (w, h int, err error) {
	if len(clean) == 0 {
		return 0, 0, errors.New("denoise: no images")
	}
	if len(clean) != len(noisy) {
		return 0, 0, fmt.Errorf("denoise: %d clean images but %d noisy images", len(clean), len(noisy))
	}
	for i := range clean {
		if err := checkPair(clean[i], noisy[i], fmt.Sprintf("clean image %d", i), fmt.Sprintf("noisy image %d", i)); err != nil {
			return 0, 0, err
		}
		if clean[i].W != clean[0].W || clean[i].H != clean[0].H {
			return 0, 0, fmt.Errorf("denoise: image %d is %d×%d but image 0 is %d×%d", i, clean[i].W, clean[i].H, clean[0].W, clean[0].H)
		}
	}
	return clean[0].W, clean[0].H, nil
}

// meanOver returns (1/n) Σ_i f(worker, i), evaluating f for i = 0..n−1 on
// up to GOMAXPROCS goroutines; worker ∈ [0, workers) identifies the
// goroutine, so f may use per-worker scratch space. The per-image values are
// summed in index order, so the result does not depend on the scheduling.
func meanOver(n, workers int, f func(worker, i int) float64) float64 {
	vals := make([]float64, n)
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Go(func() {
			for i := wk; i < n; i += workers {
				vals[i] = f(wk, i)
			}
		})
	}
	wg.Wait()
	s := 0.0
	for _, v := range vals {
		s += v
	}
	return s / float64(n)
}

// numWorkers returns min(GOMAXPROCS, n).
func numWorkers(n int) int { return max(1, min(runtime.GOMAXPROCS(0), n)) }

// BestGaussian tunes GaussianFilter on the pairs (clean[i], noisy[i]) with
// the clean images as oracle: it returns the std s maximising the mean PSNR
//
//	(1/n) Σ_i PSNR(clean_i, GaussianFilter(noisy_i, s)),
//
// searched over s = 0 (no filtering) and s ∈ [0.2, max(1, min(W, H)/4)] by a
// 25-point log grid refined by golden-section search (see maximizeLog), with
// that mean PSNR. The images are filtered in parallel. It returns an error if
// the slices are empty or of different lengths, or if an image is nil,
// malformed, not finite or of another size than clean[0].
func BestGaussian(clean, noisy []*field.Field) (Baseline, error) {
	w, h, err := checkSet(clean, noisy)
	if err != nil {
		return Baseline{}, err
	}
	n := len(clean)
	workers := numWorkers(n)
	bufs := make([][]float64, workers)
	for i := range bufs {
		bufs[i] = make([]float64, w*h)
	}
	meanPSNR := func(s float64) float64 {
		if s == 0 {
			return meanOver(n, workers, func(_, i int) float64 { return psnr(clean[i].Data, noisy[i].Data) })
		}
		g := gaussianKernel(s)
		return meanOver(n, workers, func(wk, i int) float64 {
			gaussianFilter(bufs[wk], noisy[i].Data, w, h, g)
			return psnr(clean[i].Data, bufs[wk])
		})
	}
	hi := max(1, float64(min(w, h))/4)
	s, p := maximizeLog(meanPSNR, gaussianMinStd, hi, searchGrid, searchTol)
	return Baseline{Name: "gaussian", Param: s, PSNR: p}, nil
}

// BestWaveletThreshold tunes WaveletSoftThreshold(·, w, levels, t) on the
// pairs (clean[i], noisy[i]) with the clean images as oracle: it returns the
// threshold t maximising the mean PSNR over the images, with that mean PSNR.
// The search covers t = 0 and t ∈ [t_max/1000, t_max], with
// t_max = 5·max_i σ̂_i and σ̂_i the EstimateNoiseMAD estimate of noisy_i, by a
// 25-point log grid refined by golden-section search (see maximizeLog).
//
// Since the DWT is orthogonal, ‖x̂ − x‖ equals the distance between the
// thresholded noisy coefficients and the clean coefficients (Parseval), so
// the search transforms every image once and measures the error in the
// wavelet domain; the transforms run in parallel. Besides the errors of
// BestGaussian it returns those of wavelet.NewTransform, and an error if
// levels < 1 (there would be no detail to threshold).
func BestWaveletThreshold(clean, noisy []*field.Field, w *wavelet.Wavelet, levels int) (Baseline, error) {
	width, height, err := checkSet(clean, noisy)
	if err != nil {
		return Baseline{}, err
	}
	if levels < 1 {
		return Baseline{}, fmt.Errorf("denoise: %d wavelet levels; soft thresholding needs at least 1", levels)
	}
	n := len(clean)
	workers := numWorkers(n)
	trs := make([]*wavelet.Transform, workers)
	for wk := range trs {
		if trs[wk], err = wavelet.NewTransform(w, width, height, levels); err != nil {
			return Baseline{}, err
		}
	}
	// The finest level of the Mallat layout is that of the one-level
	// transform, so D₁ is read from the levels-level coefficients.
	cleanC := make([][]float64, n)
	noisyC := make([][]float64, n)
	sigma := make([]float64, n)
	meanOver(n, workers, func(wk, i int) float64 {
		cleanC[i] = make([]float64, width*height)
		noisyC[i] = make([]float64, width*height)
		// The sizes match the plan, so Forward cannot fail.
		_ = trs[wk].Forward(cleanC[i], clean[i].Data)
		_ = trs[wk].Forward(noisyC[i], noisy[i].Data)
		sigma[i] = madSigma(noisyC[i], width, height)
		return 0
	})
	sigmaMax := 0.0
	for _, s := range sigma {
		sigmaMax = max(sigmaMax, s)
	}
	name := "soft-" + w.Name
	size := width * height
	meanPSNR := func(t float64) float64 {
		return meanOver(n, workers, func(_, i int) float64 {
			e := 0.0
			aw, ah := width>>levels, height>>levels
			for y := range height {
				for x := range width {
					k := y*width + x
					v := noisyC[i][k]
					if x >= aw || y >= ah {
						v = softThreshold(v, t)
					}
					d := v - cleanC[i][k]
					e += d * d
				}
			}
			return psnrFromSSE(e, size)
		})
	}
	if !(sigmaMax > 0) {
		return Baseline{Name: name, Param: 0, PSNR: meanPSNR(0)}, nil
	}
	tMax := thresholdMaxSigmas * sigmaMax
	t, p := maximizeLog(meanPSNR, tMax/thresholdRange, tMax, searchGrid, searchTol)
	return Baseline{Name: name, Param: t, PSNR: p}, nil
}
