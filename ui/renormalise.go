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
// (critical φ⁴, 2-D turbulence or a C^α image) forming coarse to fine, the
// finished hierarchy, a ground-truth sample, statistics against the ground
// truth, acceptance per scale, the learned energies (with the scattering
// coefficients of turbulence and C^α), and the race against local MCMC.
type Renormalise struct {
	t    *typeface
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

// NewRenormalise returns an empty scene that prints with t.
func NewRenormalise(t *typeface) *Renormalise {
	return &Renormalise{t: t, view: RenormaliseView{Mode: "generate"}}
}

// Load merges new frames: "start" replaces everything; "step" and "done"
// update the generation; "race" the race.
func (s *Renormalise) Load(header, buf []byte) error {
	h, err := decodeFrameHeader("renormalise", header)
	if err != nil {
		return err
	}
	var v rgValues
	if err := json.Unmarshal(h.Values, &v); err != nil {
		return fmt.Errorf("renormalise: bad values: %w", err)
	}
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
		s.t.message(dst, "Loading the fitted model…")
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

// Panels returns the panels of the view shown on a w×h canvas.
func (s *Renormalise) Panels(w, h int) (layout.Frame, []layout.Panel) {
	if s.view.Mode == "race" {
		l := layout.Race(w, h)
		return l.Frame, l.Named()
	}
	l := layout.RenormaliseFor(w, h, s.scattering())
	return l.Frame, l.Named(s.gen.Kind != "done")
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
	t := s.t
	g := s.gen
	l := s.layout(dst)
	if g.Kind == "done" {
		j := min(s.view.J, g.J)
		title := fmt.Sprintf("generated %s, %d×%d (j = 0)", s.symbol(), g.L, g.L)
		if j > 0 {
			title = fmt.Sprintf("x_%d: local averages, %d×%d", j, g.Sizes[j], g.Sizes[j])
		}
		t.title(dst, title, l.Field)
		if im := s.imgs.image(fmt.Sprintf("x/%d", j)); im != nil {
			strokeRect(dst, drawImageSnap(dst, im, l.Field), t.lw(1), frameColor)
		}
		s.drawHierarchy(dst, l.Hierarchy, j)
		s.drawAcceptance(dst, l.Acceptance)
		s.drawInfo(dst, l.Info)
	}
	// The ground-truth sample.
	t.title(dst, s.truthTitle(), l.Truth)
	if im := s.imgs.image("truth"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.Truth), t.lw(1), frameColor)
	}
	// Statistics and the learned energy.
	s.drawHistogram(dst, l.Histogram)
	s.drawSpectrum(dst, l.Spectrum)
	s.drawEnergy(dst, l.Energy, s.energyStage())
}

// drawLive draws what changes with every step while a field forms.
func (s *Renormalise) drawLive(dst *ebiten.Image) {
	t := s.t
	g := s.gen
	l := s.layout(dst)
	ph := g.Phase
	t.title(dst, fmt.Sprintf("forming %s, step %d/%d", stageText(ph.Stage, ph.J, ph.Size), ph.Step, ph.Total), l.Field)
	if im := s.imgs.image("current"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.Field), t.lw(1), frameColor)
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
		model = "model fitted in the page"
	}
	what := fmt.Sprintf("L = %d, β = %g, seed %d", g.L, g.Beta, g.Seed)
	if f := s.field(); f != "phi4" {
		what = fmt.Sprintf("%s %d×%d, seed %d", map[string]string{"turbulence": "turbulence", "calpha": "C^α image (α = 2)", "drawings": "drawing of a smooth curve"}[f], g.L, g.L, g.Seed)
	}
	info := fmt.Sprintf("%s\n%s\nMALA steps %d / %d\ncost: %.0f whole-lattice gradients",
		what, model, g.StepsDone, g.TotalSteps, g.Cost.GradEvals)
	if g.Kind == "done" {
		info += fmt.Sprintf("\nspectrum: mean |log P/P_{truth}| = %.3f", g.LogRatio)
	}
	s.t.paragraph(dst, info, r, labelStyle)
}

