//go:build js

package ui

import (
	"encoding/json"
	"fmt"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"scalewise/ui/layout"
	"scalewise/ui/protocol"
)

// RenormaliseView is what the page asks the Renormalise scene to show.
type RenormaliseView struct {
	J    int    `json:"j"`    // scale of the finished hierarchy, 0 (φ) … J
	Mode string `json:"mode"` // "generate" or "race"
}

// rgCurveInfo is a race curve (the points of one frame, or all kept).
type rgCurveInfo = protocol.RGCurve

// rgValues are the numbers of every kind of compute.RGSession frames;
// each kind fills some of them.
type rgValues = protocol.RGValues

// Renormalise is the scene of renormalisation-group generation: the field
// forming coarse to fine, the finished hierarchy, a ground-truth sample,
// statistics against the ground truth, acceptance per scale, the learned
// energies, and the race against local MCMC.
type Renormalise struct {
	view RenormaliseView
	gen  rgValues // from start, step and done frames (merged)
	race rgValues // from race frames
	// The race curves, RG and MCMC, kept here: each race frame brings
	// only its new points.
	curves [2]rgCurveInfo
	imgs   imageCache

	// version counts the frames and views that change the offscreen
	// layer; layerKey is what the layer shows and layerOK whether it was
	// drawn with every image up to date.
	version  int
	live     bool // the last frames were an animation frame (step, race)
	layer    *ebiten.Image
	layerKey [4]int
	layerOK  bool
}

// NewRenormalise returns an empty scene.
func NewRenormalise() *Renormalise {
	return &Renormalise{view: RenormaliseView{Mode: "generate"}}
}

// Load merges new frames: "start" replaces everything; "step" and "done"
// update the generation; "race" the race.
func (s *Renormalise) Load(header, buf []byte) error {
	var h struct {
		Scene  string           `json:"scene"`
		Images []protocol.Image `json:"images"`
		Values rgValues         `json:"values"`
	}
	if err := json.Unmarshal(header, &h); err != nil {
		return fmt.Errorf("renormalise: bad frame header: %w", err)
	}
	if h.Scene != "renormalise" {
		return fmt.Errorf("renormalise: frames are for scene %q", h.Scene)
	}
	v := h.Values
	s.live = v.Kind == "step" || v.Kind == "race"
	if v.Kind != "step" {
		s.version++
	}
	switch v.Kind {
	case "start":
		if v.J < 1 || len(v.Stages) != v.J+1 || len(v.Energy) != v.J+1 {
			return fmt.Errorf("renormalise: inconsistent start frames (J=%d, %d stages)", v.J, len(v.Stages))
		}
		s.imgs.replace(h.Images, buf)
		s.gen = v
		s.race = rgValues{}
		if s.view.J > v.J {
			s.view.J = v.J
		}
	case "step", "done":
		if s.gen.Kind == "" {
			return fmt.Errorf("renormalise: %s frames before start", v.Kind)
		}
		s.imgs.merge(h.Images, buf, "")
		s.gen.Kind = v.Kind
		s.gen.Phase, s.gen.StepsDone, s.gen.Acceptance, s.gen.Cost, s.gen.Done = v.Phase, v.StepsDone, v.Acceptance, v.Cost, v.Done
		if v.Kind == "done" {
			if len(v.Sizes) != s.gen.J+1 || v.Generated == nil {
				return fmt.Errorf("renormalise: inconsistent done frames")
			}
			s.gen.Generated, s.gen.Sizes, s.gen.HistTV, s.gen.LogRatio = v.Generated, v.Sizes, v.HistTV, v.LogRatio
		}
	case "race":
		if v.RG == nil || v.MCMC == nil || v.History == nil {
			return fmt.Errorf("renormalise: inconsistent race frames")
		}
		s.imgs.merge(h.Images, buf, "race/")
		s.race = v
		if v.History.Reset {
			s.curves = [2]rgCurveInfo{}
		}
		appendCurve(&s.curves[0], v.History.RG)
		appendCurve(&s.curves[1], v.History.MCMC)
	default:
		return fmt.Errorf("renormalise: unknown frames %q", v.Kind)
	}
	return nil
}

