package nn

// Register-blocked inner loops of the 3×3 convolution in the stacked layout
// (see stack). Each call handles one input row offset (one ky) of one input
// channel over a flat run of outputs; the three horizontal taps are rolled
// through registers (a, b, c) so every input value is loaded once, and the
// eight output channels share that load. All slices are resliced to a common
// length first so that the compiler drops the bounds checks in the loops.

// convRow8 adds, for k = 0..7 and j < len(o0),
//
//	o_k[j] += w[3k]·s[j] + w[3k+1]·s[j+1] + w[3k+2]·s[j+2].
//
// len(s) must be at least len(o0)+2 and every o_k as long as o0.
func convRow8(o0, o1, o2, o3, o4, o5, o6, o7, s []float32, w *[24]float32) {
	n := len(o0)
	s = s[: n+2 : n+2]
	c := s[2:]
	o1, o2, o3 = o1[:len(c)], o2[:len(c)], o3[:len(c)]
	o4, o5, o6, o7 = o4[:len(c)], o5[:len(c)], o6[:len(c)], o7[:len(c)]
	o0 = o0[:len(c)]
	w00, w01, w02 := w[0], w[1], w[2]
	w10, w11, w12 := w[3], w[4], w[5]
	w20, w21, w22 := w[6], w[7], w[8]
	w30, w31, w32 := w[9], w[10], w[11]
	w40, w41, w42 := w[12], w[13], w[14]
	w50, w51, w52 := w[15], w[16], w[17]
	w60, w61, w62 := w[18], w[19], w[20]
	w70, w71, w72 := w[21], w[22], w[23]
	a, b := s[0], s[1]
	for j, v := range c {
		o0[j] += w00*a + w01*b + w02*v
		o1[j] += w10*a + w11*b + w12*v
		o2[j] += w20*a + w21*b + w22*v
		o3[j] += w30*a + w31*b + w32*v
		o4[j] += w40*a + w41*b + w42*v
		o5[j] += w50*a + w51*b + w52*v
		o6[j] += w60*a + w61*b + w62*v
		o7[j] += w70*a + w71*b + w72*v
		a, b = b, v
	}
}

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

// corrRow8 accumulates the 24 correlations
//
//	acc[3k+kx] += Σ_j d_k[j] · s[j+kx],   k = 0..7, kx = 0..2,
//
// the weight gradient of one (ci, ky) pair over a run of outputs.
// len(s) must be at least len(d0)+2 and every d_k as long as d0.
func corrRow8(acc *[24]float32, d0, d1, d2, d3, d4, d5, d6, d7, s []float32) {
	n := len(d0)
	s = s[: n+2 : n+2]
	c := s[2:]
	d0, d1, d2, d3 = d0[:len(c)], d1[:len(c)], d2[:len(c)], d3[:len(c)]
	d4, d5, d6, d7 = d4[:len(c)], d5[:len(c)], d6[:len(c)], d7[:len(c)]
	var (
		a00, a01, a02 float32
		a10, a11, a12 float32
		a20, a21, a22 float32
		a30, a31, a32 float32
		a40, a41, a42 float32
		a50, a51, a52 float32
		a60, a61, a62 float32
		a70, a71, a72 float32
	)
	a, b := s[0], s[1]
	for j, v := range c {
		g := d0[j]
		a00, a01, a02 = a00+g*a, a01+g*b, a02+g*v
		g = d1[j]
		a10, a11, a12 = a10+g*a, a11+g*b, a12+g*v
		g = d2[j]
		a20, a21, a22 = a20+g*a, a21+g*b, a22+g*v
		g = d3[j]
		a30, a31, a32 = a30+g*a, a31+g*b, a32+g*v
		g = d4[j]
		a40, a41, a42 = a40+g*a, a41+g*b, a42+g*v
		g = d5[j]
		a50, a51, a52 = a50+g*a, a51+g*b, a52+g*v
		g = d6[j]
		a60, a61, a62 = a60+g*a, a61+g*b, a62+g*v
		g = d7[j]
		a70, a71, a72 = a70+g*a, a71+g*b, a72+g*v
		a, b = b, v
	}
	acc[0], acc[1], acc[2] = acc[0]+a00, acc[1]+a01, acc[2]+a02
	acc[3], acc[4], acc[5] = acc[3]+a10, acc[4]+a11, acc[5]+a12
	acc[6], acc[7], acc[8] = acc[6]+a20, acc[7]+a21, acc[8]+a22
	acc[9], acc[10], acc[11] = acc[9]+a30, acc[10]+a31, acc[11]+a32
	acc[12], acc[13], acc[14] = acc[12]+a40, acc[13]+a41, acc[14]+a42
	acc[15], acc[16], acc[17] = acc[15]+a50, acc[16]+a51, acc[17]+a52
	acc[18], acc[19], acc[20] = acc[18]+a60, acc[19]+a61, acc[20]+a62
	acc[21], acc[22], acc[23] = acc[21]+a70, acc[22]+a71, acc[23]+a72
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
