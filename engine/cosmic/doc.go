// Package cosmic generates two-dimensional, cosmic-web-like density fields
// from a Gaussian random field with a ΛCDM-shaped power spectrum. They are
// cheap stand-ins for the projected matter densities (Allys et al., "New
// interpretable statistics for large-scale structure analysis and
// generation", PRD 102, 103506 (2020)) and weak-lensing maps (Marchand,
// Ozawa, Biroli and Mallat, "Multiscale data-driven energy estimation and
// generation", PRX 13, 041038 (2023)) of the scattering papers, with the
// same qualitative features (a positive, skewed density; voids, filaments
// and knots), and they are honestly only that:
//
//   - Lognormal is a lognormal transform of a 2-D Gaussian field (Coles &
//     Jones, MNRAS 248, 1 (1991)). It is positive with mean 1 and has the
//     one-point distribution of a lognormal, but no filaments: its
//     morphology is that of a monotone transform of a Gaussian field, and
//     its higher-order statistics are not those of gravitational
//     clustering.
//   - Zeldovich moves particles from a regular grid by the displacement of
//     the Zel'dovich approximation (Zel'dovich, A&A 5, 84 (1970)),
//     x = q + D Ψ(q), Ψ = −∇φ, ∇²φ = δ_L, and deposits them on the grid by
//     cloud-in-cell. Particles stream through each other where the
//     displacement map folds, which makes caustics, filaments and emptied
//     voids. It is a 2-D toy: the displacement is the gradient of a 2-D
//     potential (not a slice through a 3-D Zel'dovich field), there is no
//     gravity after the initial kick (not an N-body simulation; particles
//     keep moving through caustics instead of forming bound haloes), and
//     its one-point statistics match a simulation only near shell crossing.
//
// Neither is a simulation of any particular cosmology; the parameters only
// shape the spectrum.
//
// # The Gaussian field
//
// The 3-D linear matter spectrum is taken as P₃(k) ∝ kⁿ T(k)² with the
// transfer function of Bardeen, Bond, Kaiser & Szalay (ApJ 304, 15 (1986),
// eq. G3),
//
//	T(q) = ln(1 + 2.34q)/(2.34q) · [1 + 3.89q + (16.1q)² + (5.46q)³ + (6.71q)⁴]^{−1/4},
//
// q = k/Γ with k in h Mpc⁻¹ and Γ the shape parameter (Ω_m h, with the
// baryon correction of Sugiyama, ApJS 100, 281 (1995), Γ = Ω_m h
// exp[−Ω_b(1 + √(2h)/Ω_m)]). The 2-D field is the density in a slab of
// Gaussian profile e^{−z²/(2Δ²)} around a plane, whose spectrum is the
// projection
//
//	P₂(k) ∝ ∫₀^∞ dk_z P₃(√(k² + k_z²)) e^{−k_z²Δ²},
//
// (the exact spectrum of the Gaussian-weighted projection of a
// statistically homogeneous 3-D field), times an optional Gaussian
// smoothing e^{−k²R²}. A thin slab (Δ ≈ a cell) keeps the small-scale
// power of the 3-D field, P₂ ∝ k^{−2} roughly at large k, so that the
// field has structure on every scale of the grid; a thick one returns to
// the steeper P₃ shape. The field on the N×N grid of side BoxSize is
// Ĝ_m = c √P₂(2π|m|/L) Ŵ_m, Ŵ the DFT of white noise, with the mean mode
// zero and c set so that the ensemble variance of G on the grid is
// exactly Sigma².
//
// Everything is deterministic in Params.Seed (math/rand/v2 PCG); Gaussian,
// Lognormal and Zeldovich with the same parameters use the same Gaussian
// field.
package cosmic
