package basis

import (
	"fmt"
	"math"
)

// Estimate is a Monte Carlo estimate: Value, its standard error StdErr (the
// sample standard deviation over √Probes, or the delta-method equivalent
// for a ratio) and the number of random probes it averages.
type Estimate struct {
	Value  float64 `json:"value"`
	StdErr float64 `json:"se"`
	Probes int     `json:"probes"`
}

// MaxProbes bounds the probes of Trace and Antisymmetry.
const MaxProbes = 1 << 20

// checkProbes returns an error unless 2 ≤ probes ≤ MaxProbes (a standard
// error needs two).
func checkProbes(probes int) error {
	if probes < 2 || probes > MaxProbes {
		return fmt.Errorf("basis: %d probes, want 2 to %d (a standard error needs two)", probes, MaxProbes)
	}
	return nil
}

// meanSE returns the mean of xs and its standard error s/√p with s the
// sample standard deviation (p − 1 degrees of freedom).
func meanSE(xs []float64) (mean, se float64) {
	p := float64(len(xs))
	for _, v := range xs {
		mean += v
	}
	mean /= p
	ss := 0.0
	for _, v := range xs {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / (p - 1) / p)
}
