//go:build js

package ui

import (
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

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

// NewScattering returns an empty scene.
func NewScattering() *Scattering {
	return &Scattering{view: ScatteringView{Mode: "analyse"}}
}

// Load merges new frames: "analysis" replaces the analysis panels,
// "synth_start" the synthesis, "synth_step" its progress.
func (s *Scattering) Load(header, buf []byte) error {
	var h struct {
		Scene  string           `json:"scene"`
		Images []protocol.Image `json:"images"`
		Values json.RawMessage  `json:"values"`
	}
	if err := json.Unmarshal(header, &h); err != nil {
		return fmt.Errorf("scattering: bad frame header: %w", err)
	}
	if h.Scene != "scattering" {
		return fmt.Errorf("scattering: frames are for scene %q", h.Scene)
	}
	var kind struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(h.Values, &kind); err != nil {
		return fmt.Errorf("scattering: bad values: %w", err)
	}
	s.live = kind.Kind == "synth_step"
	switch kind.Kind {
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
		return fmt.Errorf("scattering: unknown frames %q", kind.Kind)
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

// scatFieldName is the ASCII name of a field for the canvas's font.
func scatFieldName(f string) string {
	switch f {
	case "phi4":
		return "phi^4 at beta = 0.68"
	case "calpha":
		return "C^alpha image"
	case "drawing":
		return "drawing"
	case "cosmic":
		return "cosmic web, log10 rho"
	case "turbulence":
		return "2-D turbulence vorticity"
	}
	return f
}

func (s *Scattering) drawAnalysis(dst *ebiten.Image) {
	a := s.ana
	if a.Kind == "" {
		message(dst, "Computing the wavelet modulus and the scattering spectra...")
		return
	}
	l := layout.Scattering(size(dst))
	label(dst, fmt.Sprintf("x: %s, %dx%d", scatFieldName(a.Field), a.N, a.N), l.Big[0].X, l.Big[0].Y-18)
	if im := s.imgs.image("a/field"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.Big[0]), 1, frameColor)
	}
	label(dst, fmt.Sprintf("|x * psi_j,k|  j = %d, k = %d (theta = %.0f deg)", a.Sj, a.Sk, a.ThetaDeg), l.Big[1].X, l.Big[1].Y-18)
	if im := s.imgs.image("a/modulus"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.Big[1]), 1, frameColor)
	}
	// The second transforms along the perpendicular orientation.
	first := l.Second[0]
	label(dst, fmt.Sprintf("second transform ||x * psi_%d,%d| * psi_l,%d| (k_perp = %d)", a.Sj, a.Sk, a.Kperp, a.Kperp), first.X, first.Y-18)
	for i, sec := range a.Second[:min(len(a.Second), len(l.Second))] {
		r := l.Second[i]
		if im := s.imgs.image(fmt.Sprintf("a/second/%d", i)); im != nil {
			strokeRect(dst, drawImageSnap(dst, im, r), 1, frameColor)
		}
		label(dst, fmt.Sprintf("l = j+%d = %d", sec.JP-a.Sj, sec.JP), r.X, r.Y+r.H+2)
	}
	if len(a.Second) == 0 {
		label(dst, fmt.Sprintf("none: j = %d is the coarsest\nscale (J = %d). Step j down.", a.Sj, a.J), first.X, first.Y+10)
	}
	// The filter bank.
	br := l.Bank
	by := "orientation"
	if a.By == "scale" {
		by = "scale"
	}
	label(dst, "bank in Fourier", br.X, br.Y-18)
	if im := s.imgs.image("a/bank"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, br), 1, frameColor)
	}
	label(dst, "colour: "+by, br.X, br.Y+br.H+2)
	// Numbers.
	iso, full := a.Counts["iso"], a.Counts["full"]
	info := fmt.Sprintf("%s wavelets, J = %d scales, L = %d orientations; psi_%d,%d outlined\n"+
		"S1(j,k) = E|x * psi_j,k| = %.4g;  mean E[x] = %.4g\n"+
		"coefficients: isotropic %d (S1 %d, S2 %d, S3 %d, S4 %d)\n"+
		"              full      %d (S1 %d, S2 %d, S3 %d, S4 %d)",
		a.Wavelet, a.J, a.L, a.Sj, a.Sk, a.S1jk, a.Mean,
		iso["total"], iso["S1"], iso["S2"], iso["S3"], iso["S4"],
		full["total"], full["S1"], full["S2"], full["S3"], full["S4"])
	label(dst, info, l.Info.X, l.Info.Y)

	s.drawRegularity(dst, l.Regularity)
	s.drawPerScale(dst, l.PerScale[0], "a/s1", "log2 S1(j, l)")
	s.drawPerScale(dst, l.PerScale[1], "a/s2", "log2 S2(j, l)")
	s.drawVector(dst, l.S3, "a/s3", a.S3Ticks, fmt.Sprintf("S3 (isotropic, Re), %d coefficients", iso["S3"]))
	s.drawVector(dst, l.S4, "a/s4", a.S4Ticks, fmt.Sprintf("S4 (isotropic, Re), %d coefficients", iso["S4"]))
}

