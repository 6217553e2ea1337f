package phi4

import "math"

// HMC is hybrid Monte Carlo (Duane, Kennedy, Pendleton, Roweth,
// Phys. Lett. B 195, 216 (1987)) for H(φ, p) = E(φ) + ½pᵀM⁻¹p. Every
// trajectory draws p ~ N(0, M), integrates Hamilton's equations with N
// leapfrog steps
//
//	p ← p + (ε/2)F(φ),   φ ← φ + ε M⁻¹p,   p ← p + (ε/2)F(φ),   F = −∇E,
//
// and accepts the end point with probability min(1, exp(−ΔH)). The
// leapfrog map is volume-preserving and time-reversible, so the chain is
// exact for any ε. M = 1 for plain HMC; FA-HMC uses the Fourier mass
// M(k) = βk̂² + m² (Davies et al., Phys. Rev. D 37, 1581 (1988);
// Catterall & Karamov, Phys. Lett. B 528, 301 (2002)).
type HMC struct {
	chain
	kin                      kinetic
	fk                       *fourierKinetic // nil for plain HMC
	energ                    float64         // E at the current state
	force                    []float64       // F at the current state
	trial, trialForce, p, xi []float64
	m2Sum                    float64 // Σ of Hartree masses over the mass-estimation window
	m2N                      int
	// lastAccepted reports whether the last trajectory was accepted.
	lastAccepted bool
	// nsteps is the number N of leapfrog steps in use.
	nsteps int
}

// NewHMC returns a plain HMC sampler (M = 1) for model, seeded with seed.
func NewHMC(model Model, opts Options, seed uint64) (*HMC, error) {
	if err := model.Validate(); err != nil {
		return nil, err
	}
	opts, err := opts.resolve(KindHMC, model.L)
	if err != nil {
		return nil, err
	}
	return newHMC(model.lattice(), opts, seed, false), nil
}

// NewFAHMC returns a Fourier-accelerated HMC sampler for model, seeded with
// seed: the kinetic energy is ½pᵀM⁻¹p with M diagonal in Fourier space,
//
//	M(k) = β k̂² + m²,   k̂² = Σ_μ 4 sin²(k_μ/2),
//
// applied with 2-D FFTs. βk̂² is exactly the hopping part of the Hessian of
// E; m² is opts.Mass2 or, if that is zero, the Hartree mass
// m²_H = ⟨12φ²⟩ − 2 − 4β (see Options.Mass2), so that M is the Gaussian
// approximation of the Hessian and all Fourier modes evolve on the same
// time scale.
func NewFAHMC(model Model, opts Options, seed uint64) (*HMC, error) {
	if err := model.Validate(); err != nil {
		return nil, err
	}
	opts, err := opts.resolve(KindFAHMC, model.L)
	if err != nil {
		return nil, err
	}
	return newHMC(model.lattice(), opts, seed, true), nil
}

// minMass2 is the smallest adaptive Fourier mass m².
const minMass2 = 0.01

// newHMC builds an HMC or FA-HMC sampler on an unchecked lattice with
// resolved options.
func newHMC(lat lattice, opts Options, seed uint64, fourier bool) *HMC {
	n := lat.sites()
	stream := uint64(0x4a3c_11d7_0000_0001)
	if fourier {
		stream++
	}
	s := &HMC{
		chain:      newChain(lat, opts, seed, stream),
		force:      make([]float64, n),
		trial:      make([]float64, n),
		trialForce: make([]float64, n),
		p:          make([]float64, n),
		xi:         make([]float64, n),
	}
	s.setSteps()
	s.energ = lat.energyForce(s.force, s.state.Data)
	s.work.GradEvals++
	s.kin = unitKinetic{}
	if fourier {
		m2 := opts.Mass2
		if m2 == 0 {
			m2 = max(lat.hessianMass2(s.state.Data), minMass2)
		}
		s.fk = newFourierKinetic(lat.l, lat.beta, m2)
		s.kin = s.fk
	}
	return s
}

