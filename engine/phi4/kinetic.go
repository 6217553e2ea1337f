package phi4

import (
	"math"
	"math/rand/v2"

	"scalewise/engine/fourier"
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
// maps real fields to real fields through the filter M(k)^a, applied on the
// half spectrum of the real field (fourier.Plan2D.FilterHalf, which
// computes bit for bit what the dedicated transform of this package did
// before; see the benchmark in package fourier).
type fourierKinetic struct {
	l       int
	beta    float64
	m2      float64
	plan    *fourier.Plan2D
	spec    []complex128 // half spectrum
	invM    []float64    // 1/M(k) on the half spectrum
	sqrtM   []float64    // M(k)^½ on the half spectrum
	weight  []float64    // halfWeight(k)/L², for K computed in Fourier space
	scratch []float64
}

func newFourierKinetic(l int, beta, m2 float64) *fourierKinetic {
	plan, _ := fourier.NewPlan2D(l, l) // l ≥ 1 is a checked lattice side
	n := plan.HalfLen()
	k := &fourierKinetic{
		l: l, beta: beta,
		plan:    plan,
		spec:    make([]complex128, n),
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

// filter stores in dst the real field with spectrum g(k)·φ̂(k), for src
// real and g real and even (g given on the half spectrum). dst may be src.
func (k *fourierKinetic) filter(dst, src, g []float64) {
	_ = k.plan.FilterHalf(dst, src, g) // sizes match by construction
}

// sample draws ξ ~ N(0, 1) and sets p = M^½ ξ, so that K(p) = ½|ξ|².
func (k *fourierKinetic) sample(p, xi []float64, rng *rand.Rand) float64 {
	s := 0.0
	for i := range xi {
		v := rng.NormFloat64()
		xi[i] = v
		s += v * v
	}
	k.filter(p, xi, k.sqrtM)
	return s / 2
}

func (k *fourierKinetic) drift(phi, p []float64, eps float64) {
	k.filter(k.scratch, p, k.invM)
	for i, v := range k.scratch {
		phi[i] += eps * v
	}
}

// energy returns ½ L⁻² Σ_k |p̂(k)|²/M(k) (Parseval), from one forward FFT.
// The sum runs column after column of the half spectrum, the order of the
// column-major transform FA-HMC used before fourier.Plan2D, so that chains
// stay bit for bit reproducible.
func (k *fourierKinetic) energy(p []float64) float64 {
	_ = k.plan.ForwardHalf(k.spec, p)
	h := k.plan.HalfCols()
	s := 0.0
	for n1 := range h {
		for i := n1; i < len(k.spec); i += h {
			c := k.spec[i]
			s += k.weight[i] * k.invM[i] * (real(c)*real(c) + imag(c)*imag(c))
		}
	}
	return s / 2
}

// halfIndex returns the frequencies (n₁, n₂) of the half-spectrum index
// i = n₂·(L/2+1) + n₁ (fourier.Plan2D.ForwardHalf's layout), with n₁ =
// 0..L/2 the column (x) and n₂ = 0..L−1 the row (y) frequency.
func halfIndex(l, i int) (n1, n2 int) { return i % (l/2 + 1), i / (l/2 + 1) }

// latticeMomentum2 returns k̂² = Σ_μ 4 sin²(k_μ/2) for the half-spectrum
// index i, k_μ = 2πn_μ/L: the eigenvalue of minus the nearest-neighbour
// lattice Laplacian.
func latticeMomentum2(l, i int) float64 {
	n1, n2 := halfIndex(l, i)
	s1 := math.Sin(math.Pi * float64(n1) / float64(l))
	s2 := math.Sin(math.Pi * float64(n2) / float64(l))
	return 4 * (s1*s1 + s2*s2)
}

// halfWeight returns how many modes of the full spectrum the half-spectrum
// index i stands for: 1 for the columns n₁ = 0 and n₁ = L/2 (closed under
// conjugation), 2 for the others (which also stand for their conjugates).
func halfWeight(l, i int) float64 {
	n1, _ := halfIndex(l, i)
	if n1 == 0 || 2*n1 == l {
		return 1
	}
	return 2
}
