package geometry

import (
	"math"
	"math/rand/v2"

	"scalewise/engine/field"
)

// cAlphaCode implements CAlphaCode (see CAlpha), the variant of the authors'
// make_C_alpha_images. It returns the image and the integer contour row of
// every column (as float64).
func cAlphaCode(rng *rand.Rand, n int, alpha, beta float64) (*field.Field, []float64) {
	c := filter1D(uniformNoise(rng, n, -1, 1), powerLaw1D(alpha, 1))
	b1 := codeBackground(rng, n, beta)
	b2 := codeBackground(rng, n, beta)
	u1, u2 := rng.Float64(), rng.Float64()
	if rng.IntN(2) == 0 {
		rescale(b1, u1, 1)
		rescale(b2, 0, u2)
	} else {
		rescale(b1, 0, u2)
		rescale(b2, u1, 1)
	}

	rows := make([]float64, n)
	mask := make([]float64, n*n)
	for x, v := range c {
		r := int(math.RoundToEven(v*float64(n))) + n/2
		r = min(max(r, 0), n)
		rows[x] = float64(r)
		for y := r; y < n; y++ {
			mask[y*n+x] = 1
		}
	}
	m := boxBlur2x2(mask, n)

	img := field.New(n, n)
	for i := range img.Data {
		img.Data[i] = m[i]*b1[i] + (1-m[i])*b2[i]
	}
	return img, rows
}

// codeBackground returns B = Re IDFT₂(w·DFT₂(b)) with b ~ U[−1, 1]^(N×N),
// w(k1, k2) = (k1² + k2²)^(−β/2) and w(0, 0) = 1, the value at |k| = 1 (the
// authors' make_C_alpha_images).
func codeBackground(rng *rand.Rand, n int, beta float64) []float64 {
	return filter2D(uniformNoise(rng, n*n, -1, 1), n, powerLaw2D(beta, 1))
}

// boxBlur2x2 returns the 2×2 box average of the n×n row-major field m with
// stride 1 and reflect padding: out(x, y) = ¼ Σ_{dx, dy ∈ {−1, 0}}
// m(x+dx, y+dy), where index −1 is reflected to 1. This equals padding m by
// one reflected pixel on every side, averaging 2×2 windows and cropping the
// last row and column, as in the authors' make_C_alpha_images. n ≥ 2.
func boxBlur2x2(m []float64, n int) []float64 {
	prev := func(i int) int {
		if i == 0 {
			return 1
		}
		return i - 1
	}
	out := make([]float64, n*n)
	for y := 0; y < n; y++ {
		yp := prev(y)
		for x := 0; x < n; x++ {
			xp := prev(x)
			out[y*n+x] = (m[y*n+x] + m[y*n+xp] + m[yp*n+x] + m[yp*n+xp]) / 4
		}
	}
	return out
}
