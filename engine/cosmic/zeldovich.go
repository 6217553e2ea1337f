package cosmic

import (
	"fmt"
	"math"

	"scalewise/engine/field"
	"scalewise/engine/fourier"
)

// Zeldovich returns the density, in units of the mean, of (sN)² particles
// of mass 1/s² (s = p.Particles) started at the centres q of the cells of
// an sN×sN lattice laid over the N×N grid and moved to
//
//	x = q + D Ψ(q),   Ψ = −∇φ,   ∇²φ = δ_L,   i.e.  Ψ̂(k) = i k δ̂_L(k)/|k|²,
//
// with δ_L = Gaussian(p) the linear density at D = 1 and D = p.Growth (the
// Zel'dovich approximation; Zel'dovich, A&A 5, 84 (1970)), then deposited
// on the N×N grid points by cloud-in-cell (bilinear weights; Hockney &
// Eastwood, "Computer Simulation Using Particles" (1988), §5-3) with
// periodic wrapping. Ψ is evaluated at the particles exactly, by zero
// padding its spectrum to sN×sN and shifting it by half a lattice cell
// (the Nyquist rows and columns of δ̂_L, whose derivatives and shifts are
// not real, are left out of Ψ).
//
// Properties (tested): every particle deposits weights summing to 1, so the
// field sums to N² — the number of particles times their mass — up to
// round-off, and it is ≥ 0; at D = 0 it is exactly 1 (no particle sits on
// a kink of the bilinear weights), and to first order in D it is
// 1 + Dδ_L = 1 − D∇·Ψ up to the O(k²) error of the weights' central
// differences; at larger D the displacement map folds (shell crossing) and
// the density becomes skewed, with caustics, filaments and voids. It is not
// an N-body simulation: see the package documentation.
func Zeldovich(p Params) (*field.Field, error) {
	spec, _, err := gaussianSpectrum(p)
	if err != nil {
		return nil, err
	}
	n := p.N
	s := max(p.Particles, 1)
	m := s * n
	if m > MaxN {
		return nil, fmt.Errorf("cosmic: particle lattice %d×%d (N = %d, %d per cell side) exceeds %d per side", m, m, n, s, MaxN)
	}
	plan, err := fourier.NewPlan2D(m, m)
	if err != nil {
		return nil, err
	}
	// Ψx + iΨy (in cells) at the lattice points (a + ½)/s is the inverse
	// sN×sN DFT of s²·iδ̂(kₓ + ikᵧ)/|k|²·e^{i(kₓ+kᵧ)/(2s)}, k in radians per
	// cell, each mode at its own signed index (zero padding).
	psi := make([]complex128, m*m)
	scale := float64(s * s)
	for r := 0; r < n; r++ {
		if r == n/2 {
			continue
		}
		my := fourier.SignedIndex(r, n)
		ky := 2 * math.Pi * float64(my) / float64(n)
		for c := 0; c < n; c++ {
			if c == n/2 {
				continue
			}
			mx := fourier.SignedIndex(c, n)
			kx := 2 * math.Pi * float64(mx) / float64(n)
			k2 := kx*kx + ky*ky
			if k2 == 0 {
				continue
			}
			sn, cs := math.Sincos((kx + ky) / float64(2*s))
			v := complex(0, scale) * spec[r*n+c] * complex(kx/k2, ky/k2) * complex(cs, sn)
			psi[((my+m)%m)*m+(mx+m)%m] = v
		}
	}
	if err := plan.Inverse(psi, psi); err != nil {
		return nil, err
	}
	rho := field.New(n, n)
	d := p.Growth
	fn := float64(n)
	mass := 1 / scale
	for b := 0; b < m; b++ {
		qy := (float64(b) + 0.5) / float64(s)
		for a := 0; a < m; a++ {
			qx := (float64(a) + 0.5) / float64(s)
			disp := psi[b*m+a]
			x := wrap(qx+d*real(disp), fn)
			y := wrap(qy+d*imag(disp), fn)
			x0, y0 := math.Floor(x), math.Floor(y)
			fx, fy := x-x0, y-y0
			i0, j0 := int(x0)%n, int(y0)%n
			i1, j1 := (i0+1)%n, (j0+1)%n
			rho.Data[j0*n+i0] += mass * (1 - fx) * (1 - fy)
			rho.Data[j0*n+i1] += mass * fx * (1 - fy)
			rho.Data[j1*n+i0] += mass * (1 - fx) * fy
			rho.Data[j1*n+i1] += mass * fx * fy
		}
	}
	return rho, nil
}

// wrap returns x modulo l in [0, l).
func wrap(x, l float64) float64 {
	x = math.Mod(x, l)
	if x < 0 {
		x += l
	}
	if x >= l { // −tiny + l rounds to l
		x = 0
	}
	return x
}
