package field

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
)

// Colormap maps values in [0, 1] to colours.
type Colormap int

const (
	// Gray is a linear ramp from black (0) to white (1).
	Gray Colormap = iota
	// Diverging is a red-white-blue ramp for signed data (ColorBrewer RdBu
	// with a pure white centre): 0 is dark blue, 0.5 white and 1 dark red,
	// so with Limits negative values are blue and positive values red.
	Diverging
	// Perceptual is viridis, the perceptually uniform dark-purple to yellow
	// map of matplotlib, with monotonically increasing lightness.
	Perceptual
)

// nanColor is the colour of NaN: magenta, which none of the maps contains.
var nanColor = color.RGBA{R: 255, G: 0, B: 255, A: 255}

// ParseColormap returns the colormap named "gray", "diverging" or
// "perceptual" (case-insensitive; "grey", "rdbu" and "viridis" are accepted
// as aliases).
func ParseColormap(name string) (Colormap, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "gray", "grey":
		return Gray, nil
	case "diverging", "rdbu":
		return Diverging, nil
	case "perceptual", "viridis":
		return Perceptual, nil
	}
	return Gray, fmt.Errorf("field: unknown colormap %q (want gray, diverging or perceptual)", name)
}

// String returns the name of c as accepted by ParseColormap.
func (c Colormap) String() string {
	switch c {
	case Gray:
		return "gray"
	case Diverging:
		return "diverging"
	case Perceptual:
		return "perceptual"
	}
	return "Colormap(" + strconv.Itoa(int(c)) + ")"
}

// Color returns the opaque colour of t. Values of t outside [0, 1], including
// infinities, are clamped; NaN gives magenta (255, 0, 255). An unknown
// colormap behaves as Gray.
func (c Colormap) Color(t float64) color.RGBA {
	if math.IsNaN(t) {
		return nanColor
	}
	t = min(max(t, 0), 1)
	switch c {
	case Diverging:
		return ramp(divergingAnchors[:], t)
	case Perceptual:
		return ramp(viridisAnchors[:], t)
	}
	v := uint8(t*255 + 0.5)
	return color.RGBA{R: v, G: v, B: v, A: 255}
}

// Limits returns the data range that c should map to [0, 1] for f: the
// finite minimum and maximum of f for Gray and Perceptual (see
// Field.MinMax), and (-m, m) with m the largest finite |value| for
// Diverging, so that zero is white; m is 1 if f has no non-zero finite
// value. A nil field gives (0, 0), or (-1, 1) for Diverging.
func (c Colormap) Limits(f *Field) (lo, hi float64) {
	if c == Diverging {
		m := 0.0
		if f != nil {
			for _, v := range f.Data {
				if a := math.Abs(v); a > m && !math.IsInf(a, 0) {
					m = a
				}
			}
		}
		if m == 0 {
			m = 1
		}
		return -m, m
	}
	if f == nil {
		return 0, 0
	}
	return f.MinMax()
}

// ramp interpolates linearly in RGB between equally spaced anchor colours,
// given with components in [0, 1], at t in [0, 1].
func ramp(anchors [][3]float64, t float64) color.RGBA {
	s := t * float64(len(anchors)-1)
	i := min(int(s), len(anchors)-2)
	u := s - float64(i)
	a, b := &anchors[i], &anchors[i+1]
	return color.RGBA{
		R: uint8(255*(a[0]+u*(b[0]-a[0])) + 0.5),
		G: uint8(255*(a[1]+u*(b[1]-a[1])) + 0.5),
		B: uint8(255*(a[2]+u*(b[2]-a[2])) + 0.5),
		A: 255,
	}
}

// divergingAnchors is ColorBrewer RdBu (11 classes) from blue to red, with
// the near-white centre #f7f7f7 replaced by pure white.
var divergingAnchors = [...][3]float64{
	{0x05 / 255.0, 0x30 / 255.0, 0x61 / 255.0}, // #053061
	{0x21 / 255.0, 0x66 / 255.0, 0xac / 255.0}, // #2166ac
	{0x43 / 255.0, 0x93 / 255.0, 0xc3 / 255.0}, // #4393c3
	{0x92 / 255.0, 0xc5 / 255.0, 0xde / 255.0}, // #92c5de
	{0xd1 / 255.0, 0xe5 / 255.0, 0xf0 / 255.0}, // #d1e5f0
	{1, 1, 1}, // #ffffff
	{0xfd / 255.0, 0xdb / 255.0, 0xc7 / 255.0}, // #fddbc7
	{0xf4 / 255.0, 0xa5 / 255.0, 0x82 / 255.0}, // #f4a582
	{0xd6 / 255.0, 0x60 / 255.0, 0x4d / 255.0}, // #d6604d
	{0xb2 / 255.0, 0x18 / 255.0, 0x2b / 255.0}, // #b2182b
	{0x67 / 255.0, 0x00 / 255.0, 0x1f / 255.0}, // #67001f
}

// viridisAnchors samples matplotlib's 256-entry viridis table (by Nathaniel
// J. Smith, Stéfan van der Walt and Eric Firing, released under CC0) at
// t = i/16, interpolating linearly between table entries.
var viridisAnchors = [...][3]float64{
	{0.267004, 0.004874, 0.329415}, // t = 0/16
	{0.282302, 0.094624, 0.417024}, // t = 1/16
	{0.278919, 0.174879, 0.482972}, // t = 2/16
	{0.259266, 0.250672, 0.524378}, // t = 3/16
	{0.230223, 0.321297, 0.545488}, // t = 4/16
	{0.199995, 0.386377, 0.554533}, // t = 5/16
	{0.173302, 0.447386, 0.557850}, // t = 6/16
	{0.149668, 0.506440, 0.557329}, // t = 7/16
	{0.128148, 0.565107, 0.550893}, // t = 8/16
	{0.120325, 0.623765, 0.534308}, // t = 9/16
	{0.155378, 0.681539, 0.503240}, // t = 10/16
	{0.241467, 0.736626, 0.454543}, // t = 11/16
	{0.362859, 0.786695, 0.386589}, // t = 12/16
	{0.508094, 0.829231, 0.299221}, // t = 13/16
	{0.669358, 0.862217, 0.195444}, // t = 14/16
	{0.835913, 0.886110, 0.102462}, // t = 15/16
	{0.993248, 0.906157, 0.143936}, // t = 16/16
}
