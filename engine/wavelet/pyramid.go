package wavelet

import (
	"errors"
	"fmt"

	"scalewise/engine/field"
)

// Band indices, used for the index b of Pyramid.Details[j] (b = BandH, BandV,
// BandD) and of BandMap.Share[j] (also b = BandA for the approximation x_J).
const (
	BandH = 0 // horizontal detail: low-pass in x, high-pass in y (bottom-left quadrant)
	BandV = 1 // vertical detail: high-pass in x, low-pass in y (top-right quadrant)
	BandD = 2 // diagonal detail: high-pass in x and y (bottom-right quadrant)
	BandA = 3 // approximation x_J (top-left block)
)

// Pyramid is the multiresolution decomposition of a W×H field
// (Mallat, "A Wavelet Tour of Signal Processing", ch. 7, separable wavelet bases):
//
//	x_0 = x,   (x_j, x̄_j) = DWT(x_{j−1}),   x̄_j = (H_j, V_j, D_j),   j = 1..Levels,
//
// with x_j and each band of x̄_j of size (W/2^j)×(H/2^j). Since the transform
// is orthogonal, x = P_{V_J} x + Σ_{j=1..J} P_{W_j} x (see Projection and
// DetailProjection).
type Pyramid struct {
	// Wavelet is the wavelet of the decomposition.
	Wavelet *Wavelet
	// W, H are the size of x_0; Levels is J.
	W, H, Levels int
	// Approx[j] = x_j for j = 0..Levels; Approx[0] is (a copy of) the input.
	Approx []*field.Field
	// Details[j] = {H_j, V_j, D_j} (indexed by BandH, BandV, BandD) for
	// j = 1..Levels; Details[0] is the zero value (all nil).
	Details [][3]*field.Field
}

// Decompose returns the levels-level pyramid of x: Approx[0] is a copy of x
// and, for j = 1..levels, Approx[j] = x_j and Details[j] = (H_j, V_j, D_j),
// each level being one periodic 2-D DWT step of x_{j−1}. It returns an error
// under the same conditions as NewTransform, or if x is nil or inconsistent.
func Decompose(w *Wavelet, x *field.Field, levels int) (*Pyramid, error) {
	if err := checkField(x, "input"); err != nil {
		return nil, err
	}
	t, err := NewTransform(w, x.W, x.H, levels)
	if err != nil {
		return nil, err
	}
	p := newPyramid(w, x.W, x.H, levels)
	p.Approx[0] = x.Clone()
	buf := append([]float64(nil), x.Data...)
	for j := 1; j <= levels; j++ {
		t.forwardLevel(buf, x.W, x.W>>(j-1), x.H>>(j-1))
		p.extractLevel(buf, j)
	}
	return p, nil
}

// FromMallat builds the pyramid of a levels-level transform m given in the
// Mallat layout (as returned by Transform.Forward or Pyramid.Mallat): x_J and
// the details are read from m, and x_{j−1} is reconstructed from (x_j, x̄_j)
// for j = J..1, so Approx[0] is the inverse transform of m.
func FromMallat(w *Wavelet, m *field.Field, levels int) (*Pyramid, error) {
	if err := checkField(m, "Mallat field"); err != nil {
		return nil, err
	}
	t, err := NewTransform(w, m.W, m.H, levels)
	if err != nil {
		return nil, err
	}
	p := newPyramid(w, m.W, m.H, levels)
	buf := append([]float64(nil), m.Data...)
	for j := 1; j <= levels; j++ {
		p.extractLevel(buf, j) // Approx[j] is overwritten below for j < levels
	}
	for j := levels; j >= 1; j-- {
		t.inverseLevel(buf, m.W, m.W>>(j-1), m.H>>(j-1))
		p.Approx[j-1] = block(buf, m.W, m.W>>(j-1), m.H>>(j-1), 0, 0)
	}
	if levels == 0 {
		p.Approx[0] = m.Clone()
	}
	return p, nil
}

// newPyramid returns a pyramid with its slices allocated and no fields.
func newPyramid(w *Wavelet, width, height, levels int) *Pyramid {
	return &Pyramid{
		Wavelet: w,
		W:       width,
		H:       height,
		Levels:  levels,
		Approx:  make([]*field.Field, levels+1),
		Details: make([][3]*field.Field, levels+1),
	}
}

// extractLevel copies x_j and the bands of level j out of buf, which holds
// level j (and possibly coarser levels) in the Mallat layout.
func (p *Pyramid) extractLevel(buf []float64, j int) {
	w, h := p.W>>j, p.H>>j
	p.Approx[j] = block(buf, p.W, w, h, 0, 0)
	p.Details[j][BandH] = block(buf, p.W, w, h, 0, h)
	p.Details[j][BandV] = block(buf, p.W, w, h, w, 0)
	p.Details[j][BandD] = block(buf, p.W, w, h, w, h)
}

// block returns a copy of the w×h block at (x0, y0) of buf (row stride stride).
func block(buf []float64, stride, w, h, x0, y0 int) *field.Field {
	f := field.New(w, h)
	for y := range h {
		copy(f.Data[y*w:(y+1)*w], buf[(y0+y)*stride+x0:])
	}
	return f
}

// putBlock copies f into buf (row stride stride) at (x0, y0).
func putBlock(buf []float64, stride int, f *field.Field, x0, y0 int) {
	for y := range f.H {
		copy(buf[(y0+y)*stride+x0:(y0+y)*stride+x0+f.W], f.Data[y*f.W:(y+1)*f.W])
	}
}

// checkField returns an error unless f is a non-nil field with positive size
// and W·H values.
func checkField(f *field.Field, what string) error {
	if f == nil {
		return fmt.Errorf("wavelet: nil %s", what)
	}
	if f.W <= 0 || f.H <= 0 || len(f.Data) != f.W*f.H {
		return fmt.Errorf("wavelet: %s is %d×%d with %d values", what, f.W, f.H, len(f.Data))
	}
	return nil
}

