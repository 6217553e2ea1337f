package denoise

import (
	"math/rand/v2"

	"scalewise/engine/field"
)

// noiseStream is the second PCG seed word of AddNoise.
const noiseStream = 0x4177676e4e6f6973 // "AwgnNois"

// AddNoise returns y = x + σz with z_i ~ N(0, 1) i.i.d., drawn from a PCG
// generator seeded with (seed, noiseStream) in row-major order, so equal
// arguments give equal images. x is not modified. The result is not clipped
// to [0, 1]. A nil x gives nil; σ = 0 gives a copy of x.
func AddNoise(x *field.Field, sigma float64, seed uint64) *field.Field {
	if x == nil {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, noiseStream))
	y := x.Clone()
	for i := range y.Data {
		y.Data[i] += sigma * rng.NormFloat64()
	}
	return y
}
