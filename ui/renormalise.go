//go:build js

package ui

import (
	"encoding/json"
	"fmt"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"scalewise/ui/compute"
)

// RenormaliseView is what the page asks the Renormalise scene to show.
type RenormaliseView struct {
	J    int    `json:"j"`    // scale of the finished hierarchy, 0 (φ) … J
	Mode string `json:"mode"` // "generate" or "race"
}

// rgStats are one-field or ground-truth statistics from compute.RGSession
// (their curves travel as series in the frame buffer).
type rgStats struct {
	N    int       `json:"n"`
	Phi2 float64   `json:"phi2"`
	M    float64   `json:"m"`
	K    []float64 `json:"k"`
}

type rgKernelInfo struct {
	Image string  `json:"image"`
	Name  string  `json:"name"`
	Limit float64 `json:"limit"`
}

type rgEnergyInfo struct {
	Kernels []rgKernelInfo `json:"kernels"`
}

type rgPhaseInfo struct {
	Stage int    `json:"stage"`
	Step  int    `json:"step"`
	Total int    `json:"total"`
	J     int    `json:"j"`
	Size  int    `json:"size"`
	Name  string `json:"name"`
}

type rgSide struct {
	Samples    int      `json:"samples"`
	Sweeps     int      `json:"sweeps"`
	GradEvals  float64  `json:"grad_evals"`
	Seconds    float64  `json:"seconds"`
	Binder     *float64 `json:"binder"`
	Phi2       *float64 `json:"phi2"`
	Acceptance float64  `json:"acceptance"`
	Tau        *float64 `json:"tau"`
}

type rgCurveInfo struct {
	T []float64 `json:"t"`
	G []float64 `json:"g"`
	U []float64 `json:"u"`
}

// rgValues are the numbers of every kind of compute.RGSession frames;
// each kind fills some of them.
type rgValues struct {
	Kind       string            `json:"kind"`
	L          int               `json:"L"`
	J          int               `json:"J"`
	Beta       float64           `json:"beta"`
	Seed       uint64            `json:"seed"`
	Model      string            `json:"model"`
	Stages     []compute.RGStage `json:"stages"`
	Phase      rgPhaseInfo       `json:"phase"`
	StepsDone  int               `json:"steps_done"`
	TotalSteps int               `json:"total_steps"`
	Acceptance []float64         `json:"acceptance"` // −1: not started
	Cost       struct {
		GradEvals float64 `json:"grad_evals"`
		Seconds   float64 `json:"seconds"`
	} `json:"cost"`
	Done      bool           `json:"done"`
	Truth     *rgStats       `json:"truth"`
	Generated *rgStats       `json:"generated"`
	Energy    []rgEnergyInfo `json:"energy"`
	HistTV    float64        `json:"hist_tv"`
	LogRatio  float64        `json:"spectrum_log_ratio"`
	Sizes     []int          `json:"sizes"`
	RG        *rgSide        `json:"rg"`
	MCMC      *rgSide        `json:"mcmc"`
	History   *struct {
		RG    rgCurveInfo `json:"rg"`
		MCMC  rgCurveInfo `json:"mcmc"`
		Reset bool        `json:"reset"`
	} `json:"history"` // the new points of the race curves
}

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
	imgs   mergedImages

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
		Scene  string          `json:"scene"`
		Images []compute.Image `json:"images"`
		Values rgValues        `json:"values"`
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
		s.curves[0].append(v.History.RG)
		s.curves[1].append(v.History.MCMC)
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
	s.imgs.newFrame()
	if s.gen.Kind == "" {
		label(dst, "Loading the fitted model...", 40, 40)
		return
	}
	race := s.view.Mode == "race"
	key := [4]int{s.version, s.view.J, s.energyStage(), 0}
	if race {
		key[3] = 1
	}
	if s.layer == nil {
		s.layer = ebiten.NewImage(ScreenW, ScreenH)
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
	if g.Kind == "done" {
		j := min(s.view.J, g.J)
		big := Rect{12, 22, 300, 300}
		title := fmt.Sprintf("generated phi, %dx%d (j = 0)", g.L, g.L)
		if j > 0 {
			title = fmt.Sprintf("x_%d: local averages, %dx%d", j, g.Sizes[j], g.Sizes[j])
		}
		label(dst, title, big.X, 4)
		if im := s.imgs.image(fmt.Sprintf("x/%d", j)); im != nil {
			strokeRect(dst, drawImageSnap(dst, im, big), 1, frameColor)
		}
		s.drawHierarchy(dst, Rect{12, 332, 300, 206}, j)
		s.drawAcceptance(dst, Rect{334, 252, 200, 110})
		s.drawInfo(dst)
	}
	// Middle: the ground-truth sample.
	label(dst, "MCMC sample (FA-HMC)", 334, 4)
	if im := s.imgs.image("truth"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, Rect{334, 22, 200, 200}), 1, frameColor)
	}
	// Right: statistics and the learned energy.
	s.drawHistogram(dst, Rect{562, 22, 384, 120})
	s.drawSpectrum(dst, Rect{562, 176, 384, 120})
	s.drawEnergy(dst, Rect{562, 324, 384, 210}, s.energyStage())
}