// drawRegularity plots log₂ D(j, k, j′) against j′ with the fitted line
// and the theorem's bound 2 (a line of slope 2 through the first point).
func (s *Scattering) drawRegularity(dst *ebiten.Image, r Rect) {
	a := s.ana
	reg := a.Regularity
	if reg == nil || len(reg.JPrimes) < 2 || len(reg.Log2D) != len(reg.JPrimes) {
		label(dst, "directional regularity D(j') = || |x*psi_j,k| * psi_j',k_perp ||_1", r.X-28, r.Y-20)
		strokeRect(dst, r, 1, gridColor)
		label(dst, fmt.Sprintf("needs two scales j' >= j:\nj = %d of J = %d is too coarse.", a.Sj, a.J), r.X+8, r.Y+8)
		return
	}
	fit := "no fit (a D is 0)"
	if reg.Fitted {
		fit = fmt.Sprintf("slope %.2f (R2 %.2f)", reg.Slope, reg.R2)
	}
	label(dst, fmt.Sprintf("log2 D(j') vs j' = %d..%d: %s; bound %g", reg.JPrimes[0], reg.JPrimes[len(reg.JPrimes)-1], fit, reg.Bound), r.X-28, r.Y-20)
	xs := make([]float64, len(reg.JPrimes))
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, jp := range reg.JPrimes {
		xs[i] = float64(jp)
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
	ax := newAxes(r, layout.Lin(x0-0.15, x1+0.15), layout.Lin(lo-pad, hi+pad))
	ax.frame(dst)
	ax.line(dst, []float64{x0, x1}, bound, boundColor, 1)
	if reg.Fitted {
		ax.line(dst, []float64{x0, x1}, fitted, truthColor, 1)
	}
	ax.line(dst, xs, reg.Log2D, genColor, 2)
	for i := range xs {
		ax.dot(dst, xs[i], reg.Log2D[i], genColor)
		px, _ := ax.Point(xs[i], lo)
		label(dst, fmt.Sprintf("%d", reg.JPrimes[i]), px-3, r.Y+r.H+1)
	}
	labelLeftOf(dst, fmt.Sprintf("%.0f", hi), r.X, r.Y)
	labelLeftOf(dst, fmt.Sprintf("%.0f", lo), r.X, r.Y+r.H-14)
	label(dst, "data", r.X+6, r.Y+4)
	label(dst, "fit", r.X+6, r.Y+18)
	label(dst, "slope 2", r.X+6, r.Y+32)
	vector.StrokeLine(dst, r.X+56, r.Y+11, r.X+76, r.Y+11, 2, genColor, false)
	vector.StrokeLine(dst, r.X+56, r.Y+25, r.X+76, r.Y+25, 1, truthColor, false)
	vector.StrokeLine(dst, r.X+56, r.Y+39, r.X+76, r.Y+39, 1, boundColor, false)
}

// drawPerScale plots a J·L series (λ = j·L + ℓ) against j, one line per
// orientation ℓ in the bank's colours.
func (s *Scattering) drawPerScale(dst *ebiten.Image, r Rect, name, title string) {
	a := s.ana
	label(dst, title, r.X-28, r.Y-18)
	v, ok := s.imgs.series(name)
	if !ok || len(v) != a.J*a.L {
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		if x > -900 {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	if math.IsInf(lo, 0) {
		return
	}
	if hi-lo < 1 {
		lo, hi = lo-0.5, hi+0.5
	}
	pad := 0.08 * (hi - lo)
	ax := newAxes(r, layout.Lin(-0.2, float64(a.J-1)+0.2), layout.Lin(lo-pad, hi+pad))
	ax.frame(dst)
	js := make([]float64, a.J)
	for j := range js {
		js[j] = float64(j)
	}
	for l := range a.L {
		ys := make([]float64, a.J)
		for j := range a.J {
			ys[j] = v[j*a.L+l]
		}
		ax.line(dst, js, ys, layout.BankColor(l, a.L), 1.5)
	}
	labelLeftOf(dst, fmt.Sprintf("%.0f", hi), r.X, r.Y)
	labelLeftOf(dst, fmt.Sprintf("%.0f", lo), r.X, r.Y+r.H-14)
	label(dst, "j = 0", r.X, r.Y+r.H+1)
	label(dst, fmt.Sprintf("%d", a.J-1), r.X+r.W-8, r.Y+r.H+1)
}

// drawVector plots a coefficient series against its index with a tick
// where the outer scale j1 changes.
func (s *Scattering) drawVector(dst *ebiten.Image, r Rect, name string, ticks []int, title string) {
	label(dst, title, r.X-28, r.Y-18)
	v, ok := s.imgs.series(name)
	if !ok || len(v) == 0 {
		strokeRect(dst, r, 1, gridColor)
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
	ax := newAxes(r, layout.Lin(-0.5, float64(len(v))-0.5), layout.Lin(lo-pad, hi+pad))
	lastLabel := float32(-100)
	for i, t := range ticks {
		if t >= len(v) {
			continue
		}
		px, _ := ax.Point(float64(t)-0.5, 0)
		vector.StrokeLine(dst, px, r.Y, px, r.Y+r.H, 1, gridColor, false)
		// Labels where they fit (the blocks of large j1 are short).
		text := fmt.Sprintf("j1=%d", i)
		if i == 0 {
			text = "j1 = 0"
		}
		if px-lastLabel >= 40 && px+30 <= r.X+r.W+8 {
			label(dst, text, px+2, r.Y+r.H+1)
			lastLabel = px
		}
	}
	ax.frame(dst)
	ax.line(dst, []float64{-0.5, float64(len(v)) - 0.5}, []float64{0, 0}, gridColor, 1)
	xs := make([]float64, len(v))
	for i := range xs {
		xs[i] = float64(i)
	}
	ax.line(dst, xs, v, genColor, 1)
	labelLeftOf(dst, fmt.Sprintf("%.2g", hi), r.X, r.Y)
	labelLeftOf(dst, fmt.Sprintf("%.2g", lo), r.X, r.Y+r.H-14)
}

func (s *Scattering) drawSynth(dst *ebiten.Image) {
	g := s.syn
	if g.Kind == "" {
		message(dst, "Press Synthesise: white noise with the field's mean and variance is moved\nby gradient descent (L-BFGS) until its scattering spectra match the field's.")
		return
	}
	l := layout.Scattering(size(dst))
	label(dst, fmt.Sprintf("target: %s", scatFieldName(g.Field)), l.Big[0].X, l.Big[0].Y-18)
	if im := s.imgs.image("s/target"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.Big[0]), 1, frameColor)
	}
	state := ""
	if g.Done {
		state = " (" + g.Status + ")"
	}
	label(dst, fmt.Sprintf("synthesis: iteration %d/%d%s", g.Iter, g.MaxIter, state), l.Big[1].X, l.Big[1].Y-18)
	if im := s.imgs.image("s/synth"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.Big[1]), 2, genColor)
	}
	s.drawPhi(dst, l.Phi)
	var errs []string
	for i, gr := range g.Groups {
		if i < len(g.GroupErrors) {
			errs = append(errs, fmt.Sprintf("%s %.2g", gr.Name, g.GroupErrors[i]))
		}
	}
	rel := "-"
	if g.RelErr != nil {
		rel = fmt.Sprintf("%.3g", *g.RelErr)
	}
	label(dst, fmt.Sprintf("%s form, %d coefficients, J = %d, L = %d, noise seed %d\n"+
		"relative error |Phi(x) - Phi(target)| / |Phi(target)| = %s (stops at %g)\n"+
		"per statistic: %s\n"+
		"%d loss-and-gradient evaluations",
		g.Form, g.Count, g.J, g.L, g.Seed, rel, g.Tol, strings.Join(errs, ", "), g.Evals), l.SynthInfo.X, l.SynthInfo.Y)

	s.drawLoss(dst, l.Loss)
	s.drawSynthSpectrum(dst, l.Spectrum)
	s.drawSynthHistogram(dst, l.Histogram)
	label(dst, fmt.Sprintf("marginal: total variation %.3f\nspectrum: mean |log P/P_target| %.3f", g.HistTV, g.SpecLR), l.Stats.X, l.Stats.Y)
}

