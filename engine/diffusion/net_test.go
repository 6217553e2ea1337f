package diffusion

import (
	"testing"

	"scalewise/engine/nn"
)

// TestNetDenoiser checks the adapter against UNet.Denoise, that it ignores
// σ (the net is blind) and refuses sizes the net cannot take, and that a
// sampler over a net reproduces its trajectory with the same seed.
func TestNetDenoiser(t *testing.T) {
	u, err := nn.NewUNet(nn.UNetConfig{Blocks: 1, Base: 4}, 3)
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewNetDenoiser(u, 8, 12)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, 96)
	in := nn.NewTensor(1, 1, 8, 12)
	for i := range y {
		y[i] = float64(i%7) / 7
		in.Data[i] = float32(y[i])
	}
	want := nn.NewTensor(1, 1, 8, 12)
	if err := u.Denoise(want, in); err != nil {
		t.Fatal(err)
	}
	a, b := make([]float64, 96), make([]float64, 96)
	if err := d.Denoise(a, y, 0.1); err != nil {
		t.Fatal(err)
	}
	if err := d.Denoise(b, y, 0.9); err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if a[i] != float64(want.Data[i]) || a[i] != b[i] {
			t.Fatalf("x̂[%d] = %g (σ=0.9: %g), want %g", i, a[i], b[i], want.Data[i])
		}
	}
	if err := d.Denoise(a[:5], y, 0); err == nil {
		t.Error("wrong length accepted")
	}
	if _, err := NewNetDenoiser(u, 7, 8); err == nil {
		t.Error("odd size accepted for a 1-block net")
	}
	run := func() []float64 {
		s, err := NewKadkhodaie(d, NewNoise(4, 1), KadkhodaiePaper())
		if err != nil {
			t.Fatal(err)
		}
		s.cfg.MaxIter = 30 // an untrained net need not converge
		for i := 0; i < 30; i++ {
			if done, err := s.Step(); err != nil || done {
				break
			}
		}
		return append([]float64(nil), s.State().Y...)
	}
	if !equalSlices(run(), run()) {
		t.Error("same seed, different trajectories over a net")
	}
}
