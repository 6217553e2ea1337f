//go:build js

package ui

import (
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"scalewise/ui/layout"
	"scalewise/ui/protocol"
)

// ScatteringView is what the page asks the Scattering scene to show.
type ScatteringView struct {
	Mode string `json:"mode"` // "analyse" or "synth"
}

// scatGroup is a group of coefficients of the statistics vector.
type scatGroup = protocol.ScatGroup

// scatAnalysis are the numbers of compute.ScatSession.Analyse frames.
type scatAnalysis = protocol.ScatAnalyseValues

// scatSynthesis are the numbers of the synthesis frames ("synth_start"
// sets them all, "synth_step" the progress).
type scatSynthesis = protocol.ScatSynthesis

// Scattering is the scene of the wavelet-modulus geometry of a field, its
// scattering spectra and their microcanonical synthesis.
type Scattering struct {
	t    *typeface
	view ScatteringView
	ana  scatAnalysis
	syn  scatSynthesis
	imgs imageCache

	version int
	live    bool
	layer   *ebiten.Image
	key     [2]int
	layerOK bool
}

// NewScattering returns an empty scene that prints with t.
func NewScattering(t *typeface) *Scattering {
	return &Scattering{t: t, view: ScatteringView{Mode: "analyse"}}
}

// Load merges new frames: "analysis" replaces the analysis panels,
// "synth_start" the synthesis, "synth_step" its progress.
func (s *Scattering) Load(header, buf []byte) error {
	h, err := decodeFrameHeader("scattering", header)
	if err != nil {
		return err
	}
	s.live = h.Kind == "synth_step"
	switch h.Kind {
	case "analysis":
		var v scatAnalysis
		if err := json.Unmarshal(h.Values, &v); err != nil {
			return fmt.Errorf("scattering: bad analysis values: %w", err)
		}
		if v.N < 1 || v.J < 1 || v.L < 1 {
			return fmt.Errorf("scattering: inconsistent analysis frames (n=%d, J=%d, L=%d)", v.N, v.J, v.L)
		}
		s.imgs.merge(h.Images, buf, "a/")
		s.ana = v
	case "synth_start":
		var v scatSynthesis
		if err := json.Unmarshal(h.Values, &v); err != nil {
			return fmt.Errorf("scattering: bad synthesis values: %w", err)
		}
		if len(v.Groups) == 0 || v.N < 1 {
			return fmt.Errorf("scattering: inconsistent synthesis frames")
		}
		s.imgs.merge(h.Images, buf, "s/")
		s.syn = v
	case "synth_step":
		if s.syn.Kind == "" {
			return fmt.Errorf("scattering: synthesis frames before its start")
		}
		if err := json.Unmarshal(h.Values, &s.syn); err != nil {
			return fmt.Errorf("scattering: bad synthesis values: %w", err)
		}
		s.imgs.merge(h.Images, buf, "")
	default:
		return fmt.Errorf("scattering: unknown frames %q", h.Kind)
	}
	s.version++
	return nil
}

// SetView decodes and applies a ScatteringView.
func (s *Scattering) SetView(js []byte) error {
	var v ScatteringView
	if err := json.Unmarshal(js, &v); err != nil {
		return fmt.Errorf("scattering: bad view: %w", err)
	}
	if v.Mode != "analyse" && v.Mode != "synth" {
		return fmt.Errorf("scattering: unknown mode %q", v.Mode)
	}
	s.view = v
	s.version++
	return nil
}

// Update has no input: the page's controls drive this scene.
func (s *Scattering) Update() error { return nil }

// LiveLoad reports whether the last frames were a synthesis step rather
// than a new view state.
func (s *Scattering) LiveLoad() bool { return s.live }

// Pending reports whether the last Draw drew stale images.
func (s *Scattering) Pending() bool { return s.imgs.pending() }

// Draw draws the panels into an offscreen layer when frames or the view
// change (antialiased plots cost much on a software-rendered WebGL), and
// the layer on every frame.
func (s *Scattering) Draw(dst *ebiten.Image) {
	s.imgs.newFrame(maxUploads)
	if layer, fresh := layerFor(s.layer, dst); fresh {
		s.layer, s.layerOK = layer, false
	}
	mode := 0
	if s.view.Mode == "synth" {
		mode = 1
	}
	key := [2]int{s.version, mode}
	if key != s.key || !s.layerOK {
		s.layer.Clear()
		d0 := s.imgs.deferred
		if mode == 1 {
			s.drawSynth(s.layer)
		} else {
			s.drawAnalysis(s.layer)
		}
		s.key, s.layerOK = key, s.imgs.deferred == d0
	}
	dst.DrawImage(s.layer, nil)
}

