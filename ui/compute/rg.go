package compute

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"math"
	"slices"
	"strconv"
	"time"

	"scalewise/engine/field"
	"scalewise/engine/phi4"
	"scalewise/engine/polyspectra"
)

// The Renormalise scene: wavelet-conditional renormalisation-group
// generation of critical φ⁴ fields (Marchand, Ozawa, Biroli, Mallat, PRX 13,
// 041038 (2023)). The worker keeps one RGSession between requests; each
// request does a bounded amount of work, so the page animates the
// coarse-to-fine generation, pauses and single-steps without ever waiting
// long on the worker.

// RGSizes are the lattice sides the page offers (the shipped models).
var RGSizes = [...]int{32, 64, 128}

// RGBeta is the coupling of the shipped models (the critical point).
const RGBeta = 0.68

// RGFitL is the lattice side of the shipped samples that "Fit from data"
// refits from.
const RGFitL = 32

// DefaultRGFitN is the number of shipped samples the page fits from by
// default: the fit's time grows in proportion (about 15 s for 64 fields
// in the page), and 128 is well above the least the coarsest scale needs.
const DefaultRGFitN = 128

const (
	// MaxRGStepK bounds the steps one "rg_step" request may ask for.
	MaxRGStepK = 100000
	// DefaultRGStepMs and MaxRGStepMs bound the engine time of one step or
	// race request: the page asks for one per animation frame.
	DefaultRGStepMs = 40
	MaxRGStepMs     = 100
	// RGLimit is the fixed symmetric range of the diverging colormap of φ,
	// in the units of the field (the same for every frame, scale and L).
	RGLimit = 2.0
	// rgGIFSide is the side of the exported animation.
	rgGIFSide = 256
	// rgGIFPerStage is about how many frames each stage records.
	rgGIFPerStage = 8
	// rgHistBins and rgHistMax set the marginal histogram, [−max, max].
	rgHistBins = 48
	rgHistMax  = 3.0
	// rgMALAStep is the fixed Langevin step h of the race's local MALA:
	// the value its warm-up adapts to at β = 0.68 for L = 32…128
	// (acceptance ≈ 0.58), fixed so that the race needs no warm-up.
	rgMALAStep = 0.61
)

// RGStage is one stage of the coarse-to-fine generation: stage 0 samples
// the coarsest field x_J from p_J; stage s ≥ 1 samples the details x̄_j,
// j = J−s+1, given x_j from p̄_j(x̄_j | x_j) and reconstructs
// x_{j−1} = W⁻¹(x_j, x̄_j).
type RGStage struct {
	Name  string `json:"name"`  // "x_J" or "j=3"
	J     int    `json:"j"`     // the scale j of the stage (J for stage 0)
	Size  int    `json:"size"`  // side of the field the stage produces
	Steps int    `json:"steps"` // MALA steps of the stage
}

// RGModelInfo describes a fitted model.
type RGModelInfo struct {
	L          int
	J          int
	Beta       float64
	Stages     []RGStage
	Provenance string
	// Calibrated reports moment-matching calibration after score matching.
	Calibrated bool
}

// RGKernel is one quadratic interaction kernel of a scale's energy, shown
// as a small image: the coefficients θ over the stencil of shifts, between
// channels C and D (0 = x_j, 1 = H, 2 = V, 3 = D).
type RGKernel struct {
	Name string
	C, D int
	W, H int
	Data []float64 // row-major, W·H, centre at (W/2, H/2)
}

// RGEnergy is the learned energy of one stage for display: its kernels and
// its potential V(t) = Σ_k θ_k ρ_k(t) sampled on T.
type RGEnergy struct {
	Kernels []RGKernel
	T, V    []float64
}

// rgModel is what the session needs from a fitted model; rgengine.go
// implements it over engine/rg.
type rgModel interface {
	Info() RGModelInfo
	Energies() ([]RGEnergy, error)
	NewSampler(seed uint64) (rgSampler, error)
}

