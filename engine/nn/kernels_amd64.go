//go:build amd64 && !purego

package nn

import "golang.org/x/sys/cpu"

// haveAVX2 reports whether the CPU (and the OS, which must save the YMM
// registers) runs the AVX2 and FMA instructions of conv3x3_avx2_amd64.s.
var haveAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// fastKernels returns the AVX2 kernel set where the CPU has AVX2 and FMA.
func fastKernels() convKernels {
	if haveAVX2 {
		return avx2Kernels{}
	}
	return nil
}

// Assembly micro-kernels (conv3x3_avx2_amd64.s).

//go:noescape
func conv4x24AVX2(dst *float32, dstStride int, src *float32, plane, wp int, w *float32, cin, nblk int)

//go:noescape
func conv4x8AVX2(dst *float32, dstStride int, src *float32, plane, wp int, w *float32, cin, nblk int)

//go:noescape
func corr4x3AVX2(acc *float32, d *float32, x *float32, plane, wp, nci, nvec int)

// avx2Kernels is the AVX2 + FMA kernel set. The forward kernel computes
// four output channels × 24 positions per block, twelve 8-lane accumulators
// held in registers over all 9·cin taps (each input vector loaded once for
// the four channels, each weight broadcast once for the three vectors). The
// weight gradient correlates four output channels with the three
// horizontal taps of one (ci, ky) pair, twelve 8-lane accumulators summed
// across lanes once per task. Go's simd/archsimd (GOEXPERIMENT=simd) was
// measured on the same 4×24 block at 32 GFLOP/s against 95 for this
// assembly: it has no broadcast from memory and its only FMA form
// overwrites a multiplicand, so the accumulators spill.
type avx2Kernels struct{}

// avx2Tile is the forward tile: a multiple of 24 (the block) close to
// tileLen.
const avx2Tile = 480

// avx2CorrTile is the run of positions the weight gradient streams per
// call: four output-gradient rows of it (8 KB) stay in L1 while every input
// channel of the task passes over them.
const avx2CorrTile = 512

func (avx2Kernels) name() string { return KernelAVX2 }
func (avx2Kernels) group() int   { return 4 }
func (avx2Kernels) tile() int    { return avx2Tile }

// pack reorders each full group g of four output channels to
// [ci][ky][kx][m]: dst[g·36·cin + 36ci + 4(3ky+kx) + m] = w[4g+m][ci][ky][kx].
func (avx2Kernels) pack(dst, w []float32, cout, cin int) {
	groups := cout / 4
	for g := 0; g < groups; g++ {
		d := dst[g*36*cin : (g+1)*36*cin]
		for m := 0; m < 4; m++ {
			src := w[(4*g+m)*cin*9 : (4*g+m+1)*cin*9]
			for ci := 0; ci < cin; ci++ {
				s, dc := src[9*ci:9*ci+9], d[36*ci:36*ci+36]
				for t, v := range s {
					dc[4*t+m] = v
				}
			}
		}
	}
	copy(dst[groups*36*cin:cout*cin*9], w[groups*36*cin:cout*cin*9])
}

func (avx2Kernels) conv(o, in, wg []float32, s stack, cin, qa, n int, scratch *[]float32) {
	if n <= 0 || cin <= 0 {
		return
	}
	plane, wp := s.plane, s.wp
	base := qa - wp - 1 // top-left tap of position qa
	// The assembly reads in[ci·plane + base + j + ky·wp + kx] for j < n;
	// these checks keep every access inside the slices.
	_ = in[(cin-1)*plane+base+n-1+2*wp+2]
	_ = o[4*n-1]
	_ = wg[36*cin-1]
	nb := n / 24
	conv4x24AVX2(&o[0], n, &in[base], plane, wp, &wg[0], cin, nb)
	p := 24 * nb
	if nb8 := (n - p) / 8; nb8 > 0 {
		conv4x8AVX2(&o[p], n, &in[base+p], plane, wp, &wg[0], cin, nb8)
		p += 8 * nb8
	}
	if r := n - p; r > 0 {
		// The last r < 8 positions: copy the three input rows of each
		// channel, zero-extended, into a small stacked layout (plane 32,
		// row stride 10) and run one 8-wide block on it.
		*scratch = grow(*scratch, cin*32+32)
		mini, out := (*scratch)[:cin*32], (*scratch)[cin*32:cin*32+32]
		for ci := 0; ci < cin; ci++ {
			for ky := 0; ky < 3; ky++ {
				row := mini[ci*32+ky*10 : ci*32+ky*10+10]
				src := in[ci*plane+base+p+ky*wp:]
				copy(row, src[:r+2])
				clear(row[r+2:])
			}
		}
		conv4x8AVX2(&out[0], 8, &mini[0], 32, 10, &wg[0], cin, 1)
		for k := 0; k < 4; k++ {
			copy(o[k*n+p:k*n+n], out[8*k:8*k+r])
		}
	}
}

