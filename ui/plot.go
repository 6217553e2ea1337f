//go:build js

package ui

import (
	"image/color"
	"math"
	"scalewise/ui/strokes"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"scalewise/ui/layout"
)

// axes draws a plot: its frame, bands, curves and points in data
// coordinates (layout.Plot maps them to the screen).
type axes struct{ layout.Plot }

// newAxes returns the plot of the scales x and y in r.
func newAxes(r Rect, x, y layout.Scale) axes {
	return axes{layout.Plot{Rect: r, X: x, Y: y}}
}

// frame outlines the plot.
func (a axes) frame(dst *ebiten.Image) {
	strokeRect(dst, a.Rect, 1, gridColor)
}

// band shades lo ≤ y ≤ hi across the plot.
func (a axes) band(dst *ebiten.Image, lo, hi float64) {
	t0, t1 := a.Y.Norm(lo), a.Y.Norm(hi)
	t0, t1 = math.Max(0, math.Min(1, t0)), math.Max(0, math.Min(1, t1))
	y0 := a.Rect.Y + a.Rect.H*float32(1-t1)
	y1 := a.Rect.Y + a.Rect.H*float32(1-t0)
	vector.DrawFilledRect(dst, a.Rect.X, y0, a.Rect.W, y1-y0, bandColor, false)
}

// line draws the curve (xs, ys), broken where a value is missing or
// outside a log axis's domain and clipped a little outside the frame, in
// one batched call per colour.
func (a axes) line(dst *ebiten.Image, xs, ys []float64, c color.RGBA, width float32) {
	var lines [][]strokes.XY
	var cur []strokes.XY
	for i := range min(len(xs), len(ys)) {
		if !a.Valid(xs[i], ys[i]) {
			if len(cur) > 0 {
				lines = append(lines, cur)
				cur = nil
			}
			continue
		}
		tx := math.Max(-0.05, math.Min(1.05, a.X.Norm(xs[i])))
		ty := math.Max(-0.05, math.Min(1.05, a.Y.Norm(ys[i])))
		cur = append(cur, strokes.XY{X: tx, Y: ty})
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	r := a.Rect
	polylines(dst, lines, func(p strokes.XY) (float32, float32) {
		return r.X + float32(p.X)*r.W, r.Y + float32(1-p.Y)*r.H
	}, width, c)
}

// dot marks the data point (x, y).
func (a axes) dot(dst *ebiten.Image, x, y float64, c color.RGBA) {
	if !a.Valid(x, y) {
		return
	}
	px, py := a.Point(x, y)
	vector.DrawFilledCircle(dst, px, py, 3, c, true)
}
