package compute

import (
	"fmt"
	"math"
	"time"

	"scalewise/engine/field"
	"scalewise/engine/polyspectra"
	"scalewise/engine/scattering"
	"scalewise/ui/protocol"
)

// The marginal-matching term of the synthesis (ScatSynthRequest.Marginal),
// on by default, as in "scalewise scat synth" and "scat validate" (see
// scattering.DefaultSynthOptions and DefaultMarginalWeight).
const (
	// ScatMarginalWeight is the term's weight (scattering.SynthOptions.Histogram).
	ScatMarginalWeight = scattering.DefaultMarginalWeight
	// ScatMarginalQuantiles is the default number of quantile-block means
	// of the sorted pixels the term matches
	// (scattering.SynthOptions.HistogramQuantiles).
	ScatMarginalQuantiles = scattering.DefaultMarginalQuantiles
)

// scatMarginal returns the weight of the request's marginal term (0: off) and
// its number of quantiles, or why the request is bad. The quantiles are
// ScatMarginalQuantiles when the term is off, so that the reported
// marginal error (Synthesis.MarginalErr, W₂/σ of the block-averaged
// quantile functions) means the same on and off.
func scatMarginal(r *ScatSynthRequest) (w float64, k int, err error) {
	n2 := r.Size * r.Size
	if r.Marginal != nil && !*r.Marginal {
		if r.MarginalQuantiles != 0 {
			return 0, 0, fmt.Errorf("marginal_quantiles=%d with the marginal term off (marginal: false): leave it 0 or turn the term on", r.MarginalQuantiles)
		}
		return 0, min(ScatMarginalQuantiles, n2), nil
	}
	switch k := r.MarginalQuantiles; {
	case k == 0:
		return ScatMarginalWeight, min(ScatMarginalQuantiles, n2), nil
	case k < 0 || k > n2:
		return 0, 0, fmt.Errorf("marginal_quantiles=%d: want 0 (the default, %d) or 1 to %d (the %d×%d pixels)",
			k, ScatMarginalQuantiles, n2, r.Size, r.Size)
	default:
		return ScatMarginalWeight, k, nil
	}
}

// scatGIFMaxFrames bounds the frames recorded of a synthesis: past it,
// every other frame is dropped and frames are recorded half as often.
const scatGIFMaxFrames = 160

// scatSynth is one synthesis in progress or finished: a Run of the
// session's synthesis stepper.
type scatSynth struct {
	req   ScatSynthRequest
	fld   *scatField
	s     *scattering.Synthesis
	form  scattering.Form
	secs  float64 // engine seconds, the start included
	loss  []float64
	terms [3][]float64             // the loss's statistic, marginal and power-spectrum terms, as loss
	half  *polyspectra.OctaveRings // half-octave rings of the spectrum error
	edges []float64                // histogram edges, in the shown units
	tDens []float64                // the target's marginal density
	k     []float64                // radial wave numbers of the spectrum bins kept
	keep  []int
	tPow  []float64 // the target's power spectrum on k
	anim  *animation
	done  bool
}

