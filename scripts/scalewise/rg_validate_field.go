package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/polyspectra"
	"scalewise/engine/rg"
)

// rgIncrementLags are the lags, in pixels, of the increment marginals of
// "rg validate --field turbulence".
var rgIncrementLags = []int{1, 4}

// rgFieldCriteria is the text of the pass criteria in the JSON.
var rgFieldCriteria = fmt.Sprintf("for the model with scattering terms, against the truth (one held-out half): spectrum_err ≤ %g; marginal_tv ≤ %g; "+
	"for turbulence increment_tv_max ≤ %g (lags %v, both axes pooled); bispec_err ≤ %g·reference and trispec_err ≤ %g·reference, "+
	"the reference being the other held-out half (an independent sample of the same size as each compared chunk of RG samples); "+
	"the ablation (same hierarchy, no scattering terms) clearly worse: its marginal_tv and trispec_err at least %g times the scattering model's",
	scatValidateMaxSpectrum, scatValidateMaxPDF, scatValidateMaxPDF, rgIncrementLags, float64(scatValidateRefFactor), float64(scatValidateRefFactor),
	float64(scatValidateGaussFactor))

// rgIncrement is the marginal of the increments δ_ℓx(p) = x(p + ℓe) − x(p)
// at one lag ℓ, e over both axes (pooled), of a set against the truth's.
type rgIncrement struct {
	Lag int     `json:"lag"`
	TV  float64 `json:"tv"`
	// Skewness and Flatness (⟨δ³⟩/⟨δ²⟩^{3/2}, ⟨δ⁴⟩/⟨δ²⟩²) of the set's
	// and of the truth's increments.
	Skewness      float64 `json:"skewness"`
	Flatness      float64 `json:"flatness"`
	TruthSkewness float64 `json:"truth_skewness"`
	TruthFlatness float64 `json:"truth_flatness"`
}

// rgFieldStats are the statistics of a set of fields against the truth.
type rgFieldStats struct {
	N int `json:"n"`
	// SpectrumErr is the mean |log ratio| of the mean power spectra over
	// the log-spaced rings of polyspectra (scatValidateBins rings).
	SpectrumErr float64 `json:"spectrum_err"`
	// MarginalTV is the total variation between the pooled one-point
	// marginals (scatValidatePDFBins quantile bins, as scat validate).
	MarginalTV float64 `json:"marginal_tv"`
	// Increments are the increment marginals at rgIncrementLags;
	// IncrementTVMax the largest TV among them.
	Increments     []rgIncrement `json:"increments"`
	IncrementTVMax float64       `json:"increment_tv_max"`
	// BispecErr, TrispecErr and TrispecConnectedErr are the polyspectra
	// errors (Estimator.Compare) of the mean statistics of chunks of
	// Chunk fields against the truth's mean, averaged over the Chunks
	// chunks: the reference is one chunk of the same size, so the two
	// carry the same sampling noise. BispecErrAll and TrispecErrAll are
	// those of all the fields.
	Chunk               int     `json:"chunk"`
	Chunks              int     `json:"chunks"`
	BispecErr           float64 `json:"bispec_err"`
	TrispecErr          float64 `json:"trispec_err"`
	TrispecConnectedErr float64 `json:"trispec_connected_err"`
	BispecErrAll        float64 `json:"bispec_err_all"`
	TrispecErrAll       float64 `json:"trispec_err_all"`
	// Mean and Std are those of the pooled values.
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
	// EnstrophyFlux (turbulence) is the mean enstrophy flux through
	// |q| = L/8 and L/4 (enstrophyFlux).
	EnstrophyFlux []fluxStat `json:"enstrophy_flux,omitempty"`
}

// rgFieldModel is the validation of one model.
type rgFieldModel struct {
	Model      string         `json:"model"`
	Scattering bool           `json:"scattering"`
	Params     rg.ParamCounts `json:"params"`
	FitSeconds float64        `json:"fit_seconds"`
	rgFieldStats
	Acceptance []float64 `json:"rg_acceptance"`
	// SecondsPerSample is the chain time per field, LatticeGradPerSample
	// the work in whole-lattice gradient evaluations (rg.SampleStats);
	// SampleWallSeconds the elapsed time of all the samples.
	SecondsPerSample     float64         `json:"rg_seconds_per_sample"`
	LatticeGradPerSample float64         `json:"rg_lattice_grad_per_sample"`
	SampleWallSeconds    float64         `json:"sample_wall_seconds"`
	CostRatioSeconds     float64         `json:"cost_ratio_seconds,omitempty"`
	Checks               map[string]bool `json:"checks"`
	Failed               []string        `json:"failed,omitempty"`
	Pass                 bool            `json:"pass"`
}

