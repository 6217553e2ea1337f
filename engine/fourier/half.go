package fourier

import "fmt"

// Half spectra. A real field's spectrum is Hermitian, X[−k] = X[k]*, so
// the columns k_c = 0..N/2 hold all of it. ForwardHalf, InverseHalf and
// FilterHalf transform only those N/2+1 columns, and keep them internally
// column-major (in p.work, t[k_c·M + k_r]) so that the row pass writes the
// columns where the column pass transforms them in place, without the
// gather and scatter of Forward. This path is kept beside ForwardReal and
// InverseReal because it pays: measured with BenchmarkRealRoundTrip,
// BenchmarkHalfRoundTrip and BenchmarkFilterHalf (n×n, ns/op, median of 3,
// AMD EPYC under load, -cpu 1),
//
//	                                   64²       128²        256²
//	ForwardReal + InverseReal      143 000    703 000   2 673 000
//	ForwardHalf + InverseHalf       81 000    421 000   1 538 000
//	FilterHalf                      81 000    430 000   1 557 000
//	φ⁴'s former own transform       85 000    432 000   1 637 000
//
// The last row is the filter of engine/phi4's Fourier-accelerated HMC
// (BenchmarkFourierKinetic, same machine, back to back) before it moved
// onto FilterHalf, which computes the same bits.

// HalfCols returns N/2 + 1 (integer division), the number of columns of a
// half spectrum (see ForwardHalf).
func (p *Plan2D) HalfCols() int { return p.n/2 + 1 }

// HalfLen returns M·(N/2 + 1), the length of a half spectrum.
func (p *Plan2D) HalfLen() int { return p.m * (p.n/2 + 1) }

// ForwardHalf stores in dst the non-redundant half of the 2-D DFT X of the
// real field src, its columns k_c = 0..N/2 (numpy.fft.rfft2's layout):
//
//	dst[k_r·(N/2+1) + k_c] = X[k_r, k_c] = Σ_{r,c} src[r·N + c] exp(−2πi (k_r r/M + k_c c/N));
//
// the other columns follow from the Hermitian symmetry
// X[k_r, k_c] = X[−k_r mod M, N − k_c]*. Rows are transformed in pairs
// packed as one complex row, as in ForwardReal (Press et al., Numerical
// Recipes, §12.3), and only the N/2+1 kept columns are transformed. The
// values are those of ForwardReal on the kept columns, bit for bit. It
// returns an error unless len(src) = M·N and len(dst) = M·(N/2+1).
func (p *Plan2D) ForwardHalf(dst []complex128, src []float64) error {
	if err := p.checkLen("ForwardHalf source", len(src)); err != nil {
		return err
	}
	if err := p.checkHalfLen("ForwardHalf destination", len(dst)); err != nil {
		return err
	}
	p.forwardHalfT(src)
	m, h := p.m, p.n/2+1
	t := p.work
	for kc := range h { // t in order: its column stride M·16 bytes may alias in cache
		for kr, v := range t[kc*m : (kc+1)*m] {
			dst[kr*h+kc] = v
		}
	}
	return nil
}

// InverseHalf stores in dst the real field whose half spectrum (in the
// layout of ForwardHalf) is src, so that InverseHalf undoes ForwardHalf:
// the real part of the inverse 2-D DFT, divided by M·N as Inverse, of the
// full spectrum X equal to src on the columns k_c = 0..N/2 and to
// X[k_r, k_c] = src[−k_r mod M, N − k_c]* on the others,
//
//	dst[r·N + c] = (MN)⁻¹ Re Σ_{k_r,k_c} X[k_r, k_c] exp(+2πi (k_r r/M + k_c c/N)).
//
// (Columns 0 and N/2 are their own mirror images; only their Hermitian
// parts contribute.) The kept columns are inverted, then the rows in pairs:
// after the column pass every row holds a Hermitian sequence A on
// k_c = 0..N/2 (completed by A(−k) = A(k)*, real parts taken at k_c = 0 and
// N/2), and one backward transform of A_r + i·A_{r+1} gives row r in its
// real and row r+1 in its imaginary part. src is not modified. It returns
// an error unless len(src) = M·(N/2+1) and len(dst) = M·N.
func (p *Plan2D) InverseHalf(dst []float64, src []complex128) error {
	if err := p.checkHalfLen("InverseHalf source", len(src)); err != nil {
		return err
	}
	if err := p.checkLen("InverseHalf destination", len(dst)); err != nil {
		return err
	}
	m, h := p.m, p.n/2+1
	t := p.work
	for kc := range h {
		col := t[kc*m : (kc+1)*m]
		for kr := range col {
			col[kr] = src[kr*h+kc]
		}
	}
	p.inverseHalfT(dst, true)
	return nil
}

