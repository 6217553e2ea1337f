package geometry

import "gonum.org/v1/gonum/dsp/fourier"

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
	fft := fourier.NewCmplxFFT(n)
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
// field x (k1 the horizontal and k2 the vertical signed integer frequency).
// The two-dimensional transform is computed as one-dimensional transforms of
// the rows and then of the columns; the inverse carries the 1/n² normalisation.
func filter2D(x []float64, n int, w func(k1, k2 int) float64) []float64 {
	buf := make([]complex128, n*n)
	for i, v := range x {
		buf[i] = complex(v, 0)
	}
	fft := fourier.NewCmplxFFT(n)
	col := make([]complex128, n)
	transform2D(buf, n, col, fft.Coefficients)
	for y := 0; y < n; y++ {
		k2 := freqIndex(y, n)
		for xx := 0; xx < n; xx++ {
			buf[y*n+xx] *= complex(w(freqIndex(xx, n), k2), 0)
		}
	}
	transform2D(buf, n, col, fft.Sequence)
	out := make([]float64, n*n)
	scale := 1 / float64(n*n)
	for i, c := range buf {
		out[i] = real(c) * scale
	}
	return out
}

// transform2D applies the one-dimensional transform tr to every row and then
// to every column of the n×n row-major buffer buf, in place; col is scratch
// space of length n.
func transform2D(buf []complex128, n int, col []complex128, tr func(dst, src []complex128) []complex128) {
	for y := 0; y < n; y++ {
		row := buf[y*n : (y+1)*n]
		tr(row, row)
	}
	for x := 0; x < n; x++ {
		for y := 0; y < n; y++ {
			col[y] = buf[y*n+x]
		}
		tr(col, col)
		for y := 0; y < n; y++ {
			buf[y*n+x] = col[y]
		}
	}
}
