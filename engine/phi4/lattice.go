package phi4

import "fmt"

// Lattice sizes accepted by the public API.
const (
	MinL = 8   // smallest lattice side
	MaxL = 256 // largest lattice side
)

// checkL returns an error unless l is a power of two in [MinL, MaxL].
func checkL(l int) error {
	if l < MinL || l > MaxL || l&(l-1) != 0 {
		return fmt.Errorf("phi4: lattice size L = %d must be a power of two from %d to %d", l, MinL, MaxL)
	}
	return nil
}

// lattice is the unchecked periodic L×L φ⁴ energy with coupling beta. L may
// be any power of two ≥ 1 (the tests use L = 1 and 2, where periodic
// neighbours coincide with the site itself or with each other; the pair sum
// of E then counts those bonds with multiplicity, consistently with Force).
type lattice struct {
	l, mask int
	beta    float64
}

func newLattice(l int, beta float64) lattice { return lattice{l: l, mask: l - 1, beta: beta} }

// sites returns L².
func (t lattice) sites() int { return t.l * t.l }

// energy returns E(φ) = −β Σ_x φ(x)[φ(x+ê₁)+φ(x+ê₂)] + Σ_x [φ(x)⁴ − φ(x)²].
func (t lattice) energy(phi []float64) float64 {
	l, mask := t.l, t.mask
	var hop, pot float64
	for y := 0; y < l; y++ {
		row := phi[y*l : y*l+l]
		down := phi[((y+1)&mask)*l : ((y+1)&mask)*l+l]
		for x, v := range row {
			hop += v * (row[(x+1)&mask] + down[x])
			v2 := v * v
			pot += v2 * (v2 - 1)
		}
	}
	return -t.beta*hop + pot
}

// force stores −∇E in dst: −∂E/∂φ(x) = β Σ_{x'~x} φ(x') − 4φ(x)³ + 2φ(x),
// the sum over the four nearest neighbours.
func (t lattice) force(dst, phi []float64) {
	l, mask := t.l, t.mask
	for y := 0; y < l; y++ {
		row := phi[y*l : y*l+l]
		up := phi[((y-1)&mask)*l : ((y-1)&mask)*l+l]
		down := phi[((y+1)&mask)*l : ((y+1)&mask)*l+l]
		out := dst[y*l : y*l+l]
		for x, v := range row {
			s := row[(x+1)&mask] + row[(x-1)&mask] + up[x] + down[x]
			out[x] = t.beta*s - 4*v*v*v + 2*v
		}
	}
}

// energyForce stores −∇E in dst and returns E, in one pass.
func (t lattice) energyForce(dst, phi []float64) float64 {
	l, mask := t.l, t.mask
	var hop, pot float64
	for y := 0; y < l; y++ {
		row := phi[y*l : y*l+l]
		up := phi[((y-1)&mask)*l : ((y-1)&mask)*l+l]
		down := phi[((y+1)&mask)*l : ((y+1)&mask)*l+l]
		out := dst[y*l : y*l+l]
		for x, v := range row {
			r := row[(x+1)&mask]
			hop += v * (r + down[x])
			v2 := v * v
			pot += v2 * (v2 - 1)
			out[x] = t.beta*(r+row[(x-1)&mask]+up[x]+down[x]) - 4*v2*v + 2*v
		}
	}
	return -t.beta*hop + pot
}

// neighbourSum returns Σ_{x'~x} φ(x') for site i = y·L+x.
func (t lattice) neighbourSum(phi []float64, i int) float64 {
	l, mask := t.l, t.mask
	x, y := i&mask, i/l
	return phi[y*l+((x+1)&mask)] + phi[y*l+((x-1)&mask)] +
		phi[((y+1)&mask)*l+x] + phi[((y-1)&mask)*l+x]
}

// hessianMass2 returns the mean diagonal of the Hessian of E minus its
// hopping part, m²_H = L⁻² Σ_x (12φ(x)² − 2) − 4β: the mass of the
// Gaussian (Hartree) approximation βk̂² + m²_H of the Hessian in Fourier
// space at configuration φ.
func (t lattice) hessianMass2(phi []float64) float64 {
	s := 0.0
	for _, v := range phi {
		s += v * v
	}
	return 12*s/float64(len(phi)) - 2 - 4*t.beta
}
