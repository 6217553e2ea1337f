package scattering

// SynthLossTerms is the decomposition of a synthesis loss at an iterate x
// (see Synthesis): its total, Synthesis.Loss, is
//
//	ℓ(x) = Statistics + Marginal + LowPass + PowerSpectrum,
//
// each term 0 when it is off.
type SynthLossTerms struct {
	// Statistics is Σ_i w_i (Φ_i(x) − Φ_i(t))², the scattering spectra's
	// part (RelErr² · Σ_i w_i Φ_i(t)²).
	Statistics float64
	// Marginal is ℓ_h(x) = Histogram · Σ_i w_i Φ_i(t)² · (W₂/σ_t)², W₂
	// the distance of the block-averaged quantile functions
	// (SynthOptions.Histogram; MarginalErr = W₂/σ_t).
	Marginal float64
	// LowPass is ℓ_φ(x) = c (log P_φ(x) − log P_φ(t))² (SynthOptions.LowPass).
	LowPass float64
	// PowerSpectrum is ℓ_P(x) = c Σ_i (log(P_i(x) + f) − log(P_i(t) + f))²
	// over the rings of the power-spectrum term (SynthOptions.PowerSpectrum).
	PowerSpectrum float64
}

// Total returns Statistics + Marginal + LowPass + PowerSpectrum, summed in
// the order in which a synthesis sums its loss (so that it equals
// Synthesis.Loss to the last bit).
func (t SynthLossTerms) Total() float64 {
	return t.Statistics + t.Marginal + t.LowPass + t.PowerSpectrum
}

// LossTerms returns the decomposition of the loss at the current iterate
// (its total is Loss). The statistic part is kept from the iterate's
// evaluation; the marginal, low-pass and power-spectrum parts are
// recomputed from the iterate (a sort and one or two FFTs, in the terms'
// own buffers: no allocation).
func (s *Synthesis) LossTerms() SynthLossTerms {
	x := s.opt.x
	t := SynthLossTerms{Statistics: s.statF}
	if s.marg.c > 0 {
		t.Marginal = s.marg.c * s.marg.dist2(x)
	}
	if s.lp != nil {
		d := spLog(s.lp.power(x)) - s.lp.tlog
		t.LowPass = s.lp.c * d * d
	}
	if s.ps.c > 0 {
		t.PowerSpectrum = s.ps.loss(x)
	}
	return t
}

// StopLoss returns the loss at which the synthesis stops converged:
// Tol² · Σ_i w_i Φ_i(t)² (Tol² when the weighted target vector is 0), since
// it stops once √(ℓ(x)/Σ_i w_i Φ_i(t)²) ≤ Tol (see SynthOptions.Tol).
func (s *Synthesis) StopLoss() float64 {
	if s.tnorm2 > 0 {
		return s.tol * s.tol * s.tnorm2
	}
	return s.tol * s.tol
}

// loss returns ℓ_P(x) as lossGrad computes it, without the gradient.
func (s *spectrumTerm) loss(x []float64) float64 {
	s.power(x)
	var f float64
	for i, v := range s.p {
		d := spLog(v+s.floor) - s.tlog[i]
		f += d * d
	}
	return s.c * f
}
