package compute

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"time"

	"scalewise/engine/field"
	"scalewise/engine/polyspectra"
	"scalewise/engine/scattering"
)

// The marginal-matching term of the synthesis (ScatSynthRequest.Marginal),
// on by default, as in "scalewise scat validate" (see
// scattering.DefaultMarginalWeight).
const (
	// ScatMarginalWeight is the term's weight (scattering.SynthOptions.Histogram).
	ScatMarginalWeight = scattering.DefaultMarginalWeight
	// ScatMarginalQuantiles is the default number of quantile-block means
	// of the sorted pixels the term matches
	// (scattering.SynthOptions.HistogramQuantiles).
	ScatMarginalQuantiles = scattering.DefaultMarginalQuantiles
)

// marginal returns the weight of the request's marginal term (0: off) and
// its number of quantiles, or why the request is bad. The quantiles are
// ScatMarginalQuantiles when the term is off, so that the reported
// marginal error (Synthesis.MarginalErr, W₂/σ of the block-averaged
// quantile functions) means the same on and off.
func (r *ScatSynthRequest) marginal() (w float64, k int, err error) {
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

// scatSynth is one synthesis in progress or finished.
type scatSynth struct {
	req   ScatSynthRequest
	fld   *scatField
	s     *scattering.Synthesis
	form  scattering.Form
	secs  float64 // engine seconds, the start included
	loss  []float64
	rel   []float64
	edges []float64 // histogram edges, in the shown units
	tDens []float64 // the target's marginal density
	k     []float64 // radial wave numbers of the spectrum bins kept
	keep  []int
	tPow  []float64 // the target's power spectrum on k
	pal   color.Palette
	rec   []rgGIFFrame
	every int // record every this many iterations
	done  bool
}

// SynthStart starts the microcanonical synthesis of the request's field
// from white noise (seeded by the request's seed) and returns the target,
// the starting field and the statistics against which the synthesis is
// shown: the target's marginal and power spectrum and its statistics
// vector.
func (s *ScatSession) SynthStart(r ScatSynthRequest, progress Progress) (*Frames, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if progress == nil {
		progress = func(int, int, string) {}
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	form := scattering.Isotropic
	if r.Form != "" {
		f, err := scattering.ParseForm(r.Form)
		if err != nil {
			return nil, err
		}
		form = f
	}
	if r.MaxIter < 0 || r.MaxIter > MaxScatIters {
		return nil, fmt.Errorf("max_iter=%d: ask for 0 (the default, %d) to %d", r.MaxIter, scattering.DefaultSynthIters, MaxScatIters)
	}
	if math.IsNaN(r.Tol) || r.Tol < 0 || r.Tol >= 1 {
		return nil, fmt.Errorf("tol=%v: want 0 (the default, %g) or a tolerance below 1", r.Tol, scattering.DefaultSynthTol)
	}
	hw, hk, err := r.marginal()
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	progress(0, 3, "the target field")
	fld, err := s.field(r.ScatRequest)
	if err != nil {
		return nil, err
	}
	bank, err := s.bankFor(r.ScatRequest)
	if err != nil {
		return nil, err
	}
	progress(1, 3, "the target's statistics")
	// The synthesis gets its own operator: it uses it exclusively while
	// it lives, and analyses may come between its steps.
	op, err := scattering.NewOperator(bank, scattering.SpectraOptions{})
	if err != nil {
		return nil, err
	}
	syn, err := scattering.NewSynthesis(op, fld.f.Data, scattering.SynthOptions{
		Seed: r.Seed, MaxIter: r.MaxIter, Tol: r.Tol, Form: form,
		Histogram: hw, HistogramQuantiles: hk})
	if err != nil {
		return nil, err
	}
	// A start that already meets the tolerance is a finished synthesis.
	g := &scatSynth{req: r, fld: fld, s: syn, form: form, every: 1, done: syn.Status() != scattering.SynthRunning}
	g.pal = make(color.Palette, 256)
	for i := range g.pal {
		g.pal[i] = fld.cmap.Color(float64(i) / 255)
	}
	if err := g.targetStats(); err != nil {
		return nil, err
	}
	g.secs = time.Since(t0).Seconds()
	g.observe()
	s.syn = g
	progress(2, 3, "frames")

	fr := NewFrames("scattering")
	fr.Values["kind"] = "synth_start"
	tf, err := fld.render(fld.f.Data, r.Size)
	if err != nil {
		return nil, err
	}
	if err := fr.AddField("s/target", tf, fld.cmap, fld.lo, fld.hi); err != nil {
		return nil, err
	}
	for name, xs := range map[string][]float64{
		"s/edges": g.edges, "s/density/target": g.tDens, "s/k": g.k, "s/power/target": g.tPow,
		"s/phi/target": syn.Target().Vector(),
	} {
		if err := fr.AddSeries(name, xs); err != nil {
			return nil, err
		}
	}
	var groups []map[string]any
	for _, gr := range syn.Groups() {
		groups = append(groups, map[string]any{"name": gr.Name, "start": gr.Start, "end": gr.End})
	}
	fr.Values["groups"] = groups
	fr.Values["count"] = op.Count(form)
	// The marginal term: on or off, its weight, and the number of
	// marginal statistics it matches besides the count coefficients.
	fr.Values["marginal"] = hw > 0
	fr.Values["marginal_weight"] = hw
	fr.Values["marginal_quantiles"] = 0
	if hw > 0 {
		fr.Values["marginal_quantiles"] = syn.HistogramQuantiles()
	}
	fr.Values["form"] = form.String()
	fr.Values["field"] = r.Field
	fr.Values["desc"] = fld.desc
	fr.Values["n"], fr.Values["J"], fr.Values["L"] = r.Size, r.J, r.L
	fr.Values["seed"] = r.Seed
	fr.Values["wavelet"] = r.Kind
	fr.Values["max_iter"] = syn.MaxIter()
	fr.Values["tol"] = syn.Tol()
	fr.Values["log"] = fld.log
	if err := g.addProgress(fr); err != nil {
		return nil, err
	}
	progress(3, 3, "ready")
	return fr, nil
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
	sp, err := polyspectra.NewRadialSpectrum(n, rgSpectrumBins(n))
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

// observe records the loss of the current iterate and, on the GIF's
// schedule, its frame.
func (g *scatSynth) observe() {
	g.loss = append(g.loss, g.s.Loss())
	g.rel = append(g.rel, g.s.RelErr())
	if it := g.s.Iter(); it%g.every == 0 || g.s.Status() != scattering.SynthRunning {
		g.record()
	}
}

// record keeps the current iterate as a GIF frame (palette indices in the
// target's colours), thinning the frames when there are too many.
func (g *scatSynth) record() {
	n := g.req.Size
	x := g.s.Field()
	pix := make([]uint8, n*n)
	span := g.fld.hi - g.fld.lo
	for i, v := range x {
		t := (g.fld.shown(v) - g.fld.lo) / span
		if math.IsNaN(t) {
			t = 0.5
		}
		pix[i] = uint8(math.Round(255 * max(0, min(1, t))))
	}
	g.rec = append(g.rec, rgGIFFrame{n: n, pix: pix})
	if len(g.rec) > scatGIFMaxFrames {
		last := len(g.rec) - 1
		k := 0
		for i := 0; i < last; i += 2 {
			g.rec[k] = g.rec[i]
			k++
		}
		g.rec[k] = g.rec[last]
		g.rec = g.rec[:k+1]
		g.every *= 2
	}
}

// SynthStep advances the synthesis by L-BFGS iterations for about r.MaxMs
// milliseconds of engine time (at least one iteration) and returns the
// current field, the loss history, its power spectrum and marginal
// against the target's, and its statistics vector.
func (s *ScatSession) SynthStep(r ScatStepRequest) (*Frames, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.syn
	if g == nil {
		return nil, fmt.Errorf("no synthesis in progress: press Synthesise first")
	}
	if math.IsNaN(r.MaxMs) || r.MaxMs < 0 {
		return nil, fmt.Errorf("max_ms=%v: want a time in milliseconds", r.MaxMs)
	}
	budget := r.MaxMs
	if budget == 0 {
		budget = DefaultScatStepMs
	}
	budget = min(budget, MaxScatStepMs)
	t0 := time.Now()
	deadline := time.Duration(budget * float64(time.Millisecond))
	steps := 0
	for !g.done {
		done, err := g.s.Step()
		if err != nil {
			g.done = true
			g.secs += time.Since(t0).Seconds()
			return nil, fmt.Errorf("synthesis failed at iteration %d: %w", g.s.Iter(), err)
		}
		steps++
		g.done = done
		g.observe()
		if time.Since(t0) >= deadline {
			break
		}
	}
	g.secs += time.Since(t0).Seconds()
	fr := NewFrames("scattering")
	fr.Values["kind"] = "synth_step"
	fr.Values["steps"] = steps
	if err := g.addProgress(fr); err != nil {
		return nil, err
	}
	return fr, nil
}

// addProgress adds the current iterate and its statistics.
func (g *scatSynth) addProgress(fr *Frames) error {
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
	sp, err := polyspectra.NewRadialSpectrum(n, rgSpectrumBins(n))
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
	for name, xs := range map[string][]float64{"s/density": dens, "s/power": pow, "s/loss": g.loss, "s/phi": g.s.Vector()} {
		if err := fr.AddSeries(name, xs); err != nil {
			return err
		}
	}
	// Distances to the target: total variation of the marginals and the
	// mean |log P/P_target| over the spectrum.
	tv := 0.0
	for i := range dens {
		tv += 0.5 * math.Abs(dens[i]-g.tDens[i]) * (g.edges[i+1] - g.edges[i])
	}
	lr, nlr := 0.0, 0
	for i := range pow {
		if pow[i] > 0 && g.tPow[i] > 0 {
			lr += math.Abs(math.Log(pow[i] / g.tPow[i]))
			nlr++
		}
	}
	if nlr > 0 {
		lr /= float64(nlr)
	}
	fr.Values["hist_tv"] = tv
	fr.Values["spectrum_log_ratio"] = lr
	fr.Values["iter"] = g.s.Iter()
	fr.Values["evals"] = g.s.Evals()
	fr.Values["loss"] = finiteOrNil(g.s.Loss())
	fr.Values["relerr"] = finiteOrNil(g.s.RelErr())
	// W₂/σ of the block-averaged quantile functions (on the term's
	// quantiles; ScatMarginalQuantiles when it is off).
	fr.Values["marginal_err"] = finiteOrNil(g.s.MarginalErr())
	fr.Values["group_errors"] = sig(g.s.GroupErrors(nil))
	fr.Values["status"] = g.s.Status().String()
	if why := g.s.StopReason(); why != nil {
		fr.Values["stop_reason"] = why.Error()
	}
	fr.Values["done"] = g.done || g.s.Status() != scattering.SynthRunning
	fr.Values["seconds"] = g.secs
	fr.Values["frames_recorded"] = len(g.rec)
	return nil
}

// SynthExport returns the synthesis as a file: the Frames carry no images,
// their buffer is the file's bytes.
func (s *ScatSession) SynthExport(r ScatExportRequest, progress Progress) (*Frames, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if progress == nil {
		progress = func(int, int, string) {}
	}
	g := s.syn
	if g == nil {
		return nil, fmt.Errorf("nothing to export: press Synthesise first")
	}
	n := g.req.Size
	x, err := field.FromSlice(n, n, append([]float64(nil), g.s.Field()...))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	var mime, ext string
	switch r.Format {
	case "gif":
		frames := g.rec
		if len(frames) == 0 {
			return nil, fmt.Errorf("no frames were recorded")
		}
		if err := writeGIF(&b, frames, g.pal, rgGIFSide, progress); err != nil {
			return nil, err
		}
		mime, ext = "image/gif", "gif"
	case "png":
		xf, err := g.fld.render(x.Data, n)
		if err != nil {
			return nil, err
		}
		if err := field.WritePNG(&b, xf, g.fld.cmap, g.fld.lo, g.fld.hi); err != nil {
			return nil, err
		}
		mime, ext = "image/png", "png"
	case "npy":
		if err := field.WriteNPY(&b, x, field.Float32); err != nil {
			return nil, err
		}
		mime, ext = "application/octet-stream", "npy"
	default:
		return nil, fmt.Errorf("unknown export format %q (gif, png or npy)", r.Format)
	}
	fr := NewFrames("scattering")
	fr.Values["kind"] = "export"
	fr.Values["format"] = r.Format
	fr.Values["mime"] = mime
	fr.Values["filename"] = fmt.Sprintf("scalewise-scat-%s-%d-seed%d-J%dL%d-%s-iter%d.%s",
		g.req.Field, n, g.req.Seed, g.req.J, g.req.L, g.form, g.s.Iter(), ext)
	fr.Values["size"] = b.Len()
	fr.buf = b.Bytes()
	return fr, nil
}
