package compute

import (
	"fmt"
	"math"
	"time"

	"scalewise/engine/field"
	"scalewise/engine/phi4"
	"scalewise/ui/protocol"
)

// rgRace runs RG sampling against local MCMC (checkerboard MALA, the local
// sampler of engine/phi4) on the same lattice, each getting the same share
// of the worker's time. RG: every generated field is an independent
// sample, and a new generation starts with the next seed. MCMC: every sweep
// is a sample of one long chain started from white noise, so its running
// Binder cumulant shows critical slowing down.
type rgRace struct {
	L    int
	beta float64
	seed uint64
	m    rgModel

	cur     rgSampler // the RG generation in progress
	next    uint64    // seed of the next RG generation
	samples int
	rgMom   phi4.Moments
	rgGrad  float64 // whole-lattice gradients of the finished generations
	rgSec   float64
	last    *field.Field

	mc     *phi4.MALA
	mcMom  phi4.Moments
	mcSec  float64
	sweeps int
	// m2 is the series of m² of every sweep, for τ_int; tau is the latest
	// estimate (0 before the series is long enough), tauAt the time of it.
	m2    []float64
	tau   float64
	tauAt float64

	// The points of the running Binder curves not sent yet: each frame
	// carries only its new points (the canvas keeps the curves).
	hist  [2]rgCurve // RG, MCMC
	fresh bool       // no frame sent yet
}

// rgCurve is the running Binder cumulant of one side against its cost.
type rgCurve struct {
	T, G, U []float64 // seconds, whole-lattice gradients, Binder cumulant
}

func (c *rgCurve) add(t, g, u float64) {
	if math.IsNaN(u) || math.IsInf(u, 0) {
		return
	}
	c.T, c.G, c.U = append(c.T, t), append(c.G, g), append(c.U, u)
}

// take returns the points not sent yet and forgets them.
func (c *rgCurve) take() protocol.RGCurve {
	v := protocol.RGCurve{T: sig(c.T), G: sig(c.G), U: sig(c.U)}
	c.T, c.G, c.U = c.T[:0], c.G[:0], c.U[:0]
	return v
}

// Race advances the race by one slice of about r.Ms milliseconds (half for
// each side), starting a new one when asked or when L or the seed changed,
// and returns the latest field of each side and their costs and Binder
// cumulants.
func (s *RGSession) Race(r RGRaceRequest) (*Frames, error) {
	f, err := checkRGLattice(r.Field, r.L, r.Beta)
	if err != nil {
		return nil, err
	}
	if f.name != RGFieldPhi4 {
		return nil, fmt.Errorf("no race for %s: %s", f.name, f.noRace)
	}
	if math.IsNaN(r.Ms) || r.Ms < 0 {
		return nil, fmt.Errorf("ms=%v: want a time in milliseconds", r.Ms)
	}
	ms := r.Ms
	if ms == 0 {
		ms = DefaultRGStepMs
	}
	ms = min(ms, MaxRGStepMs)
	rc := s.race
	if r.Reset || rc == nil || rc.L != r.L || rc.seed != r.Seed {
		m, _, err := s.model(f, r.L, "shipped")
		if err != nil {
			return nil, err
		}
		mc, err := phi4.NewMALA(phi4.Model{L: r.L, Beta: RGBeta}, phi4.Options{StepSize: rgMALAStep}, r.Seed)
		if err != nil {
			return nil, err
		}
		rc = &rgRace{L: r.L, beta: RGBeta, seed: r.Seed, m: m, next: r.Seed, mc: mc, fresh: true}
		s.race = rc
	}
	half := time.Duration(ms / 2 * float64(time.Millisecond))
	if err := rc.stepRG(half); err != nil {
		return nil, err
	}
	if err := rc.stepMCMC(half); err != nil {
		return nil, err
	}
	return rc.frames()
}

