package denoise

import (
	"math"
	"testing"
)

func TestMaximizeLog(t *testing.T) {
	tests := []struct {
		name   string
		f      func(p float64) float64
		lo, hi float64
		want   float64
		tol    float64 // relative
	}{
		{"interior log-parabola", func(p float64) float64 { return -math.Pow(math.Log(p/3), 2) }, 0.1, 100, 3, 2e-3},
		{"interior, asymmetric", func(p float64) float64 { return -(p - 0.7) * (p - 0.7) * (1 + p) }, 0.01, 10, 0.7, 5e-3},
		{"at zero", func(p float64) float64 { return -p }, 0.1, 10, 0, 0},
		{"at the upper end", func(p float64) float64 { return p }, 0.1, 10, 10, 1e-12},
		{"NaN below 2", func(p float64) float64 {
			if p < 2 {
				return math.NaN()
			}
			return -math.Abs(p - 5)
		}, 0.1, 100, 5, 5e-3},
		{"+Inf at zero", func(p float64) float64 {
			if p == 0 {
				return math.Inf(1)
			}
			return 1 / p
		}, 0.1, 10, 0, 0},
	}
	for _, tt := range tests {
		evals := 0
		f := func(p float64) float64 { evals++; return tt.f(p) }
		got, fgot := maximizeLog(f, tt.lo, tt.hi, searchGrid, searchTol)
		if tt.want == 0 && got != 0 || tt.want != 0 && math.Abs(got/tt.want-1) > tt.tol {
			t.Errorf("%s: argmax %v, want %v", tt.name, got, tt.want)
		}
		if fw := tt.f(got); fw != fgot {
			t.Errorf("%s: returned value %v, but f(%v) = %v", tt.name, fgot, got, fw)
		}
		if evals > 60 {
			t.Errorf("%s: %d evaluations", tt.name, evals)
		}
	}
}
