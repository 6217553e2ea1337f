package fourier

import (
	"math/bits"

	"gonum.org/v1/gonum/dsp/fourier"
)

// MaxRadixLen is the longest power-of-two axis transformed with gonum's
// in-place radix-2/radix-4 FFTs. Those compute their twiddle factors by
// successive multiplication, so their rounding error grows roughly like n·ε
// instead of FFTPACK's log n·ε: measured against a direct DFT of unit
// complex Gaussian input, the largest absolute error is 4·10⁻¹³ at n = 256
// and 3·10⁻¹¹ at n = 4096 (FFTPACK: 4·10⁻¹⁴ and 1·10⁻¹²), i.e. below 10⁻¹²
// relative to |X| ~ √n up to this length. Longer axes use FFTPACK.
const MaxRadixLen = 4096

// lineKind selects the 1-D algorithm of one axis.
type lineKind int

const (
	lineIdentity lineKind = iota // n = 1
	lineFFTPACK                  // any n: gonum CmplxFFT
	lineRadix2                   // n = 2^k ≤ MaxRadixLen, k odd
	lineRadix4                   // n = 4^k ≤ MaxRadixLen
)

// line is the unnormalised 1-D DFT of one length, forward
// X(k) = Σ_t x(t) e^{−2πikt/n} and backward x(t) = Σ_k X(k) e^{+2πikt/n}.
// For powers of two up to MaxRadixLen it uses gonum's in-place
// CoefficientsRadix4/CoefficientsRadix2 (2-D transforms 2.5–3.3× faster
// natively and 4–6× under js/wasm than with CmplxFFT at 64²..256², measured
// by BenchmarkFFT2; see the package documentation), otherwise gonum's CmplxFFT
// (FFTPACK). Neither allocates.
type line struct {
	n    int
	kind lineKind
	cf   *fourier.CmplxFFT // lineFFTPACK only
}

func newLine(n int, radix bool) *line {
	l := &line{n: n}
	switch {
	case n == 1:
		l.kind = lineIdentity
	case radix && n&(n-1) == 0 && n <= MaxRadixLen:
		if bits.TrailingZeros(uint(n))%2 == 0 {
			l.kind = lineRadix4
		} else {
			l.kind = lineRadix2
		}
	default:
		l.kind = lineFFTPACK
		l.cf = fourier.NewCmplxFFT(n)
	}
	return l
}

// forward stores the forward DFT of src in dst (len n each; dst may be src).
func (l *line) forward(dst, src []complex128) {
	switch l.kind {
	case lineFFTPACK:
		l.cf.Coefficients(dst, src)
		return
	case lineIdentity:
		dst[0] = src[0]
		return
	}
	if &dst[0] != &src[0] {
		copy(dst, src)
	}
	if l.kind == lineRadix4 {
		fourier.CoefficientsRadix4(dst)
	} else {
		fourier.CoefficientsRadix2(dst)
	}
}

// backward stores the unnormalised backward DFT of src in dst (len n each;
// dst may be src).
func (l *line) backward(dst, src []complex128) {
	switch l.kind {
	case lineFFTPACK:
		l.cf.Sequence(dst, src)
		return
	case lineIdentity:
		dst[0] = src[0]
		return
	}
	if &dst[0] != &src[0] {
		copy(dst, src)
	}
	if l.kind == lineRadix4 {
		fourier.SequenceRadix4(dst)
	} else {
		fourier.SequenceRadix2(dst)
	}
}
