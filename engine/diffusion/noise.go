package diffusion

import "math/rand/v2"

// Noise is a reproducible stream of independent standard normal values, a
// PCG generator (math/rand/v2) seeded with (seed, stream). It is independent
// of any denoiser, so that two samplers given streams with the same seed and
// stream number draw identical initial noise y₀ − m = σ₀z₀ and identical
// injected noise z_t at every step, whatever nets they run — the condition of
// the generalisation test of Kadkhodaie, Guth, Simoncelli and Mallat (ICLR
// 2024, §2.2), where the two nets start from the same noise and must also see
// the same injected noise. Not safe for concurrent use.
type Noise struct {
	rng *rand.Rand
}

// NewNoise returns the stream numbered stream of seed (e.g. the sample index
// within a run).
func NewNoise(seed, stream uint64) *Noise {
	return &Noise{rng: rand.New(rand.NewPCG(seed, stream))}
}

// Fill sets every value of z to the next standard normal values of the
// stream.
func (s *Noise) Fill(z []float64) {
	for i := range z {
		z[i] = s.rng.NormFloat64()
	}
}
