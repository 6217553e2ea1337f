package phi4

import (
	"math"
	"math/rand/v2"
)

// kinetic is the kinetic energy K(p) = ½ pᵀM⁻¹p of hybrid Monte Carlo, for a
// symmetric positive-definite mass matrix M.
type kinetic interface {
	// sample stores a momentum p ~ N(0, M) in p (xi is scratch) and returns
	// K(p).
	sample(p, xi []float64, rng *rand.Rand) float64
	// drift performs φ ← φ + ε M⁻¹p.
	drift(phi, p []float64, eps float64)
	// energy returns K(p) = ½ pᵀM⁻¹p.
	energy(p []float64) float64
}

// unitKinetic is M = 1: K(p) = ½ Σ p², the kinetic energy of plain HMC.
type unitKinetic struct{}

func (unitKinetic) sample(p, _ []float64, rng *rand.Rand) float64 {
	s := 0.0
	for i := range p {
		v := rng.NormFloat64()
		p[i] = v
		s += v * v
	}
	return s / 2
}

func (unitKinetic) drift(phi, p []float64, eps float64) {
	for i, v := range p {
		phi[i] += eps * v
	}
}

func (unitKinetic) energy(p []float64) float64 {
	s := 0.0
	for _, v := range p {
		s += v * v
	}
	return s / 2
}

// fourierKinetic is the Fourier-accelerated kinetic energy
// K(p) = ½ pᵀM⁻¹p with M diagonal in Fourier space,
//
//	M(k) = β k̂² + m²,   k̂² = Σ_μ 4 sin²(k_μ/2),
//
// the free lattice propagator of the Gaussian part of E (Davies et al.,
// Phys. Rev. D 37, 1581 (1988); Catterall & Karamov, Phys. Lett. B 528, 301
// (2002)). M is a real symmetric circulant matrix, so M^a for any real a
// maps real fields to real fields through the filter M(k)^a.
type fourierKinetic struct {
	l       int
	beta    float64
	m2      float64
	plan    *fft2
	invM    []float64 // 1/M(k) on the half spectrum
	sqrtM   []float64 // M(k)^½ on the half spectrum
	weight  []float64 // halfWeight(k)/L², for K computed in Fourier space
	scratch []float64
}

func newFourierKinetic(l int, beta, m2 float64) *fourierKinetic {
	n := l * (l/2 + 1)
	k := &fourierKinetic{
		l: l, beta: beta,
		plan:    newFFT2(l),
		invM:    make([]float64, n),
		sqrtM:   make([]float64, n),
		weight:  make([]float64, n),
		scratch: make([]float64, l*l),
	}
	for i := range k.weight {
		k.weight[i] = halfWeight(l, i) / float64(l*l)
	}
	k.setMass2(m2)
	return k
}

// setMass2 sets m² (> 0) and recomputes M(k).
func (k *fourierKinetic) setMass2(m2 float64) {
	k.m2 = m2
	for i := range k.invM {
		m := k.beta*latticeMomentum2(k.l, i) + m2
		k.invM[i] = 1 / m
		k.sqrtM[i] = math.Sqrt(m)
	}
}

// sample draws ξ ~ N(0, 1) and sets p = M^½ ξ, so that K(p) = ½|ξ|².
func (k *fourierKinetic) sample(p, xi []float64, rng *rand.Rand) float64 {
	s := 0.0
	for i := range xi {
		v := rng.NormFloat64()
		xi[i] = v
		s += v * v
	}
	k.plan.filter(p, xi, k.sqrtM)
	return s / 2
}

func (k *fourierKinetic) drift(phi, p []float64, eps float64) {
	k.plan.filter(k.scratch, p, k.invM)
	for i, v := range k.scratch {
		phi[i] += eps * v
	}
}

// energy returns ½ L⁻² Σ_k |p̂(k)|²/M(k) (Parseval), from one forward FFT.
func (k *fourierKinetic) energy(p []float64) float64 {
	k.plan.forward(p)
	s := 0.0
	for i, c := range k.plan.spec {
		s += k.weight[i] * k.invM[i] * (real(c)*real(c) + imag(c)*imag(c))
	}
	return s / 2
}
