package denoise

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"scalewise/engine/field"
)

// BenchmarkOracleWiener times OracleWiener on 8 noisy W×W images: 8 real
// 2-D DFTs of the 2W×2W extensions for the spectrum and 8 forward–inverse
// pairs for the filtering (run with -cpu 1 to time one goroutine).
func BenchmarkOracleWiener(b *testing.B) {
	for _, w := range []int{28, 64, 128} {
		b.Run(fmt.Sprintf("%dx%d", w, w), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(uint64(w), 3))
			var clean, noisy []*field.Field
			for i := range 8 {
				x := field.New(w, w)
				for j := range x.Data {
					x.Data[j] = rng.Float64()
				}
				clean = append(clean, x)
				noisy = append(noisy, AddNoise(x, 0.1, uint64(i)))
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := OracleWiener(clean, noisy, 0.1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
