//go:build js

package ui

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"scalewise/ui/layout"
	"scalewise/ui/strokes"
)

// Every plot of every scene is drawn by plotIn: a title, axes with ticks
// and tick labels (layout's nice ticks, powers of ten on a log axis), the
// axes' names and a legend; the scene then draws its data in the plot's
// data coordinates.

var (
	gridColor  = color.RGBA{0x26, 0x2b, 0x33, 0xff}
	axisColor  = color.RGBA{0x5a, 0x62, 0x6d, 0xff}
	bandColor  = color.RGBA{0x3a, 0x42, 0x30, 0xff}
	legendBack = color.RGBA{0x12, 0x14, 0x18, 0xd0}
)

// plotSpec is what a plot shows besides its data.
type plotSpec struct {
	// title is above the plot (marked up); shorter are shorter titles,
	// longest first, for a plot too short for its legend to have a row of
	// its own.
	title        string
	shorter      []string
	x, y         layout.Scale // the data ranges
	xName, yName string       // the axes' names, with units (marked up)
	// xTicks and yTicks replace the scales' nice ticks when not nil
	// (labels marked up).
	xTicks, yTicks []layout.Tick
	legend         []legendEntry
}

// legendEntry is a curve's name and colour in a legend.
type legendEntry struct {
	name string
	c    color.RGBA
}

// plot is a drawn plot's data area: layout.Plot maps data coordinates to
// the screen.
type plot struct {
	layout.Plot
	t *typeface
}

