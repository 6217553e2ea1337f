package diffusion

import (
	"math"
	"math/rand/v2"
	"testing"
)

// naiveCentered is the mean-removed cosine computed the long way, 0 for a
// constant image (whose centered values are rounding errors).
func naiveCentered(a, b []float64) float64 {
	center := func(x []float64) []float64 {
		m := 0.0
		for _, v := range x {
			m += v
		}
		m /= float64(len(x))
		c := make([]float64, len(x))
		for i, v := range x {
			if math.Abs(v-m) > 1e-12 {
				c[i] = v - m
			}
		}
		return c
	}
	return Cosine(center(a), center(b))
}

// TestGalleryNearest checks Gallery.Nearest against a brute-force search
// with Cosine and the long-hand mean-removed cosine, on random images of
// 64 values: uniform ones, shifted copies of a query (raw cosine < 1 but
// centered cosine 1), a scaled copy (both 1), and constant and zero images
// (similarity 0 where undefined).
func TestGalleryNearest(t *testing.T) {
	const dim, n = 64, 500
	rng := rand.New(rand.NewPCG(1, 2))
	img := func() []float64 {
		x := make([]float64, dim)
		for i := range x {
			x[i] = rng.Float64()
		}
		return x
	}
	set := make([][]float64, n)
	for i := range set {
		set[i] = img()
	}
	set[7] = make([]float64, dim) // zero
	set[8] = make([]float64, dim) // constant
	for i := range set[8] {
		set[8][i] = 0.4
	}
	queries := [][]float64{img(), img(), img()}
	shifted := make([]float64, dim)
	scaled := make([]float64, dim)
	for i, v := range set[100] {
		shifted[i] = v + 3
		scaled[i] = 2 * v
	}
	queries = append(queries, shifted, scaled, set[8], make([]float64, dim))
	g, err := NewGallery(dim, set)
	if err != nil {
		t.Fatal(err)
	}
	for q, x := range queries {
		raw, cen, err := g.Nearest(x)
		if err != nil {
			t.Fatal(err)
		}
		want := [2]Match{{Cos: math.Inf(-1)}, {Cos: math.Inf(-1)}}
		for i, y := range set {
			for k, c := range [2]float64{Cosine(x, y), naiveCentered(x, y)} {
				if c > want[k].Cos+1e-12 {
					want[k] = Match{Index: i, Cos: c}
				}
			}
		}
		for k, got := range [2]Match{raw, cen} {
			if got.Index != want[k].Index || math.Abs(got.Cos-want[k].Cos) > 1e-9 {
				t.Errorf("query %d, centered=%v: got %+v, brute force %+v", q, k == 1, got, want[k])
			}
		}
	}
	if raw, cen, _ := g.Nearest(scaled); raw.Index != 100 || math.Abs(raw.Cos-1) > 1e-12 || cen.Index != 100 {
		t.Errorf("scaled copy of image 100: raw %+v centered %+v", raw, cen)
	}
	if _, cen, _ := g.Nearest(shifted); cen.Index != 100 || math.Abs(cen.Cos-1) > 1e-9 {
		t.Errorf("shifted copy of image 100: centered %+v", cen)
	}
	if _, _, err := g.Nearest(make([]float64, 3)); err == nil {
		t.Error("wrong length accepted")
	}
	if _, err := NewGallery(dim, [][]float64{make([]float64, 3)}); err == nil {
		t.Error("ragged gallery accepted")
	}
	empty, _ := NewGallery(dim, nil)
	if _, _, err := empty.Nearest(queries[0]); err == nil {
		t.Error("empty gallery searched")
	}
}

// TestCosine checks the two similarities on small cases.
func TestCosine(t *testing.T) {
	tests := []struct {
		a, b          []float64
		raw, centered float64
	}{
		{[]float64{1, 0}, []float64{0, 1}, 0, -1},
		{[]float64{1, 2, 3}, []float64{2, 4, 6}, 1, 1},
		{[]float64{1, 2, 3}, []float64{3, 2, 1}, 10.0 / 14, -1},
		{[]float64{0, 0}, []float64{1, 2}, 0, 0},
		{[]float64{5, 5}, []float64{1, 2}, 3 / math.Sqrt(10), 0},
	}
	for _, tc := range tests {
		if got := Cosine(tc.a, tc.b); math.Abs(got-tc.raw) > 1e-12 {
			t.Errorf("Cosine(%v, %v) = %g, want %g", tc.a, tc.b, got, tc.raw)
		}
		if got := CenteredCosine(tc.a, tc.b); math.Abs(got-tc.centered) > 1e-12 {
			t.Errorf("CenteredCosine(%v, %v) = %g, want %g", tc.a, tc.b, got, tc.centered)
		}
	}
}
