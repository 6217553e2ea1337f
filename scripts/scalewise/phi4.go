package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"scalewise/engine/field"
	"scalewise/engine/phi4"
)

// phi4Usage is the usage line of the phi4 command.
const phi4Usage = "phi4 sample --L 64 --beta 0.68 --n 1000 --seed 1 [--sampler fahmc|hmc|mala] --out phi4.npy"

// runPhi4 runs a phi4 subcommand; "sample" draws decorrelated samples of
// the lattice φ⁴ theory (engine/phi4) and writes them as an (n, L, L)
// float32 .npy stack.
func runPhi4(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("want a subcommand: %s", phi4Usage)
	}
	switch args[0] {
	case "sample":
		return runPhi4Sample(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stderr, "usage: scalewise "+phi4Usage)
		return flag.ErrHelp
	}
	return fmt.Errorf("unknown subcommand %q (want sample)", args[0])
}

// runPhi4Sample is "scalewise phi4 sample".
func runPhi4Sample(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("phi4 sample", flag.ContinueOnError)
	l := fs.Int("L", 64, "lattice side, a power of two from 8 to 256")
	beta := fs.Float64("beta", 0.68, "coupling β > 0")
	n := fs.Int("n", 1000, "number of samples")
	seed := fs.Uint64("seed", 1, "random seed")
	sampler := fs.String("sampler", "fahmc", "sampler: fahmc, hmc or mala")
	out := fs.String("out", "", "output .npy file")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	model := phi4.Model{L: *l, Beta: *beta}
	if err := model.Validate(); err != nil {
		return err
	}
	if *n <= 0 {
		return fmt.Errorf("--n %d: the number of samples must be positive", *n)
	}
	kind, err := phi4.ParseKind(*sampler)
	if err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out is required")
	}
	if !strings.EqualFold(filepath.Ext(*out), ".npy") {
		return fmt.Errorf("--out %q must end in .npy", *out)
	}
	if st, err := os.Stat(filepath.Dir(*out)); err != nil || !st.IsDir() {
		return fmt.Errorf("--out %q: directory %q does not exist", *out, filepath.Dir(*out))
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
	if err := field.WriteArrayFile(*out, arr, field.Float32); err != nil {
		return err
	}

	unit := "trajectories"
	if kind == phi4.KindMALA {
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
	fmt.Fprintf(stderr, "cost: %.0f force evaluations and %.3g ms per step; per independent sample (2τ_int) %.0f and %.3g s\n",
		d.GradPerStep, d.SecondsPerStep*1e3, d.GradPerSample(), d.SecondsPerSample())
	mo := &d.Moments
	fmt.Fprintf(stderr, "over %d steps: ⟨φ²⟩ = %.4f, ⟨|m|⟩ = %.4f, ⟨m²⟩ = %.4f, Binder U = %.4f\n",
		mo.N(), mo.Phi2(), mo.AbsM(), mo.M2(), mo.Binder())
	var ks phi4.Moments
	for _, f := range d.Fields {
		if err := ks.Add(f); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "over the %d samples: ⟨φ²⟩ = %.4f, ⟨m²⟩ = %.4f, Binder U = %.4f\n", ks.N(), ks.Phi2(), ks.M2(), ks.Binder())
	fmt.Fprintf(stdout, "wrote %s: (%d, %d, %d) float32\n", *out, *n, *l, *l)
	return nil
}