// SetView decodes and applies a RenormaliseView.
func (s *Renormalise) SetView(js []byte) error {
	var v RenormaliseView
	if err := json.Unmarshal(js, &v); err != nil {
		return fmt.Errorf("renormalise: bad view: %w", err)
	}
	switch v.Mode {
	case "generate", "race":
	default:
		return fmt.Errorf("renormalise: unknown mode %q", v.Mode)
	}
	if v.J < 0 || (s.gen.J > 0 && v.J > s.gen.J) {
		return fmt.Errorf("renormalise: j=%d out of range 0…%d", v.J, s.gen.J)
	}
	s.view = v
	s.version++
	return nil
}

// Update has no input: the page's controls drive this scene.
func (s *Renormalise) Update() error { return nil }

// LiveLoad reports whether the last frames loaded were an animation frame
// of a generation or race in progress rather than a new view state.
func (s *Renormalise) LiveLoad() bool { return s.live }

// Pending reports whether the last Draw drew stale images (uploads put
// off to later frames), so that the view is not yet complete.
func (s *Renormalise) Pending() bool { return s.imgs.pending() }

var (
	truthColor = color.RGBA{0xb8, 0xc0, 0xc8, 0xff}
	genColor   = color.RGBA{0xff, 0xc8, 0x3c, 0xff}
	mcmcColor  = color.RGBA{0x5a, 0xa0, 0xff, 0xff}
	gridColor  = color.RGBA{0x2c, 0x31, 0x39, 0xff}
	bandColor  = color.RGBA{0x3a, 0x42, 0x30, 0xff}
	barColor   = color.RGBA{0x7d, 0x86, 0x92, 0xff}
)

// Draw implements the scene. What changes only with new frames or a new
// view (plots, kernels, the finished hierarchy, the race) is drawn into an
// offscreen layer when it changes (antialiased paths cost much on a
// software-rendered WebGL); each frame draws the layer and, while a field
// is forming, the live parts over it.
func (s *Renormalise) Draw(dst *ebiten.Image) {
	s.imgs.newFrame(maxUploads)
	if s.gen.Kind == "" {
		message(dst, "Loading the fitted model...")
		return
	}
	race := s.view.Mode == "race"
	key := [4]int{s.version, s.view.J, s.energyStage(), 0}
	if race {
		key[3] = 1
	}
	if layer, fresh := layerFor(s.layer, dst); fresh {
		s.layer, s.layerOK = layer, false
	}
	if key != s.layerKey || !s.layerOK {
		s.layer.Clear()
		d0 := s.imgs.deferred
		if race {
			s.drawRace(s.layer)
		} else {
			s.drawStatic(s.layer)
		}
		s.layerKey, s.layerOK = key, s.imgs.deferred == d0
	}
	dst.DrawImage(s.layer, nil)
	if !race && s.gen.Kind != "done" {
		s.drawLive(dst)
	}
}

// energyStage is the stage whose learned energy the scene shows: the one
// forming, or for the finished hierarchy the one of the scale shown
// (j = 0 shows the finest).
func (s *Renormalise) energyStage() int {
	g := s.gen
	if g.Kind != "done" {
		return g.Phase.Stage
	}
	if j := min(s.view.J, g.J); j > 0 {
		return g.J + 1 - j
	}
	return g.J
}

// drawStatic draws the parts of the generation view that change only with
// new frames or the view: everything once the field is finished.
func (s *Renormalise) drawStatic(dst *ebiten.Image) {
	g := s.gen
	l := layout.Renormalise(size(dst))
	if g.Kind == "done" {
		j := min(s.view.J, g.J)
		title := fmt.Sprintf("generated phi, %dx%d (j = 0)", g.L, g.L)
		if j > 0 {
			title = fmt.Sprintf("x_%d: local averages, %dx%d", j, g.Sizes[j], g.Sizes[j])
		}
		label(dst, title, l.Field.X, l.Field.Y-18)
		if im := s.imgs.image(fmt.Sprintf("x/%d", j)); im != nil {
			strokeRect(dst, drawImageSnap(dst, im, l.Field), 1, frameColor)
		}
		s.drawHierarchy(dst, l.Hierarchy, j)
		s.drawAcceptance(dst, l.Acceptance)
		s.drawInfo(dst, l.Info)
	}
	// The ground-truth sample.
	label(dst, "MCMC sample (FA-HMC)", l.Truth.X, l.Truth.Y-18)
	if im := s.imgs.image("truth"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.Truth), 1, frameColor)
	}
	// Statistics and the learned energy.
	s.drawHistogram(dst, l.Histogram)
	s.drawSpectrum(dst, l.Spectrum)
	s.drawEnergy(dst, l.Energy, s.energyStage())
}

