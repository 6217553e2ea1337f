package nn

import (
	"math/rand/v2"
	"testing"
)

func TestNoAllocations(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for _, kernels := range KernelSets() {
		for _, workers := range []int{1, 2} {
			u, _ := NewUNet(UNetConfig{Blocks: 2, Base: 8}, 1)
			u.SetWorkers(workers)
			u.SetKernels(kernels)
			y := randTensor(rng, 2, 1, 32, 32)
			v := randTensor(rng, 2, 1, 32, 32)
			out := NewTensor(2, 1, 32, 32)
			ops := NewOps(workers)
			ops.SetKernels(kernels)
			x := randTensor(rng, 2, 16, 32, 32)
			cw := randSlice(rng, 16*16*9, 0.1)
			cout := NewTensor(2, 16, 32, 32)
			ux := randTensor(rng, 2, 32, 16, 16)
			uw := randSlice(rng, 32*16*4, 0.1)
			cases := []struct {
				name string
				f    func()
			}{
				{"Residual", func() { u.Residual(out, y) }},
				{"Denoise", func() { u.Denoise(out, y) }},
				{"JVP", func() { u.JVP(y, v, out) }},
				{"VJP", func() { u.VJP(y, v, out) }},
				{"TrainStep", func() { u.TrainStep(y, v) }},
				{"Conv3x3", func() { ops.Conv3x3(cout, x, cw) }},
				{"Conv3x3BackwardInput", func() { ops.Conv3x3BackwardInput(x, cout, cw) }},
				{"Conv3x3BackwardWeight", func() { ops.Conv3x3BackwardWeight(cw, x, cout) }},
				{"ConvTranspose2x2", func() { ops.ConvTranspose2x2(x, ux, uw) }},
				{"ConvTranspose2x2BackwardInput", func() { ops.ConvTranspose2x2BackwardInput(ux, x, uw) }},
				{"ConvTranspose2x2BackwardWeight", func() { ops.ConvTranspose2x2BackwardWeight(uw, ux, x) }},
			}
			for _, c := range cases {
				c.f() // warm-up: workspaces
				if n := testing.AllocsPerRun(5, c.f); n != 0 {
					t.Errorf("%s kernels, workers %d: %s allocates %.1f times per call", kernels, workers, c.name, n)
				}
			}
			ops.Close()
		}
	}
}
