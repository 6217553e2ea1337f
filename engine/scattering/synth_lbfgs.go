package scattering

import (
	"errors"
	"math"
)

// L-BFGS with a strong-Wolfe line search, written from Nocedal & Wright,
// Numerical Optimization (2nd ed., Springer 2006): the two-loop recursion
// (Algorithm 7.4) with the initial Hessian H₀ = γI, γ = sᵀy/yᵀy of the
// newest pair (eq. 7.20), and the line search of Algorithms 3.5 (bracketing)
// and 3.6 (zoom) with safeguarded cubic interpolation (eq. 3.59). It is a
// step-at-a-time loop (Iterate makes one major iteration) with every buffer
// allocated up front, so that an iteration allocates nothing.

// Line-search constants.
const (
	lbC1         = 1e-4 // sufficient decrease: φ(α) ≤ φ(0) + c1·α·φ'(0)
	lbC2         = 0.9  // curvature: |φ'(α)| ≤ c2·|φ'(0)| (the usual quasi-Newton value)
	lbMaxEvals   = 20   // evaluations per line search before it gives up
	lbExpandMin  = 1.1  // bracketing: the next trial lies in [α + 1.1Δ, α + 4Δ], Δ = α − α_prev
	lbExpandMax  = 4.0
	lbZoomGuard  = 0.1     // zoom: trials stay ≥ 10% of the interval from its ends
	lbIntervalEp = 1e-12   // zoom gives up when the interval is below this fraction of α
	lbCurvEp     = 1e-10   // a pair (s, y) is kept only if sᵀy > lbCurvEp·‖s‖‖y‖
	lbStepEp     = 0x1p-50 // a trial step below this fraction of ‖x‖ cannot move x
)

// errLineSearch is returned by lbfgs.iterate when the line search finds no
// point with a sufficient decrease even along the steepest descent
// direction (the minimiser is reached to rounding, or the loss is not
// smooth there).
var errLineSearch = errors.New("scattering: line search found no decrease along the steepest descent direction")

// lbEval computes f(x) and ∇f(x) into grad; it must not keep x.
type lbEval func(x, grad []float64) (float64, error)

// lbfgs is the state of the minimiser: the current point x with its value
// f and gradient g, and the last m correction pairs in a ring.
type lbfgs struct {
	eval lbEval
	n, m int

	x, g []float64 // current iterate and its gradient
	f    float64

	d      []float64 // search direction
	xt, gt []float64 // trial point and its gradient
	xl, gl []float64 // best trial so far (the zoom's α_lo) and its gradient
	s, y   [][]float64
	rho    []float64
	alpha  []float64
	newest int // ring index of the newest pair
	count  int // number of pairs held (≤ m)

	lastStep float64 // ‖x_{k+1} − x_k‖ of the last iteration (for a restart's first trial)
	evals    int
	onLo     func() // called when the trial just evaluated becomes the best point (α_lo)
}

// newLBFGS returns a minimiser of n variables keeping m pairs, starting at
// x0 where f(x0) = f0 and ∇f(x0) = g0 (both copied).
func newLBFGS(eval lbEval, m int, x0, g0 []float64, f0 float64) *lbfgs {
	n := len(x0)
	l := &lbfgs{
		eval: eval, n: n, m: m,
		x: append([]float64(nil), x0...), g: append([]float64(nil), g0...), f: f0,
		d: make([]float64, n), xt: make([]float64, n), gt: make([]float64, n),
		xl: make([]float64, n), gl: make([]float64, n),
		s: make([][]float64, m), y: make([][]float64, m),
		rho: make([]float64, m), alpha: make([]float64, m),
		newest: -1,
	}
	for i := range m {
		l.s[i] = make([]float64, n)
		l.y[i] = make([]float64, n)
	}
	return l
}

