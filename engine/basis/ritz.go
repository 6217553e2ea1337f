package basis

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/gonum"
	"gonum.org/v1/gonum/mat"
)

// tridiagonal diagonalises the m×m tridiagonal T_m of the first m steps:
// its eigenvalues θ in ascending order and eigenvectors y (columns), by
// the implicit QL/QR iteration on T itself (LAPACK's dsteqr, in gonum),
// which skips the reduction to tridiagonal form that a dense symmetric
// eigensolver would redo.
func (l *lanczos) tridiagonal(m int) ([]float64, *mat.Dense, error) {
	d := append([]float64(nil), l.alpha[:m]...)
	e := append([]float64(nil), l.beta[:max(m-1, 0)]...)
	z := make([]float64, m*m)
	work := make([]float64, max(1, 2*m-2))
	if !(gonum.Implementation{}).Dsteqr(lapack.EVTridiag, m, d, e, z, m, work) {
		return nil, nil, fmt.Errorf("basis: eigendecomposition of the %d×%d Lanczos tridiagonal failed", m, m)
	}
	return d, mat.NewDense(m, m, z), nil
}

// ritzVectorsPerStep is the number of Ritz vectors Q·y_i a LanczosRun
// Step computes (k·m·n/ritzVectorsPerStep flops a step).
const ritzVectorsPerStep = 8

// ritz returns the top k Ritz values after m steps with their Lanczos
// residual estimates |β_m·y_m|, the eigenvectors y of T_m and max_i |θ_i|;
// the Eigen's Vectors are allocated but zero (ritzVectors fills them).
func (l *lanczos) ritz(k, m int) (*Eigen, *mat.Dense, float64, error) {
	theta, y, err := l.tridiagonal(m)
	if err != nil {
		return nil, nil, 0, err
	}
	e := &Eigen{Values: make([]float64, k), Vectors: make([][]float64, k), Residuals: make([]float64, k),
		Krylov: m, Restarts: l.restarts, Applies: m}
	vecs := make([]float64, k*l.n)
	for r := range k {
		c := m - 1 - r
		e.Values[r] = theta[c]
		e.Residuals[r] = math.Abs(l.beta[m-1] * y.At(m-1, c))
		e.Vectors[r] = vecs[r*l.n : (r+1)*l.n : (r+1)*l.n]
	}
	return e, y, math.Max(math.Abs(theta[0]), math.Abs(theta[m-1])), nil
}

// ritzVectors sets e.Vectors[r] = Q·y_{m−1−r} for r in [from, to), four
// rows of Q per sweep over the vector, and fixes their signs.
func (l *lanczos) ritzVectors(e *Eigen, y *mat.Dense, from, to int) {
	m := e.Krylov
	for r := from; r < to; r++ {
		c, v := m-1-r, e.Vectors[r]
		j := 0
		for ; j+4 <= m; j += 4 {
			axpy4(v, y.At(j, c), y.At(j+1, c), y.At(j+2, c), y.At(j+3, c), l.row(j), l.row(j+1), l.row(j+2), l.row(j+3))
		}
		for ; j < m; j++ {
			axpy(v, y.At(j, c), l.row(j))
		}
		fixSign(v)
	}
}

// explicitResiduals sets e.Residuals[i] = ‖S·e_i − λ_i·e_i‖, calling
// progress(i+1) after each.
func explicitResiduals(ctx context.Context, s Operator, e *Eigen, progress func(int)) error {
	if len(e.Vectors) == 0 {
		return nil
	}
	tmp := make([]float64, len(e.Vectors[0]))
	for i, v := range e.Vectors {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.Apply(tmp, v); err != nil {
			return fmt.Errorf("basis: residual %d: %w", i+1, err)
		}
		e.Applies++
		axpy(tmp, -e.Values[i], v)
		e.Residuals[i] = nrm2(tmp)
		progress(i + 1)
	}
	return nil
}

// fixSign negates v unless its largest-magnitude entry (the first among
// ties) is positive, so that eigenvectors have a reproducible sign.
func fixSign(v []float64) {
	best, at := -1.0, 0
	for i, x := range v {
		if a := math.Abs(x); a > best {
			best, at = a, i
		}
	}
	if len(v) > 0 && v[at] < 0 {
		scal(v, -1)
	}
}
