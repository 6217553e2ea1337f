package compute

import (
	"context"
	"fmt"
	"math"
	"time"

	"scalewise/engine/diffusion"
	"scalewise/ui/protocol"
)

// genGridGap is the gap between the samples of a grid, in pixels.
const genGridGap = 2

// Grid draws N samples from one net (GenGridRequest): sample i of the seed
// is drawn from the noise stream diffusion.NewNoise(Seed, i), i = 0 … N−1
// — the sample a run with Sample = i draws, bit for bit — by the
// Kadkhodaie ascent (NeurIPS 2021, Alg. 1) or the reverse SDE. It answers
// with protocol.GenGridValues and the RGBA image "grid": the samples in
// grey over [0, its maximum] (genWhite), in rows of Cols = ⌈√N⌉ cells separated by 2 pixels,
// reporting its progress after each sample.
func (s *GenSession) Grid(r GenGridRequest, progress Progress) (*Frames, error) {
	progress = quiet(progress)
	t0 := time.Now()
	if r.N < 1 || r.N > MaxGenGrid {
		return nil, fmt.Errorf("n=%d samples: want 1 to %d", r.N, MaxGenGrid)
	}
	spec, err := newGenSpec(r.Sampler, r.Preset, r.Steps, r.Size)
	if err != nil {
		return nil, err
	}
	net, err := s.loadNet(r.Net)
	if err != nil {
		return nil, err
	}
	n := spec.size
	den, err := diffusion.NewNetDenoiser(net.u, n, n)
	if err != nil {
		return nil, fmt.Errorf("net %s: %w", r.Net, err)
	}
	cols := int(math.Ceil(math.Sqrt(float64(r.N))))
	rows := (r.N + cols - 1) / cols
	c := newGenCanvas(cols, rows, n, genGridGap)
	iters := make([]int, r.N)
	for i := range r.N {
		progress(i, r.N, fmt.Sprintf("sample %d of %d", i+1, r.N))
		smp, err := spec.newSampler(den, r.Seed, uint64(i))
		if err != nil {
			return nil, err
		}
		x, err := smp.Run(context.Background(), nil)
		if err != nil {
			return nil, fmt.Errorf("sample %d of net %s (%s): %w", i, r.Net, spec.name(), err)
		}
		iters[i] = smp.State().T
		c.put(i%cols, i/cols, n, x)
	}
	progress(r.N, r.N, "done")
	fr := NewFrames(GenScene, &protocol.GenGridValues{
		Kind: protocol.KindGrid, Net: net.info, N: r.N, Cols: cols, Size: n, Sampler: spec.Sampler,
		Iterations: iters, Seconds: time.Since(t0).Seconds(),
	})
	if err := fr.AddRGBA("grid", c.w, c.h, c.rgba()); err != nil {
		return nil, err
	}
	return fr, nil
}
