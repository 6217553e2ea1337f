//go:build js

package ui

import (
	"image/color"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"

	"scalewise/ui/layout"
)

// Every scene prints through a typeface, so that the fonts are chosen here
// alone: the Go fonts (Go Regular, Go Medium for titles) through Ebiten's
// text/v2, at sizes that follow the canvas. Text is marked up
// (layout.Markup): "x_j", "ψ_{j,k}", "‖x‖^2", "x̄_j".
//
// The faces are text/v2's GoXFace over golang.org/x/image's OpenType
// rasteriser rather than GoTextFace: the Go fonts need no shaping (Latin
// and Greek, scripts done here), and GoTextFace's shaper (go-text's
// HarfBuzz) would add about 3 MB to the app's wasm.

// style is a kind of text: its font, size and colour.
type style int

const (
	labelStyle style = iota // numbers, notes and captions
	titleStyle              // a panel's title
	tickStyle               // tick labels, axis names and legends
	numStyle                // numbers under a title, a little dimmer
)

// The styles' sizes in design pixels, and the least size in CSS pixels.
var styleSizes = [...]float32{labelStyle: 12, titleStyle: 13, tickStyle: 11, numStyle: 12}

const leastCSSSize = 11

var styleColours = [...]color.RGBA{
	labelStyle: {0xd4, 0xd8, 0xde, 0xff},
	titleStyle: {0xee, 0xf0, 0xf3, 0xff},
	tickStyle:  {0xa4, 0xab, 0xb5, 0xff},
	numStyle:   {0xb8, 0xbe, 0xc6, 0xff},
}

// typeface draws the app's text. The Game makes one and gives it to every
// scene; resize sets its sizes for the canvas of each frame.
type typeface struct {
	regular, medium *opentype.Font // parsed once
	sizes           [len(styleSizes)]float64
	// faces are the faces of the current sizes (each has its glyph
	// cache), made on first use and dropped when the sizes change.
	faces map[faceKey]*text.GoXFace
}

// faceKey names a face: its font and size.
type faceKey struct {
	medium bool
	size   float64
}

// newTypeface parses the Go fonts.
func newTypeface() *typeface {
	parse := func(ttf []byte) *opentype.Font {
		f, err := opentype.Parse(ttf)
		if err != nil {
			panic("ui: parsing a Go font: " + err.Error())
		}
		return f
	}
	t := &typeface{regular: parse(goregular.TTF), medium: parse(gomedium.TTF)}
	t.resize(layout.DesignW, layout.DesignH, 1)
	return t
}

// resize sets the text sizes for a w×h canvas of css canvas pixels per CSS
// pixel: scaled like the scenes' designs, never under leastCSSSize CSS
// pixels, in half pixels (each size has its faces and glyph caches).
func (t *typeface) resize(w, h int, css float32) {
	s := layout.TextScale(w, h)
	var sizes [len(styleSizes)]float64
	for i, size := range styleSizes {
		px := layout.TextSize(size, s, leastCSSSize*css)
		sizes[i] = math.Round(float64(px)*2) / 2
	}
	if sizes != t.sizes || t.faces == nil {
		t.sizes, t.faces = sizes, map[faceKey]*text.GoXFace{}
	}
}

