package field

import (
	"errors"
	"fmt"
)

// Fields splits an array of shape (N, H, W) into N fields of size W×H, or
// returns an array of shape (H, W) as a single field. The fields share a's
// data: writing to one writes to a.Data. An array of shape (0, H, W) gives
// no fields and no error.
func (a *Array) Fields() ([]*Field, error) {
	if a == nil {
		return nil, errors.New("field: nil array")
	}
	n, err := shapeLen(a.Shape)
	if err != nil {
		return nil, err
	}
	if n != len(a.Data) {
		return nil, fmt.Errorf("field: shape %s holds %d values but Data has %d", formatShape(a.Shape), n, len(a.Data))
	}
	var k, h, w int
	switch s := a.Shape; len(s) {
	case 2:
		k, h, w = 1, s[0], s[1]
	case 3:
		k, h, w = s[0], s[1], s[2]
	default:
		return nil, fmt.Errorf("field: shape %s is not a stack of fields (want (N, H, W) or (H, W))", formatShape(a.Shape))
	}
	if h == 0 || w == 0 {
		return nil, fmt.Errorf("field: shape %s holds empty fields", formatShape(a.Shape))
	}
	fs := make([]*Field, k)
	for i := range fs {
		lo, hi := i*w*h, (i+1)*w*h
		fs[i] = &Field{W: w, H: h, Data: a.Data[lo:hi:hi]}
	}
	return fs, nil
}

// StackArray copies fields of equal size W×H into a new array of shape
// (N, H, W), the inverse of Array.Fields. It needs at least one field.
func StackArray(fs []*Field) (*Array, error) {
	if len(fs) == 0 {
		return nil, errors.New("field: no fields to stack")
	}
	for i, f := range fs {
		if err := checkField(f); err != nil {
			return nil, fmt.Errorf("field %d: %w", i, err)
		}
		if f.W != fs[0].W || f.H != fs[0].H {
			return nil, fmt.Errorf("field: cannot stack field %d of size %d×%d with field 0 of size %d×%d", i, f.W, f.H, fs[0].W, fs[0].H)
		}
	}
	w, h := fs[0].W, fs[0].H
	if len(fs) > maxElements/(w*h) {
		return nil, fmt.Errorf("field: stack of %d fields of size %d×%d exceeds %d values", len(fs), w, h, maxElements)
	}
	a := &Array{Shape: []int{len(fs), h, w}, Data: make([]float64, 0, len(fs)*w*h)}
	for _, f := range fs {
		a.Data = append(a.Data, f.Data...)
	}
	return a, nil
}
