package layout

import (
	"fmt"
	"math"
	"testing"
)

func TestScaleRoundTrip(t *testing.T) {
	tests := []struct {
		s      Scale
		values []float64
	}{
		{Lin(0, 1), []float64{0, 0.25, 1, -3, 7}},
		{Lin(-2.5, 40), []float64{-2.5, 0, 12.75, 40}},
		{Lin(10, 1), []float64{1, 5, 10}}, // reversed
		{Log10(1e-3, 1e4), []float64{1e-3, 0.5, 1, 77, 1e4, 1e6}},
		{Log10(0.7, 0.9), []float64{0.7, 0.8, 0.9}},
	}
	for _, tt := range tests {
		if got := tt.s.Norm(tt.s.Min); math.Abs(got) > 1e-12 {
			t.Errorf("%+v: Norm(Min) = %v", tt.s, got)
		}
		if got := tt.s.Norm(tt.s.Max); math.Abs(got-1) > 1e-12 {
			t.Errorf("%+v: Norm(Max) = %v", tt.s, got)
		}
		for _, v := range tt.values {
			if got := tt.s.Value(tt.s.Norm(v)); math.Abs(got-v) > 1e-9*math.Max(1, math.Abs(v)) {
				t.Errorf("%+v: Value(Norm(%v)) = %v", tt.s, v, got)
			}
		}
	}
	// A log scale is even in decades.
	s := Log10(1, 1000)
	if got := s.Norm(10); math.Abs(got-1.0/3) > 1e-12 {
		t.Errorf("Log10(1, 1000).Norm(10) = %v, want 1/3", got)
	}
}

func TestScaleValid(t *testing.T) {
	tests := []struct {
		s    Scale
		v    float64
		want bool
	}{
		{Lin(0, 1), -5, true},
		{Lin(0, 1), math.NaN(), false},
		{Lin(0, 1), math.Inf(1), false},
		{Log10(1, 10), 0, false},
		{Log10(1, 10), -1, false},
		{Log10(1, 10), 1e-30, true},
	}
	for _, tt := range tests {
		if got := tt.s.Valid(tt.v); got != tt.want {
			t.Errorf("%+v.Valid(%v) = %v", tt.s, tt.v, got)
		}
	}
}

func TestPlot(t *testing.T) {
	p := Plot{Rect: Rect{562, 176, 384, 120}, X: Log10(0.1, 100), Y: Lin(-1, 1)}
	corners := []struct {
		x, y   float64
		px, py float32
	}{
		{0.1, -1, 562, 296}, // bottom left
		{100, 1, 946, 176},  // top right
		{100, -1, 946, 296},
		{math.Sqrt(10), 0, 754, 236}, // the middle
	}
	for _, c := range corners {
		px, py := p.Point(c.x, c.y)
		if !near(px, c.px) || !near(py, c.py) {
			t.Errorf("Point(%v, %v) = (%v, %v), want (%v, %v)", c.x, c.y, px, py, c.px, c.py)
		}
		x, y := p.Data(px, py)
		if math.Abs(x-c.x) > 1e-4*c.x || math.Abs(y-c.y) > 1e-4 {
			t.Errorf("Data(Point(%v, %v)) = (%v, %v)", c.x, c.y, x, y)
		}
	}
	if p.Valid(0, 0) || !p.Valid(1, -5) {
		t.Error("Plot.Valid ignores the log axis")
	}
}

func TestMarkedTicks(t *testing.T) {
	tests := []struct {
		s    Scale
		n    int
		want []string
	}{
		{Log10(1e-6, 1), 6, []string{"10^{−6}", "10^{−5}", "10^{−4}", "10^{−3}", "10^{−2}", "10^{−1}", "10^{0}"}},
		{Log10(1, 1000), 5, []string{"1", "10", "100", "1000"}},
		{Log10(2, 60), 4, []string{"2", "5", "10", "20", "50"}},
		{Lin(-1, 1), 4, []string{"−1", "−0.5", "0", "0.5", "1"}},
		{Lin(0, 3e6), 3, []string{"0", "10^{6}", "2×10^{6}", "3×10^{6}"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range tt.s.MarkedTicks(tt.n) {
			got = append(got, tk.Label)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%+v.MarkedTicks(%d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}
