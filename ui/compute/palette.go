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

// hsv converts hue h ∈ [0,1), saturation s and value v to RGB in [0,1].
func hsv(h, s, v float64) [3]float64 {
	h = 6 * (h - math.Floor(h))
	i := math.Floor(h)
	f := h - i
	p, q, t := v*(1-s), v*(1-s*f), v*(1-s*(1-f))
	switch int(i) {
	case 0:
		return [3]float64{v, t, p}
	case 1:
		return [3]float64{q, v, p}
	case 2:
		return [3]float64{p, v, t}
	case 3:
		return [3]float64{p, q, v}
	case 4:
		return [3]float64{t, p, v}
	}
	return [3]float64{v, p, q}
}
