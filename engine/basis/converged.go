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
// from lastComponents. Since eigenvalue rounding limits those to about
// 1e-8, for tol < formulaTol, after a breakdown (T reducible) or when the
// formula fails it uses a full eigendecomposition (mat.EigenSym) instead.
func (l *lanczos) converged(m, k int, tol float64) (bool, error) {
	var ys []float64
	var scale float64
	ok := l.restarts == 0 && m >= 2 && tol >= formulaTol
	if ok {
		ys, scale, ok = l.lastComponents(m, k)
	}
	if !ok {
		theta, y, err := l.tridiagonal(m)
		if err != nil {
			return false, err
		}
		ys = l.ys[:0]
		for r := range k {
			ys = append(ys, y.At(m-1, m-1-r))
		}
		scale = math.Max(math.Abs(theta[0]), math.Abs(theta[m-1]))
	}
	b := math.Abs(l.beta[m-1])
	for _, y := range ys {
		if b*math.Abs(y) > tol*scale {
			return false, nil
		}
	}
	return true, nil
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
// eigendecomposition. ok is false when a solve fails or the formula is not
// finite (equal eigenvalues).
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
		ls := 0.0
		for _, u := range mu {
			ls += math.Log(math.Abs(theta[i] - u))
		}
		for j, t := range theta {
			if j != i {
				ls -= math.Log(math.Abs(theta[i] - t))
			}
		}
		y := math.Exp(ls / 2)
		if math.IsNaN(y) || y > 1+1e-6 {
			return nil, 0, false
		}
		ys = append(ys, y)
	}
	return ys, math.Max(math.Abs(theta[0]), math.Abs(theta[m-1])), true
}
