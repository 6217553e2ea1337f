package rg

import (
	"fmt"
	"math"

	"scalewise/engine/field"
	"scalewise/engine/phi4"
	"scalewise/engine/polyspectra"
	"scalewise/engine/wavelet"
)

// compareBins is the number of histogram bins of Compare.
const compareBins = 60

// Comparison holds the validation statistics of generated fields against
// true ones (Marchand, Ozawa, Biroli and Mallat, "Multiscale data-driven
// energy estimation and generation", PRX 13, 041038 (2023), §4.6–4.7).
type Comparison struct {
	// Phi2Gen, Phi2Truth are ⟨φ²⟩ and Phi2RelErr = |gen − truth|/truth.
	Phi2Gen    float64 `json:"phi2_gen"`
	Phi2Truth  float64 `json:"phi2_truth"`
	Phi2RelErr float64 `json:"phi2_rel_err"`
	// BinderGen, BinderTruth are U = 1 − ⟨m⁴⟩/(3⟨m²⟩²) and BinderAbsErr
	// their absolute difference.
	BinderGen    float64 `json:"binder_gen"`
	BinderTruth  float64 `json:"binder_truth"`
	BinderAbsErr float64 `json:"binder_abs_err"`
	// MeanGen, MeanTruth are the mean field values.
	MeanGen   float64 `json:"mean_gen"`
	MeanTruth float64 `json:"mean_truth"`
	// K, SpectrumGen, SpectrumTruth are the radial power spectra (L/2
	// bins of [0, π√2], polyspectra.RadialSpectrum) and
	// SpectrumMeanAbsLogRatio the mean over bins holding modes of
	// |log(P_gen/P_truth)|.
	K                       []float64 `json:"k"`
	SpectrumGen             []float64 `json:"spectrum_gen"`
	SpectrumTruth           []float64 `json:"spectrum_truth"`
	SpectrumMeanAbsLogRatio float64   `json:"spectrum_mean_abs_log_ratio"`
	// HistEdges, HistGen, HistTruth are the one-point marginals (densities
	// on compareBins equal bins spanning the true range widened by 10 %)
	// and HistTV the total-variation distance ½Σ|p_gen − p_truth| between
	// the bin probabilities (values outside the edges form one more bin).
	HistEdges []float64 `json:"hist_edges"`
	HistGen   []float64 `json:"hist_gen"`
	HistTruth []float64 `json:"hist_truth"`
	HistTV    float64   `json:"hist_tv_distance"`
	// ScaleLabels, ScaleStdGen, ScaleStdTruth are the stds of the db4
	// pyramid of the fields, for j = 1..J in turn x_j, H_j, V_j, D_j;
	// ScaleStdRelErr = |gen − truth|/truth and ScaleStdRelErrMax its
	// maximum.
	ScaleLabels       []string  `json:"scale_labels"`
	ScaleStdGen       []float64 `json:"scale_std_gen"`
	ScaleStdTruth     []float64 `json:"scale_std_truth"`
	ScaleStdRelErr    []float64 `json:"scale_std_rel_err"`
	ScaleStdRelErrMax float64   `json:"scale_std_rel_err_max"`
}

// pyramidStds returns the stds of x_j, H_j, V_j, D_j for j = 1..J over the
// fields (about the mean over fields and positions).
func pyramidStds(fs []*field.Field, J int) ([]float64, error) {
	wv, err := wavelet.ByName("db4")
	if err != nil {
		return nil, err
	}
	s1 := make([]float64, 4*J)
	s2 := make([]float64, 4*J)
	cnt := make([]float64, 4*J)
	for _, f := range fs {
		p, err := wavelet.Decompose(wv, f, J)
		if err != nil {
			return nil, err
		}
		for j := 1; j <= J; j++ {
			bands := []*field.Field{p.Approx[j], p.Details[j][0], p.Details[j][1], p.Details[j][2]}
			for b, g := range bands {
				k := 4*(j-1) + b
				for _, v := range g.Data {
					s1[k] += v
					s2[k] += v * v
				}
				cnt[k] += float64(len(g.Data))
			}
		}
	}
	out := make([]float64, 4*J)
	for k := range out {
		m := s1[k] / cnt[k]
		out[k] = math.Sqrt(max(0, s2[k]/cnt[k]-m*m))
	}
	return out, nil
}

