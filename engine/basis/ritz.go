package basis

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// tridiagonal diagonalises the m×m tridiagonal T_m of the first m steps:
// its eigenvalues θ in ascending order and eigenvectors y (columns).
func (l *lanczos) tridiagonal(m int) ([]float64, *mat.Dense, error) {
	t := mat.NewSymDense(m, nil)
	for j := range m {
		t.SetSym(j, j, l.alpha[j])
		if j+1 < m {
			t.SetSym(j, j+1, l.beta[j])
		}
	}
	var es mat.EigenSym
	if !es.Factorize(t, true) {
		return nil, nil, fmt.Errorf("basis: eigendecomposition of the %d×%d Lanczos tridiagonal failed", m, m)
	}
	var y mat.Dense
	es.VectorsTo(&y)
	return es.Values(nil), &y, nil
}

// ritz returns the top k Ritz pairs after m steps with their Lanczos
// residual estimates |β_m·y_m|, and max_i |θ_i|.
func (l *lanczos) ritz(k, m int) (*Eigen, float64, error) {
	theta, y, err := l.tridiagonal(m)
	if err != nil {
		return nil, 0, err
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
	for j := range m {
		q := l.row(j)
		for r := range k {
			axpy(e.Vectors[r], y.At(j, m-1-r), q)
		}
	}
	for _, v := range e.Vectors {
		fixSign(v)
	}
	return e, math.Max(math.Abs(theta[0]), math.Abs(theta[m-1])), nil
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
