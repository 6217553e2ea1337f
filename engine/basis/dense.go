package basis

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Dense is an n×n matrix stored row-major (element (i, j) is a[i·n+j]) as
// an Operator: the exact reference for the matrix-free estimates, and the
// full Jacobian of a small net built by DenseOf.
type Dense struct {
	n int
	a []float64
}

// NewDense wraps a (not copied), which must hold n·n values, as an n×n
// Dense operator.
func NewDense(n int, a []float64) (*Dense, error) {
	if n < 1 || len(a) != n*n {
		return nil, fmt.Errorf("basis: %d values for a %d×%d matrix", len(a), n, n)
	}
	return &Dense{n: n, a: a}, nil
}

// DenseOf builds the matrix of op column by column, column j being A·e_j:
// n applications of op. ctx is checked before each.
func DenseOf(ctx context.Context, op Operator) (*Dense, error) {
	n, err := checkOperator(op)
	if err != nil {
		return nil, err
	}
	a := make([]float64, n*n)
	e, col := make([]float64, n), make([]float64, n)
	for j := range n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		e[j] = 1
		if err := op.Apply(col, e); err != nil {
			return nil, err
		}
		e[j] = 0
		for i, v := range col {
			a[i*n+j] = v
		}
	}
	return &Dense{n: n, a: a}, nil
}

// Dim returns n.
func (d *Dense) Dim() int { return d.n }

// At returns element (i, j).
func (d *Dense) At(i, j int) float64 { return d.a[i*d.n+j] }

// Apply sets dst = A·x.
func (d *Dense) Apply(dst, x []float64) error {
	if err := checkVecs("dense matrix", d.n, dst, x); err != nil {
		return err
	}
	for i := range dst {
		dst[i] = dot(d.a[i*d.n:(i+1)*d.n], x)
	}
	return nil
}

// ApplyT sets dst = Aᵀ·x.
func (d *Dense) ApplyT(dst, x []float64) error {
	if err := checkVecs("dense matrix", d.n, dst, x); err != nil {
		return err
	}
	clear(dst)
	for i, xi := range x {
		axpy(dst, xi, d.a[i*d.n:(i+1)*d.n])
	}
	return nil
}

// Trace returns tr A = Σ_i A_ii, the effective dimension of a denoiser's
// Jacobian (Kadkhodaie et al., ICLR 2024, §3).
func (d *Dense) Trace() float64 {
	t := 0.0
	for i := range d.n {
		t += d.a[i*d.n+i]
	}
	return t
}

// AntisymmetryRatio returns ‖(A − Aᵀ)/2‖_F / ‖A‖_F (0 for a symmetric A,
// NaN for A = 0), the exact value that Antisymmetry estimates.
func (d *Dense) AntisymmetryRatio() float64 {
	num, den := 0.0, 0.0
	for i := range d.n {
		for j := range d.n {
			v := d.a[i*d.n+j]
			h := 0.5 * (v - d.a[j*d.n+i])
			num += h * h
			den += v * v
		}
	}
	return math.Sqrt(num / den)
}

// SymmetricEigen returns all eigenvalues of the symmetric part
// S = (A + Aᵀ)/2 in descending order and the matching orthonormal
// eigenvectors (vecs[i] for vals[i]), by gonum's dense symmetric
// eigensolver (whose values come in ascending order): the oracle for
// Lanczos. Each eigenvector's sign is fixed as in Lanczos.
func (d *Dense) SymmetricEigen() (vals []float64, vecs [][]float64, err error) {
	n := d.n
	s := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			s.SetSym(i, j, 0.5*(d.a[i*n+j]+d.a[j*n+i]))
		}
	}
	var es mat.EigenSym
	if !es.Factorize(s, true) {
		return nil, nil, fmt.Errorf("basis: symmetric eigendecomposition of a %d×%d matrix failed", n, n)
	}
	asc := es.Values(nil)
	var ev mat.Dense
	es.VectorsTo(&ev)
	vals = make([]float64, n)
	vecs = make([][]float64, n)
	for r := range n {
		c := n - 1 - r
		vals[r] = asc[c]
		vecs[r] = mat.Col(nil, c, &ev)
		fixSign(vecs[r])
	}
	return vals, vecs, nil
}
