package cosmic

import (
	"fmt"
	"math"
	"math/rand/v2"

	"scalewise/engine/field"
	"scalewise/engine/fourier"
)

// Grid size limits: N even, MinN ≤ N ≤ MaxN.
const (
	MinN = 8
	MaxN = 4096
)

// MaxParticles is the largest number of Zel'dovich particles per cell side.
const MaxParticles = 8

// noiseStream is the PCG stream of the white noise.
const noiseStream = 0x636f_736d_0000_0001

// Params configures the fields. Lengths are comoving, in h⁻¹ Mpc.
type Params struct {
	// N is the number of grid cells per side (even, MinN ≤ N ≤ MaxN).
	N int
	// BoxSize is the side L > 0 of the periodic square.
	BoxSize float64
	// Gamma > 0 is the BBKS shape parameter Γ (k in h Mpc⁻¹ over Γ).
	Gamma float64
	// Index is the primordial spectral index n, −3 ≤ n ≤ 2.
	Index float64
	// Thickness Δ ≥ 0 is the rms width of the Gaussian slab profile e^{−z²/(2Δ²)}; 0
	// takes the thin-slab limit, ∫dk_z P₃(√(k²+k_z²)) over all k_z.
	Thickness float64
	// Smoothing R ≥ 0 multiplies the 2-D spectrum by e^{−k²R²} (a Gaussian
	// filter of width R on the field); 0 does not smooth.
	Smoothing float64
	// Sigma > 0 is the rms of the Gaussian field on the grid: of G (the
	// exponent of Lognormal) and of the linear density δ_L at D = 1
	// (Zeldovich).
	Sigma float64
	// Growth D ≥ 0 is the linear growth factor of Zeldovich (ignored by
	// Gaussian and Lognormal): displacements DΨ, linear density Dδ_L.
	Growth float64
	// Particles s is the number of Zel'dovich particles per cell side
	// (s² per cell, 0 ≤ s ≤ MaxParticles, 0 read as 1; ignored by Gaussian
	// and Lognormal). More particles keep the emptied voids from showing
	// the particle lattice.
	Particles int
	// Seed seeds the white noise (PCG).
	Seed uint64
}

// Defaults of DefaultParams.
const (
	// DefaultCell is the cell size in h⁻¹ Mpc (BoxSize = DefaultCell·N) and
	// the smoothing length R.
	DefaultCell = 2.0
	// DefaultGamma is Γ for Ω_m = 0.31, Ω_b = 0.049, h = 0.68 with
	// Sugiyama's baryon correction: 0.2108·e^{−0.049(1+√1.36/0.31)} ≈ 0.166.
	DefaultGamma = 0.166
	// DefaultIndex is n_s ≈ 0.965 (Planck 2018).
	DefaultIndex = 0.965
	// DefaultThickness is the rms width Δ of the slab in h⁻¹ Mpc.
	DefaultThickness = 2.0
)