// rgSampler is the coarse-to-fine sampler, an iterator.
type rgSampler interface {
	// Step runs k MALA steps, crossing stages as needed.
	Step(k int) error
	Done() bool
	// Phase returns the current stage and the steps done in it.
	Phase() (stage, step int)
	// Current returns the finest field reconstructed so far, in the units
	// of φ, at its own size (a fresh field).
	Current() *field.Field
	// Field returns the generated φ once Done.
	Field() *field.Field
	// Hierarchy returns, once Done, x_j in the units of φ (the local
	// averages, approx[j] for j = 0…J, approx[0] = φ) and the detail
	// bands x̄_j = (H, V, D) as coefficients (details[j], j = 1…J).
	Hierarchy() (approx []*field.Field, details [][3]*field.Field)
	// Acceptance returns the mean acceptance rate of each stage so far
	// (NaN for stages not started).
	Acceptance() []float64
	// Work returns the cost so far: gradient evaluations counted in units
	// of one whole-lattice (L×L) gradient, and engine seconds.
	Work() (gradEvals, seconds float64)
}

// RGSource gives the session its models and data.
type RGSource struct {
	// Model loads the shipped model for L.
	Model func(L int) (rgModel, error)
	// Samples returns the shipped ground-truth samples for L.
	Samples func(L int) ([]*field.Field, error)
	// Fit fits a model from samples by score matching.
	Fit func(data []*field.Field, beta float64, progress Progress) (rgModel, error)
	// Sides lists the lattice sides with a shipped model (nil: all of
	// RGSizes).
	Sides func() []int
}

// RGStartRequest starts a generation.
type RGStartRequest struct {
	L     int     `json:"L"`
	Beta  float64 `json:"beta"`
	Seed  uint64  `json:"seed"`
	Model string  `json:"model"` // "shipped" (default) or "fitted"
}

// RGStepRequest advances the generation by up to K MALA steps, stopping
// early after MaxMs milliseconds of engine time.
type RGStepRequest struct {
	K     int     `json:"k"`
	MaxMs float64 `json:"max_ms"`
}

// RGFitRequest refits the model from the first N shipped samples (0:
// DefaultRGFitN; at most all of them).
type RGFitRequest struct {
	L    int     `json:"L"`
	Beta float64 `json:"beta"`
	N    int     `json:"n"`
}

// RGRaceRequest advances (or, with Reset, starts) the race between RG
// sampling and local MCMC for about Ms milliseconds, shared equally.
type RGRaceRequest struct {
	L     int     `json:"L"`
	Beta  float64 `json:"beta"`
	Seed  uint64  `json:"seed"`
	Reset bool    `json:"reset"`
	Ms    float64 `json:"ms"`
}

// RGExportRequest exports the finished generation: "gif" (the coarse-to-
// fine animation), "png" or "npy" (the final field).
type RGExportRequest struct {
	Format string `json:"format"`
}

// RGSession is the worker's state of the Renormalise scene: the models
// loaded so far, the model fitted in the page, the current generation and
// the current race. Requests must come one at a time.
type RGSession struct {
	src    RGSource
	models map[int]rgModel
	fitted rgModel
	fitVal map[string]any
	truth  map[int]*rgTruth
	gen    *rgGen
	race   *rgRace
}

// NewRGSession returns an empty session over src.
func NewRGSession(src RGSource) *RGSession {
	return &RGSession{src: src, models: map[int]rgModel{}, truth: map[int]*rgTruth{}}
}

func checkRGSize(L int) error {
	for _, s := range RGSizes {
		if L == s {
			return nil
		}
	}
	return fmt.Errorf("L=%d is not offered: the page ships models for L = 32, 64 and 128", L)
}

// checkRGLattice checks a requested lattice side and coupling.
func checkRGLattice(L int, beta float64) error {
	if err := checkRGSize(L); err != nil {
		return err
	}
	return checkRGBeta(beta)
}

// checkRGBeta accepts 0 (the default) and RGBeta, the coupling of the
// shipped models; anything else, NaN included, is refused.
func checkRGBeta(beta float64) error {
	if beta == 0 || beta == RGBeta {
		return nil
	}
	return fmt.Errorf("β=%v is not offered: the page ships models fitted at β = %v only", beta, RGBeta)
}

// Info returns the sides of RGSizes with a shipped model and the coupling,
// for the page to offer only what it can generate.
func (s *RGSession) Info() *Frames {
	var sides []int
	for _, L := range RGSizes {
		if s.src.Sides == nil || slices.Contains(s.src.Sides(), L) {
			sides = append(sides, L)
		}
	}
	fr := NewFrames("renormalise")
	fr.Values["kind"] = "info"
	fr.Values["sides"] = sides
	fr.Values["beta"] = RGBeta
	fr.Values["fit_L"] = RGFitL
	return fr
}

