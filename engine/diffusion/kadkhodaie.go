package diffusion

import (
	"context"
	"fmt"
	"math"
)

// KadkhodaieConfig holds the parameters of the stochastic coarse-to-fine
// gradient ascent (Kadkhodaie and Simoncelli, NeurIPS 2021, Alg. 1;
// Kadkhodaie, Guth, Simoncelli and Mallat, ICLR 2024, App. A.2).
type KadkhodaieConfig struct {
	// Sigma0 is σ₀, the standard deviation of the initial noise:
	// y₀ = Mean + σ₀z₀.
	Sigma0 float64
	// SigmaL is σ_L: the ascent stops once σ_t ≤ σ_L.
	SigmaL float64
	// H0 is h₀, the first step size, in (0, 1].
	H0 float64
	// Beta is β in (0, 1], the fraction of the noise removed per unit step:
	// the effective noise goes from σ to (1 − βh_t)σ per step. β = 1 is
	// deterministic; a smaller β injects more noise and takes more steps.
	Beta float64
	// Mean is the mean m of the initial image.
	Mean float64
	// FixedH keeps h_t = h₀ instead of the ascending schedule.
	FixedH bool
	// MaxIter caps the iterations: Step returns an error when σ_t is still
	// above σ_L after MaxIter of them.
	MaxIter int
	// MaxSigma, if positive, stops with an error once σ_t > MaxSigma (the
	// authors' code aborts at σ > 2, "not converging").
	MaxSigma float64
}

// DefaultMaxIter is the iteration cap of the presets: about 15 times the
// iterations the idealised recursion σ_t = (1 − βh_t)σ_{t−1} predicts for
// the code preset (661).
const DefaultMaxIter = 10000

// KadkhodaiePaper returns the settings of Kadkhodaie et al. (ICLR 2024,
// App. A.2): h₀ = 0.01, β = 0.1, σ₀ = 1, σ_L = 0.05, with the initial mean
// m = 0.5 of the authors' synthesis code (Kadkhodaie and Simoncelli 2021).
// About 97 iterations for an ideal denoiser.
func KadkhodaiePaper() KadkhodaieConfig {
	return KadkhodaieConfig{Sigma0: 1, SigmaL: 0.05, H0: 0.01, Beta: 0.1, Mean: 0.5, MaxIter: DefaultMaxIter}
}

// KadkhodaieCode returns the defaults of the authors' code for the ICLR 2024
// paper: σ₀ = 1, σ_L = 0.01, h₀ = 0.01, β = 0.01, initial mean 0, aborting
// at σ_t > 2. About 661 iterations for an ideal denoiser.
func KadkhodaieCode() KadkhodaieConfig {
	return KadkhodaieConfig{Sigma0: 1, SigmaL: 0.01, H0: 0.01, Beta: 0.01, Mean: 0, MaxIter: DefaultMaxIter, MaxSigma: 2}
}

// KadkhodaiePreset returns the preset named "paper" or "code".
func KadkhodaiePreset(name string) (KadkhodaieConfig, error) {
	switch name {
	case "paper":
		return KadkhodaiePaper(), nil
	case "code":
		return KadkhodaieCode(), nil
	}
	return KadkhodaieConfig{}, fmt.Errorf("diffusion: unknown preset %q (want paper or code)", name)
}

// Validate returns an error unless 0 < σ_L < σ₀, 0 < h₀ ≤ 1, 0 < β ≤ 1,
// MaxIter ≥ 1, MaxSigma ≥ 0 and every value is finite.
func (c KadkhodaieConfig) Validate() error {
	for _, v := range []float64{c.Sigma0, c.SigmaL, c.H0, c.Beta, c.Mean, c.MaxSigma} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("diffusion: Kadkhodaie sampler: non-finite parameter %v", v)
		}
	}
	switch {
	case c.SigmaL <= 0 || c.Sigma0 <= c.SigmaL:
		return fmt.Errorf("diffusion: Kadkhodaie sampler: want 0 < σ_L < σ₀, got σ_L = %g, σ₀ = %g", c.SigmaL, c.Sigma0)
	case c.H0 <= 0 || c.H0 > 1:
		return fmt.Errorf("diffusion: Kadkhodaie sampler: h₀ = %g, want 0 < h₀ ≤ 1", c.H0)
	case c.Beta <= 0 || c.Beta > 1:
		return fmt.Errorf("diffusion: Kadkhodaie sampler: β = %g, want 0 < β ≤ 1", c.Beta)
	case c.MaxIter < 1:
		return fmt.Errorf("diffusion: Kadkhodaie sampler: MaxIter = %d, want at least 1", c.MaxIter)
	case c.MaxSigma < 0:
		return fmt.Errorf("diffusion: Kadkhodaie sampler: MaxSigma = %g, want ≥ 0", c.MaxSigma)
	}
	return nil
}

// StepSize returns h_t = h₀·t / (1 + h₀(t − 1)), the ascending step of
// iteration t ≥ 1 (h₀ with FixedH). It rises from h₀ towards 1.
func (c KadkhodaieConfig) StepSize(t int) float64 {
	if c.FixedH {
		return c.H0
	}
	return c.H0 * float64(t) / (1 + c.H0*float64(t-1))
}

