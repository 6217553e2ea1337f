package denoise

import (
	"fmt"
	"math"
	"slices"

	"scalewise/engine/field"
	"scalewise/engine/wavelet"
)

// madScale is Φ⁻¹(3/4) ≈ 0.6745, the median of |z| for z ~ N(0, 1).
const madScale = 0.6744897501960817

// EstimateNoiseMAD returns the robust estimate of the standard deviation of
// additive white Gaussian noise in y of Donoho and Johnstone (Biometrika
// 81(3), 1994, §4.2):
//
//	σ̂ = median(|D₁|)/0.6745,
//
// D₁ being the finest diagonal band (high-pass in x and in y) of the
// one-level periodic orthogonal DWT of y with wavelet w. On pure noise of
// standard deviation σ the band is N(0, σ²) i.i.d., so σ̂ → σ; the signal
// adds only a few large coefficients, to which the median is insensitive.
// It returns an error if y is nil, malformed or not finite, or if w is
// invalid or y has an odd size.
func EstimateNoiseMAD(y *field.Field, w *wavelet.Wavelet) (float64, error) {
	if err := checkField(y, "image"); err != nil {
		return 0, err
	}
	if err := y.CheckFinite(); err != nil {
		return 0, fmt.Errorf("denoise: image: %w", err)
	}
	tr, err := wavelet.NewTransform(w, y.W, y.H, 1)
	if err != nil {
		return 0, err
	}
	c := make([]float64, len(y.Data))
	if err := tr.Forward(c, y.Data); err != nil {
		return 0, err
	}
	return madSigma(c, y.W, y.H), nil
}

// madSigma returns median(|D₁|)/0.6745 for the one-level Mallat layout c of a
// w×h field (D₁ is the bottom-right (w/2)×(h/2) block).
func madSigma(c []float64, w, h int) float64 {
	d := make([]float64, 0, (w/2)*(h/2))
	for y := h / 2; y < h; y++ {
		for x := w / 2; x < w; x++ {
			d = append(d, math.Abs(c[y*w+x]))
		}
	}
	slices.Sort(d)
	n := len(d)
	med := d[n/2]
	if n%2 == 0 {
		med = (d[n/2-1] + d[n/2]) / 2
	}
	return med / madScale
}
