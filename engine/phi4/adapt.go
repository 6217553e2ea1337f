package phi4

import "math"

// stepAdapter tunes a step size during warm-up by the Robbins–Monro
// recursion (Robbins & Monro, Ann. Math. Stat. 22, 400 (1951)) on its
// logarithm,
//
//	log ε_{t+1} = log ε_t + γ_t (a_t − a*),   γ_t = ½ (t+1)^(−0.6),
//
// where a_t is the Metropolis acceptance probability of step t and a* the
// target. The final step size is the geometric mean of ε_t over the second
// half of the warm-up. Adapting only during warm-up keeps the chain after
// it exact.
type stepAdapter struct {
	logEps, target float64
	t, total       int
	sumLog         float64
	nSum           int
}

func newStepAdapter(eps, target float64, total int) stepAdapter {
	return stepAdapter{logEps: math.Log(eps), target: target, total: total}
}

// eps returns the current step size.
func (a *stepAdapter) eps() float64 { return math.Exp(a.logEps) }

// update records the acceptance probability acc of the last step.
func (a *stepAdapter) update(acc float64) {
	if math.IsNaN(acc) {
		acc = 0
	}
	a.logEps += 0.5 * math.Pow(float64(a.t+1), -0.6) * (acc - a.target)
	a.logEps = min(max(a.logEps, -30), 5) // keep ε in [1e-13, 148]
	a.t++
	if 2*a.t > a.total {
		a.sumLog += a.logEps
		a.nSum++
	}
}

// restart starts the recursion again from the current step size for the
// remaining steps, with fresh gains; it is used when the target itself has
// changed (the FA-HMC mass is fixed halfway through the warm-up).
func (a *stepAdapter) restart(remaining int) {
	a.t, a.total, a.sumLog, a.nSum = 0, remaining, 0, 0
}

// final returns the adapted step size.
func (a *stepAdapter) final() float64 {
	if a.nSum == 0 {
		return a.eps()
	}
	return math.Exp(a.sumLog / float64(a.nSum))
}