// stageText describes what a stage forms: x_J itself, or x_{j−1} from x_j
// and the details x̄_j.
func stageText(stage, j, size int) string {
	if stage == 0 {
		return fmt.Sprintf("x_J = x_%d (%d×%d)", j, size, size)
	}
	return fmt.Sprintf("x_{%d} (%d×%d) = W^{−1}(x_%d, x̄_%d)", j-1, size, size, j, j)
}

// drawHierarchy draws the x_j of every scale (coarse to fine, the selected
// one outlined) and the details x̄_j of the selected scale.
func (s *Renormalise) drawHierarchy(dst *ebiten.Image, r Rect, j int) {
	t := s.t
	g := s.gen
	n := g.J + 1
	gap := t.px(4)
	lineH := t.height(1, labelStyle)
	cell := min(56*r.W/300, (r.W-float32(n-1)*gap)/float32(n))
	t.draw(dst, "x_J … x_0, coarse to fine", r.X, r.Y, labelStyle, styleColours[labelStyle])
	y := r.Y + lineH + gap
	for k := 0; k <= g.J; k++ {
		jj := g.J - k
		c := Rect{X: r.X + float32(k)*(cell+gap), Y: y, W: cell, H: cell}
		if im := s.imgs.image(fmt.Sprintf("x/%d", jj)); im != nil {
			drawImageSnap(dst, im, c)
		}
		col, w := frameColor, t.lw(1)
		if jj == j {
			col, w = highlightColor, t.lw(2)
		}
		strokeRect(dst, c, w, col)
	}
	y += cell + 2*gap
	below := Rect{X: r.X, Y: y, W: r.W, H: r.Bottom() - y}
	if j == 0 {
		what := "φ itself"
		if s.field() != "phi4" {
			what = "the " + s.symbol() + " itself"
		}
		t.paragraph(dst, "j = 0 is "+what+". Step j up to see x_j and its details x̄_j.", below, labelStyle)
		return
	}
	t.draw(dst, fmt.Sprintf("details x̄_%d = (H, V, D), %d×%d each", j, g.Sizes[j], g.Sizes[j]), r.X, y, labelStyle, styleColours[labelStyle])
	y += lineH + gap
	side := min((r.W-2*t.px(8))/3, r.Bottom()-y)
	for b, name := range [3]string{"H", "V", "D"} {
		c := Rect{X: r.X + float32(b)*(side+t.px(8)), Y: y, W: side, H: side}
		if im := s.imgs.image(fmt.Sprintf("%s/%d", name, j)); im != nil {
			strokeRect(dst, drawImageSnap(dst, im, c), t.lw(1), frameColor)
		}
	}
}

// drawStages shows the stages of the generation and how far each has run.
func (s *Renormalise) drawStages(dst *ebiten.Image, r Rect) {
	t := s.t
	g := s.gen
	t.draw(dst, "stages, coarse to fine: x̄_j | x_j → x_{j−1}", r.X, r.Y, labelStyle, styleColours[labelStyle])
	n := len(g.Stages)
	top := r.Y + t.height(1, labelStyle) + t.px(6)
	h := min(t.px(24), (r.Bottom()-top)/float32(n))
	nameW := t.width("x̄_0 | x_0 ", labelStyle) + t.width("000×000", tickStyle) + t.px(10)
	for i, st := range g.Stages {
		y := top + float32(i)*h
		frac := float32(0)
		switch {
		case i < g.Phase.Stage:
			frac = 1
		case i == g.Phase.Stage && st.Steps > 0:
			frac = float32(g.Phase.Step) / float32(st.Steps)
		}
		bar := Rect{X: r.X + nameW, Y: y + t.px(2), W: r.W - nameW, H: h - t.px(6)}
		vector.DrawFilledRect(dst, bar.X, bar.Y, bar.W*frac, bar.H, genColor, false)
		strokeRect(dst, bar, t.lw(1), frameColor)
		name := "x_J"
		if i > 0 {
			name = fmt.Sprintf("x̄_%d | x_%d", st.J, st.J)
		}
		t.draw(dst, name, r.X, y, labelStyle, styleColours[labelStyle])
		t.drawAt(dst, fmt.Sprintf("%d×%d", st.Size, st.Size), bar.X-t.px(6), y, 1, 0, tickStyle, styleColours[tickStyle])
	}
}

