//go:build !wasm

package nn

// corrRow8 accumulates the 24 correlations
//
//	acc[3k+kx] += Σ_j d_k[j] · s[j+kx],   k = 0..7, kx = 0..2,
//
// the weight gradient of one (ci, ky) pair for eight output channels over a
// run of outputs. On register machines with 15 usable float registers
// (amd64) it runs as four blocks of two channels, which keeps the
// accumulators in registers (≈3× faster than one 24-accumulator loop).
func corrRow8(acc *[24]float32, d0, d1, d2, d3, d4, d5, d6, d7, s []float32) {
	corrRow2(acc[0:6], d0, d1, s)
	corrRow2(acc[6:12], d2, d3, s)
	corrRow2(acc[12:18], d4, d5, s)
	corrRow2(acc[18:24], d6, d7, s)
}
