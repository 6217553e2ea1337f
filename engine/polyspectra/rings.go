package polyspectra

import (
	"fmt"
	"math"

	"scalewise/engine/fourier"
)

// MaxRingsPerOctave is the largest number of rings per octave of
// NewOctaveRings.
const MaxRingsPerOctave = 16

// SpectrumFloor is the relative power floor ε of OctaveRings.SpectrumError
// (and of the power-spectrum term of a scattering synthesis): ring powers
// are compared as log(P_i + ε·σ²), σ² the variance of the reference field,
// so that a ring where the reference has no power beyond rounding (the
// corners of a dealiased turbulence vorticity field, P_i ≈ 10⁻³⁰·σ²)
// counts as matched once the other field's power there is well below
// ε·σ² (−40 dB of the white-noise level P_i = σ²), instead of contributing
// the log of a rounding error (a synthesis holding 7·10⁻³σ² there would
// otherwise miss by a log ratio of 64). The rings of the other fields of
// scalewise scat validate (φ⁴, Zel'dovich density, C^α images) hold
// 10⁻²σ² or more, where the floor changes a log ratio by less than 0.01.
const SpectrumFloor = 1e-4

// OctaveRings is a partition of the frequencies of H×W fields into rings
// of equal width on a log scale, r per octave, covering the whole
// frequency square up to its corner, and the ring-averaged power spectrum
// on them. With the wave number of the package documentation (|k| in
// cycles per S = max(W, H) pixels) the rings are
//
//	ring i = { k : 2^{i/r} ≤ |k| < 2^{(i+1)/r} },   i = 0, 1, …,   up to |k| = (S/2)·√2,
//
// the last ring closed at the corner of the square (k = 0 is in no ring),
// and rings that hold no frequency are dropped (at r = 4 the lattice has
// no |k| in [2^{1/4}, 2^{1/2})), so ring i of Power is the i-th non-empty
// one. For a power-of-two S and even r the corner is an edge:
// r·(log2 S − ½) rings, 13 half-octave rings (r = 2) at S = 128. The ring
// power is the mean periodogram over the ring,
//
//	P_i(x) = (1/m_i) Σ_{k ∈ ring i} |x̂(k)|² / (WH),
//
// with m_i the number of frequencies of ring i and x̂ the unnormalised DFT,
// the same normalisation as Estimator's Power (white noise of variance σ²
// has P_i ≈ σ²). The half-octave rings (r = 2) are those of the
// power-spectrum error HalfOctaveSpectrumError: unlike the log2(N) − 1
// rings of an Estimator they resolve the half octaves within each octave
// of a dyadic wavelet bank and its finest octave up to the corners, where
// the wavelets' Littlewood–Paley sum dips. An OctaveRings holds an FFT
// plan and scratch: not safe for concurrent use.
type OctaveRings struct {
	w, h  int
	half  []int32   // ring of each half-spectrum frequency (fourier.Plan2D.ForwardHalf layout), −1 for none
	mult  []float64 // multiplicity of each half-spectrum frequency in the full spectrum (1 or 2)
	modes []int     // m_i
	lo    []float64 // lower edge of each kept ring (cycles per S pixels)
	hi    []float64 // upper edge
	plan  *fourier.Plan2D
	xhat  []complex128 // half spectrum
}

