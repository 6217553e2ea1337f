package compute

import (
	"fmt"
	"math"

	"scalewise/engine/field"
	"scalewise/engine/phi4"
	"scalewise/engine/polyspectra"
)

// rgTruth is what the page shows of the ground truth for one L.
type rgTruth struct {
	samples  []*field.Field
	phi2     float64
	edges    []float64
	density  []float64
	k, power []float64 // the radial bins that hold wave vectors
	keep     []int     // their indices among all bins
	// floor is the power floor of the spectrum comparison: 0 for φ⁴,
	// polyspectra.SpectrumFloor·σ² of the truth for the other fields (the
	// dealiased corners of turbulence hold no power at all; see
	// meanAbsLogRatio).
	floor float64
}

// groundTruth returns the true samples of field type f at side L and
// their statistics: φ⁴'s shipped MCMC samples, the held-out turbulence
// snapshots, or held-out C^α images.
func (s *RGSession) groundTruth(f *rgFieldSpec, L int) (*rgTruth, error) {
	key := fmt.Sprintf("%s/%d", f.name, L)
	if t, ok := s.truth[key]; ok {
		return t, nil
	}
	var fs []*field.Field
	var err error
	switch {
	case f.name == RGFieldPhi4 && s.src.Samples != nil:
		fs, err = s.src.Samples(L)
	case f.name != RGFieldPhi4 && s.src.Fields != nil && s.src.Fields.Truth != nil:
		fs, err = s.src.Fields.Truth(f.name, L)
	default:
		return nil, fmt.Errorf("no ground-truth samples of %s in this build", f.name)
	}
	if err != nil {
		return nil, err
	}
	if len(fs) == 0 {
		return nil, fmt.Errorf("no ground-truth samples of %s for L=%d", f.name, L)
	}
	t := &rgTruth{samples: fs}
	var mom phi4.Moments
	hist, spec, err := newRGStats(f, L)
	if err != nil {
		return nil, err
	}
	var sum, sum2, n float64
	for i, f := range fs {
		for _, v := range f.Data {
			sum, sum2, n = sum+v, sum2+v*v, n+1
		}
		if f.W != L || f.H != L {
			return nil, fmt.Errorf("ground-truth sample %d is %d×%d, not %d×%d", i, f.W, f.H, L, L)
		}
		if err := f.CheckFinite(); err != nil {
			return nil, fmt.Errorf("ground-truth sample %d: %w", i, err)
		}
		if err := mom.Add(f); err != nil {
			return nil, err
		}
		hist.Add(f.Data)
		if err := spec.Add(f.Data); err != nil {
			return nil, err
		}
	}
	t.phi2 = mom.Phi2()
	if f.name != RGFieldPhi4 {
		mean := sum / n
		t.floor = polyspectra.SpectrumFloor * (sum2/n - mean*mean)
	}
	t.edges, t.density = hist.Edges(), hist.Density()
	k, power := spec.Result()
	for i := range k {
		if !math.IsNaN(power[i]) && !math.IsInf(power[i], 0) {
			t.keep = append(t.keep, i)
			t.k, t.power = append(t.k, k[i]), append(t.power, power[i])
		}
	}
	s.truth[key] = t
	return t, nil
}

// newRGStats returns the one-point marginal on the fixed bins of field
// type f and the radial power spectrum of L×L fields.
func newRGStats(f *rgFieldSpec, L int) (*polyspectra.Marginal, *polyspectra.RadialSpectrum, error) {
	edges, err := polyspectra.UniformEdges(f.histLo, f.histHi, rgHistBins)
	if err != nil {
		return nil, nil, err
	}
	h, err := polyspectra.NewMarginal(edges)
	if err != nil {
		return nil, nil, err
	}
	sp, err := polyspectra.NewRadialSpectrum(L, spectrumBins(L))
	if err != nil {
		return nil, nil, err
	}
	return h, sp, nil
}
