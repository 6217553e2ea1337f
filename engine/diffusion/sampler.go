package diffusion

import (
	"context"
	"fmt"
	"math"
)

// State is a sampler after its last Step. Slices alias the sampler's
// buffers: they are valid until the next Step and must not be modified.
// Before the first Step, Y is y₀ = m + σ₀z₀, Noise is z₀, Sigma is σ₀ and
// Denoised is zero.
type State struct {
	// T is the number of update iterations done: y_T is the iterate. The
	// final denoise is not counted.
	T int
	// Y is the iterate y_T.
	Y []float64
	// Denoised is x̂ of the iterate this step started from, y_{T−1} (or,
	// once Done, x̂(y_T): the sample).
	Denoised []float64
	// Sigma is the noise level of that iterate: σ_t = ‖x̂(y) − y‖/√n, the
	// blind estimate, for Kadkhodaie; the schedule's σ for ReverseSDE.
	Sigma float64
	// Residual is ‖x̂(y) − y‖/√n, the blind estimate of the noise level
	// (equal to Sigma for Kadkhodaie).
	Residual float64
	// StepSize is h_t, the fraction of the residual d_t = x̂(y) − y added in
	// y_t = y_{t−1} + h_t d_t + γ_t z_t.
	StepSize float64
	// Gamma is γ_t, the standard deviation of the injected noise.
	Gamma float64
	// Noise is z_t, the standard normal values injected at this step (z₀
	// before the first step).
	Noise []float64
	// Done reports that the sample, Denoised, is final.
	Done bool
}

// Sampler draws one image from the prior implicit in a denoiser, one
// denoiser call per Step. Step returns done = true after the final denoise;
// calling it again returns done = true and does nothing. Run loops Step until
// done, calling progress (if not nil) after every step and stopping early
// with ctx's error, and returns a copy of the sample.
type Sampler interface {
	Step() (done bool, err error)
	State() State
	Run(ctx context.Context, progress func(State)) ([]float64, error)
}

// run is Run for every sampler.
func run(ctx context.Context, s Sampler, progress func(State)) ([]float64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		done, err := s.Step()
		if err != nil {
			return nil, err
		}
		if progress != nil {
			progress(s.State())
		}
		if done {
			return append([]float64(nil), s.State().Denoised...), nil
		}
	}
}

// chain is the state both samplers share: the iterate, its denoised
// estimate, the noise and the denoiser.
type chain struct {
	den   Denoiser
	noise *Noise
	y, xh []float64
	z     []float64
	st    State
}

// newChain draws y₀ = mean + σ₀z₀ from noise.
func newChain(den Denoiser, noise *Noise, mean, sigma0 float64) (*chain, error) {
	if den == nil || noise == nil {
		return nil, fmt.Errorf("diffusion: sampler needs a denoiser and a noise stream")
	}
	n := den.Dim()
	if n < 1 {
		return nil, fmt.Errorf("diffusion: denoiser of dimension %d", n)
	}
	c := &chain{den: den, noise: noise, y: make([]float64, n), xh: make([]float64, n), z: make([]float64, n)}
	noise.Fill(c.z)
	for i, z := range c.z {
		c.y[i] = mean + sigma0*z
	}
	c.st = State{Y: c.y, Denoised: c.xh, Noise: c.z, Sigma: sigma0}
	return c, nil
}

// denoise sets xh = x̂(y) with the noise-level hint sigma and returns the
// residual level ‖x̂(y) − y‖/√n, or an error for a non-finite one.
func (c *chain) denoise(sigma float64) (float64, error) {
	if err := c.den.Denoise(c.xh, c.y, sigma); err != nil {
		return 0, err
	}
	s := 0.0
	for i, v := range c.xh {
		d := v - c.y[i]
		s += d * d
	}
	r := math.Sqrt(s / float64(len(c.y)))
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return r, fmt.Errorf("diffusion: the denoiser returned a non-finite value at iteration %d", c.st.T+1)
	}
	return r, nil
}

// update sets y ← y + h·(x̂ − y) + γ·z with fresh z from the stream.
func (c *chain) update(h, gamma float64) {
	c.noise.Fill(c.z)
	for i, v := range c.xh {
		c.y[i] += h*(v-c.y[i]) + gamma*c.z[i]
	}
}

// final denoises the last iterate, with the hint sigma, into the sample.
func (c *chain) final(sigma float64) error {
	r, err := c.denoise(sigma)
	if err != nil {
		return err
	}
	c.st.Residual, c.st.StepSize, c.st.Gamma, c.st.Done = r, 0, 0, true
	clear(c.z)
	return nil
}
