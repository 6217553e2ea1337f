package nn

import (
	"math/rand/v2"
	"testing"
)

func convRow4v(o0, o1, o2, o3, s []float32, w *[12]float32) {
	n := len(o0)
	s = s[: n+2 : n+2]
	c := s[2:]
	o1, o2, o3 = o1[:len(c)], o2[:len(c)], o3[:len(c)]
	o0 = o0[:len(c)]
	w00, w01, w02 := w[0], w[1], w[2]
	w10, w11, w12 := w[3], w[4], w[5]
	w20, w21, w22 := w[6], w[7], w[8]
	w30, w31, w32 := w[9], w[10], w[11]
	a, b := s[0], s[1]
	for j, v := range c {
		o0[j] += w00*a + w01*b + w02*v
		o1[j] += w10*a + w11*b + w12*v
		o2[j] += w20*a + w21*b + w22*v
		o3[j] += w30*a + w31*b + w32*v
		a, b = b, v
	}
}

func BenchmarkConvRowVariants(b *testing.B) {
	const n = 512
	rng := rand.New(rand.NewPCG(1, 1))
	o := make([][]float32, 8)
	for i := range o {
		o[i] = randSlice(rng, n, 1)
	}
	s := randSlice(rng, n+2, 1)
	var w [24]float32
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.N)*n*24*2/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	}
	b.Run("8", func(b *testing.B) {
		for b.Loop() {
			convRow8(o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], s, &w)
		}
		report(b)
	})
	b.Run("4", func(b *testing.B) {
		for b.Loop() {
			convRow4v(o[0], o[1], o[2], o[3], s, (*[12]float32)(w[:12]))
			convRow4v(o[4], o[5], o[6], o[7], s, (*[12]float32)(w[12:]))
		}
		report(b)
	})
}
