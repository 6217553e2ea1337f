// Package phi4 samples the two-dimensional lattice φ⁴ field theory used as
// the test case of wavelet-conditional renormalisation (Marchand, Ozawa,
// Biroli, Mallat, "Multiscale data-driven energy estimation and generation",
// PRX 13, 041038 (2023)), and measures its observables.
//
// # Model
//
// On a periodic L×L square lattice (L a power of two, 8 ≤ L ≤ 256) with a
// real field φ stored row-major, φ(x, y) = Data[y·L+x], the energy is
//
//	E(φ) = −β Σ_⟨x,x'⟩ φ(x)φ(x') + Σ_x [φ(x)⁴ − φ(x)²]
//	     = (β/2) Σ_⟨x,x'⟩ (φ(x)−φ(x'))² + Σ_x [φ(x)⁴ − (1+2β)φ(x)²],
//
// each nearest-neighbour pair ⟨x,x'⟩ counted once (2L² pairs), and the
// target density is p(φ) ∝ exp(−E(φ)). This is the hopping form
// S = Σ[−2κ Σ_μ φφ_μ + (1−2λ)φ² + λφ⁴] with λ = 1, κ = β/2; β ≈ 0.68 is
// close to the critical point (Ising universality).
//
// # Samplers
//
// Three Markov chains leave p invariant exactly (every move ends with a
// Metropolis–Hastings test; step sizes adapt during a warm-up phase only and
// are then fixed):
//
//   - HMC, hybrid Monte Carlo with a leapfrog integrator (Duane, Kennedy,
//     Pendleton, Roweth, Phys. Lett. B 195, 216 (1987));
//   - FAHMC, Fourier-accelerated HMC whose kinetic energy ½pᵀM⁻¹p has a
//     mass matrix diagonal in Fourier space (Davies et al., Phys. Rev. D 37,
//     1581 (1988); Catterall & Karamov, Phys. Lett. B 528, 301 (2002));
//   - MALA, a local (site-by-site, checkerboard) Metropolis-adjusted
//     Langevin algorithm (Roberts & Tweedie, Bernoulli 2, 341 (1996)).
//
// Samplers are iterators: after s, err := NewHMC(model, opts, seed), each
// s.Step() advances the chain by one trajectory (HMC, FA-HMC) or one sweep
// (MALA) and s.Field() is the current configuration.
//
// # Observables
//
// Moments accumulates ⟨φ²⟩, the magnetisation m = L⁻² Σ_x φ(x) and the
// Binder cumulant U = 1 − ⟨m⁴⟩/(3⟨m²⟩²); TauInt the integrated
// autocorrelation time with the automatic window of Madras & Sokal,
// J. Stat. Phys. 50, 109 (1988). SampleDecorrelated combines them into a
// generator of approximately independent samples. Statistics that are not
// specific to φ⁴ (the radially averaged power spectrum, the one-point
// marginal) live in package polyspectra, shared with the other fields.
package phi4
