// # Scattering interactions
//
// For long-range, non-Gaussian fields (2-D turbulence, the cosmic web) the
// conditional energies can also hold scattering-covariance interactions,
// after Lempereur and Mallat, "Hierarchic flows to estimate and sample
// high-dimensional probabilities", arXiv:2405.03468 (2024): there
//
//	θ_jᵀΦ(x̄_j, x_j) = Σ_{j' ≥ j} S_jᵀ K_{j'} S_{j'},   S_j = (x̄_j, |x̄_j| ⋆ ψ_{ℓ,k})_{ℓ>j,k},
//
// wavelet coefficients of scale j and their modulus filtered by a second
// wavelet transform at coarser scales ℓ, coupled by spatially local
// matrices K_{j'}. ScaleSpec.Scattering (a ScatSpec) adds to a conditional
// factor whose field x_{j−1} is at least 8×8 the terms of this sum that
// involve the new scale x̄_j, written as the scattering spectra of Cheng,
// Morel, Allys, Ménard and Mallat, "Scattering spectra models for physics",
// PNAS Nexus 3, pgae103 (2024), arXiv:2306.17210 (2023), whose S3 and S4
// statistics are such second-wavelet covariances. The first wavelet
// transform is the complex directional bank of package wavelet on the
// N×N lattice of x_{j−1} (N = Scale.Grid), scales k = 0..K−1,
// K = log₂N − 1, orientations θ_ℓ = πℓ/L.
//
// Fields. With σ the renormalisation of the factor (ScatBlock.Norm, the rms
// of the training x̄_j: the features see renormalised wavelet coefficients,
// as in Lempereur and Mallat),
//
//	x̃ = W⁻¹(x_j, x̄_j)/σ,   x̃_c = W⁻¹(x_j, 0)/σ            (x̃_c depends on x_j only)
//	z_ℓ = x̃ ⋆ ψ_{0,ℓ},   U_ℓ = |z_ℓ|                        new-scale moduli
//	y_{k,ℓ} = x̃_c ⋆ ψ_{k,ℓ},   M_{k,ℓ} = |y_{k,ℓ}|, k ≥ 1      coarse coefficients and moduli
//
// ψ_{0,ℓ} (centre frequency 0.85π for the bump, 3π/4 for Morlet) covers the
// band of x̄_j, |ω| ∈ [π/2, π] on the N grid; y and M are the S_{j'}, j' > j,
// of the sum above, functions of the conditioning field.
//
// Features (ScatTerm; sums over the N² sites, ⟨a, b⟩ = Σ_u a(u) b(u)*):
//
//	s1   (ℓ1)                    Σ_u U_ℓ1(u)                                   S1 of the new scale
//	s3re (ℓ1, k, ℓ2)             Re ⟨U_ℓ1 ⋆ ψ_{k,ℓ2}, y_{k,ℓ2}⟩,   1 ≤ k < K      S3 (phase–modulus, x̄_j × x̄_{j'})
//	s3im (ℓ1, k, ℓ2)             Im ⟨U_ℓ1 ⋆ ψ_{k,ℓ2}, y_{k,ℓ2}⟩
//	s4c  (ℓ1, k2, ℓ2, k3, ℓ3)    Re ⟨U_ℓ1 ⋆ ψ_{k3,ℓ3}, M_{k2,ℓ2} ⋆ ψ_{k3,ℓ3}⟩,   1 ≤ k2 ≤ k3 < K   S4 across scales
//	s4n  (ℓ1 ≤ ℓ2, k3, ℓ3)       Re ⟨U_ℓ1 ⋆ ψ_{k3,ℓ3}, U_ℓ2 ⋆ ψ_{k3,ℓ3}⟩,   0 ≤ k3 < K          S4 within the new scale
//
// The quadratic terms of Term remain the x̄_j×x̄_j and x̄_j×x_j blocks of
// S_jᵀK_{j'}S_{j'} and the sigmoid potential stays. Since the bank's ψ̂ is
// real, ⟨A ⋆ ψ, B ⋆ ψ⟩ = N⁻² Σ_ω Â B̂* ψ̂², so every s3 and s4c feature is
// Σ_u U_ℓ1(u) m(u) with m = Re F⁻¹(ψ̂² Ŝ) computed from x_j alone (Ŝ = x̂̃_c,
// i·x̂̃_c or M̂_{k2,ℓ2}): a local product of the new-scale modulus with a
// coarse field, whose spatial range is that of the second wavelet ψ_{k3}
// (2^{k3} sites) rather than that of a stencil. s4n is bilinear in the
// moduli, Σ_u U_ℓ1(u) (κ ⋆ U_ℓ2)(u) with κ̂ = ψ̂²_{k3,ℓ3} (symmetrised).
// Every feature holds at least one new-scale modulus: terms built from
// coarse quantities only do not depend on x̄_j and cancel in p̄_j; products
// of raw x̄_j with coarse moduli are left out (their frequency supports are
// disjoint). With ScatSpec.Isotropic each feature is summed over the L
// global rotations ℓ_i → ℓ_i + r (mod L), keeping relative orientations
// only (the isotropic reduction of Cheng et al.).
//
// Counts. With L orientations, per factor: s1 L, s3 2L²(K−1), s4c
// L³K(K−1)/2, s4n L²(L+1)K/2; isotropic: 1, 2L(K−1), L²K(K−1)/2 and, for
// L = 4, 10K. For L = 4, isotropic: 45, 95, 161, 243, 341 terms at N = 8,
// 16, 32, 64, 128. That is O(log² N) per factor and O(log³ d) over the
// factors of a lattice of d sites, as in Lempereur and Mallat: with
// DefaultSpecs and WithScattering, 301 of 1593 parameters for d = 32² and
// 544 of 2475 for d = 64² (see Model.Params and SpecParams for the counts
// beside d).
//
// Score matching stays one linear solve. Ē = θᵀΦ is linear in θ, so the
// Hyvärinen loss is ½θᵀHθ − θᵀG with H = E[∇_x̄Φ ∇_x̄Φᵀ], G = E[Δ_x̄Φ] over
// the old and new features together (H is assembled from the quadratic
// terms' sufficient statistics, the sigmoid gradients and the explicit
// gradients of the scattering features, see scatStats). Gradients are in
// reverse mode: with g_ℓ = ∂Φ/∂U_ℓ (m, κ ⋆ U, or 1),
//
//	∇_x̃ Φ = Re F⁻¹(Σ_ℓ ψ̂_{0,ℓ} F(g_ℓ z_ℓ/U_ℓ)),   ∇_x̄ Φ = σ⁻¹ · detail part of W(∇_x̃ Φ).
//
// Laplacians. Δ_x̄Φ = Σ_ℓ ⟨g_ℓ, Δ_x̄U_ℓ⟩ + Σ ∂²Φ/∂U∂U' ⟨∇_x̄U, ∇_x̄U'⟩. The
// first part is exact: with ρ_u = ∇_x̄ z_ℓ(u) ∈ C^{3n²} and φ the phase of
// z_ℓ(u),
//
//	Δ_x̄ U_ℓ(u) = (‖ρ_u‖² − Re(e^{−2iφ} Σ_i ρ_{u,i}²)) / (2 U_ℓ(u)),
//
// where ‖ρ_u‖² and Σ_i ρ_{u,i}² depend on u mod 2 only (the detail projector
// of a db4 level commutes with translations by 2) and are computed once
// (scatGeom). So s1, s3 and s4c, linear in U with weights fixed by x_j,
// have exact Laplacians (the modulus has Δ|z| = 1/|z| on C ≅ R², locally
// integrable with no singular part, so the integration by parts behind
// score matching holds). The second part exists only for s4n: 2 tr(J_aᵀ κ
// J_b), J = ∇_x̄U. It is estimated by Hutchinson's trace estimator
// (Hutchinson, Commun. Stat. Simul. Comput. 19, 433 (1990)) with the exact
// forward-mode directional derivatives U̇_ℓ = J z = Re(e^{−iφ_ℓ} ψ_{0,ℓ} ⋆
// W⁻¹(0, z))/σ along Rademacher probes z: 2⟨U̇_a, κ ⋆ U̇_b⟩ is unbiased and
// has no discretisation error (finite differences of the gradient along
// probes would add an O(h²) bias and cancellation error). Its variance,
// Σ_{i≠i'}(A_{ii'} + A_{i'i})², A = J_aᵀκJ_b, grows like the number 3n² of
// coordinates while the trace grows like 3n², so one probe per field has a
// relative error O(n⁻¹) before the average over fields. ScatSpec.Probes = 0
// uses the 3n² coordinate vectors instead, which is exact (the default up
// to N = 16). The identity E[Δ_x̄Φ] = −E[∇_x̄Φ·∇_x̄ log p] was not used: it
// needs the data score, which is what is being estimated.
//
// Smoothed modulus. Δ|z| = 1/|z| is integrable but large where the
// coefficients are small, so E[ΔΦ] in G is dominated by the smallest new-
// scale coefficients, which for sparse fields (vortices, edges) are most
// of them. ScatSpec.Smoothing replaces U = |z| by U = (|z|² + ε²)^{1/2}
// (ε in the renormalised units of x̃), smooth at z = 0, with e = z/U in
// the gradients and
//
//	Δ_x̄U = (‖ρ_u‖²(2 − |e|²) − Re(ē² Σ_i ρ_{u,i}²)) / (2σ²U),   e = z/U,
//
// which is bounded by ‖ρ_u‖²/(σ²ε) and equals the formula above at ε = 0.
// The features stay linear in θ; constants εₗ added to U only shift terms
// by functions of x_j, which cancel in p̄_j.
//
// Symmetries. FitOptions.Symmetric (φ → −φ) is exact: s3 features are odd,
// the others even, and their statistics of the mirrored data follow from
// those of the data (scatMirror), so the s3 coefficients vanish and Ē is
// even. FitOptions.Isotropic (x ↔ y) fits the data with their transposes
// (augmentData): transposition reflects the wavelet orientations, and the
// fitted energy is invariant up to rounding.
//
// Sampling is unchanged: MALA per factor with the combined gradient and
// adapted steps, the scattering part costing 4L + 2 FFTs of N×N per step
// (scatEval; it does not allocate).
//
// Checks (scat_test.go, scatfit_test.go, scatapi_test.go): gradients of
// the energy and of every feature against central differences (relative
// error ≤ 4·10⁻⁸ on 8² to 32² fields), Laplacians against the trace of
// the differentiated gradient (≤ 4·10⁻⁸), the assembled H and G against
// brute force (≤ 10⁻¹³), θ recovered from MALA samples of a known energy,
// and MALA samples of a fitted Gaussian against its exact covariance.
package rg
