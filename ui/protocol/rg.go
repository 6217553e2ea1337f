package protocol

// The Renormalise scene: wavelet-conditional renormalisation-group
// generation of critical φ⁴ fields (Marchand, Ozawa, Biroli, Mallat,
// "Multiscale Data-Driven Energy Estimation and Generation", PRX 13,
// 041038 (2023)), and of 2-D turbulence, C^α images and drawings of
// smooth curves with scattering interactions (Lempereur and Mallat, "Hierarchic flows to estimate and
// sample high-dimensional probabilities", arXiv:2405.03468).

// RGStartRequest starts a generation (OpRGStart).
type RGStartRequest struct {
	// Field is the field type: "phi4" (the default when empty),
	// "turbulence", "calpha" or "drawings".
	Field string  `json:"field"`
	L     int     `json:"L"`
	Beta  float64 `json:"beta"`
	Seed  uint64  `json:"seed"`
	Model string  `json:"model"` // "shipped" (default) or "fitted"
}

// RGStepRequest advances the generation by K MALA steps (1 to the
// engine's bound), stopping early after MaxMs milliseconds (OpRGStep).
type RGStepRequest = StepRequest

// RGExportRequest exports the finished generation: "gif" (the
// coarse-to-fine animation), "png" or "npy" (the final field)
// (OpRGExport).
type RGExportRequest = ExportRequest

// RGFitRequest refits the model from the first N shipped samples (0: the
// engine's default; at most all of them) (OpRGFit).
type RGFitRequest struct {
	Field string  `json:"field"` // "phi4" or empty: the page fits φ⁴ only
	L     int     `json:"L"`
	Beta  float64 `json:"beta"`
	N     int     `json:"n"`
}

// RGRaceRequest advances (or, with Reset, starts) the race between RG
// sampling and local MCMC for about Ms milliseconds, shared equally
// (OpRGRace).
type RGRaceRequest struct {
	Field string  `json:"field"` // "phi4" or empty: the race is φ⁴'s only
	L     int     `json:"L"`
	Beta  float64 `json:"beta"`
	Seed  uint64  `json:"seed"`
	Reset bool    `json:"reset"`
	Ms    float64 `json:"ms"`
}

// RGInfoValues answer OpRGInfo.
type RGInfoValues struct {
	Kind  string  `json:"kind"`  // KindInfo
	Sides []int   `json:"sides"` // lattice sides with a shipped model
	Beta  float64 `json:"beta"`  // the coupling of the shipped models
	FitL  int     `json:"fit_L"` // the side "Fit from data" fits at
	// Fields lists the field types the scene offers.
	Fields []RGFieldInfo `json:"fields"`
}

// RGFieldInfo describes a field type of the scene: the sides with a
// shipped model, how the page shows it, and why "Fit from data" or the
// race is not offered for it (empty: offered).
type RGFieldInfo struct {
	Name     string     `json:"name"`     // "phi4", "turbulence", "calpha", "drawings"
	Title    string     `json:"title"`    // "critical φ⁴"
	Sides    []int      `json:"sides"`    // lattice sides with a shipped model
	Range    [2]float64 `json:"range"`    // the colour range of the field
	Colormap string     `json:"colormap"` // "diverging" or "gray"
	Truth    string     `json:"truth"`    // what the true samples are
	NoFit    string     `json:"no_fit"`   // why the page does not fit it
	NoRace   string     `json:"no_race"`  // why the page does not race it
}

// RGStage is one stage of the coarse-to-fine generation: stage 0 samples
// the coarsest field x_J from p_J; stage s ≥ 1 samples the details x̄_j,
// j = J−s+1, given x_j from p̄_j(x̄_j | x_j) and reconstructs
// x_{j−1} = W⁻¹(x_j, x̄_j) (PRX 13, 041038).
type RGStage struct {
	Name  string `json:"name"`  // "x_J" or "j=3"
	J     int    `json:"j"`     // the scale j of the stage (J for stage 0)
	Size  int    `json:"size"`  // side of the field the stage produces
	Steps int    `json:"steps"` // MALA steps of the stage
}

// RGPhase is where the generation is: its stage, the steps done in it and
// the stage's description.
type RGPhase struct {
	Stage int    `json:"stage"`
	Step  int    `json:"step"`
	Total int    `json:"total"` // steps of the stage
	J     int    `json:"j"`
	Size  int    `json:"size"`
	Name  string `json:"name"`
}

