package diffusion

import "fmt"

// The samplers, by the names a person chooses them by.
const (
	SamplerKadkhodaie = "kadkhodaie"
	SamplerReverseSDE = "reverse-sde"
)

// SamplerChoice is a sampler as a person chooses it, on a command line or
// in a page's request; a zero field takes its default.
type SamplerChoice struct {
	// Sampler is SamplerKadkhodaie (the default) or SamplerReverseSDE.
	Sampler string
	// Preset is the Kadkhodaie preset, "paper" (the default) or "code"
	// (KadkhodaiePreset). It is checked whatever the sampler; the reverse
	// SDE ignores it.
	Preset string
	// Steps is the reverse SDE's number of steps (default 200,
	// ReverseSDEDefault) and MaxIter the Kadkhodaie iteration cap
	// (default DefaultMaxIter). Each is checked whatever the sampler, and
	// only the chosen sampler's is used.
	Steps, MaxIter int
}

// SamplerSettings is a validated sampler with its settings
// (NewSamplerSettings).
type SamplerSettings struct {
	// Sampler is SamplerKadkhodaie or SamplerReverseSDE.
	Sampler string
	// Preset is the Kadkhodaie preset, "paper" or "code"; "" for the
	// reverse SDE.
	Preset string
	// Kadkhodaie holds the settings of SamplerKadkhodaie and ReverseSDE
	// those of SamplerReverseSDE; the other sampler's are zero.
	Kadkhodaie KadkhodaieConfig
	ReverseSDE ReverseSDEConfig
}

// A SettingError is a sampler setting that NewSamplerSettings refuses.
// Its message, meant for the person who chose the setting, speaks of it by
// name as a page's request does and has no package prefix
// (`unknown sampler "ddpm" (want kadkhodaie or reverse-sde)`,
// `steps=-1: want 0 (the default, 200) to 10000`); a command line can
// restate it as a flag's from the fields.
type SettingError struct {
	// Setting is "sampler", "preset", "steps" or "max_iter".
	Setting string
	// Value is the value given: a string for a name, an int for a count.
	Value any
	// Want says what the setting accepts.
	Want string
}

func (e *SettingError) Error() string {
	if s, ok := e.Value.(string); ok {
		return fmt.Sprintf("unknown %s %q (want %s)", e.Setting, s, e.Want)
	}
	return fmt.Sprintf("%s=%v: want %s", e.Setting, e.Value, e.Want)
}

// NewSamplerSettings validates c, whose counts may be 0 to maxSteps, and
// returns the sampler it chooses with the defaults filled in: the
// Kadkhodaie preset c.Preset with the iteration cap c.MaxIter, or
// ReverseSDEDefault with c.Steps steps. The settings are checked in the
// order sampler, preset, steps, iteration cap, and a refused one is a
// *SettingError.
func NewSamplerSettings(c SamplerChoice, maxSteps int) (SamplerSettings, error) {
	var s SamplerSettings
	switch c.Sampler {
	case "", SamplerKadkhodaie:
		s.Sampler = SamplerKadkhodaie
	case SamplerReverseSDE:
		s.Sampler = SamplerReverseSDE
	default:
		return SamplerSettings{}, &SettingError{Setting: "sampler", Value: c.Sampler, Want: SamplerKadkhodaie + " or " + SamplerReverseSDE}
	}
	preset := c.Preset
	if preset == "" {
		preset = "paper"
	}
	kad, err := KadkhodaiePreset(preset)
	if err != nil {
		return SamplerSettings{}, &SettingError{Setting: "preset", Value: c.Preset, Want: "paper or code"}
	}
	sde := ReverseSDEDefault()
	for _, n := range []struct {
		setting string
		v, def  int
	}{{"steps", c.Steps, sde.Steps}, {"max_iter", c.MaxIter, kad.MaxIter}} {
		if n.v < 0 || n.v > maxSteps {
			return SamplerSettings{}, &SettingError{Setting: n.setting, Value: n.v, Want: fmt.Sprintf("0 (the default, %d) to %d", n.def, maxSteps)}
		}
	}
	if s.Sampler == SamplerKadkhodaie {
		if c.MaxIter > 0 {
			kad.MaxIter = c.MaxIter
		}
		s.Preset, s.Kadkhodaie = preset, kad
		err = kad.Validate()
	} else {
		if c.Steps > 0 {
			sde.Steps = c.Steps
		}
		s.ReverseSDE = sde
		err = sde.Validate()
	}
	if err != nil {
		return SamplerSettings{}, err
	}
	return s, nil
}

// NewSampler returns a new sampler of the settings over den, drawing its
// noise from noise.
func (s SamplerSettings) NewSampler(den Denoiser, noise *Noise) (Sampler, error) {
	if s.Sampler == SamplerReverseSDE {
		return NewReverseSDE(den, noise, s.ReverseSDE)
	}
	return NewKadkhodaie(den, noise, s.Kadkhodaie)
}
