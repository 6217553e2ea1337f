package turbulence

import (
	"fmt"
	"testing"
)

// BenchmarkStep times one IFRK4 step (four advection evaluations, each two
// complex inverse FFTs and one real forward FFT, plus the forcing) of the
// default flow after 50 steps from rest. Run with
//
//	go test -run XXX -bench Step -cpu 1 ./engine/turbulence
func BenchmarkStep(b *testing.B) {
	for _, n := range []int{64, 128, 256} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s, err := New(DefaultParams(n))
			if err != nil {
				b.Fatal(err)
			}
			for range 50 {
				if err := s.Step(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := s.Step(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
