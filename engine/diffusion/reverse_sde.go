package diffusion

import (
	"context"
	"fmt"
	"math"
)

// ReverseSDEConfig holds the parameters of the reverse-diffusion sampler.
type ReverseSDEConfig struct {
	// SigmaMax and SigmaMin bound the geometric schedule
	// σ_k = σ_max·(σ_min/σ_max)^(k/S), k = 0 … S.
	SigmaMax, SigmaMin float64
	// Steps is S, the number of Euler–Maruyama steps.
	Steps int
	// Mean is the mean m of the initial image y₀ = m + σ_max z₀.
	Mean float64
}

// ReverseSDEDefault returns the settings for images with intensities in
// [0, 1] and nets trained for σ ∈ [0, 1]: σ_max = 1, σ_min = 0.01, 200 steps,
// initial mean 0.5.
func ReverseSDEDefault() ReverseSDEConfig {
	return ReverseSDEConfig{SigmaMax: 1, SigmaMin: 0.01, Steps: 200, Mean: 0.5}
}

// MaxSteps bounds ReverseSDEConfig.Steps.
const MaxSteps = 1_000_000

// Validate returns an error unless 0 < σ_min < σ_max, 1 ≤ Steps ≤ MaxSteps
// and every value is finite.
func (c ReverseSDEConfig) Validate() error {
	for _, v := range []float64{c.SigmaMax, c.SigmaMin, c.Mean} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("diffusion: reverse SDE: non-finite parameter %v", v)
		}
	}
	if c.SigmaMin <= 0 || c.SigmaMax <= c.SigmaMin {
		return fmt.Errorf("diffusion: reverse SDE: want 0 < σ_min < σ_max, got σ_min = %g, σ_max = %g", c.SigmaMin, c.SigmaMax)
	}
	if c.Steps < 1 || c.Steps > MaxSteps {
		return fmt.Errorf("diffusion: reverse SDE: %d steps, want 1 to %d", c.Steps, MaxSteps)
	}
	return nil
}

// Sigma returns σ_k = σ_max·(σ_min/σ_max)^(k/S) of the schedule.
func (c ReverseSDEConfig) Sigma(k int) float64 {
	return c.SigmaMax * math.Pow(c.SigmaMin/c.SigmaMax, float64(k)/float64(c.Steps))
}

// ReverseSDE samples by integrating the reverse-time variance-exploding SDE
// dy = −(d[σ²]/dt)·∇log p_σ(y)·dt + √(d[σ²]/dt)·dw̄, run from σ_max down to
// σ_min (Song, Sohl-Dickstein, Kingma, Kumar, Ermon, Poole, "Score-based
// generative modeling through stochastic differential equations", ICLR
// 2021: the reverse SDE of §3.2, eq. (6), for the VE SDE of §3.4, discretised by
// Euler–Maruyama as in §4.1), with the score taken from the denoiser by
// Miyasawa's identity ∇log p_σ(y) ≈ (x̂(y) − y)/σ² (Kadkhodaie and
// Simoncelli, NeurIPS 2021, §2). From y₀ = m + σ_max z₀,
// step k = 1 … S is the Euler–Maruyama step from σ_{k−1} to σ_k:
//
//	y_k = y_{k−1} + (σ_{k−1}² − σ_k²)·(x̂(y_{k−1}) − y_{k−1})/σ_{k−1}² + √(σ_{k−1}² − σ_k²)·z_k,
//
// that is h = 1 − (σ_k/σ_{k−1})² (constant on a geometric schedule) and
// γ = √(σ_{k−1}² − σ_k²); the sample is the final denoise x̂(y_S). On a
// Gaussian prior with the exact denoiser the sample covariance converges to
// the prior's as S grows (the per-step excess variance is
// (σ_{k−1}² − σ_k²)²/(λ + σ_{k−1}²)).
type ReverseSDE struct {
	cfg ReverseSDEConfig
	c   *chain
}

// NewReverseSDE returns the sampler over den with the noise stream noise,
// having drawn y₀ = m + σ_max z₀ from it.
func NewReverseSDE(den Denoiser, noise *Noise, cfg ReverseSDEConfig) (*ReverseSDE, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c, err := newChain(den, noise, cfg.Mean, cfg.SigmaMax)
	if err != nil {
		return nil, err
	}
	return &ReverseSDE{cfg: cfg, c: c}, nil
}

// Config returns the sampler's settings.
func (s *ReverseSDE) Config() ReverseSDEConfig { return s.cfg }

// State returns the state after the last Step.
func (s *ReverseSDE) State() State { return s.c.st }

// Step runs one Euler–Maruyama step, or the final denoise after S of them.
func (s *ReverseSDE) Step() (bool, error) {
	c := s.c
	if c.st.Done {
		return true, nil
	}
	if c.st.T == s.cfg.Steps {
		if err := c.final(s.cfg.SigmaMin); err != nil {
			return false, err
		}
		c.st.Sigma = s.cfg.SigmaMin
		return true, nil
	}
	t := c.st.T + 1
	from, to := s.cfg.Sigma(t-1), s.cfg.Sigma(t)
	r, err := c.denoise(from)
	if err != nil {
		return false, err
	}
	h := 1 - (to/from)*(to/from)
	gamma := math.Sqrt(from*from - to*to)
	c.update(h, gamma)
	c.st.T, c.st.Sigma, c.st.Residual, c.st.StepSize, c.st.Gamma = t, from, r, h, gamma
	return false, nil
}

// Run loops Step until the sample is drawn (see Sampler).
func (s *ReverseSDE) Run(ctx context.Context, progress func(State)) ([]float64, error) {
	return run(ctx, s, progress)
}
