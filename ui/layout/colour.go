package layout

import (
	"image/color"
	"math"
)

// HSV converts hue h ∈ [0,1), saturation s and value v to RGB in [0,1].
func HSV(h, s, v float64) [3]float64 {
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

// BankHSV is the colour of orientation (or scale) i of n in a wavelet
// bank's panel, as RGB in [0, 1]: hues evenly spaced around the circle.
func BankHSV(i, n int) [3]float64 { return HSV(float64(i)/float64(max(n, 1)), 0.8, 1) }

// BankColor is BankHSV as 8-bit RGBA, for the canvas app's plots, so that
// a curve has the colour of its wavelet in the bank panel.
func BankColor(i, n int) color.RGBA {
	c := BankHSV(i, n)
	return color.RGBA{uint8(255*c[0] + 0.5), uint8(255*c[1] + 0.5), uint8(255*c[2] + 0.5), 255}
}