// startSynth starts the microcanonical synthesis of the request's field
// from white noise (seeded by the request's seed) and returns the target,
// the starting field and the statistics against which the synthesis is
// shown: the target's marginal and power spectrum and its statistics
// vector.
func (s *ScatSession) startSynth(r ScatSynthRequest, progress Progress) (Run, *Frames, error) {
	if err := checkScatRequest(&r.ScatRequest); err != nil {
		return nil, nil, err
	}
	form := scattering.Isotropic
	if r.Form != "" {
		f, err := scattering.ParseForm(r.Form)
		if err != nil {
			return nil, nil, err
		}
		form = f
	}
	if r.MaxIter < 0 || r.MaxIter > MaxScatIters {
		return nil, nil, fmt.Errorf("max_iter=%d: ask for 0 (the default, %d) to %d", r.MaxIter, scattering.DefaultSynthIters, MaxScatIters)
	}
	if math.IsNaN(r.Tol) || r.Tol < 0 || r.Tol >= 1 {
		return nil, nil, fmt.Errorf("tol=%v: want 0 (the default, %g) or a tolerance below 1", r.Tol, scattering.DefaultSynthTol)
	}
	hw, hk, err := scatMarginal(&r)
	if err != nil {
		return nil, nil, err
	}
	t0 := time.Now()
	progress(0, 3, "the target field")
	fld, err := s.field(r.ScatRequest)
	if err != nil {
		return nil, nil, err
	}
	bank, err := s.bankFor(r.ScatRequest)
	if err != nil {
		return nil, nil, err
	}
	progress(1, 3, "the target's statistics")
	// The synthesis gets its own operator: it uses it exclusively while
	// it lives, and analyses may come between its steps.
	op, err := scattering.NewOperator(bank, scattering.SpectraOptions{})
	if err != nil {
		return nil, nil, err
	}
	o := scatSynthOptions(&r, form, hw, hk)
	syn, err := scattering.NewSynthesis(op, fld.f.Data, o)
	if err != nil {
		return nil, nil, err
	}
	half, err := polyspectra.NewOctaveRings(r.Size, r.Size, 2)
	if err != nil {
		return nil, nil, err
	}
	// A start that already meets the tolerance is a finished synthesis.
	g := &scatSynth{req: r, fld: fld, s: syn, form: form, half: half, done: syn.Status() != scattering.SynthRunning,
		anim: newAnimation(colormapPalette(fld.cmap), scatGIFMaxFrames)}
	if err := g.targetStats(); err != nil {
		return nil, nil, err
	}
	g.secs = time.Since(t0).Seconds()
	g.observe()
	progress(2, 3, "frames")

	v := &protocol.ScatSynthStartValues{
		Kind: protocol.KindSynthStart, Count: op.Count(form),
		// The marginal term: on or off, its weight, and the number of
		// marginal statistics it matches besides the count coefficients.
		Marginal: hw > 0, MarginalWeight: hw,
		Weights:       []float64{o.Weights.Mean, o.Weights.S1, o.Weights.S2, o.Weights.S3, o.Weights.S4},
		PowerSpectrum: o.PowerSpectrum, PowerSpectrumRings: o.PowerSpectrumRings, StopLoss: finiteOrNil(syn.StopLoss()),
		Form: form.String(), Field: r.Field, Desc: fld.desc, N: r.Size, J: r.J, L: r.L, Seed: r.Seed,
		Wavelet: r.Kind, MaxIter: syn.MaxIter(), Tol: syn.Tol(), Log: fld.log,
	}
	if hw > 0 {
		v.MarginalQuantiles = syn.HistogramQuantiles()
	}
	for _, gr := range syn.Groups() {
		v.Groups = append(v.Groups, protocol.ScatGroup{Name: gr.Name, Start: gr.Start, End: gr.End})
	}
	fr := NewFrames("scattering", v)
	tf, err := fld.render(fld.f.Data, r.Size)
	if err != nil {
		return nil, nil, err
	}
	if err := fr.AddField("s/target", tf, fld.cmap, fld.lo, fld.hi); err != nil {
		return nil, nil, err
	}
	if err := fr.addSeries(
		namedSeries{"s/edges", g.edges}, namedSeries{"s/density/target", g.tDens}, namedSeries{"s/k", g.k},
		namedSeries{"s/power/target", g.tPow}, namedSeries{"s/phi/target", syn.Target().Vector()},
	); err != nil {
		return nil, nil, err
	}
	if err := g.addProgress(fr, &v.ScatProgress); err != nil {
		return nil, nil, err
	}
	progress(3, 3, "ready")
	return g, fr, nil
}

