package geometry

import (
	"math"
	"math/rand/v2"
)

// uniformNoise returns n i.i.d. samples of U[lo, hi).
func uniformNoise(rng *rand.Rand, n int, lo, hi float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = lo + (hi-lo)*rng.Float64()
	}
	return out
}

// powerLaw1D returns the weight w(k) = |k|^(−a) for k ≠ 0 and w(0) = dc: the
// one-dimensional fractional integration of order a (Kadkhodaie et al.,
// ICLR 2024, App. E, Algorithm 2).
func powerLaw1D(a, dc float64) func(k int) float64 {
	return func(k int) float64 {
		if k == 0 {
			return dc
		}
		return math.Pow(math.Abs(float64(k)), -a)
	}
}

// powerLaw2D returns the radial weight w(k1, k2) = (k1² + k2²)^(−a/2) for
// (k1, k2) ≠ 0 and w(0, 0) = dc (Kadkhodaie et al., ICLR 2024, App. E,
// Algorithm 2).
func powerLaw2D(a, dc float64) func(k1, k2 int) float64 {
	return func(k1, k2 int) float64 {
		if k1 == 0 && k2 == 0 {
			return dc
		}
		r2 := float64(k1*k1 + k2*k2)
		return math.Pow(r2, -a/2)
	}
}

// rescale maps v affinely, in place, so that its minimum becomes lo and its
// maximum hi: v ← lo + (hi − lo)·(v − min v)/(max v − min v). A constant v
// becomes lo everywhere.
func rescale(v []float64, lo, hi float64) {
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		mn = math.Min(mn, x)
		mx = math.Max(mx, x)
	}
	span := mx - mn
	for i, x := range v {
		t := 0.0
		if span > 0 {
			t = (x - mn) / span
		}
		// Clamp the rounding of t so the result stays inside [lo, hi].
		t = math.Min(math.Max(t, 0), 1)
		v[i] = lo + (hi-lo)*t
	}
}
