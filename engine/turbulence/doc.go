// Package turbulence generates two-dimensional turbulent vorticity fields
// with a pseudo-spectral solver of the forced, damped, incompressible
// Navier–Stokes equations on the periodic square [0, 2π)².
//
// # Equations
//
// In vorticity form (ω = ∂ₓv − ∂ᵧu, u = (u, v)),
//
//	∂ω/∂t + u·∇ω = f − μω + (−1)^{p+1} ν_p ∇^{2p} ω,
//	u = ∇^⊥ψ = (∂ᵧψ, −∂ₓψ),   ∇²ψ = −ω,
//
// with f a stochastic forcing, μ a linear (Ekman-like) large-scale drag and
// ν_p a hyperviscosity of order p. In Fourier space, ω(x) = Σ_k ω̂_k e^{ik·x}
// over integer wave vectors k = (kₓ, kᵧ), the linear terms are diagonal,
//
//	∂ω̂_k/∂t = N̂_k(ω) + f̂_k + L_k ω̂_k,   L_k = −μ − ν_p |k|^{2p},
//
// and the advection N = −u·∇ω is evaluated pseudo-spectrally: ψ̂ = ω̂/|k|²,
// û = ikᵧψ̂, v̂ = −ikₓψ̂, the fields u, v, ∂ₓω, ∂ᵧω are transformed to the
// grid (two complex inverse FFTs of the packed pairs u+iv and ∂ₓω+i∂ᵧω), the
// product is formed there and transformed back (Orszag, Stud. Appl. Math.
// 50, 293 (1971); Canuto, Hussaini, Quarteroni, Zang, "Spectral Methods"
// (2006), §3.2).
//
// Dealiasing is Orszag's 2/3 rule (J. Atmos. Sci. 28, 1074 (1971)): only
// modes with |kₓ|, |kᵧ| ≤ K = ⌊(N−1)/3⌋ are kept, so a quadratic product of
// retained modes never aliases back onto a retained mode. The scheme is then
// the exact Galerkin truncation of the equations to those modes, which
// conserves the energy E and the enstrophy Z of the inviscid, unforced
// equation (Kraichnan, Phys. Fluids 10, 1417 (1967)); only the time stepping
// breaks the conservation, at O(dt⁴).
//
// # Time stepping
//
// The classical fourth-order Runge–Kutta scheme with an integrating factor
// for the linear terms (IFRK4; Canuto et al. §4.4.3; Kassam & Trefethen,
// SIAM J. Sci. Comput. 26, 1214 (2005), §2): with E_h = e^{L dt/2},
// E = e^{L dt},
//
//	a = N(ωₙ),  b = N(E_h(ωₙ + dt/2·a)),  c = N(E_hωₙ + dt/2·b),
//	d = N(Eωₙ + dt·E_h c),
//	ωₙ₊₁ = Eωₙ + dt/6·(E a + 2E_h(b + c) + d).
//
// The linear terms are integrated exactly, so the stiff hyperviscosity
// imposes no step limit: dt is set by the advective Courant number
// C = dt·max(|u|+|v|)/Δx, Δx = 2π/N, adapted every step to a target
// (Params.CFL, 0.5 by default), or fixed and checked against a bound. With
// the retained |kₓ|, |kᵧ| ≤ K ≤ N/3 the eigenvalues i(u kₓ + v kᵧ) of the
// advective term with the velocity frozen are at most max(|u|+|v|)·K in
// modulus, so |λ dt| ≤ 2πC/3 ≈ 1.05 at C = 0.5, well inside the interval
// |λ dt| ≤ 2√2 of the imaginary axis where RK4 is stable (Trefethen,
// "Spectral Methods in MATLAB" (2000), ch. 10).
//
// # Forcing
//
// The forcing is Gaussian, white in time and isotropic in the band
// Kf − ΔK ≤ |k| ≤ Kf + ΔK (Lilly, Phys. Fluids Suppl. II 12, 240 (1969);
// Boffetta & Ecke, Annu. Rev. Fluid Mech. 44, 427 (2012), §2): after each
// deterministic step every band mode receives
//
//	ω̂_k ← ω̂_k + σ √dt ξ_k,   ξ_{−k} = ξ_k*,   ⟨|ξ_k|²⟩ = 1,
//
// the Euler–Maruyama increment of σ dW_k. Because the increment is
// independent of the state, the mean energy injection rate is fixed in
// advance, ε = ½ σ² Σ_{k∈band} |k|⁻² (Novikov's theorem; for this additive
// noise simply Itô's rule), and σ is chosen from the requested ε.
//
// # Energy budget and scales
//
// With the spatial means E = ½⟨|u|²⟩ = ½Σ_k |ω̂_k|²/|k|² and
// Z = ½⟨ω²⟩ = ½Σ_k |ω̂_k|², the budget is
//
//	dE/dt = ε − 2μE − D_ν,   D_ν = Σ_k ν_p |k|^{2p−2} |ω̂_k|²,
//
// so a statistically stationary state has ε = 2μ⟨E⟩ + ⟨D_ν⟩. Energy
// injected at Kf goes to large scales (inverse cascade, E(k) ∝ ε^{2/3}
// k^{−5/3}) until the drag removes it near k_μ ~ (μ³/ε)^{1/2}; enstrophy
// goes to small scales (direct cascade, E(k) ∝ η^{2/3} k^{−3} with
// η ≈ ε Kf², steepened by the drag) until the hyperviscosity removes it
// (Kraichnan, Phys. Fluids 10, 1417 (1967); Boffetta & Ecke 2012). The
// eddy turnover time is T = L/U with U = √(2E) the r.m.s. speed and
// L = 2π Σ_k |k|⁻¹E_k / Σ_k E_k the energy-weighted mean wavelength (the
// two-dimensional analogue of the integral scale; cf. Pope, "Turbulent
// Flows" (2000), §6.5).
//
// # Use
//
// sim, err := New(DefaultParams(128)) builds a simulation at rest;
// sim.Step() advances one time step; sim.Snapshots(n, 1, progress) spins
// the flow up to statistical stationarity (an energy plateau) and returns n
// vorticity snapshots at least one eddy turnover time apart;
// sim.MeasureAutocorrelation measures how fast the vorticity and the stream
// function of the stationary flow decorrelate (the large scales take
// several turnover times: see Autocorrelation). sim.MarshalBinary and
// UnmarshalBinary save and restore the whole state, so a long run can be
// checkpointed and resumed bit for bit. Everything is deterministic in
// Params.Seed (math/rand/v2 PCG) on a given platform.
package turbulence
