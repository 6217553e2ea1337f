package main

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"scalewise/engine/field"
	"scalewise/engine/turbulence"
)

// turbulenceUsage is the usage line of the turbulence command.
const turbulenceUsage = "turbulence --size 64 --n 512 --seed 1 [--runs 2] [--threshold 0.1] [--pilot 256] [--spacing 0] " +
	"[--work build/turbulence] [--checkpoint-every 60] [--fresh] --out data/turbulence-64-n512.npy"

// lagsPerTurnover is the number of lag steps δ per eddy turnover time T of
// the pilot's autocorrelation: the spacing is a multiple of δ = T/8.
// maxPilotLag is the largest lag of the pilot, in turnover times (the
// measured spacing at 32² and 64² is about 4 T).
const (
	lagsPerTurnover = 8
	maxPilotLag     = 16
)

// maxTurbulenceSize bounds --size: the pilot keeps 2·(16·8 + 1) fields.
const maxTurbulenceSize = 256

// turbConfig is what determines the output of "scalewise turbulence": a
// checkpoint or a finished output made with another configuration is not
// reused.
type turbConfig struct {
	Size      int     `json:"size"`
	N         int     `json:"n"`
	Seed      uint64  `json:"seed"`
	Runs      int     `json:"runs"`
	Threshold float64 `json:"threshold"`
	// Pilot is the length of the autocorrelation measurement, and Spacing
	// a fixed snapshot spacing (0: measured), in eddy turnover times.
	Pilot   float64 `json:"pilot_turnovers"`
	Spacing float64 `json:"fixed_spacing_turnovers"`
}

// runSeed is the forcing seed of run r: the --seed itself for run 0, then
// steps of the 64-bit golden ratio (distinct seeds for every run of every
// --seed that a person would pick).
func (c turbConfig) runSeed(r int) uint64 { return c.Seed + uint64(r)*0x9E3779B97F4A7C15 }

// runStart returns the index of the first snapshot of run r (r = Runs: n).
func (c turbConfig) runStart(r int) int { return r * c.N / c.Runs }

// params returns the simulation parameters of run r.
func (c turbConfig) params(r int) turbulence.Params {
	p := turbulence.DefaultParams(c.Size)
	p.Seed = c.runSeed(r)
	return p
}

// turbCheckpoint is the state of a "scalewise turbulence" run, saved (gob)
// beside the staged output so that the same command resumes it.
type turbCheckpoint struct {
	Config turbConfig
	// Run is the run in progress and Sim its solver state
	// (Simulation.MarshalBinary; nil before its spin-up has finished).
	Run int
	Sim []byte
	// SpinUps holds the spin-up of every run started, Pilot the
	// autocorrelation measured after the spin-up of run 0, Turnover its
	// eddy turnover time T and Spacing the snapshot spacing Δ (simulated
	// time; 0 before the pilot).
	SpinUps  []turbulence.SpinUpInfo
	Pilot    *turbulence.Autocorrelation
	Turnover float64
	Spacing  float64
	// Snapshots holds the standardised snapshots taken so far, Times the
	// simulated time of each in its run, RunEnds the simulated time and
	// steps at the end of every finished run.
	Snapshots []float32
	Times     []float64
	RunTimes  []float64
	RunSteps  []int
	// Seconds of wall time spent in the spin-ups, the pilot and the
	// sampling, up to the checkpoint.
	SpinUpSeconds, PilotSeconds, SampleSeconds float64
}

// turbOptions are the settings of a run that do not change its output.
type turbOptions struct {
	work      string        // folder of the checkpoint and the staged output
	every     time.Duration // wall time between checkpoints while sampling
	fresh     bool          // ignore a checkpoint and a finished output
	command   string        // the command line, for the sidecar
	stopAfter int           // tests: stop after saving a checkpoint at this many snapshots (< 0: never)
}

// errTurbStopped is returned by makeTurbulence when turbOptions.stopAfter
// stops it (tests).
var errTurbStopped = errors.New("stopped (test)")

