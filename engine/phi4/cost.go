package phi4

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// CostMeasurement is the result of MeasureCost: the integrated
// autocorrelation time of the squared magnetisation and the cost per step
// of one sampler configuration.
type CostMeasurement struct {
	// Tau is τ_int of m² over the measured run, in steps (trajectories or
	// sweeps); Tau.Err is its statistical error.
	Tau Autocorrelation
	// Short reports that the run was too short for the automatic window
	// (Tau is then the estimate at the largest window, a lower bound).
	Short bool
	// Steps is the length of the measured run and Seconds its wall-clock
	// time.
	Steps   int
	Seconds float64
	// GradPerStep is the number of whole-lattice force evaluations per step
	// and SecondsPerStep its wall-clock time.
	GradPerStep, SecondsPerStep float64
	// StepSize, Leapfrog, Mass2 and Acceptance describe the sampler after
	// its warm-up (Leapfrog and Mass2 are 0 where they do not apply).
	StepSize   float64
	Leapfrog   int
	Mass2      float64
	Acceptance float64
	// Moments holds ⟨φ²⟩, ⟨m^k⟩ and the Binder cumulant over the run.
	Moments Moments
}

// GradPerSample returns the force evaluations per independent sample,
// 2τ_int·GradPerStep.
func (c *CostMeasurement) GradPerSample() float64 { return 2 * c.Tau.Tau * c.GradPerStep }

// SecondsPerSample returns the wall-clock time per independent sample,
// 2τ_int·SecondsPerStep.
func (c *CostMeasurement) SecondsPerSample() float64 { return 2 * c.Tau.Tau * c.SecondsPerStep }

// MeasureCost runs the sampler s (its warm-up first, if it has not run,
// then burnIn steps) and then measures for about seconds of wall-clock time
// or maxSteps steps, whichever comes first, the integrated autocorrelation
// time τ_int of the squared magnetisation m² (TauInt with DefaultWindowC)
// and the cost per step. Starting s from an equilibrium configuration
// (Options.Start) makes a long burn-in unnecessary. report, if non-nil,
// receives a provisional measurement about every reportEvery seconds
// (never more often than every 10 s).
func MeasureCost(s Sampler, burnIn int, seconds float64, maxSteps int, reportEvery float64, report func(*CostMeasurement)) (*CostMeasurement, error) {
	switch {
	case burnIn < 0:
		return nil, fmt.Errorf("phi4: burn-in %d must not be negative", burnIn)
	case !(seconds > 0) || math.IsInf(seconds, 1):
		return nil, fmt.Errorf("phi4: measuring time %v s must be positive and finite", seconds)
	case maxSteps < 4:
		return nil, fmt.Errorf("phi4: at most %d steps: need at least 4", maxSteps)
	}
	if err := s.WarmUp(nil); err != nil {
		return nil, err
	}
	for i := 0; i < burnIn; i++ {
		if !s.Step() {
			return nil, s.Err()
		}
	}
	w0 := s.Work()
	c := &CostMeasurement{}
	series := make([]float64, 0, min(maxSteps, 1<<16))
	start := time.Now()
	lastReport := start
	reportEvery = max(reportEvery, 10)
	finish := func() error {
		c.Seconds = time.Since(start).Seconds()
		w := s.Work()
		c.Steps = len(series)
		c.GradPerStep = (w.GradEvals - w0.GradEvals) / float64(w.Steps-w0.Steps)
		c.SecondsPerStep = c.Seconds / float64(c.Steps)
		c.StepSize, c.Acceptance = s.StepSize(), s.Acceptance()
		if h, ok := s.(*HMC); ok {
			c.Mass2, c.Leapfrog = h.Mass2(), h.Leapfrog()
		}
		ac, err := TauInt(series, DefaultWindowC)
		c.Short = errors.Is(err, ErrShortSeries)
		if err != nil && !c.Short {
			return err
		}
		c.Tau = ac
		return nil
	}
	for len(series) < maxSteps {
		if !s.Step() {
			return nil, s.Err()
		}
		f := s.Field()
		m := Magnetisation(f)
		series = append(series, m*m)
		if err := c.Moments.Add(f); err != nil {
			return nil, err
		}
		if len(series)%16 != 0 {
			continue
		}
		now := time.Now()
		if now.Sub(start).Seconds() >= seconds {
			break
		}
		if report != nil && now.Sub(lastReport).Seconds() >= reportEvery && len(series) >= 4 {
			lastReport = now
			if err := finish(); err != nil {
				return nil, err
			}
			snap := *c
			report(&snap)
		}
	}
	if len(series) < 4 {
		return nil, fmt.Errorf("phi4: only %d steps measured", len(series))
	}
	if err := finish(); err != nil {
		return nil, err
	}
	return c, nil
}