// DefaultParams returns the parameters of the project's cosmic-web fields
// at n×n: 2 h⁻¹ Mpc cells; the Planck-like BBKS shape; a slab of rms
// width Δ = 2 h⁻¹ Mpc (thin: the field keeps structure down to
// the cell); a Gaussian smoothing over R = 1 cell, so that the grid scale
// is resolved rather than white (for Zeldovich it plays the role of the
// truncated Zel'dovich approximation, which removes the power beyond the
// non-linear scale so that particles do not cross many times; Coles,
// Melott & Shandarin, MNRAS 260, 765 (1993)); σ = 1; D = 1; 4×4
// particles per cell; seed 1.
//
// For Lognormal, σ_G = 1 makes ρ span about e^{±3} around e^{−1/2}, a
// strongly skewed field like a projected density at low redshift
// (measured at 128²: std ρ ≈ 1.2, skewness ≈ 3.6). For Zeldovich, σ(δ_L) = 1
// with D = 1 is past first shell crossing, where filaments, knots and
// voids are clear (measured at 128²: std ρ ≈ 1.3, skewness ≈ 5), and 4×4
// particles per cell keep the emptied voids from showing the particle
// lattice.
func DefaultParams(n int) Params {
	return Params{N: n, BoxSize: DefaultCell * float64(n), Gamma: DefaultGamma, Index: DefaultIndex,
		Thickness: DefaultThickness, Smoothing: DefaultCell, Sigma: 1, Growth: 1, Particles: 4, Seed: 1}
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Validate reports whether p describes a usable field.
func (p Params) Validate() error {
	switch {
	case p.N < MinN || p.N > MaxN || p.N%2 != 0:
		return fmt.Errorf("cosmic: grid size N = %d must be even and in [%d, %d]", p.N, MinN, MaxN)
	case !finite(p.BoxSize) || p.BoxSize <= 0:
		return fmt.Errorf("cosmic: box size %v must be finite and > 0", p.BoxSize)
	case !finite(p.Gamma) || p.Gamma <= 0:
		return fmt.Errorf("cosmic: shape parameter Γ = %v must be finite and > 0", p.Gamma)
	case !finite(p.Index) || p.Index < -3 || p.Index > 2:
		return fmt.Errorf("cosmic: spectral index %v must be in [−3, 2] (the thin-slab integral diverges for n ≥ 3)", p.Index)
	case !finite(p.Thickness) || p.Thickness < 0:
		return fmt.Errorf("cosmic: slab thickness %v must be finite and ≥ 0", p.Thickness)
	case !finite(p.Smoothing) || p.Smoothing < 0:
		return fmt.Errorf("cosmic: smoothing %v must be finite and ≥ 0", p.Smoothing)
	case !finite(p.Sigma) || p.Sigma <= 0 || p.Sigma > 10:
		return fmt.Errorf("cosmic: σ = %v must be finite and in (0, 10]", p.Sigma)
	case !finite(p.Growth) || p.Growth < 0:
		return fmt.Errorf("cosmic: growth factor D = %v must be finite and ≥ 0", p.Growth)
	case p.Particles < 0 || p.Particles > MaxParticles:
		return fmt.Errorf("cosmic: %d particles per cell side must be in [0, %d]", p.Particles, MaxParticles)
	}
	return nil
}

// TransferBBKS returns the BBKS transfer function T(q) of the package
// documentation (T → 1 as q → 0).
func TransferBBKS(q float64) float64 {
	if q < 1e-8 {
		return 1
	}
	a := 2.34 * q
	b, c, d := 16.1*q, 5.46*q, 6.71*q
	d2 := d * d
	poly := 1 + 3.89*q + b*b + c*c*c + d2*d2
	return math.Log1p(a) / a / math.Sqrt(math.Sqrt(poly))
}

// Power3D returns the unnormalised 3-D linear spectrum kⁿ T(k/Γ)².
func (p Params) Power3D(k float64) float64 {
	t := TransferBBKS(k / p.Gamma)
	return math.Exp(p.Index*math.Log(k)) * t * t
}

// slabQuad is the number of Simpson intervals of the k_z integral.
const slabQuad = 256

// Power2D returns the unnormalised 2-D spectrum of the package
// documentation at wave number k > 0 (h Mpc⁻¹),
//
//	∫₀^∞ dk_z P₃(√(k²+k_z²)) e^{−k_z²Δ²} · e^{−k²R²},
//
// computed with k_z = k sinh t (dk_z = k cosh t dt, so that the steps grow
// geometrically where P₃ varies on a logarithmic scale) by Simpson's rule
// on t ∈ [0, asinh(k_z,max/k)], k_z,max = 6/Δ (the window is e^{−36}
// there) or, for Δ = 0, 10⁴·max(k, Γ) (the tail of P₃ ∝ k_z^{n−4} beyond
// is below 10⁻⁸ of the integral for n ≤ 2).
func (p Params) Power2D(k float64) float64 {
	var kzMax float64
	if p.Thickness > 0 {
		kzMax = 6 / p.Thickness
	} else {
		kzMax = 1e4 * max(k, p.Gamma)
	}
	tMax := math.Asinh(kzMax / k)
	h := tMax / slabQuad
	d2 := p.Thickness * p.Thickness
	f := func(t float64) float64 {
		sh, ch := math.Sinh(t), math.Cosh(t)
		kz := k * sh
		return p.Power3D(k*ch) * math.Exp(-kz*kz*d2) * k * ch
	}
	sum := f(0) + f(tMax)
	for i := 1; i < slabQuad; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		sum += w * f(float64(i)*h)
	}
	return sum * h / 3 * math.Exp(-k*k*p.Smoothing*p.Smoothing)
}