// runTurbulence is "scalewise turbulence": stationary 2-D turbulence
// vorticity snapshots, decorrelated at every scale, for fitting and
// validating multiscale models.
//
// The flow is engine/turbulence with DefaultParams(size) (forcing band
// 5 ≤ |k| ≤ 7, linear drag, hyperviscosity; Boffetta & Ecke, Annu. Rev.
// Fluid Mech. 44, 427 (2012)). The snapshots come from --runs independent
// runs in sequence, run r with forcing seed seed + r·φ64 (φ64 the 64-bit
// golden ratio): each is spun up from rest to its energy plateau
// (Simulation.SpinUp), and run r contributes snapshots r·n/runs to
// (r+1)·n/runs − 1, the first at the end of its spin-up, then one every Δ
// of simulated time. With the default two runs the fitted half (the first
// n/2 snapshots) and the held-out half come from independent runs; one
// more spin-up costs about 20 eddy turnovers, 1 % of a 512-snapshot run.
//
// The spacing Δ is measured, not guessed: after the spin-up of run 0 a
// pilot of --pilot eddy turnover times T measures the autocorrelations
// C_ω(τ) of the vorticity and C_ψ(τ) of the stream function, with their
// batch-means standard errors σ, at lags τ = jT/8 up to 16 T
// (Simulation.MeasureAutocorrelation), and Δ is the first lag at which
// |C| + 2σ < --threshold for both (Autocorrelation.Decorrelated): the
// expected correlation of successive snapshots is below the threshold with
// a margin for the pilot's statistical error. The stream function carries
// the box-scale eddies, which decorrelate several times more slowly than
// the vorticity (C below 0.1 after about 3.3 T against 0.6 T at 64²), so
// the spacing decorrelates every scale of the field. The pilot's snapshots
// are not kept (run 0 samples from the pilot's end); --spacing fixes Δ in
// units of T instead (the pilot still runs, to record C at that spacing).
// The sidecar also records the realised correlations of successive
// snapshots.
//
// Every snapshot is standardised to zero mean and unit variance
// (field.Standardise), as assets/turbulence-{64,128}.npy are.
//
// The checkpoint (gob: the solver state, the snapshots so far, the pilot)
// lives in --work beside the staged output, written atomically after
// each spin-up, after the pilot and every --checkpoint-every seconds of
// sampling, and on SIGINT or SIGTERM; the same command resumes it, to the
// same bytes as an uninterrupted run. When all n snapshots are taken, the
// output OUT.npy, a float32 (n, size, size) stack, and its sidecar OUT.json
// are written in --work, then renamed into place (sidecar first) and the
// checkpoint removed: no half-written output ever reaches --out. A finished
// output of the same configuration is left as it is.
func runTurbulence(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("turbulence", flag.ContinueOnError)
	var c turbConfig
	fs.IntVar(&c.Size, "size", 64, "grid side N (even, 24 to 256: the forcing band reaches |k| = 7 ≤ (N−1)/3)")
	fs.IntVar(&c.N, "n", 512, "number of snapshots (at least 2: half fit, half held out)")
	fs.Uint64Var(&c.Seed, "seed", 1, "forcing seed of run 0 (run r: seed + r·0x9E3779B97F4A7C15)")
	fs.IntVar(&c.Runs, "runs", 2, "independent runs (each spun up from rest) the snapshots are taken from, in sequence")
	fs.Float64Var(&c.Threshold, "threshold", 0.1, "largest |autocorrelation| of the vorticity and of the stream function at the spacing")
	fs.Float64Var(&c.Pilot, "pilot", 256, "length of the autocorrelation pilot, in eddy turnover times T (lags up to half of it, at most 16 T)")
	fs.Float64Var(&c.Spacing, "spacing", 0, "fixed snapshot spacing in eddy turnover times (0: the measured decorrelation spacing)")
	out := fs.String("out", "", "output .npy file; OUT.json gets the parameters and measurements")
	work := fs.String("work", filepath.Join("build", "turbulence"), "folder of the checkpoint and of the output until it is finished")
	every := fs.Float64("checkpoint-every", 60, "seconds of wall time between checkpoints while sampling")
	fresh := fs.Bool("fresh", false, "ignore an existing checkpoint or finished output and start over")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	if err := checkOut(*out, ".npy"); err != nil {
		return err
	}
	if *work == "" {
		return errors.New("--work: want a folder")
	}
	if *every < 0 || *every > 7*24*3600 {
		return fmt.Errorf("--checkpoint-every %v: want 0 to %d seconds", *every, 7*24*3600)
	}
	opts := turbOptions{
		work: *work, every: time.Duration(*every * float64(time.Second)), fresh: *fresh, stopAfter: -1,
		command: "scalewise " + strings.Join(append([]string{"turbulence"}, args...), " "),
	}
	return makeTurbulence(c, *out, opts, stdout, stderr)
}

