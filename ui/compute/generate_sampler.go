package compute

import (
	"fmt"

	"scalewise/engine/diffusion"
)

// The samplers of the Generate scene, by name.
const (
	GenKadkhodaie = diffusion.SamplerKadkhodaie
	GenReverseSDE = diffusion.SamplerReverseSDE
)

const (
	// DefaultGenSize is the side of a generated image: the sweep's nets'.
	DefaultGenSize = 32
	// MinGenSize and MaxGenSize bound it; it must be a multiple of
	// GenSizeStep (the U-Nets of 3 blocks halve it three times).
	MinGenSize, MaxGenSize, GenSizeStep = 16, 128, 8
	// MaxGenSteps bounds the reverse SDE's steps (and is the Kadkhodaie
	// presets' iteration cap, diffusion.DefaultMaxIter).
	MaxGenSteps = diffusion.DefaultMaxIter
)

// genSpec is a validated choice of sampler, settings and image size.
type genSpec struct {
	diffusion.SamplerSettings
	size int
}

// newGenSpec validates a request's sampler, preset, steps and size and
// fills in the defaults (diffusion.NewSamplerSettings): the Kadkhodaie
// sampler, the "paper" preset, the reverse SDE's 200 steps and 32×32
// images. The preset applies to the Kadkhodaie sampler and the steps, at
// most MaxGenSteps, to the reverse SDE; each is checked whatever the
// sampler.
func newGenSpec(sampler, preset string, steps, size int) (genSpec, error) {
	smp, err := diffusion.NewSamplerSettings(diffusion.SamplerChoice{Sampler: sampler, Preset: preset, Steps: steps}, MaxGenSteps)
	if err != nil {
		return genSpec{}, err
	}
	switch {
	case size == 0:
		size = DefaultGenSize
	case size < MinGenSize || size > MaxGenSize || size%GenSizeStep != 0:
		return genSpec{}, fmt.Errorf("size=%d: want %d to %d, a multiple of %d (0: %d)", size, MinGenSize, MaxGenSize, GenSizeStep, DefaultGenSize)
	}
	return genSpec{SamplerSettings: smp, size: size}, nil
}

// newSampler returns a new sampler of the spec over den, drawing from the
// noise stream (seed, stream).
func (s genSpec) newSampler(den diffusion.Denoiser, seed, stream uint64) (diffusion.Sampler, error) {
	return s.NewSampler(den, diffusion.NewNoise(seed, stream))
}

// maxIter returns the iteration cap: the Kadkhodaie cap or the SDE's steps.
func (s genSpec) maxIter() int {
	if s.Sampler == GenKadkhodaie {
		return s.Kadkhodaie.MaxIter
	}
	return s.ReverseSDE.Steps
}

// sigmas returns the first noise level and the one the run stops at.
func (s genSpec) sigmas() (sigma0, sigmaL float64) {
	if s.Sampler == GenKadkhodaie {
		return s.Kadkhodaie.Sigma0, s.Kadkhodaie.SigmaL
	}
	return s.ReverseSDE.SigmaMax, s.ReverseSDE.SigmaMin
}

// name describes the sampler for messages and file names.
func (s genSpec) name() string {
	if s.Preset != "" {
		return s.Sampler + "-" + s.Preset
	}
	return fmt.Sprintf("%s-%d", s.Sampler, s.ReverseSDE.Steps)
}