// FilterHalf stores in dst the filtering of the real field src by the real
// gain g given on the half spectrum (HalfLen values, in the layout of
// ForwardHalf),
//
//	dst = Re IDFT(G·DFT(src)),   G[k_r, k_c] = g[k_r·(N/2+1) + k_c] (k_c ≤ N/2),   G[k_r, k_c] = G[−k_r mod M, N − k_c] (k_c > N/2),
//
// the circular convolution of src with the real even kernel IDFT(G). g
// must be even on the self-mirrored columns k_c = 0 and N/2,
// g[k_r, k_c] = g[−k_r mod M, k_c], as the gain of a real even kernel is:
// FilterHalf applies it as given and, unlike InverseHalf, uses the inverted
// columns 0 and N/2 whole rather than their real parts, so a gain even only
// to rounding (one computed from sin(πk/M) at k and M − k, say) gives the
// filtering to rounding, and an odd part would leak between pairs of rows.
// It agrees with ForwardHalf, the product and InverseHalf to rounding,
// without leaving the internal column-major layout. dst may be src. It
// returns an error unless len(dst) = len(src) = M·N and len(g) = M·(N/2+1).
func (p *Plan2D) FilterHalf(dst, src, g []float64) error {
	if err := p.checkLen("FilterHalf source", len(src)); err != nil {
		return err
	}
	if err := p.checkLen("FilterHalf destination", len(dst)); err != nil {
		return err
	}
	if err := p.checkHalfLen("FilterHalf gain", len(g)); err != nil {
		return err
	}
	p.forwardHalfT(src)
	m, h := p.m, p.n/2+1
	t := p.work
	for kc := range h {
		col := t[kc*m : (kc+1)*m]
		for kr := range col {
			col[kr] *= complex(g[kr*h+kc], 0)
		}
	}
	p.inverseHalfT(dst, false)
	return nil
}

// forwardHalfT stores the half spectrum of the real field src in p.work,
// column-major: t[k_c·M + k_r] = X[k_r, k_c] for k_c = 0..N/2.
func (p *Plan2D) forwardHalfT(src []float64) {
	m, n, h := p.m, p.n, p.n/2+1
	t, z := p.work, p.row
	r := 0
	for ; r+1 < m; r += 2 {
		a, b := src[r*n:(r+1)*n], src[(r+1)*n:(r+2)*n]
		for c := range z {
			z[c] = complex(a[c], b[c])
		}
		p.rowFFT.forward(z, z)
		for k := range h {
			j := n - k
			if k == 0 {
				j = 0
			}
			zk, zc := z[k], z[j]
			re, im := real(zk), imag(zk)
			cre, cim := real(zc), -imag(zc) // Z(−k)*
			t[k*m+r] = complex((re+cre)/2, (im+cim)/2)
			t[k*m+r+1] = complex((im-cim)/2, -(re-cre)/2)
		}
	}
	if r < m { // odd M: the last row alone
		for c, v := range src[r*n : (r+1)*n] {
			z[c] = complex(v, 0)
		}
		p.rowFFT.forward(z, z)
		for k := range h {
			t[k*m+r] = z[k]
		}
	}
	if m > 1 {
		for k := range h {
			col := t[k*m : (k+1)*m]
			p.colFFT.forward(col, col)
		}
	}
}

// inverseHalfT stores in dst the real field whose half spectrum is in
// p.work, column-major as left by forwardHalfT (see InverseHalf); p.work is
// overwritten. With project set, only the real parts of the column-inverted
// columns 0 and N/2 are used (their Hermitian parts, exactly); otherwise
// they are used whole, which differs from that by the rounding error of
// their imaginary parts when the columns are Hermitian to rounding.
func (p *Plan2D) inverseHalfT(dst []float64, project bool) {
	m, n, h := p.m, p.n, p.n/2+1
	t, z := p.work, p.row
	if m > 1 {
		for k := range h {
			col := t[k*m : (k+1)*m]
			p.colFFT.backward(col, col)
		}
	}
	norm := 1 / float64(m*n)
	nyq := n%2 == 0 && n > 1 // column N/2 is its own mirror image
	r := 0
	for ; r+1 < m; r += 2 {
		for k := 0; k < h; k++ {
			a, b := t[k*m+r], t[k*m+r+1]
			z[k] = complex(real(a)-imag(b), imag(a)+real(b)) // a + ib
			// The mirror image N − k, unless k is 0 or N/2 (self-mirrored).
			if k > 0 && n-k > k {
				z[n-k] = complex(real(a)+imag(b), real(b)-imag(a)) // a* + ib*
			}
		}
		if project {
			z[0] = complex(real(t[r]), real(t[r+1]))
			if nyq {
				k := n / 2
				z[k] = complex(real(t[k*m+r]), real(t[k*m+r+1]))
			}
		}
		p.rowFFT.backward(z, z)
		da, db := dst[r*n:(r+1)*n], dst[(r+1)*n:(r+2)*n]
		for c, v := range z {
			da[c] = real(v) * norm
			db[c] = imag(v) * norm
		}
	}
	if r < m { // odd M: the last row alone
		for k := 0; k < h; k++ {
			v := t[k*m+r]
			z[k] = v
			if k > 0 && n-k > k {
				z[n-k] = complex(real(v), -imag(v))
			}
		}
		if project {
			z[0] = complex(real(t[r]), 0)
			if nyq {
				z[n/2] = complex(real(t[(n/2)*m+r]), 0)
			}
		}
		p.rowFFT.backward(z, z)
		d := dst[r*n : (r+1)*n]
		for c, v := range z {
			d[c] = real(v) * norm
		}
	}
}

func (p *Plan2D) checkHalfLen(what string, l int) error {
	if want := p.HalfLen(); l != want {
		return fmt.Errorf("fourier: %s has length %d, want %d×%d = %d (a half spectrum)", what, l, p.m, p.n/2+1, want)
	}
	return nil
}