// check validates the configuration, naming the flag at fault.
func (c turbConfig) check() error {
	if err := checkIntFlag("size", c.Size, turbulence.MinN, maxTurbulenceSize, "grid points per side"); err != nil {
		return err
	}
	if err := c.params(0).Validate(); err != nil {
		return fmt.Errorf("--size %d: %w", c.Size, err)
	}
	if c.N < 2 {
		return fmt.Errorf("--n %d: want at least 2 snapshots (half to fit, half held out)", c.N)
	}
	if err := checkStackSize(c.N, c.Size); err != nil {
		return err
	}
	if err := checkIntFlag("runs", c.Runs, 1, c.N, "runs (at most one per snapshot)"); err != nil {
		return err
	}
	if !(c.Threshold > 0 && c.Threshold < 1) {
		return fmt.Errorf("--threshold %v: want a correlation in (0, 1)", c.Threshold)
	}
	if !(c.Pilot >= 2 && c.Pilot <= 1000) {
		return fmt.Errorf("--pilot %v: want 2 to 1000 eddy turnover times", c.Pilot)
	}
	if most := min(c.Pilot/2, maxPilotLag); c.Spacing != 0 && !(c.Spacing >= 1.0/lagsPerTurnover && c.Spacing <= most) {
		return fmt.Errorf("--spacing %v: want 0 (measured) or 1/%d to min(--pilot/2, %d) = %v eddy turnover times (the largest lag the pilot measures)",
			c.Spacing, lagsPerTurnover, maxPilotLag, most)
	}
	return nil
}

