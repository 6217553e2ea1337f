package scattering

import (
	"cmp"
	"math"
	"slices"
)

// The recommended marginal term, the default of the command line's
// syntheses and of the page (SynthOptions.Histogram and
// HistogramQuantiles): the scattering spectra of a single field do not pin
// its one-point marginal (measured by scalewise scat validate, seed 1: the
// marginal total variation of a synthesis from the spectra alone is 0.08–0.18
// for φ⁴, a Zel'dovich density and C^α images, 0.003–0.015 with this
// term). The synthesis code of Cheng et al., "Scattering Spectra Models
// for Physics" (2024), has the same optional sorted-pixel histogram term.
const (
	// DefaultMarginalWeight is the term's weight: 1 would weigh the
	// relative marginal error W₂/σ as much as the relative statistic error.
	DefaultMarginalWeight = 0.3
	// DefaultMarginalQuantiles is its number of quantile-block means: the
	// synthesis matches this many marginal statistics besides the spectra.
	DefaultMarginalQuantiles = 64
)

// marginal is the optional marginal-matching term of a Synthesis
// (SynthOptions.Histogram): the squared 1-D Wasserstein-2 distance between
// the pixel marginals of x and of the target, computed from their sorted
// values (the quantile functions), optionally averaged over K blocks of
// equal pixel count ("quantile blocks").
//
// With n pixels sorted, x_(1) ≤ … ≤ x_(n), and the ranks cut into K
// consecutive blocks B_k = {⌊(k−1)n/K⌋+1, …, ⌊kn/K⌋} (sizes n_k, equal to
// within one), the block means of the sorted values are
//
//	m_k(x) = (1/n_k) Σ_{r∈B_k} x_(r),
//
// K numbers that summarise the marginal (for K = n they are the whole
// sorted field), and the term is
//
//	ℓ_h(x) = c · Σ_k (n_k/n) (m_k(x) − m_k(t))²,   c = Histogram · Σ_i w_i Φ_i(t)² / σ_t²
//
// with σ_t the target's standard deviation: ℓ_h/Σ w_i Φ_i(t)² =
// Histogram · (W₂/σ_t)², so Histogram = 1 weighs the relative marginal
// error W₂/σ_t (K = n: the exact Wasserstein-2 distance; K < n: that of the
// block-averaged quantile functions, a lower bound) as much as the relative
// statistic error RelErr. Since x ↦ x_(r) is linear wherever the ranks do
// not change (almost everywhere), ∂m_k/∂x_i = 1/n_k for the pixel i of
// rank r(i) ∈ B_k and 0 otherwise, so
//
//	∂ℓ_h/∂x_i = (2c/n) (m_k(x) − m_k(t)),   k the block of r(i),
//
// exact almost everywhere. One evaluation sorts the n pixels (O(n log n),
// small beside the scattering spectra) in a preallocated buffer.
type marginal struct {
	c     float64   // the factor c above (0: the term is off)
	bnd   []int     // block boundaries in rank order, K+1 values from 0 to n
	tmean []float64 // the target's block means m_k(t)
	tstd  float64   // σ_t
	ord   []spRank  // scratch: the pixels sorted by value
	d     []float64 // scratch: m_k(x) − m_k(t)
}

// spRank is a pixel value and its index.
type spRank struct {
	v float64
	i int32
}

// newMarginal prepares the term for the target t (not constant) with k
// blocks (1 ≤ k ≤ len(t)) and factor c ≥ 0.
func newMarginal(t []float64, k int, c float64) *marginal {
	n := len(t)
	m := &marginal{c: c, bnd: make([]int, k+1), tmean: make([]float64, k),
		ord: make([]spRank, n), d: make([]float64, k)}
	for b := range m.bnd {
		m.bnd[b] = b * n / k
	}
	_, m.tstd = spMeanStd(t)
	m.blockMeans(t, m.tmean)
	return m
}

// blockMeans sorts x into m.ord and stores its block means m_k(x) in dst.
func (m *marginal) blockMeans(x, dst []float64) {
	for i, v := range x {
		m.ord[i] = spRank{v, int32(i)}
	}
	slices.SortFunc(m.ord, func(a, b spRank) int {
		if c := cmp.Compare(a.v, b.v); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i) // ties in a deterministic order
	})
	for k := range dst {
		var s float64
		for _, p := range m.ord[m.bnd[k]:m.bnd[k+1]] {
			s += p.v
		}
		dst[k] = s / float64(m.bnd[k+1]-m.bnd[k])
	}
}

// dist2 sorts x and returns Σ_k (n_k/n)(m_k(x) − m_k(t))² (the squared
// W₂ distance of the block-averaged quantile functions), leaving
// m_k(x) − m_k(t) in m.d.
func (m *marginal) dist2(x []float64) float64 {
	m.blockMeans(x, m.d)
	n := float64(len(x))
	var s float64
	for k, mk := range m.d {
		d := mk - m.tmean[k]
		m.d[k] = d
		s += float64(m.bnd[k+1]-m.bnd[k]) / n * d * d
	}
	return s
}

// lossGrad returns ℓ_h(x) and adds its gradient to grad.
func (m *marginal) lossGrad(x, grad []float64) float64 {
	s := m.dist2(x)
	g := 2 * m.c / float64(len(x))
	for k, d := range m.d {
		gd := g * d
		for _, p := range m.ord[m.bnd[k]:m.bnd[k+1]] {
			grad[p.i] += gd
		}
	}
	return m.c * s
}

// relErr returns W₂/σ_t of the block-averaged quantile functions of x and
// the target.
func (m *marginal) relErr(x []float64) float64 {
	return math.Sqrt(m.dist2(x)) / m.tstd
}
