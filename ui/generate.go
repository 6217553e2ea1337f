//go:build js

package ui

import (
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"scalewise/ui/layout"
	"scalewise/ui/protocol"
)

// The Generate scene shows images drawn by score diffusion from the prior
// implicit in a denoiser, and the experiment of Kadkhodaie, Guth,
// Simoncelli and Mallat ("Generalization in diffusion models arises from
// geometry-adaptive harmonic representations", ICLR 2024, §2): two nets
// trained on disjoint sets S1 and S2 of N images each generate from the
// same noise. With few images each reproduces images of its own training
// set (memorisation); with many, both generate nearly the same new image
// (generalisation).

// genRoles are the sides of a pair, as the frames name them, and
// genSets the training sets they stand for on the canvas.
var (
	genRoles = [2]string{"s1", "s2"}
	genSets  = [2]string{"S1", "S2"}
)

// genRun is one net's run: the settings of its start frames, the progress
// of its latest ones, and the points of every iteration (thinned).
type genRun struct {
	v      protocol.GenValues
	points []protocol.GenPoint // from the start's (t, σ), without energies
}

// genCurveMax bounds the points kept of a run: beyond it every other one
// is dropped (the first and the newest stay).
const genCurveMax = 600

// load merges the values of a run's frames; inconsistent ones change
// nothing.
func (r *genRun) load(v protocol.GenValues) error {
	j := r.v.J
	if v.Kind == protocol.KindStart {
		j = v.J
		if v.J < 1 || v.Size < 1 {
			return fmt.Errorf("generate: inconsistent start frames (J=%d, size %d)", v.J, v.Size)
		}
	} else if r.v.Kind == "" {
		return fmt.Errorf("generate: %s frames of %s before its start", v.Kind, v.Role)
	}
	for _, p := range v.Points {
		if len(p.Energy) != j+1 {
			return fmt.Errorf("generate: a point with %d energies, want J+1 = %d", len(p.Energy), j+1)
		}
	}
	if v.Kind == protocol.KindStart {
		sigma := v.Sigma
		if !(sigma > 0) {
			sigma = v.Sigma0
		}
		*r = genRun{v: v, points: []protocol.GenPoint{{T: v.T, Sigma: sigma}}}
	} else {
		r.v.Kind, r.v.T, r.v.Sigma, r.v.Done, r.v.Seconds = v.Kind, v.T, v.Sigma, v.Done, v.Seconds
		if v.Nearest != nil {
			r.v.Nearest = v.Nearest
		}
	}
	r.points = append(r.points, v.Points...)
	for len(r.points) > genCurveMax {
		last, k := len(r.points)-1, 0
		for i := 0; i < last; i += 2 {
			r.points[k] = r.points[i]
			k++
		}
		r.points[k] = r.points[last]
		r.points = r.points[:k+1]
	}
	return nil
}

// started reports whether the run has had its start frames.
func (r *genRun) started() bool { return r.v.Kind != "" }

// done reports whether the run has finished.
func (r *genRun) done() bool { return r.v.Kind == protocol.KindDone }

// Generate is the scene of generation by score diffusion: a pair of nets
// generating from the same noise, σ_t and the energy of each wavelet scale
// as they run (coarse to fine), their samples' nearest training images,
// and the measured sweep over N; or a grid of samples of one net.
type Generate struct {
	t    *typeface
	view GenerateView
	runs [2]genRun
	grid protocol.GenGridValues
	// imgs holds every frame, named by run: "s1/…", "s2/…", "grid/…".
	imgs imageCache

	// version counts the frames and views, viewVersion the views: the
	// layer shows everything but the sweep, drawn when version changes;
	// back shows the sweep, drawn when the view changes.
	version, viewVersion int
	live                 bool // the last frames were a step of a run
	layer, back          *ebiten.Image
	layerKey, backKey    int
	layerOK, backOK      bool
}

// NewGenerate returns an empty scene that prints with t.
func NewGenerate(t *typeface) *Generate {
	return &Generate{t: t, view: defaultGenerateView()}
}