// makeTurbulence runs (or resumes) the simulation of c and lands the
// output at out; see runTurbulence.
func makeTurbulence(c turbConfig, out string, o turbOptions, stdout, stderr io.Writer) error {
	ext := filepath.Ext(out)
	stage := filepath.Join(o.work, strings.TrimSuffix(filepath.Base(out), ext))
	ckptPath, stagedNPY, stagedJSON := stage+".ckpt", stage+".npy", stage+".json"
	sidecar := strings.TrimSuffix(out, ext) + ".json"

	if !o.fresh && turbFinished(out, sidecar, c) {
		fmt.Fprintf(stdout, "%s is up to date (its sidecar %s records the same configuration; --fresh makes it again)\n", out, sidecar)
		return nil
	}
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		return err
	}
	unlock, err := lockFile(ckptPath + ".lock")
	if err != nil {
		return err
	}
	defer unlock()

	ck := &turbCheckpoint{Config: c}
	if !o.fresh {
		if saved, err := loadTurbCheckpoint(ckptPath); err == nil {
			if saved.Config != c {
				return fmt.Errorf("checkpoint %s belongs to another run (%+v; use --fresh to start over)", ckptPath, saved.Config)
			}
			ck = saved
			fmt.Fprintf(stderr, "resuming %s: run %d of %d, %d of %d snapshots\n", ckptPath, ck.Run+1, c.Runs, ck.done(c.Size), c.N)
		} else if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("checkpoint %s: %w (use --fresh to start over)", ckptPath, err)
		}
	}
	p0 := c.params(0)
	fmt.Fprintf(stderr, "turbulence: %d² grid, forcing %g ≤ |k| ≤ %g at ε = %g, drag μ = %.4g, hyperviscosity ν_%d = %.3g; %d snapshots from %d run(s), seed %d\n",
		c.Size, p0.Kf-p0.DeltaK, p0.Kf+p0.DeltaK, p0.Epsilon, p0.Mu, p0.P, p0.Nu, c.N, c.Runs, c.Seed)

	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(interrupt)
	save := func() error {
		return writeFileAtomic(ckptPath, func(w io.Writer) error { return gob.NewEncoder(w).Encode(ck) })
	}
	// stop saves the checkpoint and reports whether the run must stop
	// there (a signal, or the tests' stopAfter).
	stop := func() (bool, error) {
		select {
		case sig := <-interrupt:
			if err := save(); err != nil {
				return true, err
			}
			return true, fmt.Errorf("%v after %d of %d snapshots; checkpoint saved to %s (run the same command to resume)", sig, ck.done(c.Size), c.N, ckptPath)
		default:
		}
		if o.stopAfter >= 0 && ck.done(c.Size) >= o.stopAfter {
			return true, errors.Join(save(), errTurbStopped)
		}
		return false, nil
	}

	nn := c.Size * c.Size
	for ck.Run < c.Runs {
		r := ck.Run
		sim, err := turbulence.New(c.params(r))
		if err != nil {
			return err
		}
		if ck.Sim != nil {
			if err := sim.UnmarshalBinary(ck.Sim); err != nil {
				return fmt.Errorf("checkpoint %s: %w (use --fresh to start over)", ckptPath, err)
			}
		}
		if len(ck.SpinUps) <= r {
			t0 := time.Now()
			var sb *progress
			info, err := sim.SpinUp(func(p turbulence.Progress) {
				if sb == nil {
					sb = newProgress(stderr, p.Total)
				}
				sb.update(p.Done, fmt.Sprintf("run %d spin-up t = %.1f E = %.3f", r+1, p.Time, p.Energy), false)
			})
			if err != nil {
				return fmt.Errorf("run %d: %w", r+1, err)
			}
			fmt.Fprintf(stderr, "run %d (seed %d): stationary after t = %.1f (%d steps, %d windows), E = %.3f, T = %.3f\n",
				r+1, c.runSeed(r), info.Time, info.Steps, len(info.Windows), info.Energy, info.TurnoverTime)
			ck.SpinUps = append(ck.SpinUps, info)
			ck.SpinUpSeconds += time.Since(t0).Seconds()
			if ck.Sim, err = sim.MarshalBinary(); err != nil {
				return err
			}
			if err := save(); err != nil {
				return err
			}
			if s, err := stop(); s {
				return err
			}
		}
		if ck.Pilot == nil {
			if err := turbPilot(ck, sim, stderr); err != nil {
				return err
			}
			if ck.Sim, err = sim.MarshalBinary(); err != nil {
				return err
			}
			if err := save(); err != nil {
				return err
			}
			if s, err := stop(); s {
				return err
			}
		}
		bar := newProgress(stderr, c.N).startAt(ck.done(c.Size))
		lastSave := time.Now()
		t0 := time.Now()
		for end := c.runStart(r + 1); ck.done(c.Size) < end; {
			if ck.done(c.Size) > c.runStart(r) {
				if err := sim.Advance(ck.Spacing); err != nil {
					return fmt.Errorf("run %d: %w", r+1, err)
				}
			}
			w := sim.Vorticity()
			if err := field.Standardise(w.Data); err != nil {
				return fmt.Errorf("run %d snapshot at t = %v: %w", r+1, sim.Time(), err)
			}
			for _, v := range w.Data {
				ck.Snapshots = append(ck.Snapshots, float32(v))
			}
			ck.Times = append(ck.Times, sim.Time())
			done := ck.done(c.Size)
			bar.update(done, fmt.Sprintf("run %d/%d t = %.1f", r+1, c.Runs, sim.Time()), done == c.N)
			if done == end || time.Since(lastSave) >= o.every || o.stopAfter >= 0 {
				if done == end {
					ck.RunTimes = append(ck.RunTimes, sim.Time())
					ck.RunSteps = append(ck.RunSteps, sim.Steps())
				}
				ck.SampleSeconds += time.Since(t0).Seconds()
				t0, lastSave = time.Now(), time.Now()
				if ck.Sim, err = sim.MarshalBinary(); err != nil {
					return err
				}
				if done == end {
					ck.Run, ck.Sim = r+1, nil // the next run starts from rest
				}
				if err := save(); err != nil {
					return err
				}
				if s, err := stop(); s {
					return err
				}
			}
		}
	}
	if len(ck.Snapshots) != c.N*nn {
		return fmt.Errorf("checkpoint %s holds %d values, want %d (use --fresh to start over)", ckptPath, len(ck.Snapshots), c.N*nn)
	}
	return landTurbulence(ck, out, sidecar, stagedNPY, stagedJSON, ckptPath, o, stdout, stderr)
}