// drawPhi plots the statistics vector of the target (grey) and of the
// synthesis (yellow), one panel per statistic (S1, S2, S3, S4), each on
// the scale of the target's values (the mean is left out: one number).
func (s *Scattering) drawPhi(dst *ebiten.Image, r Rect) {
	g := s.syn
	label(dst, "statistics Phi: target (grey), synthesis (yellow)", r.X-28, r.Y-18)
	t, ok1 := s.imgs.series("s/phi/target")
	x, ok2 := s.imgs.series("s/phi")
	if !ok1 || len(t) == 0 {
		return
	}
	var groups []scatGroup
	for _, gr := range g.Groups {
		if gr.Name != "mean" && gr.Start >= 0 && gr.End <= len(t) && gr.End > gr.Start {
			groups = append(groups, gr)
		}
	}
	if len(groups) == 0 {
		return
	}
	cells := r.Grid(len(groups), len(groups), 10)
	for i, gr := range groups {
		sr := cells[i]
		tv := t[gr.Start:gr.End]
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range tv {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		span := hi - lo
		if span < 1e-9 {
			span = math.Max(1e-3, math.Abs(hi))
		}
		// The synthesis may start far off: it is clipped to a margin
		// around the target's range.
		ax := newAxes(sr, layout.Lin(-0.5, float64(len(tv))-0.5), layout.Lin(lo-0.3*span, hi+0.3*span))
		ax.frame(dst)
		xs := make([]float64, len(tv))
		for k := range xs {
			xs[k] = float64(k)
		}
		width := float32(2)
		if len(tv) > 100 {
			width = 1.5
		}
		ax.line(dst, xs, tv, truthColor, width)
		if ok2 && len(x) == len(t) {
			ax.line(dst, xs, x[gr.Start:gr.End], genColor, 1)
		}
		name := gr.Name
		if name == "S1" || name == "S2" {
			name = "log " + name
		}
		label(dst, fmt.Sprintf("%s (%d)", name, len(tv)), sr.X, sr.Y+sr.H+1)
	}
}

// drawLoss plots the loss against the iteration (log scale) and the level
// at which the synthesis stops.
func (s *Scattering) drawLoss(dst *ebiten.Image, r Rect) {
	g := s.syn
	loss, ok := s.imgs.series("s/loss")
	label(dst, "loss |Phi(x) - Phi(target)|^2 by iteration (log)", r.X-28, r.Y-20)
	if !ok || len(loss) == 0 {
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range loss {
		if v > 0 {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	// The stopping level: RelErr = Tol, i.e. loss = loss·(Tol/RelErr)².
	stop := math.NaN()
	if g.RelErr != nil && *g.RelErr > 0 && g.Loss != nil {
		stop = *g.Loss * (g.Tol / *g.RelErr) * (g.Tol / *g.RelErr)
		if stop > 0 {
			lo = math.Min(lo, stop)
		}
	}
	if math.IsInf(lo, 0) {
		return
	}
	if hi/lo < 10 {
		hi, lo = hi*3, lo/3
	}
	n := float64(max(len(loss)-1, 10))
	ax := newAxes(r, layout.Lin(0, n), layout.Log10(lo/1.5, hi*1.5))
	ax.frame(dst)
	if stop > 0 {
		ax.line(dst, []float64{0, n}, []float64{stop, stop}, boundColor, 1)
		_, py := ax.Point(0, stop)
		label(dst, "stop", r.X+r.W-26, py-15)
	}
	xs := make([]float64, len(loss))
	for i := range xs {
		xs[i] = float64(i)
	}
	ax.line(dst, xs, loss, genColor, 1.5)
	labelLeftOf(dst, fmt.Sprintf("%.0e", hi*1.5), r.X, r.Y)
	labelLeftOf(dst, fmt.Sprintf("%.0e", lo/1.5), r.X, r.Y+r.H-14)
	label(dst, "0", r.X, r.Y+r.H+1)
	label(dst, fmt.Sprintf("%.0f", n), r.X+r.W-20, r.Y+r.H+1)
}

func (s *Scattering) drawSynthSpectrum(dst *ebiten.Image, r Rect) {
	label(dst, "power spectrum P(|k|), log-log: target, synthesis", r.X-28, r.Y-20)
	ks, _ := s.imgs.series("s/k")
	tp, _ := s.imgs.series("s/power/target")
	gp, _ := s.imgs.series("s/power")
	if len(ks) < 2 || len(tp) != len(ks) {
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range append(append([]float64{}, tp...), gp...) {
		if p > 0 {
			lo, hi = math.Min(lo, p), math.Max(hi, p)
		}
	}
	if math.IsInf(lo, 0) {
		return
	}
	ax := newAxes(r, layout.Log10(ks[0], ks[len(ks)-1]), layout.Log10(lo/1.5, hi*1.5))
	ax.frame(dst)
	ax.line(dst, ks, tp, truthColor, 2)
	if len(gp) == len(ks) {
		ax.line(dst, ks, gp, genColor, 1.5)
	}
	label(dst, fmt.Sprintf("|k| %.2g", ks[0]), r.X, r.Y+r.H+1)
	label(dst, fmt.Sprintf("%.2g", ks[len(ks)-1]), r.X+r.W-24, r.Y+r.H+1)
}

func (s *Scattering) drawSynthHistogram(dst *ebiten.Image, r Rect) {
	what := "x"
	if s.syn.Log {
		what = "log10 rho"
	}
	label(dst, "marginal of "+what+": target, synthesis", r.X-28, r.Y-20)
	edges, _ := s.imgs.series("s/edges")
	td, _ := s.imgs.series("s/density/target")
	gd, _ := s.imgs.series("s/density")
	if len(edges) < 2 || len(td) != len(edges)-1 {
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
	ax := newAxes(r, layout.Lin(edges[0], edges[len(edges)-1]), layout.Lin(0, 1.1*math.Max(ymax, 1e-9)))
	ax.frame(dst)
	ax.line(dst, c, td, truthColor, 2)
	if len(gd) == len(c) {
		ax.line(dst, c, gd, genColor, 1.5)
	}
	label(dst, fmt.Sprintf("%.2g", ax.X.Min), r.X, r.Y+r.H+1)
	label(dst, fmt.Sprintf("%.2g", ax.X.Max), r.X+r.W-30, r.Y+r.H+1)
}

// boundColor draws the theorem's bound.
var boundColor = color.RGBA{0xff, 0x6b, 0x8b, 0xff}
