package protocol

// DenoiseRequest is what the Draw & denoise scene asks the worker
// (OpDenoise).
type DenoiseRequest struct {
	D     string  `json:"d"`     // the drawing (its stroke code), "" for none
	Mode  string  `json:"mode"`  // "boundary" or "stroke"
	Width float64 `json:"width"` // stroke width in pixels
	BG    uint64  `json:"bg"`    // seed of the smooth backgrounds
	Sigma float64 `json:"sigma"` // noise standard deviation, intensities in [0, 1]
	NSeed uint64  `json:"nseed"` // noise seed
	Net   string  `json:"net"`   // "drawing", "calpha1", "calpha2" or "calpha4"
}

// DenoiseValues answer OpDenoise: the noisy y = x + σz and the denoised
// x̂ = y − f(y) of a bias-free U-Net against the clean x (Kadkhodaie et
// al., ICLR 2024, §2).
type DenoiseValues struct {
	Sigma     float64 `json:"sigma"`          // σ
	PSNRIn    float64 `json:"psnr_in"`        // PSNR of y, dB (at most 100)
	PSNROut   float64 `json:"psnr_out"`       // PSNR of x̂, dB (at most 100)
	Net       string  `json:"net"`            // the net's name
	Params    int     `json:"params"`         // its parameters
	Millis    float64 `json:"denoise_ms"`     // time of the forward pass
	ResLimit  float64 `json:"residual_limit"` // max |f(y)|, the residual panel's range
	Strokes   int     `json:"strokes"`        // strokes of the drawing
	Mode      string  `json:"mode"`           // "boundary" or "stroke"
	NetDetail string  `json:"net_detail"`     // the net's training, in words
}