// done returns the number of snapshots taken.
func (ck *turbCheckpoint) done(size int) int { return len(ck.Snapshots) / (size * size) }

// turbPilot measures the autocorrelation of the stationary flow of run 0
// and chooses the spacing (see runTurbulence).
func turbPilot(ck *turbCheckpoint, sim *turbulence.Simulation, stderr io.Writer) error {
	c := ck.Config
	t0 := time.Now()
	tt := ck.SpinUps[0].TurnoverTime
	var pb *progress
	a, err := sim.MeasureAutocorrelation(c.Pilot*tt, tt/lagsPerTurnover, maxPilotLag*tt, func(p turbulence.Progress) {
		if pb == nil {
			pb = newProgress(stderr, p.Total)
		}
		pb.update(p.Done, fmt.Sprintf("pilot (autocorrelation) t = %.1f", p.Time), p.Done == p.Total)
	})
	if err != nil {
		return fmt.Errorf("pilot: %w", err)
	}
	ck.PilotSeconds += time.Since(t0).Seconds()
	ck.Turnover = tt
	if c.Spacing > 0 {
		ck.Spacing = c.Spacing * tt
	} else {
		j, ok := a.Decorrelated(c.Threshold)
		if !ok {
			last := len(a.Lags) - 1
			return fmt.Errorf("pilot: no lag up to %.3g T has |C_ω| + 2σ and |C_ψ| + 2σ below %v (at the last lag C_ω = %.3f ± %.3f, C_ψ = %.3f ± %.3f); lengthen --pilot or raise --threshold (and use --fresh)",
				a.Lags[last]/tt, c.Threshold, a.Vorticity[last], a.VorticityErr[last], a.Streamfunction[last], a.StreamfunctionErr[last])
		}
		ck.Spacing = a.Lags[j]
	}
	ck.Pilot = &a
	cw, cp := a.At(ck.Spacing)
	ew, ep := a.ErrAt(ck.Spacing)
	tw, tp := a.IntegralTimes()
	fmt.Fprintf(stderr, "pilot over %.1f T: integral times τ_ω = %.3f T, τ_ψ = %.3f T; spacing Δ = %.4g = %.3g T, where C_ω = %.3f ± %.3f and C_ψ = %.3f ± %.3f\n",
		a.Duration/tt, tw/tt, tp/tt, ck.Spacing, ck.Spacing/tt, cw, ew, cp, ep)
	if math.Abs(cw)+2*ew >= c.Threshold || math.Abs(cp)+2*ep >= c.Threshold {
		fmt.Fprintf(stderr, "warning: --spacing %v T leaves a correlation above --threshold %v\n", c.Spacing, c.Threshold)
	}
	return nil
}

// loadTurbCheckpoint reads a checkpoint; a missing file gives an error
// wrapping os.ErrNotExist.
func loadTurbCheckpoint(path string) (*turbCheckpoint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ck := new(turbCheckpoint)
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(ck); err != nil {
		return nil, fmt.Errorf("unreadable: %w", err)
	}
	c := ck.Config
	if c.check() != nil || ck.Run < 0 || ck.Run > c.Runs || len(ck.Snapshots)%(c.Size*c.Size) != 0 ||
		ck.done(c.Size) > c.N || len(ck.Times) != ck.done(c.Size) || len(ck.SpinUps) > c.Runs {
		return nil, errors.New("damaged (inconsistent sizes)")
	}
	return ck, nil
}