// tableSize is the number of log-spaced wave numbers at which gridSpectrum
// evaluates the slab integral; between them ln P₂ is interpolated linearly
// in ln k (spacing ≤ 0.03 in ln k for N ≤ 4096; the relative
// interpolation error of the smooth spectrum is below 10⁻⁴).
const tableSize = 256

// gridSpectrum returns P₂ at every grid wave vector (0 at m = 0), scaled
// by c² so that the Gaussian field has ensemble variance Sigma²: the
// amplitude multiplying the DFT of unit white noise is √(returned value).
func gridSpectrum(p Params) ([]float64, error) {
	n := p.N
	k0 := 2 * math.Pi / p.BoxSize
	// Table of the slab integral without the smoothing factor (which can
	// underflow), from k0 to the corner √2·k0·N/2.
	lnLo, lnHi := math.Log(k0), math.Log(k0*float64(n)/math.Sqrt2)
	unsmoothed := p
	unsmoothed.Smoothing = 0
	table := make([]float64, tableSize)
	step := (lnHi - lnLo) / (tableSize - 1)
	for j := range table {
		table[j] = math.Log(unsmoothed.Power2D(math.Exp(lnLo + float64(j)*step)))
	}
	out := make([]float64, n*n)
	total := 0.0
	r2 := p.Smoothing * p.Smoothing
	for r := 0; r < n; r++ {
		my := fourier.SignedIndex(r, n)
		for c := 0; c < n; c++ {
			mx := fourier.SignedIndex(c, n)
			m2 := mx*mx + my*my
			if m2 == 0 {
				continue
			}
			k := k0 * math.Sqrt(float64(m2))
			x := min(max((math.Log(k)-lnLo)/step, 0), tableSize-1)
			j := min(int(x), tableSize-2)
			f := x - float64(j)
			v := math.Exp((1-f)*table[j]+f*table[j+1]) * math.Exp(-k*k*r2)
			out[r*n+c] = v
			total += v
		}
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return nil, fmt.Errorf("cosmic: the spectrum has no power on the grid (smoothing %v, thickness %v)", p.Smoothing, p.Thickness)
	}
	// Var G = c²Σ_m P_m / N² (⟨|Ŵ_m|²⟩ = N², inverse DFT divides by N²).
	scale := p.Sigma * p.Sigma * float64(n*n) / total
	for i := range out {
		out[i] *= scale
	}
	return out, nil
}

// gaussianSpectrum returns the DFT Ĝ of the Gaussian field of p and the
// FFT plan used.
func gaussianSpectrum(p Params) ([]complex128, *fourier.Plan2D, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	n := p.N
	plan, err := fourier.NewPlan2D(n, n)
	if err != nil {
		return nil, nil, err
	}
	rng := rand.New(rand.NewPCG(p.Seed, noiseStream))
	white := make([]float64, n*n)
	for i := range white {
		white[i] = rng.NormFloat64()
	}
	spec := make([]complex128, n*n)
	if err := plan.ForwardReal(spec, white); err != nil {
		return nil, nil, err
	}
	pk, err := gridSpectrum(p)
	if err != nil {
		return nil, nil, err
	}
	for i := range spec {
		spec[i] *= complex(math.Sqrt(pk[i]), 0)
	}
	return spec, plan, nil
}

// Gaussian returns the Gaussian random field G of the package
// documentation: zero mean mode, spectrum ∝ P₂, ensemble variance Sigma².
func Gaussian(p Params) (*field.Field, error) {
	spec, plan, err := gaussianSpectrum(p)
	if err != nil {
		return nil, err
	}
	f := field.New(p.N, p.N)
	if err := plan.InverseReal(f.Data, spec); err != nil {
		return nil, err
	}
	return f, nil
}

// Lognormal returns the lognormal density ρ = 1 + δ_LN = exp(G − σ²/2),
// σ = Sigma, G = Gaussian(p) (Coles & Jones 1991): positive, with ensemble
// mean exactly 1 (the sample mean fluctuates with the box-scale modes),
// and log ρ has the spectrum of G. See the package documentation for what
// it is not.
func Lognormal(p Params) (*field.Field, error) {
	g, err := Gaussian(p)
	if err != nil {
		return nil, err
	}
	half := p.Sigma * p.Sigma / 2
	for i, v := range g.Data {
		g.Data[i] = math.Exp(v - half)
	}
	return g, nil
}
