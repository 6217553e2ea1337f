package basis

import "math"

// dot returns ⟨a, b⟩ (len(a) ≤ len(b)).
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// axpy sets y += a·x (len(x) ≤ len(y)).
func axpy(y []float64, a float64, x []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

// nrm2 returns ‖a‖₂.
func nrm2(a []float64) float64 { return math.Sqrt(dot(a, a)) }

// scal sets x *= a.
func scal(x []float64, a float64) {
	for i := range x {
		x[i] *= a
	}
}
