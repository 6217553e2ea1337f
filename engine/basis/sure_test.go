package basis

import (
	"math"
	"testing"
)

func TestSUREFormula(t *testing.T) {
	tests := []struct {
		name         string
		y, xhat      []float64
		trace, sigma float64
		want         float64
		wantErr      bool
	}{
		// ‖y − x̂‖²/n = (1 + 4)/2, − σ² = 1, + 2σ²·tr/n = 2·1·3/2.
		{"formula", []float64{1, 2}, []float64{0, 0}, 3, 1, 2.5 - 1 + 3, false},
		// Identity denoiser (x̂ = y, tr = n): SURE = σ², its true risk.
		{"identity", []float64{0.3, -2, 5}, []float64{0.3, -2, 5}, 3, 0.1, 0.01, false},
		// Zero denoiser (x̂ = 0, tr = 0): ‖y‖²/n − σ², unbiased for ‖x‖²/n.
		{"zero", []float64{3, 4}, []float64{0, 0}, 0, 2, 12.5 - 4, false},
		{"lengths", []float64{1, 2}, []float64{0}, 0, 1, 0, true},
		{"empty", nil, nil, 0, 1, 0, true},
		{"NaN sigma", []float64{1}, []float64{1}, 0, math.NaN(), 0, true},
		{"negative sigma", []float64{1}, []float64{1}, 0, -1, 0, true},
		{"Inf trace", []float64{1}, []float64{1}, math.Inf(1), 1, 0, true},
		{"NaN image", []float64{math.NaN()}, []float64{1}, 0, 1, 0, true},
	}
	for _, tc := range tests {
		got, err := SURE(tc.y, tc.xhat, tc.trace, tc.sigma)
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: error %v", tc.name, err)
			continue
		}
		if !tc.wantErr && math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: SURE %g, want %g", tc.name, got, tc.want)
		}
	}
}