// Kadkhodaie is the stochastic coarse-to-fine gradient ascent of Kadkhodaie
// and Simoncelli ("Solving linear inverse problems using the prior implicit
// in a denoiser", NeurIPS 2021, Alg. 1, with M = 0: synthesis), as used by
// Kadkhodaie, Guth, Simoncelli and Mallat (ICLR 2024, App. A.2). From
// y₀ = m + σ₀z₀, iteration t = 1, 2, … computes
//
//	d_t   = x̂(y_{t−1}) − y_{t−1}          (= σ²∇log p_σ(y_{t−1}), Miyasawa)
//	σ_t²  = ‖d_t‖² / n                     (blind noise estimate)
//	h_t   = h₀·t / (1 + h₀(t − 1))
//	γ_t²  = ((1 − βh_t)² − (1 − h_t)²)·σ_t²
//	y_t   = y_{t−1} + h_t d_t + γ_t z_t,   z_t ~ N(0, I),
//
// until σ_t ≤ σ_L, and returns the one-shot denoise x̂(y_T) of the last
// iterate. Each step takes the effective noise level from σ to (1 − βh_t)σ.
//
// The sampler is blind; a non-blind denoiser is given the nominal level
// σ₀·Π_{s<t}(1 − βh_s) of y_{t−1}. It is a coarse integrator rather than an
// exact sampler: on a Gaussian prior N(μ, C) with the exact denoiser, each
// step shrinks the variance along an eigenvector of eigenvalue λ by
// h_t²σ²λ/(λ + σ²) beyond the intended (1 − βh_t)² on the noise, so that a
// large h_t/β under-disperses the samples (about h/(2β) relatively, by a
// mean-field estimate), and σ_t underestimates σ where the signal is not
// low-dimensional (σ_t² = Σ_k σ⁴/(λ_k + σ²)/n). On the 16-dimensional
// Gaussian of the tests the paper preset keeps about 3% of the prior's
// variance and the code preset diverges; with β = 1 and a small fixed h it
// samples the Gaussian exactly up to O(h) (see the tests). On images, whose
// signal is low-dimensional at every scale, σ_t tracks the noise.
type Kadkhodaie struct {
	cfg     KadkhodaieConfig
	c       *chain
	nominal float64 // nominal noise level of y, the hint for non-blind denoisers
	last    bool    // σ_T ≤ σ_L: the next Step is the final denoise
}

// NewKadkhodaie returns the sampler over den with the noise stream noise,
// having drawn y₀ = m + σ₀z₀ from it.
func NewKadkhodaie(den Denoiser, noise *Noise, cfg KadkhodaieConfig) (*Kadkhodaie, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c, err := newChain(den, noise, cfg.Mean, cfg.Sigma0)
	if err != nil {
		return nil, err
	}
	return &Kadkhodaie{cfg: cfg, c: c, nominal: cfg.Sigma0}, nil
}

// Config returns the sampler's settings.
func (s *Kadkhodaie) Config() KadkhodaieConfig { return s.cfg }

// State returns the state after the last Step.
func (s *Kadkhodaie) State() State { return s.c.st }

// Step runs one iteration of the ascent, or the final denoise once σ_t ≤ σ_L.
// It returns an error when the denoiser fails or returns non-finite values,
// when σ_t exceeds MaxSigma, or when σ_t is still above σ_L after MaxIter
// iterations.
func (s *Kadkhodaie) Step() (bool, error) {
	c := s.c
	if c.st.Done {
		return true, nil
	}
	if s.last {
		if err := c.final(s.nominal); err != nil {
			return false, err
		}
		c.st.Sigma = c.st.Residual
		return true, nil
	}
	if c.st.T >= s.cfg.MaxIter {
		return false, fmt.Errorf("diffusion: did not reach σ_L = %g after %d iterations; last σ_t = %.4g", s.cfg.SigmaL, c.st.T, c.st.Sigma)
	}
	t := c.st.T + 1
	sigma, err := c.denoise(s.nominal)
	if err != nil {
		return false, err
	}
	if s.cfg.MaxSigma > 0 && sigma > s.cfg.MaxSigma {
		return false, fmt.Errorf("diffusion: not converging: σ_t = %.4g > %g at iteration %d", sigma, s.cfg.MaxSigma, t)
	}
	h := s.cfg.StepSize(t)
	b := 1 - s.cfg.Beta*h
	gamma := math.Sqrt(max(0, b*b-(1-h)*(1-h))) * sigma
	c.update(h, gamma)
	s.nominal *= b
	c.st.T, c.st.Sigma, c.st.Residual, c.st.StepSize, c.st.Gamma = t, sigma, sigma, h, gamma
	s.last = sigma <= s.cfg.SigmaL
	return false, nil
}

// Run loops Step until the sample is drawn (see Sampler).
func (s *Kadkhodaie) Run(ctx context.Context, progress func(State)) ([]float64, error) {
	return run(ctx, s, progress)
}
