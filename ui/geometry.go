//go:build js

package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"scalewise/ui/layout"
	"scalewise/ui/protocol"
)

// Geometry is the Geometry scene: the measured optimal-rate curves of the
// C^α denoisers (PSNR_out against PSNR_in = −20·log10 σ, with their
// slopes beside the theory α/(α+1)), their effective dimension tr J, and
// two eigen-analyses side by side (the leading eigenvectors of the
// symmetric part of a denoiser's Jacobian at a noisy C^α image or MNIST
// digit), so that the geometry-adaptive harmonic basis can be compared
// across α, σ and nets (Kadkhodaie, Guth, Simoncelli and Mallat,
// "Generalization in diffusion models arises from geometry-adaptive
// harmonic representations", ICLR 2024, §3).
type Geometry struct {
	t     *typeface
	rate  *protocol.GeometryRateValues
	slots [2]geometrySlot
	// active is the slot of the run in progress (−1: none).
	active int
	live   bool

	layer    *ebiten.Image
	layerOK  bool
	version  int
	layerKey int
}

// geometrySlot is one analysis: its run's latest values and its result
// (the basis with the clean, noisy and denoised images).
type geometrySlot struct {
	basis drawBasis
	run   protocol.GeometryValues // the latest values of the run
	done  protocol.GeometryValues // the result's values; Kind "" before one
}

// NewGeometry returns an empty Geometry scene.
func NewGeometry(t *typeface) *Geometry { return &Geometry{t: t, active: -1} }

// Load applies the worker's frames: the rate curves, or the start, steps,
// result or cancel of an analysis.
func (s *Geometry) Load(header, buf []byte) error {
	h, err := decodeFrameHeader(protocol.GeometryScene, header)
	if err != nil {
		return err
	}
	s.live = h.Kind == protocol.KindStep
	switch h.Kind {
	case protocol.KindRate:
		var v protocol.GeometryRateValues
		if err := json.Unmarshal(h.Values, &v); err != nil {
			return fmt.Errorf("geometry: bad rate values: %w", err)
		}
		s.rate = &v
	case protocol.KindCancel:
		if s.active >= 0 {
			s.slots[s.active].basis.running = false
		}
		s.active = -1
	case protocol.KindStart, protocol.KindStep, protocol.KindDone:
		var v protocol.GeometryValues
		if err := json.Unmarshal(h.Values, &v); err != nil {
			return fmt.Errorf("geometry: bad values: %w", err)
		}
		i := slices.Index([]string{protocol.GeometrySlotA, protocol.GeometrySlotB}, v.Slot)
		if i < 0 {
			return fmt.Errorf("geometry: frames of analysis %q, want a or b", v.Slot)
		}
		if v.Kind == protocol.KindDone {
			for _, name := range []string{"clean", "noisy", "denoised"} {
				if _, _, ok := protocol.Lookup(h.Images, buf, name); !ok {
					return fmt.Errorf("geometry: analysis done without its %s image", name)
				}
			}
		}
		sl := &s.slots[i]
		if v.Kind == protocol.KindStart {
			if s.active >= 0 && s.active != i {
				s.slots[s.active].basis.running = false
			}
			s.active = i
		}
		if err := sl.basis.load(v.BasisValues, h.Images, buf, 0); err != nil {
			return err
		}
		sl.run = v
		if v.Kind == protocol.KindDone {
			sl.done = v
			s.active = -1
		}
	default:
		return fmt.Errorf("geometry: unknown frames %q", h.Kind)
	}
	s.version++
	return nil
}

// GeometryView is what the page asks the scene to show: nothing yet
// beyond the frames (an empty object); unknown keys are an error.
type GeometryView struct{}

// SetView decodes and applies a GeometryView.
func (s *Geometry) SetView(js []byte) error {
	var v GeometryView
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("geometry: bad view: %w", err)
	}
	return nil
}

// Update has no input: the page's controls drive this scene.
func (s *Geometry) Update() error { return nil }

// LiveLoad reports whether the last frames loaded were a step of a run.
func (s *Geometry) LiveLoad() bool { return s.live }

