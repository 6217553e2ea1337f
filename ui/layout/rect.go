// Package layout is the plot and layout maths of the canvas app: screen
// rectangles and ways to divide them, data-to-pixel scales, nice axis
// ticks, and each scene's panels as a function of the canvas size. It does
// not need Ebiten, so it is tested natively.
package layout

import "math"

// Rect is a screen rectangle in logical pixels: its top-left corner (X, Y)
// and its size.
type Rect struct{ X, Y, W, H float32 }

// Canvas returns the rectangle of a w×h canvas.
func Canvas(w, h int) Rect { return Rect{W: float32(w), H: float32(h)} }

// Right returns the x just right of r.
func (r Rect) Right() float32 { return r.X + r.W }

// Bottom returns the y just below r.
func (r Rect) Bottom() float32 { return r.Y + r.H }

// Empty reports whether r has no area.
func (r Rect) Empty() bool { return !(r.W > 0 && r.H > 0) }

// Inset returns r shrunk by d on every side.
func (r Rect) Inset(d float32) Rect { return r.Shrink(d, d, d, d) }

// Shrink returns r shrunk by the given margins (negative ones grow it).
func (r Rect) Shrink(left, top, right, bottom float32) Rect {
	return Rect{r.X + left, r.Y + top, r.W - left - right, r.H - top - bottom}
}

// Offset returns r moved by (dx, dy).
func (r Rect) Offset(dx, dy float32) Rect { return Rect{r.X + dx, r.Y + dy, r.W, r.H} }

// WithSize returns a w×h rectangle with r's top-left corner.
func (r Rect) WithSize(w, h float32) Rect { return Rect{r.X, r.Y, w, h} }

// Row returns the full-width band of r from y to y+h (y measured from r's
// top).
func (r Rect) Row(y, h float32) Rect { return Rect{r.X, r.Y + y, r.W, h} }

// Column returns the full-height band of r from x to x+w (x measured from
// r's left).
func (r Rect) Column(x, w float32) Rect { return Rect{r.X + x, r.Y, w, r.H} }

// Centred returns a w×h rectangle centred in r.
func (r Rect) Centred(w, h float32) Rect {
	return Rect{r.X + (r.W-w)/2, r.Y + (r.H-h)/2, w, h}
}

// Square returns the largest square centred in r.
func (r Rect) Square() Rect {
	s := min(r.W, r.H)
	return r.Centred(s, s)
}

// SplitLeft cuts a column w wide off r's left; rest is what is right of it
// after a gap.
func (r Rect) SplitLeft(w, gap float32) (left, rest Rect) {
	return Rect{r.X, r.Y, w, r.H}, Rect{r.X + w + gap, r.Y, r.W - w - gap, r.H}
}

// SplitTop cuts a row h high off r's top; rest is what is below it after a
// gap.
func (r Rect) SplitTop(h, gap float32) (top, rest Rect) {
	return Rect{r.X, r.Y, r.W, h}, Rect{r.X, r.Y + h + gap, r.W, r.H - h - gap}
}

// SplitH divides r into columns separated by gap, as wide as the weights
// are in proportion (SplitH(8, 1, 2) gives a third and two thirds).
func (r Rect) SplitH(gap float32, weights ...float32) []Rect {
	out := make([]Rect, len(weights))
	for i, w := range split(r.W, gap, weights) {
		out[i] = Rect{r.X + w[0], r.Y, w[1], r.H}
	}
	return out
}

// SplitV divides r into rows separated by gap, as high as the weights are
// in proportion.
func (r Rect) SplitV(gap float32, weights ...float32) []Rect {
	out := make([]Rect, len(weights))
	for i, h := range split(r.H, gap, weights) {
		out[i] = Rect{r.X, r.Y + h[0], r.W, h[1]}
	}
	return out
}

// split returns the offset and length of each part of a length divided in
// proportion to weights, with gaps between the parts.
func split(length, gap float32, weights []float32) [][2]float32 {
	var sum float32
	for _, w := range weights {
		sum += max(w, 0)
	}
	free := length - gap*float32(len(weights)-1)
	out := make([][2]float32, len(weights))
	var before float32
	for i, w := range weights {
		w = max(w, 0)
		if sum > 0 {
			out[i] = [2]float32{free*before/sum + float32(i)*gap, free * w / sum}
		}
		before += w
	}
	return out
}

// Grid divides r into n equal cells, cols to a row (rows as many as n
// needs), separated by gap, in reading order.
func (r Rect) Grid(n, cols int, gap float32) []Rect {
	if n <= 0 || cols <= 0 {
		return nil
	}
	rows := (n + cols - 1) / cols
	cw := (r.W - gap*float32(cols-1)) / float32(cols)
	ch := (r.H - gap*float32(rows-1)) / float32(rows)
	out := make([]Rect, n)
	for i := range out {
		out[i] = Rect{r.X + float32(i%cols)*(cw+gap), r.Y + float32(i/cols)*(ch+gap), cw, ch}
	}
	return out
}

// Fit returns the largest rectangle of a w×h image's aspect centred in r,
// and the scale from the image to it.
func (r Rect) Fit(w, h float32) (Rect, float32) {
	s := min(r.W/w, r.H/h)
	return r.Centred(s*w, s*h), s
}

// FitSnap is Fit for pixel art drawn with nearest-neighbour sampling: the
// corner lies on whole pixels, and when the image fits at least once the
// scale is a whole number (from 4 on) or a whole number of thirds (below:
// a whole number would waste up to half the room). Either way no screen
// pixel's centre falls on an edge between image pixels (with a scale of
// m/3 the edges lie a third of a pixel from the centres), so which image
// pixel a screen pixel shows does not depend on rounding, nor on where the
// image lies in the GPU's texture atlas: a link reproduces the pixels.
func (r Rect) FitSnap(w, h float32) (Rect, float32) {
	s := min(r.W/w, r.H/h)
	switch {
	case s >= 4:
		s = float32(math.Floor(float64(s)))
	case s >= 1:
		s = float32(math.Floor(float64(3*s)+1e-4)) / 3
	}
	fw, fh := s*w, s*h
	return Rect{float32(math.Round(float64(r.X + (r.W-fw)/2))), float32(math.Round(float64(r.Y + (r.H-fh)/2))), fw, fh}, s
}

// Contains reports whether o lies inside r (edges may touch).
func (r Rect) Contains(o Rect) bool {
	return o.X >= r.X && o.Y >= r.Y && o.Right() <= r.Right() && o.Bottom() <= r.Bottom()
}

// ContainsPoint reports whether (x, y) lies in r, edges included.
func (r Rect) ContainsPoint(x, y float32) bool {
	return x >= r.X && y >= r.Y && x <= r.Right() && y <= r.Bottom()
}

// Overlaps reports whether r and o share some area (touching edges do
// not).
func (r Rect) Overlaps(o Rect) bool {
	return r.X < o.Right() && o.X < r.Right() && r.Y < o.Bottom() && o.Y < r.Bottom()
}
