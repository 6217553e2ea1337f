// Package field holds real two-dimensional fields (images, lattice
// configurations, wavelet coefficient planes), their NumPy .npy encoding and
// their rendering to colour images.
package field

import (
	"errors"
	"fmt"
	"math"
)

// Field is a real W×H field stored row-major: the value at column x, row y is
// Data[y*W+x].
type Field struct {
	W, H int
	Data []float64
}

// New returns a zero W×H field. It panics only on negative sizes, which are
// programming errors; use FromSlice for sizes that come from input.
func New(w, h int) *Field {
	return &Field{W: w, H: h, Data: make([]float64, w*h)}
}

// FromSlice wraps data (not copied) as a W×H field; len(data) must be W·H.
func FromSlice(w, h int, data []float64) (*Field, error) {
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("field: size %d×%d must be positive", w, h)
	}
	if len(data) != w*h {
		return nil, fmt.Errorf("field: %d values for a %d×%d field (want %d)", len(data), w, h, w*h)
	}
	return &Field{W: w, H: h, Data: data}, nil
}

// At returns the value at column x, row y.
func (f *Field) At(x, y int) float64 { return f.Data[y*f.W+x] }

// Set stores v at column x, row y.
func (f *Field) Set(x, y int, v float64) { f.Data[y*f.W+x] = v }

// Clone returns a deep copy of f.
func (f *Field) Clone() *Field {
	g := &Field{W: f.W, H: f.H, Data: make([]float64, len(f.Data))}
	copy(g.Data, f.Data)
	return g
}

// MinMax returns the smallest and largest finite values of f. For a field
// with no finite value it returns (0, 0).
func (f *Field) MinMax() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range f.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	if lo > hi {
		return 0, 0
	}
	return lo, hi
}

// ErrNotFinite reports a NaN or infinite value where finite values are required.
var ErrNotFinite = errors.New("field: value is NaN or infinite")

// CheckFinite returns an error naming the first NaN or infinite value of f.
func (f *Field) CheckFinite() error {
	for i, v := range f.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w at (x=%d, y=%d): %v", ErrNotFinite, i%f.W, i/f.W, v)
		}
	}
	return nil
}

// Energy returns Σ f², the squared ℓ² norm.
func (f *Field) Energy() float64 {
	s := 0.0
	for _, v := range f.Data {
		s += v * v
	}
	return s
}