// Panels returns the panels of the scene on a w×h canvas.
func (s *Geometry) Panels(w, h int) (layout.Frame, []layout.Panel) {
	l := layout.Geometry(w, h)
	return l.Frame, l.Named()
}

// geometryVeil is the translucent background drawn over an analysis whose
// new run is on its way.
var geometryVeil = color.RGBA{0x12, 0x14, 0x18, 0xb0}

// Draw draws the plots and the finished analyses into an offscreen layer
// when frames arrive, and each frame the layer, a veil over an analysis
// being recomputed and the analyses' headings (which follow the runs).
func (s *Geometry) Draw(dst *ebiten.Image) {
	l := layout.Geometry(size(dst))
	if layer, fresh := layerFor(s.layer, dst); fresh {
		s.layer, s.layerOK = layer, false
	}
	if !s.layerOK || s.layerKey != s.version {
		s.layer.Clear()
		s.drawRate(s.layer, l.Rate)
		s.drawTrace(s.layer, l.Trace)
		s.drawRateInfo(s.layer, l.Info)
		for i := range s.slots {
			s.drawSlot(s.layer, l.Slots[i], i)
		}
		s.layerKey, s.layerOK = s.version, true
	}
	dst.DrawImage(s.layer, nil)
	for i, sl := range s.slots {
		r := l.Slots[i]
		if sl.basis.running && sl.basis.has() {
			body := r.Images[0]
			body.W = r.Spectrum.Right() - body.X
			body.H = max(r.Images[2].Bottom(), r.Tiles.Bottom()) - body.Y
			body.Y -= s.t.px(18)
			body.H += s.t.px(18)
			vector.DrawFilledRect(dst, body.X, body.Y, body.W, body.H, geometryVeil, false)
		}
		s.drawHead(dst, r.Head, i)
	}
}

// slotNames are the analyses' names on the canvas.
var slotNames = [2]string{"A", "B"}

// imageText describes an analysis's image.
func imageText(v protocol.GeometryValues) string {
	if v.Image == protocol.GeometryMNIST {
		return fmt.Sprintf("MNIST digit %d", v.DigitIndex)
	}
	return fmt.Sprintf("C^α image %d, α = %g, %d×%d", v.Seed, v.Alpha, v.Size, v.Size)
}

// drawHead writes an analysis's heading: what it analyses, and its
// progress or its numbers.
func (s *Geometry) drawHead(dst *ebiten.Image, r Rect, i int) {
	t := s.t
	sl := &s.slots[i]
	var l1, l2 string
	switch {
	case sl.basis.running:
		v := sl.run
		l1 = fmt.Sprintf("%s: %s, σ = %.3g, net %s", slotNames[i], imageText(v), v.Sigma, v.Net)
		l2 = basisProgress(v.BasisValues)
	case sl.basis.has():
		v := sl.done
		l1 = fmt.Sprintf("%s: %s, σ = %.3g, net %s (%d parameters)", slotNames[i], imageText(v), v.Sigma, v.Net, v.Params)
		l2 = fmt.Sprintf("PSNR %.1f → %.1f dB · tr J = %.0f ± %.0f · antisymmetry %.2f · K = %d in %d steps, %.1f s",
			v.PSNRIn, v.PSNROut, noNegativeZero(math.Round(v.Trace)), v.TraceErr, v.Antisymmetry, v.K, v.Step, v.Seconds)
	default:
		l1 = fmt.Sprintf("%s: the eigenvectors of the denoiser's Jacobian appear here once computed.", slotNames[i])
	}
	t.draw(dst, firstFitting(t, r.W, labelStyle, l1, strings.SplitN(l1, ",", 2)[0]), r.X, r.Y, labelStyle, styleColours[labelStyle])
	if l2 != "" {
		t.draw(dst, firstFitting(t, r.W, tickStyle, l2, strings.SplitN(l2, " · ", 3)[0]), r.X, r.Y+t.lineHeight(labelStyle), tickStyle, styleColours[tickStyle])
	}
}

