package phi4

import "math"

// MALA is the local Metropolis-adjusted Langevin algorithm (Roberts &
// Tweedie, Bernoulli 2, 341 (1996)) applied site by site. Given its four
// neighbours, the field at site x has the conditional energy
//
//	e_x(v) = −a v + v⁴ − v²,   a = β Σ_{x'~x} φ(x'),
//
// and force f(v) = a − 4v³ + 2v. A sweep visits the even sites
// ((x+y) mod 2 = 0) and then the odd ones; sites of one colour are
// conditionally independent given the other colour, so each of them is
// updated by its own Langevin proposal with truncated drift (MALTA,
// Roberts & Tweedie 1996, §1.4.2)
//
//	v' = v + d(v) + √h ξ,   d(v) = (h/2) f(v) · min(1, D/|f(v)|),   D = 2/√h,
//
// accepted with probability min(1, exp(−e_x(v') + e_x(v)) q(v|v')/q(v'|v)),
// q(v'|v) = N(v'; v + d(v), h). Each site move leaves the conditional
// density invariant, hence the sweep leaves p(φ) ∝ exp(−E) invariant. The
// truncation caps the drift at √h: with the untruncated drift the quartic
// force overshoots for large |v|, every proposal from there is rejected and
// the chain is not geometrically ergodic (Roberts & Tweedie 1996, Thm 4.3),
// which on a large lattice biases finite runs. The step h adapts during
// the warm-up to a mean acceptance of TargetAccept (default 0.574, Roberts
// & Rosenthal, J. R. Stat. Soc. B 60, 255 (1998)).
type MALA struct {
	chain
}

// NewMALA returns a local MALA sampler for model, seeded with seed.
// opts.Leapfrog and opts.Jitter are not used.
func NewMALA(model Model, opts Options, seed uint64) (*MALA, error) {
	if err := model.Validate(); err != nil {
		return nil, err
	}
	opts, err := opts.resolve(KindMALA, model.L)
	if err != nil {
		return nil, err
	}
	return newMALA(model.lattice(), opts, seed), nil
}

// newMALA builds a MALA sampler on an unchecked lattice with resolved
// options. For l = 1 the single site is its own neighbour, so the
// conditional energy above is exact only for β = 0.
func newMALA(lat lattice, opts Options, seed uint64) *MALA {
	return &MALA{chain: newChain(lat, opts, seed, 0x4a3c_11d7_0000_0003)}
}

// WarmUp runs the warm-up if it has not run yet: opts.Warmup sweeps adapting
// h towards the target acceptance.
func (s *MALA) WarmUp(progress func(done, total int)) error {
	return s.warmUp(func() float64 { return s.sweep(s.eps) }, nil, progress)
}

// Step runs one sweep (after the warm-up, which the first call runs).
func (s *MALA) Step() bool {
	if !s.warmed {
		if s.WarmUp(nil) != nil {
			return false
		}
	}
	if s.err != nil {
		return false
	}
	_, rate := s.sweepRate(s.eps)
	s.accSum += rate
	s.work.Steps++
	return true
}

// sweep runs one checkerboard sweep with step h and returns the mean
// acceptance probability of its site moves.
func (s *MALA) sweep(h float64) float64 {
	p, _ := s.sweepRate(h)
	return p
}

// sweepRate runs one sweep and returns the mean acceptance probability
// and the fraction of accepted site moves.
func (s *MALA) sweepRate(h float64) (meanProb, rate float64) {
	lat := s.lat
	l, mask, beta := lat.l, lat.mask, lat.beta
	phi := s.state.Data
	rng := s.rng
	sq := math.Sqrt(h)
	dmax := sq // largest drift, (h/2)·D
	var probs float64
	accepted := 0
	for colour := 0; colour < 2; colour++ {
		for y := 0; y < l; y++ {
			row := phi[y*l : y*l+l]
			up := phi[((y-1)&mask)*l : ((y-1)&mask)*l+l]
			down := phi[((y+1)&mask)*l : ((y+1)&mask)*l+l]
			for x := (y + colour) & 1; x < l; x += 2 {
				a := beta * (row[(x+1)&mask] + row[(x-1)&mask] + up[x] + down[x])
				v := row[x]
				df := min(max(h/2*(a-4*v*v*v+2*v), -dmax), dmax)
				w := v + df + sq*rng.NormFloat64()
				dg := min(max(h/2*(a-4*w*w*w+2*w), -dmax), dmax)
				v2, w2 := v*v, w*w
				dE := -a*(w-v) + w2*(w2-1) - v2*(v2-1)
				fwd := w - v - df
				bwd := v - w - dg
				logA := -dE - (bwd*bwd-fwd*fwd)/(2*h)
				prob := 1.0
				if logA < 0 {
					prob = math.Exp(logA) // 0 for −Inf; NaN rejects below
				}
				if !(prob >= 0) {
					prob = 0
				}
				probs += prob
				if rng.Float64() < prob {
					row[x] = w
					accepted++
				}
			}
		}
	}
	s.work.GradEvals += 2
	n := float64(lat.sites())
	return probs / n, float64(accepted) / n
}
