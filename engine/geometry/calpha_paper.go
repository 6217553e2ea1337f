package geometry

import (
	"math"
	"math/rand/v2"

	"scalewise/engine/field"
)

// cAlphaPaper implements CAlphaPaper (see CAlpha): Algorithm 2 of Kadkhodaie
// et al., ICLR 2024, App. E, with zero DC weights, the contour normalised to
// max |C| = N/4 about the middle row and the image min-max rescaled to [0, 1].
// It returns the image and the boundary N/2 + C(x) of every column.
func cAlphaPaper(rng *rand.Rand, n int, alpha, beta float64) (*field.Field, []float64) {
	c := filter1D(uniformNoise(rng, n, -0.5, 0.5), powerLaw1D(alpha, 0))
	b1 := paperBackground(rng, n, beta)
	b2 := paperBackground(rng, n, beta)

	peak := 0.0
	for _, v := range c {
		peak = math.Max(peak, math.Abs(v))
	}
	boundary := make([]float64, n)
	for x, v := range c {
		boundary[x] = float64(n) / 2
		if peak > 0 {
			boundary[x] += float64(n) / 4 * v / peak
		}
	}

	img := field.New(n, n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			i := y*n + x
			if float64(y)+0.5 > boundary[x] {
				img.Data[i] = b1[i]
			} else {
				img.Data[i] = b2[i]
			}
		}
	}
	rescale(img.Data, 0, 1)
	return img, boundary
}

// paperBackground returns B = IFFT((k1² + k2²)^(−β/2)·FFT(b)) with
// b ~ U[−0.5, 0.5]^(N×N) and zero DC weight (Kadkhodaie et al., ICLR 2024,
// App. E, Algorithm 2).
func paperBackground(rng *rand.Rand, n int, beta float64) []float64 {
	return filter2D(uniformNoise(rng, n*n, -0.5, 0.5), n, powerLaw2D(beta, 0))
}
