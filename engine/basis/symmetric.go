package basis

import "errors"

// Symmetric is the symmetric part S = (A + Aᵀ)/2 of an Operator A, applied
// as S·x = (A·x + Aᵀ·x)/2; S = Sᵀ, so ApplyT is Apply. For a denoiser's
// Jacobian J, S is the operator whose eigenvectors are the
// geometry-adaptive harmonic basis (Kadkhodaie et al., ICLR 2024, §3). Not
// safe for concurrent use (it keeps one scratch vector).
type Symmetric struct {
	a   Operator
	tmp []float64
}

// SymmetricPart returns S = (A + Aᵀ)/2 for a (for a nil a, an operator of
// dimension 0 whose Apply fails).
func SymmetricPart(a Operator) *Symmetric {
	return &Symmetric{a: a}
}

// Dim returns the dimension of A.
func (s *Symmetric) Dim() int {
	if s.a == nil {
		return 0
	}
	return s.a.Dim()
}

// Apply sets dst = (A·x + Aᵀ·x)/2.
func (s *Symmetric) Apply(dst, x []float64) error {
	n := s.Dim()
	if n == 0 {
		return errors.New("basis: symmetric part of a nil or empty operator")
	}
	if err := checkVecs("symmetric part", n, dst, x); err != nil {
		return err
	}
	if len(s.tmp) != n {
		s.tmp = make([]float64, n)
	}
	if err := s.a.Apply(dst, x); err != nil {
		return err
	}
	if err := s.a.ApplyT(s.tmp, x); err != nil {
		return err
	}
	for i, v := range s.tmp {
		dst[i] = 0.5 * (dst[i] + v)
	}
	return nil
}

// ApplyT is Apply: S is symmetric.
func (s *Symmetric) ApplyT(dst, x []float64) error { return s.Apply(dst, x) }
