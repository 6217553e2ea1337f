package denoise

import (
	"math"
	"strings"
	"testing"

	"scalewise/engine/field"
)

// constant returns a w×h field with every value v.
func constant(w, h int, v float64) *field.Field {
	f := field.New(w, h)
	for i := range f.Data {
		f.Data[i] = v
	}
	return f
}

func TestPSNR(t *testing.T) {
	ramp := field.New(8, 4)
	for i := range ramp.Data {
		ramp.Data[i] = float64(i) / 31
	}
	shift := func(f *field.Field, d float64) *field.Field {
		g := f.Clone()
		for i := range g.Data {
			g.Data[i] += d
		}
		return g
	}
	alternate := ramp.Clone()
	for i := range alternate.Data {
		alternate.Data[i] += 0.05 * float64(1-2*(i%2))
	}
	tests := []struct {
		name       string
		clean, est *field.Field
		want       float64
	}{
		{"error 0.1", ramp, shift(ramp, 0.1), 20},
		{"error −0.1", ramp, shift(ramp, -0.1), 20},
		{"error 0.01", ramp, shift(ramp, 0.01), 40},
		{"error 1", constant(3, 5, 0), constant(3, 5, 1), 0},
		{"alternating ±0.05", ramp, alternate, 10 * math.Log10(400)},
		{"equal", ramp, ramp.Clone(), math.Inf(1)},
	}
	for _, tt := range tests {
		got, err := PSNR(tt.clean, tt.est)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if math.IsInf(tt.want, 1) && !math.IsInf(got, 1) || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: PSNR = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestPSNRErrors(t *testing.T) {
	a := constant(4, 4, 0.5)
	nan := a.Clone()
	nan.Data[3] = math.NaN()
	tests := []struct {
		name       string
		clean, est *field.Field
		want       string
	}{
		{"nil clean", nil, a, "nil"},
		{"nil estimate", a, nil, "nil"},
		{"width", a, constant(5, 4, 0), "4×4"},
		{"height", a, constant(4, 3, 0), "4×4"},
		{"short data", a, &field.Field{W: 4, H: 4, Data: make([]float64, 15)}, "values"},
		{"zero size", &field.Field{}, a, "size"},
		{"NaN", a, nan, "NaN"},
		{"Inf", &field.Field{W: 1, H: 1, Data: []float64{math.Inf(1)}}, constant(1, 1, 0), "infinite"},
	}
	for _, tt := range tests {
		_, err := PSNR(tt.clean, tt.est)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}
}

func TestAddNoise(t *testing.T) {
	x := constant(256, 256, 0.3)
	for _, sigma := range []float64{0.01, 0.1, 1} {
		y := AddNoise(x, sigma, 7)
		if y.W != x.W || y.H != x.H {
			t.Fatalf("AddNoise: size %d×%d", y.W, y.H)
		}
		mean, sq := 0.0, 0.0
		for i, v := range y.Data {
			d := v - x.Data[i]
			mean += d
			sq += d * d
		}
		n := float64(len(y.Data))
		mean /= n
		std := math.Sqrt(sq/n - mean*mean)
		// Standard errors: σ/√n for the mean, σ/√(2n) for the std.
		if math.Abs(mean) > 4*sigma/math.Sqrt(n) {
			t.Errorf("σ = %v: noise mean %v", sigma, mean)
		}
		if math.Abs(std-sigma) > 4*sigma/math.Sqrt(2*n) {
			t.Errorf("σ = %v: noise std %v", sigma, std)
		}
		if again := AddNoise(x, sigma, 7); !equal(again.Data, y.Data) {
			t.Errorf("σ = %v: AddNoise is not deterministic", sigma)
		}
		if other := AddNoise(x, sigma, 8); equal(other.Data, y.Data) {
			t.Errorf("σ = %v: seeds 7 and 8 agree", sigma)
		}
	}
	for _, v := range x.Data {
		if v != 0.3 {
			t.Fatalf("AddNoise modified its input")
		}
	}
	if y := AddNoise(x, 0, 1); !equal(y.Data, x.Data) || &y.Data[0] == &x.Data[0] {
		t.Errorf("AddNoise(σ = 0) is not a copy")
	}
	if AddNoise(nil, 1, 1) != nil {
		t.Errorf("AddNoise(nil) is not nil")
	}
}

// equal reports whether a and b hold the same values.
func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