// noNegativeZero returns x, or +0 for −0 (which %f would print "-0").
func noNegativeZero(x float64) float64 {
	if x == 0 {
		return 0
	}
	return x
}

// drawSlot draws a finished analysis: its three images, its tiles and its
// spectrum (the Draw scene's, drawBasis).
func (s *Geometry) drawSlot(dst *ebiten.Image, r layout.GeometrySlotRects, i int) {
	t := s.t
	b := &s.slots[i].basis
	titles := [3][2]string{{"clean x", "x"}, {"noisy y = x + σz", "y"}, {"denoised x̂(y)", "x̂"}}
	if !b.has() {
		for k, im := range r.Images {
			t.title(dst, t.fit(titles[k][0], titles[k][1], im.W*2, tickStyle), im)
			strokeRect(dst, im, t.lw(1), axisColor)
		}
		strokeRect(dst, r.Tiles, t.lw(1), axisColor)
		strokeRect(dst, r.Spectrum, t.lw(1), axisColor)
		return
	}
	for k, name := range []string{"clean", "noisy", "denoised"} {
		im := r.Images[k]
		t.drawAt(dst, t.fit(titles[k][0], titles[k][1], im.W*1.6, tickStyle), im.X, im.Y-t.px(3), 0, 1, tickStyle, styleColours[tickStyle])
		if img := b.imgs.image(name); img != nil {
			strokeRect(dst, drawImageIn(dst, img, im), t.lw(1), frameColor)
		}
	}
	b.drawTiles(t, dst, r.Tiles)
	b.drawSpectrum(t, dst, r.Spectrum)
}

// alphaColours mark the curves of α = 1, 2, 3, 4, 5 (others: the last).
var alphaColours = []color.RGBA{
	{0x5a, 0xa0, 0xff, 0xff}, {0x8c, 0xd2, 0x7d, 0xff}, {0xc8, 0x8c, 0xff, 0xff}, {0xff, 0xc8, 0x3c, 0xff}, {0xff, 0x8c, 0x5a, 0xff},
}

// alphaColour returns the colour of the curve of α.
func alphaColour(a float64) color.RGBA {
	i := int(math.Round(a)) - 1
	return alphaColours[max(0, min(i, len(alphaColours)-1))]
}

// identityColour is the line PSNR_out = PSNR_in (no denoising).
var identityColour = color.RGBA{0x80, 0x80, 0x80, 0xff}

// drawRate plots PSNR_out against PSNR_in for each α: the measured points
// joined, the least-squares line over the fit range (dashed), the theory
// α/(α+1) through the fit's first point (dotted), and PSNR_out = PSNR_in.
func (s *Geometry) drawRate(dst *ebiten.Image, r Rect) {
	t := s.t
	titles := []string{"optimal rate: PSNR_{out} against PSNR_{in} on held-out C^α images", "PSNR_{out} against PSNR_{in}", "the rate"}
	if s.rate == nil || len(s.rate.Curves) == 0 {
		t.frameOnly(dst, r, firstFitting(t, r.W, titleStyle, titles...), "The measured rate curves appear here.")
		return
	}
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	var legend []legendEntry
	for _, c := range s.rate.Curves {
		for i := range c.PSNRIn {
			xlo, xhi = math.Min(xlo, c.PSNRIn[i]), math.Max(xhi, c.PSNRIn[i])
			ylo, yhi = math.Min(ylo, c.PSNROut[i]), math.Max(yhi, c.PSNROut[i])
		}
		legend = append(legend, legendEntry{fmt.Sprintf("α = %g", c.Alpha), alphaColour(c.Alpha)})
	}
	ylo = math.Min(ylo, xlo)
	p := t.plotIn(dst, r, plotSpec{
		title: firstFitting(t, r.W, titleStyle, titles...), shorter: titles,
		x: layout.Lin(math.Floor(xlo)-1, math.Ceil(xhi)+1), y: layout.Lin(math.Floor(ylo)-1, math.Ceil(yhi)+1),
		xName: "PSNR_{in} = −20 log_{10} σ (dB)", yName: "PSNR_{out} (dB)", legend: legend,
	})
	p.dashed(dst, []float64{xlo, xhi}, []float64{xlo, xhi}, identityColour, 1, 3)
	for _, c := range s.rate.Curves {
		col := alphaColour(c.Alpha)
		p.line(dst, c.PSNRIn, c.PSNROut, col, 1.5)
		for i := range c.PSNRIn {
			p.dot(dst, c.PSNRIn[i], c.PSNROut[i], col)
		}
		lo, hi := c.FitRange[0], c.FitRange[1]
		p.dashed(dst, []float64{lo, hi}, []float64{c.Intercept + c.Slope*lo, c.Intercept + c.Slope*hi}, col, 2.5, 6)
		y0 := c.Intercept + c.Slope*lo
		p.dashed(dst, []float64{lo, hi}, []float64{y0, y0 + c.Theory*(hi-lo)}, col, 1, 2)
	}
}

