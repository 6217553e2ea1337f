package diffusion

import (
	"errors"
	"testing"
)

// TestNewSamplerSettings checks the defaults, which counts apply to which
// sampler, and the settings refused, with their messages.
func TestNewSamplerSettings(t *testing.T) {
	paper, code, sde := KadkhodaiePaper(), KadkhodaieCode(), ReverseSDEDefault()
	capped := paper
	capped.MaxIter = 50
	sde30 := sde
	sde30.Steps = 30
	for _, c := range []struct {
		name   string
		choice SamplerChoice
		want   SamplerSettings
	}{
		{"defaults", SamplerChoice{}, SamplerSettings{Sampler: SamplerKadkhodaie, Preset: "paper", Kadkhodaie: paper}},
		{"code preset", SamplerChoice{Sampler: SamplerKadkhodaie, Preset: "code"}, SamplerSettings{Sampler: SamplerKadkhodaie, Preset: "code", Kadkhodaie: code}},
		{"iteration cap", SamplerChoice{MaxIter: 50, Steps: 30}, SamplerSettings{Sampler: SamplerKadkhodaie, Preset: "paper", Kadkhodaie: capped}},
		{"reverse SDE", SamplerChoice{Sampler: SamplerReverseSDE}, SamplerSettings{Sampler: SamplerReverseSDE, ReverseSDE: sde}},
		{"reverse SDE steps", SamplerChoice{Sampler: SamplerReverseSDE, Preset: "code", Steps: 30, MaxIter: 50}, SamplerSettings{Sampler: SamplerReverseSDE, ReverseSDE: sde30}},
	} {
		got, err := NewSamplerSettings(c.choice, 100)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
		if _, err := got.NewSampler(pointMass{n: 4}, NewNoise(1, 0)); err != nil {
			t.Errorf("%s: NewSampler: %v", c.name, err)
		}
	}

	for _, c := range []struct {
		name    string
		choice  SamplerChoice
		setting string
		msg     string
	}{
		{"sampler", SamplerChoice{Sampler: "ddpm", Preset: "fast"}, "sampler", `unknown sampler "ddpm" (want kadkhodaie or reverse-sde)`},
		{"preset", SamplerChoice{Preset: "fast", Steps: -1}, "preset", `unknown preset "fast" (want paper or code)`},
		{"preset of the SDE", SamplerChoice{Sampler: SamplerReverseSDE, Preset: "fast"}, "preset", `unknown preset "fast" (want paper or code)`},
		{"negative steps", SamplerChoice{Steps: -1}, "steps", "steps=-1: want 0 (the default, 200) to 100"},
		{"too many steps", SamplerChoice{Sampler: SamplerReverseSDE, Steps: 101}, "steps", "steps=101: want 0 (the default, 200) to 100"},
		{"negative cap", SamplerChoice{Sampler: SamplerReverseSDE, MaxIter: -2}, "max_iter", "max_iter=-2: want 0 (the default, 10000) to 100"},
	} {
		_, err := NewSamplerSettings(c.choice, 100)
		var se *SettingError
		if !errors.As(err, &se) {
			t.Errorf("%s: error %v, want a *SettingError", c.name, err)
			continue
		}
		if se.Setting != c.setting || err.Error() != c.msg {
			t.Errorf("%s: %s error %q, want %s error %q", c.name, se.Setting, err, c.setting, c.msg)
		}
	}

	// The samplers' own bounds hold whatever the limit asked for.
	if _, err := NewSamplerSettings(SamplerChoice{Sampler: SamplerReverseSDE, Steps: MaxSteps + 1}, 2*MaxSteps); err == nil {
		t.Errorf("%d reverse SDE steps accepted", MaxSteps+1)
	}
}
