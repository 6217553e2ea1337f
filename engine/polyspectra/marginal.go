package polyspectra

import (
	"fmt"
	"math"
)

// Marginal counts values in fixed bins [e_i, e_{i+1}) (the last bin also
// holds e_n) to estimate the one-point marginal density of a field
// (Histogram, by contrast, pools fractions over bins whose outer two are
// unbounded).
type Marginal struct {
	edges   []float64
	counts  []float64
	outside int
	total   int
}

// UniformEdges returns n+1 equally spaced edges from lo to hi: an error
// unless n ≥ 1 and lo < hi are finite.
func UniformEdges(lo, hi float64, n int) ([]float64, error) {
	if n < 1 || !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil, fmt.Errorf("polyspectra: cannot make %d bins from %v to %v", n, lo, hi)
	}
	e := make([]float64, n+1)
	for i := range e {
		e[i] = lo + (hi-lo)*float64(i)/float64(n)
	}
	e[n] = hi
	return e, nil
}

// NewMarginal returns an empty histogram with the given bin edges
// (copied): at least two finite, strictly increasing values.
func NewMarginal(edges []float64) (*Marginal, error) {
	if len(edges) < 2 {
		return nil, fmt.Errorf("polyspectra: a histogram needs at least 2 bin edges, got %d", len(edges))
	}
	for i, e := range edges {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return nil, fmt.Errorf("polyspectra: bin edge %d is %v", i, e)
		}
		if i > 0 && !(e > edges[i-1]) {
			return nil, fmt.Errorf("polyspectra: bin edges must increase strictly (edge %d = %v after %v)", i, e, edges[i-1])
		}
	}
	return &Marginal{edges: append([]float64(nil), edges...), counts: make([]float64, len(edges)-1)}, nil
}

// Add counts every value of vs; values outside the edges (and NaN) count
// in Outside.
func (h *Marginal) Add(vs []float64) {
	e := h.edges
	lo, hi := e[0], e[len(e)-1]
	for _, v := range vs {
		h.total++
		if !(v >= lo && v <= hi) {
			h.outside++
			continue
		}
		// Binary search for the last edge ≤ v.
		i, j := 0, len(e)-1
		for j-i > 1 {
			k := (i + j) / 2
			if e[k] <= v {
				i = k
			} else {
				j = k
			}
		}
		h.counts[i]++
	}
}

// Edges returns a copy of the bin edges.
func (h *Marginal) Edges() []float64 { return append([]float64(nil), h.edges...) }

// Counts returns a copy of the counts per bin.
func (h *Marginal) Counts() []float64 { return append([]float64(nil), h.counts...) }

// Total returns the number of values added, Outside included.
func (h *Marginal) Total() int { return h.total }

// Outside returns the number of values outside the edges (or NaN).
func (h *Marginal) Outside() int { return h.outside }

// Density returns count_i / (Total · (e_{i+1} − e_i)), the histogram
// estimate of the marginal density in each bin (it integrates to the
// fraction of values inside the edges); all zeros when empty.
func (h *Marginal) Density() []float64 {
	d := make([]float64, len(h.counts))
	if h.total == 0 {
		return d
	}
	for i, c := range h.counts {
		d[i] = c / (float64(h.total) * (h.edges[i+1] - h.edges[i]))
	}
	return d
}
