package nn

import (
	"math/rand/v2"
	"testing"
)

func corrRow4v(acc *[12]float32, d0, d1, d2, d3, s []float32) {
	n := len(d0)
	s = s[: n+2 : n+2]
	c := s[2:]
	d0, d1, d2, d3 = d0[:len(c)], d1[:len(c)], d2[:len(c)], d3[:len(c)]
	var a00, a01, a02, a10, a11, a12, a20, a21, a22, a30, a31, a32 float32
	a, b := s[0], s[1]
	for j, v := range c {
		g := d0[j]
		a00, a01, a02 = a00+g*a, a01+g*b, a02+g*v
		g = d1[j]
		a10, a11, a12 = a10+g*a, a11+g*b, a12+g*v
		g = d2[j]
		a20, a21, a22 = a20+g*a, a21+g*b, a22+g*v
		g = d3[j]
		a30, a31, a32 = a30+g*a, a31+g*b, a32+g*v
		a, b = b, v
	}
	acc[0] += a00
	acc[1] += a01
	acc[2] += a02
	acc[3] += a10
	acc[4] += a11
	acc[5] += a12
	acc[6] += a20
	acc[7] += a21
	acc[8] += a22
	acc[9] += a30
	acc[10] += a31
	acc[11] += a32
}

func corrRow2v(acc *[6]float32, d0, d1, s []float32) {
	n := len(d0)
	s = s[: n+2 : n+2]
	c := s[2:]
	d0, d1 = d0[:len(c)], d1[:len(c)]
	var a00, a01, a02, a10, a11, a12 float32
	a, b := s[0], s[1]
	for j, v := range c {
		g := d0[j]
		a00, a01, a02 = a00+g*a, a01+g*b, a02+g*v
		g = d1[j]
		a10, a11, a12 = a10+g*a, a11+g*b, a12+g*v
		a, b = b, v
	}
	acc[0] += a00
	acc[1] += a01
	acc[2] += a02
	acc[3] += a10
	acc[4] += a11
	acc[5] += a12
}

func corrRow8x1(acc *[8]float32, d0, d1, d2, d3, d4, d5, d6, d7, s []float32) {
	s = s[:len(d0)]
	d1, d2, d3 = d1[:len(s)], d2[:len(s)], d3[:len(s)]
	d4, d5, d6, d7 = d4[:len(s)], d5[:len(s)], d6[:len(s)], d7[:len(s)]
	d0 = d0[:len(s)]
	var a0, a1, a2, a3, a4, a5, a6, a7 float32
	for j, v := range s {
		a0 += d0[j] * v
		a1 += d1[j] * v
		a2 += d2[j] * v
		a3 += d3[j] * v
		a4 += d4[j] * v
		a5 += d5[j] * v
		a6 += d6[j] * v
		a7 += d7[j] * v
	}
	acc[0] += a0
	acc[1] += a1
	acc[2] += a2
	acc[3] += a3
	acc[4] += a4
	acc[5] += a5
	acc[6] += a6
	acc[7] += a7
}

func corrRow3v(acc *[9]float32, d0, d1, d2, s []float32) {
	n := len(d0)
	s = s[: n+2 : n+2]
	c := s[2:]
	d0, d1, d2 = d0[:len(c)], d1[:len(c)], d2[:len(c)]
	var a00, a01, a02, a10, a11, a12, a20, a21, a22 float32
	a, b := s[0], s[1]
	for j, v := range c {
		g := d0[j]
		a00, a01, a02 = a00+g*a, a01+g*b, a02+g*v
		g = d1[j]
		a10, a11, a12 = a10+g*a, a11+g*b, a12+g*v
		g = d2[j]
		a20, a21, a22 = a20+g*a, a21+g*b, a22+g*v
		a, b = b, v
	}
	acc[0] += a00
	acc[1] += a01
	acc[2] += a02
	acc[3] += a10
	acc[4] += a11
	acc[5] += a12
	acc[6] += a20
	acc[7] += a21
	acc[8] += a22
}

func BenchmarkCorrVariants(b *testing.B) {
	const n = 512
	rng := rand.New(rand.NewPCG(1, 1))
	d := make([][]float32, 8)
	for i := range d {
		d[i] = randSlice(rng, n, 1)
	}
	s := randSlice(rng, n+2, 1)
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.N)*n*24*2/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	}
	b.Run("8x3", func(b *testing.B) {
		var acc [24]float32
		for b.Loop() {
			corrRow8(&acc, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], s)
		}
		report(b)
	})
	b.Run("4x3", func(b *testing.B) {
		var acc [12]float32
		for b.Loop() {
			corrRow4v(&acc, d[0], d[1], d[2], d[3], s)
			corrRow4v(&acc, d[4], d[5], d[6], d[7], s)
		}
		report(b)
	})
	b.Run("2x3", func(b *testing.B) {
		var acc [6]float32
		for b.Loop() {
			corrRow2v(&acc, d[0], d[1], s)
			corrRow2v(&acc, d[2], d[3], s)
			corrRow2v(&acc, d[4], d[5], s)
			corrRow2v(&acc, d[6], d[7], s)
		}
		report(b)
	})
	b.Run("3x3", func(b *testing.B) {
		var acc [9]float32
		for b.Loop() {
			corrRow3v(&acc, d[0], d[1], d[2], s)
			corrRow3v(&acc, d[3], d[4], d[5], s)
			corrRow2v((*[6]float32)(acc[:6]), d[6], d[7], s)
		}
		report(b)
	})
	b.Run("8x1", func(b *testing.B) {
		var acc [8]float32
		for b.Loop() {
			for kx := 0; kx < 3; kx++ {
				corrRow8x1(&acc, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], s[kx:kx+n])
			}
		}
		report(b)
	})
}
