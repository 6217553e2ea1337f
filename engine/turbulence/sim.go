package turbulence

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"

	"scalewise/engine/field"
	"scalewise/engine/fourier"
)

// ErrBlowUp reports a NaN or infinite value in the state: the time step was
// too large for the flow (or the parameters make the flow unbounded).
var ErrBlowUp = errors.New("turbulence: the state is no longer finite (blow-up)")

// ErrCFL reports a fixed time step whose Courant number exceeds Params.CFL.
var ErrCFL = errors.New("turbulence: Courant number above the bound")

// forcingStream is the PCG stream of the forcing noise.
const forcingStream = 0x7475_7262_0000_0001

// Simulation is a pseudo-spectral simulation of forced, damped 2-D
// Navier–Stokes turbulence (see the package documentation). The state is
// the unnormalised 2-D DFT W_k = N²ω̂_k of the vorticity on the N×N grid,
// x = 2π·column/N, y = 2π·row/N, with kₓ the column and kᵧ the row
// frequency. A Simulation is not safe for concurrent use.
type Simulation struct {
	p    Params
	n    int
	plan *fourier.Plan2D
	pcg  *rand.PCG // the forcing's generator (its state is saved by MarshalBinary)
	rng  *rand.Rand

	// Per mode i = row·N + column.
	kx, ky []float64 // integer wave numbers as float64
	invK2  []float64 // 1/|k|² (0 at k = 0 and outside the retained set)
	keep   []float64 // 1 on retained modes (2/3 rule, k ≠ 0), 0 elsewhere
	lin    []float64 // L_k = −μ − ν|k|^{2p} (0 outside the retained set)
	eFull  []float64 // e^{L dt}
	eHalf  []float64 // e^{L dt/2}

	// Forcing: band modes in the half plane and their conjugates.
	band, bandConj []int
	bandInvK2      []float64
	sigma          float64 // σ of the package documentation, per unit √time

	// State and scratch (all N²).
	w, acc, tmp, nl []complex128
	bufA, bufB      []complex128
	prod            []float64

	t, dt    float64
	dtFactor float64 // dt of the current integrating factors (0: none yet)
	steps    int
	courant  float64 // Courant number of the last step (at its start)
	eStart   float64 // energy at the start of the last step
	budget   Budget
	err      error

	spun       bool
	spinInfo   SpinUpInfo
	spectrumKs []float64
}

// Budget holds time integrals, since the start, of the terms of the energy
// budget dE/dt = ε − 2μE − D_ν: Injected is the energy added by the forcing
// increments (measured exactly, step by step; its mean rate is ε), Drag
// and Viscous the left Riemann sums of 2μE and D_ν over the steps.
type Budget struct {
	Injected, Drag, Viscous float64
}

