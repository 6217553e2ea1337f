package scattering

import (
	"math"
	"testing"

	"scalewise/engine/wavelet"
)

// TestDefaultSynthOptions checks that the defaults are the documented
// ones, that each call returns its own weights, and that NewSynthesis
// takes them as they are.
func TestDefaultSynthOptions(t *testing.T) {
	a, b := DefaultSynthOptions(), DefaultSynthOptions()
	if a.Weights == nil || *a.Weights != DefaultSynthWeights() {
		t.Fatalf("weights %v, want %v", a.Weights, DefaultSynthWeights())
	}
	a.Weights.S3 = 99
	if b.Weights.S3 != DefaultSynthWeights().S3 {
		t.Error("two calls share their weights")
	}
	want := SynthOptions{MaxIter: DefaultSynthIters, Tol: DefaultSynthTol, Form: Isotropic, Memory: DefaultSynthMemory,
		Histogram: DefaultMarginalWeight, HistogramQuantiles: DefaultMarginalQuantiles,
		PowerSpectrum: DefaultPowerSpectrumWeight, PowerSpectrumRings: DefaultPowerSpectrumRings}
	b.Weights = nil
	if b.Init != nil || b.Seed != 0 || b.LowPass != 0 || b.MaxIter != want.MaxIter || b.Tol != want.Tol || b.Form != want.Form ||
		b.Memory != want.Memory || b.Histogram != want.Histogram || b.HistogramQuantiles != want.HistogramQuantiles ||
		b.PowerSpectrum != want.PowerSpectrum || b.PowerSpectrumRings != want.PowerSpectrumRings {
		t.Errorf("defaults %+v, want %+v", b, want)
	}
	op := spOperator(t, wavelet.BumpSteerable, 16, 16, 3, 4, ScalesInclusive)
	s := synthNew(t, op, spField(16, 16, 2, 1), DefaultSynthOptions())
	if s.MaxIter() != DefaultSynthIters || s.Tol() != DefaultSynthTol || s.Histogram() != DefaultMarginalWeight ||
		s.HistogramQuantiles() != DefaultMarginalQuantiles {
		t.Errorf("synthesis: %d iterations, tol %g, marginal %g on %d quantiles", s.MaxIter(), s.Tol(), s.Histogram(), s.HistogramQuantiles())
	}
}

// TestSynthLossTerms checks the loss decomposition: its terms sum to Loss
// to the last bit at every iterate, the statistic and marginal terms are
// RelErr² and Histogram·MarginalErr² times Σ_i w_i Φ_i(t)² (=
// StopLoss/Tol²), a term that is off is 0, the power-spectrum term is
// linear in its weight, and a synthesis stops converged at the first
// iterate whose loss is at most StopLoss.
func TestSynthLossTerms(t *testing.T) {
	n := 16
	op := spOperator(t, wavelet.BumpSteerable, n, n, 3, 4, ScalesInclusive)
	target := spField(n, n, 2, 1)
	lowPass := DefaultSynthOptions()
	lowPass.LowPass = 5
	off := DefaultSynthOptions()
	off.Histogram, off.PowerSpectrum = 0, 0
	for name, o := range map[string]SynthOptions{"defaults": DefaultSynthOptions(), "low-pass": lowPass, "off": off} {
		t.Run(name, func(t *testing.T) {
			o.Seed, o.MaxIter = 3, 15
			s := synthNew(t, op, target, o)
			for {
				lt := s.LossTerms()
				if lt.Total() != s.Loss() {
					t.Fatalf("iteration %d: terms %+v sum to %v, loss %v", s.Iter(), lt, lt.Total(), s.Loss())
				}
				norm := s.StopLoss() / (s.Tol() * s.Tol())
				if e := s.RelErr(); math.Abs(lt.Statistics-e*e*norm) > 1e-12*lt.Statistics {
					t.Errorf("iteration %d: statistic term %v, RelErr²·Σwφ² %v", s.Iter(), lt.Statistics, e*e*norm)
				}
				if e := s.MarginalErr(); math.Abs(lt.Marginal-o.Histogram*e*e*norm) > 1e-9*lt.Marginal {
					t.Errorf("iteration %d: marginal term %v, h·MarginalErr²·Σwφ² %v", s.Iter(), lt.Marginal, o.Histogram*e*e*norm)
				}
				if on := [3]bool{lt.Marginal > 0, lt.LowPass > 0, lt.PowerSpectrum > 0}; on != [3]bool{o.Histogram > 0, o.LowPass > 0, o.PowerSpectrum > 0} {
					t.Errorf("iteration %d: terms %+v with options %+v", s.Iter(), lt, o)
				}
				if done, err := s.Step(); err != nil {
					t.Fatal(err)
				} else if done {
					break
				}
			}
		})
	}
	// Linear in the weight: the same start, the weight doubled.
	var ps [2]SynthLossTerms
	for i, w := range []float64{1, 2} {
		o := DefaultSynthOptions()
		o.Seed, o.PowerSpectrum = 4, w
		ps[i] = synthNew(t, op, target, o).LossTerms()
	}
	if ps[0].Statistics != ps[1].Statistics || ps[0].Marginal != ps[1].Marginal || math.Abs(ps[1].PowerSpectrum-2*ps[0].PowerSpectrum) > 1e-12*ps[1].PowerSpectrum {
		t.Errorf("weight 1: %+v; weight 2: %+v", ps[0], ps[1])
	}
	// The stopping level: a loose tolerance is reached within a few
	// iterations, at the first iterate whose loss is ≤ StopLoss.
	o := DefaultSynthOptions()
	o.Seed, o.Tol = 5, 0.05
	s := synthNew(t, op, target, o)
	prev := s.Loss()
	for {
		done, err := s.Step()
		if err != nil {
			t.Fatal(err)
		}
		if done {
			break
		}
		prev = s.Loss()
	}
	if s.Status() != SynthConverged || !(s.Loss() <= s.StopLoss()) || !(prev > s.StopLoss()) {
		t.Errorf("%v after %d iterations: loss %v (before: %v), stop level %v", s.Status(), s.Iter(), s.Loss(), prev, s.StopLoss())
	}
}

// TestSynthLossTermsNoAllocs checks that LossTerms does not allocate.
func TestSynthLossTermsNoAllocs(t *testing.T) {
	op := spOperator(t, wavelet.BumpSteerable, 16, 16, 2, 4, ScalesInclusive)
	o := DefaultSynthOptions()
	o.Seed, o.LowPass, o.HistogramQuantiles = 1, 1, 10
	s := synthNew(t, op, spField(16, 16, 2, 1), o)
	if a := testing.AllocsPerRun(5, func() { _ = s.LossTerms() }); a != 0 {
		t.Errorf("LossTerms allocates %v times", a)
	}
}
