package denoise

import (
	"fmt"
	"math"

	"scalewise/engine/field"
)

// MaxGaussianStd bounds the standard deviation accepted by GaussianFilter.
const MaxGaussianStd = 256

// GaussianFilter returns y smoothed by a Gaussian of standard deviation s
// pixels. The filter is separable: every row and then every column is
// convolved with the sampled kernel
//
//	g[k] = exp(−k²/(2s²)) / Σ_{|m|≤r} exp(−m²/(2s²)),   |k| ≤ r = ⌈4s⌉,
//
// (the Gaussian truncated at 4s and normalised to unit sum). Beyond the
// image the signal is extended by half-sample symmetric reflection,
// y[−1−i] = y[i] and y[N+i] = y[N−1−i], repeated with period 2N when the
// kernel is longer than the image. With this extension the filter preserves
// constants and the image mean exactly; on white noise of variance σ² far
// from the border it leaves variance σ²·(Σ_k g[k]²)².
//
// s = 0 returns a copy of y. It returns an error if y is nil or malformed,
// or if s is NaN, negative or above MaxGaussianStd.
func GaussianFilter(y *field.Field, s float64) (*field.Field, error) {
	if err := checkField(y, "image"); err != nil {
		return nil, err
	}
	if math.IsNaN(s) || !(s >= 0 && s <= MaxGaussianStd) {
		return nil, fmt.Errorf("denoise: Gaussian std %v outside [0, %d]", s, MaxGaussianStd)
	}
	out := y.Clone()
	if s == 0 {
		return out, nil
	}
	gaussianFilter(out.Data, y.Data, y.W, y.H, gaussianKernel(s))
	return out, nil
}

// gaussianKernel returns the normalised kernel g[0..2r] of GaussianFilter,
// g[r] being the centre tap (s > 0).
func gaussianKernel(s float64) []float64 {
	r := int(math.Ceil(4 * s))
	g := make([]float64, 2*r+1)
	sum := 0.0
	for k := range g {
		d := float64(k - r)
		g[k] = math.Exp(-d * d / (2 * s * s))
		sum += g[k]
	}
	for k := range g {
		g[k] /= sum
	}
	return g
}

// reflectIndex returns the index in [0, n) of the half-sample symmetric,
// 2n-periodic extension at position i.
func reflectIndex(i, n int) int {
	m := i % (2 * n)
	if m < 0 {
		m += 2 * n
	}
	if m >= n {
		m = 2*n - 1 - m
	}
	return m
}

// gaussianFilter writes into dst (w·h values, may not alias src) the
// separable filtering of src by kernel g with reflection at the borders.
func gaussianFilter(dst, src []float64, w, h int, g []float64) {
	tmp := make([]float64, w*h)
	line := make([]float64, max(w, h))
	out := make([]float64, max(w, h))
	for y := range h {
		copy(line, src[y*w:(y+1)*w])
		convolveReflect(tmp[y*w:(y+1)*w], line[:w], g)
	}
	for x := range w {
		for y := range h {
			line[y] = tmp[y*w+x]
		}
		convolveReflect(out[:h], line[:h], g)
		for y := range h {
			dst[y*w+x] = out[y]
		}
	}
}

// convolveReflect writes dst[i] = Σ_k g[k]·x[refl(i + k − r)], r = len(g)/2,
// with the reflected extension of x (len(dst) = len(x)).
func convolveReflect(dst, x, g []float64) {
	n, r := len(x), len(g)/2
	for i := range dst {
		s := 0.0
		lo, hi := i-r, i+r
		if lo >= 0 && hi < n {
			for k, gk := range g {
				s += gk * x[lo+k]
			}
		} else {
			for k, gk := range g {
				s += gk * x[reflectIndex(lo+k, n)]
			}
		}
		dst[i] = s
	}
}
