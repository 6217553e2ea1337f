package scattering

import (
	"math"
	"math/rand/v2"

	"scalewise/engine/field"
	"scalewise/engine/fourier"
)

// whiteNoiseStream is the PCG stream of WhiteNoise ("whit").
const whiteNoiseStream = 0x77686974

// WhiteNoise returns a w×h field of independent standard Gaussian values
// drawn from seed: a field with no geometric regularity, whose directional
// regularity D̄(j, j') decreases with j' (see DirectionalRegularity).
func WhiteNoise(w, h int, seed uint64) *field.Field {
	rng := rand.New(rand.NewPCG(seed, whiteNoiseStream))
	f := field.New(w, h)
	for i := range f.Data {
		f.Data[i] = rng.NormFloat64()
	}
	return f
}

// GaussianFreeField returns the n×n periodic Gaussian random field with
// power spectrum P(ω) ∝ |ω|^{−2} (the 2-D Gaussian free field, scale
// invariant, long-range correlated but without edges): WhiteNoise(n, n,
// seed) filtered in Fourier by 1/|ω|, with the mean (ω = 0) removed.
func GaussianFreeField(n int, seed uint64) (*field.Field, error) {
	x := WhiteNoise(n, n, seed)
	p, err := fourier.NewPlan2D(n, n)
	if err != nil {
		return nil, err
	}
	z := make([]complex128, n*n)
	if err := p.ForwardReal(z, x.Data); err != nil {
		return nil, err
	}
	for i := range z {
		k := math.Hypot(fourier.AngularFrequency(i%n, n), fourier.AngularFrequency(i/n, n))
		if k == 0 {
			z[i] = 0
		} else {
			z[i] *= complex(1/k, 0)
		}
	}
	if err := p.InverseReal(x.Data, z); err != nil {
		return nil, err
	}
	return x, nil
}
