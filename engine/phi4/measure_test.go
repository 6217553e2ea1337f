package phi4

import (
	"os"
	"strconv"
	"testing"
)

// TestMeasureCost measures τ_int(m²) and the cost per independent sample of
// one sampler configuration. It runs only when PHI4_MEASURE is set, with
//
//	PHI4_L (16), PHI4_BETA (0.68), PHI4_KIND (hmc|fahmc|mala|cluster), PHI4_LEAPFROG
//	(0: default), PHI4_T (0: default trajectory length), PHI4_MASS2 (0:
//	adaptive), PHI4_SECONDS (60), PHI4_STEPS (10⁷, the most steps),
//	PHI4_SEED (1),
//
// e.g. PHI4_MEASURE=1 PHI4_L=32 PHI4_KIND=fahmc go test -run MeasureCost -v.
// After the warm-up and a burn-in of 5000 steps it runs MeasureCost for
// PHI4_SECONDS and logs one line of results.
func TestMeasureCost(t *testing.T) {
	if os.Getenv("PHI4_MEASURE") == "" {
		t.Skip("set PHI4_MEASURE=1 to measure")
	}
	num := func(k string, d float64) float64 {
		if v, err := strconv.ParseFloat(os.Getenv(k), 64); err == nil {
			return v
		}
		return d
	}
	kind, err := ParseKind(os.Getenv("PHI4_KIND"))
	if err != nil {
		t.Fatal(err)
	}
	m := Model{L: int(num("PHI4_L", 16)), Beta: num("PHI4_BETA", 0.68)}
	opts := DefaultOptions(kind)
	if n := int(num("PHI4_LEAPFROG", 0)); n > 0 {
		opts.Leapfrog, opts.TrajectoryLength = n, 0
	}
	if tl := num("PHI4_T", 0); tl > 0 {
		opts.TrajectoryLength = tl
	}
	opts.Mass2 = num("PHI4_MASS2", 0)
	budget := num("PHI4_SECONDS", 60)
	maxSteps := int(num("PHI4_STEPS", 1e7))
	s, err := NewSampler(kind, m, opts, uint64(num("PHI4_SEED", 1)))
	if err != nil {
		t.Fatal(err)
	}
	c, err := MeasureCost(s, 5000, budget, maxSteps, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	note := ""
	if c.Short {
		note = " (series too short for the automatic window)"
	}
	ac := c.Tau
	t.Logf("RESULT L=%d kind=%v N=%d m2=%.3g eps=%.4g acc=%.3f steps=%d tau=%.1f±%.1f (W=%d, steps/tau=%.0f) grad/step=%.0f us/step=%.1f grad/indep=%.0f ms/indep=%.3g phi2=%.4f U=%.4f%s",
		m.L, kind, c.Leapfrog, c.Mass2, c.StepSize, c.Acceptance, c.Steps, ac.Tau, ac.Err, ac.Window, float64(c.Steps)/ac.Tau,
		c.GradPerStep, c.SecondsPerStep*1e6, c.GradPerSample(), c.SecondsPerSample()*1e3, c.Moments.Phi2(), c.Moments.Binder(), note)
}
