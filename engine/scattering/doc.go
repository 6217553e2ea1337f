// Package scattering computes wavelet-modulus statistics of periodic 2-D real
// fields with the complex directional filter banks of engine/wavelet
// (wavelet.DirectionalBank: ψ_λ, λ = (j, ℓ), j = 0..J−1 scales 2^j,
// ℓ = 0..L−1 orientations θ_ℓ = πℓ/L): the wavelet modulus |x ⋆ ψ_λ| and the
// second wavelet transform, the directional regularity of the modulus, and
// the scattering spectra Φ(x) with their gradient for microcanonical
// synthesis (Cheng, Morel, Allys, Ménard and Mallat, "Scattering Spectra
// Models for Physics", PNAS Nexus 3, pgae103 (2024), and the authors' code;
// Bruna and Mallat, "Multiscale sparse microcanonical models", Math. Stat.
// Learn. 1, 257 (2019)).
//
// # Scattering spectra (Cheng et al. 2024)
//
// All expectations E are spatial means over the M×N periodic grid (n = MN
// pixels), convolutions are periodic and computed in Fourier
// (x ⋆ ψ_λ = F⁻¹(x̂·ψ̂_λ), engine/fourier conventions). With
// W_λ = x ⋆ ψ_λ and U_λ = |W_λ|:
//
//	mean           E[x]
//	S1(λ)          E[U_λ]                                          J·L values
//	S2(λ)          E[U_λ²] = E|x ⋆ ψ_λ|²                          J·L values
//	S3(λ1, λ)      E[W_λ · (U_λ1 ⋆ ψ_λ)*] / √(R2(λ1) R2(λ))        j1 ≤ j, complex
//	S4(λ1, λ2, λ3) E[(U_λ1 ⋆ ψ_λ3)(U_λ2 ⋆ ψ_λ3)*] / √(R2(λ1) R2(λ2)) j1 ≤ j2 ≤ j3, complex
//
// where R2 is the S2 of a reference field: the field itself by default, the
// synthesis target during synthesis (Cheng's use_ref). Because ψ̂_λ(0) = 0
// these means of products are Cheng et al.'s covariances. By Parseval they are
// sums over frequencies,
//
//	S3 ∝ n⁻² Σ_k x̂(k) Û_λ1(k)* ψ̂_λ(k)²,   S4 ∝ n⁻² Σ_k Û_λ1(k) Û_λ2(k)* ψ̂_λ3(k)²,
//
// so ψ̂ enters squared in both: the covariance of two fields filtered by the
// same wavelet (Cheng et al.'s definition; their code has ψ̂ only once in S3).
//
// The coefficient vector (Spectra.Vector) follows Cheng's for_synthesis:
// the mean, log S1, log S2, then Re and Im of S3 and of S4 (Full), or the
// angle-reduced Isotropic form, which averages over a global rotation
// ℓ → ℓ + r (mod L) keeping the relative angles and keeps real parts:
// mean, log S1 and log S2 averaged over ℓ (J each), S3(j1, j, ℓ−ℓ1) and
// S4(j1, j2, j3, ℓ2−ℓ1, ℓ3−ℓ1). With P3 = J(J+1)/2 scale pairs and
// P4 = J(J+1)(J+2)/6 scale triples the counts are
//
//	Full      1 + 2JL + 2·P3·L² + 2·P4·L³
//	Isotropic 1 + 2J  +   P3·L  +   P4·L²
//
// (J = 7, L = 4: 11 705 and 1 471; J = 6, L = 4: 7 889 and 993, as the
// index rules of Cheng's scattering_cov give). ScalesStrict instead keeps
// j1 < j in S3 and j1 ≤ j2 < j3 in S4.
//
// # Gradient (Bruna and Mallat 2019)
//
// Operator.LossGrad returns ℓ(x) = Σ_i w_i (Φ_i(x) − Φ_i(target))² and its
// gradient by reverse mode through hand-written adjoints: the unnormalised
// DFT (adjoint F^H = n·F⁻¹), the inverse DFT (adjoint n⁻¹·F), the complex
// modulus (d|z| = Re(z* dz)/|z|), products and spatial means.
package scattering
