package turbulence

import (
	"errors"
	"fmt"
	"math"

	"scalewise/engine/field"
)

// Spin-up: the energy is averaged over windows of length
// W = max(1/(2μ), 2T) (1/(2μ) is the e-folding time of dE/dt = ε − 2μE,
// T the eddy turnover time at the start of the window); the flow is
// declared statistically stationary when the mean energy of the last
// PlateauWindows windows differs from that of the PlateauWindows before by
// at most PlateauTol (relative): no trend beyond the fluctuations (the
// window means scatter by ≈ 8 % with the default parameters). SpinUp fails
// after MaxSpinupWindows windows.
const (
	PlateauWindows   = 3
	PlateauTol       = 0.05
	MaxSpinupWindows = 200
)

// Progress reports the state of SpinUp and Snapshots: Phase "spin-up"
// (Done windows so far, Total = MaxSpinupWindows) or "sample" (Done of
// Total snapshots), the simulated Time and the Energy.
type Progress struct {
	Phase        string
	Done, Total  int
	Time, Energy float64
}

// SpinUpInfo describes the spin-up to the statistically stationary state.
type SpinUpInfo struct {
	// Time is the simulated time of the spin-up and Steps its steps.
	Time  float64
	Steps int
	// Windows holds the mean energy of every averaging window.
	Windows []float64
	// Energy is the mean energy of the last PlateauWindows windows.
	Energy float64
	// TurnoverTime is the eddy turnover time T = L/U averaged over the
	// ends of the last PlateauWindows windows; Snapshots spaces its
	// snapshots in multiples of it.
	TurnoverTime float64
}

// Advance steps until the time has grown by at least duration. It returns
// the first error of Step.
func (s *Simulation) Advance(duration float64) error {
	end := s.t + duration
	for s.t < end {
		if err := s.Step(); err != nil {
			return err
		}
	}
	return nil
}

// meanEnergy advances by at least duration and returns the time average of
// the energy over the steps (E at the start of each step times its dt).
func (s *Simulation) meanEnergy(duration float64) (float64, error) {
	end := s.t + duration
	sum, t0 := 0.0, s.t
	for s.t < end {
		before := s.t
		if err := s.Step(); err != nil {
			return 0, err
		}
		sum += s.eStart * (s.t - before)
	}
	return sum / (s.t - t0), nil
}

// SpinUp runs the simulation until its energy reaches a plateau (see
// PlateauTol) and returns the description of the spin-up. It needs forcing
// and drag (without drag the inverse cascade piles energy up at the box
// scale forever). Calling it again returns the first result.
func (s *Simulation) SpinUp(progress func(Progress)) (SpinUpInfo, error) {
	if s.spun {
		return s.spinInfo, nil
	}
	if s.p.Epsilon <= 0 || s.p.Mu <= 0 {
		return SpinUpInfo{}, errors.New("turbulence: a stationary state needs forcing (ε > 0) and drag (μ > 0)")
	}
	info := SpinUpInfo{}
	t0, steps0 := s.t, s.steps
	var turnovers []float64
	tDrag := 1 / (2 * s.p.Mu)
	for len(info.Windows) < MaxSpinupWindows {
		w := tDrag
		if tt := s.EddyTurnoverTime(); !math.IsInf(tt, 0) {
			w = max(w, min(2*tt, 20*tDrag))
		}
		m, err := s.meanEnergy(w)
		if err != nil {
			return info, err
		}
		info.Windows = append(info.Windows, m)
		turnovers = append(turnovers, s.EddyTurnoverTime())
		if progress != nil {
			progress(Progress{Phase: "spin-up", Done: len(info.Windows), Total: MaxSpinupWindows, Time: s.t, Energy: s.Energy()})
		}
		nw := len(info.Windows)
		if nw < 2*PlateauWindows {
			continue
		}
		mean, before := 0.0, 0.0
		for j := range PlateauWindows {
			mean += info.Windows[nw-1-j] / PlateauWindows
			before += info.Windows[nw-1-PlateauWindows-j] / PlateauWindows
		}
		if math.Abs(mean-before) <= PlateauTol*mean {
			info.Energy = mean
			for _, tt := range turnovers[len(turnovers)-PlateauWindows:] {
				info.TurnoverTime += tt / PlateauWindows
			}
			info.Time, info.Steps = s.t-t0, s.steps-steps0
			s.spun, s.spinInfo = true, info
			return info, nil
		}
	}
	info.Time, info.Steps = s.t-t0, s.steps-steps0
	return info, fmt.Errorf("turbulence: no energy plateau after %d windows (t = %.4g); window means end with %.4g",
		len(info.Windows), s.t, info.Windows[len(info.Windows)-PlateauWindows:])
}

// Snapshots spins the flow up to statistical stationarity (SpinUp, if it
// has not run) and returns n vorticity fields taken spacing·T apart, T the
// eddy turnover time measured at the end of the spin-up; the first is the
// state at the end of the spin-up (or the current state if the spin-up ran
// before). spacing must be at least 1 (snapshots at least one turnover
// apart). progress, if non-nil, is called after every spin-up window and
// every snapshot.
func (s *Simulation) Snapshots(n int, spacing float64, progress func(Progress)) ([]*field.Field, error) {
	if n < 1 {
		return nil, fmt.Errorf("turbulence: number of snapshots %d must be positive", n)
	}
	if !(spacing >= 1) || math.IsInf(spacing, 1) {
		return nil, fmt.Errorf("turbulence: snapshot spacing %v must be finite and ≥ 1 eddy turnover", spacing)
	}
	info, err := s.SpinUp(progress)
	if err != nil {
		return nil, err
	}
	out := make([]*field.Field, 0, n)
	for len(out) < n {
		if len(out) > 0 {
			if err := s.Advance(spacing * info.TurnoverTime); err != nil {
				return out, err
			}
		}
		out = append(out, s.Vorticity())
		if progress != nil {
			progress(Progress{Phase: "sample", Done: len(out), Total: n, Time: s.t, Energy: s.Energy()})
		}
	}
	return out, nil
}