// turbFinished reports whether out and its sidecar exist and the sidecar
// records the configuration c.
func turbFinished(out, sidecar string, c turbConfig) bool {
	if _, err := os.Stat(out); err != nil {
		return false
	}
	b, err := os.ReadFile(sidecar)
	if err != nil {
		return false
	}
	var s struct {
		Config *turbConfig `json:"config"`
	}
	return json.Unmarshal(b, &s) == nil && s.Config != nil && *s.Config == c
}

// turbStats is the sidecar OUT.json of "scalewise turbulence".
type turbStats struct {
	Config        turbConfig `json:"config"`
	Shape         []int      `json:"shape"`
	Normalisation string     `json:"normalisation"`
	Split         turbSplit  `json:"split"`
	// Params holds the simulation parameters of run 0 (the other runs
	// differ only in the seed), RunSeeds the forcing seed and RunStart
	// the first snapshot of every run.
	Params   turbParams   `json:"params"`
	RunSeeds []uint64     `json:"run_seeds"`
	RunStart []int        `json:"run_start"`
	SpinUps  []turbSpinUp `json:"spin_ups"`
	// Times are in the simulation's units (the 2π box, ε = 1):
	// TurnoverTime is T = L/U at the end of the spin-up of run 0, Spacing
	// the snapshot spacing Δ (SpacingTurnovers = Δ/T), the autocorrelations
	// are those of the pilot at Δ (with their standard errors), and the
	// integral times τ_ω and τ_ψ are in simulated time (divide by T for
	// turnover times).
	TurnoverTime      float64        `json:"turnover_time"`
	Spacing           float64        `json:"spacing"`
	SpacingTurnovers  float64        `json:"spacing_turnovers"`
	SpacingRule       string         `json:"spacing_rule"`
	AutocorrVorticity float64        `json:"autocorrelation_vorticity_at_spacing"`
	AutocorrStream    float64        `json:"autocorrelation_streamfunction_at_spacing"`
	AutocorrVortErr   float64        `json:"autocorrelation_vorticity_at_spacing_err"`
	AutocorrStreamErr float64        `json:"autocorrelation_streamfunction_at_spacing_err"`
	IntegralVorticity float64        `json:"integral_time_vorticity"`
	IntegralStream    float64        `json:"integral_time_streamfunction"`
	Pilot             turbPilotStats `json:"pilot"`
	Successive        turbSuccessive `json:"successive"`
	// Times holds the simulated time of every snapshot in its run.
	Times          []float64 `json:"times"`
	Steps          int       `json:"steps"`
	WallSeconds    float64   `json:"wall_seconds"`
	SpinUpSeconds  float64   `json:"spin_up_seconds"`
	PilotSeconds   float64   `json:"pilot_seconds"`
	SampleSeconds  float64   `json:"sample_seconds"`
	SecondsPerSnap float64   `json:"seconds_per_snapshot"`
	Command        string    `json:"command"`
	Version        string    `json:"version"`
}

// turbSpinUp is a turbulence.SpinUpInfo in the sidecar.
type turbSpinUp struct {
	Time         float64   `json:"time"`
	Steps        int       `json:"steps"`
	Energy       float64   `json:"energy"`
	TurnoverTime float64   `json:"turnover_time"`
	Windows      []float64 `json:"window_energies"`
}

type turbSplit struct {
	Fit     [2]int `json:"fit"`
	HeldOut [2]int `json:"held_out"`
	Rule    string `json:"rule"`
}

type turbParams struct {
	N        int     `json:"N"`
	Kf       float64 `json:"kf"`
	DeltaK   float64 `json:"delta_k"`
	Epsilon  float64 `json:"epsilon"`
	Mu       float64 `json:"mu"`
	Nu       float64 `json:"nu"`
	P        int     `json:"p"`
	Dt       float64 `json:"dt_max"`
	Adaptive bool    `json:"adaptive"`
	CFL      float64 `json:"cfl"`
}

