package wavelet

// filterBank holds the four filters of a periodic two-channel orthogonal
// filter bank, arranged so that analysis and synthesis are the same
// "two outputs, stride-2 correlation" kernel (see corr2).
//
// Analysis (Mallat, "A Wavelet Tour of Signal Processing", ch. 7, fast
// orthogonal wavelet transform, periodised):
//
//	a[k] = Σ_n h[n] x[(2k+n) mod N],   d[k] = Σ_n g[n] x[(2k+n) mod N].
//
// Synthesis, the transpose, written in polyphase form: with T = L/2, the
// interleaved sequence e[2i] = a[(i−T+1) mod M], e[2i+1] = d[(i−T+1) mod M]
// (M = N/2) and the filters
//
//	s0[2u] = h[L−2−2u], s0[2u+1] = g[L−2−2u],
//	s1[2u] = h[L−1−2u], s1[2u+1] = g[L−1−2u],   u = 0..T−1,
//
// it reads x[2i] = Σ_q s0[q] e[2i+q] and x[2i+1] = Σ_q s1[q] e[2i+q].
type filterBank struct {
	h, g   []float64 // analysis: low-pass h and high-pass g
	s0, s1 []float64 // synthesis: even and odd output phases
}

func newFilterBank(lo []float64) filterBank {
	l := len(lo)
	fb := filterBank{
		h:  append([]float64(nil), lo...),
		g:  highPass(make([]float64, l), lo),
		s0: make([]float64, l),
		s1: make([]float64, l),
	}
	for u := 0; u < l/2; u++ {
		fb.s0[2*u] = fb.h[l-2-2*u]
		fb.s0[2*u+1] = fb.g[l-2-2*u]
		fb.s1[2*u] = fb.h[l-1-2*u]
		fb.s1[2*u+1] = fb.g[l-1-2*u]
	}
	return fb
}

// extLen returns the length of the extended buffer needed for a line of
// length n: the kernels read e[0 .. n+L−3].
func (fb *filterBank) extLen(n int) int { return n + len(fb.h) - 2 }

// corr2 computes, for k = 0..len(o0)−1,
//
//	o0[k] = Σ_q f0[q] e[2k+q],   o1[k] = Σ_q f1[q] e[2k+q],
//
// with len(f0) = len(f1) = L even, len(o1) ≥ len(o0) and
// len(e) ≥ 2·len(o0) + L − 2. It does not allocate.
func corr2(o0, o1, e, f0, f1 []float64) {
	l := len(f0)
	f1 = f1[:l]
	o1 = o1[:len(o0)]
	for k := range o0 {
		s := e[2*k:]
		s = s[:l]
		var a0, a1, b0, b1 float64
		for q := 1; q < len(s); q += 2 {
			x0, x1 := s[q-1], s[q]
			a0 += f0[q-1] * x0
			b0 += f1[q-1] * x0
			a1 += f0[q] * x1
			b1 += f1[q] * x1
		}
		o0[k] = a0 + a1
		o1[k] = b0 + b1
	}
}

// corr2Interleave is corr2 writing o[2k] = o0[k] and o[2k+1] = o1[k], for
// k = 0..len(o)/2−1.
func corr2Interleave(o, e, f0, f1 []float64) {
	l := len(f0)
	f1 = f1[:l]
	for k := 0; k+1 < len(o); k += 2 {
		s := e[k:]
		s = s[:l]
		var a0, a1, b0, b1 float64
		for q := 1; q < len(s); q += 2 {
			x0, x1 := s[q-1], s[q]
			a0 += f0[q-1] * x0
			b0 += f1[q-1] * x0
			a1 += f0[q] * x1
			b1 += f1[q] * x1
		}
		o[k] = a0 + a1
		o[k+1] = b0 + b1
	}
}

// periodicExtend fills e[i] = e[i mod n] for i = n..len(e)−1, assuming
// e[0..n−1] already holds the line.
func periodicExtend(e []float64, n int) {
	for i := n; i < len(e); i++ {
		e[i] = e[i-n]
	}
}

// interleaveExtend fills e[2i] = a[(i−T+1) mod M], e[2i+1] = d[(i−T+1) mod M]
// for 2i+1 < len(e), with M = len(a) = len(d) and T = L/2, where a and d are
// read with strides stride from offsets a0 and d0 of data.
func interleaveExtend(e, data []float64, a0, d0, stride, m, t int) {
	idx := (m - (t-1)%m) % m
	for i := 0; 2*i+1 < len(e); i++ {
		e[2*i] = data[a0+idx*stride]
		e[2*i+1] = data[d0+idx*stride]
		idx++
		if idx == m {
			idx = 0
		}
	}
}

// analyzeLine replaces the n = len(x) samples of x by [a | d], the one-level
// periodic analysis, using e (len ≥ extLen(n)) as scratch.
func (fb *filterBank) analyzeLine(x, e []float64) {
	n := len(x)
	e = e[:fb.extLen(n)]
	copy(e, x)
	periodicExtend(e, n)
	corr2(x[:n/2], x[n/2:], e, fb.h, fb.g)
}

