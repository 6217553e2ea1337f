package geometry

import (
	gonumfft "gonum.org/v1/gonum/dsp/fourier"

	"scalewise/engine/fourier"
)

// freqIndex returns the signed integer frequency k of bin i of a length-n
// discrete Fourier transform: k = i for i ≤ n/2 and k = i − n otherwise, so
// that |k| is symmetric under k → −k (for even n the Nyquist bin has |k| = n/2).
func freqIndex(i, n int) int {
	if i <= n/2 {
		return i
	}
	return i - n
}

// filter1D returns Re IDFT(w(k)·DFT(x)) for a real sequence x, where k is the
// signed integer frequency (see freqIndex) and the inverse transform carries
// the 1/n normalisation, so that w ≡ 1 reproduces x. With w(k) = w(−k) the
// result is real up to rounding.
func filter1D(x []float64, w func(k int) float64) []float64 {
	n := len(x)
	fft := gonumfft.NewCmplxFFT(n)
	buf := make([]complex128, n)
	for i, v := range x {
		buf[i] = complex(v, 0)
	}
	fft.Coefficients(buf, buf)
	for i := range buf {
		buf[i] *= complex(w(freqIndex(i, n)), 0)
	}
	fft.Sequence(buf, buf)
	out := make([]float64, n)
	for i, c := range buf {
		out[i] = real(c) / float64(n)
	}
	return out
}

// filter2D returns Re IDFT₂(w(k1, k2)·DFT₂(x)) for a real n×n row-major
// field x (k1 the horizontal and k2 the vertical signed integer frequency)
// and an even weight, w(−k1, −k2) = w(k1, k2) (on the Nyquist line
// freqIndex gives +n/2 for both signs), with the 1/n² normalisation on the
// inverse. The weight is sampled on the half spectrum k1 ≥ 0 and applied
// by fourier.Plan2D.FilterHalf; n ≥ 1.
func filter2D(x []float64, n int, w func(k1, k2 int) float64) []float64 {
	plan, _ := fourier.NewPlan2D(n, n) // n ≤ CAlphaMaxSize
	h := plan.HalfCols()
	g := make([]float64, plan.HalfLen())
	for y := 0; y < n; y++ {
		k2 := freqIndex(y, n)
		for xx := 0; xx < h; xx++ {
			g[y*h+xx] = w(freqIndex(xx, n), k2)
		}
	}
	out := make([]float64, n*n)
	_ = plan.FilterHalf(out, x, g) // sizes match
	return out
}
