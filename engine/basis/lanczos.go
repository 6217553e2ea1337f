package basis

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// lanczosStream is the second PCG seed word of the Lanczos start vectors.
const lanczosStream = 0x4c616e637a6f7331 // "Lanczos1"

// breakdownTol is the relative size of β_j, against the largest |α| or β
// so far, below which the Krylov space is taken as invariant.
const breakdownTol = 1e-10

// checkEvery is the number of Lanczos steps between convergence checks.
const checkEvery = 4

// Eigen is the result of Lanczos: the top eigenpairs of a symmetric
// operator S.
type Eigen struct {
	// Values are the Ritz values λ_1 ≥ λ_2 ≥ … ≥ λ_k.
	Values []float64
	// Vectors are the orthonormal Ritz vectors, Vectors[i] for Values[i];
	// each sign is fixed so that the largest-magnitude entry (the first
	// among ties) is positive.
	Vectors [][]float64
	// Residuals are ‖S·e_i − λ_i·e_i‖: explicit with
	// LanczosOptions.ExplicitResiduals, else the Lanczos estimate
	// |β_m·(y_i)_m| (exact in exact arithmetic).
	Residuals []float64
	// Krylov is the Krylov dimension m reached: the number of Lanczos
	// steps, fewer than LanczosOptions.Krylov when the pairs converged.
	Krylov int
	// Converged reports whether every residual is at most Tol·max|θ| (Tol
	// the option, or DefaultTol when it is negative), θ the Ritz values.
	Converged bool
	// Restarts counts breakdowns (β_j ≈ 0: an invariant subspace found),
	// after each of which Lanczos went on from a new random vector
	// orthogonal to the basis so far.
	Restarts int
	// Applies counts the applications of S.
	Applies int
}

// Lanczos returns the top k eigenpairs (largest eigenvalues) of the
// symmetric operator s, for example SymmetricPart(J) of a denoiser's
// Jacobian J, whose eigenvectors are the geometry-adaptive harmonic basis
// (Kadkhodaie et al., ICLR 2024, §3). Only s.Apply is used and s is taken
// to be symmetric.
//
// It runs up to m Lanczos steps (Golub and Van Loan, Matrix Computations,
// §10.1) from a Gaussian start vector q_1 drawn from o.Seed: w = S·q_j
// less the three-term recurrence α_j q_j + β_{j−1} q_{j−1}, with
// α_j = q_jᵀSq_j, is reorthogonalised against every q_1 … q_j by classical
// Gram–Schmidt, once or, by the DGKS criterion, twice (orthogonaliseStep);
// then β_j = ‖w‖ and q_{j+1} = w/β_j. The tridiagonal T_m = QᵀSQ (α on
// the diagonal, β beside it) is diagonalised, T = YΘYᵀ, and the Ritz pairs
// are (θ_i, Q·y_i). On a breakdown (β_j ≤ 1e-10·max|α, β|, the Krylov
// space is invariant under S) β_j is set to 0 and the iteration goes on from
// a new random vector orthogonal to q_1 … q_j, so that eigenvalues outside
// that subspace (or repeated ones) are found too. It stops before m steps
// once the top k pairs have converged to o.Tol (see LanczosOptions); as
// with any Lanczos method, a repeated eigenvalue whose other copies the
// Krylov space has not reached yet can be missed.
//
// ctx is checked at every step; o.Progress is called after each. The cost
// is m (+ k with explicit residuals) applications of S and O(m²n) flops; Q
// takes m·n float64. Lanczos is a LanczosRun stepped to its end.
func Lanczos(ctx context.Context, s Operator, k int, o LanczosOptions) (*Eigen, error) {
	r, err := NewLanczosRun(ctx, s, k, o)
	if err != nil {
		return nil, err
	}
	for {
		done, err := r.Step()
		if err != nil {
			return nil, err
		}
		if done {
			return r.Result()
		}
	}
}

// lanczos is the state of one run: the basis q (m rows of n), the
// tridiagonal's α and β, the steps done and scratch.
type lanczos struct {
	s           Operator
	n           int
	rng         *rand.Rand
	q           []float64
	alpha, beta []float64
	w           []float64
	coef, pass  []float64
	theta, mu   []float64 // scratch of converged
	offd, ys    []float64
	restarts    int
	steps       int     // Lanczos steps done
	scale       float64 // max |α_j|, β_j so far
	check       int     // the step of the next convergence check
	resid       float64 // largest residual estimate at the last check, −1 before
}

// row returns q_j.
func (l *lanczos) row(j int) []float64 { return l.q[j*l.n : (j+1)*l.n : (j+1)*l.n] }

// begin draws the start vector q_1 and schedules the first convergence
// check at step k.
func (l *lanczos) begin(k int) error {
	l.steps, l.scale, l.check, l.resid = 0, 0, k, -1
	if !l.startVector(0) {
		return fmt.Errorf("basis: Lanczos start vector is zero")
	}
	return nil
}

// run does at most m steps and returns the number done: fewer when every
// top-k Ritz pair has converged to tol (checkConverged), which is checked
// at step k, then every checkEvery steps.
func (l *lanczos) run(ctx context.Context, m, k int, tol float64, report func(step int, beta float64)) (int, error) {
	if err := l.begin(k); err != nil {
		return 0, err
	}
	for l.steps < m {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		done, err := l.step(m, k, tol, report)
		if err != nil {
			return 0, err
		}
		if done {
			break
		}
	}
	return l.steps, nil
}

// step does Lanczos step j+1 (j = l.steps): w = S·q_j, α_j and β_j, and
// q_{j+1}, or a restart vector after a breakdown; report is called with
// j+1 and β_j. Every checkEvery steps from step k on (and tol > 0) it
// checks convergence. It reports whether the run is over: the top k
// pairs converged, or m steps done.
func (l *lanczos) step(m, k int, tol float64, report func(step int, beta float64)) (bool, error) {
	j := l.steps
	if err := l.s.Apply(l.w, l.row(j)); err != nil {
		return false, fmt.Errorf("basis: Lanczos step %d: %w", j+1, err)
	}
	for _, v := range l.w {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false, fmt.Errorf("basis: Lanczos step %d: the operator gave %v", j+1, v)
		}
	}
	l.alpha[j] = l.orthogonaliseStep(l.w, j)
	b := nrm2(l.w)
	l.beta[j] = b
	l.scale = math.Max(l.scale, math.Max(math.Abs(l.alpha[j]), b))
	l.steps = j + 1
	report(j+1, b)
	if j == m-1 {
		return true, nil
	}
	if b <= breakdownTol*l.scale {
		l.beta[j] = 0
		l.restarts++
		if !l.startVector(j + 1) {
			return false, fmt.Errorf("basis: Lanczos restart %d: no direction left orthogonal to %d vectors", l.restarts, j+1)
		}
		return false, nil
	}
	if tol > 0 && j+1 >= l.check {
		l.check = j + 1 + checkEvery
		res, ok, err := l.converged(j+1, k, tol)
		if err != nil {
			return false, err
		}
		l.resid = res
		if ok {
			return true, nil
		}
	}
	next := l.row(j + 1)
	copy(next, l.w)
	scal(next, 1/b)
	return false, nil
}