// face returns the face of a style and its size in pixels, smaller for a
// sub- or superscript.
func (t *typeface) face(st style, script layout.Script) (*text.GoXFace, float64) {
	k := faceKey{medium: st == titleStyle, size: t.sizes[st]}
	if script != layout.Base {
		k.size = math.Round(k.size*0.72*2) / 2
	}
	if f, ok := t.faces[k]; ok {
		return f, k.size
	}
	src := t.regular
	if k.medium {
		src = t.medium
	}
	of, err := opentype.NewFace(src, &opentype.FaceOptions{Size: k.size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("ui: a Go font face: " + err.Error())
	}
	f := text.NewGoXFace(of)
	t.faces[k] = f
	return f, k.size
}

// lineHeight returns the distance between the baselines of two lines of a
// style.
func (t *typeface) lineHeight(st style) float32 { return float32(math.Ceil(t.sizes[st] * 1.25)) }

// px returns d design pixels at the text's scale (for gaps around text).
func (t *typeface) px(d float32) float32 {
	return d * float32(t.sizes[labelStyle]) / styleSizes[labelStyle]
}

// lw returns the width in canvas pixels of a line w design pixels wide,
// at the text's scale and never under w pixels.
func (t *typeface) lw(w float32) float32 { return w * max(1, t.px(1)) }

// scriptShift is how far below the baseline a script's run sits, in ems
// of the style (negative: above).
func scriptShift(s layout.Script) float64 {
	switch s {
	case layout.Sub:
		return 0.22
	case layout.Sup:
		return -0.36
	}
	return 0
}

// width returns the width of the longest line of marked-up text.
func (t *typeface) width(s string, st style) float32 {
	var w float64
	for _, line := range strings.Split(s, "\n") {
		w = max(w, t.lineWidth(line, st))
	}
	return float32(w)
}

func (t *typeface) lineWidth(line string, st style) float64 {
	var w float64
	for _, r := range layout.Markup(line) {
		w += t.runWidth(r, st)
	}
	return w
}

func (t *typeface) runWidth(r layout.Run, st style) float64 {
	f, size := t.face(st, r.Script)
	var w float64
	for _, seg := range segments(r.Text) {
		if seg.drawn != 0 {
			w += drawnWidth(seg.drawn) * size
		} else {
			w += text.Advance(seg.text, f)
		}
	}
	return w
}

// height returns the height of n lines of a style.
func (t *typeface) height(n int, st style) float32 {
	return float32(n-1)*t.lineHeight(st) + float32(t.sizes[st]*1.2)
}

// draw prints marked-up text (lines separated by "\n") in a style and a
// colour with its top-left corner at (x, y).
func (t *typeface) draw(dst *ebiten.Image, s string, x, y float32, st style, c color.Color) {
	f, _ := t.face(st, layout.Base)
	asc := f.Metrics().HAscent
	for i, line := range strings.Split(s, "\n") {
		base := float64(y) + float64(i)*float64(t.lineHeight(st)) + asc
		t.drawLine(dst, line, float64(x), base, st, c, nil)
	}
}

// drawLine prints one line with its baseline at y, transformed by geo
// (about (x, y)) when not nil, and returns its width.
func (t *typeface) drawLine(dst *ebiten.Image, line string, x, y float64, st style, c color.Color, geo *ebiten.GeoM) float64 {
	x0 := x
	// at maps a point of the line as laid out to the canvas.
	at := func(px, py float32) (float32, float32) {
		if geo == nil {
			return px, py
		}
		gx, gy := geo.Apply(float64(px)-x0, float64(py)-y)
		return float32(gx + x0), float32(gy + y)
	}
	for _, r := range layout.Markup(line) {
		f, size := t.face(st, r.Script)
		m := f.Metrics()
		by := y + scriptShift(r.Script)*t.sizes[st]
		start := x
		for _, seg := range segments(r.Text) {
			if seg.drawn != 0 {
				t.drawGlyph(dst, seg.drawn, float32(x), float32(by), float32(size), c, at)
				x += drawnWidth(seg.drawn) * size
				continue
			}
			op := &text.DrawOptions{}
			op.GeoM.Translate(x-x0, by-m.HAscent-y)
			if geo != nil {
				op.GeoM.Concat(*geo)
				op.Filter = ebiten.FilterLinear
			}
			op.GeoM.Translate(x0, y)
			op.ColorScale.ScaleWithColor(c)
			text.Draw(dst, seg.text, f, op)
			x += text.Advance(seg.text, f)
		}
		if r.Bar {
			// A bar over the run, at the height of a capital.
			w := float32(m.XHeight) * 0.1
			yb := float32(by-m.CapHeight) - 1.5*w
			x0, y0 := at(float32(start)+w, yb)
			x1, y1 := at(float32(x)-w, yb)
			vector.StrokeLine(dst, x0, y0, x1, y1, max(1, w), c, true)
		}
		if r.Hat {
			// A hat over the run: two strokes meeting above its middle,
			// from the height of a lower-case letter to a capital's.
			w := float32(m.XHeight) * 0.1
			mid, half := float32(start+x)/2, float32(x-start)*0.3
			lo, hi := float32(by-m.XHeight)-2*w, float32(by-m.CapHeight)-2*w
			xl, yl := at(mid-half, lo)
			xm, ym := at(mid, hi)
			xr, yr := at(mid+half, lo)
			vector.StrokeLine(dst, xl, yl, xm, ym, max(1, w), c, true)
			vector.StrokeLine(dst, xm, ym, xr, yr, max(1, w), c, true)
		}
	}
	return x - x0
}

// drawAt prints text aligned on (x, y): ax and ay are the fractions of its
// width and height left of and above the point (0, 0: top-left corner;
// 0.5, 0.5: centred; 1, 0: top-right corner).
func (t *typeface) drawAt(dst *ebiten.Image, s string, x, y, ax, ay float32, st style, c color.Color) {
	n := strings.Count(s, "\n") + 1
	t.draw(dst, s, x-ax*t.width(s, st), y-ay*t.height(n, st), st, c)
}

// drawUp prints one line of text turned a quarter left (reading upwards),
// centred on (x, y): a plot's vertical axis name.
func (t *typeface) drawUp(dst *ebiten.Image, line string, x, y float32, st style, c color.Color) {
	w := t.lineWidth(line, st)
	f, _ := t.face(st, layout.Base)
	asc := f.Metrics().HAscent
	h := float64(t.height(1, st))
	var geo ebiten.GeoM
	geo.Translate(-w/2, asc-h/2) // centre the line's box on the point
	geo.Rotate(-math.Pi / 2)
	t.drawLine(dst, line, float64(x), float64(y), st, c, &geo)
}

// label prints text with its top-left corner at (x, y).
func (t *typeface) label(dst *ebiten.Image, s string, x, y float32) {
	t.draw(dst, s, x, y, labelStyle, styleColours[labelStyle])
}

// labelLeftOf prints text ending just left of x, its top at y.
func (t *typeface) labelLeftOf(dst *ebiten.Image, s string, x, y float32) {
	t.drawAt(dst, s, x-t.px(4), y, 1, 0, labelStyle, styleColours[labelStyle])
}

// fit returns long when it fits in w in a style, else short.
func (t *typeface) fit(long, short string, w float32, st style) string {
	if t.width(long, st) <= w {
		return long
	}
	return short
}

// title prints a panel's title just above r, moved left when it would
// pass the canvas's right edge.
func (t *typeface) title(dst *ebiten.Image, s string, r Rect) {
	w, _ := size(dst)
	x := max(min(r.X, float32(w)-t.px(8)-t.width(s, titleStyle)), min(r.X, t.px(8)))
	t.drawAt(dst, s, x, r.Y-t.px(4), 0, 1, titleStyle, styleColours[titleStyle])
}

// caption prints text just below r.
func (t *typeface) caption(dst *ebiten.Image, s string, r Rect) {
	t.draw(dst, s, r.X, r.Bottom()+t.px(3), labelStyle, styleColours[numStyle])
}

// message prints a scene's message while it has nothing to show (it is
// computing or waiting), near the canvas's top-left corner, wrapped to the
// canvas.
func (t *typeface) message(dst *ebiten.Image, s string) {
	w, h := size(dst)
	m := t.px(24)
	t.paragraph(dst, s, Rect{X: m, Y: m, W: float32(w) - 2*m, H: float32(h) - 2*m}, labelStyle)
}

// paragraph prints text word-wrapped to r's width, as many lines as fit
// in r's height (the last one kept ends with "…" when some are left out).
// Text of several lines is a list: its wrapped lines are indented.
func (t *typeface) paragraph(dst *ebiten.Image, s string, r Rect, st style) {
	lines := t.wrap(s, r.W, st, strings.Contains(s, "\n"))
	n := max(1, int((r.H-t.height(1, st))/t.lineHeight(st))+1)
	if len(lines) > n {
		lines = append(lines[:n-1:n-1], lines[n-1]+" …")
	}
	t.draw(dst, strings.Join(lines, "\n"), r.X, r.Y, st, styleColours[st])
}

// wrap breaks text into lines no wider than w, at spaces (a word wider
// than w stands alone), indenting the continued lines when hang is set.
// Its own line breaks stay.
func (t *typeface) wrap(s string, w float32, st style, hang bool) []string {
	more := ""
	if hang {
		more = "  "
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		indent := para[:len(para)-len(strings.TrimLeft(para, " "))]
		words := strings.Fields(para)
		line := indent
		for _, word := range words {
			next := line + word
			if line != indent {
				next = line + " " + word
			}
			if line != indent && float32(t.lineWidth(next, st)) > w {
				out = append(out, line)
				next = indent + more + word
			}
			line = next
		}
		out = append(out, line)
	}
	return out
}
