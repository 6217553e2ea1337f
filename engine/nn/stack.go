package nn

// stack describes the zero-padded "stacked" layout the 3×3 kernels work in.
// For one channel, the N images of size H×W are placed one below the other;
// a zero row precedes every image and follows the last one, and every row is
// preceded by one zero column, so rows have stride wp = W+1 and the zero
// column of row r+1 is also the right-hand padding of row r. Pixel (n, y, x)
// sits at
//
//	q(n, y, x) = (1 + n·(H+1) + y)·wp + 1 + x,
//
// and a 3×3 correlation with zero padding 1 becomes, for every q,
//
//	out[q] = Σ_{ky,kx} w[ky][kx] · in[q + (ky−1)·wp + kx − 1],
//
// a one-dimensional loop over the flat range [q0, q1) = [wp+1, N(H+1)·wp)
// whose only waste is the padding positions inside it. A channel plane holds
// (N(H+1)+1)·wp + 1 values (one spare zero at the end keeps the last read in
// range).
type stack struct {
	n, h, w int
	wp      int // row stride W+1
	plane   int // values per channel
	q0, q1  int // flat output range
}

func newStack(n, h, w int) stack {
	wp := w + 1
	rows := n*(h+1) + 1
	return stack{n: n, h: h, w: w, wp: wp, plane: rows*wp + 1, q0: wp + 1, q1: n * (h + 1) * wp}
}

// span returns q1 − q0, the length of the flat output range.
func (s stack) span() int { return max(s.q1-s.q0, 0) }

// pad writes channel c of x (all N images) into the plane dst in stacked
// layout, zeroing the padding.
func (s stack) pad(dst []float32, x *Tensor, c int) {
	dst = dst[:s.plane]
	wp, h, w := s.wp, s.h, s.w
	clear(dst[:wp]) // top zero row
	r := 1
	for n := 0; n < s.n; n++ {
		src := x.Plane(n, c)
		for y := 0; y < h; y++ {
			row := dst[r*wp : r*wp+wp]
			row[0] = 0
			copy(row[1:], src[y*w:y*w+w])
			r++
		}
		clear(dst[r*wp : r*wp+wp]) // zero row below image n
		r++
	}
	dst[s.plane-1] = 0
}

// scatter copies (or, with acc, adds) the flat values tile[0:len(tile)],
// which stand for positions [qa, qa+len(tile)), into channel c of out,
// skipping the padding positions.
func (s stack) scatter(out *Tensor, c int, tile []float32, qa int, acc bool) {
	qb := qa + len(tile)
	wp, h, w := s.wp, s.h, s.w
	for r := qa / wp; r*wp < qb; r++ {
		rr := r - 1
		if rr < 0 {
			continue
		}
		n, y := rr/(h+1), rr%(h+1)
		if y == h || n >= s.n {
			continue
		}
		rs := r * wp
		lo, hi := max(qa, rs+1), min(qb, rs+wp)
		if lo >= hi {
			continue
		}
		src := tile[lo-qa : hi-qa]
		o := out.Plane(n, c)[y*w+lo-rs-1:]
		o = o[:len(src)]
		if acc {
			for i, v := range src {
				o[i] += v
			}
		} else {
			copy(o, src)
		}
	}
}