// NewOctaveRings returns the rings of H×W fields (h rows, w columns, both
// ≥ 2) with perOctave rings per octave, 1 ≤ perOctave ≤ MaxRingsPerOctave.
func NewOctaveRings(w, h, perOctave int) (*OctaveRings, error) {
	if w < 2 || h < 2 {
		return nil, fmt.Errorf("polyspectra: rings of %d×%d fields (width×height): want at least 2×2", w, h)
	}
	if perOctave < 1 || perOctave > MaxRingsPerOctave {
		return nil, fmt.Errorf("polyspectra: %d rings per octave, want 1 to %d", perOctave, MaxRingsPerOctave)
	}
	plan, err := fourier.NewPlan2D(h, w)
	if err != nil {
		return nil, err
	}
	s := max(w, h)
	corner := float64(s) / 2 * math.Sqrt2
	// The raw ring of |k|: ⌊r·log2|k|⌋, computed as ⌊(r/2)·log2 |k|²⌋
	// with a margin so that lattice points on an edge (|k|² = 2, 4, 8, …,
	// exact powers of two, whose Log2 is exact) fall in the ring above.
	nraw := int(math.Ceil(float64(perOctave)*math.Log2(corner) - 1e-9))
	nraw = max(nraw, 1)
	raw := func(k2 float64) int {
		i := int(math.Floor(float64(perOctave)/2*math.Log2(k2) + 1e-9))
		return min(i, nraw-1)
	}
	hc := plan.HalfCols()
	rs := &OctaveRings{
		w: w, h: h, half: make([]int32, plan.HalfLen()), mult: make([]float64, plan.HalfLen()),
		plan: plan, xhat: make([]complex128, plan.HalfLen()),
	}
	count := make([]int, nraw)
	for r := range h {
		ky := float64(fourier.SignedIndex(r, h)) * float64(s) / float64(h)
		for c := range w {
			kx := float64(fourier.SignedIndex(c, w)) * float64(s) / float64(w)
			if k2 := kx*kx + ky*ky; k2 >= 1-1e-12 {
				count[raw(k2)]++
			}
		}
	}
	keep := make([]int32, nraw)
	for i, m := range count {
		keep[i] = -1
		if m > 0 {
			keep[i] = int32(len(rs.modes))
			rs.modes = append(rs.modes, m)
			rs.lo = append(rs.lo, math.Pow(2, float64(i)/float64(perOctave)))
			rs.hi = append(rs.hi, math.Pow(2, float64(i+1)/float64(perOctave)))
		}
	}
	if len(rs.modes) == 0 {
		return nil, fmt.Errorf("polyspectra: %d×%d fields have no frequency with |k| ≥ 1", w, h)
	}
	rs.lo[0] = 1
	rs.hi[len(rs.hi)-1] = corner
	for r := range h {
		ky := float64(fourier.SignedIndex(r, h)) * float64(s) / float64(h)
		for c := range hc {
			kx := float64(fourier.SignedIndex(c, w)) * float64(s) / float64(w)
			i := r*hc + c
			rs.half[i] = -1
			if k2 := kx*kx + ky*ky; k2 >= 1-1e-12 {
				rs.half[i] = keep[raw(k2)]
			}
			rs.mult[i] = 2
			if c == 0 || 2*c == w { // closed under conjugation
				rs.mult[i] = 1
			}
		}
	}
	return rs, nil
}

// Len returns the number of (non-empty) rings.
func (rs *OctaveRings) Len() int { return len(rs.modes) }

// Size returns the field width and height.
func (rs *OctaveRings) Size() (w, h int) { return rs.w, rs.h }

// Edges returns the lower and upper edge of every ring, in cycles per
// max(W, H) pixels.
func (rs *OctaveRings) Edges() (lo, hi []float64) {
	return append([]float64(nil), rs.lo...), append([]float64(nil), rs.hi...)
}

// Modes returns m_i, the number of frequencies of every ring.
func (rs *OctaveRings) Modes() []int { return append([]int(nil), rs.modes...) }

// HalfIndex returns the ring of every frequency of the half spectrum, in
// the layout of fourier.Plan2D.ForwardHalf (H·(W/2+1) values; −1 for
// k = 0 and, on non-square grids, the frequencies with |k| < 1). The slice
// is the OctaveRings' own: read it, do not modify it.
func (rs *OctaveRings) HalfIndex() []int32 { return rs.half }

