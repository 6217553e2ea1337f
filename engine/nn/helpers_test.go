package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randTensor returns an n×c×h×w tensor of N(0, 1) values.
func randTensor(rng *rand.Rand, n, c, h, w int) *Tensor {
	t := NewTensor(n, c, h, w)
	for i := range t.Data {
		t.Data[i] = float32(rng.NormFloat64())
	}
	return t
}

func randSlice(rng *rand.Rand, n int, scale float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(scale * rng.NormFloat64())
	}
	return s
}

// dot returns Σ a_i b_i in float64.
func dot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func norm(a []float32) float64 { return math.Sqrt(dot(a, a)) }

// maxRelDiff returns max_i |a_i − b_i| / max(max_i |b_i|, tiny).
func maxRelDiff(a, b []float32) float64 {
	var d, m float64
	for i := range a {
		d = max(d, math.Abs(float64(a[i])-float64(b[i])))
		m = max(m, math.Abs(float64(b[i])))
	}
	return d / max(m, 1e-30)
}

// refConv3x3 is a direct float64 evaluation of the 3×3 convolution formula.
func refConv3x3(x *Tensor, w []float32, cout int) []float64 {
	out := make([]float64, x.N*cout*x.H*x.W)
	for n := 0; n < x.N; n++ {
		for co := 0; co < cout; co++ {
			for y := 0; y < x.H; y++ {
				for xx := 0; xx < x.W; xx++ {
					var s float64
					for ci := 0; ci < x.C; ci++ {
						for ky := 0; ky < 3; ky++ {
							for kx := 0; kx < 3; kx++ {
								yy, xi := y+ky-1, xx+kx-1
								if yy < 0 || yy >= x.H || xi < 0 || xi >= x.W {
									continue
								}
								s += float64(w[((co*x.C+ci)*3+ky)*3+kx]) * float64(x.At(n, ci, yy, xi))
							}
						}
					}
					out[((n*cout+co)*x.H+y)*x.W+xx] = s
				}
			}
		}
	}
	return out
}

// checkClose fails when max|got − want| > tol·max(max|want|, 1).
func checkClose(t *testing.T, what string, got []float32, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: length %d, want %d", what, len(got), len(want))
	}
	var d, m float64
	for i := range got {
		d = max(d, math.Abs(float64(got[i])-want[i]))
		m = max(m, math.Abs(want[i]))
	}
	if d > tol*max(m, 1) {
		t.Errorf("%s: max abs error %.3g (max |want| %.3g, tol %.1g)", what, d, m, tol)
	}
}
