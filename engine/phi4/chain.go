package phi4

import (
	"fmt"
	"math/rand/v2"

	"scalewise/engine/field"
)

// Work counts what a sampler has done.
type Work struct {
	// WarmupSteps is the number of warm-up trajectories or sweeps run.
	WarmupSteps int
	// Steps is the number of trajectories or sweeps after the warm-up.
	Steps int
	// GradEvals is the number of evaluations of the force −∇E on the whole
	// lattice, warm-up included. An HMC trajectory costs N; a MALA sweep
	// costs 2, its local forces at the current and at the proposed values
	// of every site.
	GradEvals float64
}

// chain is the state shared by all samplers: the configuration, the random
// source, the step size and the counters.
type chain struct {
	lat    lattice
	opts   Options
	rng    *rand.Rand
	state  *field.Field
	eps    float64
	adapt  stepAdapter
	warmed bool
	accSum float64 // Σ of per-step acceptance rates after warm-up
	work   Work
	err    error
}

// newChain seeds the random source with PCG(seed, stream) and sets the
// initial configuration: a copy of opts.Start, or i.i.d. N(0, 1) values.
func newChain(lat lattice, opts Options, seed, stream uint64) chain {
	c := chain{
		lat:   lat,
		opts:  opts,
		rng:   rand.New(rand.NewPCG(seed, stream)),
		state: field.New(lat.l, lat.l),
		eps:   opts.StepSize,
	}
	if opts.Start != nil {
		copy(c.state.Data, opts.Start.Data)
	} else {
		for i := range c.state.Data {
			c.state.Data[i] = c.rng.NormFloat64()
		}
	}
	c.adapt = newStepAdapter(opts.StepSize, opts.TargetAccept, opts.Warmup)
	return c
}

// Field returns the current configuration. It is updated in place by every
// step; Clone it to keep it.
func (c *chain) Field() *field.Field { return c.state }

// Acceptance returns the mean acceptance rate after the warm-up: accepted
// trajectories per trajectory (HMC, FA-HMC) or accepted site moves per
// proposal (MALA). It is 0 before the first step after the warm-up.
func (c *chain) Acceptance() float64 {
	if c.work.Steps == 0 {
		return 0
	}
	return c.accSum / float64(c.work.Steps)
}

// StepSize returns the step size in use: ε (HMC, FA-HMC) or h (MALA). It
// changes during the warm-up only.
func (c *chain) StepSize() float64 { return c.eps }

// Work returns the counts of steps and force evaluations so far.
func (c *chain) Work() Work { return c.work }

// Err returns the error that stopped the chain, if any.
func (c *chain) Err() error { return c.err }

// warmUp runs opts.Warmup steps of step (which returns the acceptance
// probability of its step), adapting the step size, then fixes it.
// perStep, if non-nil, runs after every warm-up step with its index.
func (c *chain) warmUp(step func() float64, perStep func(t int), progress func(done, total int)) error {
	if c.warmed || c.err != nil {
		return c.err
	}
	n := c.opts.Warmup
	for t := 0; t < n; t++ {
		acc := step()
		c.adapt.update(acc)
		c.eps = c.adapt.eps()
		c.work.WarmupSteps++
		if perStep != nil {
			perStep(t)
		}
		if progress != nil {
			progress(t+1, n)
		}
	}
	if n > 0 {
		c.eps = c.adapt.final()
	}
	c.warmed = true
	if c.eps < 1e-10 {
		c.err = fmt.Errorf("phi4: step-size adaptation failed (ε = %.3g after %d warm-up steps)", c.eps, n)
	}
	return c.err
}