// scatSynthOptions returns the synthesis options of the request r: those
// of "scalewise scat synth" (scattering.DefaultSynthOptions: statistic
// weights 1,1,1,10,10, the marginal term, the power-spectrum term on 8 rings
// per octave), with the request's seed, form, iterations and tolerance (0:
// the defaults) and its marginal term's weight hw and quantiles hk
// (scatMarginal).
func scatSynthOptions(r *ScatSynthRequest, form scattering.Form, hw float64, hk int) scattering.SynthOptions {
	o := scattering.DefaultSynthOptions()
	o.Seed, o.Form, o.Histogram, o.HistogramQuantiles = r.Seed, form, hw, hk
	if r.MaxIter > 0 {
		o.MaxIter = r.MaxIter
	}
	if r.Tol > 0 {
		o.Tol = r.Tol
	}
	return o
}

// targetStats computes the target's marginal (in the shown units, on
// edges spanning its range and a margin) and radial power spectrum.
func (g *scatSynth) targetStats() error {
	n := g.req.Size
	shown := make([]float64, len(g.fld.f.Data))
	for i, v := range g.fld.f.Data {
		shown[i] = g.fld.shown(v)
	}
	lo, hi := percentile(shown, 0), percentile(shown, 1)
	pad := 0.15 * (hi - lo)
	if !(pad > 0) {
		pad = 0.5
	}
	edges, err := polyspectra.UniformEdges(lo-pad, hi+pad, scatHistBins)
	if err != nil {
		return err
	}
	g.edges = edges
	h, err := polyspectra.NewMarginal(edges)
	if err != nil {
		return err
	}
	h.Add(shown)
	g.tDens = h.Density()
	sp, err := polyspectra.NewRadialSpectrum(n, spectrumBins(n))
	if err != nil {
		return err
	}
	if err := sp.Add(g.fld.f.Data); err != nil {
		return err
	}
	k, p := sp.Result()
	for i := range k {
		if k[i] > 0 && p[i] > 0 && !math.IsNaN(p[i]) && !math.IsInf(p[i], 0) {
			g.keep = append(g.keep, i)
			g.k, g.tPow = append(g.k, k[i]), append(g.tPow, p[i])
		}
	}
	if len(g.k) == 0 {
		return fmt.Errorf("the target's power spectrum is empty")
	}
	return nil
}

// observe records the loss of the current iterate and its terms and, on
// the GIF's schedule, its frame.
func (g *scatSynth) observe() {
	g.loss = append(g.loss, g.s.Loss())
	lt := g.s.LossTerms()
	for i, v := range [3]float64{lt.Statistics, lt.Marginal, lt.PowerSpectrum} {
		g.terms[i] = append(g.terms[i], v)
	}
	if g.anim.due(g.s.Iter()) || g.s.Status() != scattering.SynthRunning {
		g.record()
	}
}

// record keeps the current iterate as a GIF frame (palette indices in the
// target's colours).
func (g *scatSynth) record() {
	n := g.req.Size
	x := g.s.Field()
	pix := make([]uint8, n*n)
	for i, v := range x {
		pix[i] = paletteIndex(g.fld.shown(v), g.fld.lo, g.fld.hi)
	}
	g.anim.add(n, pix)
}

// Iterate makes one L-BFGS iteration; a failure ends the synthesis.
func (g *scatSynth) Iterate() (bool, error) {
	t0 := time.Now()
	defer func() { g.secs += time.Since(t0).Seconds() }()
	done, err := g.s.Step()
	if err != nil {
		g.done = true
		return true, fmt.Errorf("synthesis failed at iteration %d: %w", g.s.Iter(), err)
	}
	g.done = done
	g.observe()
	return done, nil
}

// Finished reports whether the synthesis has stopped.
func (g *scatSynth) Finished() bool { return g.done }

// Frames returns the current field and its statistics after a step of n
// iterations.
func (g *scatSynth) Frames(n int) (*Frames, error) {
	v := &protocol.ScatSynthStepValues{Kind: protocol.KindSynthStep, Steps: n}
	fr := NewFrames("scattering", v)
	if err := g.addProgress(fr, &v.ScatProgress); err != nil {
		return nil, err
	}
	return fr, nil
}