func (rc *rgRace) stepRG(budget time.Duration) error {
	t0 := time.Now()
	defer func() { rc.rgSec += time.Since(t0).Seconds() }()
	for time.Since(t0) < budget {
		if rc.cur == nil {
			sm, err := rc.m.NewSampler(rc.next)
			if err != nil {
				return err
			}
			rc.cur = sm
			rc.next++
		}
		if err := rc.cur.Step(1); err != nil {
			return err
		}
		if rc.cur.Done() {
			f := rc.cur.Field()
			if err := rc.rgMom.Add(f); err != nil {
				return err
			}
			g, _ := rc.cur.Work()
			rc.rgGrad += g
			rc.samples++
			rc.last = f.Clone()
			rc.cur = nil
			if rc.samples >= 2 {
				rc.hist[0].add(rc.rgSec+time.Since(t0).Seconds(), rc.rgGrad, rc.rgMom.Binder())
			}
		}
	}
	return nil
}

func (rc *rgRace) stepMCMC(budget time.Duration) error {
	t0 := time.Now()
	for time.Since(t0) < budget {
		if !rc.mc.Step() {
			return fmt.Errorf("local MALA: %w", rc.mc.Err())
		}
		f := rc.mc.Field()
		if err := rc.mcMom.Add(f); err != nil {
			return err
		}
		m := phi4.Magnetisation(f)
		rc.m2 = append(rc.m2, m*m)
		rc.sweeps++
	}
	rc.mcSec += time.Since(t0).Seconds()
	// τ_int of m² now and then (an FFT of the whole series), once the
	// series is long enough for the automatic window.
	if rc.mcSec-rc.tauAt >= 0.5 && len(rc.m2) >= 200 {
		rc.tauAt = rc.mcSec
		if a, err := phi4.TauInt(rc.m2, phi4.DefaultWindowC); err == nil {
			rc.tau = a.Tau
		} else {
			rc.tau = 0
		}
	}
	rc.hist[1].add(rc.mcSec, rc.mc.Work().GradEvals, rc.mcMom.Binder())
	return nil
}

// rgGradNow returns the RG side's gradients, the generation in progress
// included.
func (rc *rgRace) rgGradNow() float64 {
	g := rc.rgGrad
	if rc.cur != nil {
		w, _ := rc.cur.Work()
		g += w
	}
	return g
}

func (rc *rgRace) frames() (*Frames, error) {
	v := &protocol.RGRaceValues{Kind: protocol.KindRace, L: rc.L, Beta: rc.beta}
	fr := NewFrames("renormalise", v)
	shown := rc.last
	if shown == nil && rc.cur != nil {
		shown = rc.cur.Current()
	}
	if shown != nil {
		if err := fr.AddField("race/rg", shown, field.Diverging, -RGLimit, RGLimit); err != nil {
			return nil, err
		}
	}
	if err := fr.AddField("race/mcmc", rc.mc.Field(), field.Diverging, -RGLimit, RGLimit); err != nil {
		return nil, err
	}
	v.RG = protocol.RGRaceRG{
		Samples:   rc.samples,
		GradEvals: rc.rgGradNow(),
		Seconds:   rc.rgSec,
		Binder:    binderOf(&rc.rgMom),
		Phi2:      finiteOrNil(rc.rgMom.Phi2()),
	}
	v.MCMC = protocol.RGRaceMCMC{
		Sweeps:     rc.sweeps,
		GradEvals:  rc.mc.Work().GradEvals,
		Seconds:    rc.mcSec,
		Binder:     binderOf(&rc.mcMom),
		Phi2:       finiteOrNil(rc.mcMom.Phi2()),
		Tau:        finiteOrNil(rc.tau), // τ_int(m²) in sweeps, 0 until measurable
		Acceptance: rc.mc.Acceptance(),
		Step:       rc.mc.StepSize(),
		Sampler:    "local checkerboard MALA",
	}
	v.History = protocol.RGHistory{RG: rc.hist[0].take(), MCMC: rc.hist[1].take(), Reset: rc.fresh}
	rc.fresh = false
	return fr, nil
}

// binderOf returns the Binder cumulant of a, or nil before two samples
// (one sample gives U = 2/3 whatever it is).
func binderOf(a *phi4.Moments) *float64 {
	if a.N() < 2 {
		return nil
	}
	return finiteOrNil(a.Binder())
}
