package protocol

// The Scattering scene: the wavelet-modulus geometry of a field, its
// scattering spectra and microcanonical synthesis from them (Cheng, Morel,
// Allys, Ménard and Mallat, "Scattering Spectra Models for Physics", PNAS
// Nexus 3, pgae103 (2024)).

// ScatRequest selects the field, the filter bank and the wavelet ψ_{j,k}
// of an analysis (OpScatAnalyse) and the target of a synthesis.
type ScatRequest struct {
	Field string  `json:"field"` // "phi4", "calpha", "drawing", "cosmic" or "turbulence"
	Size  int     `json:"size"`
	Seed  uint64  `json:"seed"`
	Alpha float64 `json:"alpha"` // C^α regularity (0: the engine's default)
	// The drawing (field "drawing"): as in DenoiseRequest; an empty D uses
	// the Draw & denoise scene's first example.
	D     string  `json:"d"`
	Mode  string  `json:"mode"`
	Width float64 `json:"width"`
	BG    uint64  `json:"bg"`
	// The filter bank: kind "bump" (default) or "morlet", J scales, L
	// orientations (even), and the wavelet ψ_{j,k} shown.
	Kind string `json:"kind"`
	J    int    `json:"J"`
	L    int    `json:"L"`
	Sj   int    `json:"j"`
	Sk   int    `json:"k"`
	// By colours the filter bank panel by "orientation" (default) or
	// "scale".
	By string `json:"by"`
}

// ScatSynthRequest starts a synthesis of the request's field
// (OpScatSynthStart).
type ScatSynthRequest struct {
	ScatRequest
	Form    string  `json:"form"`     // "iso" (default) or "full"
	MaxIter int     `json:"max_iter"` // 0: the engine's default
	Tol     float64 `json:"tol"`      // 0: the engine's default
	// Marginal switches the marginal-matching term of the loss: nil
	// (absent from the JSON) or true is on, the default; false is off, the
	// synthesis from the scattering spectra alone.
	Marginal *bool `json:"marginal"`
	// MarginalQuantiles is the number of quantile-block means the marginal
	// term matches: 0 means the engine's default, otherwise 1 to Size²; it
	// must be 0 when the term is off.
	MarginalQuantiles int `json:"marginal_quantiles"`
}

// ScatStepRequest advances the synthesis for about MaxMs milliseconds of
// engine time (0: the engine's default), at least one iteration
// (OpScatSynthStep).
type ScatStepRequest = StepRequest

// ScatExportRequest exports the synthesis: "gif" (the synthesis from
// white noise, animated), "npy" (the synthesised field, float32) or "png"
// (the synthesised field in the field's colours) (OpScatExport).
type ScatExportRequest = ExportRequest

// ScatInfoValues answer OpScatInfo.
type ScatInfoValues struct {
	Kind   string   `json:"kind"`   // KindInfo
	Fields []string `json:"fields"` // the fields this build offers
	Sizes  []int    `json:"sizes"`  // the sides offered
	MaxL   int      `json:"max_L"`  // the most orientations
	// What a synthesis matches besides the scattering spectra: the
	// marginal's quantile blocks (when the term is on) and the rings per
	// octave of the power-spectrum term.
	MarginalQuantiles  int `json:"marginal_quantiles"`
	PowerSpectrumRings int `json:"power_spectrum_rings"`
}

// ScatSecond is one second transform | |x ⋆ ψ_{j,k}| ⋆ ψ_{j′,k⊥} |
// shown: its scale j′ and colour range.
type ScatSecond struct {
	JP  int     `json:"jp"`
	Max float64 `json:"max"`
}

// ScatRegularity is the directional regularity of |x ⋆ ψ_{j,k}|: log₂ D
// against j′, D(j, k, j′) the energy of its second transform at j′
// perpendicular to θ_k, with the fitted line log₂ D ≈ slope·j′ +
// intercept and the bound on the slope of the geometric directional
// regularity theorem of N. Cuvelle-Magar and S. Mallat (Mallat's talk
// "Multiscale geometry of images and physics with score diffusion").
type ScatRegularity struct {
	JPrimes   []int     `json:"jprimes"`
	Log2D     []float64 `json:"log2d"`
	Fitted    bool      `json:"fitted"`
	Slope     float64   `json:"slope"`
	Intercept float64   `json:"intercept"`
	R2        float64   `json:"r2"`
	Bound     float64   `json:"bound"`
}

// ScatAnalyseValues answer OpScatAnalyse (their spectra travel as
// series).
type ScatAnalyseValues struct {
	Kind       string  `json:"kind"` // KindAnalysis
	Field      string  `json:"field"`
	Desc       string  `json:"desc"` // the field, in words
	Note       string  `json:"note"` // what had to be substituted, or ""
	N          int     `json:"n"`
	J          int     `json:"J"`
	L          int     `json:"L"`
	Sj         int     `json:"j"`
	Sk         int     `json:"k"`
	Wavelet    string  `json:"wavelet"`
	By         string  `json:"by"`
	Kperp      int     `json:"kperp"`     // the orientation perpendicular to k
	ThetaDeg   float64 `json:"theta_deg"` // θ_k in degrees
	Xi         float64 `json:"xi"`        // the centre frequency of scale j
	BankRes    int     `json:"bank_res"`  // side of the bank panel
	ModulusMax float64 `json:"modulus_max"`
	// S1jk is the first-order coefficient ⟨|x ⋆ ψ_{j,k}|⟩.
	S1jk   float64      `json:"s1_jk"`
	Second []ScatSecond `json:"second"`
	// Regularity is null when fewer than two scales j′ remain.
	Regularity *ScatRegularity `json:"regularity"`
	// Counts holds, per form ("iso", "full"), the number of coefficients
	// of each group and their "total".
	Counts  map[string]map[string]int `json:"counts"`
	Mean    float64                   `json:"mean"`
	S3Ticks []int                     `json:"s3_ticks"` // where j1 changes in S3
	S4Ticks []int                     `json:"s4_ticks"` // where j1 changes in S4
	Ms      float64                   `json:"ms"`       // engine time
}

