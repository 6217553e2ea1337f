package basis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// LanczosRun is a Lanczos iteration (see Lanczos) advanced one step at a
// time, for a caller that interleaves it with other work, such as a Web
// Worker that answers within a time budget: NewLanczosRun prepares it,
// each Step does one Lanczos step (one application of S, the
// reorthogonalisation and, every few steps, the convergence check), and
// Result returns the eigenpairs once Step has reported done. After the
// last Lanczos step one more Step computes the Ritz values (the
// eigendecomposition of the m×m tridiagonal, O(m³) flops), the next ones
// the Ritz vectors Q·y_i, ritzVectorsPerStep at a time (O(mn) flops each);
// with LanczosOptions.ExplicitResiduals each further Step computes one
// explicit residual. Stepping to the end gives exactly
// Lanczos' result.
//
// A LanczosRun is not safe for concurrent use.
type LanczosRun struct {
	ctx    context.Context
	o      LanczosOptions
	k, m   int
	tol    float64 // the tolerance of the checks: o.Tol, DefaultTol for 0
	lz     *lanczos
	phase  int
	e      *Eigen
	y      *mat.Dense // the eigenvectors of T_m, until the Ritz vectors are made
	vecs   int        // Ritz vectors made
	scale  float64    // max |θ_i| of T_m
	tmp    []float64
	err    error // the first error, returned by every later Step
	report func(step int, beta float64)
}

// The phases of a LanczosRun.
const (
	phaseLanczos  = iota // Lanczos steps
	phaseRitz            // the Ritz values are next
	phaseVectors         // Ritz vectors
	phaseResidual        // explicit residuals
	phaseDone
)

// LanczosState describes a LanczosRun between steps.
type LanczosState struct {
	// Step is the number of Lanczos steps done, Krylov the most there can
	// be (LanczosOptions.Krylov or its default).
	Step, Krylov int
	// Residual is the largest residual estimate |β_j·y_j| of the top k
	// Ritz pairs at the last convergence check (−1 before the first, and
	// always with a negative Tol); once the Ritz pairs are computed, the
	// largest of Eigen.Residuals.
	Residual float64
	// Restarts counts breakdowns so far; Vectors the Ritz vectors made.
	Restarts, Vectors int
	// Ritz reports that the Ritz values have been computed (Lanczos steps
	// are over); Done that the run is over (Result is ready).
	Ritz, Done bool
}

// NewLanczosRun checks the arguments as Lanczos does and prepares a run
// for the top k eigenpairs of the symmetric operator s: it allocates the
// basis (Krylov·n float64) and draws the start vector, but applies s to
// nothing. ctx (nil: context.Background()) is checked at every Step;
// o.Progress is called after every Lanczos step and explicit residual.
func NewLanczosRun(ctx context.Context, s Operator, k int, o LanczosOptions) (*LanczosRun, error) {
	if ctx == nil {
		ctx = context.Background()
	}
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
	if err := lz.begin(k); err != nil {
		return nil, err
	}
	r := &LanczosRun{ctx: ctx, o: o, k: k, m: m, tol: o.Tol, lz: lz}
	if r.tol == 0 {
		r.tol = DefaultTol
	}
	r.report = func(step int, beta float64) {
		if o.Progress != nil {
			o.Progress(LanczosProgress{Step: step, Total: total, Beta: beta})
		}
	}
	return r, nil
}

// Step advances the run by one step and reports whether it is over: a
// Lanczos step while the pairs have not converged and fewer than Krylov
// steps are done; then the Ritz values; then up to ritzVectorsPerStep Ritz
// vectors; then, with explicit residuals, one residual. A Step of a finished run does nothing and reports done; after
// an error (a cancelled ctx included) every Step returns it.
func (r *LanczosRun) Step() (bool, error) {
	if r.err != nil {
		return false, r.err
	}
	if r.phase == phaseDone {
		return true, nil
	}
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return false, err
	}
	if err := r.advance(); err != nil {
		r.err = err
		return false, err
	}
	return r.phase == phaseDone, nil
}

// advance does the work of one Step.
func (r *LanczosRun) advance() error {
	lz := r.lz
	switch r.phase {
	case phaseLanczos:
		done, err := lz.step(r.m, r.k, r.tol, r.report)
		if err != nil {
			return err
		}
		if done {
			r.phase = phaseRitz
		}
	case phaseRitz:
		e, y, scale, err := lz.ritz(r.k, lz.steps)
		if err != nil {
			return err
		}
		r.e, r.y, r.scale = e, y, scale
		r.phase = phaseVectors
	case phaseVectors:
		to := min(r.k, r.vecs+ritzVectorsPerStep)
		lz.ritzVectors(r.e, r.y, r.vecs, to)
		r.vecs = to
		if to < r.k {
			break
		}
		r.y = nil
		r.phase = phaseResidual
		if !r.o.ExplicitResiduals {
			r.finish()
		}
	case phaseResidual:
		i := r.e.Applies - lz.steps // residuals done
		if r.tmp == nil {
			r.tmp = make([]float64, lz.n)
		}
		v := r.e.Vectors[i]
		if err := lz.s.Apply(r.tmp, v); err != nil {
			return fmt.Errorf("basis: residual %d: %w", i+1, err)
		}
		r.e.Applies++
		axpy(r.tmp, -r.e.Values[i], v)
		r.e.Residuals[i] = nrm2(r.tmp)
		r.report(lz.steps+i+1, lz.beta[lz.steps-1])
		if i+1 == r.k {
			r.finish()
		}
	}
	return nil
}

// finish sets Converged: every residual at most Tol·max|θ| (DefaultTol
// for a Tol ≤ 0).
func (r *LanczosRun) finish() {
	tol := r.tol
	if tol < 0 {
		tol = DefaultTol
	}
	r.e.Converged = true
	for _, res := range r.e.Residuals {
		r.e.Converged = r.e.Converged && res <= tol*r.scale
	}
	r.phase = phaseDone
}

// Done reports whether the run is over (Result is ready).
func (r *LanczosRun) Done() bool { return r.phase == phaseDone }

// State returns the run's progress.
func (r *LanczosRun) State() LanczosState {
	s := LanczosState{Step: r.lz.steps, Krylov: r.m, Residual: r.lz.resid, Restarts: r.lz.restarts,
		Vectors: r.vecs, Ritz: r.e != nil, Done: r.phase == phaseDone}
	if r.e != nil {
		s.Residual = 0
		for _, v := range r.e.Residuals {
			s.Residual = math.Max(s.Residual, v)
		}
	}
	return s
}

// Result returns the eigenpairs of a finished run (the Eigen is the run's
// and is returned again by later calls), or the run's error, or an error
// if it has not finished.
func (r *LanczosRun) Result() (*Eigen, error) {
	switch {
	case r.err != nil:
		return nil, r.err
	case r.phase != phaseDone:
		return nil, errors.New("basis: the Lanczos run has not finished")
	}
	return r.e, nil
}
