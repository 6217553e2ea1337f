package compute

import (
	"fmt"

	"scalewise/engine/diffusion"
)

// The samplers of the Generate scene, by name.
const (
	GenKadkhodaie = "kadkhodaie"
	GenReverseSDE = "reverse-sde"
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
	sampler string // GenKadkhodaie or GenReverseSDE
	preset  string // the Kadkhodaie preset, "" for the reverse SDE
	kad     diffusion.KadkhodaieConfig
	sde     diffusion.ReverseSDEConfig
	size    int
}

// newGenSpec validates a request's sampler, preset, steps and size and
// fills in the defaults: the Kadkhodaie sampler, the "paper" preset, the
// reverse SDE's 200 steps (diffusion.ReverseSDEDefault) and 32×32 images.
// The preset applies to the Kadkhodaie sampler and the steps to the
// reverse SDE; each is checked whatever the sampler.
func newGenSpec(sampler, preset string, steps, size int) (genSpec, error) {
	var s genSpec
	switch sampler {
	case "", GenKadkhodaie:
		s.sampler = GenKadkhodaie
	case GenReverseSDE:
		s.sampler = GenReverseSDE
	default:
		return s, fmt.Errorf("unknown sampler %q (want %s or %s)", sampler, GenKadkhodaie, GenReverseSDE)
	}
	if preset == "" {
		preset = "paper"
	}
	kad, err := diffusion.KadkhodaiePreset(preset)
	if err != nil {
		return s, fmt.Errorf("unknown preset %q (want paper or code)", preset)
	}
	if steps < 0 || steps > MaxGenSteps {
		return s, fmt.Errorf("steps=%d: want 0 (the default, %d) to %d", steps, diffusion.ReverseSDEDefault().Steps, MaxGenSteps)
	}
	switch {
	case size == 0:
		size = DefaultGenSize
	case size < MinGenSize || size > MaxGenSize || size%GenSizeStep != 0:
		return s, fmt.Errorf("size=%d: want %d to %d, a multiple of %d (0: %d)", size, MinGenSize, MaxGenSize, GenSizeStep, DefaultGenSize)
	}
	s.size = size
	s.sde = diffusion.ReverseSDEDefault()
	if steps > 0 {
		s.sde.Steps = steps
	}
	if s.sampler == GenKadkhodaie {
		s.kad, s.preset = kad, preset
	}
	return s, nil
}

// newSampler returns a new sampler of the spec over den, drawing from the
// noise stream (seed, stream).
func (s genSpec) newSampler(den diffusion.Denoiser, seed, stream uint64) (diffusion.Sampler, error) {
	noise := diffusion.NewNoise(seed, stream)
	if s.sampler == GenKadkhodaie {
		return diffusion.NewKadkhodaie(den, noise, s.kad)
	}
	return diffusion.NewReverseSDE(den, noise, s.sde)
}

// maxIter returns the iteration cap: the Kadkhodaie cap or the SDE's steps.
func (s genSpec) maxIter() int {
	if s.sampler == GenKadkhodaie {
		return s.kad.MaxIter
	}
	return s.sde.Steps
}

// sigmas returns the first noise level and the one the run stops at.
func (s genSpec) sigmas() (sigma0, sigmaL float64) {
	if s.sampler == GenKadkhodaie {
		return s.kad.Sigma0, s.kad.SigmaL
	}
	return s.sde.SigmaMax, s.sde.SigmaMin
}

// name describes the sampler for messages and file names.
func (s genSpec) name() string {
	if s.preset != "" {
		return s.sampler + "-" + s.preset
	}
	return fmt.Sprintf("%s-%d", s.sampler, s.sde.Steps)
}
