package phi4

import (
	"errors"
	"fmt"
	"math"
	"time"

	"scalewise/engine/field"
)

// Progress reports the state of SampleDecorrelated: Phase is "warm-up",
// "burn-in", "pilot" or "sample", Done of Total steps (samples in the
// "sample" phase), and Tau the current estimate of τ_int(m²) (0 before the
// first one).
type Progress struct {
	Phase       string
	Done, Total int
	Tau         float64
}

// Decorrelated is the result of SampleDecorrelated.
type Decorrelated struct {
	// Fields are the kept samples.
	Fields []*field.Field
	// Tau is τ_int of m² (in trajectories or sweeps) measured on the pilot
	// run, which sets Spacing.
	Tau Autocorrelation
	// TauAll is τ_int of m² over the pilot and sampling runs together, a
	// check on Tau with a smaller error.
	TauAll Autocorrelation
	// Spacing is the number of steps between kept samples, ⌈2·Tau.Tau⌉.
	Spacing int
	// PilotSteps is the length of the pilot run.
	PilotSteps int
	// Acceptance is the mean acceptance rate after the warm-up.
	Acceptance float64
	// StepSize is the adapted step size (ε or h) and Mass2 the FA-HMC mass
	// term m² (0 for the other samplers).
	StepSize, Mass2 float64
	// Leapfrog is the number of leapfrog steps per trajectory (0 for MALA).
	Leapfrog int
	// GradPerStep is the number of whole-lattice force evaluations per
	// trajectory or sweep and SecondsPerStep its wall-clock time, both
	// measured over the pilot and sampling runs.
	GradPerStep, SecondsPerStep float64
	// Moments holds ⟨φ²⟩, ⟨m^k⟩ and the Binder cumulant over every step
	// of the pilot and sampling runs.
	Moments Moments
	// Work is the total work, warm-up included.
	Work Work
}

// GradPerSample returns the force evaluations per independent sample,
// 2τ_int·GradPerStep (τ_int from TauAll).
func (d *Decorrelated) GradPerSample() float64 { return 2 * d.TauAll.Tau * d.GradPerStep }

// SecondsPerSample returns the wall-clock time per independent sample,
// 2τ_int·SecondsPerStep (τ_int from TauAll).
func (d *Decorrelated) SecondsPerSample() float64 { return 2 * d.TauAll.Tau * d.SecondsPerStep }

// Limits of the pilot run of SampleDecorrelated.
const (
	pilotMin      = 2000     // first pilot length
	pilotPerTau   = 100      // the pilot is at least this many τ_int long
	pilotMax      = 20000000 // longest pilot
	burnInMinimum = 1000     // burn-in after the warm-up, at least
)

// SampleDecorrelated returns n approximately independent samples of model
// drawn by the sampler kind with DefaultOptions(kind); see
// SampleDecorrelatedOptions.
func SampleDecorrelated(model Model, kind Kind, n int, seed uint64, progress func(Progress)) (*Decorrelated, error) {
	return SampleDecorrelatedOptions(model, kind, DefaultOptions(kind), n, seed, progress)
}

// SampleDecorrelatedOptions returns n approximately independent samples of
// model. After the warm-up (step-size adaptation) and a burn-in of
// max(Warmup, 1000) steps it runs a pilot of at least 2000 steps, doubled
// until it is at least 100·τ_int long at two successive lengths with an
// estimate that grew by less than half, where τ_int is the integrated
// autocorrelation time of the squared magnetisation m² with the
// Madras–Sokal window (c = 6); it then keeps one configuration every ⌈2τ_int⌉ steps (Madras & Sokal,
// J. Stat. Phys. 50, 109 (1988): samples 2τ_int apart count as
// independent for the variance of means). progress, if non-nil, is called
// now and then.
func SampleDecorrelatedOptions(model Model, kind Kind, opts Options, n int, seed uint64, progress func(Progress)) (*Decorrelated, error) {
	if n <= 0 {
		return nil, fmt.Errorf("phi4: number of samples %d must be positive", n)
	}
	if err := model.Validate(); err != nil {
		return nil, err
	}
	if n > 1<<28/(model.L*model.L) {
		return nil, fmt.Errorf("phi4: %d samples of %d×%d are too many", n, model.L, model.L)
	}
	s, err := NewSampler(kind, model, opts, seed)
	if err != nil {
		return nil, err
	}
	report := func(phase string, done, total int, tau float64) {
		if progress != nil {
			progress(Progress{Phase: phase, Done: done, Total: total, Tau: tau})
		}
	}
	if err := s.WarmUp(func(done, total int) {
		if done%64 == 0 || done == total {
			report("warm-up", done, total, 0)
		}
	}); err != nil {
		return nil, err
	}
	burn := max(opts.Warmup, burnInMinimum)
	for i := 0; i < burn; i++ {
		if !s.Step() {
			return nil, s.Err()
		}
		if i%64 == 63 || i == burn-1 {
			report("burn-in", i+1, burn, 0)
		}
	}

	d := &Decorrelated{}
	start := time.Now()
	grad0, steps0 := s.Work().GradEvals, s.Work().Steps
	var series []float64
	step := func() error {
		if !s.Step() {
			return s.Err()
		}
		f := s.Field()
		m := Magnetisation(f)
		series = append(series, m*m)
		return d.Moments.Add(f)
	}

	// Pilot: double it until it is long enough for its own τ_int, twice
	// in a row and with a stable estimate (a pilot much shorter than the
	// true τ_int can give a small, wrong estimate).
	target, tau, prevOK := pilotMin, 0.0, false
	for {
		for len(series) < target {
			if err := step(); err != nil {
				return nil, err
			}
			if len(series)%256 == 0 || len(series) == target {
				report("pilot", len(series), target, tau)
			}
		}
		ac, err := TauInt(series, DefaultWindowC)
		if err != nil && !errors.Is(err, ErrShortSeries) {
			return nil, fmt.Errorf("phi4: pilot run: %w", err)
		}
		ok := err == nil && float64(len(series)) >= pilotPerTau*ac.Tau
		if ok && prevOK && ac.Tau < 1.5*tau {
			d.Tau = ac
			break
		}
		prevOK, tau = ok, ac.Tau
		if len(series) >= pilotMax {
			return nil, fmt.Errorf("phi4: pilot run of %d steps is too short for τ_int ≈ %.3g", len(series), ac.Tau)
		}
		target = min(pilotMax, max(2*len(series), int(math.Ceil(pilotPerTau*ac.Tau))))
	}
	d.PilotSteps = len(series)
	d.Spacing = max(1, int(math.Ceil(2*d.Tau.Tau)))

	d.Fields = make([]*field.Field, 0, n)
	for len(d.Fields) < n {
		for j := 0; j < d.Spacing; j++ {
			if err := step(); err != nil {
				return nil, err
			}
		}
		d.Fields = append(d.Fields, s.Field().Clone())
		report("sample", len(d.Fields), n, d.Tau.Tau)
	}

	elapsed := time.Since(start).Seconds()
	w := s.Work()
	steps := float64(w.Steps - steps0)
	d.GradPerStep = (w.GradEvals - grad0) / steps
	d.SecondsPerStep = elapsed / steps
	d.Acceptance = s.Acceptance()
	d.StepSize = s.StepSize()
	if h, ok := s.(*HMC); ok {
		d.Mass2 = h.Mass2()
		d.Leapfrog = h.Leapfrog()
	}
	d.Work = w
	d.TauAll, err = TauInt(series, DefaultWindowC)
	if err != nil && !errors.Is(err, ErrShortSeries) {
		return nil, err
	}
	return d, nil
}
