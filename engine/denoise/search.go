package denoise

import "math"

// Parameters of the one-dimensional searches of BestGaussian and
// BestWaveletThreshold.
const (
	// searchGrid is the number of log-spaced grid points in [lo, hi].
	searchGrid = 25
	// searchTol is the final width, in natural-log units, of the
	// golden-section bracket (a relative precision of 0.1 % on the
	// parameter).
	searchTol = 1e-3
)

// invPhi is 1/φ = (√5 − 1)/2, the golden-section ratio.
var invPhi = (math.Sqrt(5) - 1) / 2

// maximizeLog returns the parameter p ∈ {0} ∪ [lo, hi] (0 < lo < hi) that
// maximises f, with f(p). f is evaluated at 0 and on the log grid
// p_k = lo·(hi/lo)^(k/(n−1)), k = 0..n−1; if the best grid point is p_k > 0,
// golden-section search (Kiefer, "Sequential minimax search for a maximum",
// Proc. AMS 4, 1953) on u = ln p refines it inside
// [ln p_(k−1), ln p_(k+1)] (clipped to the grid) until the bracket is
// narrower than tol. The best value ever evaluated is returned, so the
// result is never worse than the grid. NaN values count as −Inf; ties keep
// the smaller parameter.
func maximizeLog(f func(p float64) float64, lo, hi float64, n int, tol float64) (best, fbest float64) {
	eval := func(p float64) float64 {
		v := f(p)
		if math.IsNaN(v) {
			return math.Inf(-1)
		}
		return v
	}
	best, fbest = 0, eval(0)
	grid := make([]float64, n)
	kBest := -1
	for k := range grid {
		grid[k] = lo * math.Pow(hi/lo, float64(k)/float64(n-1))
		if v := eval(grid[k]); v > fbest {
			best, fbest, kBest = grid[k], v, k
		}
	}
	if kBest < 0 {
		return best, fbest
	}
	a := math.Log(grid[max(kBest-1, 0)])
	b := math.Log(grid[min(kBest+1, n-1)])
	c := b - invPhi*(b-a)
	d := a + invPhi*(b-a)
	fc, fd := eval(math.Exp(c)), eval(math.Exp(d))
	for _, pv := range [2][2]float64{{c, fc}, {d, fd}} {
		if pv[1] > fbest {
			best, fbest = math.Exp(pv[0]), pv[1]
		}
	}
	for b-a > tol {
		if fc >= fd {
			b, d, fd = d, c, fc
			c = b - invPhi*(b-a)
			fc = eval(math.Exp(c))
			if fc > fbest {
				best, fbest = math.Exp(c), fc
			}
		} else {
			a, c, fc = c, d, fd
			d = a + invPhi*(b-a)
			fd = eval(math.Exp(d))
			if fd > fbest {
				best, fbest = math.Exp(d), fd
			}
		}
	}
	return best, fbest
}
