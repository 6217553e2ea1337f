package nn

// Register-blocked inner loops of the 3×3 convolution in the stacked layout
// (see stack). Each call handles one input row offset (one ky) of one input
// channel over a flat run of outputs; the three horizontal taps are rolled
// through registers (a, b, c) so every input value is loaded once, and the
// eight output channels share that load. All slices are resliced to a common
// length first so that the compiler drops the bounds checks in the loops.

// convRow1 adds o[j] += w0·s[j] + w1·s[j+1] + w2·s[j+2] for j < len(o).
func convRow1(o, s []float32, w0, w1, w2 float32) {
	n := len(o)
	s = s[: n+2 : n+2]
	c := s[2:]
	o = o[:len(c)]
	a, b := s[0], s[1]
	for j, v := range c {
		o[j] += w0*a + w1*b + w2*v
		a, b = b, v
	}
}

// corrRow2 accumulates the six correlations
//
//	acc[3k+kx] += Σ_j d_k[j] · s[j+kx],   k = 0, 1, kx = 0..2,
//
// part of the weight gradient of one (ci, ky) pair over a run of outputs.
// Six accumulators, three rolling inputs and one gradient value fit the
// amd64 register file; corrRow8 combines these blocks per architecture.
// len(s) must be at least len(d0)+2 and d1 as long as d0.
func corrRow2(acc []float32, d0, d1, s []float32) {
	acc = acc[:6]
	n := len(d0)
	s = s[: n+2 : n+2]
	c := s[2:]
	d0, d1 = d0[:len(c)], d1[:len(c)]
	var a00, a01, a02, a10, a11, a12 float32
	a, b := s[0], s[1]
	for j, v := range c {
		g := d0[j]
		a00, a01, a02 = a00+g*a, a01+g*b, a02+g*v
		g = d1[j]
		a10, a11, a12 = a10+g*a, a11+g*b, a12+g*v
		a, b = b, v
	}
	acc[0] += a00
	acc[1] += a01
	acc[2] += a02
	acc[3] += a10
	acc[4] += a11
	acc[5] += a12
}

// corrRow3 is corrRow2 for three output channels (nine accumulators),
// acc[3k+kx] += Σ_j d_k[j] · s[j+kx] for k = 0..2.
func corrRow3(acc []float32, d0, d1, d2, s []float32) {
	acc = acc[:9]
	n := len(d0)
	s = s[: n+2 : n+2]
	c := s[2:]
	d0, d1, d2 = d0[:len(c)], d1[:len(c)], d2[:len(c)]
	var a00, a01, a02, a10, a11, a12, a20, a21, a22 float32
	a, b := s[0], s[1]
	for j, v := range c {
		g := d0[j]
		a00, a01, a02 = a00+g*a, a01+g*b, a02+g*v
		g = d1[j]
		a10, a11, a12 = a10+g*a, a11+g*b, a12+g*v
		g = d2[j]
		a20, a21, a22 = a20+g*a, a21+g*b, a22+g*v
		a, b = b, v
	}
	acc[0] += a00
	acc[1] += a01
	acc[2] += a02
	acc[3] += a10
	acc[4] += a11
	acc[5] += a12
	acc[6] += a20
	acc[7] += a21
	acc[8] += a22
}

// corrRow1 returns Σ_j d[j]·s[j+kx] for kx = 0, 1, 2; len(s) ≥ len(d)+2.
func corrRow1(d, s []float32) (r0, r1, r2 float32) {
	n := len(d)
	s = s[: n+2 : n+2]
	c := s[2:]
	d = d[:len(c)]
	a, b := s[0], s[1]
	for j, v := range c {
		g := d[j]
		r0, r1, r2 = r0+g*a, r1+g*b, r2+g*v
		a, b = b, v
	}
	return r0, r1, r2
}
