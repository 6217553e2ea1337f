package polyspectra

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkSpectrumAdd times adding one L×L field to a radial spectrum
// (one forward real 2-D FFT on the half spectrum and the binning).
func BenchmarkSpectrumAdd(b *testing.B) {
	for _, l := range []int{64, 256} {
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			s, err := NewRadialSpectrum(l, l/4)
			if err != nil {
				b.Fatal(err)
			}
			r := rand.New(rand.NewPCG(uint64(l), 2))
			x := make([]float64, l*l)
			for i := range x {
				x[i] = r.NormFloat64()
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := s.Add(x); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
