//go:build js

package ui

import (
	"image/color"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"scalewise/ui/layout"
)

// The Go fonts lack a few mathematical runes the panels print (‖, ⊥, the
// angle brackets ⟨ ⟩: layout.Drawn); the typeface draws them with lines.

// segment is a piece of a run: text the font has, or one rune the canvas
// draws (layout.Drawn).
type segment struct {
	text  string
	drawn rune
}

// segments splits text at the runes of layout.Drawn.
func segments(s string) []segment {
	if !strings.ContainsAny(s, layout.Drawn) {
		return []segment{{text: s}}
	}
	var out []segment
	start := 0
	for i, r := range s {
		if strings.ContainsRune(layout.Drawn, r) {
			if i > start {
				out = append(out, segment{text: s[start:i]})
			}
			out = append(out, segment{drawn: r})
			start = i + len(string(r))
		}
	}
	if start < len(s) {
		out = append(out, segment{text: s[start:]})
	}
	return out
}

// drawnWidth returns the advance of a drawn rune, in ems.
func drawnWidth(r rune) float64 {
	switch r {
	case '‖':
		return 0.5
	case '⟨', '⟩':
		return 0.36
	}
	return 0.7
}

// drawGlyph draws a rune of layout.Drawn with lines at x on the baseline
// y, for text of the given size, its points mapped to the canvas by at.
func (t *typeface) drawGlyph(dst *ebiten.Image, r rune, x, y, size float32, c color.Color, at func(x, y float32) (float32, float32)) {
	w := max(1, size*0.07)
	line := func(x0, y0, x1, y1 float32) {
		x0, y0 = at(x0, y0)
		x1, y1 = at(x1, y1)
		vector.StrokeLine(dst, x0, y0, x1, y1, w, c, true)
	}
	switch r {
	case '⊥':
		l, r, top := x+0.1*size, x+0.6*size, y-0.62*size
		line(l, y-w/2, r, y-w/2)
		line((l+r)/2, y, (l+r)/2, top)
	case '‖':
		for _, dx := range []float32{0.14, 0.36} {
			line(x+dx*size, y-0.76*size, x+dx*size, y+0.2*size)
		}
	case '⟨':
		line(x+0.27*size, y-0.78*size, x+0.08*size, y-0.28*size)
		line(x+0.08*size, y-0.28*size, x+0.27*size, y+0.22*size)
	case '⟩':
		line(x+0.09*size, y-0.78*size, x+0.28*size, y-0.28*size)
		line(x+0.28*size, y-0.28*size, x+0.09*size, y+0.22*size)
	}
}
