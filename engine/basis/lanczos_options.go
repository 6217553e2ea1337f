package basis

import (
	"fmt"
	"math"
)

// MaxKrylovValues bounds Krylov·Dim, the float64 values of the Lanczos
// basis Q (1 GiB).
const MaxKrylovValues = 1 << 27

// LanczosOptions configures Lanczos.
type LanczosOptions struct {
	// Krylov is the largest Krylov dimension m, the most Lanczos steps
	// (each one application of the operator), k ≤ m ≤ n; 0 means
	// DefaultKrylov(n, k).
	Krylov int
	// Tol stops the iteration early, once every top-k Ritz pair has its
	// residual estimate |β_j·y_j| ≤ Tol·max|θ| (checked at step k, then
	// every fourth step, by the eigenvalues of T_j alone; see converged);
	// 0 means DefaultTol, a negative Tol runs all Krylov steps. Below about
	// 1e-7 the checks need a full O(j³) eigendecomposition of T_j, and the
	// float32 rounding of a net's Jacobian products (residuals near 2e-7
	// relative) may never let the pairs reach it.
	Tol float64
	// Seed draws the Gaussian start vector (and the restart vectors after
	// a breakdown), so equal seeds give equal results.
	Seed uint64
	// ExplicitResiduals computes ‖S·e − λ·e‖ for every pair by k more
	// applications of S, instead of the Lanczos estimate |β_m·y_m|.
	ExplicitResiduals bool
	// Progress, if not nil, is called after every Lanczos step (and every
	// explicit residual).
	Progress func(LanczosProgress)
}

// LanczosProgress reports a Lanczos run: Step operator applications done
// of at most Total (fewer when the pairs converge early), and Beta, the
// norm β_j of the last step's new direction (near 0 at an invariant
// subspace).
type LanczosProgress struct {
	Step, Total int
	Beta        float64
}

// DefaultTol is the default LanczosOptions.Tol, 1e-6: above the float32
// rounding of a net's Jacobian-vector products (residuals of about 2e-7
// relative), and small enough that eigenvectors separated by a relative
// gap g are found to about 1e-6/g in angle.
const DefaultTol = 1e-6

// DefaultKrylov returns the default largest Krylov dimension,
// min(n, 2k + 400). The usual 2k + 20 is far too small for a denoiser's
// Jacobian: the top of its spectrum is a cluster of about tr J eigenvalues
// near 1 (gaps of 1e-3) above a bulk near 0, which Lanczos resolves as a
// whole before its top pairs converge. Measured with the shipped nets at
// σ = 0.1: the top 16 at 32×32 (tr J ≈ 80) converge in about 120 steps; the
// top 32 and 64 at 64×64 in about 290 and 330 steps, where 2k + 20 steps
// leave λ_32 and λ_64 wrong by 30 % and 40 %. The run stops as soon as the
// pairs have converged (LanczosOptions.Tol), so the bound costs memory
// (m·n float64) more than time.
func DefaultKrylov(n, k int) int { return min(n, 2*k+400) }

// krylov checks k and o against the dimension n and returns m.
func (o LanczosOptions) krylov(n, k int) (int, error) {
	if k < 1 || k > n {
		return 0, fmt.Errorf("basis: %d eigenpairs of a %d-dimensional operator (want 1 to %d)", k, n, n)
	}
	if math.IsNaN(o.Tol) || math.IsInf(o.Tol, 0) {
		return 0, fmt.Errorf("basis: Lanczos tolerance %v", o.Tol)
	}
	m := o.Krylov
	if m == 0 {
		m = DefaultKrylov(n, k)
	}
	if m < k || m > n {
		return 0, fmt.Errorf("basis: Krylov dimension %d for %d eigenpairs of dimension %d (want %d to %d)", m, k, n, k, n)
	}
	if m > MaxKrylovValues/n {
		return 0, fmt.Errorf("basis: Krylov dimension %d × dimension %d is more than %d values", m, n, MaxKrylovValues)
	}
	return m, nil
}
