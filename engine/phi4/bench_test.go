package phi4

import (
	"fmt"
	"testing"
)

// BenchmarkFAHMCStep times one Fourier-accelerated HMC trajectory of 8
// leapfrog steps with fixed ε and m² (no warm-up): 9 real 2-D filters
// (one per drift and one to draw p) and one forward transform for K(p).
func BenchmarkFAHMCStep(b *testing.B) {
	for _, l := range []int{32, 64, 128} {
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			opts := Options{StepSize: 0.1, Leapfrog: 8, Mass2: 0.5}
			s, err := NewFAHMC(Model{L: l, Beta: 0.68}, opts, 1)
			if err != nil {
				b.Fatal(err)
			}
			s.Step()
			b.ReportAllocs()
			for b.Loop() {
				s.Step()
			}
		})
	}
}

// BenchmarkFourierKinetic times the drift φ ← φ + ε M⁻¹p of FA-HMC: one
// forward and one inverse real 2-D FFT of an L×L field.
func BenchmarkFourierKinetic(b *testing.B) {
	for _, l := range []int{64, 128, 256} {
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			k := newFourierKinetic(l, 0.68, 0.5)
			p := randomField(l, 1).Data
			phi := make([]float64, l*l)
			b.ReportAllocs()
			for b.Loop() {
				k.drift(phi, p, 1e-3)
			}
		})
	}
}