// Panels returns the panels of the view shown on a w×h canvas.
func (s *Scattering) Panels(w, h int) (layout.Frame, []layout.Panel) {
	if s.view.Mode == "synth" {
		l := layout.ScatSynthesis(w, h)
		return l.Frame, l.Named()
	}
	l := layout.ScatAnalysis(w, h)
	return l.Frame, l.Named()
}

// scatFieldName is the name of a field on the canvas.
func scatFieldName(f string) string {
	switch f {
	case "phi4":
		return "φ^4 at β = 0.68"
	case "calpha":
		return "C^α image"
	case "drawing":
		return "drawing"
	case "cosmic":
		return "cosmic web, log_{10} ρ"
	case "turbulence":
		return "2-D turbulence, vorticity"
	}
	return f
}

func (s *Scattering) drawAnalysis(dst *ebiten.Image) {
	t := s.t
	a := s.ana
	if a.Kind == "" {
		t.message(dst, "Computing the wavelet modulus and the scattering spectra…")
		return
	}
	w, h := size(dst)
	l := layout.ScatAnalysis(w, h)
	t.title(dst, fmt.Sprintf("x: %s, %d×%d", scatFieldName(a.Field), a.N, a.N), l.Field)
	if im := s.imgs.image("a/field"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.Field), t.lw(1), frameColor)
	}
	t.title(dst, fmt.Sprintf("|x ∗ ψ_{j,k}|: j = %d, k = %d (θ = %.0f°)", a.Sj, a.Sk, a.ThetaDeg), l.Modulus)
	if im := s.imgs.image("a/modulus"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.Modulus), t.lw(1), frameColor)
	}
	// The second transforms along the perpendicular orientation.
	first := l.Second[0]
	second := fmt.Sprintf("||x ∗ ψ_{%d,%d}| ∗ ψ_{ℓ,%d}|", a.Sj, a.Sk, a.Kperp)
	room := float32(w) - first.X - t.px(8)
	if l.Bank.Y == first.Y {
		room = l.Bank.X - first.X - t.px(12)
	}
	t.title(dst, t.fit(fmt.Sprintf("second transforms %s (k_⊥ = %d)", second, a.Kperp), second, room, titleStyle), first)
	for i, sec := range a.Second[:min(len(a.Second), len(l.Second))] {
		r := l.Second[i]
		if im := s.imgs.image(fmt.Sprintf("a/second/%d", i)); im != nil {
			strokeRect(dst, drawImageSnap(dst, im, r), t.lw(1), frameColor)
		}
		t.caption(dst, fmt.Sprintf("ℓ = j+%d = %d", sec.JP-a.Sj, sec.JP), r)
	}
	if len(a.Second) == 0 {
		t.paragraph(dst, fmt.Sprintf("None: j = %d is the coarsest scale (J = %d). Step j down.", a.Sj, a.J), first.Inset(t.px(6)), labelStyle)
	}
	// The filter bank.
	br := l.Bank
	by := "orientation"
	if a.By == "scale" {
		by = "scale"
	}
	t.title(dst, t.fit("bank in Fourier", "bank", br.W, titleStyle), br)
	if im := s.imgs.image("a/bank"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, br), t.lw(1), frameColor)
	}
	t.caption(dst, "colour: "+by, br)
	// Numbers.
	iso, full := a.Counts["iso"], a.Counts["full"]
	info := fmt.Sprintf("%s wavelets, J = %d scales, L = %d orientations; ψ_{%d,%d} outlined\n"+
		"S1(j,k) = E|x ∗ ψ_{j,k}| = %.4g;  mean E[x] = %.4g\n"+
		"coefficients, isotropic: %d (S1 %d, S2 %d, S3 %d, S4 %d)\n"+
		"coefficients, full: %d (S1 %d, S2 %d, S3 %d, S4 %d)",
		a.Wavelet, a.J, a.L, a.Sj, a.Sk, a.S1jk, a.Mean,
		iso["total"], iso["S1"], iso["S2"], iso["S3"], iso["S4"],
		full["total"], full["S1"], full["S2"], full["S3"], full["S4"])
	t.paragraph(dst, info, l.Info, labelStyle)

	s.drawRegularity(dst, l.Regularity)
	s.drawPerScale(dst, l.PerScale[0], "a/s1", "S1 per scale", "log_2 S1(j, ℓ)")
	s.drawPerScale(dst, l.PerScale[1], "a/s2", "S2 per scale", "log_2 S2(j, ℓ)")
	s.drawVector(dst, l.S3, "a/s3", a.S3Ticks, fmt.Sprintf("S3, isotropic, real part (%d)", iso["S3"]), "S3")
	s.drawVector(dst, l.S4, "a/s4", a.S4Ticks, fmt.Sprintf("S4, isotropic, real part (%d)", iso["S4"]), "S4")
}