// direction stores d = −H∇f(x) (two-loop recursion) and returns the first
// trial step: 1 with curvature pairs, else 1/‖g‖ on the first iteration
// (a unit move, as gonum's LBFGS and scipy's L-BFGS-B start) or the
// length of the last step after a restart.
func (l *lbfgs) direction() float64 {
	copy(l.d, l.g)
	if l.count == 0 {
		gn := math.Sqrt(dot(l.g, l.g))
		for i := range l.d {
			l.d[i] = -l.d[i]
		}
		if l.lastStep > 0 {
			return l.lastStep / gn
		}
		return 1 / gn
	}
	q := l.d
	i := l.newest
	for range l.count {
		l.alpha[i] = l.rho[i] * dot(l.s[i], q)
		axpy(q, -l.alpha[i], l.y[i])
		i = (i - 1 + l.m) % l.m
	}
	sn, yn := l.s[l.newest], l.y[l.newest]
	gamma := dot(sn, yn) / dot(yn, yn)
	for k := range q {
		q[k] *= gamma
	}
	i = (l.newest - l.count + 1 + l.m) % l.m
	for range l.count {
		beta := l.rho[i] * dot(l.y[i], q)
		axpy(q, l.alpha[i]-beta, l.s[i])
		i = (i + 1) % l.m
	}
	for k := range q {
		q[k] = -q[k]
	}
	return 1
}

// iterate makes one major iteration: a direction, a line search along it
// (restarted once along −∇f, with the memory cleared, if the direction is
// not a descent direction or the search fails), and the update of the
// iterate and of the memory. It returns the line search's error (an
// evaluation error, or errLineSearch when no decrease is found), leaving
// the iterate unchanged then.
func (l *lbfgs) iterate() error {
	for attempt := 0; ; attempt++ {
		a0 := l.direction()
		dphi0 := dot(l.g, l.d)
		var ok bool
		var err error
		if dphi0 < 0 && !math.IsInf(a0, 0) && !math.IsNaN(a0) {
			ok, err = l.search(a0, dphi0)
			if err != nil {
				return err
			}
		}
		if ok {
			return nil
		}
		if l.count == 0 || attempt > 0 {
			return errLineSearch
		}
		l.count, l.newest = 0, -1 // restart along −∇f
	}
}

