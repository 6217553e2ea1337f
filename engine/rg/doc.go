// Package rg implements the wavelet-conditional renormalisation group
// (WC-RG) of Marchand, Ozawa, Biroli and Mallat, "Multiscale data-driven
// energy estimation and generation", PRX 13, 041038 (2023): a stationary
// field on a periodic L×L lattice is modelled scale by scale in the
// periodic orthonormal Daubechies-4 wavelet basis, estimated by score
// matching and sampled coarse to fine by MALA; the energy's features and
// the sampler's settings follow the authors' code for Guth, Lempereur,
// Bruna and Mallat, "Conditionally Strongly Log-Concave Generative
// Models", ICML 2023, which implements WC-RG with the same db4 wavelet.
//
// # Model
//
// With x_0 = (φ − Mean)/Std and (x_j, x̄_j) = W(x_{j−1}) one level of the
// periodic db4 transform (x̄_j = (H_j, V_j, D_j), see package wavelet),
//
//	p(x_0) = p_J(x_J) ∏_{j=1..J} p̄_j(x̄_j | x_j),
//
// and each factor has an energy linear in its parameters (§4.3),
//
//	Ē_θ(x̄_j | x_j) = Σ_k θ_k Σ_p ρ_k(x_{j−1}(p)) + Σ_t θ_t ½ Σ_p u_c(p) u_d(p+s),
//	ρ_k(t) = sigmoid(−(t − c_k)/w),   x_{j−1} = W⁻¹(x_j, x̄_j),
//
// with u = (x_j, H_j, V_j, D_j) on the (L/2^j)² grid and periodic shifts s
// of a (2n+1)² stencil (see Term for the list of terms); conditional
// factors may also hold scattering interactions (see "Scattering
// interactions" below and ScatSpec). The coarsest
// factor p_J has the same form with the single channel x_J. By default
// J = log₂L, so x_J is one number (L times the mean of x_0) and p_J a 1-D
// density.
//
// # Estimation (Fit)
//
// For each factor, the Hyvärinen score-matching loss E[½|∇_x̄Ē|² − Δ_x̄Ē]
// = ½θᵀHθ − θᵀG, H = E[∇_x̄Φ∇_x̄Φᵀ], G = E[Δ_x̄Φ], is minimised exactly,
// θ = H⁻¹G, after diagonal preconditioning (§4.4). Laplacians are exact
// (no Hutchinson estimate): Δ_x̄ Σ_p ρ(x_{j−1}(p)) = Σ_p ρ″(x_{j−1}(p)) w(p)
// with w(p) the squared norm of the detail part of W(δ_p) (2-periodic,
// w(0,0)+w(1,0)+w(0,1)+w(1,1) = 3), and only the shift-0 self terms of the
// quadratic part have a Laplacian (CoarseGrid² each). H and G are assembled
// from sufficient statistics (channel cross-correlations over lags in
// [−2n, 2n]², correlations of the sigmoid gradients with the channels over
// the stencil, and sigmoid–sigmoid products) accumulated over the data in
// parallel, in fixed chunks merged in order, so the result does not depend
// on the number of workers. FitOptions.Symmetric (φ → −φ) and
// FitOptions.Isotropic (x ↔ y) fit the data together with their images
// under these symmetries at no extra cost.
//
// Score matching leaves the coarse conditionals of critical φ⁴ a few per
// cent too wide (with the local potential the model is misspecified there
// and the fit is weakly constrained in the heavy tails); FitOptions.
// Calibration rounds (default 3) then correct the self shift-0 coefficient
// of each band by moment matching against MALA samples given the data x_j
// (see Scale.Calibration).
//
// # Sampling
//
// Sampler draws x_J and then each x̄_j given x_j by Metropolis-adjusted
// Langevin steps with the exact MALA acceptance ratio, starting from 0,
// the step h adapting towards acceptance 0.574 during the first half of
// each factor's steps and then fixed, and moves leaving the window of the
// sigmoid centres rejected (§4.5). It is an iterator (Step, Phase,
// Current, Hierarchy) for pages that animate the scales forming;
// Model.Sample runs independent chains on several goroutines.
//
// # Validation
//
// Compare measures ⟨φ²⟩, the Binder cumulant, the radial power spectrum,
// the one-point histogram and the std of every level of the db4 pyramid
// of generated against true fields. On the β = 0.68 FA-HMC data, with
// DefaultSpecs, Symmetric, Isotropic and 3 calibration rounds, 2048
// generated fields gave (rg/measure_test.go, RG_MEASURE=1):
//
//	                       L = 32 (2048 true)   L = 64 (1024 true)
//	⟨φ²⟩ relative error        0.018                0.019
//	Binder absolute error      0.0015               0.0026
//	spectrum mean |log ratio|  0.041                0.027
//	histogram TV distance      0.037                0.044
//	max pyramid std error      0.044 (V_5)          0.034 (D_3)
//
// The largest std errors are on the coarsest bands, one coefficient per
// field, whose sampling noise is a few per cent.
package rg
