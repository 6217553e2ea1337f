package nn

import (
	"math"
	"strings"
	"testing"
)

// halfValue is the value of the binary16 h computed from its definition in
// float64 (independently of HalfToFloat32's bit manipulation).
func halfValue(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, frac := int(h>>10&0x1f), float64(h&0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	}
	return sign * math.Ldexp(1024+frac, exp-25)
}

func TestHalfExactValues(t *testing.T) {
	tests := []struct {
		name string
		f    float32
		h    uint16
	}{
		{"zero", 0, 0x0000},
		{"negative zero", float32(math.Copysign(0, -1)), 0x8000},
		{"one", 1, 0x3c00},
		{"minus one", -1, 0xbc00},
		{"two", 2, 0x4000},
		{"one half", 0.5, 0x3800},
		{"one third (rounded)", 0.333251953125, 0x3555},
		{"largest finite", 65504, 0x7bff},
		{"most negative finite", -65504, 0xfbff},
		{"smallest normal", 6.1035156e-05, 0x0400},
		{"largest subnormal", 0x3ffp-24, 0x03ff},
		{"smallest subnormal", 5.9604645e-08, 0x0001},
		{"negative smallest subnormal", -5.9604645e-08, 0x8001},
		{"largest below one", 0.99951172, 0x3bff},
		{"smallest above one", 1.0009766, 0x3c01},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := HalfFromFloat32(tt.f)
			if err != nil || h != tt.h {
				t.Errorf("HalfFromFloat32(%v) = %#04x, %v; want %#04x", tt.f, h, err, tt.h)
			}
			if got := HalfToFloat32(tt.h); math.Float32bits(got) != math.Float32bits(tt.f) {
				t.Errorf("HalfToFloat32(%#04x) = %v, want %v", tt.h, got, tt.f)
			}
		})
	}
}

func TestHalfRounding(t *testing.T) {
	tests := []struct {
		name string
		f    float32
		h    uint16
	}{
		// Between 1 (0x3c00) and 1+2⁻¹⁰ (0x3c01): the tie goes to the even 1.
		{"tie to even, down", 1 + 0x1p-11, 0x3c00},
		{"above the tie", 1 + 0x1p-11 + 0x1p-23, 0x3c01},
		{"below the tie", 1 + 0x1p-11 - 0x1p-23, 0x3c00},
		// Between 1+2⁻¹⁰ (0x3c01, odd) and 1+2⁻⁹ (0x3c02): the tie goes up.
		{"tie to even, up", 1 + 3*0x1p-11, 0x3c02},
		{"negative tie to even", -(1 + 3*0x1p-11), 0xbc02},
		// Subnormals: steps of 2⁻²⁴.
		{"half the smallest subnormal: tie to 0", 0x1p-25, 0x0000},
		{"just above half the smallest subnormal", 0x1p-25 + 0x1p-40, 0x0001},
		{"one and a half subnormal steps: tie to 2", 3 * 0x1p-25, 0x0002},
		{"far below the subnormals", 1e-30, 0x0000},
		{"negative underflow keeps the sign", -1e-30, 0x8000},
		{"float32 subnormal", math.SmallestNonzeroFloat32, 0x0000},
		{"largest subnormal rounds up to the smallest normal", 0x1p-14 - 0x1p-30, 0x0400},
		// Rounding carries into the exponent.
		{"carry into the exponent", 2 - 0x1p-12, 0x4000},
		// Just below the overflow threshold 65520: still 65504.
		{"below the overflow threshold", 65519.996, 0x7bff},
		{"between 65504 and the threshold", 65510, 0x7bff},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := HalfFromFloat32(tt.f)
			if err != nil || h != tt.h {
				t.Errorf("HalfFromFloat32(%v) = %#04x, %v; want %#04x", tt.f, h, err, tt.h)
			}
		})
	}
}

func TestHalfErrors(t *testing.T) {
	for _, f := range []float32{
		65520, -65520, // the midpoint of 65504 and 2¹⁶ rounds (to even) to 2¹⁶
		65536, 1e5, -1e10, math.MaxFloat32,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
	} {
		h, err := HalfFromFloat32(f)
		if err == nil {
			t.Errorf("HalfFromFloat32(%v) = %#04x, want an error", f, h)
		} else if !strings.HasPrefix(err.Error(), "float16: ") {
			t.Errorf("HalfFromFloat32(%v): error %q lacks the float16: prefix", f, err)
		}
	}
}

// Every half converts to its exact value, and every finite half converts
// back to itself.
func TestHalfAllValues(t *testing.T) {
	for i := 0; i <= 0xffff; i++ {
		h := uint16(i)
		f := HalfToFloat32(h)
		want := halfValue(h)
		if math.IsNaN(want) {
			if !math.IsNaN(float64(f)) {
				t.Fatalf("HalfToFloat32(%#04x) = %v, want NaN", h, f)
			}
			if _, err := HalfFromFloat32(f); err == nil {
				t.Fatalf("HalfFromFloat32(NaN from %#04x) succeeded", h)
			}
			continue
		}
		if float64(f) != want || math.Signbit(float64(f)) != (h&0x8000 != 0) {
			t.Fatalf("HalfToFloat32(%#04x) = %v, want %v", h, f, want)
		}
		if math.IsInf(want, 0) {
			continue
		}
		if back, err := HalfFromFloat32(f); err != nil || back != h {
			t.Fatalf("HalfFromFloat32(HalfToFloat32(%#04x) = %v) = %#04x, %v", h, f, back, err)
		}
	}
}

// Between every two consecutive finite halves, the values just below the
// midpoint round down, just above round up, and the midpoint itself (exact
// in float32) to the one with the even last bit.
func TestHalfMidpoints(t *testing.T) {
	for i := 0; i < 0x7bff; i++ {
		lo, hi := uint16(i), uint16(i+1)
		a, b := float64(HalfToFloat32(lo)), float64(HalfToFloat32(hi))
		mid := float32((a + b) / 2)
		if float64(mid) != (a+b)/2 {
			t.Fatalf("midpoint of %#04x and %#04x not exact in float32", lo, hi)
		}
		even := lo
		if lo&1 == 1 {
			even = hi
		}
		for _, tc := range []struct {
			f    float32
			want uint16
		}{
			{math.Nextafter32(mid, 0), lo},
			{mid, even},
			{math.Nextafter32(mid, math.MaxFloat32), hi},
		} {
			for _, neg := range []bool{false, true} {
				f, want := tc.f, tc.want
				if neg {
					f, want = -f, want|0x8000
				}
				if got, err := HalfFromFloat32(f); err != nil || got != want {
					t.Fatalf("HalfFromFloat32(%v) = %#04x, %v; want %#04x", f, got, err, want)
				}
			}
		}
	}
}