// RGCost is the cost of a generation so far: gradient evaluations counted
// in units of one whole-lattice (L×L) gradient, and engine seconds.
type RGCost struct {
	GradEvals float64 `json:"grad_evals"`
	Seconds   float64 `json:"seconds"`
}

// RGProgress is the state of the generation, in start, step and done
// values.
type RGProgress struct {
	Field      string    `json:"field"`
	L          int       `json:"L"`
	J          int       `json:"J"`
	Beta       float64   `json:"beta"`
	Model      string    `json:"model"` // "shipped" or "fitted"
	Phase      RGPhase   `json:"phase"`
	StepsDone  int       `json:"steps_done"`
	TotalSteps int       `json:"total_steps"`
	Acceptance []float64 `json:"acceptance"` // per stage; −1: not started
	Cost       RGCost    `json:"cost"`
	Done       bool      `json:"done"`
}

// RGTruth describes the ground-truth samples.
type RGTruth struct {
	Source string  `json:"source"` // what they are: "FA-HMC samples", …
	N      int     `json:"n"`      // samples
	Phi2   float64 `json:"phi2"`   // ⟨φ²⟩
	Shown  int     `json:"shown"`  // the sample shown
	// Floor is the power floor f of the spectrum comparison, mean
	// |log((P + f)/(P_true + f))|: 0 for φ⁴, 10⁻⁴σ² of the truth for
	// the other fields (polyspectra.SpectrumFloor).
	Floor float64 `json:"floor"`
}

// RGKernelInfo names a kernel image of a stage's learned energy.
type RGKernelInfo struct {
	Image string `json:"image"` // its name in the image table
	Name  string `json:"name"`  // the channel pair, "H·V"
}

// RGScatInfo is one family of a stage's scattering coefficients θ, shown
// as a heat map (Image): one row per combination of wavelet scales (Rows
// names them, e.g. "k=1 re"), one column per combination of orientations
// (Cols names the columns' indices, e.g. "ℓ1ℓ2"), coloured on the
// symmetric range ±Max.
type RGScatInfo struct {
	Family string   `json:"family"` // "s1", "s3", "s4c", "s4n"
	Image  string   `json:"image"`
	Rows   []string `json:"rows"`
	RowKey string   `json:"row_key"` // the rows' indices, "k_2≤k_3"
	Cols   string   `json:"cols"`
	Terms  int      `json:"terms"`
	Max    float64  `json:"max"`
}

// RGEnergyInfo is the learned energy of one stage: its kernels (their
// potential travels as series) and, for a factor with scattering
// interactions, their coefficients family by family.
type RGEnergyInfo struct {
	Kernels    []RGKernelInfo `json:"kernels"`
	Scattering []RGScatInfo   `json:"scattering,omitempty"`
	// Isotropic says the scattering terms are summed over rotations
	// (columns are relative orientations).
	Isotropic bool `json:"isotropic,omitempty"`
}

// RGStartValues answer OpRGStart: the generation, the model's stages and
// energies, and the ground truth (its curves travel as series).
type RGStartValues struct {
	Kind string `json:"kind"` // KindStart
	RGProgress
	Seed       uint64         `json:"seed"`
	Provenance string         `json:"provenance"`
	Stages     []RGStage      `json:"stages"`
	Limit      float64        `json:"limit"` // the symmetric colour range of φ⁴
	Range      [2]float64     `json:"range"` // the colour range of the field
	Colormap   string         `json:"colormap"`
	Truth      RGTruth        `json:"truth"`
	Energy     []RGEnergyInfo `json:"energy"`
}

// RGGenerated describes the generated field: ⟨φ²⟩ and the magnetisation
// m = ⟨φ⟩.
type RGGenerated struct {
	Phi2 float64 `json:"phi2"`
	M    float64 `json:"m"`
}

// RGResult is the finished generation against the ground truth: the
// hierarchy's sides and detail colour ranges, the field's moments, the
// total variation between the marginals, (1/2)∫|p − p_true|, and the mean
// |log P(k)/P_true(k)| over the radial power spectrum (the validation of
// PRX 13, 041038, §4.6–4.7).
type RGResult struct {
	Sizes            []int       `json:"sizes"`
	DetailLimits     []float64   `json:"detail_limits"`
	Generated        RGGenerated `json:"generated"`
	HistTV           float64     `json:"hist_tv"`
	SpectrumLogRatio float64     `json:"spectrum_log_ratio"`
	FramesRecorded   int         `json:"frames_recorded"` // of the GIF
}

