package phi4

import (
	"os"
	"strconv"
	"testing"
	"time"
)

// TestMeasureCost measures τ_int(m²) and the cost per independent sample of
// one sampler configuration. It runs only when PHI4_MEASURE is set, with
//
//	PHI4_L (16), PHI4_BETA (0.68), PHI4_KIND (hmc|fahmc|mala), PHI4_LEAPFROG
//	(0: default), PHI4_T (0: default trajectory length), PHI4_MASS2 (0:
//	adaptive), PHI4_SECONDS (60), PHI4_STEPS (10⁷, the most steps),
//	PHI4_SEED (1),
//
// e.g. PHI4_MEASURE=1 PHI4_L=32 PHI4_KIND=fahmc go test -run MeasureCost -v.
// After the warm-up and a burn-in of 5000 steps (or 10% of the budget) it
// runs the chain for PHI4_SECONDS and logs one line of results.
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
	t0 := time.Now()
	if err := s.WarmUp(nil); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5000 && time.Since(t0).Seconds() < budget/10 && s.Step(); i++ {
	}
	w0 := s.Work()
	var mom Moments
	series := make([]float64, 0, 1<<16)
	start := time.Now()
	for len(series) < maxSteps && s.Step() {
		f := s.Field()
		mg := Magnetisation(f)
		series = append(series, mg*mg)
		mom.Add(f)
		if len(series)%64 == 0 && time.Since(start).Seconds() > budget {
			break
		}
	}
	el := time.Since(start).Seconds()
	w := s.Work()
	steps := float64(w.Steps - w0.Steps)
	gps, sps := (w.GradEvals-w0.GradEvals)/steps, el/steps
	ac, err := TauInt(series, DefaultWindowC)
	note := ""
	if err != nil {
		note = " (" + err.Error() + ")"
	}
	m2, nlf := 0.0, 0
	if h, ok := s.(*HMC); ok {
		m2, nlf = h.Mass2(), h.Leapfrog()
	}
	t.Logf("RESULT L=%d kind=%v N=%d m2=%.3g eps=%.4g acc=%.3f steps=%d tau=%.1f±%.1f (W=%d, steps/tau=%.0f) grad/step=%.0f us/step=%.1f grad/indep=%.0f ms/indep=%.3g phi2=%.4f U=%.4f%s",
		m.L, kind, nlf, m2, s.StepSize(), s.Acceptance(), len(series), ac.Tau, ac.Err, ac.Window, float64(len(series))/ac.Tau,
		gps, sps*1e6, 2*ac.Tau*gps, 2*ac.Tau*sps*1e3, mom.Phi2(), mom.Binder(), note)
}
