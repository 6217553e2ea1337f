package field

import (
	"image/color"
	"math"
	"strings"
	"testing"
)

func TestParseColormap(t *testing.T) {
	for _, tc := range []struct {
		name string
		want Colormap
	}{
		{"gray", Gray},
		{"grey", Gray},
		{"Gray", Gray},
		{"diverging", Diverging},
		{" RdBu ", Diverging},
		{"perceptual", Perceptual},
		{"viridis", Perceptual},
	} {
		got, err := ParseColormap(tc.name)
		if err != nil || got != tc.want {
			t.Errorf("ParseColormap(%q) = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "jet", "gray2"} {
		if _, err := ParseColormap(bad); err == nil || !strings.Contains(err.Error(), "unknown colormap") {
			t.Errorf("ParseColormap(%q): error %v, want unknown colormap", bad, err)
		}
	}
	for _, c := range []Colormap{Gray, Diverging, Perceptual} {
		if got, err := ParseColormap(c.String()); err != nil || got != c {
			t.Errorf("ParseColormap(%q) = %v, %v; want %v", c.String(), got, err, c)
		}
	}
	if s := Colormap(7).String(); s != "Colormap(7)" {
		t.Errorf("Colormap(7).String() = %q", s)
	}
}

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{R: r, G: g, B: b, A: 255} }

func TestColorEndpoints(t *testing.T) {
	magenta := rgb(255, 0, 255)
	for _, tc := range []struct {
		c    Colormap
		t    float64
		want color.RGBA
	}{
		{Gray, 0, rgb(0, 0, 0)},
		{Gray, 1, rgb(255, 255, 255)},
		{Gray, 0.5, rgb(128, 128, 128)},
		{Gray, -3, rgb(0, 0, 0)},
		{Gray, math.Inf(1), rgb(255, 255, 255)},
		{Gray, math.NaN(), magenta},
		{Diverging, 0.5, rgb(255, 255, 255)},
		{Diverging, 0, rgb(0x05, 0x30, 0x61)},
		{Diverging, 1, rgb(0x67, 0x00, 0x1f)},
		{Diverging, math.Inf(-1), rgb(0x05, 0x30, 0x61)},
		{Diverging, math.NaN(), magenta},
		{Perceptual, 0, rgb(0x44, 0x01, 0x54)},   // viridis #440154
		{Perceptual, 1, rgb(0xfd, 0xe7, 0x25)},   // viridis #fde725
		{Perceptual, 0.5, rgb(0x21, 0x90, 0x8c)}, // viridis #21908c (entry 128: #21918c)
		{Perceptual, 7, rgb(0xfd, 0xe7, 0x25)},
		{Perceptual, math.NaN(), magenta},
		{Colormap(42), 1, rgb(255, 255, 255)},
	} {
		if got := tc.c.Color(tc.t); got != tc.want {
			t.Errorf("%v.Color(%v) = %v, want %v", tc.c, tc.t, got, tc.want)
		}
	}
}

func TestDivergingSides(t *testing.T) {
	for i := 0; i <= 100; i++ {
		u := float64(i) / 100
		col := Diverging.Color(u)
		switch {
		case u < 0.5 && col.B <= col.R:
			t.Errorf("Color(%v) = %v is not blue-ish", u, col)
		case u > 0.5 && col.R <= col.B:
			t.Errorf("Color(%v) = %v is not red-ish", u, col)
		}
	}
}

// luma is the Rec. 709 luma of c.
func luma(c color.RGBA) float64 {
	return 0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)
}

// TestLuminanceMonotone checks that lightness increases along Gray and
// Perceptual, and away from the white centre along Diverging. Rounding to
// 8 bits may cost up to one unit of luma.
func TestLuminanceMonotone(t *testing.T) {
	const steps = 2000
	for _, tc := range []struct {
		c   Colormap
		dir func(u float64) float64 // +1 where luma must increase, -1 where it must decrease
		tol float64
	}{
		{Gray, func(float64) float64 { return 1 }, 0},
		{Perceptual, func(float64) float64 { return 1 }, 1},
		{Diverging, func(u float64) float64 { return math.Copysign(1, 0.5-u) }, 1},
	} {
		prev := luma(tc.c.Color(0))
		for i := 1; i <= steps; i++ {
			u := float64(i) / steps
			l := luma(tc.c.Color(u))
			if d := tc.dir(u - 0.5/steps); (l-prev)*d < -tc.tol {
				t.Errorf("%v: luma %.2f at t=%v after %.2f", tc.c, l, u, prev)
			}
			prev = l
		}
	}
	// The anchors themselves are strictly monotone.
	for i := 1; i < len(viridisAnchors); i++ {
		y := func(a [3]float64) float64 { return 0.2126*a[0] + 0.7152*a[1] + 0.0722*a[2] }
		if y(viridisAnchors[i]) <= y(viridisAnchors[i-1]) {
			t.Errorf("viridis anchor %d is not lighter than anchor %d", i, i-1)
		}
	}
}

func TestLimits(t *testing.T) {
	mixed := &Field{W: 4, H: 1, Data: []float64{-2, 1, math.NaN(), math.Inf(1)}}
	zero := New(2, 2)
	flat := &Field{W: 2, H: 1, Data: []float64{3, 3}}
	nonFinite := &Field{W: 2, H: 1, Data: []float64{math.NaN(), math.Inf(-1)}}
	for _, tc := range []struct {
		c      Colormap
		f      *Field
		lo, hi float64
	}{
		{Gray, mixed, -2, 1},
		{Perceptual, mixed, -2, 1},
		{Diverging, mixed, -2, 2},
		{Diverging, &Field{W: 2, H: 1, Data: []float64{0.5, 0.25}}, -0.5, 0.5},
		{Diverging, zero, -1, 1},
		{Diverging, nonFinite, -1, 1},
		{Gray, zero, 0, 0},
		{Gray, flat, 3, 3},
		{Gray, nonFinite, 0, 0},
		{Gray, nil, 0, 0},
		{Diverging, nil, -1, 1},
	} {
		lo, hi := tc.c.Limits(tc.f)
		if lo != tc.lo || hi != tc.hi {
			t.Errorf("%v.Limits(%v) = (%v, %v), want (%v, %v)", tc.c, tc.f, lo, hi, tc.lo, tc.hi)
		}
	}
}