// model returns the model for L: the shipped one, or the one fitted in
// the page when which is "fitted".
func (s *RGSession) model(L int, which string) (rgModel, string, error) {
	switch which {
	case "", "shipped":
		if m, ok := s.models[L]; ok {
			return m, "shipped", nil
		}
		if s.src.Model == nil {
			return nil, "", fmt.Errorf("no shipped RG models in this build")
		}
		m, err := s.src.Model(L)
		if err != nil {
			return nil, "", err
		}
		if info := m.Info(); info.L != L {
			return nil, "", fmt.Errorf("the shipped model for L=%d is for L=%d", L, info.L)
		}
		s.models[L] = m
		return m, "shipped", nil
	case "fitted":
		if s.fitted == nil {
			return nil, "", fmt.Errorf("no model has been fitted in this page yet (press Fit from data)")
		}
		if L != s.fitted.Info().L {
			return nil, "", fmt.Errorf("the model fitted in the page is for L=%d, not %d", s.fitted.Info().L, L)
		}
		return s.fitted, "fitted", nil
	}
	return nil, "", fmt.Errorf("unknown model %q (shipped or fitted)", which)
}

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

// rgSpectrumBins is the number of radial bins of the power spectrum at L.
func rgSpectrumBins(L int) int { return max(8, min(32, L/4)) }

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
	sp, err := polyspectra.NewRadialSpectrum(L, rgSpectrumBins(L))
	if err != nil {
		return nil, nil, err
	}
	return h, sp, nil
}

// rgGen is one generation in progress or finished.
type rgGen struct {
	L, J    int
	beta    float64
	seed    uint64
	which   string
	info    RGModelInfo
	s       rgSampler
	total   int
	steps   int
	truth   *rgTruth
	rec     []rgGIFFrame
	lastRec [2]int // stage, step of the last recorded frame
	done    bool
	doneFr  *Frames // the finished frames, kept for re-sending
}

// rgGIFFrame is one recorded frame of the animation: palette indices at the
// field's own size.
type rgGIFFrame struct {
	n   int
	pix []uint8
}

// Start loads the model for the request, creates the sampler and returns
// the first frames: the starting coarsest field, the ground-truth sample
// and statistics, and the learned energy of every stage.
func (s *RGSession) Start(r RGStartRequest, progress Progress) (*Frames, error) {
	if progress == nil {
		progress = func(int, int, string) {}
	}
	if err := checkRGLattice(r.L, r.Beta); err != nil {
		return nil, err
	}
	progress(0, 3, "loading the model")
	m, which, err := s.model(r.L, r.Model)
	if err != nil {
		return nil, err
	}
	info := m.Info()
	progress(1, 3, "ground truth")
	truth, err := s.groundTruth(r.L)
	if err != nil {
		return nil, err
	}
	sm, err := m.NewSampler(r.Seed)
	if err != nil {
		return nil, err
	}
	g := &rgGen{L: r.L, J: info.J, beta: info.Beta, seed: r.Seed, which: which, info: info, s: sm, truth: truth, lastRec: [2]int{-1, -1}}
	for _, st := range info.Stages {
		g.total += st.Steps
	}
	s.gen = g
	g.record()
	progress(2, 3, "learned energies")

	fr := NewFrames("renormalise")
	fr.Values["kind"] = "start"
	fr.Values["L"] = g.L
	fr.Values["J"] = g.J
	fr.Values["beta"] = g.beta
	fr.Values["seed"] = g.seed
	fr.Values["model"] = which
	fr.Values["provenance"] = info.Provenance
	fr.Values["stages"] = info.Stages
	fr.Values["limit"] = RGLimit
	if err := g.addProgress(fr); err != nil {
		return nil, err
	}
	ts := truth.samples[int(r.Seed%uint64(len(truth.samples)))]
	if err := fr.AddField("truth", ts, field.Diverging, -RGLimit, RGLimit); err != nil {
		return nil, err
	}
	fr.Values["truth"] = map[string]any{
		"n":     len(truth.samples),
		"phi2":  truth.phi2,
		"shown": int(r.Seed % uint64(len(truth.samples))), // the sample drawn
	}
	for name, xs := range map[string][]float64{"edges": truth.edges, "density": truth.density, "k": truth.k, "power": truth.power} {
		if err := fr.AddSeries("series/truth/"+name, xs); err != nil {
			return nil, err
		}
	}
	es, err := m.Energies()
	if err != nil {
		return nil, err
	}
	if len(es) != len(info.Stages) {
		return nil, fmt.Errorf("the model has energies for %d stages, not %d", len(es), len(info.Stages))
	}
	var energies []map[string]any
	for st, e := range es {
		var ks []map[string]any
		for i, k := range e.Kernels {
			name := fmt.Sprintf("kernel/%d/%d", st, i)
			kf, err := field.FromSlice(k.W, k.H, k.Data)
			if err != nil {
				return nil, fmt.Errorf("kernel %s: %w", k.Name, err)
			}
			lim := kernelLimit(k)
			if err := fr.AddField(name, kf, field.Diverging, -lim, lim); err != nil {
				return nil, err
			}
			ks = append(ks, map[string]any{"image": name, "name": k.Name})
		}
		energies = append(energies, map[string]any{"kernels": ks})
		if err := fr.AddSeries(fmt.Sprintf("series/energy/%d/t", st), e.T); err != nil {
			return nil, err
		}
		if err := fr.AddSeries(fmt.Sprintf("series/energy/%d/v", st), e.V); err != nil {
			return nil, err
		}
	}
	fr.Values["energy"] = energies
	progress(3, 3, "ready")
	return fr, nil
}

