package phi4

import "math"

// Cluster is the embedded-Ising cluster algorithm of Brower & Tamayo
// (Phys. Rev. Lett. 62, 1087 (1989)): one step is a local MALA sweep
// (which changes the magnitudes |φ(x)|) followed by one Swendsen–Wang
// update (Phys. Rev. Lett. 58, 86 (1987)) of the signs ε(x) = sign φ(x).
//
// With the magnitudes fixed, E depends on the signs only through the
// hopping term −β Σ_<x,x'> φ(x)φ(x') = −Σ_<x,x'> J_xx' ε(x)ε(x'),
// J_xx' = β|φ(x)||φ(x')| ≥ 0: a ferromagnetic Ising model with random
// couplings. Swendsen–Wang puts a bond on every neighbour pair of equal
// sign with probability
//
//	p_xx' = 1 − exp(−2β φ(x)φ(x'))   (φ(x)φ(x') > 0; no bond otherwise),
//
// and flips each connected cluster of bonded sites with probability ½.
// This leaves the conditional law of the signs invariant, hence p(φ) ∝
// exp(−E), while flipping whole domains at once; the MALA sweep makes the
// chain ergodic. At the critical point it removes most of the critical
// slowing down of local and gradient-based samplers, for whose cost it is
// not a comparable measure: it needs the Ising embedding that φ⁴ has and a
// general energy does not.
//
// Work counts the MALA sweep's two local force evaluations per site as 2
// gradient evaluations; the cluster update evaluates no gradient.
type Cluster struct {
	MALA
	parent []int32 // union-find forest of the current update
	flip   []int8  // per root: 0 undecided, 1 keep, 2 flip
}

// NewCluster returns the cluster sampler for model, seeded with seed. The
// MALA part uses opts as NewMALA does (step h adapted during the warm-up
// towards opts.TargetAccept, default 0.574); opts.Leapfrog, Jitter and
// Mass2 are not used.
func NewCluster(model Model, opts Options, seed uint64) (*Cluster, error) {
	if err := model.Validate(); err != nil {
		return nil, err
	}
	opts, err := opts.resolve(KindCluster, model.L)
	if err != nil {
		return nil, err
	}
	return newCluster(model.lattice(), opts, seed), nil
}

// newCluster builds a cluster sampler on an unchecked lattice with resolved
// options.
func newCluster(lat lattice, opts Options, seed uint64) *Cluster {
	n := lat.sites()
	return &Cluster{
		MALA:   MALA{chain: newChain(lat, opts, seed, 0x4a3c_11d7_0000_0004)},
		parent: make([]int32, n),
		flip:   make([]int8, n),
	}
}

// WarmUp runs the warm-up if it has not run yet: opts.Warmup steps (sweep
// and cluster update) adapting the MALA step towards the target acceptance.
func (s *Cluster) WarmUp(progress func(done, total int)) error {
	return s.warmUp(func() float64 {
		p := s.sweep(s.eps)
		s.swendsenWang()
		return p
	}, nil, progress)
}

// Step runs one MALA sweep and one Swendsen–Wang update (after the
// warm-up, which the first call runs).
func (s *Cluster) Step() bool {
	if !s.warmed {
		if s.WarmUp(nil) != nil {
			return false
		}
	}
	if s.err != nil {
		return false
	}
	_, rate := s.sweepRate(s.eps)
	s.swendsenWang()
	s.accSum += rate
	s.work.Steps++
	return true
}

// find returns the root of i, halving the path on the way.
func (s *Cluster) find(i int32) int32 {
	p := s.parent
	for p[i] != i {
		p[i] = p[p[i]]
		i = p[i]
	}
	return i
}

// bond joins sites i and j with probability 1 − exp(−2βφ_iφ_j) when their
// signs agree.
func (s *Cluster) bond(phi []float64, i, j int32) {
	c := phi[i] * phi[j]
	if !(c > 0) {
		return
	}
	if s.rng.Float64() >= -math.Expm1(-2*s.lat.beta*c) {
		return
	}
	a, b := s.find(i), s.find(j)
	if a != b {
		if a < b {
			a, b = b, a
		}
		s.parent[a] = b
	}
}

// swendsenWang runs one Swendsen–Wang update of the signs: a bond draw on
// every right and down neighbour pair (so on small periodic lattices a pair
// that is linked twice in E gets two draws), then a fair coin per cluster.
func (s *Cluster) swendsenWang() {
	l, mask := s.lat.l, s.lat.mask
	phi := s.state.Data
	for i := range s.parent {
		s.parent[i] = int32(i)
		s.flip[i] = 0
	}
	for y := 0; y < l; y++ {
		down := ((y + 1) & mask) * l
		for x := 0; x < l; x++ {
			i := int32(y*l + x)
			s.bond(phi, i, int32(y*l+((x+1)&mask)))
			s.bond(phi, i, int32(down+x))
		}
	}
	for i := range phi {
		r := s.find(int32(i))
		if s.flip[r] == 0 {
			s.flip[r] = 1 + int8(s.rng.Uint64()&1)
		}
		if s.flip[r] == 2 {
			phi[i] = -phi[i]
		}
	}
}
