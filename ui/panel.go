//go:build js

package ui

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/ebitenutil"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// Rect is a screen rectangle in logical pixels.
type Rect struct{ X, Y, W, H float32 }

var (
	frameColor     = color.RGBA{0x55, 0x5c, 0x66, 0xff}
	highlightColor = color.RGBA{0xff, 0xc8, 0x3c, 0xff}
)

// drawImageIn draws img scaled (nearest neighbour, aspect kept) to fill r and
// returns the rectangle it covers.
func drawImageIn(dst, img *ebiten.Image, r Rect) Rect {
	b := img.Bounds()
	sx := r.W / float32(b.Dx())
	sy := r.H / float32(b.Dy())
	s := min(sx, sy)
	w, h := s*float32(b.Dx()), s*float32(b.Dy())
	out := Rect{r.X + (r.W-w)/2, r.Y + (r.H-h)/2, w, h}
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Scale(float64(s), float64(s))
	op.GeoM.Translate(float64(out.X), float64(out.Y))
	op.Filter = ebiten.FilterNearest
	dst.DrawImage(img, op)
	return out
}

// strokeRect outlines r.
func strokeRect(dst *ebiten.Image, r Rect, width float32, c color.Color) {
	vector.StrokeRect(dst, r.X, r.Y, r.W, r.H, width, c, false)
}

// label prints text at (x, y) with Ebiten's debug font.
func label(dst *ebiten.Image, text string, x, y float32) {
	ebitenutil.DebugPrintAt(dst, text, int(x), int(y))
}