// addProgress adds the current field and the generation's progress.
func (g *rgGen) addProgress(fr *Frames) error {
	cur := g.s.Current()
	if err := fr.AddField("current", cur, field.Diverging, -RGLimit, RGLimit); err != nil {
		return err
	}
	stage, step := g.s.Phase()
	ph := map[string]any{"stage": stage, "step": step, "total": 0, "j": g.J, "size": cur.W, "name": ""}
	if stage >= 0 && stage < len(g.info.Stages) {
		st := g.info.Stages[stage]
		ph["total"], ph["j"], ph["size"], ph["name"] = st.Steps, st.J, st.Size, st.Name
	}
	fr.Values["phase"] = ph
	fr.Values["steps_done"] = g.steps
	fr.Values["total_steps"] = g.total
	acc := g.s.Acceptance()
	for i, a := range acc {
		if math.IsNaN(a) {
			acc[i] = -1 // not started
		}
	}
	fr.Values["acceptance"] = sig(acc)
	grad, sec := g.s.Work()
	fr.Values["cost"] = map[string]any{"grad_evals": grad, "seconds": sec}
	fr.Values["done"] = g.done
	fr.Values["L"] = g.L
	fr.Values["J"] = g.J
	fr.Values["beta"] = g.beta
	fr.Values["model"] = g.which
	return nil
}

// record keeps a frame of the animation when the generation reaches a new
// stage, every ~1/rgGIFPerStage of a stage, and at the end.
func (g *rgGen) record() {
	stage, step := g.s.Phase()
	if g.done {
		stage, step = len(g.info.Stages), 0
	}
	every := 1
	if stage >= 0 && stage < len(g.info.Stages) {
		every = max(1, g.info.Stages[stage].Steps/rgGIFPerStage)
	}
	if stage == g.lastRec[0] && step-g.lastRec[1] < every && !g.done {
		return
	}
	g.lastRec = [2]int{stage, step}
	cur := g.s.Current()
	if g.done {
		cur = g.s.Field()
	}
	pix := make([]uint8, cur.W*cur.H)
	for i, v := range cur.Data {
		pix[i] = rgPaletteIndex(v)
	}
	g.rec = append(g.rec, rgGIFFrame{n: cur.W, pix: pix})
}

// rgPalette is the diverging colormap over [−RGLimit, RGLimit] in 256
// colours.
var rgPalette = func() color.Palette {
	p := make(color.Palette, 256)
	for i := range p {
		p[i] = field.Diverging.Color(float64(i) / 255)
	}
	return p
}()

func rgPaletteIndex(v float64) uint8 {
	if math.IsNaN(v) {
		return 128
	}
	t := (v + RGLimit) / (2 * RGLimit)
	return uint8(math.Round(255 * max(0, min(1, t))))
}

