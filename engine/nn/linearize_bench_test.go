package nn

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkJacobianProducts compares one JVP and one VJP (a step of
// Lanczos on the symmetric part of the Jacobian) at one 64×64 image of the
// {Blocks: 2, Base: 16} U-Net (the "drawing" net's shape), with one
// worker: by UNet.JVP and VJP, which rerun the forward pass each, and by a
// Linearization, which ran it once. It reports milliseconds per pair.
func BenchmarkJacobianProducts(b *testing.B) {
	u, err := NewUNet(UNetConfig{Blocks: 2, Base: 16}, 1)
	if err != nil {
		b.Fatal(err)
	}
	u.SetWorkers(1)
	rng := rand.New(rand.NewPCG(7, 8))
	y, v := randTensor(rng, 1, 1, 64, 64), randTensor(rng, 1, 1, 64, 64)
	out := NewTensor(1, 1, 64, 64)
	b.Run("UNet", func(b *testing.B) {
		for b.Loop() {
			u.JVP(y, v, out)
			u.VJP(y, out, v)
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/pair")
	})
	b.Run("Linearization", func(b *testing.B) {
		l, err := u.Linearize(y)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			l.JVP(v, out)
			l.VJP(out, v)
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/pair")
	})
	b.Run("Linearize", func(b *testing.B) {
		for b.Loop() {
			u.Linearize(y)
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/op")
	})
}