// drawAcceptance plots the MALA acceptance rate of each stage and the
// step-size adaptation's target.
func (s *Renormalise) drawAcceptance(dst *ebiten.Image, r Rect) {
	g := s.gen
	n := len(g.Stages)
	if n == 0 {
		return
	}
	ticks := make([]layout.Tick, n)
	for i, st := range g.Stages {
		ticks[i] = layout.Tick{Value: float64(i), Label: st.Name}
		if i > 0 {
			ticks[i].Label = fmt.Sprint(st.J)
		}
	}
	p := s.t.plotIn(dst, r, plotSpec{
		title: "MALA acceptance",
		x:     layout.Lin(-0.5, float64(n)-0.5), y: layout.Lin(0, 1),
		xName: "stage: x_J, then scale j", yName: "rate",
		xTicks: ticks, yTicks: []layout.Tick{{Value: 0, Label: "0"}, {Value: 0.5, Label: "0.5"}, {Value: 1, Label: "1"}},
		legend: []legendEntry{{"target", highlightColor}},
	})
	for i := range g.Stages {
		if i < len(g.Acceptance) && g.Acceptance[i] >= 0 {
			c := barColor
			if i == g.Phase.Stage && g.Kind != "done" {
				c = genColor
			}
			p.bar(dst, float64(i)-0.38, float64(i)+0.38, math.Min(1, g.Acceptance[i]), c)
		}
	}
	// The target of the step-size adaptation, about 0.57.
	p.hline(dst, 0.57, highlightColor, 1)
}

// statLegend is the legend of the plots that compare the ground truth and
// the generated field (once there is one).
func (s *Renormalise) statLegend() []legendEntry {
	truth := "MCMC truth"
	if s.field() != "phi4" {
		truth = "held out"
	}
	if s.gen.Kind != "done" {
		return []legendEntry{{truth, truthColor}}
	}
	return []legendEntry{{truth, truthColor}, {"RG", genColor}}
}

// scattering reports whether the model has scattering interactions.
func (s *Renormalise) scattering() bool {
	for _, e := range s.gen.Energy {
		if len(e.Scattering) > 0 {
			return true
		}
	}
	return false
}

// layout returns the generation view's panels on dst.
func (s *Renormalise) layout(dst *ebiten.Image) layout.RenormaliseRects {
	w, h := size(dst)
	return layout.RenormaliseFor(w, h, s.scattering())
}

// field returns the field type of the generation: "phi4", "turbulence",
// "calpha" or "drawings".
func (s *Renormalise) field() string {
	if s.gen.Field == "" {
		return "phi4"
	}
	return s.gen.Field
}

// symbol names the generated field: φ, the vorticity ω, or the image x.
func (s *Renormalise) symbol() string {
	switch s.field() {
	case "turbulence":
		return "vorticity ω"
	case "calpha", "drawings":
		return "image x"
	}
	return "φ"
}

// truthTitle names the true sample shown beside the generated one.
func (s *Renormalise) truthTitle() string {
	switch s.field() {
	case "turbulence":
		return "held-out snapshot (Navier–Stokes)"
	case "calpha":
		return "held-out C^α image"
	case "drawings":
		return "held-out drawing"
	}
	return "MCMC sample (FA-HMC)"
}