// drawTrace plots the effective dimension tr J against PSNR_in for each
// α (a log axis): it grows as the noise falls, like the number of
// coefficients kept, M ~ σ^{−2/(α+1)}.
func (s *Geometry) drawTrace(dst *ebiten.Image, r Rect) {
	t := s.t
	titles := []string{"effective dimension tr J against PSNR_{in}", "tr J against PSNR_{in}"}
	if s.rate == nil || len(s.rate.Curves) == 0 {
		t.frameOnly(dst, r, firstFitting(t, r.W, titleStyle, titles...), "")
		return
	}
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, c := range s.rate.Curves {
		for i := range c.PSNRIn {
			xlo, xhi = math.Min(xlo, c.PSNRIn[i]), math.Max(xhi, c.PSNRIn[i])
			if c.Trace[i] > 0 {
				ylo, yhi = math.Min(ylo, c.Trace[i]), math.Max(yhi, c.Trace[i])
			}
		}
	}
	if math.IsInf(ylo, 0) {
		t.frameOnly(dst, r, firstFitting(t, r.W, titleStyle, titles...), "No positive trace.")
		return
	}
	p := t.plotIn(dst, r, plotSpec{
		title: firstFitting(t, r.W, titleStyle, titles...),
		x:     layout.Lin(math.Floor(xlo)-1, math.Ceil(xhi)+1), y: layout.Log10(ylo/1.3, yhi*1.3),
		xName: "PSNR_{in} (dB)", yName: "tr J",
	})
	for _, c := range s.rate.Curves {
		col := alphaColour(c.Alpha)
		p.line(dst, c.PSNRIn, c.Trace, col, 1.5)
		for i := range c.PSNRIn {
			p.dot(dst, c.PSNRIn[i], c.Trace[i], col)
		}
	}
}

// drawRateInfo writes the slopes beside the theory and the paper's, the
// baselines' slopes, and the commands that measured the curves.
func (s *Geometry) drawRateInfo(dst *ebiten.Image, r Rect) {
	if s.rate == nil || len(s.rate.Curves) == 0 {
		return
	}
	var lines []string
	for _, c := range s.rate.Curves {
		paper := ""
		if c.Paper > 0 {
			paper = fmt.Sprintf(", paper %.2f", c.Paper)
		}
		lines = append(lines, fmt.Sprintf("α = %g: slope %.2f ± %.2f; theory %.2f%s; db4 %.2f, Wiener %.2f",
			c.Alpha, c.Slope, c.SlopeSE, c.Theory, paper, c.Baselines["db4_soft"], c.Baselines["wiener_oracle"]))
	}
	c := s.rate.Curves[0]
	lines = append(lines, fmt.Sprintf("Fit over %g–%g dB (dashed), theory α/(α+1) dotted; %d images per σ, %d×%d. Measured by %s (one per α).",
		c.FitRange[0], c.FitRange[1], c.Images, c.Size, c.Size, c.Command))
	s.t.paragraph(dst, strings.Join(lines, "\n"), r, tickStyle)
}