// drawRegularity plots log₂ D(j, k, j′) against j′ with the fitted line
// and the theorem's bound 2 (a line of slope 2 through the first point).
func (s *Scattering) drawRegularity(dst *ebiten.Image, r Rect) {
	t := s.t
	a := s.ana
	reg := a.Regularity
	const title = "directional regularity D(j′)"
	if reg == nil || len(reg.JPrimes) < 2 || len(reg.Log2D) != len(reg.JPrimes) {
		t.frameOnly(dst, r, title, fmt.Sprintf("D(j′) = ‖ |x ∗ ψ_{j,k}| ∗ ψ_{j′,k⊥} ‖_1 needs two scales j′ ≥ j: j = %d of J = %d is too coarse.", a.Sj, a.J))
		return
	}
	xs := make([]float64, len(reg.JPrimes))
	ticks := make([]layout.Tick, len(reg.JPrimes))
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, jp := range reg.JPrimes {
		xs[i] = float64(jp)
		ticks[i] = layout.Tick{Value: xs[i], Label: fmt.Sprint(jp)}
		lo, hi = math.Min(lo, reg.Log2D[i]), math.Max(hi, reg.Log2D[i])
	}
	x0, x1 := xs[0], xs[len(xs)-1]
	bound := []float64{reg.Log2D[0], reg.Log2D[0] + reg.Bound*(x1-x0)}
	fitted := []float64{reg.Intercept + reg.Slope*x0, reg.Intercept + reg.Slope*x1}
	for _, v := range append(bound, fitted...) {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if hi-lo < 1 {
		lo, hi = lo-0.5, hi+0.5
	}
	pad := 0.08 * (hi - lo)
	legend := []legendEntry{{"data", genColor}, {"fit", truthColor}, {fmt.Sprintf("slope %g", reg.Bound), boundColor}}
	if !reg.Fitted {
		legend = []legendEntry{legend[0], legend[2]}
	}
	fit := "no fit (a D is 0)"
	if reg.Fitted {
		fit = fmt.Sprintf("fitted slope %.2f (R^2 %.2f)", reg.Slope, reg.R2)
	}
	p := t.plotIn(dst, r, plotSpec{
		title: title,
		x:     layout.Lin(x0-0.15, x1+0.15), y: layout.Lin(lo-pad, hi+pad),
		xName: "scale j′;  " + fit, yName: "log_2 D(j′)", xTicks: ticks,
		legend: legend,
	})
	p.line(dst, []float64{x0, x1}, bound, boundColor, 1)
	if reg.Fitted {
		p.line(dst, []float64{x0, x1}, fitted, truthColor, 1)
	}
	p.line(dst, xs, reg.Log2D, genColor, 2)
	for i := range xs {
		p.dot(dst, xs[i], reg.Log2D[i], genColor)
	}
}

// drawPerScale plots a J·L series (λ = j·L + ℓ) against j, one line per
// orientation ℓ in the bank's colours.
func (s *Scattering) drawPerScale(dst *ebiten.Image, r Rect, name, title, yName string) {
	a := s.ana
	v, ok := s.imgs.series(name)
	if !ok || len(v) != a.J*a.L {
		s.t.frameOnly(dst, r, title, "")
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if x > -900 {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	if math.IsInf(lo, 0) {
		s.t.frameOnly(dst, r, title, "")
		return
	}
	if hi-lo < 1 {
		lo, hi = lo-0.5, hi+0.5
	}
	pad := 0.08 * (hi - lo)
	p := s.t.plotIn(dst, r, plotSpec{
		title: title,
		x:     layout.Lin(-0.2, float64(a.J-1)+0.2), y: layout.Lin(lo-pad, hi+pad),
		xName: "scale j; colour: ℓ", yName: yName,
		xTicks: intTicks(0, a.J-1),
	})
	js := make([]float64, a.J)
	for j := range js {
		js[j] = float64(j)
	}
	for l := range a.L {
		ys := make([]float64, a.J)
		for j := range a.J {
			ys[j] = v[j*a.L+l]
		}
		p.line(dst, js, ys, layout.BankColor(l, a.L), 1.5)
	}
}

// intTicks returns ticks at the integers lo … hi.
func intTicks(lo, hi int) []layout.Tick {
	var out []layout.Tick
	for i := lo; i <= hi; i++ {
		out = append(out, layout.Tick{Value: float64(i), Label: fmt.Sprint(i)})
	}
	return out
}

// drawVector plots a coefficient series against its index, ticked where
// the outer scale j1 changes.
func (s *Scattering) drawVector(dst *ebiten.Image, r Rect, name string, starts []int, title, yName string) {
	v, ok := s.imgs.series(name)
	if !ok || len(v) == 0 {
		s.t.frameOnly(dst, r, title, "")
		return
	}
	lo, hi := 0.0, 0.0
	for _, x := range v {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	if hi-lo < 1e-9 {
		lo, hi = lo-1, hi+1
	}
	pad := 0.08 * (hi - lo)
	var ticks []layout.Tick
	for i, st := range starts {
		if st < len(v) {
			label := fmt.Sprint(i)
			if i == 0 {
				label = "j_1 = 0"
			}
			ticks = append(ticks, layout.Tick{Value: float64(st) - 0.5, Label: label})
		}
	}
	p := s.t.plotIn(dst, r, plotSpec{
		title: title,
		x:     layout.Lin(-0.5, float64(len(v))-0.5), y: layout.Lin(lo-pad, hi+pad),
		xName: "coefficient, by outer scale j_1", yName: yName, xTicks: ticks,
	})
	p.hline(dst, 0, axisColor, 1)
	xs := make([]float64, len(v))
	for i := range xs {
		xs[i] = float64(i)
	}
	p.line(dst, xs, v, genColor, 1)
}

func (s *Scattering) drawSynth(dst *ebiten.Image) {
	t := s.t
	g := s.syn
	if g.Kind == "" {
		t.message(dst, "Press Synthesise: white noise with the field's mean and variance is moved by gradient descent (L-BFGS) until its scattering spectra match the field's.")
		return
	}
	l := layout.ScatSynthesis(size(dst))
	t.title(dst, "target: "+scatFieldName(g.Field), l.Target)
	if im := s.imgs.image("s/target"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.Target), t.lw(1), frameColor)
	}
	state := ""
	if g.Done {
		state = " (" + g.Status + ")"
	}
	t.title(dst, fmt.Sprintf("synthesis: iteration %d/%d%s", g.Iter, g.MaxIter, state), l.Synthesis)
	if im := s.imgs.image("s/synth"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.Synthesis), t.lw(2), genColor)
	}
	s.drawPhi(dst, l.Phi)
	var errs []string
	for i, gr := range g.Groups {
		if i < len(g.GroupErrors) {
			errs = append(errs, fmt.Sprintf("%s %.2g", gr.Name, g.GroupErrors[i]))
		}
	}
	rel, whole := "–", "–"
	if g.RelErr != nil {
		rel = fmt.Sprintf("%.3g", *g.RelErr)
	}
	// The stopping rule: the whole loss's relative error
	// √(ℓ/Σ_i w_i Φ_i(t)²) = Tol·√(ℓ/StopLoss) at most Tol.
	if g.Loss != nil && g.StopLoss != nil && *g.StopLoss > 0 {
		whole = fmt.Sprintf("%.3g", g.Tol*math.Sqrt(*g.Loss / *g.StopLoss))
	}
	t.paragraph(dst, fmt.Sprintf("%s form, %d coefficients, J = %d, L = %d, noise seed %d\n"+
		"relative error: statistics %s, whole loss %s (stops at %g)\n"+
		"per statistic: %s\n"+
		"%d loss-and-gradient evaluations",
		g.Form, g.Count, g.J, g.L, g.Seed, rel, whole, g.Tol, strings.Join(errs, ", "), g.Evals), l.Info, labelStyle)

	s.drawLoss(dst, l.Loss)
	s.drawSynthSpectrum(dst, l.Spectrum)
	s.drawSynthHistogram(dst, l.Histogram)
	half := ""
	if g.SpectrumErrHalf != nil {
		half = fmt.Sprintf(", %.3f on half octaves", *g.SpectrumErrHalf)
	}
	t.paragraph(dst, fmt.Sprintf("marginal: total variation %.3f\nspectrum: mean |log P/P_{target}| %.3f%s", g.HistTV, g.SpecLR, half), l.Stats, labelStyle)
}