// drawLive draws what changes with every step while a field forms.
func (s *Renormalise) drawLive(dst *ebiten.Image) {
	g := s.gen
	l := layout.Renormalise(size(dst))
	ph := g.Phase
	label(dst, fmt.Sprintf("forming %s, step %d/%d", stageText(ph.Stage, ph.J, ph.Size), ph.Step, ph.Total), l.Field.X, l.Field.Y-18)
	if im := s.imgs.image("current"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.Field), 1, frameColor)
	}
	s.drawStages(dst, l.Stages)
	s.drawAcceptance(dst, l.Acceptance)
	s.drawInfo(dst, l.Info)
}

// drawInfo prints the settings and the cost so far: only reproducible
// numbers (a link reproduces the canvas); the page shows the times.
func (s *Renormalise) drawInfo(dst *ebiten.Image, r Rect) {
	g := s.gen
	model := "shipped model"
	if g.Model == "fitted" {
		model = "model fitted in page"
	}
	info := fmt.Sprintf("L = %d, beta = %g, seed %d\n%s\nMALA steps %d / %d\ncost: %.0f gradients\n (whole-lattice size)",
		g.L, g.Beta, g.Seed, model, g.StepsDone, g.TotalSteps, g.Cost.GradEvals)
	label(dst, info, r.X, r.Y)
}

// stageText describes what a stage forms: x_J itself, or x_{j−1} from x_j
// and the details xbar_j.
func stageText(stage, j, size int) string {
	if stage == 0 {
		return fmt.Sprintf("x_J = x_%d (%dx%d)", j, size, size)
	}
	return fmt.Sprintf("x_%d (%dx%d) = W^-1(x_%d, xbar_%d)", j-1, size, size, j, j)
}

// drawHierarchy draws the x_j of every scale (coarse to fine, the selected
// one outlined) and the details x̄_j of the selected scale.
func (s *Renormalise) drawHierarchy(dst *ebiten.Image, r Rect, j int) {
	g := s.gen
	n := g.J + 1
	cell := min(56, (r.W-float32(n-1)*4)/float32(n))
	label(dst, "x_J ... x_0, coarse to fine", r.X, r.Y-2)
	for k := 0; k <= g.J; k++ {
		jj := g.J - k
		c := r.Row(16, cell).Column(float32(k)*(cell+4), cell)
		if im := s.imgs.image(fmt.Sprintf("x/%d", jj)); im != nil {
			drawImageSnap(dst, im, c)
		}
		col := frameColor
		w := float32(1)
		if jj == j {
			col, w = highlightColor, 2
		}
		strokeRect(dst, c, w, col)
	}
	y := r.Y + 16 + cell + 8
	if j == 0 {
		label(dst, "j = 0 is phi itself. Step j up (>)\nto see x_j and its details xbar_j.", r.X, y)
		return
	}
	label(dst, fmt.Sprintf("details xbar_%d = (H, V, D), %dx%d each", j, g.Sizes[j], g.Sizes[j]), r.X, y)
	side := min((r.W-16)/3, r.Y+r.H-(y+18))
	for b, name := range [3]string{"H", "V", "D"} {
		c := Rect{X: r.X + float32(b)*(side+8), Y: y + 18, W: side, H: side}
		if im := s.imgs.image(fmt.Sprintf("%s/%d", name, j)); im != nil {
			strokeRect(dst, drawImageSnap(dst, im, c), 1, frameColor)
		}
	}
}

