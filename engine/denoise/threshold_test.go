package denoise

import (
	"math"
	"strings"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/wavelet"
)

func TestSoftThreshold(t *testing.T) {
	tests := []struct{ v, t, want float64 }{
		{3, 1, 2},
		{-3, 1, -2},
		{0.5, 1, 0},
		{-0.5, 1, 0},
		{1, 1, 0},
		{-1, 1, 0},
		{2, 0, 2},
		{-2, 0, -2},
		{0, 0, 0},
	}
	for _, tt := range tests {
		if got := softThreshold(tt.v, tt.t); got != tt.want {
			t.Errorf("softThreshold(%v, %v) = %v, want %v", tt.v, tt.t, got, tt.want)
		}
	}
}

// mustWavelet returns the named wavelet or fails the test.
func mustWavelet(t *testing.T, name string) *wavelet.Wavelet {
	t.Helper()
	w, err := wavelet.ByName(name)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestWaveletSoftThreshold(t *testing.T) {
	y := AddNoise(constant(32, 16, 0.5), 0.2, 4)
	for _, name := range []string{"haar", "db4"} {
		w := mustWavelet(t, name)
		for levels := 0; levels <= 4; levels++ {
			// t = 0: the identity up to rounding.
			id, err := WaveletSoftThreshold(y, w, levels, 0)
			if err != nil {
				t.Fatal(err)
			}
			for i := range id.Data {
				if math.Abs(id.Data[i]-y.Data[i]) > 1e-12 {
					t.Fatalf("%s, J = %d, t = 0: value %v, want %v", name, levels, id.Data[i], y.Data[i])
				}
			}
			// t large: the projection on V_J.
			big, err := WaveletSoftThreshold(y, w, levels, 1e6)
			if err != nil {
				t.Fatal(err)
			}
			p, err := wavelet.Decompose(w, y, levels)
			if err != nil {
				t.Fatal(err)
			}
			proj, err := p.Projection(levels)
			if err != nil {
				t.Fatal(err)
			}
			for i := range big.Data {
				if math.Abs(big.Data[i]-proj.Data[i]) > 1e-12 {
					t.Fatalf("%s, J = %d, t large: value %v, want P_VJ = %v", name, levels, big.Data[i], proj.Data[i])
				}
			}
			// Intermediate t: the coefficients are soft thresholded.
			const th = 0.15
			est, err := WaveletSoftThreshold(y, w, levels, th)
			if err != nil {
				t.Fatal(err)
			}
			tr, _ := wavelet.NewTransform(w, y.W, y.H, levels)
			cy := make([]float64, len(y.Data))
			ce := make([]float64, len(y.Data))
			_ = tr.Forward(cy, y.Data)
			_ = tr.Forward(ce, est.Data)
			aw, ah := y.W>>levels, y.H>>levels
			for i := range cy {
				want := cy[i]
				if i%y.W >= aw || i/y.W >= ah {
					want = softThreshold(cy[i], th)
				}
				if math.Abs(ce[i]-want) > 1e-12 {
					t.Fatalf("%s, J = %d: coefficient %d is %v, want %v", name, levels, i, ce[i], want)
				}
			}
		}
	}
}

func TestWaveletSoftThresholdErrors(t *testing.T) {
	y := constant(32, 32, 0)
	db4, _ := wavelet.ByName("db4")
	tests := []struct {
		name   string
		y      *field.Field
		w      *wavelet.Wavelet
		levels int
		t      float64
		want   string
	}{
		{"nil image", nil, db4, 2, 1, "nil"},
		{"malformed", &field.Field{W: 2, H: 2}, db4, 1, 1, "values"},
		{"negative t", y, db4, 2, -1, "threshold"},
		{"NaN t", y, db4, 2, math.NaN(), "threshold"},
		{"Inf t", y, db4, 2, math.Inf(1), "threshold"},
		{"nil wavelet", y, nil, 2, 1, "wavelet"},
		{"bad wavelet", y, &wavelet.Wavelet{Name: "bad", Lo: []float64{1, 1}}, 2, 1, "bad"},
		{"negative levels", y, db4, -1, 1, "levels"},
		{"too many levels", y, db4, 6, 1, "divisible"},
	}
	for _, tt := range tests {
		got, err := WaveletSoftThreshold(tt.y, tt.w, tt.levels, tt.t)
		if err == nil || got != nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: WaveletSoftThreshold = %v, %v; want an error mentioning %q", tt.name, got != nil, err, tt.want)
		}
	}
}

func TestEstimateNoiseMAD(t *testing.T) {
	w := mustWavelet(t, "db4")
	for _, sigma := range []float64{0.02, 0.1, 0.5} {
		y := AddNoise(constant(128, 128, 0.4), sigma, 11)
		got, err := EstimateNoiseMAD(y, w)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got/sigma-1) > 0.06 {
			t.Errorf("σ = %v: MAD estimate %v", sigma, got)
		}
	}
	if s, err := EstimateNoiseMAD(constant(8, 8, 1), w); err != nil || math.Abs(s) > 1e-12 {
		t.Errorf("MAD of a constant image = %v, %v; want 0", s, err)
	}
	bad := constant(8, 8, 0)
	bad.Data[5] = math.NaN()
	for _, tt := range []struct {
		name string
		y    *field.Field
		w    *wavelet.Wavelet
	}{
		{"nil", nil, w},
		{"odd", constant(9, 8, 0), w},
		{"NaN", bad, w},
		{"nil wavelet", constant(8, 8, 0), nil},
	} {
		if _, err := EstimateNoiseMAD(tt.y, tt.w); err == nil {
			t.Errorf("%s: EstimateNoiseMAD returned no error", tt.name)
		}
	}
}
