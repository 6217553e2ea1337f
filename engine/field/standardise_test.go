package field

import (
	"math"
	"strings"
	"testing"
)

func TestMeanStd(t *testing.T) {
	for _, c := range []struct {
		x         []float64
		mean, std float64
	}{
		{[]float64{1}, 1, 0},
		{[]float64{1, 3}, 2, 1},
		{[]float64{2, 4, 4, 4, 5, 5, 7, 9}, 5, 2},
		{[]float64{-1e6, 1e6}, 0, 1e6},
	} {
		m, s := MeanStd(c.x)
		if math.Abs(m-c.mean) > 1e-12*math.Max(1, math.Abs(c.mean)) || math.Abs(s-c.std) > 1e-12*math.Max(1, c.std) {
			t.Errorf("MeanStd(%v) = %v, %v; want %v, %v", c.x, m, s, c.mean, c.std)
		}
	}
	if m, s := MeanStd(nil); !math.IsNaN(m) || !math.IsNaN(s) {
		t.Errorf("MeanStd(nil) = %v, %v; want NaN", m, s)
	}
}

func TestStandardise(t *testing.T) {
	x := []float64{3, -1, 7, 2, 2.5, 10}
	if err := Standardise(x); err != nil {
		t.Fatal(err)
	}
	if m, s := MeanStd(x); math.Abs(m) > 1e-15 || math.Abs(s-1) > 1e-15 {
		t.Errorf("after Standardise: mean %v std %v", m, s)
	}
	for _, c := range []struct {
		x    []float64
		want string
	}{
		{nil, "empty"},
		{[]float64{1, math.NaN()}, "non-finite"},
		{[]float64{1, math.Inf(1)}, "non-finite"},
		{[]float64{4, 4, 4}, "constant"},
	} {
		in := append([]float64(nil), c.x...)
		err := Standardise(c.x)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Standardise(%v): %v, want an error about %q", in, err, c.want)
		}
		for i := range in {
			if !(in[i] == c.x[i] || math.IsNaN(in[i]) && math.IsNaN(c.x[i])) {
				t.Errorf("Standardise(%v) changed the input to %v", in, c.x)
				break
			}
		}
	}
}