// drawStages shows the stages of the generation and how far each has run.
func (s *Renormalise) drawStages(dst *ebiten.Image, r Rect) {
	g := s.gen
	label(dst, "stages, coarse to fine: xbar_j|x_j -> x_j-1", r.X, r.Y-8)
	n := len(g.Stages)
	h := min(26, (r.H-16)/float32(n))
	for i, st := range g.Stages {
		y := r.Y + 12 + float32(i)*h
		frac := float32(0)
		switch {
		case i < g.Phase.Stage:
			frac = 1
		case i == g.Phase.Stage && st.Steps > 0:
			frac = float32(g.Phase.Step) / float32(st.Steps)
		}
		bar := Rect{X: r.X + 120, Y: y + 2, W: r.W - 120, H: h - 6}
		vector.DrawFilledRect(dst, bar.X, bar.Y, bar.W*frac, bar.H, genColor, false)
		strokeRect(dst, bar, 1, frameColor)
		name := "x_J"
		if i > 0 {
			name = fmt.Sprintf("xbar%d|x%d", st.J, st.J)
		}
		label(dst, fmt.Sprintf("%-10s%dx%d", name, st.Size, st.Size), r.X, y)
	}
}

// drawAcceptance draws the MALA acceptance rate of each stage.
func (s *Renormalise) drawAcceptance(dst *ebiten.Image, r Rect) {
	g := s.gen
	label(dst, "acceptance per stage", r.X, r.Y-18)
	n := len(g.Stages)
	if n == 0 {
		return
	}
	strokeRect(dst, r, 1, gridColor)
	bw := r.W / float32(n)
	for i := range g.Stages {
		x := r.X + float32(i)*bw
		if i < len(g.Acceptance) && g.Acceptance[i] >= 0 {
			a := float32(min(1, g.Acceptance[i]))
			c := barColor
			if i == g.Phase.Stage && g.Kind != "done" {
				c = genColor
			}
			vector.DrawFilledRect(dst, x+2, r.Y+r.H-a*r.H, bw-4, a*r.H, c, false)
		}
	}
	// The target of the step-size adaptation, about 0.57.
	y := r.Y + r.H - 0.57*r.H
	vector.StrokeLine(dst, r.X, y, r.X+r.W, y, 1, highlightColor, false)
	label(dst, "0.57", r.X+r.W+2, y-8)
	label(dst, "x_J", r.X+2, r.Y+r.H+2)
	label(dst, "j=1", r.X+r.W-20, r.Y+r.H+2)
}

func (s *Renormalise) drawHistogram(dst *ebiten.Image, r Rect) {
	label(dst, "marginal of phi: truth (grey), generated (yellow)", r.X, r.Y-18)
	edges, _ := s.imgs.series("series/truth/edges")
	density, _ := s.imgs.series("series/truth/density")
	if len(edges) < 2 || len(density) != len(edges)-1 {
		return
	}
	var gd []float64
	if s.gen.Kind == "done" {
		gd, _ = s.imgs.series("series/generated/density")
	}
	centres := make([]float64, len(density))
	for i := range centres {
		centres[i] = (edges[i] + edges[i+1]) / 2
	}
	ymax := 0.0
	for _, v := range append(append([]float64{}, density...), gd...) {
		ymax = math.Max(ymax, v)
	}
	ax := newAxes(r, layout.Lin(edges[0], edges[len(edges)-1]), layout.Lin(0, 1.1*math.Max(ymax, 1e-9)))
	ax.frame(dst)
	ax.line(dst, centres, density, truthColor, 2)
	if len(gd) == len(centres) {
		ax.line(dst, centres, gd, genColor, 1.5)
	}
	label(dst, fmt.Sprintf("%g", ax.X.Min), r.X, r.Y+r.H+1)
	label(dst, fmt.Sprintf("%g", ax.X.Max), r.X+r.W-18, r.Y+r.H+1)
}

