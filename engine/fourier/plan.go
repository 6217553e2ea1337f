package fourier

import (
	"fmt"
	"math"
)

// MaxLen is the largest number of elements M·N a Plan2D accepts (2^28, i.e.
// 4 GiB of complex128 per field).
const MaxLen = 1 << 28

// colBlock is the number of adjacent columns gathered together by the column
// pass: 8 complex128 values are two 64-byte cache lines of a row.
const colBlock = 8

// Plan2D is a reusable plan for the 2-D DFT of M×N fields (M rows, N
// columns, row-major), with the conventions of the package documentation:
//
//	X[k_r, k_c] = Σ_{r,c} x[r, c] exp(−2πi (k_r r/M + k_c c/N))      (Forward, unnormalised),
//	x[r, c]     = (MN)⁻¹ Σ X[k_r, k_c] exp(+2πi (k_r r/M + k_c c/N)) (Inverse).
//
// It holds the 1-D transforms of both lengths and all scratch memory, so no
// method allocates. A Plan2D must not be used by
// several goroutines at once; it holds no global state, so one plan per
// goroutine is safe.
type Plan2D struct {
	m, n   int
	rowFFT *line        // length n
	colFFT *line        // length m (the same plan as rowFFT when m == n)
	blk    []complex128 // colBlock·m: a block of columns, column after column
	row    []complex128 // n: one packed row pair
	work   []complex128 // m·n: scratch of InverseReal and InverseHalf
}

// NewPlan2D returns a plan for M×N fields, m rows and n columns. It returns
// an error unless m ≥ 1, n ≥ 1 and m·n ≤ MaxLen.
func NewPlan2D(m, n int) (*Plan2D, error) { return newPlan2D(m, n, true) }

// newPlan2D is NewPlan2D; with radix false every axis uses FFTPACK, even a
// power-of-two one (for the benchmark of the two gonum back ends).
func newPlan2D(m, n int, radix bool) (*Plan2D, error) {
	if m < 1 || n < 1 {
		return nil, fmt.Errorf("fourier: size %d×%d must be positive", m, n)
	}
	if m > MaxLen/n {
		return nil, fmt.Errorf("fourier: size %d×%d has more than %d elements", m, n, MaxLen)
	}
	p := &Plan2D{
		m: m, n: n,
		rowFFT: newLine(n, radix),
		blk:    make([]complex128, colBlock*m),
		row:    make([]complex128, n),
		work:   make([]complex128, m*n),
	}
	if m == n {
		p.colFFT = p.rowFFT
	} else {
		p.colFFT = newLine(m, radix)
	}
	return p, nil
}

// Rows returns M, the number of rows.
func (p *Plan2D) Rows() int { return p.m }

// Cols returns N, the number of columns.
func (p *Plan2D) Cols() int { return p.n }

// Len returns M·N, the length of every field the plan transforms.
func (p *Plan2D) Len() int { return p.m * p.n }

func (p *Plan2D) checkLen(what string, l int) error {
	if l != p.m*p.n {
		return fmt.Errorf("fourier: %s has length %d, want %d×%d = %d", what, l, p.m, p.n, p.m*p.n)
	}
	return nil
}

// Forward stores in dst the unnormalised 2-D DFT of src,
//
//	dst[k_r·N + k_c] = Σ_{r,c} src[r·N + c] exp(−2πi (k_r r/M + k_c c/N)).
//
// dst may be src (in place). It returns an error unless both have length M·N.
func (p *Plan2D) Forward(dst, src []complex128) error {
	if err := p.checkLen("Forward source", len(src)); err != nil {
		return err
	}
	if err := p.checkLen("Forward destination", len(dst)); err != nil {
		return err
	}
	n := p.n
	for r := 0; r < p.m; r++ {
		p.rowFFT.forward(dst[r*n:(r+1)*n], src[r*n:(r+1)*n])
	}
	p.columns(dst, dst, false, 1)
	return nil
}

// Inverse stores in dst the inverse 2-D DFT of src, divided by M·N so that
// Inverse undoes Forward:
//
//	dst[r·N + c] = (MN)⁻¹ Σ_{k_r,k_c} src[k_r·N + k_c] exp(+2πi (k_r r/M + k_c c/N)).
//
// dst may be src (in place). It returns an error unless both have length M·N.
func (p *Plan2D) Inverse(dst, src []complex128) error {
	if err := p.checkLen("Inverse source", len(src)); err != nil {
		return err
	}
	if err := p.checkLen("Inverse destination", len(dst)); err != nil {
		return err
	}
	n := p.n
	for r := 0; r < p.m; r++ {
		p.rowFFT.backward(dst[r*n:(r+1)*n], src[r*n:(r+1)*n])
	}
	p.columns(dst, dst, true, 1/float64(p.m*p.n))
	return nil
}

