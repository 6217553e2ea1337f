package main

import (
	"fmt"
	"math"

	"scalewise/engine/fourier"
)

// enstrophyFlux returns the enstrophy flux of the vorticity ω (an n×n
// field on the periodic [0, 2π)², integer wave vectors q) through each
// wavenumber of ks,
//
//	Π(K) = n⁻⁴ Σ_{0 < |q| ≤ K} Re ω̂*(q) (u·∇ω)^(q),   u = ∇^⊥ψ = (∂_yψ, −∂_xψ),  ∇²ψ = −ω,
//
// the rate at which the advection takes enstrophy ½Σ|ω̂|²/n⁴ out of the
// modes |q| ≤ K (positive for the forward enstrophy cascade of forced
// 2-D turbulence; Kraichnan, Phys. Fluids 10, 1417 (1967); Boffetta and
// Ecke, Annu. Rev. Fluid Mech. 44, 427 (2012)). The products are formed
// on the grid without dealiasing: it is a statistic of the field, not the
// solver's transfer.
//
// Π is odd under ω ↦ −ω (u·∇ω is even in ω) and under a reflection
// ω ↦ ω∘R (u·∇ω is a Jacobian, odd under R), and even under the symmetry
// ω ↦ −ω∘R of the Navier–Stokes equations: a field whose law were
// symmetric under ω ↦ −ω or under x ↔ y alone would have E[Π] = 0.
func enstrophyFlux(omega []float64, n int, ks []float64) ([]float64, error) {
	p, err := fourier.NewPlan2D(n, n)
	if err != nil {
		return nil, err
	}
	if len(omega) != n*n {
		return nil, fmt.Errorf("enstrophy flux: %d values for a %d×%d field", len(omega), n, n)
	}
	N := n * n
	w := make([]complex128, N)
	if err := p.ForwardReal(w, omega); err != nil {
		return nil, err
	}
	spec := [4][]complex128{} // û, v̂, ∂_xω^, ∂_yω^
	for i := range spec {
		spec[i] = make([]complex128, N)
	}
	for r := range n {
		qy := float64(fourier.SignedIndex(r, n))
		for c := range n {
			qx := float64(fourier.SignedIndex(c, n))
			k := r*n + c
			q2 := qx*qx + qy*qy
			var psi complex128
			if q2 > 0 {
				psi = w[k] / complex(q2, 0)
			}
			spec[0][k] = complex(0, qy) * psi
			spec[1][k] = complex(0, -qx) * psi
			spec[2][k] = complex(0, qx) * w[k]
			spec[3][k] = complex(0, qy) * w[k]
		}
	}
	var grid [4][]float64
	for i := range grid {
		grid[i] = make([]float64, N)
		if err := p.InverseReal(grid[i], spec[i]); err != nil {
			return nil, err
		}
	}
	adv := make([]float64, N)
	for k := range adv {
		adv[k] = grid[0][k]*grid[2][k] + grid[1][k]*grid[3][k]
	}
	a := make([]complex128, N)
	if err := p.ForwardReal(a, adv); err != nil {
		return nil, err
	}
	out := make([]float64, len(ks))
	norm := 1 / (float64(N) * float64(N))
	for r := range n {
		qy := float64(fourier.SignedIndex(r, n))
		for c := range n {
			qx := float64(fourier.SignedIndex(c, n))
			q := math.Hypot(qx, qy)
			if q == 0 {
				continue
			}
			k := r*n + c
			t := (real(w[k])*real(a[k]) + imag(w[k])*imag(a[k])) * norm
			for i, K := range ks {
				if q <= K {
					out[i] += t
				}
			}
		}
	}
	return out, nil
}

// fluxStat is the mean enstrophy flux through one wavenumber over a set
// of fields, with its standard error.
type fluxStat struct {
	K      float64 `json:"k"`
	Mean   float64 `json:"mean"`
	StdErr float64 `json:"std_err"`
}

// meanFlux returns the mean and standard error of Π(K) over the fields
// xs (n×n each) for each K of ks.
func meanFlux(xs [][]float64, n int, ks []float64) ([]fluxStat, error) {
	s1, s2 := make([]float64, len(ks)), make([]float64, len(ks))
	for _, x := range xs {
		pi, err := enstrophyFlux(x, n, ks)
		if err != nil {
			return nil, err
		}
		for i, v := range pi {
			s1[i] += v
			s2[i] += v * v
		}
	}
	m := float64(len(xs))
	out := make([]fluxStat, len(ks))
	for i, K := range ks {
		mean := s1[i] / m
		v := max(0, s2[i]/m-mean*mean) * m / max(1, m-1)
		out[i] = fluxStat{K: K, Mean: mean, StdErr: math.Sqrt(v / m)}
	}
	return out, nil
}