// drawLive draws what changes with every step while a field forms.
func (s *Renormalise) drawLive(dst *ebiten.Image) {
	g := s.gen
	big := Rect{12, 22, 300, 300}
	ph := g.Phase
	label(dst, fmt.Sprintf("forming %s, step %d/%d", stageText(ph.Stage, ph.J, ph.Size), ph.Step, ph.Total), big.X, 4)
	if im := s.imgs.image("current"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, big), 1, frameColor)
	}
	s.drawStages(dst, Rect{12, 340, 300, 190})
	s.drawAcceptance(dst, Rect{334, 252, 200, 110})
	s.drawInfo(dst)
}

// drawInfo prints the settings and the cost so far: only reproducible
// numbers (a link reproduces the canvas); the page shows the times.
func (s *Renormalise) drawInfo(dst *ebiten.Image) {
	g := s.gen
	model := "shipped model"
	if g.Model == "fitted" {
		model = "model fitted in page"
	}
	info := fmt.Sprintf("L = %d, beta = %g, seed %d\n%s\nMALA steps %d / %d\ncost: %.0f gradients\n (whole-lattice size)",
		g.L, g.Beta, g.Seed, model, g.StepsDone, g.TotalSteps, g.Cost.GradEvals)
	label(dst, info, 334, 392)
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
		c := Rect{r.X + float32(k)*(cell+4), r.Y + 16, cell, cell}
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
		c := Rect{r.X + float32(b)*(side+8), y + 18, side, side}
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
		bar := Rect{r.X + 120, y + 2, r.W - 120, h - 6}
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
	ax := axes{r: r, x0: edges[0], x1: edges[len(edges)-1], y0: 0, y1: 1.1 * math.Max(ymax, 1e-9)}
	ax.frame(dst)
	ax.line(dst, centres, density, truthColor, 2)
	if len(gd) == len(centres) {
		ax.line(dst, centres, gd, genColor, 1.5)
	}
	label(dst, fmt.Sprintf("%g", ax.x0), r.X, r.Y+r.H+1)
	label(dst, fmt.Sprintf("%g", ax.x1), r.X+r.W-18, r.Y+r.H+1)
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
	ax := axes{r: r, x0: kmin, x1: ks[len(ks)-1], y0: lo / 1.5, y1: hi * 1.5, logX: true, logY: true}
	ax.frame(dst)
	ax.line(dst, ks, tp, truthColor, 2)
	if len(gp) == len(ks) {
		ax.line(dst, ks, gp, genColor, 1.5)
	}
	label(dst, fmt.Sprintf("|k| %.2g", kmin), r.X, r.Y+r.H+1)
	label(dst, fmt.Sprintf("%.2g", ax.x1), r.X+r.W-24, r.Y+r.H+1)
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
		c := Rect{r.X + float32(i%3)*(cell+16), r.Y + 12 + float32(i/3)*(cell+gap+6), cell, cell}
		if im := s.imgs.image(k.Image); im != nil {
			strokeRect(dst, drawImageSnap(dst, im, c), 1, frameColor)
		}
		label(dst, k.Name, c.X, c.Y+cell)
	}
	pr := Rect{r.X + 196, r.Y + 28, r.W - 200, r.H - 50}
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
	ax := axes{r: pr, x0: t[0], x1: t[len(t)-1], y0: lo - pad, y1: hi + pad}
	ax.frame(dst)
	ax.line(dst, t, v, genColor, 1.5)
	label(dst, fmt.Sprintf("%.1f", t[0]), pr.X, pr.Y+pr.H+1)
	label(dst, fmt.Sprintf("%.1f", t[len(t)-1]), pr.X+pr.W-24, pr.Y+pr.H+1)
}