// rgSynthCost is the cost of one microcanonical synthesis of a field of
// the same size (scat synth at its default settings).
type rgSynthCost struct {
	Target     string  `json:"target"`
	Setting    string  `json:"setting"`
	Iterations int     `json:"iterations"`
	Status     string  `json:"status"`
	RelError   float64 `json:"rel_error"`
	Seconds    float64 `json:"seconds"`
}

// rgFieldValidation is the JSON of "rg validate --field".
type rgFieldValidation struct {
	Field       string       `json:"field"`
	Description string       `json:"description"`
	L           int          `json:"L"`
	D           int          `json:"d"`
	Seed        uint64       `json:"seed"`
	Truth       string       `json:"truth"`
	Ref         string       `json:"reference_set"`
	Bins        int          `json:"bins"`
	PDFBins     int          `json:"pdf_bins"`
	Criteria    string       `json:"criteria"`
	Scattering  rgFieldModel `json:"scattering"`
	Ablation    rgFieldModel `json:"ablation"`
	Reference   rgFieldStats `json:"reference"`
	// TruthEnstrophyFlux (turbulence) is the truth's enstrophy flux.
	TruthEnstrophyFlux []fluxStat   `json:"truth_enstrophy_flux,omitempty"`
	Synth              *rgSynthCost `json:"microcanonical_synthesis,omitempty"`
	// Microcanonical (rg validate --microcanonical K) is the peer: K
	// microcanonical syntheses compared with the truth alike.
	Microcanonical *rgMicrocanonical `json:"microcanonical,omitempty"`
	// Conditional, with rg validate --conditional, says which factor was
	// redrawn in the reference fields instead of drawing full samples.
	Conditional *rgConditional  `json:"conditional,omitempty"`
	Worse       map[string]bool `json:"ablation_clearly_worse"`
	Failed      []string        `json:"failed,omitempty"`
	Pass        bool            `json:"pass"`
	Seconds     float64         `json:"seconds"`
	Version     string          `json:"version"`
}

// rgConditional are the flags of rg validate --conditional.
type rgConditional struct {
	Level int    `json:"level"` // j of the factor redrawn (0: full samples)
	From  string `json:"from"`  // "zero" or "data"
	Steps int    `json:"steps"` // MALA steps per chain (0: the factor's)
}

// check validates the flags for an L×L field with n compared fields and
// len(ref) reference fields.
func (c rgConditional) check(fs *flag.FlagSet, L, n, nref int, synth bool) error {
	if c.Level == 0 {
		return fieldOnly(fs, "need --conditional", "conditional-from", "conditional-steps")
	}
	J := bits.Len(uint(L)) - 1 // L is a power of two
	if c.Level < 1 || c.Level > J {
		return fmt.Errorf("--conditional %d: want a level from 1 (the finest) to %d", c.Level, J)
	}
	if c.From != "zero" && c.From != "data" {
		return fmt.Errorf("--conditional-from %q: want zero or data", c.From)
	}
	if err := checkIntFlag("conditional-steps", c.Steps, 0, 1<<20, "MALA steps per chain (0: the factor's)"); err != nil {
		return err
	}
	if flagBool(fs, "record") {
		return errors.New("--conditional measures one factor, not the model's samples: drop --record")
	}
	if synth && flagGiven(fs, "synth") {
		return errors.New("--conditional has no synthesis to time: drop --synth")
	}
	if n > nref {
		return fmt.Errorf("--conditional redraws a factor in --n of the %d reference fields: want --n ≤ %d", nref, nref)
	}
	return nil
}