// addProgress adds the current iterate and its statistics to fr, and the
// synthesis's progress to p.
func (g *scatSynth) addProgress(fr *Frames, p *protocol.ScatProgress) error {
	n := g.req.Size
	x := g.s.Field()
	xf, err := g.fld.render(x, n)
	if err != nil {
		return err
	}
	if err := fr.AddField("s/synth", xf, g.fld.cmap, g.fld.lo, g.fld.hi); err != nil {
		return err
	}
	h, err := polyspectra.NewMarginal(g.edges)
	if err != nil {
		return err
	}
	h.Add(xf.Data)
	dens := h.Density()
	sp, err := polyspectra.NewRadialSpectrum(n, spectrumBins(n))
	if err != nil {
		return err
	}
	if err := sp.Add(x); err != nil {
		return err
	}
	_, all := sp.Result()
	pow := make([]float64, len(g.keep))
	for i, b := range g.keep {
		pow[i] = all[b]
	}
	if err := fr.addSeries(
		namedSeries{"s/density", dens}, namedSeries{"s/power", pow}, namedSeries{"s/loss", g.loss}, namedSeries{"s/phi", g.s.Vector()},
		namedSeries{"s/loss/statistics", g.terms[0]}, namedSeries{"s/loss/marginal", g.terms[1]},
		namedSeries{"s/loss/spectrum", g.terms[2]},
	); err != nil {
		return err
	}
	// Distances to the target: total variation of the marginals and the
	// mean |log P/P_target| over the spectrum.
	p.HistTV = totalVariation(dens, g.tDens, g.edges)
	p.SpecLR = meanAbsLogRatio(g.k, pow, g.tPow)
	p.Iter = g.s.Iter()
	p.Evals = g.s.Evals()
	p.Loss = finiteOrNil(g.s.Loss())
	last := len(g.loss) - 1
	p.LossTerms = protocol.ScatLossTerms{Statistics: finiteOrNil(g.terms[0][last]),
		Marginal: finiteOrNil(g.terms[1][last]), PowerSpectrum: finiteOrNil(g.terms[2][last])}
	p.RelErr = finiteOrNil(g.s.RelErr())
	// W₂/σ of the block-averaged quantile functions (on the term's
	// quantiles; ScatMarginalQuantiles when it is off).
	p.MarginalErr = finiteOrNil(g.s.MarginalErr())
	p.SpectrumErr = finiteOrNil(g.s.SpectrumErr())
	half, err := g.half.SpectrumError(x, g.fld.f.Data)
	if err != nil {
		return err
	}
	p.SpectrumErrHalf = finiteOrNil(half)
	p.GroupErrors = sig(g.s.GroupErrors(nil))
	p.Status = g.s.Status().String()
	if why := g.s.StopReason(); why != nil {
		p.StopReason = why.Error()
	}
	p.Done = g.done || g.s.Status() != scattering.SynthRunning
	p.Seconds = g.secs
	p.FramesRecorded = g.anim.len()
	return nil
}

// Export returns the synthesis as a file: "gif" (from white noise,
// animated), "png" (the synthesised field in the field's colours) or "npy"
// (float32).
func (g *scatSynth) Export(format string, progress Progress) (File, error) {
	n := g.req.Size
	x, err := field.FromSlice(n, n, append([]float64(nil), g.s.Field()...))
	if err != nil {
		return File{}, err
	}
	xf, err := g.fld.render(x.Data, n)
	if err != nil {
		return File{}, err
	}
	stem := fmt.Sprintf("scalewise-scat-%s-%d-seed%d-J%dL%d-%s-iter%d", g.req.Field, n, g.req.Seed, g.req.J, g.req.L, g.form, g.s.Iter())
	return exportFile(format, stem, exportSource{
		raw: x, shown: xf, cmap: g.fld.cmap, lo: g.fld.lo, hi: g.fld.hi, anim: g.anim, gifSide: rgGIFSide,
	}, progress)
}
