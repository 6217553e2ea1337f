package basis

import (
	"fmt"
	"math"
)

// SURE returns Stein's unbiased risk estimate of the per-pixel mean squared
// error E‖x̂(y) − x‖²/n of a denoiser x̂ at y = x + σz, z ~ N(0, I), without
// the clean image x (Stein, "Estimation of the mean of a multivariate
// normal distribution", Ann. Statist. 1981; the denoiser's divergence is
// tr J, Kadkhodaie et al., ICLR 2024, §3):
//
//	SURE = ‖y − x̂‖²/n − σ² + 2σ²·tr J/n.
//
// trace is tr J (exact or a Trace estimate, whose standard error carries
// over as 2σ²·SE/n); sigma must be finite and non-negative.
func SURE(y, xhat []float64, trace, sigma float64) (float64, error) {
	n := len(y)
	if n == 0 || len(xhat) != n {
		return 0, fmt.Errorf("basis: SURE of %d noisy and %d denoised values", n, len(xhat))
	}
	if math.IsNaN(sigma) || math.IsInf(sigma, 0) || sigma < 0 {
		return 0, fmt.Errorf("basis: SURE with sigma %v, want a finite σ ≥ 0", sigma)
	}
	if math.IsNaN(trace) || math.IsInf(trace, 0) {
		return 0, fmt.Errorf("basis: SURE with trace %v", trace)
	}
	r := 0.0
	for i, v := range y {
		d := v - xhat[i]
		r += d * d
	}
	fn, s2 := float64(n), sigma*sigma
	v := r/fn - s2 + 2*s2*trace/fn
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("basis: SURE is %v (non-finite images)", v)
	}
	return v, nil
}
