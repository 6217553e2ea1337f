package turbulence

import "math"

// Energy returns the kinetic energy per unit area E = ½⟨|u|²⟩ = ½Σ_k |ω̂_k|²/|k|².
func (s *Simulation) Energy() float64 {
	e, _ := s.rates()
	return e
}

// Enstrophy returns Z = ½⟨ω²⟩ = ½Σ_k |ω̂_k|².
func (s *Simulation) Enstrophy() float64 {
	z := 0.0
	for i, w := range s.w {
		z += s.keep[i] * sq(w)
	}
	nn := float64(s.n * s.n)
	return z / 2 / (nn * nn)
}

// Dissipation returns the instantaneous energy dissipation rates of the
// drag, 2μE, and of the hyperviscosity, D_ν = Σ_k ν_p|k|^{2p−2}|ω̂_k|².
func (s *Simulation) Dissipation() (drag, viscous float64) {
	e, v := s.rates()
	return 2 * s.p.Mu * e, v
}

// EnergySpectrum returns the shell-summed energy spectrum: k[j] = j+1 and
// e[j] = Σ_{j+½ ≤ |k| < j+3/2} ½|ω̂_k|²/|k|², for shells up to the largest
// retained |k| = K√2, so that Σ_j e[j] = Energy(). (Modes with 0 < |k| < ½
// do not exist; shell 1 holds |k| = 1 and √2.)
func (s *Simulation) EnergySpectrum() (k, e []float64) {
	nsh := int(math.Ceil(float64(dealiasK(s.n))*math.Sqrt2 + 0.5))
	k = make([]float64, nsh)
	e = make([]float64, nsh)
	for j := range k {
		k[j] = float64(j + 1)
	}
	nn := float64(s.n * s.n)
	norm := 1 / (2 * nn * nn)
	for i, w := range s.w {
		if s.keep[i] == 0 {
			continue
		}
		r := math.Sqrt(s.kx[i]*s.kx[i] + s.ky[i]*s.ky[i])
		j := min(int(math.Floor(r+0.5))-1, nsh-1)
		e[j] += sq(w) * s.invK2[i] * norm
	}
	return k, e
}

// RMSVelocity returns U = √⟨|u|²⟩ = √(2E).
func (s *Simulation) RMSVelocity() float64 { return math.Sqrt(2 * s.Energy()) }

// IntegralScale returns L = 2π Σ_k |k|⁻¹E_k / Σ_k E_k, the energy-weighted
// mean wavelength (2π/k₀ for a flow made of modes with |k| = k₀), or +Inf
// at rest.
func (s *Simulation) IntegralScale() float64 {
	num, den := 0.0, 0.0
	for i, w := range s.w {
		if s.keep[i] == 0 {
			continue
		}
		a := sq(w) * s.invK2[i]
		den += a
		num += a * math.Sqrt(s.invK2[i])
	}
	if den == 0 {
		return math.Inf(1)
	}
	return 2 * math.Pi * num / den
}

// EddyTurnoverTime returns T = L/U, the time an r.m.s. velocity U = √(2E)
// takes to cross the integral scale L (IntegralScale), or +Inf at rest. It
// is the time scale of the energy-containing eddies, longer than the
// vortex time 1/ω_rms = 1/√(2Z) of the enstrophy range; snapshots spaced
// by T are decorrelated at all scales (measured in the tests).
func (s *Simulation) EddyTurnoverTime() float64 {
	u := s.RMSVelocity()
	if u == 0 {
		return math.Inf(1)
	}
	return s.IntegralScale() / u
}