// RGStepValues answer OpRGStep: kind KindStep while the generation runs,
// KindDone (with the result) once it has finished; steps after the end
// resend the done values.
type RGStepValues struct {
	Kind  string `json:"kind"`
	Steps int    `json:"steps"` // MALA steps of this request
	RGProgress
	*RGResult // KindDone only
}

// RGFitValues answer OpRGFit.
type RGFitValues struct {
	Kind       string `json:"kind"` // KindFit
	L          int    `json:"L"`
	N          int    `json:"n"`       // samples fitted from
	Shipped    int    `json:"shipped"` // samples shipped
	Calibrated bool   `json:"calibrated"`
	// ShippedCalibrated says whether the shipped model was calibrated
	// (absent when it cannot be loaded).
	ShippedCalibrated *bool   `json:"shipped_calibrated,omitempty"`
	Scales            int     `json:"scales"`
	J                 int     `json:"J"`
	Seconds           float64 `json:"seconds"`
	Provenance        string  `json:"provenance"`
}

// RGRaceRG is the RG side of the race: independent samples, their cost,
// and the Binder cumulant U = 1 − ⟨m⁴⟩/(3⟨m²⟩²) and ⟨φ²⟩ over them (null
// until defined).
type RGRaceRG struct {
	Samples   int      `json:"samples"`
	GradEvals float64  `json:"grad_evals"`
	Seconds   float64  `json:"seconds"`
	Binder    *float64 `json:"binder"`
	Phi2      *float64 `json:"phi2"`
}

// RGRaceMCMC is the local-MCMC side of the race: sweeps of one chain,
// their cost, the Binder cumulant and ⟨φ²⟩ (null until defined), the
// integrated autocorrelation time τ_int of m² in sweeps (Madras & Sokal,
// J. Stat. Phys. 50, 109 (1988); null or 0 until measurable), and the
// sampler's acceptance and step.
type RGRaceMCMC struct {
	Sweeps     int      `json:"sweeps"`
	GradEvals  float64  `json:"grad_evals"`
	Seconds    float64  `json:"seconds"`
	Binder     *float64 `json:"binder"`
	Phi2       *float64 `json:"phi2"`
	Tau        *float64 `json:"tau"`
	Acceptance float64  `json:"acceptance"`
	Step       float64  `json:"step"`
	Sampler    string   `json:"sampler"`
}

// RGCurve is a running Binder cumulant against cost: seconds, whole-
// lattice gradients and U.
type RGCurve struct {
	T []float64 `json:"t"`
	G []float64 `json:"g"`
	U []float64 `json:"u"`
}

// RGHistory holds the points of the race curves not sent before; Reset
// says the race restarted (drop the points kept).
type RGHistory struct {
	RG    RGCurve `json:"rg"`
	MCMC  RGCurve `json:"mcmc"`
	Reset bool    `json:"reset"`
}

// RGRaceValues answer OpRGRace.
type RGRaceValues struct {
	Kind    string     `json:"kind"` // KindRace
	L       int        `json:"L"`
	Beta    float64    `json:"beta"`
	RG      RGRaceRG   `json:"rg"`
	MCMC    RGRaceMCMC `json:"mcmc"`
	History RGHistory  `json:"history"`
}

// RGValues is the canvas app's view of the scene's frames: every value of
// the start, step, done and race values (each kind fills some; the app
// merges them).
type RGValues struct {
	Kind string `json:"kind"`
	RGProgress
	Steps          int            `json:"steps"`
	Seed           uint64         `json:"seed"`
	Provenance     string         `json:"provenance"`
	Stages         []RGStage      `json:"stages"`
	Limit          float64        `json:"limit"`
	Range          [2]float64     `json:"range"`
	Colormap       string         `json:"colormap"`
	Truth          *RGTruth       `json:"truth"`
	Energy         []RGEnergyInfo `json:"energy"`
	Sizes          []int          `json:"sizes"`
	DetailLimits   []float64      `json:"detail_limits"`
	Generated      *RGGenerated   `json:"generated"`
	HistTV         float64        `json:"hist_tv"`
	LogRatio       float64        `json:"spectrum_log_ratio"`
	FramesRecorded int            `json:"frames_recorded"`
	RG             *RGRaceRG      `json:"rg"`
	MCMC           *RGRaceMCMC    `json:"mcmc"`
	History        *RGHistory     `json:"history"` // the new points of the race curves
}
