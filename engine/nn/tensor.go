package nn

import "fmt"

// Tensor is a dense float32 tensor in NCHW order: element (n, c, y, x) is
// Data[((n·C+c)·H+y)·W+x].
type Tensor struct {
	N, C, H, W int
	Data       []float32
}

// NewTensor returns a zeroed n×c×h×w tensor. Negative sizes are treated as 0.
func NewTensor(n, c, h, w int) *Tensor {
	n, c, h, w = max(n, 0), max(c, 0), max(h, 0), max(w, 0)
	return &Tensor{N: n, C: c, H: h, W: w, Data: make([]float32, n*c*h*w)}
}

// Len returns N·C·H·W, the number of elements the shape describes.
func (t *Tensor) Len() int { return t.N * t.C * t.H * t.W }

// Plane returns the H·W slice of channel c of batch element n, aliasing Data.
func (t *Tensor) Plane(n, c int) []float32 {
	hw := t.H * t.W
	o := (n*t.C + c) * hw
	return t.Data[o : o+hw : o+hw]
}

// At returns element (n, c, y, x).
func (t *Tensor) At(n, c, y, x int) float32 {
	return t.Data[((n*t.C+c)*t.H+y)*t.W+x]
}

// Set sets element (n, c, y, x) to v.
func (t *Tensor) Set(n, c, y, x int, v float32) {
	t.Data[((n*t.C+c)*t.H+y)*t.W+x] = v
}

// Zero sets every element to 0.
func (t *Tensor) Zero() { clear(t.Data) }

// SameShape reports whether t and u have equal N, C, H and W.
func (t *Tensor) SameShape(u *Tensor) bool {
	return t.N == u.N && t.C == u.C && t.H == u.H && t.W == u.W
}

// Check returns an error wrapping ErrShape when t is nil, has a negative
// dimension or len(Data) differs from N·C·H·W.
func (t *Tensor) Check() error {
	if t == nil {
		return fmt.Errorf("%w: nil tensor", ErrShape)
	}
	if t.N < 0 || t.C < 0 || t.H < 0 || t.W < 0 {
		return fmt.Errorf("%w: negative dimension %dx%dx%dx%d", ErrShape, t.N, t.C, t.H, t.W)
	}
	if len(t.Data) != t.Len() {
		return fmt.Errorf("%w: %dx%dx%dx%d tensor holds %d values, want %d",
			ErrShape, t.N, t.C, t.H, t.W, len(t.Data), t.Len())
	}
	return nil
}

// String returns the shape, e.g. "Tensor(2x1x16x16)".
func (t *Tensor) String() string {
	return fmt.Sprintf("Tensor(%dx%dx%dx%d)", t.N, t.C, t.H, t.W)
}

// checkShape returns an error wrapping ErrShape unless t is valid and has
// shape n×c×h×w. what names the argument in the message.
func checkShape(what string, t *Tensor, n, c, h, w int) error {
	if err := t.Check(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if t.N != n || t.C != c || t.H != h || t.W != w {
		return fmt.Errorf("%w: %s is %dx%dx%dx%d, want %dx%dx%dx%d",
			ErrShape, what, t.N, t.C, t.H, t.W, n, c, h, w)
	}
	return nil
}

// grow returns s resliced to length n, reallocating only when cap(s) < n.
func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}