// Multiplicity returns, for every frequency of the half spectrum, the
// number of frequencies of the full spectrum it stands for: 1 on the
// columns k_c = 0 and W/2 (their own mirror images), 2 elsewhere. The slice
// is the OctaveRings' own: read it, do not modify it.
func (rs *OctaveRings) Multiplicity() []float64 { return rs.mult }

// Power stores P_i(x) in dst (Len values) for the real field x (H·W
// values, row-major, finite). It does not allocate.
func (rs *OctaveRings) Power(dst, x []float64) error {
	if len(dst) != len(rs.modes) {
		return fmt.Errorf("polyspectra: ring power destination has %d values, want %d", len(dst), len(rs.modes))
	}
	if err := rs.plan.ForwardHalf(rs.xhat, x); err != nil {
		return err
	}
	rs.PowerHalf(dst, rs.xhat)
	return nil
}

// PowerHalf stores in dst (Len values) the ring powers P_i of the field
// whose half spectrum (fourier.Plan2D.ForwardHalf of the H×W field) is
// xhat. It does not allocate.
func (rs *OctaveRings) PowerHalf(dst []float64, xhat []complex128) {
	clear(dst)
	for i, r := range rs.half {
		if r >= 0 {
			z := xhat[i]
			dst[r] += rs.mult[i] * (real(z)*real(z) + imag(z)*imag(z))
		}
	}
	n := float64(rs.w * rs.h)
	for i, m := range rs.modes {
		dst[i] /= float64(m) * n
	}
}

// HalfOctaveSpectrumError returns the power-spectrum error of the field a
// against the reference field b (H·W values each, h rows of w) over the
// half-octave rings (NewOctaveRings with 2 rings per octave), the whole
// frequency square up to its corners: OctaveRings.SpectrumError,
//
//	E½(a, b) = (1/n_r) Σ_i |log((P_i(a) + f)/(P_i(b) + f))|,   f = SpectrumFloor·σ_b²,
//
// with n_r = 2·log2(N) − 1 rings at N×N (N a power of two; 13 at 128²)
// and σ_b² the variance of b. It is the spectrum error of scalewise scat
// validate's spectrum_err_half_octave, finer than SpectrumError over an
// Estimator's log2(N) − 1 octave-wide rings (6 at 128²): it resolves the
// half octaves within each octave of a dyadic wavelet bank (Cheng et al.,
// "Scattering spectra models for physics", PNAS Nexus 3 (2024), compare
// syntheses and targets over such log-spaced bins).
func HalfOctaveSpectrumError(a, b []float64, w, h int) (float64, error) {
	rs, err := NewOctaveRings(w, h, 2)
	if err != nil {
		return 0, err
	}
	return rs.SpectrumError(a, b)
}

// SpectrumError returns the mean over the rings of
// |log((P_i(a) + f)/(P_i(b) + f))|, f = SpectrumFloor·σ_b², the
// power-spectrum error of the field a against the reference field b (see
// SpectrumFloor). It returns an error for fields of the wrong length or
// with values that are not finite.
func (rs *OctaveRings) SpectrumError(a, b []float64) (float64, error) {
	p := [2][]float64{make([]float64, rs.Len()), make([]float64, rs.Len())}
	for i, x := range [2][]float64{a, b} {
		for j, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("polyspectra: field value %d is %v", j, v)
			}
		}
		if err := rs.Power(p[i], x); err != nil {
			return 0, err
		}
	}
	f := SpectrumFloor * variance(b)
	var e float64
	var n int
	for i := range p[0] {
		if pa, pb := p[0][i]+f, p[1][i]+f; pa > 0 && pb > 0 {
			e += math.Abs(math.Log(pa / pb))
			n++
		}
	}
	if n == 0 {
		return math.NaN(), nil
	}
	return e / float64(n), nil
}

// variance returns the population variance of x, with a compensated
// mean.
func variance(x []float64) float64 {
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	var s, c float64
	for _, v := range x {
		d := v - m
		s += d * d
		c += d
	}
	n := float64(len(x))
	return (s - c*c/n) / n
}