func (s *Renormalise) drawHistogram(dst *ebiten.Image, r Rect) {
	edges, _ := s.imgs.series("series/truth/edges")
	density, _ := s.imgs.series("series/truth/density")
	if len(edges) < 2 || len(density) != len(edges)-1 {
		s.t.frameOnly(dst, r, "marginal", "")
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
	title, xName := "marginal of φ", "φ (one site)"
	switch s.field() {
	case "turbulence":
		title, xName = "marginal of ω", "ω (one site, standardised)"
	case "calpha", "drawings":
		title, xName = "marginal of x", "x (one pixel)"
	}
	p := s.t.plotIn(dst, r, plotSpec{
		title: title,
		x:     layout.Lin(edges[0], edges[len(edges)-1]), y: layout.Lin(0, 1.1*math.Max(ymax, 1e-9)),
		xName: xName, yName: "density",
		legend: s.statLegend(),
	})
	p.line(dst, centres, density, truthColor, 2)
	if len(gd) == len(centres) {
		p.line(dst, centres, gd, genColor, 1.5)
	}
}

func (s *Renormalise) drawSpectrum(dst *ebiten.Image, r Rect) {
	t := s.t
	ks, _ := s.imgs.series("series/truth/k")
	tp, _ := s.imgs.series("series/truth/power")
	if len(ks) == 0 || len(tp) != len(ks) {
		t.frameOnly(dst, r, "power spectrum", "")
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
		t.frameOnly(dst, r, "power spectrum", "")
		return
	}
	title := "power spectrum"
	if tr := s.gen.Truth; tr != nil && tr.Floor > 0 && tr.Floor < hi {
		// The comparison's floor (the dealiased corners of turbulence
		// hold no power): the axis stops there.
		lo = math.Max(lo, tr.Floor)
		title = "power spectrum (floor 10^{−4}σ^2)"
	}
	p := t.plotIn(dst, r, plotSpec{
		title: title,
		x:     layout.Log10(kmin, ks[len(ks)-1]), y: layout.Log10(lo/1.5, hi*1.5),
		xName: "|k| (radians per site)", yName: "P(|k|)",
		legend: s.statLegend(),
	})
	p.line(dst, ks, tp, truthColor, 2)
	if len(gp) == len(ks) {
		p.line(dst, ks, gp, genColor, 1.5)
	}
}

// drawEnergy draws the learned energy of a stage: its quadratic kernels as
// small images and a plot of its potential V(t).
func (s *Renormalise) drawEnergy(dst *ebiten.Image, r Rect, stage int) {
	t := s.t
	g := s.gen
	if stage < 0 || stage >= len(g.Energy) || stage >= len(g.Stages) {
		return
	}
	e := g.Energy[stage]
	st := g.Stages[stage]
	t.draw(dst, fmt.Sprintf("learned energy of stage %s", st.Name), r.X, r.Y, titleStyle, styleColours[titleStyle])
	body := r.Shrink(0, t.height(1, titleStyle)+t.px(6), 0, 0)
	if len(e.Scattering) > 0 {
		// The scattering coefficients below the kernels and potential.
		sh := 0.5 * body.H
		s.drawScattering(dst, Rect{X: body.X, Y: body.Bottom() - sh, W: body.W, H: sh}, e)
		body = body.Shrink(0, 0, 0, sh+t.px(6))
	}
	// The kernels, three abreast (or all in a row when the panel is too
	// short for three rows: a model with scattering terms on a phone),
	// their names below them.
	lineH := t.height(1, tickStyle)
	gap := t.px(8)
	nameW := float32(0)
	for _, k := range e.Kernels {
		nameW = max(nameW, t.width(k.Name, tickStyle))
	}
	cols := min(3, max(1, len(e.Kernels)))
	cellFor := func(cols int) float32 {
		rows := max(1, (len(e.Kernels)+cols-1)/cols)
		return min(44*r.W/384, (body.H-t.height(1, labelStyle))/float32(rows)-lineH-gap)
	}
	cell := cellFor(cols)
	if n := len(e.Kernels); n > 3 && cell < 3*lineH && cellFor(n) > cell {
		cols = n
		cell = min(cellFor(n), (0.5*body.W-float32(n-1)*gap)/float32(n))
	}
	pitch := max(cell, nameW) + gap
	kw := float32(cols)*pitch - gap
	t.draw(dst, "kernels K", body.X, body.Y, labelStyle, styleColours[numStyle])
	top := body.Y + t.height(1, labelStyle)
	for i, k := range e.Kernels {
		c := Rect{X: body.X + float32(i%cols)*pitch + (pitch-gap-cell)/2, Y: top + float32(i/cols)*(cell+lineH+gap), W: cell, H: cell}
		if im := s.imgs.image(k.Image); im != nil {
			strokeRect(dst, drawImageSnap(dst, im, c), t.lw(1), frameColor)
		}
		t.drawAt(dst, k.Name, c.X+c.W/2, c.Bottom(), 0.5, 0, tickStyle, styleColours[tickStyle])
	}
	pr := body.Shrink(kw+t.px(16), 0, 0, 0)
	tv, _ := s.imgs.series(fmt.Sprintf("series/energy/%d/t", stage))
	v, _ := s.imgs.series(fmt.Sprintf("series/energy/%d/v", stage))
	if len(tv) < 2 || len(v) != len(tv) {
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
	p := t.plotIn(dst, pr, plotSpec{
		x: layout.Lin(tv[0], tv[len(tv)-1]), y: layout.Lin(lo-pad, hi+pad),
		xName: "t (field value)", yName: "potential V(t)",
	})
	p.line(dst, tv, v, genColor, 1.5)
}

// drawScattering draws the scattering coefficients θ of a stage, one heat
// map per family (s1, s3, s4c, s4n; Lempereur and Mallat,
// arXiv:2405.03468): rows are combinations of wavelet scales k, columns
// combinations of orientations ℓ, coloured on ±max|θ| of the family.
func (s *Renormalise) drawScattering(dst *ebiten.Image, r Rect, e protocol.RGEnergyInfo) {
	t := s.t
	head := "scattering θ by family: rows scales k, columns orientations ℓ"
	if e.Isotropic {
		head = "scattering θ by family (isotropic): rows scales k, columns relative ℓ"
	}
	t.draw(dst, head, r.X, r.Y, labelStyle, styleColours[numStyle])
	lineL, lineT := t.height(1, labelStyle), t.height(1, tickStyle)
	top := r.Y + lineL + t.px(4)
	n := len(e.Scattering)
	gap := t.px(10)
	// Each column is as wide as its labels, and shares what is left in
	// proportion to the square root of its map's width; the maps fill
	// their boxes (cells need not be square: an anisotropic s4c table has
	// 64 columns).
	heads := make([]string, n)
	keys := make([]string, n)
	need := make([]float32, n)
	ws := make([]float32, n)
	var sumNeed, sumW float32
	for i, f := range e.Scattering {
		heads[i] = fmt.Sprintf("%s  ±%.2g", f.Family, f.Max)
		if f.Max == 0 {
			heads[i] = f.Family + "  0 (odd, symmetric fit)"
		}
		keys[i] = f.Cols
		if f.RowKey != "" {
			keys[i] = f.RowKey + " × " + f.Cols
		}
		need[i] = max(t.width(heads[i], labelStyle), t.width(keys[i], tickStyle))
		ws[i] = 1
		if im := s.imgs.image(f.Image); im != nil {
			ws[i] = float32(math.Sqrt(float64(im.Bounds().Dx())))
		}
		sumNeed += need[i]
		sumW += ws[i]
	}
	x := r.X
	spare := max(0, r.W-float32(n-1)*gap-sumNeed)
	for i, f := range e.Scattering {
		cw := need[i] + spare*ws[i]/sumW
		t.draw(dst, heads[i], x, top, labelStyle, styleColours[labelStyle])
		t.draw(dst, keys[i], x, top+lineL, tickStyle, styleColours[tickStyle])
		cell := Rect{X: x, Y: top + lineL + lineT + t.px(4), W: cw, H: r.Bottom() - (top + lineL + lineT + t.px(4))}
		if im := s.imgs.image(f.Image); im != nil {
			b := im.Bounds()
			// At most 4:1 cells, and never taller than wide by more.
			w, h := float32(b.Dx()), float32(b.Dy())
			sx, sy := cell.W/w, cell.H/h
			sy = min(sy, 4*sx)
			sx = min(sx, 4*sy)
			box := Rect{X: cell.X, Y: cell.Y, W: sx * w, H: sy * h}
			op := &ebiten.DrawImageOptions{}
			op.GeoM.Scale(float64(sx), float64(sy))
			op.GeoM.Translate(float64(box.X), float64(box.Y))
			op.Filter = ebiten.FilterNearest
			dst.DrawImage(im, op)
			strokeRect(dst, box, t.lw(1), frameColor)
		}
		x += cw + gap
	}
}

// drawRace draws RG sampling against local MCMC.
func (s *Renormalise) drawRace(dst *ebiten.Image) {
	t := s.t
	rc := s.race
	if rc.RG == nil {
		t.message(dst, "Starting the race…")
		return
	}
	l := layout.Race(size(dst))
	t.paragraph(dst, fmt.Sprintf("Race on %d×%d at β = %g: RG against local MALA, equal shares of the worker's time", rc.L, rc.L, rc.Beta), l.Title, titleStyle)
	t.title(dst, "RG: the latest independent sample", l.RG)
	if im := s.imgs.image("race/rg"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.RG), t.lw(2), genColor)
	}
	t.title(dst, "local MALA: the chain now", l.MCMC)
	if im := s.imgs.image("race/mcmc"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.MCMC), t.lw(2), mcmcColor)
	}
	perSample := "–"
	if rc.RG.Samples > 0 {
		perSample = fmt.Sprintf("%.0f", rc.RG.GradEvals/float64(rc.RG.Samples))
	}
	t.paragraph(dst, fmt.Sprintf("RG, coarse to fine\n%d independent samples\n%.0f gradients, %.2f s\n%s gradients per sample\nBinder U = %s\n⟨φ^2⟩ = %s",
		rc.RG.Samples, rc.RG.GradEvals, rc.RG.Seconds, perSample, fmtPtr(rc.RG.Binder), fmtPtr(rc.RG.Phi2)), l.RGText, labelStyle)
	tau, indep := "not yet measurable", "–"
	if tv := rc.MCMC.Tau; tv != nil && *tv > 0 {
		tau = fmt.Sprintf("%.0f sweeps", *tv)
		indep = fmt.Sprintf("%.1f", float64(rc.MCMC.Sweeps)/(2**tv))
		perSample = fmt.Sprintf("%.0f", 2**tv*rc.MCMC.GradEvals/math.Max(1, float64(rc.MCMC.Sweeps)))
	} else {
		perSample = "?"
	}
	t.paragraph(dst, fmt.Sprintf("local MALA, one chain\n%d sweeps = %s independent\n%.0f gradients, %.2f s\n%s gradients per sample\nBinder U = %s\n⟨φ^2⟩ = %s\nτ_{int}(m^2): %s",
		rc.MCMC.Sweeps, indep, rc.MCMC.GradEvals, rc.MCMC.Seconds, perSample, fmtPtr(rc.MCMC.Binder), fmtPtr(rc.MCMC.Phi2), tau), l.MCText, labelStyle)
	t.paragraph(dst, "The running Binder cumulant U = 1 − ⟨m^4⟩/(3⟨m^2⟩^2) against the cost; the band: the critical U, 0.61–0.64. "+
		"An independent sample costs a local chain 2τ_{int} sweeps, and τ_{int} grows like L^2 at criticality.", l.Note, numStyle)

	h := s.curves
	legend := []legendEntry{{"RG", genColor}, {"local MALA", mcmcColor}}
	yTicks := []layout.Tick{{Value: 0, Label: "0"}, {Value: 0.2, Label: "0.2"}, {Value: 0.4, Label: "0.4"}, {Value: 0.6, Label: "0.6"}, {Value: 0.8, Label: "0.8"}}
	// Binder against seconds.
	tmax := math.Max(1e-3, math.Max(rc.RG.Seconds, rc.MCMC.Seconds))
	a := t.plotIn(dst, l.Time, plotSpec{
		title: "Binder U against time",
		x:     layout.Lin(0, tmax), y: layout.Lin(0, 0.8),
		xName: "worker time (s)", yName: "Binder U", yTicks: yTicks,
		legend: legend,
	})
	a.band(dst, 0.61, 0.64)
	a.line(dst, h[0].T, h[0].U, genColor, 2)
	a.line(dst, h[1].T, h[1].U, mcmcColor, 2)
	// Binder against gradient evaluations, log scale.
	gmax := math.Max(10, math.Max(rc.RG.GradEvals, rc.MCMC.GradEvals))
	b := t.plotIn(dst, l.Grad, plotSpec{
		title: "Binder U against cost",
		x:     layout.Log10(1, gmax), y: layout.Lin(0, 0.8),
		xName: "whole-lattice gradients", yName: "Binder U", yTicks: yTicks,
		legend: legend,
	})
	b.band(dst, 0.61, 0.64)
	b.line(dst, h[0].G, h[0].U, genColor, 2)
	b.line(dst, h[1].G, h[1].U, mcmcColor, 2)
}

func fmtPtr(p *float64) string {
	if p == nil {
		return "–"
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