// Step advances the generation by at most r.K MALA steps and at most
// r.MaxMs milliseconds, and returns the current field and progress; when
// the generation finishes it adds the finished hierarchy and statistics.
func (s *RGSession) Step(r RGStepRequest) (*Frames, error) {
	g := s.gen
	if g == nil {
		return nil, fmt.Errorf("no generation in progress: start one first")
	}
	if r.K < 1 || r.K > MaxRGStepK {
		return nil, fmt.Errorf("k=%d steps: ask for 1 to %d", r.K, MaxRGStepK)
	}
	if math.IsNaN(r.MaxMs) || r.MaxMs < 0 {
		return nil, fmt.Errorf("max_ms=%v: want a time in milliseconds", r.MaxMs)
	}
	budget := r.MaxMs
	if budget == 0 {
		budget = DefaultRGStepMs
	}
	budget = min(budget, MaxRGStepMs)
	if g.done {
		return g.doneFr, nil
	}
	t0 := time.Now()
	deadline := time.Duration(budget * float64(time.Millisecond))
	n := 0
	for n < r.K && !g.s.Done() {
		if err := g.s.Step(1); err != nil {
			return nil, err
		}
		n++
		g.steps++
		if !g.s.Done() {
			g.record()
		}
		if time.Since(t0) >= deadline {
			break
		}
	}
	fr := NewFrames("renormalise")
	fr.Values["kind"] = "step"
	fr.Values["steps"] = n
	if g.s.Done() {
		g.done = true
		g.record()
		if err := g.finish(fr); err != nil {
			return nil, err
		}
		g.doneFr = fr
		return fr, nil
	}
	if err := g.addProgress(fr); err != nil {
		return nil, err
	}
	return fr, nil
}

// finish adds the finished generation: the hierarchy, the final field and
// its statistics against the ground truth.
func (g *rgGen) finish(fr *Frames) error {
	fr.Values["kind"] = "done"
	if err := g.addProgress(fr); err != nil {
		return err
	}
	phi := g.s.Field()
	if phi == nil || phi.W != g.L || phi.H != g.L {
		return fmt.Errorf("the sampler finished without an %d×%d field", g.L, g.L)
	}
	if err := phi.CheckFinite(); err != nil {
		return fmt.Errorf("generated field: %w", err)
	}
	if err := fr.AddField("final", phi, field.Diverging, -RGLimit, RGLimit); err != nil {
		return err
	}
	approx, details := g.s.Hierarchy()
	if len(approx) != g.J+1 || len(details) != g.J+1 {
		return fmt.Errorf("the hierarchy has %d approximations and %d detail levels, want %d", len(approx), len(details), g.J+1)
	}
	sizes := make([]int, g.J+1)
	limits := make([]float64, g.J+1)
	for j := 0; j <= g.J; j++ {
		sizes[j] = approx[j].W
		if err := fr.AddField(fmt.Sprintf("x/%d", j), approx[j], field.Diverging, -RGLimit, RGLimit); err != nil {
			return err
		}
		if j == 0 {
			continue
		}
		m := 0.0
		for _, b := range details[j] {
			lo, hi := b.MinMax()
			m = math.Max(m, math.Max(math.Abs(lo), math.Abs(hi)))
		}
		if m == 0 || math.IsNaN(m) {
			m = 1
		}
		limits[j] = m
		for b, name := range [3]string{"H", "V", "D"} {
			if err := fr.AddField(fmt.Sprintf("%s/%d", name, j), details[j][b], field.Diverging, -m, m); err != nil {
				return err
			}
		}
	}
	fr.Values["sizes"] = sizes
	fr.Values["detail_limits"] = limits

	hist, spec, err := newRGStats(g.L)
	if err != nil {
		return err
	}
	hist.Add(phi.Data)
	if err := spec.Add(phi.Data); err != nil {
		return err
	}
	var mom phi4.Moments
	if err := mom.Add(phi); err != nil {
		return err
	}
	gd := hist.Density()
	_, all := spec.Result()
	t := g.truth
	gp := make([]float64, len(t.keep))
	for i, b := range t.keep {
		if v := all[b]; !math.IsNaN(v) && !math.IsInf(v, 0) {
			gp[i] = v
		}
	}
	tv := 0.0
	for i := range gd {
		tv += 0.5 * math.Abs(gd[i]-t.density[i]) * (t.edges[i+1] - t.edges[i])
	}
	lr, nlr := 0.0, 0
	for i := range gp {
		if t.k[i] > 0 && gp[i] > 0 && t.power[i] > 0 && !math.IsNaN(gp[i]) && !math.IsNaN(t.power[i]) {
			lr += math.Abs(math.Log(gp[i] / t.power[i]))
			nlr++
		}
	}
	if nlr > 0 {
		lr /= float64(nlr)
	}
	fr.Values["generated"] = map[string]any{"phi2": mom.Phi2(), "m": mom.M()}
	if err := fr.AddSeries("series/generated/density", gd); err != nil {
		return err
	}
	if err := fr.AddSeries("series/generated/power", gp); err != nil {
		return err
	}
	fr.Values["hist_tv"] = tv
	fr.Values["spectrum_log_ratio"] = lr
	fr.Values["frames_recorded"] = len(g.rec)
	return nil
}

