package denoise

import (
	"fmt"
	"math"

	"scalewise/engine/field"
	"scalewise/engine/wavelet"
)

// WaveletSoftThreshold returns the wavelet shrinkage estimate of Donoho and
// Johnstone (Biometrika 81(3), 1994; IEEE Trans. Inf. Theory 41(3), 1995):
// with c the levels-level periodic orthogonal DWT of y (wavelet w, Mallat
// layout, see wavelet.Transform), every detail coefficient is soft
// thresholded,
//
//	η_t(c) = sign(c)·max(|c| − t, 0),
//
// the coarse approximation x_J (the top-left (W/2^J)×(H/2^J) block) is kept,
// and the result is the inverse DWT. t = 0 (or levels = 0) returns y up to
// rounding; t ≥ max |detail| returns the projection of y on V_J.
//
// It returns an error if y is nil or malformed, if t is NaN, infinite or
// negative, or under the conditions of wavelet.NewTransform (unknown or
// invalid w, negative levels, sizes not divisible by 2^levels).
func WaveletSoftThreshold(y *field.Field, w *wavelet.Wavelet, levels int, t float64) (*field.Field, error) {
	if err := checkField(y, "image"); err != nil {
		return nil, err
	}
	if err := checkThreshold(t); err != nil {
		return nil, err
	}
	tr, err := wavelet.NewTransform(w, y.W, y.H, levels)
	if err != nil {
		return nil, err
	}
	out := field.New(y.W, y.H)
	if err := tr.Forward(out.Data, y.Data); err != nil {
		return nil, err
	}
	softThresholdDetails(out.Data, out.Data, y.W, y.H, levels, t)
	if err := tr.Inverse(out.Data, out.Data); err != nil {
		return nil, err
	}
	return out, nil
}

// checkThreshold returns an error unless t is finite and non-negative.
func checkThreshold(t float64) error {
	if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
		return fmt.Errorf("denoise: threshold %v must be finite and non-negative", t)
	}
	return nil
}

// softThresholdDetails writes into dst the Mallat-layout coefficients c with
// every detail coefficient soft thresholded by t and the top-left
// (w>>levels)×(h>>levels) block copied. dst may be c.
func softThresholdDetails(dst, c []float64, w, h, levels int, t float64) {
	aw, ah := w>>levels, h>>levels
	for y := range h {
		for x := range w {
			i := y*w + x
			v := c[i]
			if x >= aw || y >= ah {
				v = softThreshold(v, t)
			}
			dst[i] = v
		}
	}
}

// softThreshold returns η_t(v) = sign(v)·max(|v| − t, 0).
func softThreshold(v, t float64) float64 {
	switch {
	case v > t:
		return v - t
	case v < -t:
		return v + t
	}
	return 0
}