// search runs the strong-Wolfe line search from x along d, starting at step
// a0, with φ'(0) = dphi0 < 0. On success (a step with sufficient decrease
// that meets the curvature condition or, when the evaluations or the
// interval run out, the best step with sufficient decrease) it moves the
// iterate there, stores the pair and returns true.
func (l *lbfgs) search(a0, dphi0 float64) (bool, error) {
	f0 := l.f
	xnorm := math.Sqrt(dot(l.x, l.x))
	dnorm := math.Sqrt(dot(l.d, l.d))
	// trial evaluates φ and φ' at step a into xt, gt.
	trial := func(a float64) (float64, float64, error) {
		for i, xv := range l.x {
			l.xt[i] = xv + a*l.d[i]
		}
		f, err := l.eval(l.xt, l.gt)
		l.evals++
		if err != nil {
			return 0, 0, err
		}
		return f, dot(l.gt, l.d), nil
	}
	tiny := func(a float64) bool { return a*dnorm <= lbStepEp*max(xnorm, 1) }
	// The best step with sufficient decrease so far (α_lo of the zoom).
	loA, loF, loD := 0.0, f0, dphi0
	setLo := func(a, f, dp float64) {
		loA, loF, loD = a, f, dp
		copy(l.xl, l.xt)
		copy(l.gl, l.gt)
		if l.onLo != nil {
			l.onLo()
		}
	}
	armijo := func(a, f float64) bool { return f <= f0+lbC1*a*dphi0 }
	curvature := func(dp float64) bool { return math.Abs(dp) <= -lbC2*dphi0 }

	evals := 0
	var hiA, hiF, hiD float64
	// Bracketing (Algorithm 3.5).
	prevA, prevF, prevD := 0.0, f0, dphi0
	a := a0
	bracketed := false
	for evals < lbMaxEvals {
		if tiny(a) {
			break
		}
		f, dp, err := trial(a)
		evals++
		if err != nil {
			return false, err
		}
		if !armijo(a, f) || (evals > 1 && f >= prevF) {
			hiA, hiF, hiD = a, f, dp // lo = prev (already set if prev > 0)
			bracketed = true
			break
		}
		setLo(a, f, dp)
		if curvature(dp) {
			l.accept(a, f)
			return true, nil
		}
		if dp >= 0 {
			hiA, hiF, hiD = prevA, prevF, prevD
			bracketed = true
			break
		}
		delta := a - prevA
		next := cubicMin(prevA, prevF, prevD, a, f, dp)
		lo, hi := a+lbExpandMin*delta, a+lbExpandMax*delta
		if math.IsNaN(next) || next < lo || next > hi {
			next = hi
		}
		prevA, prevF, prevD = a, f, dp
		a = next
	}
	// Zoom (Algorithm 3.6) between lo and hi.
	for bracketed && evals < lbMaxEvals {
		w := hiA - loA
		if math.Abs(w) <= lbIntervalEp*max(math.Abs(loA), math.Abs(hiA)) {
			break
		}
		a = cubicMin(loA, loF, loD, hiA, hiF, hiD)
		left, right := min(loA, hiA), max(loA, hiA)
		guard := lbZoomGuard * math.Abs(w)
		if math.IsNaN(a) || a < left+guard || a > right-guard {
			a = (loA + hiA) / 2
		}
		if tiny(a) {
			break
		}
		f, dp, err := trial(a)
		evals++
		if err != nil {
			return false, err
		}
		if !armijo(a, f) || f >= loF {
			hiA, hiF, hiD = a, f, dp
			continue
		}
		if curvature(dp) {
			setLo(a, f, dp)
			l.accept(a, f)
			return true, nil
		}
		if dp*(hiA-loA) >= 0 {
			hiA, hiF, hiD = loA, loF, loD
		}
		setLo(a, f, dp)
	}
	if loA > 0 {
		// Out of evaluations or interval: take the best sufficient decrease.
		copy(l.xt, l.xl)
		copy(l.gt, l.gl)
		l.accept(loA, loF)
		return true, nil
	}
	return false, nil
}

// accept moves the iterate to the trial point (xt, gt) at step a with value
// f and stores the pair s = x_new − x, y = g_new − g if sᵀy is safely
// positive.
func (l *lbfgs) accept(a, f float64) {
	k := (l.newest + 1) % l.m
	s, y := l.s[k], l.y[k]
	for i := range s {
		s[i] = l.xt[i] - l.x[i]
		y[i] = l.gt[i] - l.g[i]
	}
	sy := dot(s, y)
	ss, yy := dot(s, s), dot(y, y)
	if sy > lbCurvEp*math.Sqrt(ss*yy) {
		l.rho[k] = 1 / sy
		l.newest = k
		l.count = min(l.count+1, l.m)
	} else if l.count == l.m {
		l.count-- // slot k held the oldest pair, now overwritten
	}
	l.lastStep = math.Sqrt(ss)
	copy(l.x, l.xt)
	copy(l.g, l.gt)
	l.f = f
}

// cubicMin returns the minimiser of the cubic interpolating φ and φ' at a
// and b (Nocedal & Wright eq. 3.59), or NaN if the cubic has none.
func cubicMin(a, fa, da, b, fb, db float64) float64 {
	d1 := da + db - 3*(fa-fb)/(a-b)
	disc := d1*d1 - da*db
	if !(disc >= 0) {
		return math.NaN()
	}
	d2 := math.Copysign(math.Sqrt(disc), b-a)
	den := db - da + 2*d2
	if den == 0 {
		return math.NaN()
	}
	return b - (b-a)*(db+d2-d1)/den
}

func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy adds c·x to y.
func axpy(y []float64, c float64, x []float64) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] += c * v
	}
}