// New returns a simulation with parameters p at time 0.
func New(p Params) (*Simulation, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	n := p.N
	plan, err := fourier.NewPlan2D(n, n)
	if err != nil {
		return nil, err
	}
	nn := n * n
	pcg := rand.NewPCG(p.Seed, forcingStream)
	s := &Simulation{
		p: p, n: n, plan: plan, pcg: pcg,
		rng:   rand.New(pcg),
		kx:    make([]float64, nn),
		ky:    make([]float64, nn),
		invK2: make([]float64, nn),
		keep:  make([]float64, nn),
		lin:   make([]float64, nn),
		eFull: make([]float64, nn),
		eHalf: make([]float64, nn),
		w:     make([]complex128, nn),
		acc:   make([]complex128, nn),
		tmp:   make([]complex128, nn),
		nl:    make([]complex128, nn),
		bufA:  make([]complex128, nn),
		bufB:  make([]complex128, nn),
		prod:  make([]float64, nn),
		dt:    p.Dt,
	}
	kmax := dealiasK(n)
	for r := 0; r < n; r++ {
		ky := fourier.SignedIndex(r, n)
		for c := 0; c < n; c++ {
			kx := fourier.SignedIndex(c, n)
			i := r*n + c
			s.kx[i], s.ky[i] = float64(kx), float64(ky)
			if (kx == 0 && ky == 0) || abs(kx) > kmax || abs(ky) > kmax {
				continue
			}
			k2 := float64(kx*kx + ky*ky)
			s.keep[i] = 1
			s.invK2[i] = 1 / k2
			s.lin[i] = -p.Mu - p.Nu*math.Pow(k2, float64(p.P))
		}
	}
	if p.Epsilon > 0 {
		lo, hi := p.Kf-p.DeltaK, p.Kf+p.DeltaK
		sumInv := 0.0
		for i := range s.keep {
			if s.keep[i] == 0 {
				continue
			}
			k := math.Sqrt(1 / s.invK2[i])
			if k < lo || k > hi {
				continue
			}
			sumInv += s.invK2[i]
			// Canonical half plane: kᵧ > 0, or kᵧ = 0 and kₓ > 0.
			if s.ky[i] > 0 || (s.ky[i] == 0 && s.kx[i] > 0) {
				c := int(s.kx[i])
				r := int(s.ky[i])
				s.band = append(s.band, i)
				s.bandConj = append(s.bandConj, ((n-r)%n)*n+(n-c)%n)
				s.bandInvK2 = append(s.bandInvK2, s.invK2[i])
			}
		}
		// ε = ½σ²Σ_{band}|k|⁻² over the whole band (k and −k).
		s.sigma = math.Sqrt(2 * p.Epsilon / sumInv)
	}
	if p.Init != nil {
		if err := plan.ForwardReal(s.w, p.Init.Data); err != nil {
			return nil, err
		}
		for i := range s.w {
			s.w[i] *= complex(s.keep[i], 0)
		}
	}
	return s, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Params returns the parameters of the simulation.
func (s *Simulation) Params() Params { return s.p }

// Time returns the simulated time.
func (s *Simulation) Time() float64 { return s.t }

// Steps returns the number of steps taken.
func (s *Simulation) Steps() int { return s.steps }

// Dt returns the time step of the last step (Params.Dt before the first).
func (s *Simulation) Dt() float64 { return s.dt }

// Courant returns the Courant number dt·max(|u|+|v|)/Δx of the last step,
// measured on the state at its start.
func (s *Simulation) Courant() float64 { return s.courant }

// Budget returns the time-integrated energy budget since the start.
func (s *Simulation) Budget() Budget { return s.budget }

// Err returns the error that stopped the simulation, if any.
func (s *Simulation) Err() error { return s.err }

// setFactors computes the integrating factors e^{L dt} and e^{L dt/2}.
func (s *Simulation) setFactors(dt float64) {
	for i, l := range s.lin {
		s.eFull[i] = math.Exp(l * dt)
		s.eHalf[i] = math.Exp(l * dt / 2)
	}
	s.dtFactor = dt
}

// nonlinear stores in dst the dealiased advection term −u·∇ω of the state
// w (both unnormalised DFTs) and returns max(|u|+|v|) on the grid. With
// ψ̂ = ω̂/|k|², u + iv is the inverse DFT of ψ̂(kₓ + ikᵧ) and ∂ₓω + i∂ᵧω
// that of iω̂(kₓ + ikᵧ) (both u and v, ∂ₓω and ∂ᵧω being real).
func (s *Simulation) nonlinear(dst, w []complex128) float64 {
	a, b := s.bufA, s.bufB
	for i, wi := range w {
		z := complex(s.kx[i], s.ky[i])
		psi := wi * complex(s.invK2[i], 0)
		a[i] = psi * z
		b[i] = complex(0, s.keep[i]) * wi * z
	}
	_ = s.plan.Inverse(a, a)
	_ = s.plan.Inverse(b, b)
	umax := 0.0
	for j := range s.prod {
		u, v := real(a[j]), imag(a[j])
		s.prod[j] = u*real(b[j]) + v*imag(b[j])
		if sp := math.Abs(u) + math.Abs(v); sp > umax {
			umax = sp
		}
	}
	_ = s.plan.ForwardReal(dst, s.prod)
	for i := range dst {
		dst[i] *= complex(-s.keep[i], 0)
	}
	return umax
}

// Step advances the simulation by one time step: an IFRK4 step of the
// deterministic equation followed by the forcing increment. It returns
// ErrBlowUp (wrapped) if the state stops being finite, ErrCFL (wrapped)
// if a fixed step exceeds its Courant bound, and, once an error has
// occurred, that error again without stepping.
func (s *Simulation) Step() error {
	if s.err != nil {
		return s.err
	}
	w, acc, tmp, nl := s.w, s.acc, s.tmp, s.nl
	dx := 2 * math.Pi / float64(s.n)

	// Rates at the start of the step, for the budget.
	energy, visc := s.rates()

	umax := s.nonlinear(nl, w) // a = N(ωₙ)
	if !finite(umax) {
		return s.fail(fmt.Errorf("%w at t = %v (step %d)", ErrBlowUp, s.t, s.steps))
	}
	dt := s.p.Dt
	if s.p.Adaptive && umax > 0 && s.p.CFL*dx/umax < dt {
		limit := s.p.CFL * dx / umax
		if s.dtFactor <= limit && s.dtFactor >= limit/1.3 {
			// Keep the current factors while the Courant number stays in
			// [CFL/1.3, CFL]: recomputing e^{L dt} costs 2N² exponentials.
			dt = s.dtFactor
		} else {
			// 10 % headroom, so that a growing flow does not force a new
			// step every step.
			dt = limit / 1.1
		}
	}
	s.courant = dt * umax / dx
	if !s.p.Adaptive && s.courant > s.p.CFL {
		return s.fail(fmt.Errorf("%w: %.3g > %v with dt = %v at t = %v", ErrCFL, s.courant, s.p.CFL, dt, s.t))
	}
	if dt != s.dtFactor {
		s.setFactors(dt)
	}
	ef, eh := s.eFull, s.eHalf
	h := complex(dt, 0)
	h2 := complex(dt/2, 0)
	for i := range w {
		e, eHalf := complex(ef[i], 0), complex(eh[i], 0)
		acc[i] = e * nl[i]
		tmp[i] = eHalf * (w[i] + h2*nl[i])
	}
	s.nonlinear(nl, tmp) // b
	for i := range w {
		eHalf := complex(eh[i], 0)
		acc[i] += 2 * eHalf * nl[i]
		tmp[i] = eHalf*w[i] + h2*nl[i]
	}
	s.nonlinear(nl, tmp) // c
	for i := range w {
		eHalf := complex(eh[i], 0)
		acc[i] += 2 * eHalf * nl[i]
		tmp[i] = complex(ef[i], 0)*w[i] + h*eHalf*nl[i]
	}
	s.nonlinear(nl, tmp) // d
	h6 := complex(dt/6, 0)
	for i := range w {
		w[i] = complex(ef[i], 0)*w[i] + h6*(acc[i]+nl[i])
	}
	injected := s.force(dt)

	s.budget.Injected += injected
	s.eStart = energy
	s.budget.Drag += 2 * s.p.Mu * energy * dt
	s.budget.Viscous += visc * dt
	s.t += dt
	s.dt = dt
	s.steps++
	if !s.stateFinite() {
		return s.fail(fmt.Errorf("%w at t = %v (step %d)", ErrBlowUp, s.t, s.steps))
	}
	return nil
}

func (s *Simulation) fail(err error) error {
	s.err = err
	return err
}

// force adds the white-in-time forcing increment σ√dt ξ_k to every band
// mode (and its conjugate to −k) and returns the energy it added.
func (s *Simulation) force(dt float64) float64 {
	if len(s.band) == 0 {
		return 0
	}
	nn := float64(s.n * s.n)
	// Unnormalised DFT: W = N²ω̂; ξ = (g₁ + ig₂)/√2 has ⟨|ξ|²⟩ = 1.
	amp := s.sigma * math.Sqrt(dt) * nn / math.Sqrt2
	de := 0.0
	for j, i := range s.band {
		xi := complex(amp*s.rng.NormFloat64(), amp*s.rng.NormFloat64())
		old := s.w[i]
		s.w[i] = old + xi
		s.w[s.bandConj[j]] = cmplx.Conj(s.w[i])
		// ½(|W+ξ|² − |W|²)/|k|² for k and for −k.
		de += (sq(s.w[i]) - sq(old)) * s.bandInvK2[j]
	}
	return de / (nn * nn)
}

func sq(z complex128) float64 { return real(z)*real(z) + imag(z)*imag(z) }

// stateFinite reports whether every value of the state is finite.
func (s *Simulation) stateFinite() bool {
	sum := 0.0
	for _, z := range s.w {
		sum += real(z) + imag(z)
	}
	return finite(sum) && !math.IsNaN(sum)
}

// rates returns the energy E and the hyperviscous dissipation rate D_ν of
// the current state.
func (s *Simulation) rates() (energy, visc float64) {
	nu := s.p.Nu
	for i, z := range s.w {
		if s.keep[i] == 0 {
			continue
		}
		a := sq(z) * s.invK2[i]
		energy += a
		if nu > 0 {
			// ν|k|^{2p}|ω̂|²/|k|² = −(L_k + μ)|ω̂|²/|k|².
			visc += -(s.lin[i] + s.p.Mu) * a
		}
	}
	nn := float64(s.n * s.n)
	norm := 1 / (nn * nn)
	return energy / 2 * norm, visc * norm
}

// Vorticity returns the vorticity ω on the N×N grid as a new field (column
// x = 2π·c/N, row y = 2π·r/N).
func (s *Simulation) Vorticity() *field.Field {
	f := field.New(s.n, s.n)
	_ = s.plan.InverseReal(f.Data, s.w)
	return f
}