// Compare measures generated fields against true ones: ⟨φ²⟩ and the
// Binder cumulant (phi4.Moments), the radial power spectrum
// (polyspectra.RadialSpectrum), the one-point histogram
// (polyspectra.Marginal) and the std of every level of the J-level db4
// pyramid (PRX 13, 041038, §4.6; the authors compare the synthesis std per
// grid size). Both sets must be
// non-empty, finite, of one L×L size (L a power of two) and 1 ≤ J ≤ log₂L.
func Compare(generated, truth []*field.Field, J int) (Comparison, error) {
	var c Comparison
	L, err := checkData(generated, "generated")
	if err != nil {
		return c, err
	}
	Lt, err := checkData(truth, "true")
	if err != nil {
		return c, err
	}
	if L != Lt {
		return c, fmt.Errorf("rg: generated fields are %d×%d but true ones %d×%d", L, L, Lt, Lt)
	}
	if J < 1 || J > log2(L) {
		return c, fmt.Errorf("rg: J = %d must be in [1, %d] for L = %d", J, log2(L), L)
	}
	var mg, mt phi4.Moments
	nb := max(1, L/2)
	sg, err := polyspectra.NewRadialSpectrum(L, nb)
	if err != nil {
		return c, err
	}
	stt, _ := polyspectra.NewRadialSpectrum(L, nb)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, f := range truth {
		a, b := f.MinMax()
		lo, hi = min(lo, a), max(hi, b)
	}
	if !(hi > lo) {
		lo, hi = lo-1, hi+1
	}
	pad := 0.05 * (hi - lo)
	edges, err := polyspectra.UniformEdges(lo-pad, hi+pad, compareBins)
	if err != nil {
		return c, err
	}
	hg, err := polyspectra.NewMarginal(edges)
	if err != nil {
		return c, err
	}
	ht, _ := polyspectra.NewMarginal(edges)
	for _, f := range generated {
		if err := mg.Add(f); err != nil {
			return c, err
		}
		if err := sg.Add(f.Data); err != nil {
			return c, err
		}
		hg.Add(f.Data)
	}
	for _, f := range truth {
		if err := mt.Add(f); err != nil {
			return c, err
		}
		if err := stt.Add(f.Data); err != nil {
			return c, err
		}
		ht.Add(f.Data)
	}
	c.Phi2Gen, c.Phi2Truth = mg.Phi2(), mt.Phi2()
	c.Phi2RelErr = math.Abs(c.Phi2Gen-c.Phi2Truth) / c.Phi2Truth
	c.BinderGen, c.BinderTruth = mg.Binder(), mt.Binder()
	c.BinderAbsErr = math.Abs(c.BinderGen - c.BinderTruth)
	c.MeanGen, c.MeanTruth = mg.M(), mt.M()
	c.K, c.SpectrumGen = sg.Result()
	_, c.SpectrumTruth = stt.Result()
	nk := 0
	for b := range c.K {
		pg, pt := c.SpectrumGen[b], c.SpectrumTruth[b]
		if pg > 0 && pt > 0 && finite(pg) && finite(pt) {
			c.SpectrumMeanAbsLogRatio += math.Abs(math.Log(pg / pt))
			nk++
		}
	}
	if nk > 0 {
		c.SpectrumMeanAbsLogRatio /= float64(nk)
	}
	c.HistEdges = edges
	c.HistGen, c.HistTruth = hg.Density(), ht.Density()
	cg, ct := hg.Counts(), ht.Counts()
	ng, nt := float64(hg.Total()), float64(ht.Total())
	for b := range cg {
		c.HistTV += 0.5 * math.Abs(cg[b]/ng-ct[b]/nt)
	}
	c.HistTV += 0.5 * math.Abs(float64(hg.Outside())/ng-float64(ht.Outside())/nt)
	c.ScaleStdGen, err = pyramidStds(generated, J)
	if err != nil {
		return c, err
	}
	c.ScaleStdTruth, err = pyramidStds(truth, J)
	if err != nil {
		return c, err
	}
	c.ScaleStdRelErr = make([]float64, len(c.ScaleStdGen))
	for k := range c.ScaleStdRelErr {
		c.ScaleLabels = append(c.ScaleLabels, fmt.Sprintf("%s_%d", []string{"x", "H", "V", "D"}[k%4], k/4+1))
		t := c.ScaleStdTruth[k]
		if t > 0 {
			c.ScaleStdRelErr[k] = math.Abs(c.ScaleStdGen[k]-t) / t
		} else {
			c.ScaleStdRelErr[k] = math.Abs(c.ScaleStdGen[k])
		}
		c.ScaleStdRelErrMax = max(c.ScaleStdRelErrMax, c.ScaleStdRelErr[k])
	}
	return c, nil
}
