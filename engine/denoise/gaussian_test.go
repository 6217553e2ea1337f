package denoise

import (
	"math"
	"strings"
	"testing"

	"scalewise/engine/field"
)

func TestReflectIndex(t *testing.T) {
	tests := []struct {
		n    int
		in   []int
		want []int
	}{
		{4, []int{-9, -8, -5, -4, -1, 0, 3, 4, 7, 8, 11, 12}, []int{0, 0, 3, 3, 0, 0, 3, 3, 0, 0, 3, 3}},
		{1, []int{-3, -1, 0, 1, 5}, []int{0, 0, 0, 0, 0}},
		{3, []int{-2, -1, 3, 4, 5, 6}, []int{1, 0, 2, 1, 0, 0}},
	}
	for _, tt := range tests {
		for k, i := range tt.in {
			if got := reflectIndex(i, tt.n); got != tt.want[k] {
				t.Errorf("reflectIndex(%d, %d) = %d, want %d", i, tt.n, got, tt.want[k])
			}
		}
	}
}

func TestGaussianFilterErrors(t *testing.T) {
	y := constant(8, 8, 0)
	tests := []struct {
		name string
		y    *field.Field
		s    float64
		want string
	}{
		{"nil", nil, 1, "nil"},
		{"malformed", &field.Field{W: 2, H: 2, Data: []float64{1}}, 1, "values"},
		{"negative", y, -0.5, "std"},
		{"NaN", y, math.NaN(), "std"},
		{"Inf", y, math.Inf(1), "std"},
		{"too large", y, MaxGaussianStd + 1, "std"},
	}
	for _, tt := range tests {
		got, err := GaussianFilter(tt.y, tt.s)
		if err == nil || got != nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: GaussianFilter = %v, %v; want an error mentioning %q", tt.name, got != nil, err, tt.want)
		}
	}
}

func TestGaussianFilterConstantAndMean(t *testing.T) {
	sizes := [][2]int{{1, 1}, {5, 3}, {16, 16}, {33, 20}}
	for _, sz := range sizes {
		for _, s := range []float64{0, 0.3, 1, 2.5, 10, 40} {
			c, err := GaussianFilter(constant(sz[0], sz[1], 0.37), s)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range c.Data {
				if math.Abs(v-0.37) > 1e-12 {
					t.Fatalf("%v, s = %v: constant 0.37 becomes %v", sz, s, v)
				}
			}
			y := AddNoise(constant(sz[0], sz[1], 0), 1, uint64(sz[0]))
			f, _ := GaussianFilter(y, s)
			if d := math.Abs(mean(f.Data) - mean(y.Data)); d > 1e-12 {
				t.Errorf("%v, s = %v: mean changes by %v", sz, s, d)
			}
		}
	}
	y := AddNoise(constant(9, 9, 0), 1, 1)
	c, _ := GaussianFilter(y, 0)
	if !equal(c.Data, y.Data) || &c.Data[0] == &y.Data[0] {
		t.Errorf("GaussianFilter(s = 0) is not a copy")
	}
}

// mean returns the mean of v.
func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// TestGaussianFilterWhiteNoise checks that white noise of variance 1 keeps
// variance (Σ g²)² away from the borders.
func TestGaussianFilterWhiteNoise(t *testing.T) {
	const n = 256
	y := AddNoise(constant(n, n, 0), 1, 3)
	for _, s := range []float64{0.5, 1, 2, 3} {
		f, err := GaussianFilter(y, s)
		if err != nil {
			t.Fatal(err)
		}
		g := gaussianKernel(s)
		g2 := 0.0
		for _, v := range g {
			g2 += v * v
		}
		r := len(g) / 2
		sq, count := 0.0, 0
		for yy := r; yy < n-r; yy++ {
			for x := r; x < n-r; x++ {
				v := f.At(x, yy)
				sq += v * v
				count++
			}
		}
		got, want := sq/float64(count), g2*g2
		if math.Abs(got/want-1) > 0.05 {
			t.Errorf("s = %v: filtered noise variance %v, want %v", s, got, want)
		}
	}
}

// TestGaussianFilterImpulse checks the impulse response against the kernel
// and the symmetry of the filter.
func TestGaussianFilterImpulse(t *testing.T) {
	const n = 31
	y := constant(n, n, 0)
	y.Set(15, 15, 1)
	s := 1.7
	f, err := GaussianFilter(y, s)
	if err != nil {
		t.Fatal(err)
	}
	g := gaussianKernel(s)
	r := len(g) / 2
	for yy := range n {
		for x := range n {
			want := 0.0
			if dx, dy := x-15, yy-15; dx >= -r && dx <= r && dy >= -r && dy <= r {
				want = g[dx+r] * g[dy+r]
			}
			if math.Abs(f.At(x, yy)-want) > 1e-15 {
				t.Fatalf("impulse response at (%d, %d) = %v, want %v", x, yy, f.At(x, yy), want)
			}
		}
	}
	// The continuous Gaussian's variance, up to sampling: Σ k² g[k] ≈ s².
	v := 0.0
	for k, gk := range g {
		v += float64((k-r)*(k-r)) * gk
	}
	if math.Abs(v-s*s) > 1e-3*s*s {
		t.Errorf("kernel variance %v, want %v", v, s*s)
	}
}