// columns transforms every column of the M×N array src (forward, or
// backward when inverse is set), multiplies the result by scale and stores
// it in dst (dst may be src). Columns are processed colBlock at a time:
// gathered from src into p.blk (column after column), transformed, and
// scattered into dst.
func (p *Plan2D) columns(dst, src []complex128, inverse bool, scale float64) {
	m, w := p.m, p.n
	s := complex(scale, 0)
	if m == 1 {
		switch {
		case scale != 1:
			for i, v := range src {
				dst[i] = v * s
			}
		case &dst[0] != &src[0]:
			copy(dst, src)
		}
		return
	}
	for c0 := 0; c0 < w; c0 += colBlock {
		bw := min(colBlock, w-c0)
		for r := 0; r < m; r++ {
			row := src[r*w+c0 : r*w+c0+bw]
			for b, v := range row {
				p.blk[b*m+r] = v
			}
		}
		for b := 0; b < bw; b++ {
			col := p.blk[b*m : (b+1)*m]
			if inverse {
				p.colFFT.backward(col, col)
			} else {
				p.colFFT.forward(col, col)
			}
		}
		for r := 0; r < m; r++ {
			row := dst[r*w+c0 : r*w+c0+bw]
			if scale == 1 {
				for b := range row {
					row[b] = p.blk[b*m+r]
				}
				continue
			}
			for b := range row {
				row[b] = p.blk[b*m+r] * s
			}
		}
	}
}

// ForwardReal stores in dst the 2-D DFT of the real field src (the same
// numbers as Forward of src converted to complex; the spectrum is Hermitian,
// dst[−k] = dst[k]*). Rows are transformed in pairs packed as one complex row
// z = a + ib and separated by A(k) = (Z(k) + Z(−k)*)/2,
// B(k) = (Z(k) − Z(−k)*)/(2i). It returns an error unless len(src) = len(dst)
// = M·N.
func (p *Plan2D) ForwardReal(dst []complex128, src []float64) error {
	if err := p.checkLen("ForwardReal source", len(src)); err != nil {
		return err
	}
	if err := p.checkLen("ForwardReal destination", len(dst)); err != nil {
		return err
	}
	m, n := p.m, p.n
	z := p.row
	r := 0
	for ; r+1 < m; r += 2 {
		a, b := src[r*n:(r+1)*n], src[(r+1)*n:(r+2)*n]
		for c := range z {
			z[c] = complex(a[c], b[c])
		}
		p.rowFFT.forward(z, z)
		da, db := dst[r*n:(r+1)*n], dst[(r+1)*n:(r+2)*n]
		for k := range z {
			zk, zc := z[k], z[(n-k)%n]
			re, im := real(zk), imag(zk)
			cre, cim := real(zc), -imag(zc) // Z(−k)*
			da[k] = complex((re+cre)/2, (im+cim)/2)
			db[k] = complex((im-cim)/2, -(re-cre)/2)
		}
	}
	if r < m { // odd M: the last row alone
		a, d := src[r*n:(r+1)*n], dst[r*n:(r+1)*n]
		for c, v := range a {
			d[c] = complex(v, 0)
		}
		p.rowFFT.forward(d, d)
	}
	p.columns(dst, dst, false, 1)
	return nil
}

// InverseReal stores in dst the real part of the inverse 2-D DFT of src
// (divided by M·N, as Inverse); when src is Hermitian (the spectrum of a real
// field) this is the whole inverse. src is not modified. After the column
// pass, rows are inverted in pairs: with H(Y)(k) = (Y(k) + Y(−k)*)/2 the
// Hermitian part of a row, the inverse of H(Y_r) + i·H(Y_{r+1}) is
// Re y_r + i·Re y_{r+1}. It returns an error unless len(src) = len(dst) = M·N.
func (p *Plan2D) InverseReal(dst []float64, src []complex128) error {
	if err := p.checkLen("InverseReal source", len(src)); err != nil {
		return err
	}
	if err := p.checkLen("InverseReal destination", len(dst)); err != nil {
		return err
	}
	m, n := p.m, p.n
	w := p.work
	p.columns(w, src, true, 1/float64(m*n))
	z := p.row
	r := 0
	for ; r+1 < m; r += 2 {
		ya, yb := w[r*n:(r+1)*n], w[(r+1)*n:(r+2)*n]
		for k := range z {
			kc := (n - k) % n
			a, ac := ya[k], ya[kc]
			b, bc := yb[k], yb[kc]
			// H(a) = (a + ac*)/2, H(b) = (b + bc*)/2, z = H(a) + i H(b).
			har, hai := (real(a)+real(ac))/2, (imag(a)-imag(ac))/2
			hbr, hbi := (real(b)+real(bc))/2, (imag(b)-imag(bc))/2
			z[k] = complex(har-hbi, hai+hbr)
		}
		p.rowFFT.backward(z, z)
		da, db := dst[r*n:(r+1)*n], dst[(r+1)*n:(r+2)*n]
		for c, v := range z {
			da[c] = real(v)
			db[c] = imag(v)
		}
	}
	if r < m {
		y := w[r*n : (r+1)*n]
		p.rowFFT.backward(y, y)
		d := dst[r*n : (r+1)*n]
		for c, v := range y {
			d[c] = real(v)
		}
	}
	return nil
}

// SignedIndex returns the signed frequency index of FFT index k on an axis of
// length n: k for 0 ≤ k < (n+1)/2 and k − n otherwise (numpy.fft.fftfreq's
// convention, so the Nyquist index n/2 of an even n maps to −n/2).
func SignedIndex(k, n int) int {
	if k < (n+1)/2 {
		return k
	}
	return k - n
}

// AngularFrequency returns ω = 2π·SignedIndex(k, n)/n ∈ [−π, π), the angular
// frequency (radians per sample) of FFT index k on an axis of length n.
func AngularFrequency(k, n int) float64 {
	return 2 * math.Pi * float64(SignedIndex(k, n)) / float64(n)
}