// flagGiven reports whether the flag name was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// resampleWithProgress redraws the factor of level c.Level of model m in
// the fields (rg.Model.ResampleFactor) and returns them with the
// statistics of Sample: the acceptance of that factor only.
func resampleWithProgress(m *rg.Model, fields []*field.Field, c rgConditional, seed uint64, workers int, stderr io.Writer, what string) ([]*field.Field, rg.SampleStats, error) {
	i := m.J + 1 - c.Level
	if i < 1 || i >= len(m.Scales) {
		return nil, rg.SampleStats{}, fmt.Errorf("--conditional %d: the model has levels 1..%d", c.Level, m.J)
	}
	fmt.Fprintf(stderr, "%s: redrawing the details of level %d (factor %d, chains from %s)\n", what, c.Level, i, c.From)
	t0 := time.Now()
	var bar *progress
	out, acc, err := m.ResampleFactor(fields, i, rg.ResampleOptions{Seed: seed, FromData: c.From == "data", Steps: c.Steps,
		Progress: func(done, total int) {
			if bar == nil {
				bar = newProgress(stderr, total)
			}
			bar.update(done, "fields", done == total)
		}}, workers)
	if err != nil {
		return nil, rg.SampleStats{}, err
	}
	st := rg.SampleStats{N: len(out), Acceptance: make([]float64, len(m.Scales)), StepSize: make([]float64, len(m.Scales))}
	for _, a := range acc {
		st.Acceptance[i] += a / float64(len(acc))
	}
	st.WallSeconds = time.Since(t0).Seconds()
	w := workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	st.SecondsPerSample = st.WallSeconds * float64(min(w, len(out))) / float64(len(out)) // wall time × lanes per field
	return out, st, nil
}