// drawRace draws RG sampling against local MCMC.
func (s *Renormalise) drawRace(dst *ebiten.Image) {
	rc := s.race
	if rc.RG == nil {
		label(dst, "Starting the race...", 40, 40)
		return
	}
	label(dst, fmt.Sprintf("Race on %dx%d at beta = %g: RG (yellow) vs local MALA (blue), equal shares of the worker's time", rc.L, rc.L, rc.Beta), 12, 4)
	left, mid := Rect{12, 40, 220, 220}, Rect{246, 40, 220, 220}
	label(dst, "RG: latest independent sample", left.X, 22)
	if im := s.imgs.image("race/rg"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, left), 2, genColor)
	}
	label(dst, "local MALA: the chain now", mid.X, 22)
	if im := s.imgs.image("race/mcmc"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, mid), 2, mcmcColor)
	}
	perSample := "-"
	if rc.RG.Samples > 0 {
		perSample = fmt.Sprintf("%.0f", rc.RG.GradEvals/float64(rc.RG.Samples))
	}
	label(dst, fmt.Sprintf("RG, coarse to fine\n%d independent samples\n%.0f gradients, %.2f s\n%s gradients per sample\nBinder U = %s\n<phi^2> = %s",
		rc.RG.Samples, rc.RG.GradEvals, rc.RG.Seconds, perSample, fmtPtr(rc.RG.Binder), fmtPtr(rc.RG.Phi2)), left.X, 272)
	tau, indep := "not yet measurable", "-"
	if t := rc.MCMC.Tau; t != nil && *t > 0 {
		tau = fmt.Sprintf("%.0f sweeps", *t)
		indep = fmt.Sprintf("%.1f", float64(rc.MCMC.Sweeps)/(2**t))
		perSample = fmt.Sprintf("%.0f", 2**t*rc.MCMC.GradEvals/math.Max(1, float64(rc.MCMC.Sweeps)))
	} else {
		perSample = "?"
	}
	label(dst, fmt.Sprintf("local MALA, one chain\n%d sweeps = %s indep. samples\n%.0f gradients, %.2f s\n%s gradients per sample\nBinder U = %s\n<phi^2> = %s\ntau_int(m^2): %s",
		rc.MCMC.Sweeps, indep, rc.MCMC.GradEvals, rc.MCMC.Seconds, perSample, fmtPtr(rc.MCMC.Binder), fmtPtr(rc.MCMC.Phi2), tau), mid.X, 272)
	label(dst, "Running Binder cumulant U = 1 - <m^4>/(3<m^2>^2)\nagainst the cost; the band: critical U, 0.61-0.64.\nAn independent sample costs a local chain 2 tau_int\nsweeps, and tau_int grows like L^2 at criticality.", 12, 410)

	h := s.curves
	ymin, ymax := 0.0, 0.8
	// Binder against seconds.
	tmax := math.Max(1e-3, math.Max(rc.RG.Seconds, rc.MCMC.Seconds))
	a := axes{r: Rect{500, 40, 444, 200}, x0: 0, x1: tmax, y0: ymin, y1: ymax}
	label(dst, "Binder U against time (s)", a.r.X, 22)
	a.band(dst, 0.61, 0.64)
	a.frame(dst)
	a.line(dst, h[0].T, h[0].U, genColor, 2)
	a.line(dst, h[1].T, h[1].U, mcmcColor, 2)
	label(dst, "0", a.r.X, a.r.Y+a.r.H+1)
	label(dst, fmt.Sprintf("%.1f s", tmax), a.r.X+a.r.W-40, a.r.Y+a.r.H+1)
	label(dst, fmt.Sprintf("%.1f", ymax), a.r.X-26, a.r.Y)
	label(dst, fmt.Sprintf("%.1f", ymin), a.r.X-26, a.r.Y+a.r.H-14)
	// Binder against gradient evaluations, log scale.
	gmax := math.Max(10, math.Max(rc.RG.GradEvals, rc.MCMC.GradEvals))
	b := axes{r: Rect{500, 290, 444, 200}, x0: 1, x1: gmax, y0: ymin, y1: ymax, logX: true}
	label(dst, "Binder U against whole-lattice gradients (log)", b.r.X, 272)
	b.band(dst, 0.61, 0.64)
	b.frame(dst)
	b.line(dst, h[0].G, h[0].U, genColor, 2)
	b.line(dst, h[1].G, h[1].U, mcmcColor, 2)
	label(dst, "1", b.r.X, b.r.Y+b.r.H+1)
	label(dst, fmt.Sprintf("%.0f", gmax), b.r.X+b.r.W-40, b.r.Y+b.r.H+1)
}