// Load merges new frames: a run's "start" resets that run (its images and
// curves), "step" extends its curves and replaces its images, "done" adds
// its sample and nearest training image; "grid" replaces the grid.
func (s *Generate) Load(header, buf []byte) error {
	h, err := decodeFrameHeader("generate", header)
	if err != nil {
		return err
	}
	s.live = h.Kind == protocol.KindStep
	switch h.Kind {
	case protocol.KindGrid:
		var v protocol.GenGridValues
		if err := json.Unmarshal(h.Values, &v); err != nil {
			return fmt.Errorf("generate: bad grid values: %w", err)
		}
		if v.N < 1 || v.Cols < 1 {
			return fmt.Errorf("generate: inconsistent grid frames (n=%d, cols=%d)", v.N, v.Cols)
		}
		s.imgs.merge(prefixed("grid/", h.Images), buf, "grid/")
		s.grid = v
	case protocol.KindStart, protocol.KindStep, protocol.KindDone:
		var v protocol.GenValues
		if err := json.Unmarshal(h.Values, &v); err != nil {
			return fmt.Errorf("generate: bad values: %w", err)
		}
		i := 0
		for i < len(genRoles) && genRoles[i] != v.Role {
			i++
		}
		if i == len(genRoles) {
			return fmt.Errorf("generate: frames of role %q, want s1 or s2", v.Role)
		}
		if err := s.runs[i].load(v); err != nil {
			return err
		}
		clear := ""
		if v.Kind == protocol.KindStart {
			clear = v.Role + "/"
		}
		s.imgs.merge(prefixed(v.Role+"/", h.Images), buf, clear)
	default:
		return fmt.Errorf("generate: unknown frames %q", h.Kind)
	}
	s.version++
	return nil
}

// prefixed returns the image table with prefix before every name.
func prefixed(prefix string, images []protocol.Image) []protocol.Image {
	out := make([]protocol.Image, len(images))
	for i, im := range images {
		im.Name = prefix + im.Name
		out[i] = im
	}
	return out
}

// SetView decodes and applies a GenerateView.
func (s *Generate) SetView(js []byte) error {
	v, err := decodeGenerateView(js)
	if err != nil {
		return fmt.Errorf("generate: bad view: %w", err)
	}
	s.view = v
	s.version++
	s.viewVersion++
	return nil
}

// Update has no input: the page's controls drive this scene.
func (s *Generate) Update() error { return nil }

// LiveLoad reports whether the last frames loaded were a step of a run in
// progress rather than a new view state.
func (s *Generate) LiveLoad() bool { return s.live }

// Pending reports whether the last Draw drew stale images.
func (s *Generate) Pending() bool { return s.imgs.pending() }

// Panels returns the panels of the view shown on a w×h canvas.
func (s *Generate) Panels(w, h int) (layout.Frame, []layout.Panel) {
	if s.view.Mode == "grid" {
		l := layout.GenerateGrid(w, h)
		return l.Frame, l.Named()
	}
	l := layout.Generate(w, h)
	return l.Frame, l.Named()
}

// Draw draws into offscreen layers when frames or the view change
// (antialiased plots cost much on a software-rendered WebGL): the sweep,
// which changes only with the view, into one; the runs into the other.
// Each frame draws the layers.
func (s *Generate) Draw(dst *ebiten.Image) {
	s.imgs.newFrame(maxUploads)
	if layer, fresh := layerFor(s.layer, dst); fresh {
		s.layer, s.layerOK = layer, false
	}
	grid := s.view.Mode == "grid"
	if !grid {
		if back, fresh := layerFor(s.back, dst); fresh {
			s.back, s.backOK = back, false
		}
		if !s.backOK || s.backKey != s.viewVersion {
			s.back.Clear()
			s.drawSweep(s.back, layout.Generate(size(dst)).Sweep)
			s.backKey, s.backOK = s.viewVersion, true
		}
		dst.DrawImage(s.back, nil)
	}
	if !s.layerOK || s.layerKey != s.version {
		s.layer.Clear()
		d0 := s.imgs.deferred
		if grid {
			s.drawGrid(s.layer)
		} else {
			s.drawPair(s.layer)
		}
		s.layerKey, s.layerOK = s.version, s.imgs.deferred == d0
	}
	dst.DrawImage(s.layer, nil)
}

var (
	// genRoleColours mark the two nets: their images' frames and their
	// curves of σ_t.
	genRoleColours = [2]color.RGBA{{0xff, 0x8c, 0x5a, 0xff}, {0x5a, 0xc8, 0xc8, 0xff}}
	// The sweep's similarities: of a pair's samples (its quartiles
	// shaded) and of a sample to its nearest training image.
	pairColour    = genColor
	pairBand      = color.RGBA{0xff, 0xc8, 0x3c, 0x40}
	nearestColour = mcmcColor
)

// genEstimate is the denoiser's estimate x̂(y_t) = E[x | y_t], as the
// canvas writes it (the markup draws the hat).
const genEstimate = "x̂(y_t)"

// firstFitting returns the first of texts as wide as w or narrower in a
// style, else the last.
func firstFitting(t *typeface, w float32, st style, texts ...string) string {
	for _, s := range texts[:len(texts)-1] {
		if t.width(s, st) <= w {
			return s
		}
	}
	return texts[len(texts)-1]
}