// Fit refits the model for RGFitL from the shipped samples and keeps it as
// the "fitted" model.
func (s *RGSession) Fit(r RGFitRequest, progress Progress) (*Frames, error) {
	if r.L == 0 {
		r.L = RGFitL
	}
	if r.L != RGFitL {
		return nil, fmt.Errorf("L=%d: the page fits from the shipped L=%d samples only", r.L, RGFitL)
	}
	if err := checkRGBeta(r.Beta); err != nil {
		return nil, err
	}
	if s.src.Fit == nil || s.src.Samples == nil {
		return nil, fmt.Errorf("fitting is not available in this build")
	}
	data, err := s.src.Samples(r.L)
	if err != nil {
		return nil, err
	}
	n := r.N
	if n == 0 {
		n = DefaultRGFitN
	}
	if n < 2 {
		return nil, fmt.Errorf("n=%d: fit from at least 2 samples", r.N)
	}
	shipped := len(data)
	data = data[:min(n, len(data))]
	t0 := time.Now()
	m, err := s.src.Fit(data, RGBeta, throttle(progress, 50*time.Millisecond))
	if err != nil {
		return nil, err
	}
	sec := time.Since(t0).Seconds()
	info := m.Info()
	if info.L != r.L {
		return nil, fmt.Errorf("the fit returned a model for L=%d, not %d", info.L, r.L)
	}
	s.fitted = m
	fr := NewFrames("renormalise")
	fr.Values["kind"] = "fit"
	fr.Values["L"] = r.L
	fr.Values["n"] = len(data)
	fr.Values["shipped"] = shipped
	fr.Values["calibrated"] = info.Calibrated
	if ref, _, err := s.model(r.L, "shipped"); err == nil {
		fr.Values["shipped_calibrated"] = ref.Info().Calibrated
	}
	fr.Values["scales"] = len(info.Stages)
	fr.Values["J"] = info.J
	fr.Values["seconds"] = sec
	fr.Values["provenance"] = info.Provenance
	s.fitVal = fr.Values
	return fr, nil
}

// Export returns the finished generation as a file: the Frames carry no
// images, their buffer is the file's bytes.
func (s *RGSession) Export(r RGExportRequest, progress Progress) (*Frames, error) {
	if progress == nil {
		progress = func(int, int, string) {}
	}
	g := s.gen
	if g == nil || !g.done {
		return nil, fmt.Errorf("nothing to export: generate a field first and let it finish")
	}
	var b bytes.Buffer
	var mime, ext string
	phi := g.s.Field()
	switch r.Format {
	case "gif":
		if err := g.writeGIF(&b, progress); err != nil {
			return nil, err
		}
		mime, ext = "image/gif", "gif"
	case "png":
		if err := field.WritePNG(&b, phi, field.Diverging, -RGLimit, RGLimit); err != nil {
			return nil, err
		}
		mime, ext = "image/png", "png"
	case "npy":
		if err := field.WriteNPY(&b, phi, field.Float32); err != nil {
			return nil, err
		}
		mime, ext = "application/octet-stream", "npy"
	default:
		return nil, fmt.Errorf("unknown export format %q (gif, png or npy)", r.Format)
	}
	fr := NewFrames("renormalise")
	fr.Values["kind"] = "export"
	fr.Values["format"] = r.Format
	fr.Values["mime"] = mime
	fr.Values["filename"] = fmt.Sprintf("scalewise-rg-phi4-L%d-beta%g-seed%d.%s", g.L, g.beta, g.seed, ext)
	fr.Values["size"] = b.Len()
	fr.buf = b.Bytes()
	return fr, nil
}