// setSteps sets N from the options and the current step size.
func (s *HMC) setSteps() {
	s.nsteps = s.opts.Leapfrog
	if t := s.opts.TrajectoryLength; t > 0 {
		s.nsteps = int(min(max(math.Round(t/s.eps), 1), MaxLeapfrog))
	}
}

// Leapfrog returns the number N of leapfrog steps per trajectory (fixed
// after the warm-up).
func (s *HMC) Leapfrog() int { return s.nsteps }

// Mass2 returns the mass term m² of FA-HMC (fixed after the warm-up), or
// 0 for plain HMC.
func (s *HMC) Mass2() float64 {
	if s.fk == nil {
		return 0
	}
	return s.fk.m2
}

// WarmUp runs the warm-up if it has not run yet: opts.Warmup trajectories
// adapting ε towards the target acceptance (and N with it when
// opts.TrajectoryLength is set) and, for FA-HMC with adaptive
// mass, m² to the Hartree mass (averaged over the second quarter of the
// warm-up and fixed at its middle, after which the adaptation of ε starts
// afresh).
func (s *HMC) WarmUp(progress func(done, total int)) error {
	adaptMass := s.fk != nil && s.opts.Mass2 == 0
	n := s.opts.Warmup
	perStep := func(t int) {
		s.setSteps()
		if adaptMass && 2*t < n {
			h := s.lat.hessianMass2(s.state.Data)
			if 4*t >= n {
				s.m2Sum += h
				s.m2N++
			}
			last := 2*(t+1) >= n
			if last && s.m2N > 0 {
				h = s.m2Sum / float64(s.m2N)
			}
			s.fk.setMass2(max(h, minMass2))
			if last {
				s.adapt.restart(n - t - 1)
			}
		}
	}
	err := s.warmUp(func() float64 { return s.trajectory(s.eps) }, perStep, progress)
	s.setSteps()
	return err
}

// Step runs one trajectory (after the warm-up, which the first call runs).
func (s *HMC) Step() bool {
	if !s.warmed {
		if s.WarmUp(nil) != nil {
			return false
		}
	}
	if s.err != nil {
		return false
	}
	eps := s.eps
	if j := s.opts.Jitter; j > 0 {
		eps *= 1 + j*(2*s.rng.Float64()-1)
	}
	s.trajectory(eps)
	s.work.Steps++
	if s.lastAccepted {
		s.accSum++
	}
	return true
}

// trajectory runs one HMC trajectory with step eps and returns its
// acceptance probability min(1, exp(−ΔH)) (0 if ΔH is not finite).
func (s *HMC) trajectory(eps float64) float64 {
	k0 := s.kin.sample(s.p, s.xi, s.rng)
	copy(s.trial, s.state.Data)
	copy(s.trialForce, s.force)
	var e1 float64
	n := s.nsteps
	for j := 0; j < n; j++ {
		axpy(s.p, eps/2, s.trialForce)
		s.kin.drift(s.trial, s.p, eps)
		if j == n-1 {
			e1 = s.lat.energyForce(s.trialForce, s.trial)
		} else {
			s.lat.force(s.trialForce, s.trial)
		}
		axpy(s.p, eps/2, s.trialForce)
	}
	s.work.GradEvals += float64(n)
	dH := e1 + s.kin.energy(s.p) - s.energ - k0
	acc := 0.0
	switch {
	case dH <= 0:
		acc = 1
	case dH < math.Inf(1):
		acc = math.Exp(-dH)
	}
	if acc > 0 && s.rng.Float64() < acc {
		copy(s.state.Data, s.trial)
		copy(s.force, s.trialForce)
		s.energ = e1
		s.lastAccepted = true
	} else {
		s.lastAccepted = false
	}
	return acc
}

// axpy performs y ← y + a·x.
func axpy(y []float64, a float64, x []float64) {
	for i, v := range x {
		y[i] += a * v
	}
}