// paramCount writes a count of parameters briefly: 950, 53k, 1.2M.
func paramCount(n int) string {
	switch {
	case n >= 1e6:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/1e6), ".0") + "M"
	case n >= 1e4:
		return fmt.Sprintf("%.0fk", float64(n)/1e3)
	case n >= 1e3:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/1e3), ".0") + "k"
	}
	return fmt.Sprint(n)
}

// netTitles are the titles of a net's panel, longest first.
func netTitles(set string, n protocol.GenNet) []string {
	if n.Size != "" && n.N > 0 {
		return []string{
			fmt.Sprintf("%s: %s net, N = %d, %s params", set, n.Size, n.N, paramCount(n.Params)),
			fmt.Sprintf("%s: %s, N = %d, %s", set, n.Size, n.N, paramCount(n.Params)),
			fmt.Sprintf("%s: N = %d", set, n.N),
		}
	}
	name := layout.Escape(n.Name)
	return []string{fmt.Sprintf("%s: %s, %s params", set, name, paramCount(n.Params)), fmt.Sprintf("%s: %s", set, name), set}
}

// drawPair draws the pair view but for the sweep.
func (s *Generate) drawPair(dst *ebiten.Image) {
	l := layout.Generate(size(dst))
	for i := range s.runs {
		s.drawNet(dst, i, l.Nets[i])
		s.drawNearest(dst, i, l.Nearest[i], l.Nets[i])
	}
	s.drawSigma(dst, l.Sigma)
	s.drawEnergy(dst, l.Energy)
	s.drawInfo(dst, l.Info)
}

// drawNet draws a net's current image: its iterate y_t or its estimate,
// by the view, and once done its sample.
func (s *Generate) drawNet(dst *ebiten.Image, i int, r Rect) {
	t := s.t
	run := &s.runs[i]
	if !run.started() {
		t.title(dst, genSets[i], r)
		strokeRect(dst, r, t.lw(1), axisColor)
		t.paragraph(dst, fmt.Sprintf("The net trained on %s generates here.", genSets[i]), r.Inset(t.px(8)), labelStyle)
		return
	}
	t.title(dst, firstFitting(t, r.W, titleStyle, netTitles(genSets[i], run.v.Net)...), r)
	role := genRoles[i] + "/"
	type choice struct{ name, caption, short string }
	var choices []choice
	if run.done() {
		choices = append(choices, choice{"sample", fmt.Sprintf("the sample %s at t = %d", genEstimate, run.v.T), "the sample"})
	}
	if s.view.Show == "xhat" {
		choices = append(choices, choice{"xhat", fmt.Sprintf("the estimate %s, t = %d", genEstimate, run.v.T), genEstimate})
	}
	choices = append(choices, choice{"y", fmt.Sprintf("the iterate y_t, t = %d", run.v.T), "y_t"})
	for _, c := range choices {
		if im := s.imgs.image(role + c.name); im != nil {
			strokeRect(dst, drawImageSnap(dst, im, r), t.lw(2), genRoleColours[i])
			t.caption(dst, firstFitting(t, r.W, labelStyle, c.caption, c.short), r)
			return
		}
	}
}

// drawNearest draws the training image nearest to a net's sample and
// their cosine similarity, and beside it, where the net's column leaves
// room, the similarity of the centred images and the images searched.
func (s *Generate) drawNearest(dst *ebiten.Image, i int, r, net Rect) {
	t := s.t
	run := &s.runs[i]
	set := genSets[i]
	if run.v.Net.N > 0 {
		set = fmt.Sprintf("%s (N = %d)", set, run.v.Net.N)
	}
	t.title(dst, firstFitting(t, net.W, titleStyle, "nearest training image in "+set, "nearest in "+set, "nearest"), r)
	nb := run.v.Nearest
	var im *ebiten.Image
	if run.done() && nb != nil {
		im = s.imgs.image(genRoles[i] + "/nearest")
	}
	if im == nil {
		strokeRect(dst, r, t.lw(1), axisColor)
		note := "once the net has generated"
		if run.done() && nb == nil {
			note = "no training set searched"
		}
		t.paragraph(dst, note, r.Inset(t.px(8)), labelStyle)
		return
	}
	strokeRect(dst, drawImageSnap(dst, im, r), t.lw(1), frameColor)
	t.caption(dst, firstFitting(t, net.Right()-r.X, labelStyle,
		fmt.Sprintf("cos %.2f (training image #%d)", nb.Cos, nb.Index), fmt.Sprintf("cos %.2f (#%d)", nb.Cos, nb.Index)), r)
	side := Rect{X: r.Right() + t.px(10), Y: r.Y, W: net.Right() - r.Right() - t.px(10), H: r.H}
	if side.W >= t.width("searched", labelStyle) {
		t.paragraph(dst, fmt.Sprintf("centred\ncos %.2f\n\nsearched\n%d", nb.CosCentered, nb.Searched), side, numStyle)
	}
}

