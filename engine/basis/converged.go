package basis

import (
	"math"

	"gonum.org/v1/gonum/lapack/gonum"
)

// formulaTol is the smallest tolerance that converged checks by the
// interlacing formula of lastComponents.
const formulaTol = 1e-7

// converged reports whether, after m steps, every one of the top k Ritz
// pairs has its residual estimate |β_m·y_m| ≤ tol·max_i |θ_i|, with y_m
// from lastComponents, and returns the largest estimate. Since eigenvalue
// rounding limits those to about 1e-8, for tol < formulaTol, after a
// breakdown (T reducible) or when the formula fails it uses a full
// eigendecomposition (tridiagonal) instead.
func (l *lanczos) converged(m, k int, tol float64) (worst float64, ok bool, err error) {
	var ys []float64
	var scale float64
	formula := l.restarts == 0 && m >= 2 && tol >= formulaTol
	if formula {
		ys, scale, formula = l.lastComponents(m, k)
	}
	if !formula {
		theta, y, err := l.tridiagonal(m)
		if err != nil {
			return 0, false, err
		}
		ys = l.ys[:0]
		for r := range k {
			ys = append(ys, y.At(m-1, m-1-r))
		}
		scale = math.Max(math.Abs(theta[0]), math.Abs(theta[m-1]))
	}
	b := math.Abs(l.beta[m-1])
	for _, y := range ys {
		worst = math.Max(worst, b*math.Abs(y))
	}
	return worst, worst <= tol*scale, nil
}

// lastComponents returns |y_m| of the top k eigenvectors of the unreduced
// tridiagonal T_m (in descending order of eigenvalue) and max_i |θ_i|,
// from the eigenvalues θ of T_m and μ of its leading (m−1)×(m−1) block
// alone: the residue of (λI − T_m)⁻¹_mm = ∏_j (λ − μ_j) / ∏_j (λ − θ_j) at
// θ_i gives
//
//	y_m(θ_i)² = ∏_j (θ_i − μ_j) / ∏_{j≠i} (θ_i − θ_j)
//
// (Parlett, The Symmetric Eigenvalue Problem, §7.9): two O(m²) tridiagonal
// eigenvalue solves (LAPACK's dsterf, in gonum) instead of an O(m³)
// eigendecomposition. By Cauchy interlacing, θ_j ≤ μ_j ≤ θ_{j+1} (ascending
// order), so pairing μ_j with θ_j for j < i and with θ_{j+1} for j ≥ i
// makes every factor (θ_i − μ_j)/(θ_i − θ_·) a number in [0, 1]: the
// product is taken as it is, without logarithms, and cannot overflow. ok
// is false when a solve fails or the formula is not finite (equal
// eigenvalues).
func (l *lanczos) lastComponents(m, k int) (ys []float64, scale float64, ok bool) {
	impl := gonum.Implementation{}
	theta := append(l.theta[:0], l.alpha[:m]...)
	e := append(l.offd[:0], l.beta[:m-1]...)
	if !impl.Dsterf(m, theta, e) {
		return nil, 0, false
	}
	mu := append(l.mu[:0], l.alpha[:m-1]...)
	e = append(l.offd[:0], l.beta[:m-2]...)
	if !impl.Dsterf(m-1, mu, e) {
		return nil, 0, false
	}
	ys = l.ys[:0]
	for r := range k {
		i := m - 1 - r
		ti, p := theta[i], 1.0
		for j, u := range mu {
			t := theta[j]
			if j >= i {
				t = theta[j+1]
			}
			p *= (ti - u) / (ti - t)
		}
		y := math.Sqrt(math.Abs(p))
		if math.IsNaN(y) || y > 1+1e-6 {
			return nil, 0, false
		}
		ys = append(ys, y)
	}
	return ys, math.Max(math.Abs(theta[0]), math.Abs(theta[m-1])), true
}
