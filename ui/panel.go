//go:build js

package ui

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"scalewise/ui/layout"
)

// Rect is a screen rectangle in logical pixels.
type Rect = layout.Rect

var (
	frameColor     = color.RGBA{0x55, 0x5c, 0x66, 0xff}
	highlightColor = color.RGBA{0xff, 0xc8, 0x3c, 0xff}
)

// drawImageIn draws img scaled (nearest neighbour, aspect kept) to fill r and
// returns the rectangle it covers.
func drawImageIn(dst, img *ebiten.Image, r Rect) Rect {
	b := img.Bounds()
	out, s := r.Fit(float32(b.Dx()), float32(b.Dy()))
	drawImageAt(dst, img, out, s)
	return out
}

// drawImageSnap draws img like drawImageIn, but enlarged by a whole factor
// (when it fits at least once) at whole-pixel offsets, so that every texel
// covers whole screen pixels: a non-integer factor puts texel edges
// mid-pixel, where the sampled texel depends on the image's place in
// Ebiten's texture atlas, and a link would not reproduce the pixels.
func drawImageSnap(dst, img *ebiten.Image, r Rect) Rect {
	b := img.Bounds()
	out, s := r.FitSnap(float32(b.Dx()), float32(b.Dy()))
	drawImageAt(dst, img, out, s)
	return out
}

// drawImageAt draws img scaled by s (nearest neighbour) with its corner
// at r's.
func drawImageAt(dst, img *ebiten.Image, r Rect, s float32) {
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Scale(float64(s), float64(s))
	op.GeoM.Translate(float64(r.X), float64(r.Y))
	op.Filter = ebiten.FilterNearest
	dst.DrawImage(img, op)
}

// strokeRect outlines r.
func strokeRect(dst *ebiten.Image, r Rect, width float32, c color.Color) {
	vector.StrokeRect(dst, r.X, r.Y, r.W, r.H, width, c, false)
}

// size returns the size of img, the canvas a scene lays itself out on.
func size(img *ebiten.Image) (w, h int) {
	b := img.Bounds()
	return b.Dx(), b.Dy()
}

// layerFor returns an offscreen layer the size of dst: layer itself when
// it has that size, else a new image (fresh is true; layer is released).
func layerFor(layer, dst *ebiten.Image) (_ *ebiten.Image, fresh bool) {
	w, h := size(dst)
	if layer != nil && layer.Bounds().Dx() == w && layer.Bounds().Dy() == h {
		return layer, false
	}
	if layer != nil {
		layer.Deallocate()
	}
	return ebiten.NewImage(w, h), true
}