// plotIn draws a plot's frame, ticks, labels, names and legend in panel
// (which holds all of them) and returns the plot, for its data.
func (t *typeface) plotIn(dst *ebiten.Image, panel Rect, spec plotSpec) plot {
	gap := t.px(4)
	tickLen := t.px(4)
	lineT := t.height(1, tickStyle)
	data := panel
	if spec.title != "" {
		data = data.Shrink(0, t.height(1, titleStyle)+gap, 0, 0)
	}
	// The legend beside the title when it fits there, else a row of its
	// own; in a small plot, beside the first of spec.shorter that leaves
	// it room, else inside the data area (where it covers curves). A small
	// plot's x axis has no name.
	legendW := t.legendWidth(spec.legend)
	besideFits := func(title string) bool { return t.width(title, titleStyle)+2*t.px(12)+legendW <= panel.W }
	title := spec.title
	legendRow := spec.legend != nil && !besideFits(title)
	legendIn := false
	bottom := tickLen + lineT
	xName := spec.xName
	if xName != "" {
		bottom += lineT
	}
	if legendRow && data.H-lineT/2-bottom-lineT-gap < 3*lineT {
		legendRow, legendIn = false, true
		for _, s := range spec.shorter {
			if besideFits(s) {
				title, legendIn = s, false
				break
			}
		}
	}
	if legendRow {
		data = data.Shrink(0, lineT+gap, 0, 0)
	}
	if xName != "" && data.H-lineT/2-bottom < 2.5*lineT {
		xName, bottom = "", bottom-lineT
	}
	data = data.Shrink(0, lineT/2, t.px(8), bottom)
	// The y ticks, as many as fit the height; their labels set the left
	// margin.
	yTicks := spec.yTicks
	if yTicks == nil {
		yTicks = ticksOf(spec.y, int(data.H/(1.6*lineT)))
	}
	left := tickLen + gap
	for _, tk := range yTicks {
		left = max(left, tickLen+gap+t.width(tk.Label, tickStyle)+gap)
	}
	if spec.yName != "" {
		left += lineT + gap
	}
	data = data.Shrink(left, 0, 0, 0)
	xTicks := spec.xTicks
	if xTicks == nil {
		xTicks = ticksOf(spec.x, int(data.W/t.px(60)))
	}
	p := plot{Plot: layout.Plot{Rect: data, X: spec.x, Y: spec.y}, t: t}

	// Grid lines and the frame, then the ticks and their labels.
	lw := t.lw(1)
	var grid, ticks []Rect
	lastTop := float32(math.Inf(1))
	for _, tk := range yTicks {
		if tk.Value < math.Min(spec.y.Min, spec.y.Max) || tk.Value > math.Max(spec.y.Min, spec.y.Max) || !spec.y.Valid(tk.Value) {
			continue
		}
		_, y := p.Point(spec.x.Min, tk.Value)
		grid = append(grid, Rect{X: data.X, Y: y - lw/2, W: data.W, H: lw})
		ticks = append(ticks, Rect{X: data.X - tickLen, Y: y - lw/2, W: tickLen, H: lw})
		// A label that would touch the one below it is left out.
		if y+lineT/2 > lastTop {
			continue
		}
		t.drawAt(dst, tk.Label, data.X-tickLen-gap, y, 1, 0.5, tickStyle, styleColours[tickStyle])
		lastTop = y - lineT/2
	}
	lastRight := float32(math.Inf(-1))
	for _, tk := range xTicks {
		if tk.Value < math.Min(spec.x.Min, spec.x.Max) || tk.Value > math.Max(spec.x.Min, spec.x.Max) || !spec.x.Valid(tk.Value) {
			continue
		}
		x, _ := p.Point(tk.Value, spec.y.Min)
		grid = append(grid, Rect{X: x - lw/2, Y: data.Y, W: lw, H: data.H})
		ticks = append(ticks, Rect{X: x - lw/2, Y: data.Bottom(), W: lw, H: tickLen})
		// A label that would touch the one before it is left out.
		w := t.width(tk.Label, tickStyle)
		if x-w/2 < lastRight+t.px(6) {
			continue
		}
		t.drawAt(dst, tk.Label, x, data.Bottom()+tickLen, 0.5, 0, tickStyle, styleColours[tickStyle])
		lastRight = x + w/2
	}
	for _, r := range grid {
		vector.DrawFilledRect(dst, r.X, r.Y, r.W, r.H, gridColor, false)
	}
	strokeRect(dst, data, lw, axisColor)
	for _, r := range ticks {
		vector.DrawFilledRect(dst, r.X, r.Y, r.W, r.H, axisColor, false)
	}

	// The names and the title.
	if xName != "" {
		t.drawAt(dst, xName, data.X+data.W/2, data.Bottom()+tickLen+lineT, 0.5, 0, tickStyle, styleColours[tickStyle])
	}
	if spec.yName != "" {
		t.drawUp(dst, spec.yName, panel.X+lineT/2, data.Y+data.H/2, tickStyle, styleColours[tickStyle])
	}
	if title != "" {
		t.draw(dst, title, panel.X, panel.Y, titleStyle, styleColours[titleStyle])
	}
	if spec.legend != nil {
		x, y := panel.Right()-legendW, panel.Y+(t.height(1, titleStyle)-lineT)/2
		switch {
		case legendRow:
			y = data.Y - lineT/2 - lineT - gap
		case legendIn:
			x, y = data.Right()-legendW-gap, data.Y+gap
		}
		t.drawLegend(dst, spec.legend, x, y)
	}
	return p
}

// ticksOf returns about n ticks of a scale (at most 8; at least 2 where
// asking for up to 3 more gives them), their labels marked up (powers of
// ten as superscripts).
func ticksOf(s layout.Scale, n int) []layout.Tick {
	n = max(2, min(n, 8))
	ticks := s.MarkedTicks(n)
	for k := n + 1; len(ticks) < 2 && k <= n+3; k++ {
		ticks = s.MarkedTicks(k)
	}
	return ticks
}

// legendWidth returns the width of a legend drawn on one line.
func (t *typeface) legendWidth(entries []legendEntry) float32 {
	var w float32
	for i, e := range entries {
		if i > 0 {
			w += t.px(12)
		}
		w += t.px(18) + t.width(e.name, tickStyle)
	}
	return w
}