// synthesizeLine replaces x = [a | d] by the one-level periodic synthesis,
// using e (len ≥ extLen(len(x))) as scratch.
func (fb *filterBank) synthesizeLine(x, e []float64) {
	n := len(x)
	e = e[:fb.extLen(n)]
	interleaveExtend(e, x, 0, n/2, 1, n/2, len(fb.h)/2)
	corr2Interleave(x, e, fb.s0, fb.s1)
}

// analyzeColumn is analyzeLine for the n samples data[off + i·stride],
// using e (len ≥ extLen(n)) and lo, hi (len ≥ n/2) as scratch.
func (fb *filterBank) analyzeColumn(data []float64, off, stride, n int, e, lo, hi []float64) {
	e = e[:fb.extLen(n)]
	for i := range n {
		e[i] = data[off+i*stride]
	}
	periodicExtend(e, n)
	m := n / 2
	lo, hi = lo[:m], hi[:m]
	corr2(lo, hi, e, fb.h, fb.g)
	for k, v := range lo {
		data[off+k*stride] = v
	}
	off += m * stride
	for k, v := range hi {
		data[off+k*stride] = v
	}
}

// synthesizeColumn is synthesizeLine for the n samples data[off + i·stride],
// using e (len ≥ extLen(n)) and out (len ≥ n) as scratch.
func (fb *filterBank) synthesizeColumn(data []float64, off, stride, n int, e, out []float64) {
	e = e[:fb.extLen(n)]
	m := n / 2
	interleaveExtend(e, data, off, off+m*stride, stride, m, len(fb.h)/2)
	out = out[:n]
	corr2Interleave(out, e, fb.s0, fb.s1)
	for i, v := range out {
		data[off+i*stride] = v
	}
}

// colBlock is the number of adjacent columns filtered together by the
// blocked column kernels: one cache line of each row is read at a time and
// each filter tap is applied to colBlock columns at once.
const colBlock = 4

// corr2x4 is corr2 applied to colBlock interleaved columns: e holds rows of
// colBlock values, e[colBlock·i + c] is sample i of column c, and for
// k = 0..m−1 and c = 0..colBlock−1
//
//	data[o0 + k·step + c] = Σ_q f0[q] e[colBlock·(2k+q) + c],
//	data[o1 + k·step + c] = Σ_q f1[q] e[colBlock·(2k+q) + c].
func corr2x4(data []float64, o0, o1, step, m int, e, f0, f1 []float64) {
	l := len(f0)
	f1 = f1[:l]
	for k := range m {
		s := e[colBlock*2*k:]
		s = s[:colBlock*l]
		var a0, a1, a2, a3, b0, b1, b2, b3 float64
		for q, fq := range f0 {
			v := (*[colBlock]float64)(s[colBlock*q:])
			gq := f1[q]
			a0 += fq * v[0]
			a1 += fq * v[1]
			a2 += fq * v[2]
			a3 += fq * v[3]
			b0 += gq * v[0]
			b1 += gq * v[1]
			b2 += gq * v[2]
			b3 += gq * v[3]
		}
		d := data[o0+k*step:]
		d = d[:colBlock]
		d[0], d[1], d[2], d[3] = a0, a1, a2, a3
		d = data[o1+k*step:]
		d = d[:colBlock]
		d[0], d[1], d[2], d[3] = b0, b1, b2, b3
	}
}

// analyzeColumns4 is analyzeColumn for the colBlock adjacent columns
// starting at data[off], using e (len ≥ colBlock·extLen(n)) as scratch.
func (fb *filterBank) analyzeColumns4(data []float64, off, stride, n int, e []float64) {
	e = e[:colBlock*fb.extLen(n)]
	for i := range n {
		src := data[off+i*stride:]
		src = src[:colBlock]
		dst := e[colBlock*i:]
		dst = dst[:colBlock]
		dst[0], dst[1], dst[2], dst[3] = src[0], src[1], src[2], src[3]
	}
	periodicExtend(e, colBlock*n)
	m := n / 2
	corr2x4(data, off, off+m*stride, stride, m, e, fb.h, fb.g)
}

// synthesizeColumns4 is synthesizeColumn for the colBlock adjacent columns
// starting at data[off], using e (len ≥ colBlock·extLen(n)) as scratch.
func (fb *filterBank) synthesizeColumns4(data []float64, off, stride, n int, e []float64) {
	e = e[:colBlock*fb.extLen(n)]
	m := n / 2
	t := len(fb.h) / 2
	idx := (m - (t-1)%m) % m
	for i := 0; colBlock*(2*i+1) < len(e); i++ {
		a := data[off+idx*stride:]
		a = a[:colBlock]
		d := data[off+(m+idx)*stride:]
		d = d[:colBlock]
		ea := e[colBlock*2*i:]
		ea = ea[:2*colBlock]
		ea[0], ea[1], ea[2], ea[3] = a[0], a[1], a[2], a[3]
		ea[4], ea[5], ea[6], ea[7] = d[0], d[1], d[2], d[3]
		idx++
		if idx == m {
			idx = 0
		}
	}
	corr2x4(data, off, off+stride, 2*stride, m, e, fb.s0, fb.s1)
}