// synthLegend is the legend of the plots comparing the target and the
// synthesis.
var synthLegend = []legendEntry{{"target", truthColor}, {"synthesis", genColor}}

// drawPhi plots the statistics vector of the target and of the synthesis,
// one small plot per statistic (S1, S2, S3, S4), each on the scale of the
// target's values (the mean is left out: one number).
func (s *Scattering) drawPhi(dst *ebiten.Image, r Rect) {
	t := s.t
	g := s.syn
	const title = "statistics Φ"
	tv, ok1 := s.imgs.series("s/phi/target")
	x, ok2 := s.imgs.series("s/phi")
	var groups []scatGroup
	for _, gr := range g.Groups {
		if ok1 && gr.Name != "mean" && gr.Start >= 0 && gr.End <= len(tv) && gr.End > gr.Start {
			groups = append(groups, gr)
		}
	}
	if len(groups) == 0 {
		t.frameOnly(dst, r, title, "")
		return
	}
	t.draw(dst, title, r.X, r.Y, titleStyle, styleColours[titleStyle])
	t.drawLegend(dst, synthLegend, r.Right()-t.legendWidth(synthLegend), r.Y+(t.height(1, titleStyle)-t.height(1, tickStyle))/2)
	body := r.Shrink(0, t.height(1, titleStyle)+t.px(4), 0, 0)
	cells := body.Grid(len(groups), len(groups), t.px(10))
	for i, gr := range groups {
		sv := tv[gr.Start:gr.End]
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range sv {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		span := hi - lo
		if span < 1e-9 {
			span = math.Max(1e-3, math.Abs(hi))
		}
		name := gr.Name
		if name == "S1" || name == "S2" {
			name = "log " + name
		}
		// The synthesis may start far off: it is clipped to a margin
		// around the target's range.
		p := t.plotIn(dst, cells[i], plotSpec{
			title: fmt.Sprintf("%s (%d)", name, len(sv)),
			x:     layout.Lin(-0.5, float64(len(sv))-0.5), y: layout.Lin(lo-0.3*span, hi+0.3*span),
			xName: "index",
		})
		xs := make([]float64, len(sv))
		for k := range xs {
			xs[k] = float64(k)
		}
		width := float32(2)
		if len(sv) > 100 {
			width = 1.5
		}
		p.line(dst, xs, sv, truthColor, width)
		if ok2 && len(x) == len(tv) {
			p.line(dst, xs, x[gr.Start:gr.End], genColor, 1)
		}
	}
}

// scatLossTerms are the terms of the synthesis loss drawn beside the
// total: their series and legend names, full and short.
var scatLossTerms = [...]struct {
	series, name, short string
	c                   color.RGBA
}{
	{"s/loss/statistics", "statistics Φ", "Φ", mcmcColor},
	{"s/loss/marginal", "marginal", "marg.", barColor},
	{"s/loss/spectrum", "power spectrum", "P(k)", spectrumTermColor},
}

// drawLoss plots the loss against the iteration (log scale), its terms
// (the scattering statistics, the marginal and the power spectrum: the
// loss of scattering.DefaultSynthOptions) and the level at which the
// synthesis stops.
func (s *Scattering) drawLoss(dst *ebiten.Image, r Rect) {
	g := s.syn
	const title = "loss and its terms"
	loss, ok := s.imgs.series("s/loss")
	if !ok || len(loss) == 0 {
		s.t.frameOnly(dst, r, title, "")
		return
	}
	var terms [len(scatLossTerms)][]float64
	for i, lt := range scatLossTerms {
		if v, ok := s.imgs.series(lt.series); ok && len(v) == len(loss) {
			terms[i] = v
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range loss {
		if v > 0 {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	// The stopping level: the loss at which the whole loss's relative
	// error is Tol.
	stop := math.NaN()
	if g.StopLoss != nil && *g.StopLoss > 0 {
		stop = *g.StopLoss
		lo = math.Min(lo, stop)
	}
	if math.IsInf(lo, 0) {
		s.t.frameOnly(dst, r, title, "")
		return
	}
	// The terms are drawn down to 10⁻³ of the lowest total or stop level.
	floor := lo / 1e3
	for _, v := range terms {
		for _, x := range v {
			if x > floor {
				lo = math.Min(lo, x)
			}
		}
	}
	if hi/lo < 10 {
		hi, lo = hi*3, lo/3
	}
	n := float64(max(len(loss)-1, 10))
	legend := s.lossLegend(terms, stop > 0, false)
	if s.t.legendWidth(legend) > r.W {
		legend = s.lossLegend(terms, stop > 0, true)
	}
	p := s.t.plotIn(dst, r, plotSpec{
		title: title,
		x:     layout.Lin(0, n), y: layout.Log10(lo/1.5, hi*1.5),
		xName: "L-BFGS iteration", yName: "loss",
		legend: legend,
	})
	if stop > 0 {
		p.hline(dst, stop, boundColor, 1)
	}
	xs := make([]float64, len(loss))
	for i := range xs {
		xs[i] = float64(i)
	}
	for i, v := range terms {
		if v == nil || !slices.ContainsFunc(v, func(x float64) bool { return x > 0 }) {
			continue
		}
		// A term that is off (0) is not drawn; zeros are clipped to the floor.
		ys := make([]float64, len(v))
		for k, x := range v {
			ys[k] = math.Max(x, lo/1.5)
		}
		p.line(dst, xs, ys, scatLossTerms[i].c, 1)
	}
	p.line(dst, xs, loss, genColor, 1.5)
}

// lossLegend is the legend of the loss plot: the total, the terms that are
// on (full or short names) and the stop level.
func (s *Scattering) lossLegend(terms [len(scatLossTerms)][]float64, stop, short bool) []legendEntry {
	name := func(full, abbr string) string {
		if short {
			return abbr
		}
		return full
	}
	legend := []legendEntry{{name("total", "ℓ"), genColor}}
	for i, lt := range scatLossTerms {
		if terms[i] != nil && slices.ContainsFunc(terms[i], func(x float64) bool { return x > 0 }) {
			legend = append(legend, legendEntry{name(lt.name, lt.short), lt.c})
		}
	}
	if stop {
		legend = append(legend, legendEntry{name("stop level", "stop"), boundColor})
	}
	return legend
}

func (s *Scattering) drawSynthSpectrum(dst *ebiten.Image, r Rect) {
	const title = "power spectrum"
	ks, _ := s.imgs.series("s/k")
	tp, _ := s.imgs.series("s/power/target")
	gp, _ := s.imgs.series("s/power")
	if len(ks) < 2 || len(tp) != len(ks) {
		s.t.frameOnly(dst, r, title, "")
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range append(append([]float64{}, tp...), gp...) {
		if p > 0 {
			lo, hi = math.Min(lo, p), math.Max(hi, p)
		}
	}
	if math.IsInf(lo, 0) {
		s.t.frameOnly(dst, r, title, "")
		return
	}
	p := s.t.plotIn(dst, r, plotSpec{
		title: title,
		x:     layout.Log10(ks[0], ks[len(ks)-1]), y: layout.Log10(lo/1.5, hi*1.5),
		xName: "|k| (radians per pixel)", yName: "P(|k|)",
		legend: synthLegend,
	})
	p.line(dst, ks, tp, truthColor, 2)
	if len(gp) == len(ks) {
		p.line(dst, ks, gp, genColor, 1.5)
	}
}

func (s *Scattering) drawSynthHistogram(dst *ebiten.Image, r Rect) {
	what := "x"
	if s.syn.Log {
		what = "log_{10} ρ"
	}
	title := "marginal of " + what
	edges, _ := s.imgs.series("s/edges")
	td, _ := s.imgs.series("s/density/target")
	gd, _ := s.imgs.series("s/density")
	if len(edges) < 2 || len(td) != len(edges)-1 {
		s.t.frameOnly(dst, r, title, "")
		return
	}
	c := make([]float64, len(td))
	for i := range c {
		c[i] = (edges[i] + edges[i+1]) / 2
	}
	ymax := 0.0
	for _, v := range append(append([]float64{}, td...), gd...) {
		ymax = math.Max(ymax, v)
	}
	p := s.t.plotIn(dst, r, plotSpec{
		title: title,
		x:     layout.Lin(edges[0], edges[len(edges)-1]), y: layout.Lin(0, 1.1*math.Max(ymax, 1e-9)),
		xName: what + " (one pixel)", yName: "density",
		legend: synthLegend,
	})
	p.line(dst, c, td, truthColor, 2)
	if len(gd) == len(c) {
		p.line(dst, c, gd, genColor, 1.5)
	}
}

// boundColor draws the theorem's bound.
var boundColor = color.RGBA{0xff, 0x6b, 0x8b, 0xff}

// spectrumTermColor draws the power-spectrum term of the synthesis loss.
var spectrumTermColor = color.RGBA{0x6b, 0xd0, 0x8b, 0xff}
