// Package fourier computes two-dimensional discrete Fourier transforms of
// complex and real fields of any size M×N (rows × columns, not only powers
// of two) with reusable plans.
//
// # Convention
//
// A field is stored row-major, x[r·N + c] for row r = 0..M−1 and column
// c = 0..N−1, and so is its spectrum, X[k_r·N + k_c]. The forward transform is
// unnormalised and the inverse divides by MN:
//
//	X[k_r, k_c] = Σ_{r,c} x[r, c] exp(−2πi (k_r r/M + k_c c/N)),
//	x[r, c]     = (MN)⁻¹ Σ_{k_r,k_c} X[k_r, k_c] exp(+2πi (k_r r/M + k_c c/N)),
//
// so Inverse(Forward(x)) = x and Parseval reads Σ|x|² = (MN)⁻¹ Σ|X|².
// Index k of a length-n axis stands for the signed frequency SignedIndex(k, n)
// (k for k < (n+1)/2, k − n otherwise, as numpy.fft.fftfreq), i.e. the angular
// frequency ω = 2π·SignedIndex(k, n)/n in [−π, π).
//
// # Algorithm and backend
//
// The 2-D transform is separable: a 1-D transform of every row, then of every
// column (row–column algorithm; Cooley & Tukey, Math. Comp. 19, 297 (1965)).
// Columns are gathered in blocks of adjacent columns into a contiguous buffer
// so that each row is read a cache line at a time. The 1-D transforms are
// gonum's dsp/fourier: the in-place CoefficientsRadix4/CoefficientsRadix2 on
// power-of-two axes up to MaxRadixLen, and CmplxFFT (a Go port of FFTPACK:
// radix 2, 3, 4, 5 and a generic odd-factor pass) on every other length.
//
// Measured with BenchmarkFFT2 (one forward n×n complex transform, ns/op,
// median of 3, AMD EPYC under load, -cpu 1; js/wasm in Node 20):
//
//	                         64²         96²        128²        256²
//	native  Plan2D       105 000     636 000     478 000   1 828 000
//	        FFTPACK      342 000     686 000   1 402 000   4 572 000
//	        go-dsp     1 135 000  13 119 000   4 377 000  13 410 000
//	wasm    Plan2D       226 000   2 426 000     861 000   2 660 000
//	        FFTPACK      885 000   2 405 000   4 113 000  16 201 000
//	        go-dsp     3 836 000  24 479 000   7 507 000  20 123 000
//
// (FFTPACK: CmplxFFT on every axis; go-dsp: github.com/mjibson/go-dsp/fft.FFT2,
// which also allocates its result and a column per call, starts goroutines
// per call and keeps global twiddle caches). go-dsp is slower at every size,
// so it is used only in the benchmark.
//
// Real fields are transformed two rows at a time packed into one complex row,
// z = a + ib, and separated by A(k) = (Z(k) + Z(−k)*)/2, B(k) = (Z(k) − Z(−k)*)/(2i)
// (the "two real FFTs for the price of one" identity; Press et al., Numerical
// Recipes, §12.3); InverseReal uses the same identity backwards.
// ForwardHalf, InverseHalf and FilterHalf do the same on the N/2+1
// non-redundant columns of the Hermitian spectrum only (numpy.fft.rfft2's
// layout), at about 0.6 of the cost of ForwardReal and InverseReal.
//
// A Plan2D owns its scratch memory: after NewPlan2D no method allocates, and
// for the same reason a plan must be used by one goroutine at a time (make one
// plan per goroutine; plans hold no global state).
package fourier