// runRGValidateField is "scalewise rg validate --field turbulence|calpha|drawings":
// the model with scattering terms and the ablation (fitted here, or read
// from --model and --ablation) each draw n fields, which are compared
// with held-out fields (the truth) by the statistics of scat validate
// (engine/polyspectra), beside an independent held-out set of the same
// law (the reference), with the criteria of rgFieldCriteria.
//
// Turbulence: the held-out snapshots of the data are split in halves,
// the first the truth and the second the reference. C^α: the truth and
// the reference are --held images each, seeds from denoise.HeldOutSeed;
// drawings alike (denoise.Dataset of kind "drawing").
// The bispectrum and trispectrum errors are those of the means over sets
// of equal size (the reference's), so that the generated chunks and the
// reference carry the same sampling noise.
//
// The cost of a sample is set against that of one microcanonical
// synthesis (scattering.Synthesis at the defaults of scat synth) of a
// field of the same size, the first truth field as its target, timed in
// the same process. With micro.K > 0 the peer, micro.K such syntheses from
// the first training fields (microcanonicalSet), is validated beside them.
func runRGValidateField(fs *flag.FlagSet, ff rgFieldFlags, model, ablation, data, outDir string, n, held int, seed uint64, workers int, synth bool, micro rgPeerFlags, asJSON bool,
	cond rgConditional, stdout, stderr io.Writer) error {
	if err := fieldOnly(fs, "apply to φ⁴ only (--field phi4)", "scaling"); err != nil {
		return err
	}
	record := flagBool(fs, "record")
	if record && (model == "" || ablation == "") {
		return errors.New("--record stores the metrics of the model files: give --model and --ablation")
	}
	if *ff.land != "" && !record {
		return errors.New("--land needs --record")
	}
	if *ff.field == rgFieldTurbulence {
		if err := fieldOnly(fs, "apply to --field calpha|drawings only", "held"); err != nil {
			return err
		}
	}
	if err := ff.check(); err != nil {
		return err
	}
	if err := checkIntFlag("held", held, 4, 1<<16, "held-out images (two halves: truth and reference)"); err != nil {
		return err
	}
	if outDir != "" {
		if st, err := os.Stat(outDir); err != nil || !st.IsDir() {
			return fmt.Errorf("--out-dir %q is not a directory", outDir)
		}
	}
	fams, err := parseFamilies(*ff.families)
	if err != nil {
		return err
	}
	start := time.Now()
	su, err := rgFieldSetupFor(*ff.field, data, *ff.alpha, *ff.l, *ff.fitN, workers)
	if err != nil {
		return err
	}
	if strings.TrimSpace(*ff.families) != "" && model != "" {
		return errors.New("--families sets the model fitted in the run: drop it with --model")
	}
	su.setFitFlags(ff, fams)
	if err := checkStackSize(n, su.L); err != nil {
		return err
	}
	var truth, ref []*field.Field
	var truthDesc, refDesc string
	switch su.name {
	case rgFieldTurbulence:
		h := len(su.held) / 2
		truth, ref = su.held[:h], su.held[h:]
		truthDesc = fmt.Sprintf("held-out snapshots 0..%d of %s", h-1, su.prov["data"])
		refDesc = fmt.Sprintf("held-out snapshots %d..%d of %s", h, len(su.held)-1, su.prov["data"])
	case rgFieldCAlpha:
		if err := checkStackSize(held, su.L); err != nil {
			return err
		}
		h := held / 2
		all, err := calphaImages(su.L, *ff.alpha, denoise.HeldOutSeed, 2*h, workers)
		if err != nil {
			return err
		}
		truth, ref = all[:h], all[h:]
		truthDesc = fmt.Sprintf("C^α images of seeds 2^40 + 0..%d", h-1)
		refDesc = fmt.Sprintf("C^α images of seeds 2^40 + %d..%d", h, 2*h-1)
	case rgFieldDrawings:
		if err := checkStackSize(held, su.L); err != nil {
			return err
		}
		h := held / 2
		all, err := drawingImages(su.L, denoise.HeldOutSeed, 2*h, workers)
		if err != nil {
			return err
		}
		truth, ref = all[:h], all[h:]
		truthDesc = fmt.Sprintf("drawings of seeds 2^40 + 0..%d", h-1)
		refDesc = fmt.Sprintf("drawings of seeds 2^40 + %d..%d", h, 2*h-1)
	}
	if err := cond.check(fs, su.L, n, len(ref), synth); err != nil {
		return err
	}
	if cond.Level > 0 {
		synth = false
	}
	if err := micro.check(fs, cond, len(su.fit)); err != nil {
		return err
	}
	v := &rgFieldValidation{Field: su.name, Description: su.desc, L: su.L, D: su.L * su.L, Seed: seed,
		Truth: truthDesc, Ref: refDesc, Bins: scatValidateBins(su.L), PDFBins: scatValidatePDFBins(su.L),
		Criteria: rgFieldCriteria, Worse: map[string]bool{}, Version: Version}
	cmp, err := newRGComparer(su.name, truth, len(ref))
	if err != nil {
		return err
	}
	if v.Reference, err = cmp.stats(ref); err != nil {
		return err
	}
	v.TruthEnstrophyFlux = cmp.flux
	for k, mp := range []string{model, ablation} {
		scat := k == 0
		res := &v.Scattering
		if !scat {
			res = &v.Ablation
		}
		var m *rg.Model
		if mp != "" {
			if m, err = readModelFile(mp); err != nil {
				return err
			}
			if err := checkFieldModel(mp, m, su.name, su.L, scat); err != nil {
				return err
			}
			res.Model = mp
			fmt.Sscan(m.Provenance["fit_seconds"], &res.FitSeconds)
		} else {
			if m, res.FitSeconds, err = fitField(su, scat, 0, workers, "scalewise rg validate (fitted in the run)", stderr); err != nil {
				return err
			}
			res.Model = "fitted in this run"
		}
		res.Scattering = scat
		if res.Params, err = m.Params(); err != nil {
			return err
		}
		kind := map[bool]string{true: "scattering", false: "local"}[scat]
		var gen []*field.Field
		var st rg.SampleStats
		if cond.Level > 0 {
			gen, st, err = resampleWithProgress(m, ref[:n], cond, seed, workers, stderr, fmt.Sprintf("%s %d×%d: %d reference fields, the %s model", su.name, su.L, su.L, n, kind))
			v.Conditional = &cond
		} else {
			gen, st, err = sampleWithProgress(m, n, seed, workers, stderr, fmt.Sprintf("%s %d×%d: %d samples of the %s model", su.name, su.L, su.L, n, kind))
		}
		if err != nil {
			return err
		}
		if outDir != "" {
			if err := writeStackFile(filepath.Join(outDir, fmt.Sprintf("rg-%s-%s.npy", su.name, kind)), gen); err != nil {
				return err
			}
		}
		if res.rgFieldStats, err = cmp.stats(gen); err != nil {
			return err
		}
		res.Acceptance, res.SecondsPerSample, res.LatticeGradPerSample, res.SampleWallSeconds = st.Acceptance, st.SecondsPerSample, st.LatticeGradPerSample, st.WallSeconds
		res.check(su.name, &v.Reference)
	}
	if outDir != "" {
		for i, set := range [][]*field.Field{truth, ref} {
			if err := writeStackFile(filepath.Join(outDir, fmt.Sprintf("rg-%s-%s.npy", su.name, []string{"truth", "reference"}[i])), set); err != nil {
				return err
			}
		}
	}
	if micro.K > 0 {
		fmt.Fprintf(stderr, "the peer: %d microcanonical syntheses of %d×%d fields (scat synth defaults), one per training field\n", micro.K, su.L, su.L)
		gen, p, err := microcanonicalSet(su.fit[:micro.K], seed, micro.Iters, workers, stderr)
		if err != nil {
			return err
		}
		p.Targets = fmt.Sprintf("training fields 0..%d of %s, one synthesis each (seeds %d..%d)", micro.K-1, su.desc, seed, seed+uint64(micro.K)-1)
		if p.rgFieldStats, err = cmp.stats(gen); err != nil {
			return err
		}
		v.Microcanonical = p
		if outDir != "" {
			if err := writeStackFile(filepath.Join(outDir, fmt.Sprintf("rg-%s-microcanonical.npy", su.name)), gen); err != nil {
				return err
			}
		}
	}
	if synth {
		fmt.Fprintf(stderr, "timing one microcanonical synthesis of a %d×%d field (scat synth defaults)\n", su.L, su.L)
		if v.Synth, err = timeSynthesis(truth[0].Data, su.L, seed, stderr); err != nil {
			return err
		}
		v.Synth.Target = truthDesc + ", the first"
		v.Scattering.CostRatioSeconds = v.Synth.Seconds / v.Scattering.SecondsPerSample
		v.Ablation.CostRatioSeconds = v.Synth.Seconds / v.Ablation.SecondsPerSample
	}
	s, a := &v.Scattering, &v.Ablation
	v.Worse["marginal"] = a.MarginalTV >= scatValidateGaussFactor*s.MarginalTV
	v.Worse["trispectrum"] = a.TrispecErr >= scatValidateGaussFactor*s.TrispecErr
	v.Failed = append(v.Failed, s.Failed...)
	if !v.Worse["marginal"] {
		v.Failed = append(v.Failed, fmt.Sprintf("ablation marginal_tv %.3g < %g × %.3g", a.MarginalTV, float64(scatValidateGaussFactor), s.MarginalTV))
	}
	if !v.Worse["trispectrum"] {
		v.Failed = append(v.Failed, fmt.Sprintf("ablation trispec_err %.3g < %g × %.3g", a.TrispecErr, float64(scatValidateGaussFactor), s.TrispecErr))
	}
	v.Pass = len(v.Failed) == 0
	v.Seconds = time.Since(start).Seconds()
	if record {
		for _, r := range []*rgFieldModel{&v.Scattering, &v.Ablation} {
			m, err := readModelFile(r.Model)
			if err != nil {
				return err
			}
			if err := recordRGFieldModel(r.Model, m, rgFieldMetrics(r, &v.Reference, n, seed)); err != nil {
				return err
			}
		}
		if *ff.land != "" {
			for _, r := range []*rgFieldModel{&v.Scattering, &v.Ablation} {
				if err := landRGModel(r.Model, *ff.land, stderr); err != nil {
					return err
				}
			}
		}
	}
	if asJSON {
		return printJSON(stdout, v)
	}
	printRGFieldValidation(stdout, v)
	return nil
}

