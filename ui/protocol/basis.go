package protocol

// The adapted basis of the Draw & denoise scene: the leading eigenvectors
// of the symmetric part of a bias-free denoiser's Jacobian at the noisy
// drawing, the basis in which it shrinks the noisy image, x̂ = J(y)·y ≈
// Σ_k λ_k ⟨y, e_k⟩ e_k (Kadkhodaie, Guth, Simoncelli and Mallat,
// "Generalization in diffusion models arises from geometry-adaptive
// harmonic representations", ICLR 2024, §3; Mohan, Kadkhodaie, Simoncelli
// and Fernandez-Granda, ICLR 2020). Lanczos runs as a stepper (it may take
// seconds in a worker): start, bounded steps with progress, cancel.

// BasisScene is the scene of the basis operations' frames: the Draw &
// denoise scene, which tells them from the denoise frames by their kind
// (DenoiseValues have none).
const BasisScene = "draw"

// BasisStartRequest starts the eigen-analysis of the denoise request's
// noisy image y = x + σz (the same drawing, backgrounds, σ, noise seed and
// net as OpDenoise) (OpBasisStart).
type BasisStartRequest struct {
	DenoiseRequest
	// K is the number of leading eigenpairs: 1 to 64 (0: 32).
	K int `json:"k"`
	// Krylov caps the Lanczos steps (0: the engine's default); the run
	// stops earlier once the top K pairs have converged.
	Krylov int `json:"krylov"`
	// Seed seeds Lanczos' start vector.
	Seed uint64 `json:"seed"`
}

// BasisStepRequest advances Lanczos by up to K iterations within MaxMs
// (OpBasisStep).
type BasisStepRequest = StepRequest

// BasisValues answer the basis operations: start, step and done share
// them (kind "start", "step", "done").
//
// Images, once done: "tiles", the eigenvectors e_1 … e_K as a grid of
// small tiles (Cols across, in the order of k; each in a diverging
// colormap, zero white, limits ±max|e_k|), and the float32 series
// "eigenvalues" (λ_1 ≥ … ≥ λ_K) and "coefficients" (|⟨x, e_k⟩|, the clean
// image's coefficients, k = 1 … K) and "noisy_coefficients" (|⟨y, e_k⟩|).
type BasisValues struct {
	Kind string `json:"kind"`
	K    int    `json:"k"`
	Size int    `json:"size"` // side of the image (and of each tile's field)
	// Step is the Lanczos iterations done; Krylov the cap.
	Step   int `json:"step"`
	Krylov int `json:"krylov"`
	// Converged reports that the top K Ritz pairs met the tolerance; only
	// meaningful once done.
	Converged bool `json:"converged"`
	// Residual is the largest ‖S e_k − λ_k e_k‖ of the top K Ritz pairs
	// at the last check (−1 before the first).
	Residual float64 `json:"residual"`
	// Cols is the number of tiles across.
	Cols int  `json:"cols"`
	Done bool `json:"done"`
	// Trace is tr J(y) by Hutchinson (with its standard error), the
	// effective dimension; Antisymmetry ‖(J − Jᵀ)/2‖_F / ‖J‖_F (with its
	// standard error); both once done.
	Trace           float64 `json:"trace"`
	TraceErr        float64 `json:"trace_err"`
	Antisymmetry    float64 `json:"antisymmetry"`
	AntisymmetryErr float64 `json:"antisymmetry_err"`
	// Seconds is the engine time the run has taken.
	Seconds float64 `json:"seconds"`
	Net     string  `json:"net"`
	Sigma   float64 `json:"sigma"`
}