func (avx2Kernels) corr(dw, x, d []float32, s stack, cin, co0, c0, c1 int, scratch *[]float32) {
	nc := c1 - c0
	if nc <= 0 {
		return
	}
	plane, wp := s.plane, s.wp
	*scratch = grow(*scratch, nc*36*8+128+nc*32)
	acc := (*scratch)[:nc*36*8]
	clear(acc)
	for qa := s.q0; qa < s.q1; qa += avx2CorrTile {
		n := min(avx2CorrTile, s.q1-qa)
		n8 := n &^ 7
		if n8 > 0 {
			_ = d[(co0+3)*plane+qa+n8-1]
			_ = x[(c1-1)*plane+qa+n8-1+wp+1]
			corr4x3AVX2(&acc[0], &d[co0*plane+qa], &x[c0*plane+qa-wp-1], plane, wp, nc, n8/8)
		}
		if r := n - n8; r > 0 {
			// The last r < 8 positions, zero-extended into a small
			// stacked layout (plane 32, row stride 10) as in conv.
			q := qa + n8
			dm := (*scratch)[nc*36*8 : nc*36*8+128]
			xm := (*scratch)[nc*36*8+128 : nc*36*8+128+nc*32]
			for k := 0; k < 4; k++ {
				copy(dm[32*k:32*k+r], d[(co0+k)*plane+q:])
				clear(dm[32*k+r : 32*k+8])
			}
			for ci := 0; ci < nc; ci++ {
				for ky := 0; ky < 3; ky++ {
					row := xm[ci*32+ky*10 : ci*32+ky*10+10]
					copy(row, x[(c0+ci)*plane+q-wp-1+ky*wp:][:r+2])
					clear(row[r+2:])
				}
			}
			corr4x3AVX2(&acc[0], &dm[0], &xm[0], 32, 10, nc, 1)
		}
	}
	// acc[((3ci + ky)·12 + 3k + kx)·8 + l]: sum the lanes.
	for ci := 0; ci < nc; ci++ {
		for ky := 0; ky < 3; ky++ {
			for k := 0; k < 4; k++ {
				for kx := 0; kx < 3; kx++ {
					dw[((co0+k)*cin+c0+ci)*9+3*ky+kx] += sumLanes8((*[8]float32)(acc[((3*ci+ky)*12+3*k+kx)*8:]))
				}
			}
		}
	}
}

//go:noescape
func gemm4x24AVX2(dst *float32, dstStride int, src *float32, srcStride int, w *float32, k, nblk int)

//go:noescape
func gemm4x8AVX2(dst *float32, dstStride int, src *float32, srcStride int, w *float32, k, nblk int)

//go:noescape
func dot4x3AVX2(acc *float32, a *float32, aStride int, b *float32, bStride, nvec int)

func (avx2Kernels) gemm4(dst []float32, ds int, src []float32, ss int, w []float32, k, n int) {
	if n <= 0 || k <= 0 {
		return
	}
	_ = dst[3*ds+n-1]
	_ = src[(k-1)*ss+n-1]
	_ = w[4*k-1]
	nb := n / 24
	gemm4x24AVX2(&dst[0], ds, &src[0], ss, &w[0], k, nb)
	p := 24 * nb
	if nb8 := (n - p) / 8; nb8 > 0 {
		gemm4x8AVX2(&dst[p], ds, &src[p], ss, &w[0], k, nb8)
		p += 8 * nb8
	}
	for ; p < n; p++ {
		var a [4]float32
		for i := 0; i < k; i++ {
			v := src[i*ss+p]
			wi := w[4*i : 4*i+4]
			a[0] += wi[0] * v
			a[1] += wi[1] * v
			a[2] += wi[2] * v
			a[3] += wi[3] * v
		}
		dst[p], dst[ds+p], dst[2*ds+p], dst[3*ds+p] = a[0], a[1], a[2], a[3]
	}
}

func (avx2Kernels) dot4x3(acc, a []float32, as int, b []float32, bs int, n int) {
	if n <= 0 {
		return
	}
	_ = acc[95]
	_ = a[3*as+n-1]
	_ = b[2*bs+n-1]
	n8 := n &^ 7
	if n8 > 0 {
		dot4x3AVX2(&acc[0], &a[0], as, &b[0], bs, n8/8)
	}
	for p := n8; p < n; p++ {
		for m := 0; m < 4; m++ {
			for j := 0; j < 3; j++ {
				acc[(3*m+j)*8] += a[m*as+p] * b[j*bs+p]
			}
		}
	}
}
