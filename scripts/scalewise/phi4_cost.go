package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"

	"scalewise/engine/phi4"
)

// phi4CostStats is the JSON that "phi4 cost" writes: one sampler's
// τ_int(m²) and cost per step, in the fields of the "phi4 sample" sidecar
// that "rg validate" reads for the MCMC side of the cost ratio.
type phi4CostStats struct {
	L                int     `json:"L"`
	Beta             float64 `json:"beta"`
	Sampler          string  `json:"sampler"`
	Seed             uint64  `json:"seed"`
	Start            string  `json:"start,omitempty"`
	StepSize         float64 `json:"step_size"`
	Leapfrog         int     `json:"leapfrog"`
	Mass2            float64 `json:"mass2"`
	Acceptance       float64 `json:"acceptance"`
	TauInt           float64 `json:"tau_int"`
	TauIntErr        float64 `json:"tau_int_err"`
	TauIntAll        float64 `json:"tau_int_all"`
	Window           int     `json:"window"`
	WindowTooShort   bool    `json:"window_too_short,omitempty"`
	Steps            int     `json:"steps"`
	Seconds          float64 `json:"seconds"`
	GradPerStep      float64 `json:"grad_per_step"`
	SecondsPerStep   float64 `json:"seconds_per_step"`
	GradPerSample    float64 `json:"grad_per_sample"`
	SecondsPerSample float64 `json:"seconds_per_sample"`
	ChainPhi2        float64 `json:"chain_phi2"`
	ChainBinder      float64 `json:"chain_binder"`
	// Complete is false in the provisional files written during the run.
	Complete bool   `json:"complete"`
	Command  string `json:"command"`
	Version  string `json:"version"`
}

// runPhi4Cost is "scalewise phi4 cost": it measures τ_int of m² and the
// cost per independent sample of one sampler (phi4.MeasureCost), writing
// provisional results every minute so that a long run that is stopped
// still leaves its estimate.
func runPhi4Cost(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("phi4 cost", flag.ContinueOnError)
	l := fs.Int("L", 64, "lattice side, a power of two from 8 to 256")
	beta := fs.Float64("beta", 0.68, "coupling β > 0")
	sampler := fs.String("sampler", "fahmc", "sampler: fahmc, hmc, mala or cluster")
	seconds := fs.Float64("seconds", 600, "measuring time in seconds (after the warm-up and burn-in)")
	maxSteps := fs.Int("max-steps", 10000000, "at most this many measured steps")
	burnIn := fs.Int("burn-in", 1000, "steps after the warm-up before measuring")
	start := fs.String("start", "", "start from the first field of this .npy stack (an equilibrium sample: no long burn-in needed)")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "", "output .json file")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	model := phi4.Model{L: *l, Beta: *beta}
	if err := model.Validate(); err != nil {
		return err
	}
	kind, err := phi4.ParseKind(*sampler)
	if err != nil {
		return err
	}
	if !(*seconds > 0) || *seconds > maxCostSeconds {
		return fmt.Errorf("--seconds %v must be positive and at most %d (30 days)", *seconds, maxCostSeconds)
	}
	if *maxSteps < 16 || *burnIn < 0 {
		return fmt.Errorf("--max-steps %d must be ≥ 16 and --burn-in %d ≥ 0", *maxSteps, *burnIn)
	}
	// The chain's m² series is kept for τ_int: 8 bytes a measured step.
	if err := checkIntFlag("max-steps", *maxSteps, 16, maxCostSteps, fmt.Sprintf("measured steps (%d MiB of series)", maxCostSteps*8>>20)); err != nil {
		return err
	}
	if err := checkIntFlag("burn-in", *burnIn, 0, maxCostSteps, "steps"); err != nil {
		return err
	}
	if err := checkOut(*out, ".json"); err != nil {
		return err
	}
	opts := phi4.DefaultOptions(kind)
	if *start != "" {
		fields, err := readStack(*start)
		if err != nil {
			return err
		}
		if fields[0].W != *l || fields[0].H != *l {
			return fmt.Errorf("--start %s holds %d×%d fields, not %d×%d", *start, fields[0].W, fields[0].H, *l, *l)
		}
		// The energy grows like φ⁴ and the force like φ³: far from
		// equilibrium the leapfrog steps overflow and the chain stalls.
		if big := largestMagnitude(fields[0].Data); big > maxStartMagnitude {
			return fmt.Errorf("--start %s (values up to %.4g) is out of range: a start beyond ±%g overflows the leapfrog steps (want an equilibrium sample)", *start, big, maxStartMagnitude)
		}
		opts.Start = fields[0]
	}
	s, err := phi4.NewSampler(kind, model, opts, *seed)
	if err != nil {
		return err
	}
	command := "scalewise " + strings.Join(append([]string{"phi4", "cost"}, args...), " ")
	write := func(c *phi4.CostMeasurement, complete bool) error {
		st := phi4CostStats{
			L: *l, Beta: *beta, Sampler: kind.String(), Seed: *seed, Start: *start,
			StepSize: c.StepSize, Leapfrog: c.Leapfrog, Mass2: c.Mass2, Acceptance: c.Acceptance,
			TauInt: c.Tau.Tau, TauIntErr: c.Tau.Err, TauIntAll: c.Tau.Tau, Window: c.Tau.Window, WindowTooShort: c.Short,
			Steps: c.Steps, Seconds: c.Seconds, GradPerStep: c.GradPerStep, SecondsPerStep: c.SecondsPerStep,
			GradPerSample: c.GradPerSample(), SecondsPerSample: c.SecondsPerSample(),
			ChainPhi2: c.Moments.Phi2(), ChainBinder: c.Moments.Binder(),
			Complete: complete, Command: command, Version: Version,
		}
		return writeFileAtomic(*out, func(w io.Writer) error {
			e := json.NewEncoder(w)
			e.SetIndent("", "  ")
			return e.Encode(st)
		})
	}

	fmt.Fprintf(stderr, "phi4 cost: L=%d β=%g, %s sampler, %g s of measurement, seed %d\n", *l, *beta, kind, *seconds, *seed)
	bar := newProgress(stderr, int(math.Ceil(*seconds)))
	var werr error
	c, err := phi4.MeasureCost(s, *burnIn, *seconds, *maxSteps, 60, func(p *phi4.CostMeasurement) {
		bar.update(int(p.Seconds), fmt.Sprintf("s, %d steps, τ_int %.1f ± %.1f", p.Steps, p.Tau.Tau, p.Tau.Err), false)
		if err := write(p, false); err != nil && werr == nil {
			werr = err
		}
	})
	if err != nil {
		return err
	}
	if werr != nil {
		return werr
	}
	bar.update(int(math.Ceil(*seconds)), fmt.Sprintf("s, %d steps, τ_int %.1f ± %.1f", c.Steps, c.Tau.Tau, c.Tau.Err), true)
	if err := write(c, true); err != nil {
		return err
	}
	note := ""
	if c.Short {
		note = " (the run is too short for the automatic window: a lower bound)"
	}
	fmt.Fprintf(stdout, "%s: τ_int(m²) = %.1f ± %.1f steps over %d steps%s; %.0f force evaluations and %.3g ms per step; per independent sample %.0f and %.3g s; ⟨φ²⟩ %.4f, Binder %.4f\n",
		*out, c.Tau.Tau, c.Tau.Err, c.Steps, note, c.GradPerStep, c.SecondsPerStep*1e3, c.GradPerSample(), c.SecondsPerSample(), c.Moments.Phi2(), c.Moments.Binder())
	return nil
}