// pairCos returns the cosine similarity of the two nets' samples, once
// both are done.
func (s *Generate) pairCos() (float64, bool) {
	if !s.runs[0].done() || !s.runs[1].done() {
		return 0, false
	}
	a, ok1 := s.imgs.series("s1/sample_values")
	b, ok2 := s.imgs.series("s2/sample_values")
	if !ok1 || !ok2 || len(a) != len(b) || len(a) == 0 {
		if p := s.view.Pair; p != nil && p.Cos != nil {
			return *p.Cos, true
		}
		return 0, false
	}
	var ab, aa, bb float64
	for i := range a {
		ab, aa, bb = ab+a[i]*b[i], aa+a[i]*a[i], bb+b[i]*b[i]
	}
	if aa == 0 || bb == 0 {
		return 0, false
	}
	return ab / math.Sqrt(aa*bb), true
}

// samplerText describes a run's sampler.
func samplerText(v protocol.GenValues) string {
	switch v.Sampler {
	case "kadkhodaie":
		if v.Preset != "" {
			return "Kadkhodaie–Simoncelli (" + layout.Escape(v.Preset) + ")"
		}
		return "Kadkhodaie–Simoncelli"
	case "reverse-sde":
		return "reverse-time SDE"
	}
	return layout.Escape(v.Sampler)
}

// drawInfo prints the sampler, each net's progress and engine time, and
// the similarity of the samples once both are done.
func (s *Generate) drawInfo(dst *ebiten.Image, r Rect) {
	var first *genRun
	for i := range s.runs {
		if s.runs[i].started() && first == nil {
			first = &s.runs[i]
		}
	}
	if first == nil {
		s.t.paragraph(dst, "Two nets, trained on disjoint sets S1 and S2 of N images each, generate from the same noise: with few images each reproduces its own, with many both make the same new image.", r, labelStyle)
		return
	}
	v := first.v
	lines := []string{fmt.Sprintf("%s; seed %d, sample %d", samplerText(v), v.Seed, v.Sample)}
	for i := range s.runs {
		run := &s.runs[i]
		if !run.started() {
			lines = append(lines, genSets[i]+": not started")
			continue
		}
		state := fmt.Sprintf("t = %d / %d", run.v.T, run.v.MaxIter)
		if run.done() {
			state = fmt.Sprintf("done at t = %d", run.v.T)
		}
		lines = append(lines, fmt.Sprintf("%s: %s, σ_t = %.3g, %.2f s", genSets[i], state, run.v.Sigma, run.v.Seconds))
	}
	if c, ok := s.pairCos(); ok {
		lines = append(lines, fmt.Sprintf("the two samples: cos %.3f", c))
	}
	s.t.paragraph(dst, strings.Join(lines, "\n"), r, labelStyle)
}

// drawGrid draws the grid view: the samples and the numbers.
func (s *Generate) drawGrid(dst *ebiten.Image) {
	t := s.t
	g := s.grid
	if g.Kind == "" {
		t.message(dst, "A grid of samples of one net: each from its own noise.")
		return
	}
	l := layout.GenerateGrid(size(dst))
	name := layout.Escape(g.Net.Name)
	t.title(dst, firstFitting(t, l.Grid.W, titleStyle, fmt.Sprintf("%d samples of %s, %d×%d", g.N, name, g.Size, g.Size), fmt.Sprintf("%d samples", g.N)), l.Grid)
	if im := s.imgs.image("grid/grid"); im != nil {
		strokeRect(dst, drawImageSnap(dst, im, l.Grid), t.lw(1), frameColor)
	}
	net := fmt.Sprintf("net %s, %s parameters", name, paramCount(g.Net.Params))
	if g.Net.Size != "" && g.Net.N > 0 {
		net += fmt.Sprintf("\n%s net trained on %s, N = %d images", g.Net.Size, strings.ToUpper(layout.Escape(g.Net.Set)), g.Net.N)
	}
	lines := []string{net, samplerText(protocol.GenValues{Sampler: g.Sampler}), fmt.Sprintf("%d samples in rows of %d, each %d×%d", g.N, g.Cols, g.Size, g.Size)}
	if n := len(g.Iterations); n > 0 {
		lo, hi, sum := g.Iterations[0], g.Iterations[0], 0
		for _, it := range g.Iterations {
			lo, hi, sum = min(lo, it), max(hi, it), sum+it
		}
		lines = append(lines, fmt.Sprintf("iterations per sample: %.0f on average (%d to %d)", float64(sum)/float64(n), lo, hi))
	}
	lines = append(lines, fmt.Sprintf("engine time %.2f s", g.Seconds))
	t.paragraph(dst, strings.Join(lines, "\n"), l.Info, labelStyle)
}
