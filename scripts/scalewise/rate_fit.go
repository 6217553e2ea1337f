package main

import (
	"fmt"
	"math"

	"scalewise/engine/denoise"
)

// slopeFit is a least-squares line (package denoise).
type slopeFit = denoise.SlopeFit

// fitSlope fits y ≈ a + b·x by least squares:
//
//	b = Sxy/Sxx,  a = ȳ − b·x̄,  SE(b) = √(RSS/(n − 2) / Sxx),
//
// with Sxx = Σ(x_k − x̄)², Sxy = Σ(x_k − x̄)(y_k − ȳ) and RSS = Σ(y_k − a −
// b·x_k)², the textbook standard error under independent errors of equal
// variance. It needs n ≥ 3 finite points with distinct x (a standard
// error needs a residual degree of freedom).
func fitSlope(xs, ys []float64) (slopeFit, error) {
	n := len(xs)
	if n != len(ys) {
		return slopeFit{}, fmt.Errorf("fit: %d x values and %d y values", n, len(ys))
	}
	if n < 3 {
		return slopeFit{}, fmt.Errorf("fit: %d points, want at least 3 (a slope's standard error needs one residual degree of freedom)", n)
	}
	mx, my := 0.0, 0.0
	for k := range xs {
		if !isFinite(xs[k]) || !isFinite(ys[k]) {
			return slopeFit{}, fmt.Errorf("fit: point %d is (%v, %v), not finite", k, xs[k], ys[k])
		}
		mx += xs[k]
		my += ys[k]
	}
	mx /= float64(n)
	my /= float64(n)
	sxx, sxy := 0.0, 0.0
	for k := range xs {
		sxx += (xs[k] - mx) * (xs[k] - mx)
		sxy += (xs[k] - mx) * (ys[k] - my)
	}
	if !(sxx > 0) {
		return slopeFit{}, fmt.Errorf("fit: all %d points have x = %g", n, mx)
	}
	b := sxy / sxx
	a := my - b*mx
	rss := 0.0
	for k := range xs {
		e := ys[k] - a - b*xs[k]
		rss += e * e
	}
	return slopeFit{Slope: b, SlopeSE: math.Sqrt(rss / float64(n-2) / sxx), Intercept: a, Points: n}, nil
}

// theorySlope is α/(α+1), the slope of the minimax PSNR_out against
// PSNR_in = −20·log10 σ on C^α images (a C^α curve separating two C^α
// regions): the optimal MSE decays like σ^{2α/(α+1)} (Korostelev and
// Tsybakov 1993; Dossal, Le Pennec, Peyré and Mallat 2005 for the bound on
// bandlet estimators; Kadkhodaie, Guth, Simoncelli and Mallat, ICLR 2024,
// §3), so PSNR_out = −10·log10 MSE rises by α/(α+1) dB per dB of PSNR_in.
func theorySlope(alpha float64) float64 { return alpha / (alpha + 1) }

// paperSlopes are the slopes Kadkhodaie et al. (ICLR 2024, §3 and their
// appendix) measured for their nets trained on C^α images.
var paperSlopes = map[float64]float64{1: 0.46, 2: 0.61, 3: 0.75, 5: 0.83}

// paperSlope returns the published slope for α, or nil where none was
// published.
func paperSlope(alpha float64) *float64 {
	if v, ok := paperSlopes[alpha]; ok {
		return &v
	}
	return nil
}
