package turbulence

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// stateMagic starts an encoded Simulation state (format version 1).
const stateMagic = "SWTURB\x00\x01"

// MarshalBinary encodes the state of the simulation: the parameters it was
// made with (without Params.Init), the vorticity coefficients W_k, the
// time, the step count, the time step of the current integrating factors,
// the energy budget, the spin-up result and the state of the forcing's
// random generator. UnmarshalBinary into a simulation made by New with the
// same parameters continues bit for bit as this one would: a long run can
// be checkpointed and resumed. A simulation stopped by an error cannot be
// encoded.
func (s *Simulation) MarshalBinary() ([]byte, error) {
	if s.err != nil {
		return nil, fmt.Errorf("turbulence: cannot save a failed simulation: %w", s.err)
	}
	rng, err := s.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(stateMagic)
	w := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	w(paramsKey(s.p))
	w([]float64{s.t, s.dt, s.dtFactor, s.courant, s.eStart, s.budget.Injected, s.budget.Drag, s.budget.Viscous})
	w(int64(s.steps))
	w(s.spun)
	si := s.spinInfo
	w([]float64{si.Time, si.Energy, si.TurnoverTime})
	w(int64(si.Steps))
	w(int64(len(si.Windows)))
	w(si.Windows)
	w(int64(len(rng)))
	b.Write(rng)
	w(s.w)
	return b.Bytes(), nil
}

// UnmarshalBinary restores a state encoded by MarshalBinary. The simulation
// must have been made by New with the same parameters (Params.Init aside);
// otherwise, or if the data is damaged, it returns an error and leaves the
// simulation as it was.
func (s *Simulation) UnmarshalBinary(data []byte) error {
	bad := func(what string) error { return fmt.Errorf("turbulence: saved state: %s", what) }
	if !bytes.HasPrefix(data, []byte(stateMagic)) {
		return bad("not a simulation state (or another format version)")
	}
	r := bytes.NewReader(data[len(stateMagic):])
	var rerr error
	rd := func(v any) {
		if rerr == nil {
			rerr = binary.Read(r, binary.LittleEndian, v)
		}
	}
	var key stateKey
	rd(&key)
	if rerr == nil && key != paramsKey(s.p) {
		return bad(fmt.Sprintf("made with other parameters (%+v, not %+v)", key, paramsKey(s.p)))
	}
	var f [8]float64
	var steps, spinSteps, nWin, nRNG int64
	var spun bool
	var sf [3]float64
	rd(&f)
	rd(&steps)
	rd(&spun)
	rd(&sf)
	rd(&spinSteps)
	rd(&nWin)
	if rerr != nil {
		return bad("truncated")
	}
	if nWin < 0 || nWin > MaxSpinupWindows || steps < 0 || spinSteps < 0 {
		return bad("damaged header")
	}
	windows := make([]float64, nWin)
	rd(windows)
	rd(&nRNG)
	if rerr != nil || nRNG < 0 || nRNG > int64(r.Len()) {
		return bad("truncated")
	}
	rng := make([]byte, nRNG)
	if _, err := r.Read(rng); nRNG > 0 && err != nil {
		return bad("truncated")
	}
	w := make([]complex128, len(s.w))
	rd(w)
	if rerr != nil {
		return bad("truncated")
	}
	if r.Len() != 0 {
		return bad(fmt.Sprintf("%d bytes after the end", r.Len()))
	}
	for _, x := range append(f[:], sf[:]...) {
		if math.IsNaN(x) {
			return bad("not finite")
		}
	}
	sum := 0.0
	for _, z := range w {
		sum += real(z) + imag(z)
	}
	if !finite(sum) {
		return bad("the vorticity is not finite")
	}
	// Decode the generator into a copy first, so that a failure changes
	// nothing.
	pcg := *s.pcg
	if err := pcg.UnmarshalBinary(rng); err != nil {
		return errors.Join(bad("forcing generator"), err)
	}
	*s.pcg = pcg
	copy(s.w, w)
	s.t, s.dt, s.courant, s.eStart = f[0], f[1], f[3], f[4]
	s.budget = Budget{Injected: f[5], Drag: f[6], Viscous: f[7]}
	s.steps = int(steps)
	s.spun = spun
	s.spinInfo = SpinUpInfo{Time: sf[0], Steps: int(spinSteps), Windows: windows, Energy: sf[1], TurnoverTime: sf[2]}
	if !spun {
		s.spinInfo = SpinUpInfo{}
	}
	s.dtFactor = 0
	if f[2] > 0 {
		s.setFactors(f[2])
	}
	return nil
}

// stateKey holds the parameters that determine a trajectory: all but
// Init, which only sets the state at time 0.
type stateKey struct {
	N                           int64
	Kf, DeltaK, Epsilon, Mu, Nu float64
	P                           int64
	Dt                          float64
	Adaptive                    bool
	CFL                         float64
	Seed                        uint64
}

func paramsKey(p Params) stateKey {
	return stateKey{N: int64(p.N), Kf: p.Kf, DeltaK: p.DeltaK, Epsilon: p.Epsilon, Mu: p.Mu, Nu: p.Nu,
		P: int64(p.P), Dt: p.Dt, Adaptive: p.Adaptive, CFL: p.CFL, Seed: p.Seed}
}
