package wavelet

import (
	"errors"
	"fmt"
)

// Transform is a reusable plan for the periodic 2-D DWT of width×height
// fields (row-major, Data[y*width+x]) over a fixed number of levels. It owns
// its scratch buffers, so Forward and Inverse do not allocate; for the same
// reason a Transform must not be used by several goroutines at once.
//
// One level maps the top-left w×h block (w = width/2^(j−1), h = height/2^(j−1))
// of x_{j−1} to x_j and the detail bands H_j, V_j, D_j in the Mallat layout
// described in the package documentation, by filtering every row and then
// every column with
//
//	a[k] = Σ_n h[n] x[(2k+n) mod N],   d[k] = Σ_n g[n] x[(2k+n) mod N]
//
// (Mallat, "A Wavelet Tour of Signal Processing", ch. 7, fast separable
// two-dimensional wavelet transform).
type Transform struct {
	width, height int
	levels        int
	fb            filterBank
	ext           []float64 // extended lines, len colBlock·(max(width,height)+L−2)
	lo, hi        []float64 // column outputs, len max(width,height)/2 and max(width,height)
}

// MaxLevels returns the largest J such that both width and height are
// divisible by 2^J, i.e. the deepest periodic transform of a width×height
// field (the coarsest approximation then has at least one pixel each way).
// It returns 0 when either size is not positive.
func MaxLevels(width, height int) int {
	if width <= 0 || height <= 0 {
		return 0
	}
	j := 0
	for width%2 == 0 && height%2 == 0 {
		width /= 2
		height /= 2
		j++
	}
	return j
}

// checkSize returns a descriptive error unless a width×height field can be
// transformed over levels levels.
func checkSize(width, height, levels int) error {
	if width <= 0 || height <= 0 {
		return fmt.Errorf("wavelet: size %d×%d must be positive", width, height)
	}
	if levels < 0 {
		return fmt.Errorf("wavelet: number of levels %d must not be negative", levels)
	}
	if levels >= 62 {
		return fmt.Errorf("wavelet: %d levels is too many for a %d×%d field (at most %d)", levels, width, height, MaxLevels(width, height))
	}
	m := 1 << levels
	bw, bh := width%m != 0, height%m != 0
	var which string
	switch {
	case bw && bh:
		which = "width and height"
	case bw:
		which = "width"
	case bh:
		which = "height"
	default:
		return nil
	}
	return fmt.Errorf("wavelet: %d×%d is not divisible by 2^%d = %d in %s; use a size that is a multiple of %d or fewer levels (at most %d)",
		width, height, levels, m, which, m, MaxLevels(width, height))
}

// NewTransform returns a plan for the levels-level periodic DWT of
// width×height fields with wavelet w. It returns an error if w is not an
// orthonormal filter, if a size is not positive, if levels is negative, or if
// width or height is not divisible by 2^levels. levels = 0 is the identity.
func NewTransform(w *Wavelet, width, height, levels int) (*Transform, error) {
	if err := w.check(); err != nil {
		return nil, err
	}
	if err := checkSize(width, height, levels); err != nil {
		return nil, err
	}
	n := max(width, height)
	t := &Transform{
		width:  width,
		height: height,
		levels: levels,
		fb:     newFilterBank(w.Lo),
	}
	t.ext = make([]float64, colBlock*t.fb.extLen(n))
	t.lo = make([]float64, n/2)
	t.hi = make([]float64, n)
	return t, nil
}

// checkLen returns an error unless dst and src both have width·height values.
func (t *Transform) checkLen(dst, src []float64) error {
	n := t.width * t.height
	if len(dst) != n || len(src) != n {
		return fmt.Errorf("wavelet: slices of %d (dst) and %d (src) values for a %d×%d transform (want %d)",
			len(dst), len(src), t.width, t.height, n)
	}
	return nil
}

// errNilTransform is returned by methods called on a nil *Transform.
var errNilTransform = errors.New("wavelet: nil Transform")

// Forward computes the levels-level periodic DWT of src (row-major
// width×height) and stores it in dst in the Mallat layout: x_J in the
// top-left (width/2^J)×(height/2^J) block and, for each level j, V_j
// top-right, H_j bottom-left and D_j bottom-right of the top-left
// (width/2^(j−1))×(height/2^(j−1)) block. dst may be src (in place); src is
// read in full before dst is modified. The transform is orthogonal:
// ‖dst‖ = ‖src‖. Forward does not allocate.
func (t *Transform) Forward(dst, src []float64) error {
	if t == nil {
		return errNilTransform
	}
	if err := t.checkLen(dst, src); err != nil {
		return err
	}
	copyData(dst, src)
	for j := 0; j < t.levels; j++ {
		t.forwardLevel(dst, t.width, t.width>>j, t.height>>j)
	}
	return nil
}

// Inverse computes the inverse (equally, the transpose) of Forward: src holds
// a transform in the Mallat layout and dst receives the width×height field.
// dst may be src (in place); src is read in full before dst is modified.
// Inverse does not allocate.
func (t *Transform) Inverse(dst, src []float64) error {
	if t == nil {
		return errNilTransform
	}
	if err := t.checkLen(dst, src); err != nil {
		return err
	}
	copyData(dst, src)
	t.inverseFrom(dst, t.levels)
	return nil
}

// inverseFrom inverts levels j = from, from−1, …, 1 of data in place.
func (t *Transform) inverseFrom(data []float64, from int) {
	for j := from - 1; j >= 0; j-- {
		t.inverseLevel(data, t.width, t.width>>j, t.height>>j)
	}
}

// copyData copies src to dst unless they are the same slice.
func copyData(dst, src []float64) {
	if len(dst) > 0 && &dst[0] == &src[0] {
		return
	}
	copy(dst, src)
}

// forwardLevel applies one 2-D analysis level to the top-left w×h block of
// data (row stride stride): rows first, then columns.
func (t *Transform) forwardLevel(data []float64, stride, w, h int) {
	for y := range h {
		row := data[y*stride : y*stride+w]
		t.fb.analyzeLine(row, t.ext)
	}
	x := 0
	for ; x+colBlock <= w; x += colBlock {
		t.fb.analyzeColumns4(data, x, stride, h, t.ext)
	}
	for ; x < w; x++ {
		t.fb.analyzeColumn(data, x, stride, h, t.ext, t.lo, t.hi)
	}
}

// inverseLevel undoes forwardLevel: columns first, then rows.
func (t *Transform) inverseLevel(data []float64, stride, w, h int) {
	x := 0
	for ; x+colBlock <= w; x += colBlock {
		t.fb.synthesizeColumns4(data, x, stride, h, t.ext)
	}
	for ; x < w; x++ {
		t.fb.synthesizeColumn(data, x, stride, h, t.ext, t.hi)
	}
	for y := range h {
		row := data[y*stride : y*stride+w]
		t.fb.synthesizeLine(row, t.ext)
	}
}
