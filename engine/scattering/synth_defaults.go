package scattering

// DefaultSynthOptions returns the recommended synthesis options, the one
// definition of the defaults of the command line's syntheses (scalewise
// scat synth and scat validate) and of the page's Scattering scene:
//
//	MaxIter DefaultSynthIters (300), Tol DefaultSynthTol (10⁻³),
//	Form Isotropic, Memory DefaultSynthMemory (50),
//	Weights DefaultSynthWeights (mean, S1, S2 weighted 1; S3, S4 weighted 10),
//	Histogram DefaultMarginalWeight (0.3) on DefaultMarginalQuantiles (64) quantile blocks,
//	PowerSpectrum DefaultPowerSpectrumWeight (1) on DefaultPowerSpectrumRings (8) rings per octave,
//	LowPass 0 (off), Seed 0, white-noise start.
//
// That is the loss
//
//	ℓ(x) = Σ_i w_i (Φ_i(x) − Φ_i(t))² + ℓ_h(x) + ℓ_P(x)
//
// of the scattering spectra of Cheng et al., "Scattering Spectra Models
// for Physics", PNAS Nexus 3, pgae103 (2024), with their synthesis code's
// optional sorted-pixel marginal term ℓ_h and log power-spectrum term ℓ_P
// (see SynthOptions.Histogram and SynthOptions.PowerSpectrum, and the
// measurements beside each default). The low-pass term (SynthOptions.LowPass)
// is off: measured by scalewise scat validate over seeds 1–3 it pins the
// low-pass band power but does not lower the power-spectrum error over
// octave rings (turbulence 0.089, 0.158, 0.041 with it; 0.090, 0.154,
// 0.058 without, before ℓ_P was on), whose excursions come from the lowest
// ring's 12 modes and the finest octave, not from the low-pass band. Each
// call returns fresh options (Weights points to a new value), which the
// caller may change (Seed, MaxIter, Form, …).
func DefaultSynthOptions() SynthOptions {
	w := DefaultSynthWeights()
	return SynthOptions{
		MaxIter: DefaultSynthIters, Tol: DefaultSynthTol, Form: Isotropic, Memory: DefaultSynthMemory,
		Weights:   &w,
		Histogram: DefaultMarginalWeight, HistogramQuantiles: DefaultMarginalQuantiles,
		PowerSpectrum: DefaultPowerSpectrumWeight, PowerSpectrumRings: DefaultPowerSpectrumRings,
	}
}
