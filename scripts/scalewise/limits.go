package main

import (
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"

	"scalewise/engine/field"
)

// Limits on the sizes a flag or a file can ask for. Each is checked before
// anything of that size is allocated, and the error names the limit.
const (
	// maxWorkers bounds --workers (each worker has its own scratch).
	maxWorkers = 1024
	// maxTrainSteps bounds train --steps (and rg's MALA steps per factor
	// have the same bound).
	maxTrainSteps = 10_000_000
	// maxTrainBatch bounds train --batch.
	maxTrainBatch = 4096
	// maxTrainMemory bounds the estimated memory of a training run
	// (trainMemory): parameters, gradients, Adam's moments and the
	// activations of a batch.
	maxTrainMemory = 16 << 30
	// maxValImages bounds train --val (images per noise level; validation
	// runs in chunks, so this bounds time, not memory).
	maxValImages = 100_000
	// maxEvalPixels bounds denoise-eval --n × size²: the classical
	// baselines are tuned on the whole held-out set at once, several
	// float64 copies of it.
	maxEvalPixels = 1 << 24
	// maxStackValues bounds the values of a stack of sampled fields
	// (phi4 sample, rg sample, rg validate): n·L² float64, 512 MiB.
	maxStackValues = 1 << 26
	// maxSynthMemory and maxSynthHistory bound scat synth --memory: the
	// L-BFGS history holds 2·memory vectors of N² float64.
	maxSynthMemory  = 1000
	maxSynthHistory = 1 << 30
	// maxSynthIters bounds the L-BFGS iterations of scat synth and scat
	// validate.
	maxSynthIters = 1_000_000
	// maxRegularitySeeds bounds scat regularity --seeds.
	maxRegularitySeeds = 10_000
	// maxCostSteps and maxCostSeconds bound phi4 cost --max-steps (the
	// chain's m² series is kept, 8 bytes a step) and --seconds (30 days).
	maxCostSteps   = 100_000_000
	maxCostSeconds = 30 * 24 * 3600
	// maxCalibration bounds rg fit --calibration.
	maxCalibration = 100
	// maxStartMagnitude bounds the values of phi4 cost --start: starts up
	// to 1e25 relax within the burn-in, one near 3e76 stalls the chain.
	maxStartMagnitude = 1e30
)

// checkFiniteFlags returns an error naming the first flag of fs whose value
// is a NaN or infinite float64. parseAnyPositional calls it, so that every
// float flag of every command rejects NaN and ±Inf.
func checkFiniteFlags(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		g, ok := f.Value.(flag.Getter)
		if !ok || err != nil {
			return
		}
		if v, ok := g.Get().(float64); ok && !isFinite(v) {
			err = fmt.Errorf("--%s %v: not a finite number (NaN and ±Inf are rejected)", f.Name, v)
		}
	})
	return err
}

// parseFiniteFloat parses one number s of a list flag (--sigmas,
// --weights) whose whole value is list, rejecting NaN and ±Inf.
func parseFiniteFloat(flagName, list, s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("--%s %q: %q is not a number", flagName, list, s)
	}
	if !isFinite(v) {
		return 0, fmt.Errorf("--%s %q: %q is not a finite number (NaN and ±Inf are rejected)", flagName, list, s)
	}
	return v, nil
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// checkIntFlag returns an error unless lo ≤ v ≤ hi, naming the flag and the
// range; what says what the flag counts.
func checkIntFlag(name string, v, lo, hi int, what string) error {
	if v < lo || v > hi {
		return fmt.Errorf("--%s %d: want %d to %d %s", name, v, lo, hi, what)
	}
	return nil
}

// checkWorkers checks a --workers flag where 0 means all cores.
func checkWorkers(v int) error {
	return checkIntFlag("workers", v, 0, maxWorkers, "goroutines (0: all cores)")
}

// checkStackSize checks that n fields of l×l (a --n flag) stay within
// maxStackValues.
func checkStackSize(n, l int) error {
	if n < 1 {
		return fmt.Errorf("--n %d: the number of samples must be positive", n)
	}
	if l < 1 || l > 1<<13 {
		return fmt.Errorf("lattice side %d: want 1 to %d", l, 1<<13)
	}
	if most := maxStackValues / (l * l); n > most {
		return fmt.Errorf("--n %d: %d samples of %d×%d are more than %d values (%d MiB of float64); at most %d samples",
			n, n, l, l, maxStackValues, maxStackValues*8>>20, most)
	}
	return nil
}

// largestMagnitude returns max |x_i| over the finite values of x.
func largestMagnitude(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		if isFinite(v) {
			m = math.Max(m, math.Abs(v))
		}
	}
	return m
}

// checkWritable returns an error unless every value of out is finite and,
// for dt Float32, within the float32 range, so that a command never writes
// a NaN or an infinity (a float64 beyond ±3.4e38 becomes ±Inf as float32).
// src names the input responsible and how it is out of range, e.g.
// "in.npy (values up to 1.5e+308)"; what names the output values.
func checkWritable(out []float64, dt field.DType, src, what string) error {
	if err := outOfRange(out, dt, src, what); err != nil {
		return fmt.Errorf("%w; nothing written", err)
	}
	return nil
}

// checkFiniteValues returns an error naming the first NaN or infinite value
// of vals (statistics to print or record), like checkWritable.
func checkFiniteValues(vals []float64, src, what string) error {
	return outOfRange(vals, field.Float64, src, what)
}

func outOfRange(out []float64, dt field.DType, src, what string) error {
	for i, v := range out {
		switch {
		case !isFinite(v):
			return fmt.Errorf("%s is out of range: %s %d would be %v", src, what, i, v)
		case dt == field.Float32 && math.Abs(v) > math.MaxFloat32:
			return fmt.Errorf("%s is out of range: %s %d is %.4g, beyond float32 (±%.4g)", src, what, i, v, math.MaxFloat32)
		}
	}
	return nil
}

// valuesUpTo describes an input file by its largest magnitude, for the
// errors of checkWritable.
func valuesUpTo(path string, data []float64) string {
	return fmt.Sprintf("%s (values up to %.4g)", path, largestMagnitude(data))
}