// ScatGroup is one group of coefficients of the statistics vector, its
// entries [Start, End).
type ScatGroup struct {
	Name  string `json:"name"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// ScatLossTerms is the decomposition of the synthesis loss
// ℓ(x) = Statistics + Marginal + PowerSpectrum (scattering.SynthLossTerms;
// the page has no low-pass term): the statistic part
// Σ_i w_i (Φ_i(x) − Φ_i(t))², the marginal term (0 when off) and the
// power-spectrum term Σ over rings of the log power ratio squared (weighted
// as S2 entries), each null when not finite.
type ScatLossTerms struct {
	Statistics    *float64 `json:"statistics"`
	Marginal      *float64 `json:"marginal"`
	PowerSpectrum *float64 `json:"power_spectrum"`
}

// ScatProgress is the state of a synthesis, in start and step values:
// its iterations, the loss ℓ(x) and its terms, the relative statistic
// error √(ℓ_stat(x)/Σ_i w_i Φ_i(t)²) of the statistic part of the loss,
// the marginal error W₂/σ_t of the block-averaged quantile functions, the
// power-spectrum errors (the mean |log ratio| of the ring powers over the
// power-spectrum term's rings, and over half-octave rings from |k| = 1 to
// the corner: polyspectra.HalfOctaveSpectrumError) (each null when not
// finite), the relative error ‖Φ_g(x) − Φ_g(t)‖/‖Φ_g(t)‖ of each group g,
// and the distance to the target: the total variation of the marginals,
// (1/2)∫|p − p_t|, and the mean |log P(k)/P_t(k)| over the radial power
// spectrum.
type ScatProgress struct {
	HistTV          float64       `json:"hist_tv"`
	SpecLR          float64       `json:"spectrum_log_ratio"`
	Iter            int           `json:"iter"`
	Evals           int           `json:"evals"`
	Loss            *float64      `json:"loss"`
	LossTerms       ScatLossTerms `json:"loss_terms"`
	RelErr          *float64      `json:"relerr"`
	MarginalErr     *float64      `json:"marginal_err"`
	SpectrumErr     *float64      `json:"spectrum_err"`
	SpectrumErrHalf *float64      `json:"spectrum_err_half_octave"`
	GroupErrors     []float64     `json:"group_errors"`
	Status          string        `json:"status"`
	StopReason      string        `json:"stop_reason,omitempty"` // why it stopped early
	Done            bool          `json:"done"`
	Seconds         float64       `json:"seconds"` // engine time, the start included
	FramesRecorded  int           `json:"frames_recorded"`
}

// ScatSynthStartValues answer OpScatSynthStart: the synthesis, its
// statistics and marginal term, and its first state.
type ScatSynthStartValues struct {
	Kind   string      `json:"kind"` // KindSynthStart
	Groups []ScatGroup `json:"groups"`
	Count  int         `json:"count"` // coefficients matched
	// The marginal term: on or off, its weight, and the number of
	// marginal statistics it matches besides the coefficients (0: off).
	Marginal          bool    `json:"marginal"`
	MarginalWeight    float64 `json:"marginal_weight"`
	MarginalQuantiles int     `json:"marginal_quantiles"`
	// The statistic weights of the loss (mean, S1, S2, S3, S4), the weight
	// of the power-spectrum term (1: each ring one more S2 entry) and its
	// rings per octave, and the loss at which the synthesis stops
	// converged (Tol² · Σ_i w_i Φ_i(t)²).
	Weights            []float64 `json:"weights"`
	PowerSpectrum      float64   `json:"power_spectrum"`
	PowerSpectrumRings int       `json:"power_spectrum_rings"`
	StopLoss           *float64  `json:"stop_loss"`
	Form               string    `json:"form"`
	Field              string    `json:"field"`
	Desc               string    `json:"desc"`
	N                  int       `json:"n"`
	J                  int       `json:"J"`
	L                  int       `json:"L"`
	Seed               uint64    `json:"seed"`
	Wavelet            string    `json:"wavelet"`
	MaxIter            int       `json:"max_iter"`
	Tol                float64   `json:"tol"`
	Log                bool      `json:"log"` // the colours show log₁₀ of the field
	ScatProgress
}

// ScatSynthStepValues answer OpScatSynthStep.
type ScatSynthStepValues struct {
	Kind  string `json:"kind"`  // KindSynthStep
	Steps int    `json:"steps"` // iterations of this request
	ScatProgress
}

// ScatSynthesis is the canvas app's view of the synthesis: every value
// of the start and step values (a step updates the progress).
type ScatSynthesis struct {
	ScatSynthStartValues
	Steps int `json:"steps"` // iterations of the latest step request
}