type turbPilotStats struct {
	Duration       float64   `json:"duration"`
	LagStep        float64   `json:"lag_step"`
	Vorticity      []float64 `json:"vorticity_autocorrelation"`
	Streamfunction []float64 `json:"streamfunction_autocorrelation"`
	VorticityErr   []float64 `json:"vorticity_autocorrelation_err"`
	StreamErr      []float64 `json:"streamfunction_autocorrelation_err"`
	Pairs          []int     `json:"pairs"`
}

// turbSuccessive summarises the correlation coefficients of successive
// snapshots of the same run, Δ apart, over the whole output.
type turbSuccessive struct {
	Pairs                int     `json:"pairs"`
	VorticityMean        float64 `json:"vorticity_mean"`
	VorticityMaxAbs      float64 `json:"vorticity_max_abs"`
	StreamfunctionMean   float64 `json:"streamfunction_mean"`
	StreamfunctionMaxAbs float64 `json:"streamfunction_max_abs"`
}

// landTurbulence writes the finished output and its sidecar in the work
// folder, moves them into place (sidecar first) and removes the checkpoint.
func landTurbulence(ck *turbCheckpoint, out, sidecar, stagedNPY, stagedJSON, ckptPath string, o turbOptions, stdout, stderr io.Writer) error {
	c := ck.Config
	nn := c.Size * c.Size
	fields := make([]*field.Field, c.N)
	for i := range fields {
		f := field.New(c.Size, c.Size)
		for j := range f.Data {
			f.Data[j] = float64(ck.Snapshots[i*nn+j])
		}
		fields[i] = f
	}
	succ, err := turbSuccessiveStats(c, fields)
	if err != nil {
		return err
	}
	arr, err := field.StackArray(fields)
	if err != nil {
		return err
	}
	a := ck.Pilot
	tt := ck.Turnover
	cw, cp := a.At(ck.Spacing)
	ew, ep := a.ErrAt(ck.Spacing)
	tw, tp := a.IntegralTimes()
	p := c.params(0)
	s := turbStats{
		Config:        c,
		Shape:         []int{c.N, c.Size, c.Size},
		Normalisation: "each snapshot standardised to zero mean and unit variance (field.Standardise), as assets/turbulence-{64,128}.npy",
		Split: turbSplit{Fit: [2]int{0, c.N / 2}, HeldOut: [2]int{c.N / 2, c.N},
			Rule: "snapshots [0, n/2) fit the model, [n/2, n) are held out; with runs = 2 the halves are independent runs"},
		Params:            turbParams{N: p.N, Kf: p.Kf, DeltaK: p.DeltaK, Epsilon: p.Epsilon, Mu: p.Mu, Nu: p.Nu, P: p.P, Dt: p.Dt, Adaptive: p.Adaptive, CFL: p.CFL},
		TurnoverTime:      tt,
		Spacing:           ck.Spacing,
		SpacingTurnovers:  ck.Spacing / tt,
		AutocorrVorticity: cw,
		AutocorrStream:    cp,
		AutocorrVortErr:   ew,
		AutocorrStreamErr: ep,
		IntegralVorticity: tw,
		IntegralStream:    tp,
		Pilot: turbPilotStats{Duration: a.Duration, LagStep: a.Step, Vorticity: a.Vorticity,
			Streamfunction: a.Streamfunction, VorticityErr: a.VorticityErr, StreamErr: a.StreamfunctionErr, Pairs: a.Pairs},
		Successive:    succ,
		Times:         ck.Times,
		WallSeconds:   ck.SpinUpSeconds + ck.PilotSeconds + ck.SampleSeconds,
		SpinUpSeconds: ck.SpinUpSeconds,
		PilotSeconds:  ck.PilotSeconds,
		SampleSeconds: ck.SampleSeconds,
		Command:       o.command,
		Version:       Version,
	}
	if c.Spacing > 0 {
		s.SpacingRule = fmt.Sprintf("fixed by --spacing: %v eddy turnover times T", c.Spacing)
	} else {
		s.SpacingRule = fmt.Sprintf("measured: the first lag (a multiple of T/%d) of the pilot where |C| + 2σ < %v for the vorticity and the stream function (σ the batch-means standard error)", lagsPerTurnover, c.Threshold)
	}
	for _, u := range ck.SpinUps {
		s.SpinUps = append(s.SpinUps, turbSpinUp{Time: u.Time, Steps: u.Steps, Energy: u.Energy, TurnoverTime: u.TurnoverTime, Windows: u.Windows})
	}
	for r := range c.Runs {
		s.RunSeeds = append(s.RunSeeds, c.runSeed(r))
		s.RunStart = append(s.RunStart, c.runStart(r))
	}
	for _, st := range ck.RunSteps {
		s.Steps += st
	}
	if k := c.N - c.Runs; k > 0 {
		s.SecondsPerSnap = ck.SampleSeconds / float64(k)
	}
	// The sidecar is encoded before anything is written: a statistic that
	// is not finite (JSON has no NaN) leaves no output behind.
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("the run's statistics: %w; nothing written (the checkpoint %s is kept)", err, ckptPath)
	}
	if err := checkWritable(arr.Data, field.Float32, "the standardised snapshots", "vorticity value"); err != nil {
		return err
	}
	if err := writeFileAtomic(stagedNPY, func(w io.Writer) error { return field.WriteArray(w, arr, field.Float32) }); err != nil {
		return err
	}
	if err := writeFileAtomic(stagedJSON, func(w io.Writer) error { _, err := w.Write(append(b, '\n')); return err }); err != nil {
		return err
	}
	if err := moveFile(stagedJSON, sidecar); err != nil {
		return err
	}
	if err := moveFile(stagedNPY, out); err != nil {
		return err
	}
	if err := os.Remove(ckptPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	fmt.Fprintf(stderr, "spacing Δ = %.3g T: pilot C_ω = %.3f ± %.3f, C_ψ = %.3f ± %.3f; successive snapshots (%d pairs): mean ρ_ω = %.3f (max |ρ| %.3f), mean ρ_ψ = %.3f (max |ρ| %.3f)\n",
		s.SpacingTurnovers, cw, ew, cp, ep, succ.Pairs, succ.VorticityMean, succ.VorticityMaxAbs, succ.StreamfunctionMean, succ.StreamfunctionMaxAbs)
	fmt.Fprintf(stderr, "wall time %.0f s (spin-ups %.0f s, pilot %.0f s, sampling %.3g s per snapshot)\n", s.WallSeconds, s.SpinUpSeconds, s.PilotSeconds, s.SecondsPerSnap)
	fmt.Fprintf(stdout, "wrote %s: (%d, %d, %d) float32, and its parameters and measurements to %s\n", out, c.N, c.Size, c.Size, sidecar)
	return nil
}

