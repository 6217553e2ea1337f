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
}

func (s *RGSession) groundTruth(L int) (*rgTruth, error) {
	if t, ok := s.truth[L]; ok {
		return t, nil
	}
	if s.src.Samples == nil {
		return nil, fmt.Errorf("no ground-truth samples in this build")
	}
	fs, err := s.src.Samples(L)
	if err != nil {
		return nil, err
	}
	if len(fs) == 0 {
		return nil, fmt.Errorf("no ground-truth samples for L=%d", L)
	}
	t := &rgTruth{samples: fs}
	var mom phi4.Moments
	hist, spec, err := newRGStats(L)
	if err != nil {
		return nil, err
	}
	for i, f := range fs {
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
	t.edges, t.density = hist.Edges(), hist.Density()
	k, power := spec.Result()
	for i := range k {
		if !math.IsNaN(power[i]) && !math.IsInf(power[i], 0) {
			t.keep = append(t.keep, i)
			t.k, t.power = append(t.k, k[i]), append(t.power, power[i])
		}
	}
	s.truth[L] = t
	return t, nil
}

// newRGStats returns the one-point marginal on the scene's fixed bins and
// the radial power spectrum of L×L fields.
func newRGStats(L int) (*polyspectra.Marginal, *polyspectra.RadialSpectrum, error) {
	edges, err := polyspectra.UniformEdges(-rgHistMax, rgHistMax, rgHistBins)
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