// drawLegend draws a legend on one line from (x, y): a short line of each
// curve's colour and its name.
func (t *typeface) drawLegend(dst *ebiten.Image, entries []legendEntry, x, y float32) {
	h := t.height(1, tickStyle)
	vector.DrawFilledRect(dst, x-t.px(4), y, t.legendWidth(entries)+t.px(4), h, legendBack, false)
	for _, e := range entries {
		vector.StrokeLine(dst, x, y+h/2, x+t.px(14), y+h/2, t.lw(2), e.c, true)
		x += t.px(18)
		t.draw(dst, e.name, x, y, tickStyle, styleColours[labelStyle])
		x += t.width(e.name, tickStyle) + t.px(12)
	}
}

// band shades lo ≤ y ≤ hi across the plot.
func (p plot) band(dst *ebiten.Image, lo, hi float64) {
	t0, t1 := p.Y.Norm(lo), p.Y.Norm(hi)
	t0, t1 = math.Max(0, math.Min(1, t0)), math.Max(0, math.Min(1, t1))
	y0 := p.Rect.Y + p.Rect.H*float32(1-t1)
	y1 := p.Rect.Y + p.Rect.H*float32(1-t0)
	vector.DrawFilledRect(dst, p.Rect.X, y0, p.Rect.W, y1-y0, bandColor, false)
}

// bar fills the column from x0 to x1 between the plot's bottom and y
// (clipped to the plot).
func (p plot) bar(dst *ebiten.Image, x0, x1, y float64, c color.RGBA) {
	if !p.Y.Valid(y) {
		return
	}
	t := float32(math.Max(0, math.Min(1, p.Y.Norm(y))))
	l, _ := p.Point(x0, y)
	r, _ := p.Point(x1, y)
	h := t * p.Rect.H
	vector.DrawFilledRect(dst, l, p.Rect.Bottom()-h, r-l, h, c, false)
}

// line draws the curve (xs, ys), width design pixels wide (lw), broken where a
// value is missing or outside a log axis's domain and clipped a little
// outside the frame, in one batched call per colour.
func (p plot) line(dst *ebiten.Image, xs, ys []float64, c color.RGBA, width float32) {
	polylines(dst, p.pieces(xs, ys), p.toScreen, p.t.lw(width), c)
}

