package protocol

// The Geometry scene: the optimal-rate law of denoising C^α images and the
// geometry-adaptive harmonic bases of the shipped denoisers on C^α images
// and MNIST digits (Kadkhodaie, Guth, Simoncelli and Mallat,
// "Generalization in diffusion models arises from geometry-adaptive
// harmonic representations", ICLR 2024, §3 and App. D). Two analyses, "a"
// and "b", side by side compare the basis across α, σ and nets; each is
// the Draw scene's eigen-analysis (a stepper: start, steps, cancel) of an
// image the engine draws or the page sends.

// GeometryScene is the scene of the Geometry operations' frames.
const GeometryScene = "geometry"

// The Geometry scene's analyses.
const (
	GeometrySlotA = "a"
	GeometrySlotB = "b"
)

// The images a Geometry analysis can take.
const (
	// GeometryCAlpha is a held-out C^α image the engine draws from a seed.
	GeometryCAlpha = "calpha"
	// GeometryMNIST is an MNIST digit the page sends (28×28 bytes).
	GeometryMNIST = "mnist"
)

// GeometryStartRequest starts the eigen-analysis of one image
// (OpGeomStart): the denoiser Net at y = x + σz.
type GeometryStartRequest struct {
	// Slot is the analysis: GeometrySlotA or GeometrySlotB.
	Slot string `json:"slot"`
	// Image is GeometryCAlpha or GeometryMNIST.
	Image string `json:"image"`
	// Alpha is the regularity of a C^α image (0 < α ≤ 8); Seed picks
	// the held-out image (seed HeldOutSeed + Seed, as the rate command
	// draws them); Size is its side, 32 or 64 (0: 32).
	Alpha float64 `json:"alpha"`
	Seed  uint64  `json:"seed"`
	Size  int     `json:"size"`
	// Digit is an MNIST digit's 28×28 grey levels (0 to 255, row-major),
	// padded to 32×32 and scaled to [0, 1] as the sweep's nets saw them;
	// DigitIndex names it for the captions.
	Digit      []int `json:"digit"`
	DigitIndex int   `json:"digit_index"`
	// Net is a shipped denoiser ("calpha2") or a sweep net the page put
	// (BlobNetPrefix + Net + ".safetensors").
	Net string `json:"net"`
	// Sigma is the noise level (0 to 1), NSeed the noise's seed.
	Sigma float64 `json:"sigma"`
	NSeed uint64  `json:"nseed"`
	// K is the number of leading eigenpairs (1 to 64; 0: 32); Krylov caps
	// the Lanczos steps (0: the engine's default); LanczosSeed seeds its
	// start vector.
	K           int    `json:"k"`
	Krylov      int    `json:"krylov"`
	LanczosSeed uint64 `json:"lanczos_seed"`
}

// GeometryValues answer the analysis operations (kind "start", "step",
// "done"): the basis values of the run and which analysis it is. Once
// done, the images "clean", "noisy" and "denoised" (grey, [0, 1]) come
// with the basis's tiles and series (BasisValues).
type GeometryValues struct {
	BasisValues
	Slot       string  `json:"slot"`
	Image      string  `json:"image"`
	Alpha      float64 `json:"alpha"`
	Seed       uint64  `json:"seed"`
	DigitIndex int     `json:"digit_index"`
	// PSNRIn and PSNROut are the noisy and the denoised image's PSNR
	// against the clean image (dB, at most 100).
	PSNRIn  float64 `json:"psnr_in"`
	PSNROut float64 `json:"psnr_out"`
	// Params is the net's parameter count; Trained what it was trained
	// on.
	Params  int    `json:"params"`
	Trained string `json:"trained"`
}

// GeometryRateValues answer OpGeomRate (kind "rate"): the measured
// optimal-rate curves of the shipped C^α denoisers, one per α.
type GeometryRateValues struct {
	Kind   string         `json:"kind"`
	Curves []GeometryRate `json:"curves"`
}

// GeometryRate is one rate curve: PSNR_out against PSNR_in of a net on
// held-out C^α images, its least-squares slope over the fit range, the
// theory α/(α+1) and the paper's measured slope (0: none), and tr J
// against σ; Command is the scalewise rate command that measured it.
type GeometryRate struct {
	Alpha    float64    `json:"alpha"`
	Net      string     `json:"net"`
	Command  string     `json:"command"`
	Size     int        `json:"size"`
	Images   int        `json:"images"`
	FitRange [2]float64 `json:"fit_range_db"`
	Slope    float64    `json:"slope"`
	SlopeSE  float64    `json:"slope_se"`
	// Intercept is the fitted line's value at PSNR_in = 0.
	Intercept float64   `json:"intercept"`
	Theory    float64   `json:"theory"`
	Paper     float64   `json:"paper"`
	Sigma     []float64 `json:"sigma"`
	PSNRIn    []float64 `json:"psnr_in"`
	PSNROut   []float64 `json:"psnr_out"`
	Trace     []float64 `json:"trace"`
	TraceErr  []float64 `json:"trace_err"`
	// Baselines are the slopes of the classical denoisers over the same
	// range (gaussian, db4_soft, wiener_oracle).
	Baselines map[string]float64 `json:"baselines"`
}
