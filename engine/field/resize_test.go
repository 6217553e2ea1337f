package field

import (
	"testing"
)

// rampField returns a w×h field whose value at (x, y) is 100y + x.
func rampField(w, h int) *Field {
	f := New(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			f.Set(x, y, float64(100*y+x))
		}
	}
	return f
}

func TestUpsample(t *testing.T) {
	f := rampField(2, 2)
	g := Upsample(f, 3)
	if g == nil || g.W != 6 || g.H != 6 {
		t.Fatalf("Upsample(2×2, 3) = %v, want 6×6", g)
	}
	for y := 0; y < 6; y++ {
		for x := 0; x < 6; x++ {
			if got, want := g.At(x, y), f.At(x/3, y/3); got != want {
				t.Errorf("at (%d, %d): %v, want %v", x, y, got, want)
			}
		}
	}
	h := Upsample(f, 1)
	if h == nil || !sameBits(h.Data, f.Data) || &h.Data[0] == &f.Data[0] {
		t.Errorf("Upsample(f, 1) = %v, want a copy of %v", h, f)
	}
	for _, tc := range []struct {
		name   string
		f      *Field
		factor int
	}{
		{"zero factor", f, 0},
		{"negative factor", f, -2},
		{"nil field", nil, 2},
		{"bad field", &Field{W: 2, H: 2, Data: make([]float64, 3)}, 2},
		{"too large", f, 1 << 14},
		{"overflowing", f, 1 << 62},
	} {
		if g := Upsample(tc.f, tc.factor); g != nil {
			t.Errorf("%s: got %d×%d, want nil", tc.name, g.W, g.H)
		}
	}
}

func TestResize(t *testing.T) {
	for _, tc := range []struct {
		name   string
		w, h   int // source size
		dw, dh int
		want   []float64
	}{
		{"down 4x4 to 2x2", 4, 4, 2, 2, []float64{101, 103, 301, 303}},
		{"3x2 to 5x3", 3, 2, 5, 3, []float64{0, 0, 1, 2, 2, 100, 100, 101, 102, 102, 100, 100, 101, 102, 102}},
		{"row to column", 3, 1, 1, 3, []float64{1, 1, 1}},
		{"identity", 2, 2, 2, 2, []float64{0, 1, 100, 101}},
	} {
		g := Resize(rampField(tc.w, tc.h), tc.dw, tc.dh)
		if g == nil || g.W != tc.dw || g.H != tc.dh || !sameBits(g.Data, tc.want) {
			t.Errorf("%s: got %v, want %d×%d %v", tc.name, g, tc.dw, tc.dh, tc.want)
		}
	}
	// Resize to a multiple of the size is Upsample.
	for _, size := range [][2]int{{1, 1}, {3, 2}, {5, 7}, {16, 16}} {
		f := rampField(size[0], size[1])
		for k := 1; k <= 5; k++ {
			r, u := Resize(f, k*f.W, k*f.H), Upsample(f, k)
			if !sameBits(r.Data, u.Data) {
				t.Errorf("%d×%d by %d: Resize and Upsample differ", f.W, f.H, k)
			}
		}
	}
	f := rampField(2, 2)
	for _, tc := range []struct {
		name string
		f    *Field
		w, h int
	}{
		{"zero width", f, 0, 2},
		{"negative height", f, 2, -1},
		{"nil field", nil, 2, 2},
		{"bad field", &Field{W: 1, H: 1}, 2, 2},
		{"too large", f, 1 << 15, 1 << 14},
	} {
		if g := Resize(tc.f, tc.w, tc.h); g != nil {
			t.Errorf("%s: got %d×%d, want nil", tc.name, g.W, g.H)
		}
	}
}
