package field

import (
	"strings"
	"testing"
)

func TestArrayFields(t *testing.T) {
	data := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	for _, tc := range []struct {
		shape   []int
		n, w, h int
		want    string // error, if any
	}{
		{shape: []int{2, 2, 3}, n: 2, w: 3, h: 2},
		{shape: []int{3, 4}, n: 1, w: 4, h: 3},
		{shape: []int{12, 1, 1}, n: 12, w: 1, h: 1},
		{shape: []int{1, 12}, n: 1, w: 12, h: 1},
		{shape: []int{0, 2, 3}, n: 0},
		{shape: []int{12}, want: "shape (12,) is not a stack"},
		{shape: []int{1, 2, 2, 3}, want: "not a stack"},
		{shape: []int{2, 2, 2}, want: "holds 8 values but Data has 12"},
		{shape: []int{2, 0, 3}, want: "empty fields"},
		{shape: []int{}, want: "0-d"},
		{shape: []int{-2, -6}, want: "negative"},
	} {
		a := &Array{Shape: tc.shape, Data: data}
		if n, err := shapeLen(tc.shape); err == nil && n == 0 {
			a.Data = []float64{}
		}
		fs, err := a.Fields()
		if tc.want != "" {
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("shape %v: error %v, want one containing %q", tc.shape, err, tc.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("shape %v: %v", tc.shape, err)
			continue
		}
		if len(fs) != tc.n {
			t.Errorf("shape %v: %d fields, want %d", tc.shape, len(fs), tc.n)
			continue
		}
		for i, f := range fs {
			if f.W != tc.w || f.H != tc.h || checkField(f) != nil {
				t.Errorf("shape %v: field %d is %d×%d, want %d×%d", tc.shape, i, f.W, f.H, tc.w, tc.h)
				continue
			}
			if f.Data[0] != data[i*tc.w*tc.h] {
				t.Errorf("shape %v: field %d starts with %v, want %v", tc.shape, i, f.Data[0], data[i*tc.w*tc.h])
			}
		}
	}
	if _, err := (*Array)(nil).Fields(); err == nil {
		t.Error("nil array: no error")
	}
}

// TestArrayFieldsShare checks that fields share the array's storage without
// letting an append to one field overwrite the next.
func TestArrayFieldsShare(t *testing.T) {
	a := &Array{Shape: []int{2, 1, 2}, Data: []float64{1, 2, 3, 4}}
	fs, err := a.Fields()
	if err != nil {
		t.Fatal(err)
	}
	fs[1].Set(0, 0, 30)
	if a.Data[2] != 30 {
		t.Errorf("a.Data = %v, want the write through field 1", a.Data)
	}
	_ = append(fs[0].Data, 99)
	if a.Data[2] != 30 {
		t.Errorf("append to field 0 overwrote field 1: %v", a.Data)
	}
}

func TestStackArray(t *testing.T) {
	f := New(3, 2)
	g := New(3, 2)
	for i := range f.Data {
		f.Data[i] = float64(i)
		g.Data[i] = float64(-i)
	}
	a, err := StackArray([]*Field{f, g, f})
	if err != nil {
		t.Fatal(err)
	}
	if !sameShape(a.Shape, []int{3, 2, 3}) || len(a.Data) != 18 || a.Data[6+5] != -5 || a.Data[12+1] != 1 {
		t.Errorf("StackArray = %v", a)
	}
	f.Data[0] = 100
	if a.Data[0] == 100 {
		t.Error("StackArray did not copy")
	}
	fs, err := a.Fields()
	if err != nil || len(fs) != 3 || !sameBits(fs[1].Data, g.Data) {
		t.Errorf("Fields of a stack = %v, %v", fs, err)
	}

	for _, tc := range []struct {
		name string
		fs   []*Field
		want string
	}{
		{"none", nil, "no fields"},
		{"nil field", []*Field{f, nil}, "field 1: field: nil field"},
		{"bad field", []*Field{{W: 2, H: 2, Data: make([]float64, 3)}}, "field 0: field: 3 values"},
		{"sizes differ", []*Field{f, New(2, 3)}, "cannot stack field 1 of size 2×3 with field 0 of size 3×2"},
	} {
		if _, err := StackArray(tc.fs); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
