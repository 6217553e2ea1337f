package protocol

// The operations of the worker, by scene. Each answers with the values
// type named in its comment.
const (
	// OpScales computes the Scales scene's panels (ScalesRequest →
	// ScalesValues).
	OpScales = "scales"
	// OpDenoise renders, noises and denoises a drawing (DenoiseRequest →
	// DenoiseValues).
	OpDenoise = "denoise"

	// OpRGInfo lists the lattice sides with a shipped model (no body →
	// RGInfoValues).
	OpRGInfo = "rg_info"
	// OpRGStart starts a coarse-to-fine generation (RGStartRequest →
	// RGStartValues).
	OpRGStart = "rg_start"
	// OpRGStep advances the generation (RGStepRequest → RGStepValues).
	OpRGStep = "rg_step"
	// OpRGCancel forgets the generation (CancelRequest → CancelValues).
	OpRGCancel = "rg_cancel"
	// OpRGExport exports the finished generation (RGExportRequest →
	// ExportValues, the file as the buffer).
	OpRGExport = "rg_export"
	// OpRGFit refits the model in the page (RGFitRequest → RGFitValues).
	OpRGFit = "rg_fit"
	// OpRGRace advances the race of RG sampling against local MCMC
	// (RGRaceRequest → RGRaceValues).
	OpRGRace = "rg_race"

	// OpScatInfo lists the fields and sides the Scattering scene offers
	// (no body → ScatInfoValues).
	OpScatInfo = "scat_info"
	// OpScatAnalyse analyses a field (ScatRequest → ScatAnalyseValues).
	OpScatAnalyse = "scat_analyse"
	// OpScatSynthStart starts a microcanonical synthesis
	// (ScatSynthRequest → ScatSynthStartValues).
	OpScatSynthStart = "scat_synth_start"
	// OpScatSynthStep advances the synthesis (ScatStepRequest →
	// ScatSynthStepValues).
	OpScatSynthStep = "scat_synth_step"
	// OpScatSynthCancel forgets the synthesis (CancelRequest →
	// CancelValues).
	OpScatSynthCancel = "scat_synth_cancel"
	// OpScatExport exports the synthesis (ScatExportRequest →
	// ExportValues, the file as the buffer).
	OpScatExport = "scat_export"

	// OpGenStart starts a generation by score diffusion (GenStartRequest
	// → GenValues).
	OpGenStart = "gen_start"
	// OpGenStep advances it (GenStepRequest → GenValues).
	OpGenStep = "gen_step"
	// OpGenCancel forgets it (CancelRequest → CancelValues).
	OpGenCancel = "gen_cancel"
	// OpGenExport exports it (GenExportRequest → ExportValues, the file
	// as the buffer).
	OpGenExport = "gen_export"
	// OpGenGrid draws a grid of samples from one net (GenGridRequest →
	// GenGridValues).
	OpGenGrid = "gen_grid"

	// OpBasisStart starts the eigen-analysis of the denoiser's Jacobian
	// at the noisy drawing (BasisStartRequest → BasisValues).
	OpBasisStart = "basis_start"
	// OpBasisStep advances it (BasisStepRequest → BasisValues).
	OpBasisStep = "basis_step"
	// OpBasisCancel forgets it (CancelRequest → CancelValues).
	OpBasisCancel = "basis_cancel"

	// OpGeomRate returns the measured rate curves of the shipped C^α
	// denoisers (no body → GeometryRateValues).
	OpGeomRate = "geom_rate"
	// OpGeomStart starts the eigen-analysis of a C^α image or an MNIST
	// digit (GeometryStartRequest → GeometryValues).
	OpGeomStart = "geom_start"
	// OpGeomStep advances it (StepRequest → GeometryValues).
	OpGeomStep = "geom_step"
	// OpGeomCancel forgets it (CancelRequest → CancelValues).
	OpGeomCancel = "geom_cancel"

	// OpAbout reports the engine's build facts (AboutRequest →
	// AboutValues).
	OpAbout = "about"
	// OpPanic panics in the worker: a self-test of the boundary that
	// recovers panics and answers them as errors.
	OpPanic = "panic"
)

// The kinds of values, the "kind" key of scenes whose operations answer
// with several shapes of values.
const (
	KindInfo       = "info"        // RGInfoValues, ScatInfoValues
	KindStart      = "start"       // RGStartValues
	KindStep       = "step"        // RGStepValues, the generation running
	KindDone       = "done"        // RGStepValues, the generation finished
	KindFit        = "fit"         // RGFitValues
	KindRace       = "race"        // RGRaceValues
	KindExport     = "export"      // ExportValues
	KindCancel     = "cancel"      // CancelValues
	KindAnalysis   = "analysis"    // ScatAnalyseValues
	KindSynthStart = "synth_start" // ScatSynthStartValues
	KindSynthStep  = "synth_step"  // ScatSynthStepValues
	KindAbout      = "about"       // AboutValues
	KindPut        = "put"         // PutValues
	KindGrid       = "grid"        // GenGridValues
	KindRate       = "rate"        // GeometryRateValues
)
