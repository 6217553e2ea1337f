package wavelet

import (
	"fmt"
	"testing"
)

// BenchmarkBandSpectrum times the band map of a 4-level db4 basis: 13
// inverse wavelet transforms and 13 real 2-D DFTs of N×N fields.
func BenchmarkBandSpectrum(b *testing.B) {
	w, err := ByName("db4")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{64, 256} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := BandSpectrum(w, n, 4); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
