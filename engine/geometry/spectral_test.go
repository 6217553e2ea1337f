package geometry

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestFreqIndex(t *testing.T) {
	tests := []struct {
		n    int
		want []int
	}{
		{1, []int{0}},
		{4, []int{0, 1, 2, -1}},
		{5, []int{0, 1, 2, -2, -1}},
	}
	for _, tt := range tests {
		for i, w := range tt.want {
			if got := freqIndex(i, tt.n); got != w {
				t.Errorf("freqIndex(%d, %d) = %d, want %d", i, tt.n, got, w)
			}
		}
	}
}

func TestFilters(t *testing.T) {
	for _, n := range []int{8, 15, 33, 64} {
		rng := rand.New(rand.NewPCG(uint64(n), 1))
		x := uniformNoise(rng, n, -1, 1)
		assertClose(t, "filter1D identity", filter1D(x, func(int) float64 { return 1 }), x, 1e-12)

		// Removing the mean: w = 1{k ≠ 0}.
		mean := 0.0
		for _, v := range x {
			mean += v
		}
		mean /= float64(n)
		want := make([]float64, n)
		for i, v := range x {
			want[i] = v - mean
		}
		assertClose(t, "filter1D mean removal", filter1D(x, powerLaw1D(0, 0)), want, 1e-12)

		// A cosine of frequency 3 is scaled by w(3).
		cos := make([]float64, n)
		for i := range cos {
			cos[i] = math.Cos(2 * math.Pi * 3 * float64(i) / float64(n))
		}
		scaled := make([]float64, n)
		for i, v := range cos {
			scaled[i] = v * math.Pow(3, -1.5)
		}
		assertClose(t, "filter1D cosine", filter1D(cos, powerLaw1D(1.5, 1)), scaled, 1e-12)

		x2 := uniformNoise(rng, n*n, -1, 1)
		assertClose(t, "filter2D identity", filter2D(x2, n, func(int, int) float64 { return 1 }), x2, 1e-12)

		// cos(2π(2x + 1y)/n) is scaled by (2² + 1²)^(−β/2).
		plane := make([]float64, n*n)
		planeWant := make([]float64, n*n)
		for y := 0; y < n; y++ {
			for xx := 0; xx < n; xx++ {
				v := math.Cos(2 * math.Pi * float64(2*xx+y) / float64(n))
				plane[y*n+xx] = v
				planeWant[y*n+xx] = v * math.Pow(5, -1.25)
			}
		}
		assertClose(t, "filter2D plane wave", filter2D(plane, n, powerLaw2D(2.5, 1)), planeWant, 1e-12)
	}
}

func TestRescale(t *testing.T) {
	tests := []struct {
		in, want []float64
		lo, hi   float64
	}{
		{[]float64{-1, 0, 3}, []float64{0, 0.25, 1}, 0, 1},
		{[]float64{2, 4}, []float64{0.5, 1}, 0.5, 1},
		{[]float64{7, 7}, []float64{0.2, 0.2}, 0.2, 0.9},
	}
	for _, tt := range tests {
		got := append([]float64(nil), tt.in...)
		rescale(got, tt.lo, tt.hi)
		assertClose(t, "rescale", got, tt.want, 1e-15)
	}
}

func assertClose(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: length %d, want %d", name, len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			t.Errorf("%s: [%d] = %v, want %v", name, i, got[i], want[i])
			return
		}
	}
}
