package nn

import (
	"fmt"
	"math"
)

// This file converts between float32 and IEEE 754-2008 binary16 ("half",
// float16): 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits. Normal
// halves span ±6.1035156e-05 … ±65504 with 11 significant bits; subnormals
// go down to 2⁻²⁴ ≈ 5.96e-08. Every half is exactly a float32.

// MaxHalf is the largest finite IEEE 754-2008 binary16 value, 65504.
const MaxHalf = 65504

// HalfToFloat32 returns the value of the IEEE 754-2008 binary16 h (its bits)
// as a float32, exactly: ±0, subnormals, normals, ±Inf, and NaN (with its
// payload shifted into the float32 fraction) all convert without rounding.
func HalfToFloat32(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h & 0x3ff)
	switch exp {
	case 0: // ±0 and subnormals: frac·2⁻²⁴, exact in float32
		return math.Float32frombits(sign | math.Float32bits(float32(frac)*0x1p-24))
	case 0x1f: // ±Inf and NaN
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
}

// HalfFromFloat32 returns the IEEE 754-2008 binary16 (its bits) nearest to f,
// ties to even, as the standard's default rounding does. Values too small
// for a subnormal half round to ±0 (the sign is kept). NaN, ±Inf and values
// that would round beyond MaxHalf (|f| ≥ 65520, the midpoint between 65504
// and 2¹⁶) are an error rather than an infinite half.
func HalfFromFloat32(f float32) (uint16, error) {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23) & 0xff
	frac := b & 0x7fffff
	if exp == 0xff {
		return 0, fmt.Errorf("float16: %v has no finite half", f)
	}
	e := exp - 127 + 15 // the biased exponent of a normal half
	if e <= 0 {
		// A subnormal half (or zero): the significand with its implicit
		// bit, m·2^(exp−150), is k·2⁻²⁴ for k = m·2^(exp−126).
		shift := 126 - exp
		if exp == 0 || shift > 24 { // below 2⁻²⁵: rounds to ±0
			return sign, nil
		}
		m := frac | 0x800000
		k := m >> shift
		rem, half := m&(1<<shift-1), uint32(1)<<(shift-1)
		if rem > half || rem == half && k&1 == 1 {
			k++ // may carry into the smallest normal, 0x400, as it should
		}
		return sign | uint16(k), nil
	}
	h := uint32(e)<<10 | frac>>13
	if rem := frac & 0x1fff; rem > 0x1000 || rem == 0x1000 && h&1 == 1 {
		h++ // a carry out of the fraction increments the exponent
	}
	if h >= 0x7c00 {
		return 0, fmt.Errorf("float16: %v is beyond the half range (largest finite ±%d)", f, MaxHalf)
	}
	return sign | uint16(h), nil
}
