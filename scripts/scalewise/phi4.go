package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"scalewise/engine/field"
	"scalewise/engine/phi4"
)

// phi4Usage is the usage line of the phi4 command.
const phi4Usage = "phi4 sample --L 64 --beta 0.68 --n 1000 --seed 1 [--sampler fahmc|hmc|mala|cluster] --out phi4.npy | " +
	"phi4 cost --L 128 --sampler fahmc --seconds 3600 [--start phi4.npy] --out cost.json"

// runPhi4 runs a phi4 subcommand: "sample" draws decorrelated samples of
// the lattice φ⁴ theory (engine/phi4) as an (n, L, L) float32 .npy stack,
// "cost" measures one sampler's τ_int and cost per independent sample.
func runPhi4(args []string, stdout, stderr io.Writer) error {
	return runSubcommand(phi4Usage, []subcommand{{"sample", runPhi4Sample}, {"cost", runPhi4Cost}}, args, stdout, stderr)
}

// runPhi4Sample is "scalewise phi4 sample".
func runPhi4Sample(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("phi4 sample", flag.ContinueOnError)
	l := fs.Int("L", 64, "lattice side, a power of two from 8 to 256")
	beta := fs.Float64("beta", 0.68, "coupling β > 0")
	n := fs.Int("n", 1000, "number of samples")
	seed := fs.Uint64("seed", 1, "random seed")
	sampler := fs.String("sampler", "fahmc", "sampler: fahmc, hmc, mala or cluster")
	out := fs.String("out", "", "output .npy file")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	model := phi4.Model{L: *l, Beta: *beta}
	if err := model.Validate(); err != nil {
		return err
	}
	if err := checkStackSize(*n, *l); err != nil {
		return err
	}
	kind, err := phi4.ParseKind(*sampler)
	if err != nil {
		return err
	}
	if err := checkOut(*out, ".npy"); err != nil {
		return err
	}

	fmt.Fprintf(stderr, "phi4: L=%d β=%g, %s sampler, %d samples, seed %d\n", *l, *beta, kind, *n, *seed)
	var (
		bar      *progress
		phase    string
		barTotal int
	)
	d, err := phi4.SampleDecorrelated(model, kind, *n, *seed, func(p phi4.Progress) {
		// One bar per phase (and per pilot length, which may grow); a bar
		// always prints its last, complete state.
		if p.Phase != phase || p.Total != barTotal {
			bar, phase, barTotal = newProgress(stderr, p.Total), p.Phase, p.Total
		}
		status := p.Phase
		if p.Tau > 0 {
			status += fmt.Sprintf(" τ_int %.1f", p.Tau)
		}
		bar.update(p.Done, status, false)
	})
	if err != nil {
		return err
	}
	arr, err := field.StackArray(d.Fields)
	if err != nil {
		return err
	}
	src := fmt.Sprintf("the %s chain at β = %g", kind, *beta)
	if err := checkWritable(arr.Data, field.Float32, src, "sample value"); err != nil {
		return err
	}
	var ks phi4.Moments
	for _, f := range d.Fields {
		if err := ks.Add(f); err != nil {
			return err
		}
	}
	mo := &d.Moments
	stats := phi4SampleStats{
		L: *l, Beta: *beta, Sampler: kind.String(), N: *n, Seed: *seed,
		StepSize: d.StepSize, Leapfrog: d.Leapfrog, Mass2: d.Mass2, Acceptance: d.Acceptance,
		TauInt: d.Tau.Tau, TauIntErr: d.Tau.Err, TauIntAll: d.TauAll.Tau, Spacing: d.Spacing, PilotSteps: d.PilotSteps,
		GradPerStep: d.GradPerStep, SecondsPerStep: d.SecondsPerStep,
		GradPerSample: d.GradPerSample(), SecondsPerSample: d.SecondsPerSample(),
		ChainPhi2: mo.Phi2(), ChainBinder: mo.Binder(), SamplesPhi2: ks.Phi2(), SamplesBinder: ks.Binder(),
		Command: "scalewise " + strings.Join(append([]string{"phi4", "sample"}, args...), " "), Version: Version,
	}
	// The sidecar is encoded before anything is written: a statistic that
	// is not finite (JSON has no NaN) leaves no half of the output behind.
	statsPath := strings.TrimSuffix(*out, filepath.Ext(*out)) + ".json"
	b, err := json.MarshalIndent(stats, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: the chain's statistics: %w; nothing written", src, err)
	}
	if err := field.WriteArrayFile(*out, arr, field.Float32); err != nil {
		return err
	}

	unit := "trajectories"
	if kind == phi4.KindMALA || kind == phi4.KindCluster {
		unit = "sweeps"
	}
	fmt.Fprintf(stderr, "step size %.4g", d.StepSize)
	if d.Leapfrog > 0 {
		fmt.Fprintf(stderr, ", %d leapfrog steps", d.Leapfrog)
	}
	if kind == phi4.KindFAHMC {
		fmt.Fprintf(stderr, ", mass term m² = %.4g", d.Mass2)
	}
	fmt.Fprintf(stderr, ", acceptance %.3f\n", d.Acceptance)
	fmt.Fprintf(stderr, "τ_int(m²) = %.1f ± %.1f %s (pilot of %d), spacing %d; over the whole run %.1f ± %.1f\n",
		d.Tau.Tau, d.Tau.Err, unit, d.PilotSteps, d.Spacing, d.TauAll.Tau, d.TauAll.Err)
	if 2*d.TauAll.Tau > float64(d.Spacing) {
		fmt.Fprintf(stderr, "note: the whole run's τ_int (%.1f) exceeds the pilot's: the samples are %d steps apart, %.2f τ_int; every %d-th sample is at least 2τ_int apart\n",
			d.TauAll.Tau, d.Spacing, float64(d.Spacing)/d.TauAll.Tau, int(math.Ceil(2*d.TauAll.Tau/float64(d.Spacing))))
	}
	fmt.Fprintf(stderr, "cost: %.0f force evaluations and %.3g ms per step; per independent sample (2τ_int) %.0f and %.3g s\n",
		d.GradPerStep, d.SecondsPerStep*1e3, d.GradPerSample(), d.SecondsPerSample())
	fmt.Fprintf(stderr, "over %d steps: ⟨φ²⟩ = %.4f, ⟨|m|⟩ = %.4f, ⟨m²⟩ = %.4f, Binder U = %.4f\n",
		mo.N(), mo.Phi2(), mo.AbsM(), mo.M2(), mo.Binder())
	fmt.Fprintf(stderr, "over the %d samples: ⟨φ²⟩ = %.4f, ⟨m²⟩ = %.4f, Binder U = %.4f\n", ks.N(), ks.Phi2(), ks.M2(), ks.Binder())
	if err := os.WriteFile(statsPath, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: (%d, %d, %d) float32, and the chain's statistics to %s\n", *out, *n, *l, *l, statsPath)
	return nil
}

// phi4SampleStats is the sidecar OUT.json that "phi4 sample" writes beside
// OUT.npy: the sampler's settings and its measured cost per independent
// sample, which "rg validate" uses as the MCMC side of the cost ratio.
type phi4SampleStats struct {
	L                int     `json:"L"`
	Beta             float64 `json:"beta"`
	Sampler          string  `json:"sampler"`
	N                int     `json:"n"`
	Seed             uint64  `json:"seed"`
	StepSize         float64 `json:"step_size"`
	Leapfrog         int     `json:"leapfrog"`
	Mass2            float64 `json:"mass2"`
	Acceptance       float64 `json:"acceptance"`
	TauInt           float64 `json:"tau_int"`
	TauIntErr        float64 `json:"tau_int_err"`
	TauIntAll        float64 `json:"tau_int_all"`
	Spacing          int     `json:"spacing"`
	PilotSteps       int     `json:"pilot_steps"`
	GradPerStep      float64 `json:"grad_per_step"`
	SecondsPerStep   float64 `json:"seconds_per_step"`
	GradPerSample    float64 `json:"grad_per_sample"`
	SecondsPerSample float64 `json:"seconds_per_sample"`
	ChainPhi2        float64 `json:"chain_phi2"`
	ChainBinder      float64 `json:"chain_binder"`
	SamplesPhi2      float64 `json:"samples_phi2"`
	SamplesBinder    float64 `json:"samples_binder"`
	Command          string  `json:"command"`
	Version          string  `json:"version"`
}
