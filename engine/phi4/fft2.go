package phi4

import (
	"math"
	"math/bits"

	"gonum.org/v1/gonum/dsp/fourier"
)

// fft2 is a reusable plan for the unnormalised 2-D discrete Fourier
// transform of a real periodic L×L field (L a power of two),
//
//	φ̂(k₁, k₂) = Σ_{x,y} φ(x, y) exp(−2πi(k₁x + k₂y)/L),
//
// computed with gonum's in-place power-of-two FFTs (dsp/fourier radix 4
// when L is a power of 4, radix 2 otherwise): first along the rows, two
// real rows at a time packed into one complex sequence z = a + ib and
// separated by â(k) = (ẑ(k) + ẑ(−k)*)/2, b̂(k) = (ẑ(k) − ẑ(−k)*)/(2i);
// then along the L/2+1 non-redundant columns. The half spectrum is stored
// column-major, spec[k₁·L + k₂] for k₁ = 0..L/2 and k₂ = 0..L−1, so that
// column transforms run on contiguous memory; the other half follows from
// φ̂(−k) = φ̂(k)*. The transforms do not allocate; a plan must not be shared
// by goroutines.
type fft2 struct {
	l, half int
	radix4  bool
	spec    []complex128 // half spectrum, half·l
	row     []complex128 // one packed row pair, l
}

func newFFT2(l int) *fft2 {
	half := l/2 + 1
	return &fft2{
		l: l, half: half,
		radix4: bits.TrailingZeros(uint(l))%2 == 0,
		spec:   make([]complex128, l*half),
		row:    make([]complex128, l),
	}
}

func (t *fft2) fwd(x []complex128) {
	if t.radix4 {
		fourier.CoefficientsRadix4(x)
	} else {
		fourier.CoefficientsRadix2(x)
	}
}

func (t *fft2) bwd(x []complex128) {
	if t.radix4 {
		fourier.SequenceRadix4(x)
	} else {
		fourier.SequenceRadix2(x)
	}
}

// forward stores the half spectrum of the real field src in t.spec.
func (t *fft2) forward(src []float64) {
	l, mask := t.l, t.l-1
	if l == 1 {
		t.spec[0] = complex(src[0], 0)
		return
	}
	z := t.row
	for r := 0; r < l; r += 2 {
		a, b := src[r*l:(r+1)*l], src[(r+1)*l:(r+2)*l]
		for x := range z {
			z[x] = complex(a[x], b[x])
		}
		t.fwd(z)
		for k1 := 0; k1 <= l/2; k1++ {
			zk, zc := z[k1], z[(l-k1)&mask]
			re, im := real(zk), imag(zk)
			cre, cim := real(zc), -imag(zc)
			t.spec[k1*l+r] = complex((re+cre)/2, (im+cim)/2)
			t.spec[k1*l+r+1] = complex((im-cim)/2, -(re-cre)/2)
		}
	}
	for k1 := 0; k1 <= l/2; k1++ {
		t.fwd(t.spec[k1*l : (k1+1)*l])
	}
}

// inverse stores in dst the real field whose half spectrum is t.spec,
// divided by L² so that inverse undoes forward. t.spec is overwritten.
func (t *fft2) inverse(dst []float64) {
	l := t.l
	if l == 1 {
		dst[0] = real(t.spec[0])
		return
	}
	for k1 := 0; k1 <= l/2; k1++ {
		t.bwd(t.spec[k1*l : (k1+1)*l])
	}
	norm := 1 / float64(l*l)
	z := t.row
	for r := 0; r < l; r += 2 {
		for k1 := 0; k1 <= l/2; k1++ {
			a, b := t.spec[k1*l+r], t.spec[k1*l+r+1]
			z[k1] = complex(real(a)-imag(b), imag(a)+real(b)) // a + ib
		}
		for k1 := l/2 + 1; k1 < l; k1++ {
			a, b := t.spec[(l-k1)*l+r], t.spec[(l-k1)*l+r+1]
			z[k1] = complex(real(a)+imag(b), -imag(a)+real(b)) // a* + ib*
		}
		t.bwd(z)
		ra, rb := dst[r*l:(r+1)*l], dst[(r+1)*l:(r+2)*l]
		for x, v := range z {
			ra[x] = real(v) * norm
			rb[x] = imag(v) * norm
		}
	}
}

// filter stores in dst the real field with spectrum g(k)·φ̂(k), for src
// real and g real and even (g given on the half spectrum, as t.spec).
// dst may be src.
func (t *fft2) filter(dst, src, g []float64) {
	t.forward(src)
	for i, v := range g {
		t.spec[i] *= complex(v, 0)
	}
	t.inverse(dst)
}

// halfIndex returns the frequencies (n₁, n₂) of the half-spectrum index
// i = n₁·L + n₂, with n₁ = 0..L/2 and n₂ = 0..L−1.
func halfIndex(l, i int) (n1, n2 int) { return i / l, i % l }

// latticeMomentum2 returns k̂² = Σ_μ 4 sin²(k_μ/2) for the half-spectrum
// index i, k_μ = 2πn_μ/L: the eigenvalue of minus the nearest-neighbour
// lattice Laplacian.
func latticeMomentum2(l, i int) float64 {
	n1, n2 := halfIndex(l, i)
	s1 := math.Sin(math.Pi * float64(n1) / float64(l))
	s2 := math.Sin(math.Pi * float64(n2) / float64(l))
	return 4 * (s1*s1 + s2*s2)
}

// halfWeight returns how many modes of the full spectrum the half-spectrum
// index i stands for: 1 for the columns n₁ = 0 and n₁ = L/2 (closed under
// conjugation), 2 for the others (which also stand for their conjugates).
func halfWeight(l, i int) float64 {
	n1, _ := halfIndex(l, i)
	if n1 == 0 || 2*n1 == l {
		return 1
	}
	return 2
}

// wavenumber returns |k| = (k₁² + k₂²)^½ for the half-spectrum index i,
// with k_μ = 2πn_μ/L and n_μ taken in (−L/2, L/2].
func wavenumber(l, i int) float64 {
	n1, n2 := halfIndex(l, i)
	if 2*n2 > l {
		n2 -= l
	}
	k1 := 2 * math.Pi * float64(n1) / float64(l)
	k2 := 2 * math.Pi * float64(n2) / float64(l)
	return math.Hypot(k1, k2)
}
