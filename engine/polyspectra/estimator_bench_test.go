package polyspectra

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkCompute times the statistics of one 64×64 field with 8 rings:
// one forward and 8 inverse real 2-D FFTs and the shell products.
func BenchmarkCompute(b *testing.B) {
	e, err := NewEstimator(64, 64, 8)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 64*64)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	for b.Loop() {
		if _, err := e.Compute(x); err != nil {
			b.Fatal(err)
		}
	}
}