// check returns an error unless p is a well-formed pyramid: valid sizes and
// every Approx[j] (j = 0..Levels) and Details[j] band (j = 1..Levels) present
// with size (W/2^j)×(H/2^j).
func (p *Pyramid) check() error {
	if p == nil {
		return errors.New("wavelet: nil Pyramid")
	}
	if err := p.Wavelet.check(); err != nil {
		return err
	}
	if err := checkSize(p.W, p.H, p.Levels); err != nil {
		return err
	}
	if len(p.Approx) != p.Levels+1 || len(p.Details) != p.Levels+1 {
		return fmt.Errorf("wavelet: pyramid of %d levels has %d approximations and %d detail levels (want %d each)",
			p.Levels, len(p.Approx), len(p.Details), p.Levels+1)
	}
	for j := 0; j <= p.Levels; j++ {
		w, h := p.W>>j, p.H>>j
		if err := checkBand(p.Approx[j], w, h, j, "approximation"); err != nil {
			return err
		}
		if j == 0 {
			continue
		}
		for b, name := range [3]string{"H", "V", "D"} {
			if err := checkBand(p.Details[j][b], w, h, j, name+" detail"); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkBand(f *field.Field, w, h, j int, what string) error {
	if f == nil || f.W != w || f.H != h || len(f.Data) != w*h {
		if f == nil {
			return fmt.Errorf("wavelet: pyramid %s at level %d is missing", what, j)
		}
		return fmt.Errorf("wavelet: pyramid %s at level %d is %d×%d with %d values (want %d×%d)", what, j, f.W, f.H, len(f.Data), w, h)
	}
	return nil
}

// Mallat returns the pyramid's transform in the Mallat layout (see the
// package documentation): x_J top-left and, for each level j, V_j top-right,
// H_j bottom-left and D_j bottom-right of the (W/2^(j−1))×(H/2^(j−1))
// top-left block. Approximations x_j with j < J are not used. It returns nil
// if p is not well formed (see Reconstruct for the error).
func (p *Pyramid) Mallat() *field.Field {
	if p.check() != nil {
		return nil
	}
	m := field.New(p.W, p.H)
	p.fillMallat(m.Data, p.Levels, true, 1, p.Levels)
	return m
}

// fillMallat writes into buf, in the Mallat layout, x_{approx} (if
// withApprox) and the details of levels lo..hi.
func (p *Pyramid) fillMallat(buf []float64, approx int, withApprox bool, lo, hi int) {
	if withApprox {
		putBlock(buf, p.W, p.Approx[approx], 0, 0)
	}
	for j := lo; j <= hi; j++ {
		w, h := p.W>>j, p.H>>j
		putBlock(buf, p.W, p.Details[j][BandH], 0, h)
		putBlock(buf, p.W, p.Details[j][BandV], w, 0)
		putBlock(buf, p.W, p.Details[j][BandD], w, h)
	}
}

// synthesize inverts levels from..1 of buf (Mallat layout) and wraps the
// result as a W×H field.
func (p *Pyramid) synthesize(buf []float64, from int) (*field.Field, error) {
	t, err := NewTransform(p.Wavelet, p.W, p.H, p.Levels)
	if err != nil {
		return nil, err
	}
	t.inverseFrom(buf, from)
	return field.FromSlice(p.W, p.H, buf)
}

// Reconstruct returns the inverse transform of x_J and all the details,
//
//	x = W⁻¹ (x_J, x̄_J, …, x̄_1),
//
// which equals Approx[0] up to rounding. It returns an error if p is not
// well formed.
func (p *Pyramid) Reconstruct() (*field.Field, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	buf := make([]float64, p.W*p.H)
	p.fillMallat(buf, p.Levels, true, 1, p.Levels)
	return p.synthesize(buf, p.Levels)
}

// checkLevel returns an error unless lo ≤ j ≤ p.Levels.
func (p *Pyramid) checkLevel(j, lo int) error {
	if j < lo || j > p.Levels {
		return fmt.Errorf("wavelet: level %d is outside %d..%d", j, lo, p.Levels)
	}
	return nil
}

// Projection returns P_{V_j} x, the orthogonal projection of x on the
// approximation space V_j: the full-size reconstruction from x_j with all the
// details of levels ≤ j set to zero,
//
//	P_{V_j} x = W_j⁻¹ (x_j, 0, …, 0)
//
// (Mallat, ch. 7, multiresolution approximations). It is "x_j shown at full size"; Projection(0) is x.
// j must be in 0..Levels.
func (p *Pyramid) Projection(j int) (*field.Field, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	if err := p.checkLevel(j, 0); err != nil {
		return nil, err
	}
	buf := make([]float64, p.W*p.H)
	p.fillMallat(buf, j, true, 1, 0)
	return p.synthesize(buf, j)
}

// DetailProjection returns P_{W_j} x, the orthogonal projection of x on the
// detail space W_j: the full-size reconstruction from x̄_j = (H_j, V_j, D_j)
// alone,
//
//	P_{W_j} x = W_j⁻¹ (0, x̄_j, 0, …, 0),
//
// so that Σ_{j=1..J} P_{W_j} x + P_{V_J} x = x (Mallat, ch. 7: V_{j−1} =
// V_j ⊕ W_j). j must be in 1..Levels.
func (p *Pyramid) DetailProjection(j int) (*field.Field, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	if err := p.checkLevel(j, 1); err != nil {
		return nil, err
	}
	buf := make([]float64, p.W*p.H)
	p.fillMallat(buf, j, false, j, j)
	return p.synthesize(buf, j)
}
