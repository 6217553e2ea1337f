package turbulence

import (
	"fmt"
	"math"

	"scalewise/engine/field"
)

// Size limits of the grid: N even, MinN ≤ N ≤ MaxN.
const (
	MinN = 16
	MaxN = 4096
)

// MaxOrder is the largest hyperviscosity order p.
const MaxOrder = 16

// MaxCFL is the largest Courant number Params.CFL may ask for. RK4 is stable
// for dt·|λ| ≤ 2√2 on the imaginary axis; the advection of the 2/3-dealiased
// scheme has |λ| ≤ K·max|u| with K ≈ N/3, i.e. a Courant number
// dt·max|u|/Δx ≤ 2√2·3/(2π) ≈ 1.35, so 1 leaves a margin.
const MaxCFL = 1.0

// Params configures a Simulation. The zero value is not usable; start from
// DefaultParams. Lengths are in units where the box is [0, 2π)², so the
// wave numbers are integers.
type Params struct {
	// N is the number of grid points per side: even, MinN ≤ N ≤ MaxN. The
	// 2/3 rule keeps |kₓ|, |kᵧ| ≤ K = ⌊(N−1)/3⌋.
	N int
	// Kf and DeltaK define the forcing band Kf − DeltaK ≤ |k| ≤ Kf + DeltaK;
	// it must lie in (0, K] and hold at least one mode (when Epsilon > 0).
	Kf, DeltaK float64
	// Epsilon is the mean energy injection rate ε ≥ 0 of the white-in-time
	// forcing (0: unforced).
	Epsilon float64
	// Mu is the linear drag μ ≥ 0 (the term −μω).
	Mu float64
	// Nu is the hyperviscosity ν_p ≥ 0 and P ≥ 1 its order: the term
	// (−1)^{p+1} ν_p ∇^{2p} ω, i.e. −ν_p|k|^{2p} ω̂_k (P = 1 is ordinary
	// viscosity).
	Nu float64
	P  int
	// Dt > 0 is the time step when Adaptive is false, and the largest time
	// step when it is true.
	Dt float64
	// Adaptive sets dt = min(Dt, CFL·Δx/max(|u|+|v|)) before every step
	// (recomputing the integrating factors when it changes). Otherwise dt =
	// Dt and a step whose Courant number exceeds CFL fails.
	Adaptive bool
	// CFL is the Courant number C = dt·max(|u|+|v|)/Δx, Δx = 2π/N: the
	// target when Adaptive, the bound otherwise; 0 < CFL ≤ MaxCFL.
	CFL float64
	// Seed seeds the forcing (PCG).
	Seed uint64
	// Init, if non-nil, is the initial vorticity, an N×N field (copied). Its
	// mean is removed and it is dealiased (projected on the retained
	// modes). Nil starts from rest, ω = 0.
	Init *field.Field
}

// Default forcing and dissipation, in the units of the 2π box.
const (
	// DefaultKf and DefaultDeltaK: the forcing band 5 ≤ |k| ≤ 7, a few
	// wave numbers above the box scale so that both cascades have room
	// (Boffetta & Ecke, "Two-Dimensional Turbulence", Annu. Rev. Fluid
	// Mech. 44, 427 (2012), §2). The energy goes to
	// k ≈ 2–5, where the drag removes it (too few octaves for a k^{−5/3}
	// range: measured E(k) ∝ k^{−0.1…−0.8} there; a k^{−5/3} range needs
	// Kf ≫ 1, measured slope −1.7 over 10 ≤ k ≤ 30 at N = 256, Kf = 40,
	// μ = 0.25), and the enstrophy cascades from Kf to K (measured slope
	// −3.8 over 10 ≤ k ≤ 30 at N = 128): coherent vortices and filaments.
	DefaultKf     = 6
	DefaultDeltaK = 1
	// DefaultEpsilon is the energy injection rate; it only sets the units
	// of time and velocity.
	DefaultEpsilon = 1
	// DefaultDragFactor sets μ = c_μ·η^{1/3}, η = εKf², a sixteenth of the
	// eddy rate of the forcing scale. The drag then removes the energy near
	// k ≈ 2 (the energy-containing scale) after the short inverse transfer
	// from Kf, without the box-scale condensate of a weaker drag; a
	// stronger one (μ ≈ η^{1/3}/2, i.e. k_μ = (μ³/ε)^{1/2} ≈ 2 by the
	// k^{−5/3} estimate) was measured to leave a nearly linear, Gaussian
	// flow at the forcing scale.
	DefaultDragFactor = 1.0 / 16
	// DefaultOrder is the hyperviscosity order p.
	DefaultOrder = 4
	// DefaultNuFactor c sets ν_p = c·η^{1/3}/K^{2p}, η = εKf², so that the
	// hyperviscous rate ν_p k^{2p} equals c times the enstrophy-cascade
	// rate η^{1/3} at the dealiasing wave number K.
	DefaultNuFactor = 1
	// DefaultCFL is the target Courant number (see the package
	// documentation, "Time stepping").
	DefaultCFL = 0.5
	// DefaultDtFactor bounds dt by this fraction of the forcing time
	// η^{−1/3}, which limits dt at rest and at low speeds.
	DefaultDtFactor = 0.1
)

