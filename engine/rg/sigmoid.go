package rg

import "math"

// sigmoids evaluates the window basis of a scale's potential (PRX 13,
// 041038, §4.3),
//
//	ρ_k(t) = sigmoid(−(t − c_k)/w) = 1/(1 + e^{(t−c_k)/w}),
//	ρ_k'(t) = −ρ_k(1−ρ_k)/w,   ρ_k''(t) = ρ_k(1−ρ_k)(1−2ρ_k)/w²,
//
// with one exponential per value t: e^{(t−c_k)/w} = e^{(t−c̄)/w}·e^{(c̄−c_k)/w}
// for the mid-range c̄, unless the centres span more than maxSpread widths.
type sigmoids struct {
	c      []float64
	w      float64
	cref   float64
	a      []float64 // e^{(c̄−c_k)/w}
	direct bool
}

const maxSpread = 400

func newSigmoids(c []float64, w float64) sigmoids {
	s := sigmoids{c: c, w: w}
	if len(c) == 0 {
		return s
	}
	lo, hi := c[0], c[0]
	for _, v := range c {
		lo, hi = min(lo, v), max(hi, v)
	}
	s.cref = (lo + hi) / 2
	if (hi-lo)/w > maxSpread {
		s.direct = true
		return s
	}
	s.a = make([]float64, len(c))
	for k, v := range c {
		s.a[k] = math.Exp((s.cref - v) / w)
	}
	return s
}

// clampExp returns e^z with z clamped to [−500, 500], so that e^z·a_k
// (|ln a_k| ≤ maxSpread/2) stays finite.
func clampExp(z float64) float64 {
	return math.Exp(max(-500, min(500, z)))
}

// rq stores r_k = ρ_k(t) and q_k = 1 − ρ_k(t), both computed without
// cancellation.
func (s *sigmoids) rq(t float64, r, q []float64) {
	if s.direct {
		for k, ck := range s.c {
			e := clampExp((t - ck) / s.w)
			rk := 1 / (1 + e)
			r[k], q[k] = rk, e*rk
		}
		return
	}
	e0 := clampExp((t - s.cref) / s.w)
	for k, ak := range s.a {
		e := e0 * ak
		rk := 1 / (1 + e)
		r[k], q[k] = rk, e*rk
	}
}

// potential returns V(t) = Σ_k θ_k ρ_k(t) and V'(t).
func (s *sigmoids) potential(theta []float64, t float64) (v, dv float64) {
	if s.direct {
		for k, ck := range s.c {
			e := clampExp((t - ck) / s.w)
			rk := 1 / (1 + e)
			v += theta[k] * rk
			dv += theta[k] * rk * (e * rk)
		}
		return v, -dv / s.w
	}
	e0 := clampExp((t - s.cref) / s.w)
	for k, ak := range s.a {
		e := e0 * ak
		rk := 1 / (1 + e)
		v += theta[k] * rk
		dv += theta[k] * rk * (e * rk)
	}
	return v, -dv / s.w
}
