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
// §10.1) from a Gaussian start vector q_1 drawn from o.Seed: w = S·q_j is
// orthogonalised against every q_1 … q_j by classical Gram–Schmidt done
// twice ("twice is enough"), which gives α_j = q_jᵀSq_j (and removes the
// β_{j−1}q_{j−1} term of the three-term recurrence), β_j = ‖w‖ and
// q_{j+1} = w/β_j. The tridiagonal T_m = QᵀSQ (α on the diagonal, β beside
// it) is diagonalised by gonum's mat.EigenSym, T = YΘYᵀ, and the Ritz pairs
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
// takes m·n float64.
func Lanczos(ctx context.Context, s Operator, k int, o LanczosOptions) (*Eigen, error) {
	n, err := checkOperator(s)
	if err != nil {
		return nil, err
	}
	m, err := o.krylov(n, k)
	if err != nil {
		return nil, err
	}
	total := m
	if o.ExplicitResiduals {
		total += k
	}
	lz := &lanczos{s: s, n: n, rng: rand.New(rand.NewPCG(o.Seed, lanczosStream)),
		q: make([]float64, m*n), alpha: make([]float64, m), beta: make([]float64, m),
		w: make([]float64, n), coef: make([]float64, m), pass: make([]float64, m),
		theta: make([]float64, 0, m), mu: make([]float64, 0, m), offd: make([]float64, 0, m), ys: make([]float64, 0, k)}
	report := func(step int, b float64) {
		if o.Progress != nil {
			o.Progress(LanczosProgress{Step: step, Total: total, Beta: b})
		}
	}
	tol := o.Tol
	if tol == 0 {
		tol = DefaultTol
	}
	steps, err := lz.run(ctx, m, k, tol, report)
	if err != nil {
		return nil, err
	}
	e, scale, err := lz.ritz(k, steps)
	if err != nil {
		return nil, err
	}
	if o.ExplicitResiduals {
		if err := explicitResiduals(ctx, s, e, func(i int) { report(steps+i, lz.beta[steps-1]) }); err != nil {
			return nil, err
		}
	}
	if tol < 0 {
		tol = DefaultTol
	}
	e.Converged = true
	for _, r := range e.Residuals {
		e.Converged = e.Converged && r <= tol*scale
	}
	return e, nil
}

// lanczos is the state of one run: the basis q (m rows of n), the
// tridiagonal's α and β, and scratch.
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
}

// row returns q_j.
func (l *lanczos) row(j int) []float64 { return l.q[j*l.n : (j+1)*l.n : (j+1)*l.n] }

// run does at most m steps and returns the number done: fewer when every
// top-k Ritz pair has converged to tol (checkConverged), which is checked
// at steps k, then about every eighth step (at least every tenth).
func (l *lanczos) run(ctx context.Context, m, k int, tol float64, report func(step int, beta float64)) (int, error) {
	if !l.startVector(0) {
		return 0, fmt.Errorf("basis: Lanczos start vector is zero")
	}
	scale, check := 0.0, k
	for j := range m {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if err := l.s.Apply(l.w, l.row(j)); err != nil {
			return 0, fmt.Errorf("basis: Lanczos step %d: %w", j+1, err)
		}
		for _, v := range l.w {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("basis: Lanczos step %d: the operator gave %v", j+1, v)
			}
		}
		l.alpha[j] = l.orthogonalise(l.w, j+1)[j]
		b := nrm2(l.w)
		l.beta[j] = b
		scale = math.Max(scale, math.Max(math.Abs(l.alpha[j]), b))
		report(j+1, b)
		if j == m-1 {
			return m, nil
		}
		if b <= breakdownTol*scale {
			l.beta[j] = 0
			l.restarts++
			if !l.startVector(j + 1) {
				return 0, fmt.Errorf("basis: Lanczos restart %d: no direction left orthogonal to %d vectors", l.restarts, j+1)
			}
			continue
		}
		if tol > 0 && j+1 >= check {
			check = j + 1 + checkEvery
			ok, err := l.converged(j+1, k, tol)
			if err != nil {
				return 0, err
			}
			if ok {
				return j + 1, nil
			}
		}
		next := l.row(j + 1)
		copy(next, l.w)
		scal(next, 1/b)
	}
	return m, nil
}

// orthogonalise removes from w its components along q_1 … q_j by classical
// Gram–Schmidt done twice (all j inner products, then all j updates, per
// pass) and returns the coefficients ⟨q_i, w⟩ summed over both passes.
func (l *lanczos) orthogonalise(w []float64, j int) []float64 {
	acc, pc := l.coef[:j], l.pass[:j]
	clear(acc)
	for range 2 {
		for i := range j {
			pc[i] = dot(l.row(i), w)
		}
		for i := range j {
			axpy(w, -pc[i], l.row(i))
			acc[i] += pc[i]
		}
	}
	return acc
}

// startVector sets q_j to a Gaussian vector orthogonalised against q_1 …
// q_{j−1} and normalised; it reports false when nothing is left of it.
func (l *lanczos) startVector(j int) bool {
	v := l.row(j)
	for i := range v {
		v[i] = l.rng.NormFloat64()
	}
	before := nrm2(v)
	if j > 0 {
		l.orthogonalise(v, j)
	}
	after := nrm2(v)
	if after == 0 || after <= 1e-8*before {
		return false
	}
	scal(v, 1/after)
	return true
}