func fmtPtr(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f", *p)
}

// rgCurveMax bounds the points kept of each race curve.
const rgCurveMax = 400

// append adds the points of n, keeping every other point once the curve
// is longer than rgCurveMax (the newest always stays).
func (c *rgCurveInfo) append(n rgCurveInfo) {
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

// axes maps data coordinates to a screen rectangle, optionally with log
// axes.
type axes struct {
	r          Rect
	x0, x1     float64
	y0, y1     float64
	logX, logY bool
}

func (a axes) tx(x float64) float64 {
	if a.logX {
		return (math.Log(x) - math.Log(a.x0)) / (math.Log(a.x1) - math.Log(a.x0))
	}
	return (x - a.x0) / (a.x1 - a.x0)
}

func (a axes) ty(y float64) float64 {
	if a.logY {
		return (math.Log(y) - math.Log(a.y0)) / (math.Log(a.y1) - math.Log(a.y0))
	}
	return (y - a.y0) / (a.y1 - a.y0)
}

func (a axes) ok(x, y float64) bool {
	if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
		return false
	}
	return (!a.logX || x > 0) && (!a.logY || y > 0)
}

func (a axes) frame(dst *ebiten.Image) {
	strokeRect(dst, a.r, 1, gridColor)
}

// band shades y0 ≤ y ≤ y1 across the plot.
func (a axes) band(dst *ebiten.Image, lo, hi float64) {
	t0, t1 := a.ty(lo), a.ty(hi)
	t0, t1 = math.Max(0, math.Min(1, t0)), math.Max(0, math.Min(1, t1))
	y0 := a.r.Y + a.r.H*float32(1-t1)
	y1 := a.r.Y + a.r.H*float32(1-t0)
	vector.DrawFilledRect(dst, a.r.X, y0, a.r.W, y1-y0, bandColor, false)
}

