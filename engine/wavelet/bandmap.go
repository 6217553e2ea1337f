package wavelet

import (
	"fmt"

	"scalewise/engine/fourier"
)

// maxBandSpectrum is the largest grid accepted by BandSpectrum; the map
// holds (3J+1)·n² values.
const maxBandSpectrum = 1024

// BandMap describes where the subspaces of a periodic 2-D wavelet basis live
// in the Fourier plane of an N×N grid.
//
// For level j = 1..Levels and band b ∈ {BandH, BandV, BandD}, and for the
// approximation (b = BandA, j = Levels only), Share[j][b][ky*N+kx] is the
// fraction of the energy of the pure frequency e_k[m] = e^{2πi k·m/N}/N
// (k = (kx, ky), unshifted DFT indices 0..N−1) captured by the band's
// subspace:
//
//	Share[j][b][k] = Σ_t |⟨e_k, ψ_{j,b,t}⟩|² = (N/2^j)² |ψ̂_{j,b}(k)|² / N²,
//
// where ψ_{j,b} is the band's basis function at position 0, ψ̂ its 2-D DFT,
// and the sum runs over its (N/2^j)² translates ψ_{j,b,t} by 2^j·t. As the
// bands form an orthonormal basis of the periodic grid (Mallat, "A Wavelet
// Tour of Signal Processing", ch. 7, periodic and separable wavelet bases), the shares at every frequency sum
// to 1. The detail entries of Share[0], and Share[j][BandA] for j ≠ Levels,
// are nil.
type BandMap struct {
	N, Levels int
	Share     [][4][]float64
}

// BandSpectrum computes the BandMap of the levels-level periodic transform
// of an n×n grid with wavelet w (n ≤ 1024, divisible by 2^levels). Each
// band's basis function is the inverse transform of a unit coefficient at
// position 0 of the band; its 2-D DFT is taken on the half spectrum
// (fourier.Plan2D.ForwardHalf), the other half of |ψ̂|² following from
// |ψ̂(−k)| = |ψ̂(k)| for the real ψ.
func BandSpectrum(w *Wavelet, n, levels int) (*BandMap, error) {
	if n > maxBandSpectrum {
		return nil, fmt.Errorf("wavelet: band spectrum of a %d×%d grid is too large (at most %d×%d)", n, n, maxBandSpectrum, maxBandSpectrum)
	}
	t, err := NewTransform(w, n, n, levels)
	if err != nil {
		return nil, err
	}
	m := &BandMap{N: n, Levels: levels, Share: make([][4][]float64, levels+1)}
	plan, err := fourier.NewPlan2D(n, n)
	if err != nil {
		return nil, err
	}
	h := plan.HalfCols()
	basis := make([]float64, n*n)
	spec := make([]complex128, plan.HalfLen())

	band := func(j, b int) {
		s := n >> j
		x0, y0 := 0, 0 // BandA
		switch b {
		case BandH:
			y0 = s
		case BandV:
			x0 = s
		case BandD:
			x0, y0 = s, s
		}
		clear(basis)
		basis[y0*n+x0] = 1
		_ = t.Inverse(basis, basis)       // sizes are valid by construction
		_ = plan.ForwardHalf(spec, basis) // likewise
		scale := float64(s*s) / float64(n*n)
		share := make([]float64, n*n)
		for ky := range n {
			for kx := range h {
				c := spec[ky*h+kx]
				share[ky*n+kx] = scale * (real(c)*real(c) + imag(c)*imag(c))
			}
		}
		for ky := range n { // share(k) = share(−k)
			for kx := h; kx < n; kx++ {
				share[ky*n+kx] = share[((n-ky)%n)*n+n-kx]
			}
		}
		m.Share[j][b] = share
	}
	for j := 1; j <= levels; j++ {
		for b := BandH; b <= BandD; b++ {
			band(j, b)
		}
	}
	band(levels, BandA)
	return m, nil
}

// Dominant returns, for each frequency index ky*N+kx, the code j*4+b of the
// band with the largest share (b = BandH, BandV, BandD, or BandA for the
// approximation at j = Levels), for colouring the Fourier plane. Ties go to
// the first band in the order of increasing j, then b.
func (m *BandMap) Dominant() []int {
	d := make([]int, m.N*m.N)
	best := make([]float64, m.N*m.N)
	for i := range best {
		best[i] = -1
	}
	for j, bands := range m.Share {
		for b, share := range bands {
			code := j*4 + b
			for i, v := range share {
				if i < len(best) && v > best[i] {
					best[i] = v
					d[i] = code
				}
			}
		}
	}
	return d
}