func (s *Renormalise) drawSpectrum(dst *ebiten.Image, r Rect) {
	label(dst, "power spectrum P(|k|), log-log", r.X, r.Y-18)
	ks, _ := s.imgs.series("series/truth/k")
	tp, _ := s.imgs.series("series/truth/power")
	if len(ks) == 0 || len(tp) != len(ks) {
		return
	}
	var gp []float64
	if s.gen.Kind == "done" {
		gp, _ = s.imgs.series("series/generated/power")
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range append(append([]float64{}, tp...), gp...) {
		if p > 0 && !math.IsInf(p, 0) {
			lo, hi = math.Min(lo, p), math.Max(hi, p)
		}
	}
	kmin := math.Inf(1)
	for _, k := range ks {
		if k > 0 {
			kmin = math.Min(kmin, k)
		}
	}
	if math.IsInf(lo, 0) || math.IsInf(kmin, 0) {
		return
	}
	ax := newAxes(r, layout.Log10(kmin, ks[len(ks)-1]), layout.Log10(lo/1.5, hi*1.5))
	ax.frame(dst)
	ax.line(dst, ks, tp, truthColor, 2)
	if len(gp) == len(ks) {
		ax.line(dst, ks, gp, genColor, 1.5)
	}
	label(dst, fmt.Sprintf("|k| %.2g", kmin), r.X, r.Y+r.H+1)
	label(dst, fmt.Sprintf("%.2g", ax.X.Max), r.X+r.W-24, r.Y+r.H+1)
	if s.gen.Kind == "done" {
		label(dst, fmt.Sprintf("mean |log P/P_true| %.3f", s.gen.LogRatio), r.X+r.W-160, r.Y+2)
	}
}

// drawEnergy draws the learned energy of a stage: its quadratic kernels as
// small images and its potential V(t) as a curve.
func (s *Renormalise) drawEnergy(dst *ebiten.Image, r Rect, stage int) {
	g := s.gen
	if stage < 0 || stage >= len(g.Energy) || stage >= len(g.Stages) {
		return
	}
	e := g.Energy[stage]
	st := g.Stages[stage]
	label(dst, fmt.Sprintf("learned energy, stage %s: kernels K (stencil)", st.Name), r.X, r.Y-6)
	const cell, gap = 44, 14
	for i, k := range e.Kernels {
		c := Rect{X: r.X + float32(i%3)*(cell+16), Y: r.Y + 12 + float32(i/3)*(cell+gap+6), W: cell, H: cell}
		if im := s.imgs.image(k.Image); im != nil {
			strokeRect(dst, drawImageSnap(dst, im, c), 1, frameColor)
		}
		label(dst, k.Name, c.X, c.Y+cell)
	}
	pr := r.Shrink(196, 28, 4, 22)
	label(dst, "potential V(t)", pr.X, pr.Y-18)
	t, _ := s.imgs.series(fmt.Sprintf("series/energy/%d/t", stage))
	v, _ := s.imgs.series(fmt.Sprintf("series/energy/%d/v", stage))
	if len(t) < 2 || len(v) != len(t) {
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, y := range v {
		if !math.IsNaN(y) {
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
	}
	if math.IsInf(lo, 0) {
		return
	}
	if hi-lo < 1e-12 {
		lo, hi = lo-1, hi+1
	}
	pad := 0.08 * (hi - lo)
	ax := newAxes(pr, layout.Lin(t[0], t[len(t)-1]), layout.Lin(lo-pad, hi+pad))
	ax.frame(dst)
	ax.line(dst, t, v, genColor, 1.5)
	label(dst, fmt.Sprintf("%.1f", t[0]), pr.X, pr.Y+pr.H+1)
	label(dst, fmt.Sprintf("%.1f", t[len(t)-1]), pr.X+pr.W-24, pr.Y+pr.H+1)
}

// drawRace draws RG sampling against local MCMC.
func (s *Renormalise) drawRace(dst *ebiten.Image) {
	rc := s.race
	if rc.RG == nil {
		message(dst, "Starting the race...")
		return
	}
	l := layout.Race(size(dst))
	label(dst, fmt.Sprintf("Race on %dx%d at beta = %g: RG (yellow) vs local MALA (blue), equal shares of the worker's time", rc.L, rc.L, rc.Beta), l.Title.X, l.Title.Y)
	label(dst, "RG: latest independent sample", l.RG.X, l.RG.Y-18)
	if im := s.imgs.image("race/rg"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.RG), 2, genColor)
	}
	label(dst, "local MALA: the chain now", l.MCMC.X, l.MCMC.Y-18)
	if im := s.imgs.image("race/mcmc"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.MCMC), 2, mcmcColor)
	}
	perSample := "-"
	if rc.RG.Samples > 0 {
		perSample = fmt.Sprintf("%.0f", rc.RG.GradEvals/float64(rc.RG.Samples))
	}
	label(dst, fmt.Sprintf("RG, coarse to fine\n%d independent samples\n%.0f gradients, %.2f s\n%s gradients per sample\nBinder U = %s\n<phi^2> = %s",
		rc.RG.Samples, rc.RG.GradEvals, rc.RG.Seconds, perSample, fmtPtr(rc.RG.Binder), fmtPtr(rc.RG.Phi2)), l.RGText.X, l.RGText.Y)
	tau, indep := "not yet measurable", "-"
	if t := rc.MCMC.Tau; t != nil && *t > 0 {
		tau = fmt.Sprintf("%.0f sweeps", *t)
		indep = fmt.Sprintf("%.1f", float64(rc.MCMC.Sweeps)/(2**t))
		perSample = fmt.Sprintf("%.0f", 2**t*rc.MCMC.GradEvals/math.Max(1, float64(rc.MCMC.Sweeps)))
	} else {
		perSample = "?"
	}
	label(dst, fmt.Sprintf("local MALA, one chain\n%d sweeps = %s indep. samples\n%.0f gradients, %.2f s\n%s gradients per sample\nBinder U = %s\n<phi^2> = %s\ntau_int(m^2): %s",
		rc.MCMC.Sweeps, indep, rc.MCMC.GradEvals, rc.MCMC.Seconds, perSample, fmtPtr(rc.MCMC.Binder), fmtPtr(rc.MCMC.Phi2), tau), l.MCText.X, l.MCText.Y)
	label(dst, "Running Binder cumulant U = 1 - <m^4>/(3<m^2>^2)\nagainst the cost; the band: critical U, 0.61-0.64.\nAn independent sample costs a local chain 2 tau_int\nsweeps, and tau_int grows like L^2 at criticality.", l.Note.X, l.Note.Y)

	h := s.curves
	ymin, ymax := 0.0, 0.8
	// Binder against seconds.
	tmax := math.Max(1e-3, math.Max(rc.RG.Seconds, rc.MCMC.Seconds))
	a := newAxes(l.Time, layout.Lin(0, tmax), layout.Lin(ymin, ymax))
	r := a.Rect
	label(dst, "Binder U against time (s)", r.X, r.Y-18)
	a.band(dst, 0.61, 0.64)
	a.frame(dst)
	a.line(dst, h[0].T, h[0].U, genColor, 2)
	a.line(dst, h[1].T, h[1].U, mcmcColor, 2)
	label(dst, "0", r.X, r.Y+r.H+1)
	label(dst, fmt.Sprintf("%.1f s", tmax), r.X+r.W-40, r.Y+r.H+1)
	label(dst, fmt.Sprintf("%.1f", ymax), r.X-26, r.Y)
	label(dst, fmt.Sprintf("%.1f", ymin), r.X-26, r.Y+r.H-14)
	// Binder against gradient evaluations, log scale.
	gmax := math.Max(10, math.Max(rc.RG.GradEvals, rc.MCMC.GradEvals))
	b := newAxes(l.Grad, layout.Log10(1, gmax), layout.Lin(ymin, ymax))
	r = b.Rect
	label(dst, "Binder U against whole-lattice gradients (log)", r.X, r.Y-18)
	b.band(dst, 0.61, 0.64)
	b.frame(dst)
	b.line(dst, h[0].G, h[0].U, genColor, 2)
	b.line(dst, h[1].G, h[1].U, mcmcColor, 2)
	label(dst, "1", r.X, r.Y+r.H+1)
	label(dst, fmt.Sprintf("%.0f", gmax), r.X+r.W-40, r.Y+r.H+1)
}

func fmtPtr(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f", *p)
}

// rgCurveMax bounds the points kept of each race curve.
const rgCurveMax = 400

// appendCurve adds the points of n to c, keeping every other point once
// the curve is longer than rgCurveMax (the newest always stays).
func appendCurve(c *rgCurveInfo, n rgCurveInfo) {
	k := min(len(n.T), len(n.G), len(n.U))
	c.T, c.G, c.U = append(c.T, n.T[:k]...), append(c.G, n.G[:k]...), append(c.U, n.U[:k]...)
	if len(c.T) <= rgCurveMax {
		return
	}
	last := len(c.T) - 1
	j := 0
	for i := 0; i < last; i += 2 {
		c.T[j], c.G[j], c.U[j] = c.T[i], c.G[i], c.U[i]
		j++
	}
	c.T[j], c.G[j], c.U[j] = c.T[last], c.G[last], c.U[last]
	c.T, c.G, c.U = c.T[:j+1], c.G[:j+1], c.U[:j+1]
}