// check sets the checks of a model against the bars and the reference.
func (r *rgFieldModel) check(name string, ref *rgFieldStats) {
	r.Checks = map[string]bool{}
	add := func(key string, ok bool, why string) {
		r.Checks[key] = ok
		if !ok {
			r.Failed = append(r.Failed, fmt.Sprintf("%s model: %s", map[bool]string{true: "scattering", false: "ablation"}[r.Scattering], why))
		}
	}
	add("spectrum", r.SpectrumErr <= scatValidateMaxSpectrum, fmt.Sprintf("spectrum_err %.3g > %g", r.SpectrumErr, scatValidateMaxSpectrum))
	add("marginal", r.MarginalTV <= scatValidateMaxPDF, fmt.Sprintf("marginal_tv %.3g > %g", r.MarginalTV, scatValidateMaxPDF))
	if name == rgFieldTurbulence {
		add("increments", r.IncrementTVMax <= scatValidateMaxPDF, fmt.Sprintf("increment_tv_max %.3g > %g", r.IncrementTVMax, scatValidateMaxPDF))
	}
	add("bispectrum", r.BispecErr <= scatValidateRefFactor*ref.BispecErr,
		fmt.Sprintf("bispec_err %.3g > %d × reference %.3g", r.BispecErr, scatValidateRefFactor, ref.BispecErr))
	add("trispectrum", r.TrispecErr <= scatValidateRefFactor*ref.TrispecErr,
		fmt.Sprintf("trispec_err %.3g > %d × reference %.3g", r.TrispecErr, scatValidateRefFactor, ref.TrispecErr))
	r.Pass = len(r.Failed) == 0
}

