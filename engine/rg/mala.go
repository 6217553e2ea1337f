package rg

import (
	"math"
	"math/rand/v2"
)

// chain is a Metropolis-adjusted Langevin chain (Roberts & Tweedie,
// Bernoulli 2, 341 (1996); PRX 13, 041038, §4.5) on the varying channels
// of one scale, for the density ∝ e^{−Ē}·1[window]:
//
//	x' = x − h∇Ē(x) + √(2h) ξ,   ξ ~ N(0, I),
//	accept with probability min(1, e^{−Ē(x')+Ē(x)} q(x|x')/q(x'|x)),
//	q(x'|x) ∝ exp(−|x' − x + h∇Ē(x)|²/(4h)),
//
// a proposal whose potential field leaves the window being rejected. The
// chain is exact (reversible for the windowed density) for any fixed h.
type chain struct {
	ev      *evaluator
	vary    []int
	u, up   [4][]float64
	g, gp   [4][]float64
	e       float64
	h       float64
	rng     *rand.Rand
	evals   int64
	outside bool // the current state is outside the window
	pre     *preChain
}

func newChain(ev *evaluator, rng *rand.Rand) *chain {
	c := &chain{ev: ev, vary: ev.c.vary, rng: rng}
	nn := ev.c.n * ev.c.n
	for _, a := range c.vary {
		c.u[a] = make([]float64, nn)
		c.up[a] = make([]float64, nn)
		c.g[a] = make([]float64, nn)
		c.gp[a] = make([]float64, nn)
	}
	if ev.c.pre != nil {
		c.pre = newPreChain(ev.c.pre)
	}
	return c
}

// start sets the conditioning field (nil for the coarsest scale) and the
// initial state of the varying channels (nil: zero) and evaluates it.
func (c *chain) start(cond []float64, init [][]float64) {
	if c.ev.c.cond {
		c.u[0], c.up[0] = cond, cond
		c.ev.setCond(cond)
	}
	for i, a := range c.vary {
		if init == nil {
			clear(c.u[a])
		} else {
			copy(c.u[a], init[i])
		}
	}
	var ok bool
	c.e, ok = c.ev.eval(&c.u, &c.g, true)
	c.outside = !ok
	if !ok {
		// Outside the window the target density is 0; evaluate without the
		// window so that the drift is defined, and accept any proposal that
		// enters it.
		c.e, _ = c.ev.eval(&c.u, &c.g, false)
	}
	c.evals++
	if c.pre != nil {
		c.pre.ghOK = false
	}
}

// step runs one MALA step and returns whether it was accepted and the
// acceptance probability min(1, ratio) (0 for a proposal outside the
// window).
func (c *chain) step() (bool, float64) {
	if c.pre != nil {
		return c.stepPre()
	}
	h := c.h
	sq := math.Sqrt(2 * h)
	fwd := 0.0
	for _, a := range c.vary {
		x, g, xp := c.u[a], c.g[a], c.up[a]
		for i := range x {
			z := c.rng.NormFloat64()
			fwd += z * z
			xp[i] = x[i] - h*g[i] + sq*z
		}
	}
	fwd *= 2 * h // |x' − x + h g|² = 2h|ξ|²
	ep, ok := c.ev.eval(&c.up, &c.gp, true)
	c.evals++
	if !ok {
		return false, 0
	}
	rev := 0.0
	for _, a := range c.vary {
		x, xp, gp := c.u[a], c.up[a], c.gp[a]
		for i := range x {
			d := x[i] - xp[i] + h*gp[i]
			rev += d * d
		}
	}
	logA := -(ep - c.e) - (rev-fwd)/(4*h)
	if c.outside {
		logA = 0
	}
	acc := math.Exp(min(0, logA))
	if math.IsNaN(logA) {
		return false, 0
	}
	if logA >= 0 || c.rng.Float64() < acc {
		c.u, c.up = c.up, c.u
		c.g, c.gp = c.gp, c.g
		c.e = ep
		c.outside = false
		return true, acc
	}
	return false, acc
}

// adapter moves log h towards the target acceptance during a warm-up by
// Robbins–Monro steps, log h ← log h + γ_t (a_t − target), γ_t = 1/√(t+4),
// with a_t the acceptance probability of step t (Andrieu & Thoms, Stat.
// Comput. 18, 343 (2008), §4–5).
type adapter struct {
	logh, target float64
	t            int
}

func (ad *adapter) update(a float64) float64 {
	g := 1 / math.Sqrt(float64(ad.t)+4)
	ad.logh += g * (a - ad.target)
	ad.logh = max(-80, min(80, ad.logh))
	ad.t++
	return math.Exp(ad.logh)
}
