// Package basis computes the geometry-adaptive harmonic basis of a
// denoiser and the quantities that go with it.
//
// A bias-free ReLU network denoiser x̂ is piecewise linear and homogeneous
// of degree one, so x̂(y) = J(y)·y with J(y) = ∇x̂(y) its Jacobian at y
// (Mohan, Kadkhodaie, Simoncelli and Fernandez-Granda, "Robust and
// interpretable blind image denoising via bias-free convolutional neural
// networks", ICLR 2020, §5). Where J is nearly symmetric, its eigenvectors
// e_k form an orthonormal basis in which the denoiser shrinks each
// coefficient, x̂ = Σ_k λ_k ⟨y, e_k⟩ e_k: the geometry-adaptive harmonic
// basis, oscillating along contours and inside regions (Kadkhodaie, Guth,
// Simoncelli and Mallat, "Generalization in diffusion models arises from
// geometry-adaptive harmonic representations", ICLR 2024, §3).
//
// The package works on matrix-free linear Operators (a net's Jacobian at y
// through its JVP and VJP, or a dense matrix): Lanczos finds the top
// eigenpairs of the symmetric part S = (J + Jᵀ)/2, Trace estimates the
// effective dimension tr J (Hutchinson), Antisymmetry the ratio
// ‖(J − Jᵀ)/2‖_F / ‖J‖_F, and SURE the denoiser's mean squared error
// without the clean image (Stein 1981).
package basis