// line draws the curve (xs, ys), broken where a value is missing or
// outside a log axis's domain, in one batched call per colour.
func (a axes) line(dst *ebiten.Image, xs, ys []float64, c color.RGBA, width float32) {
	var lines [][]compute.XY
	var cur []compute.XY
	for i := range min(len(xs), len(ys)) {
		if !a.ok(xs[i], ys[i]) {
			if len(cur) > 0 {
				lines = append(lines, cur)
				cur = nil
			}
			continue
		}
		tx := math.Max(-0.05, math.Min(1.05, a.tx(xs[i])))
		ty := math.Max(-0.05, math.Min(1.05, a.ty(ys[i])))
		cur = append(cur, compute.XY{X: tx, Y: ty})
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	polylines(dst, lines, func(p compute.XY) (float32, float32) {
		return a.r.X + float32(p.X)*a.r.W, a.r.Y + float32(1-p.Y)*a.r.H
	}, width, c)
}

// mergedImages holds frames that arrive in parts (a scene that keeps some
// images while others are replaced) and their GPU images, reused when a
// replacement has the same size.
type mergedImages struct {
	frames map[string]mergedFrame
	cache  map[string]*ebiten.Image
	// Uploads to the GPU are spread over frames, at most maxUploads per
	// frame (a burst of them makes one long task on a software-rendered
	// WebGL); deferred counts those put off in the current frame.
	uploads, deferred int
}

// maxUploads is the most GPU image uploads per frame.
const maxUploads = 4

// newFrame starts a frame's upload budget.
func (m *mergedImages) newFrame() { m.uploads, m.deferred = 0, 0 }

// pending reports whether the last frame put off an upload, i.e. drew a
// stale or missing image.
func (m *mergedImages) pending() bool { return m.deferred > 0 }

type mergedFrame struct {
	w, h  int
	rgba  []byte
	dirty bool
}

// replace replaces every frame with those of a frame set. GPU images of
// names the set has again are kept and rewritten on use (deallocating and
// allocating them costs more than the upload).
func (m *mergedImages) replace(images []compute.Image, buf []byte) {
	old := m.cache
	m.frames, m.cache = map[string]mergedFrame{}, map[string]*ebiten.Image{}
	m.merge(images, buf, "")
	for name, im := range old {
		if _, ok := m.frames[name]; ok {
			m.cache[name] = im
		} else {
			im.Deallocate()
		}
	}
}

// merge adds or replaces the images of a frame set; names starting with
// clearPrefix (when not empty) that the set lacks are dropped first.
func (m *mergedImages) merge(images []compute.Image, buf []byte, clearPrefix string) {
	if m.frames == nil {
		m.frames, m.cache = map[string]mergedFrame{}, map[string]*ebiten.Image{}
	}
	if clearPrefix != "" {
		for name := range m.frames {
			if len(name) >= len(clearPrefix) && name[:len(clearPrefix)] == clearPrefix {
				delete(m.frames, name)
			}
		}
	}
	for _, im := range images {
		info, rgba, ok := compute.Lookup(images, buf, im.Name)
		if !ok {
			continue
		}
		m.frames[im.Name] = mergedFrame{w: info.W, h: info.H, rgba: rgba, dirty: true}
	}
}

// series returns the values of a series of compute.Frames.AddSeries.
func (m *mergedImages) series(name string) ([]float64, bool) {
	f, ok := m.frames[name]
	if !ok || f.h != 1 {
		return nil, false
	}
	return compute.Series([]compute.Image{{Name: name, W: f.w, H: 1}}, f.rgba, name)
}

// image returns the GPU image of the frame called name, or nil.
func (m *mergedImages) image(name string) *ebiten.Image {
	f, ok := m.frames[name]
	if !ok {
		return nil
	}
	im := m.cache[name]
	if im != nil && !f.dirty {
		return im
	}
	if m.uploads >= maxUploads {
		m.deferred++
		return im // stale, or nil: drawn right in a later frame
	}
	if im != nil {
		if b := im.Bounds(); b.Dx() != f.w || b.Dy() != f.h {
			im.Deallocate()
			im = nil
		}
	}
	if im == nil {
		im = ebiten.NewImage(f.w, f.h)
		m.cache[name] = im
	}
	im.WritePixels(f.rgba)
	m.uploads++
	f.dirty = false
	m.frames[name] = f
	return im
}

// drawImageSnap draws img like drawImageIn, but enlarged by a whole factor
// (when it fits at least once) at whole-pixel offsets, so that every texel
// covers whole screen pixels: a non-integer factor puts texel edges
// mid-pixel, where the sampled texel depends on the image's place in
// Ebiten's texture atlas, and a link would not reproduce the pixels.
func drawImageSnap(dst, img *ebiten.Image, r Rect) Rect {
	b := img.Bounds()
	s := min(r.W/float32(b.Dx()), r.H/float32(b.Dy()))
	if s >= 1 {
		s = float32(math.Floor(float64(s)))
	}
	w, h := s*float32(b.Dx()), s*float32(b.Dy())
	out := Rect{float32(math.Round(float64(r.X + (r.W-w)/2))), float32(math.Round(float64(r.Y + (r.H-h)/2))), w, h}
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Scale(float64(s), float64(s))
	op.GeoM.Translate(float64(out.X), float64(out.Y))
	op.Filter = ebiten.FilterNearest
	dst.DrawImage(img, op)
	return out
}
