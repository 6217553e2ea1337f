// Package diffusion draws samples from the prior implicit in a denoiser:
// score-based reverse diffusion and the stochastic coarse-to-fine gradient
// ascent of Kadkhodaie and Simoncelli, for the memorisation → generalisation
// experiment of Kadkhodaie, Guth, Simoncelli and Mallat.
//
// # Score from a denoiser
//
// For y = x + σz, z ~ N(0, I), the minimum mean squared error denoiser
// x̂(y) = E[x | y] and the score of the noisy density p_σ are related by
// Miyasawa's (Tweedie's) identity
//
//	∇ log p_σ(y) = (x̂(y) − y) / σ²,
//
// so a denoiser trained for every σ gives the score at every noise level
// (Z. Kadkhodaie, E. P. Simoncelli, "Solving linear inverse problems using
// the prior implicit in a denoiser", NeurIPS 2021, §2; Kadkhodaie, Guth,
// Simoncelli, Mallat, "Generalization in diffusion models arises from
// geometry-adaptive harmonic representations", ICLR 2024, §1). The
// bias-free nets of package nn are blind: σ is not an input, the net infers
// it from y.
//
// # Samplers
//
//   - ReverseSDE integrates the reverse-time SDE (§3.2) of the
//     variance-exploding SDE (§3.4) of Song et al., "Score-based generative
//     modeling through stochastic differential equations", ICLR 2021, by
//     Euler–Maruyama (§4.1) over a geometric schedule σ_max → σ_min, then
//     denoises once.
//   - Kadkhodaie is Algorithm 1 of Kadkhodaie and Simoncelli (2021), the
//     sampler of Kadkhodaie et al. (ICLR 2024, App. A.2): an adaptive,
//     blind, stochastic gradient ascent whose step and injected noise follow
//     the noise level σ_t = ‖x̂(y) − y‖/√n it measures, stopped at σ_L.
//
// Both are iterators: Step advances one denoiser call and State shows the
// iterate, its denoised estimate, σ_t, the step size h_t and t, so that a
// page can draw every step; Run loops Step. The noise a sampler injects comes
// from its own seeded Noise stream, independent of the denoiser, so two
// samplers built with the same seed over different nets (the S1 and S2 nets
// of the generalisation test) consume identical initial and injected noise.
//
// # Similarity
//
// Cosine and CenteredCosine compare two images, and Gallery finds the most
// similar image of a set by brute force, for the generalisation test of
// Kadkhodaie et al. (ICLR 2024, §2.2).
//
// The package holds no global state; samplers and denoisers are not safe for
// concurrent use.
package diffusion