// pieces returns the unbroken pieces of the curve (xs, ys) in the plot's
// unit square, clipped a little outside it.
func (p plot) pieces(xs, ys []float64) [][]strokes.XY {
	var lines [][]strokes.XY
	var cur []strokes.XY
	for i := range min(len(xs), len(ys)) {
		if !p.Valid(xs[i], ys[i]) {
			if len(cur) > 0 {
				lines = append(lines, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, p.unit(xs[i], ys[i]))
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	return lines
}

// unit returns where the data point (x, y) lies in the plot's unit square
// (clipped a little outside it).
func (p plot) unit(x, y float64) strokes.XY {
	return strokes.XY{X: math.Max(-0.02, math.Min(1.02, p.X.Norm(x))), Y: math.Max(-0.02, math.Min(1.02, p.Y.Norm(y)))}
}

// toScreen maps a point of the plot's unit square to the screen.
func (p plot) toScreen(q strokes.XY) (float32, float32) {
	r := p.Rect
	return r.X + float32(q.X)*r.W, r.Y + float32(1-q.Y)*r.H
}

// dashed draws the curve (xs, ys) like line, in dashes dash design pixels
// long with gaps as long between them (the pattern runs on through the
// curve's corners), in one batched call.
func (p plot) dashed(dst *ebiten.Image, xs, ys []float64, c color.RGBA, width, dash float32) {
	on := float64(p.t.px(dash))
	var dashes [][]strokes.XY
	for _, l := range p.pieces(xs, ys) {
		var cur []strokes.XY
		phase := 0.0 // how far into the current dash and gap
		for i := 1; i < len(l); i++ {
			ax, ay := p.toScreen(l[i-1])
			bx, by := p.toScreen(l[i])
			a, b := strokes.XY{X: float64(ax), Y: float64(ay)}, strokes.XY{X: float64(bx), Y: float64(by)}
			seg := math.Hypot(b.X-a.X, b.Y-a.Y)
			at := func(s float64) strokes.XY { return strokes.XY{X: a.X + (b.X-a.X)*s/seg, Y: a.Y + (b.Y-a.Y)*s/seg} }
			for s := 0.0; s < seg; {
				if phase < on {
					d := min(on-phase, seg-s)
					if len(cur) == 0 {
						cur = append(cur, at(s))
					}
					s, phase = s+d, phase+d
					cur = append(cur, at(s))
					if phase >= on {
						dashes, cur = append(dashes, cur), nil
					}
					continue
				}
				d := min(2*on-phase, seg-s)
				s, phase = s+d, phase+d
				if phase >= 2*on {
					phase = 0
				}
			}
		}
		if len(cur) > 1 {
			dashes = append(dashes, cur)
		}
	}
	polylines(dst, dashes, func(q strokes.XY) (float32, float32) { return float32(q.X), float32(q.Y) }, p.t.lw(width), c)
}

// area fills the region between the curves (xs, lo) and (xs, hi) (a band
// of quartiles), broken where a value is missing, in one batched call; c
// may be translucent.
func (p plot) area(dst *ebiten.Image, xs, lo, hi []float64, c color.RGBA) {
	var vs []ebiten.Vertex
	var is []uint16
	r, g, b, a := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255
	vertex := func(q strokes.XY) ebiten.Vertex {
		x, y := p.toScreen(q)
		return ebiten.Vertex{DstX: x, DstY: y, SrcX: 1, SrcY: 1, ColorR: r * a, ColorG: g * a, ColorB: b * a, ColorA: a}
	}
	valid := func(i int) bool { return p.Valid(xs[i], lo[i]) && p.Valid(xs[i], hi[i]) }
	for i := 1; i < min(len(xs), len(lo), len(hi)) && len(vs) < maxBatchPoints; i++ {
		if !valid(i-1) || !valid(i) {
			continue
		}
		n := uint16(len(vs))
		vs = append(vs, vertex(p.unit(xs[i-1], lo[i-1])), vertex(p.unit(xs[i], lo[i])), vertex(p.unit(xs[i], hi[i])), vertex(p.unit(xs[i-1], hi[i-1])))
		is = append(is, n, n+1, n+2, n, n+2, n+3)
	}
	if len(vs) > 0 {
		dst.DrawTriangles(vs, is, whitePixel, &ebiten.DrawTrianglesOptions{})
	}
}

// hline draws the horizontal line at y across the plot.
func (p plot) hline(dst *ebiten.Image, y float64, c color.RGBA, width float32) {
	p.line(dst, []float64{p.X.Min, p.X.Max}, []float64{y, y}, c, width)
}

// dot marks the data point (x, y).
func (p plot) dot(dst *ebiten.Image, x, y float64, c color.RGBA) {
	if !p.Valid(x, y) {
		return
	}
	px, py := p.Point(x, y)
	vector.DrawFilledCircle(dst, px, py, p.t.lw(3), c, true)
}

// mark marks the data point (x, y) more strongly than dot: a larger disc
// ringed in the title colour (the value of the run shown, among measured
// ones).
func (p plot) mark(dst *ebiten.Image, x, y float64, c color.RGBA) {
	if !p.Valid(x, y) {
		return
	}
	px, py := p.Point(x, y)
	vector.DrawFilledCircle(dst, px, py, p.t.lw(4.5), c, true)
	vector.StrokeCircle(dst, px, py, p.t.lw(4.5), p.t.lw(1.5), styleColours[titleStyle], true)
}

// frameOnly draws an empty plot's panel with its title: the data have not
// come yet, or there are none to show (note says why).
func (t *typeface) frameOnly(dst *ebiten.Image, panel Rect, title, note string) {
	t.draw(dst, title, panel.X, panel.Y, titleStyle, styleColours[titleStyle])
	r := panel.Shrink(0, t.height(1, titleStyle)+t.px(4), 0, 0)
	strokeRect(dst, r, t.lw(1), axisColor)
	if note != "" {
		t.paragraph(dst, note, r.Inset(t.px(8)), labelStyle)
	}
}
