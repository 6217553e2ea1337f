package diffusion

// Denoiser estimates a clean image from a noisy one, x̂(y) ≈ E[x | y] for
// y = x + σz, z ~ N(0, I). Images are flat slices of Dim values.
//
// sigma is the noise level the caller assumes y carries: the schedule's σ
// for ReverseSDE and the nominal level σ₀·Π(1 − β·h_s) for Kadkhodaie.
// Blind denoisers, such as the bias-free nets (NetDenoiser), ignore it;
// non-blind ones, such as the exact GaussianDenoiser, use it.
//
// Denoise sets dst = x̂(y); dst may alias y. It returns an error for slices
// whose length is not Dim.
type Denoiser interface {
	Dim() int
	Denoise(dst, y []float64, sigma float64) error
}