// DefaultParams returns the parameters used for the project's turbulence
// fields at n×n: the forcing band, drag and hyperviscosity of the
// Default* constants (μ = c_μ·(εKf²)^{1/3}, ν_p = c·(εKf²)^{1/3}/K^{2p}),
// adaptive dt with Courant number 0.5 and dt ≤ 0.1·(εKf²)^{−1/3}, seed 1.
// It does not validate n; New does.
func DefaultParams(n int) Params {
	k := float64(dealiasK(n))
	eta := float64(DefaultEpsilon * DefaultKf * DefaultKf)
	return Params{
		N:        n,
		Kf:       DefaultKf,
		DeltaK:   DefaultDeltaK,
		Epsilon:  DefaultEpsilon,
		Mu:       DefaultDragFactor * math.Cbrt(eta),
		Nu:       DefaultNuFactor * math.Cbrt(eta) / math.Pow(k, 2*DefaultOrder),
		P:        DefaultOrder,
		Dt:       DefaultDtFactor / math.Cbrt(eta),
		Adaptive: true,
		CFL:      DefaultCFL,
		Seed:     1,
	}
}

// dealiasK returns K = ⌊(N−1)/3⌋, the largest |kₓ|, |kᵧ| kept by the 2/3
// rule: two retained wave numbers sum to at most 2K < N − K, so the product
// never aliases onto a retained mode.
func dealiasK(n int) int { return (n - 1) / 3 }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Validate reports whether p describes a usable simulation.
func (p Params) Validate() error {
	if p.N < MinN || p.N > MaxN || p.N%2 != 0 {
		return fmt.Errorf("turbulence: grid size N = %d must be even and in [%d, %d]", p.N, MinN, MaxN)
	}
	k := float64(dealiasK(p.N))
	switch {
	case !finite(p.Epsilon) || p.Epsilon < 0:
		return fmt.Errorf("turbulence: injection rate ε = %v must be finite and ≥ 0", p.Epsilon)
	case !finite(p.Mu) || p.Mu < 0:
		return fmt.Errorf("turbulence: drag μ = %v must be finite and ≥ 0", p.Mu)
	case !finite(p.Nu) || p.Nu < 0:
		return fmt.Errorf("turbulence: hyperviscosity ν = %v must be finite and ≥ 0", p.Nu)
	case p.P < 1 || p.P > MaxOrder:
		return fmt.Errorf("turbulence: hyperviscosity order p = %d must be in [1, %d]", p.P, MaxOrder)
	case !finite(p.Dt) || p.Dt <= 0:
		return fmt.Errorf("turbulence: time step dt = %v must be finite and > 0", p.Dt)
	case !finite(p.CFL) || p.CFL <= 0 || p.CFL > MaxCFL:
		return fmt.Errorf("turbulence: Courant number %v must be in (0, %v]", p.CFL, MaxCFL)
	case !finite(p.Kf) || !finite(p.DeltaK):
		return fmt.Errorf("turbulence: forcing band Kf = %v ± %v must be finite", p.Kf, p.DeltaK)
	}
	if p.Epsilon > 0 {
		lo, hi := p.Kf-p.DeltaK, p.Kf+p.DeltaK
		if p.DeltaK < 0 || lo <= 0 || hi > k {
			return fmt.Errorf("turbulence: forcing band [%v, %v] must lie in (0, K = %v] (N = %d)", lo, hi, k, p.N)
		}
		if countBand(p.N, lo, hi) == 0 {
			return fmt.Errorf("turbulence: forcing band [%v, %v] holds no wave vector", lo, hi)
		}
	}
	if f := p.Init; f != nil {
		if f.W != p.N || f.H != p.N || len(f.Data) != p.N*p.N {
			return fmt.Errorf("turbulence: initial field is %d×%d with %d values, want %d×%d", f.W, f.H, len(f.Data), p.N, p.N)
		}
		if err := f.CheckFinite(); err != nil {
			return fmt.Errorf("turbulence: initial field: %w", err)
		}
	}
	return nil
}

// countBand counts the wave vectors with lo ≤ |k| ≤ hi on an n×n grid.
func countBand(n int, lo, hi float64) int {
	c := 0
	m := int(math.Ceil(hi))
	for ky := -m; ky <= m; ky++ {
		for kx := -m; kx <= m; kx++ {
			r := math.Hypot(float64(kx), float64(ky))
			if r >= lo && r <= hi && kx > -n/2 && kx < n/2 && ky > -n/2 && ky < n/2 {
				c++
			}
		}
	}
	return c
}
