package polyspectra

import (
	"math"
	"testing"
)

func TestMarginal(t *testing.T) {
	edges, err := UniformEdges(-1, 1, 4)
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewMarginal(edges)
	if err != nil {
		t.Fatal(err)
	}
	h.Add([]float64{-1, -0.75, -0.5, 0, 0.2, 0.99, 1, 1.5, math.NaN(), -2})
	want := []float64{2, 1, 2, 2}
	got := h.Counts()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("counts %v, want %v", got, want)
		}
	}
	if h.Total() != 10 || h.Outside() != 3 {
		t.Errorf("total %d outside %d, want 10 and 3", h.Total(), h.Outside())
	}
	integral := 0.0
	for i, d := range h.Density() {
		integral += d * (edges[i+1] - edges[i])
	}
	if math.Abs(integral-0.7) > 1e-12 {
		t.Errorf("density integrates to %v, want 0.7", integral)
	}
	for _, bad := range [][]float64{nil, {1}, {0, 0}, {1, 0}, {0, math.NaN()}, {0, math.Inf(1)}} {
		if _, err := NewMarginal(bad); err == nil {
			t.Errorf("NewMarginal(%v) gave no error", bad)
		}
	}
	for _, bad := range []struct {
		lo, hi float64
		n      int
	}{{0, 1, 0}, {1, 1, 3}, {0, math.Inf(1), 3}, {math.NaN(), 1, 3}} {
		if _, err := UniformEdges(bad.lo, bad.hi, bad.n); err == nil {
			t.Errorf("UniformEdges(%v, %v, %d) gave no error", bad.lo, bad.hi, bad.n)
		}
	}
}