// rgComparer holds the truth's statistics.
type rgComparer struct {
	name  string
	L     int
	chunk int
	est   *polyspectra.Estimator
	truth [][]float64
	mean  *polyspectra.Polyspectra
	// incr are the truth's increments per lag.
	incr [][][]float64
	flux []fluxStat
}

// newRGComparer computes the statistics of the truth; chunk is the size
// of the sets whose polyspectra errors are compared (the reference's).
func newRGComparer(name string, truth []*field.Field, chunk int) (*rgComparer, error) {
	L := truth[0].W
	est, err := polyspectra.NewEstimator(L, L, scatValidateBins(L))
	if err != nil {
		return nil, err
	}
	c := &rgComparer{name: name, L: L, chunk: chunk, est: est, truth: fieldData(truth)}
	if c.mean, err = est.Mean(c.truth); err != nil {
		return nil, err
	}
	for _, lag := range rgIncrementLags {
		c.incr = append(c.incr, increments(c.truth, L, lag))
	}
	if name == rgFieldTurbulence {
		if c.flux, err = meanFlux(c.truth, L, rgFluxWavenumbers(L)); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// rgFluxWavenumbers are the wavenumbers of the enstrophy flux reported,
// L/8 and L/4: in the forward enstrophy cascade of the data (forcing at
// |k| = 6 at L = 64, dealiasing above 21).
func rgFluxWavenumbers(L int) []float64 { return []float64{float64(L / 8), float64(L / 4)} }

// fieldData returns the values of the fields.
func fieldData(fs []*field.Field) [][]float64 {
	out := make([][]float64, len(fs))
	for i, f := range fs {
		out[i] = f.Data
	}
	return out
}

// stats compares the fields fs with the truth.
func (c *rgComparer) stats(fs []*field.Field) (rgFieldStats, error) {
	xs := fieldData(fs)
	s := rgFieldStats{N: len(xs), Chunk: min(c.chunk, len(xs))}
	var err error
	if s.MarginalTV, err = polyspectra.PDFTotalVariation(xs, c.truth, scatValidatePDFBins(c.L)); err != nil {
		return s, err
	}
	for i, lag := range rgIncrementLags {
		d := increments(xs, c.L, lag)
		inc := rgIncrement{Lag: lag}
		if inc.TV, err = polyspectra.PDFTotalVariation(d, c.incr[i], scatValidatePDFBins(c.L)); err != nil {
			return s, err
		}
		inc.Skewness, inc.Flatness = skewFlat(d)
		inc.TruthSkewness, inc.TruthFlatness = skewFlat(c.incr[i])
		s.Increments = append(s.Increments, inc)
		s.IncrementTVMax = max(s.IncrementTVMax, inc.TV)
	}
	all, err := c.est.Mean(xs)
	if err != nil {
		return s, err
	}
	e, err := c.est.Compare(all, c.mean)
	if err != nil {
		return s, err
	}
	s.SpectrumErr, s.BispecErrAll, s.TrispecErrAll = e.Spectrum, e.Bispectrum, e.Trispectrum
	s.Chunks = len(xs) / s.Chunk
	for k := range s.Chunks {
		m, err := c.est.Mean(xs[k*s.Chunk : (k+1)*s.Chunk])
		if err != nil {
			return s, err
		}
		e, err := c.est.Compare(m, c.mean)
		if err != nil {
			return s, err
		}
		s.BispecErr += e.Bispectrum / float64(s.Chunks)
		s.TrispecErr += e.Trispectrum / float64(s.Chunks)
		s.TrispecConnectedErr += e.TrispectrumConnected / float64(s.Chunks)
	}
	var s1, s2, cnt float64
	for _, x := range xs {
		for _, v := range x {
			s1 += v
			s2 += v * v
		}
		cnt += float64(len(x))
	}
	s.Mean = s1 / cnt
	s.Std = math.Sqrt(max(0, s2/cnt-s.Mean*s.Mean))
	if c.name == rgFieldTurbulence {
		if s.EnstrophyFlux, err = meanFlux(xs, c.L, rgFluxWavenumbers(c.L)); err != nil {
			return s, err
		}
	}
	return s, nil
}

// increments returns, per field, the periodic increments x(p + lag·e) −
// x(p) along both axes e (2L² values).
func increments(xs [][]float64, L, lag int) [][]float64 {
	out := make([][]float64, len(xs))
	for i, x := range xs {
		d := make([]float64, 0, 2*L*L)
		for y := range L {
			for xx := range L {
				d = append(d, x[y*L+(xx+lag)%L]-x[y*L+xx])
			}
		}
		for y := range L {
			for xx := range L {
				d = append(d, x[((y+lag)%L)*L+xx]-x[y*L+xx])
			}
		}
		out[i] = d
	}
	return out
}

// skewFlat returns the skewness ⟨δ³⟩/⟨δ²⟩^{3/2} and flatness ⟨δ⁴⟩/⟨δ²⟩²
// of the pooled values (moments about the mean).
func skewFlat(xs [][]float64) (skew, flat float64) {
	var s1, cnt float64
	for _, x := range xs {
		for _, v := range x {
			s1 += v
		}
		cnt += float64(len(x))
	}
	m := s1 / cnt
	var m2, m3, m4 float64
	for _, x := range xs {
		for _, v := range x {
			d := v - m
			m2 += d * d
			m3 += d * d * d
			m4 += d * d * d * d
		}
	}
	m2, m3, m4 = m2/cnt, m3/cnt, m4/cnt
	if m2 == 0 {
		return 0, 0
	}
	return m3 / math.Pow(m2, 1.5), m4 / (m2 * m2)
}

// writeStackFile writes fields as an (n, L, L) float32 .npy stack.
func writeStackFile(path string, fs []*field.Field) error {
	arr, err := field.StackArray(fs)
	if err != nil {
		return err
	}
	return field.WriteArrayFile(path, arr, field.Float32)
}

// printRGFieldValidation writes the validation as a table.
func printRGFieldValidation(w io.Writer, v *rgFieldValidation) {
	fmt.Fprintf(w, "%s, %d×%d (d = %d): %s\n", v.Field, v.L, v.L, v.D, v.Description)
	fmt.Fprintf(w, "truth: %s; reference: %s\n", v.Truth, v.Ref)
	s, a, r := &v.Scattering, &v.Ablation, &v.Reference
	fmt.Fprintf(w, "%-28s %12s %12s %12s   %s\n", "statistic (vs truth)", "scattering", "ablation", "reference", "bar (scattering model)")
	mark := func(m *rgFieldModel, key string) string {
		ok, has := m.Checks[key]
		switch {
		case !has:
			return " "
		case ok:
			return "✓"
		}
		return "✗"
	}
	row := func(name, key string, sv, av, rv float64, bar string) {
		fmt.Fprintf(w, "%-28s %11.4f%s %11.4f%s %12.4f   %s\n", name, sv, mark(s, key), av, mark(a, key), rv, bar)
	}
	row("power spectrum |log ratio|", "spectrum", s.SpectrumErr, a.SpectrumErr, r.SpectrumErr, fmt.Sprintf("≤ %g", scatValidateMaxSpectrum))
	row("marginal TV", "marginal", s.MarginalTV, a.MarginalTV, r.MarginalTV, fmt.Sprintf("≤ %g", scatValidateMaxPDF))
	for i := range s.Increments {
		key, bar := "", "(reported)"
		if v.Field == rgFieldTurbulence {
			key, bar = "increments", fmt.Sprintf("≤ %g", scatValidateMaxPDF)
		}
		row(fmt.Sprintf("increments TV, lag %d", s.Increments[i].Lag), key, s.Increments[i].TV, a.Increments[i].TV, r.Increments[i].TV, bar)
	}
	row(fmt.Sprintf("bispectrum err (sets of %d)", r.Chunk), "bispectrum", s.BispecErr, a.BispecErr, r.BispecErr, fmt.Sprintf("≤ %g × reference = %.4f", float64(scatValidateRefFactor), scatValidateRefFactor*r.BispecErr))
	row(fmt.Sprintf("trispectrum err (sets of %d)", r.Chunk), "trispectrum", s.TrispecErr, a.TrispecErr, r.TrispecErr, fmt.Sprintf("≤ %g × reference = %.4f", float64(scatValidateRefFactor), scatValidateRefFactor*r.TrispecErr))
	row("connected trispectrum err", "", s.TrispecConnectedErr, a.TrispecConnectedErr, r.TrispecConnectedErr, "(reported)")
	for i := range s.Increments {
		fmt.Fprintf(w, "%-28s %12s %12s %12s   truth %.3f / %.3f\n", fmt.Sprintf("incr. lag %d skew / flatness", s.Increments[i].Lag),
			fmt.Sprintf("%.3f/%.2f", s.Increments[i].Skewness, s.Increments[i].Flatness), fmt.Sprintf("%.3f/%.2f", a.Increments[i].Skewness, a.Increments[i].Flatness),
			fmt.Sprintf("%.3f/%.2f", r.Increments[i].Skewness, r.Increments[i].Flatness), s.Increments[i].TruthSkewness, s.Increments[i].TruthFlatness)
	}
	for i := range s.EnstrophyFlux {
		fmt.Fprintf(w, "%-28s %12.4g %12.4g %12.4g   truth %.4g ± %.2g\n", fmt.Sprintf("enstrophy flux Π(%g)", s.EnstrophyFlux[i].K),
			s.EnstrophyFlux[i].Mean, a.EnstrophyFlux[i].Mean, r.EnstrophyFlux[i].Mean, v.TruthEnstrophyFlux[i].Mean, v.TruthEnstrophyFlux[i].StdErr)
	}
	if p := v.Microcanonical; p != nil {
		var inc []string
		for _, c := range p.Increments {
			inc = append(inc, fmt.Sprintf("%.4f (lag %d, flatness %.2f)", c.TV, c.Lag, c.Flatness))
		}
		fmt.Fprintf(w, "peer: %d microcanonical syntheses (%.1f s and %.0f iterations each on average): spectrum %.4f, marginal TV %.4f, increments TV %s, bispectrum %.4f, trispectrum %.4f (sets of %d), connected trispectrum %.4f\n",
			p.N, p.SecondsPerSample, p.MeanIterations, p.SpectrumErr, p.MarginalTV, strings.Join(inc, ", "), p.BispecErr, p.TrispecErr, p.Chunk, p.TrispecConnectedErr)
	}
	fmt.Fprintf(w, "ablation clearly worse (≥ %g×): marginal %v, trispectrum %v\n", float64(scatValidateGaussFactor), v.Worse["marginal"], v.Worse["trispectrum"])
	for _, m := range []*rgFieldModel{s, a} {
		kind := map[bool]string{true: "scattering", false: "ablation"}[m.Scattering]
		fmt.Fprintf(w, "%s model (%s): %d parameters (%d sigmoids, %d quadratic, %d scattering) beside d = %d; per factor",
			kind, m.Model, m.Params.Total, m.Params.Sigmoids, m.Params.Quadratic, m.Params.Scattering, m.Params.D)
		for _, sp := range m.Params.Scales {
			fmt.Fprintf(w, " %d", sp.Total)
		}
		fmt.Fprintf(w, "; fit %.0f s; %.3g s per sample", m.FitSeconds, m.SecondsPerSample)
		if m.CostRatioSeconds > 0 {
			fmt.Fprintf(w, " (microcanonical synthesis / RG: %.3g)", m.CostRatioSeconds)
		}
		fmt.Fprintln(w)
	}
	if v.Synth != nil {
		fmt.Fprintf(w, "microcanonical synthesis of one %d×%d field: %.1f s (%d iterations, %s, rel. error %.3g)\n", v.L, v.L, v.Synth.Seconds, v.Synth.Iterations, v.Synth.Status, v.Synth.RelError)
	}
	if v.Pass {
		fmt.Fprintln(w, "PASS")
	} else {
		fmt.Fprintf(w, "FAILED: %s\n", strings.Join(v.Failed, "; "))
	}
}
