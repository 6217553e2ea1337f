package compute

import (
	"image/color"
	"math"

	"scalewise/engine/field"
)

// colormapPalette returns c in 256 colours, index i at c(i/255): the
// palette of an exported animation.
func colormapPalette(c field.Colormap) color.Palette {
	p := make(color.Palette, 256)
	for i := range p {
		p[i] = c.Color(float64(i) / 255)
	}
	return p
}

// paletteIndex returns the index of v in a colormapPalette over [lo, hi]:
// values outside saturate, NaN is the middle colour.
func paletteIndex(v, lo, hi float64) uint8 {
	t := (v - lo) / (hi - lo)
	if math.IsNaN(t) {
		t = 0.5
	}
	return uint8(math.Round(255 * max(0, min(1, t))))
}