// writeGIF encodes the recorded coarse-to-fine frames (see writeGIF).
func (g *rgGen) writeGIF(w *bytes.Buffer, progress Progress) error {
	return writeGIF(w, g.rec, rgPalette, rgGIFSide, progress)
}

// writeGIF encodes recorded frames (palette indices of square fields, of
// any sides) as an animated GIF, each frame enlarged by nearest neighbour
// to side², with pal as palette; the last frame holds for two seconds.
// The Renormalise and Scattering scenes export their animations with it.
func writeGIF(w *bytes.Buffer, rec []rgGIFFrame, pal color.Palette, side int, progress Progress) error {
	if len(rec) == 0 {
		return fmt.Errorf("no frames were recorded")
	}
	anim := &gif.GIF{LoopCount: 0}
	S := side
	for i, f := range rec {
		im := image.NewPaletted(image.Rect(0, 0, S, S), pal)
		for y := 0; y < S; y++ {
			row := f.pix[(y*f.n/S)*f.n : (y*f.n/S+1)*f.n]
			for x := 0; x < S; x++ {
				im.Pix[y*S+x] = row[x*f.n/S]
			}
		}
		delay := 8
		if i == len(rec)-1 {
			delay = 200
		}
		anim.Image = append(anim.Image, im)
		anim.Delay = append(anim.Delay, delay)
		if i%8 == 0 {
			progress(i, len(rec), "GIF frames")
		}
	}
	if err := gif.EncodeAll(w, anim); err != nil {
		return err
	}
	progress(len(rec), len(rec), "GIF frames")
	return nil
}

// AddSeries stores xs as float32 values (little endian) under name, as a
// one-row entry of the image table whose 4-byte cells are the values:
// numbers for the canvas app's plots travel in the buffer, not in the JSON
// header, whose decoding in wasm costs much more. NaN and ±Inf become 0.
func (fr *Frames) AddSeries(name string, xs []float64) error {
	if len(xs) == 0 {
		return fmt.Errorf("series %s is empty", name)
	}
	b := make([]byte, 4*len(xs))
	for i, v := range xs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = 0
		}
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(float32(v)))
	}
	return fr.AddRGBA(name, len(xs), 1, b)
}

// Series decodes a series stored by AddSeries from an image table over
// buf.
func Series(images []Image, buf []byte, name string) ([]float64, bool) {
	im, b, ok := Lookup(images, buf, name)
	if !ok || im.H != 1 {
		return nil, false
	}
	out := make([]float64, im.W)
	for i := range out {
		out[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
	}
	return out, true
}

// sig returns xs rounded to 4 significant digits (NaN and ±Inf become 0):
// plot data for the canvas app, whose JSON decoding in wasm costs time in
// proportion to the length of the text.
func sig(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, v := range xs {
		if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
			continue
		}
		out[i], _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 4, 64), 64)
	}
	return out
}

// throttle passes on at most one progress report per interval (and every
// final one, done = total), so that a fine-grained computation does not
// flood the page with messages.
func throttle(p Progress, every time.Duration) Progress {
	if p == nil {
		return nil
	}
	var last time.Time
	return func(done, total int, stage string) {
		if now := time.Now(); done >= total || now.Sub(last) >= every {
			last = now
			p(done, total, stage)
		}
	}
}

// kernelLimit returns the symmetric colour range of a kernel image: the
// largest |coefficient|, leaving out the centre of a kernel of a channel
// with itself, which dominates (the diagonal of the quadratic form) and
// would hide the interactions with the neighbours; it saturates instead.
func kernelLimit(k RGKernel) float64 {
	lim, centre := 0.0, 0.0
	for i, v := range k.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if k.C == k.D && i == (k.H/2)*k.W+k.W/2 {
			centre = math.Abs(v)
			continue
		}
		lim = math.Max(lim, math.Abs(v))
	}
	if lim == 0 {
		lim = centre
	}
	if lim == 0 {
		lim = 1
	}
	return lim
}
