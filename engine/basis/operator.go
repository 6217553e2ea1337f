package basis

import "fmt"

// Operator is a linear map A of Rⁿ given by its action and its transpose's:
// Apply sets dst = A·x and ApplyT sets dst = Aᵀ·x. dst and x hold Dim()
// values each and must not overlap. In this package A is the Jacobian
// J(y) = ∇x̂(y) of a denoiser at y (Kadkhodaie et al., ICLR 2024, §3).
type Operator interface {
	Dim() int
	Apply(dst, x []float64) error
	ApplyT(dst, x []float64) error
}

// checkVecs returns an error unless dst and x hold n values each.
func checkVecs(what string, n int, dst, x []float64) error {
	if len(dst) != n || len(x) != n {
		return fmt.Errorf("basis: %s of dimension %d given x of %d and dst of %d values", what, n, len(x), len(dst))
	}
	return nil
}

// checkOperator returns an error unless op is non-nil with a positive
// dimension.
func checkOperator(op Operator) (int, error) {
	if op == nil {
		return 0, fmt.Errorf("basis: nil operator")
	}
	n := op.Dim()
	if n < 1 {
		return 0, fmt.Errorf("basis: operator of dimension %d", n)
	}
	return n, nil
}