// turbSuccessiveStats returns the correlations of successive snapshots of
// the same run, of the vorticity and of its stream function.
func turbSuccessiveStats(c turbConfig, fields []*field.Field) (turbSuccessive, error) {
	var s turbSuccessive
	var prevPsi *field.Field
	for i, f := range fields {
		psi, err := turbulence.Streamfunction(f)
		if err != nil {
			return s, err
		}
		newRun := false
		for r := range c.Runs {
			newRun = newRun || i == c.runStart(r)
		}
		if !newRun {
			rw := turbulence.Correlation(fields[i-1], f)
			rp := turbulence.Correlation(prevPsi, psi)
			s.Pairs++
			s.VorticityMean += rw
			s.StreamfunctionMean += rp
			s.VorticityMaxAbs = math.Max(s.VorticityMaxAbs, math.Abs(rw))
			s.StreamfunctionMaxAbs = math.Max(s.StreamfunctionMaxAbs, math.Abs(rp))
		}
		prevPsi = psi
	}
	if s.Pairs > 0 {
		s.VorticityMean /= float64(s.Pairs)
		s.StreamfunctionMean /= float64(s.Pairs)
	}
	return s, nil
}

// moveFile renames src to dst, or, across file systems, copies it to
// dst.tmp, renames that into place and removes src: dst is never
// half-written.
func moveFile(src, dst string) error {
	if err := os.Rename(src, dst); err == nil {
		return nil
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(dst, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return err
	}
	return os.Remove(src)
}
