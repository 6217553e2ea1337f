package phi4

import (
	"fmt"

	"scalewise/engine/field"
)

// Sampler is a Markov chain whose stationary density is p(φ) ∝ exp(−E(φ)).
//
//	s, err := phi4.NewHMC(model, opts, seed)
//	for i := 0; i < n && s.Step(); i++ {
//		use(s.Field())
//	}
//	if err := s.Err(); err != nil { … }
type Sampler interface {
	// WarmUp runs the warm-up (step-size adaptation) if it has not run
	// yet, reporting progress (which may be nil) after every step. Step
	// calls it implicitly.
	WarmUp(progress func(done, total int)) error
	// Step advances the chain by one trajectory or sweep; it returns false
	// when the chain has failed (see Err).
	Step() bool
	// Field returns the current configuration, updated in place by Step.
	Field() *field.Field
	// Acceptance returns the mean acceptance rate after the warm-up.
	Acceptance() float64
	// StepSize returns the step size in use.
	StepSize() float64
	// Work returns the counts of steps and force evaluations.
	Work() Work
	// Err returns the error that stopped the chain, if any.
	Err() error
}

// NewSampler returns the sampler of the given kind for model: NewHMC,
// NewFAHMC, NewMALA or NewCluster.
func NewSampler(kind Kind, model Model, opts Options, seed uint64) (Sampler, error) {
	var (
		s   Sampler
		err error
	)
	switch kind {
	case KindHMC:
		s, err = wrap(NewHMC(model, opts, seed))
	case KindFAHMC:
		s, err = wrap(NewFAHMC(model, opts, seed))
	case KindMALA:
		s, err = wrap(NewMALA(model, opts, seed))
	case KindCluster:
		s, err = wrap(NewCluster(model, opts, seed))
	default:
		err = fmt.Errorf("phi4: unknown sampler kind %v", kind)
	}
	return s, err
}

// wrap converts a constructor's result to a Sampler, keeping a nil pointer
// from becoming a non-nil interface.
func wrap[T interface {
	*HMC | *MALA | *Cluster
	Sampler
}](s T, err error) (Sampler, error) {
	if err != nil {
		return nil, err
	}
	return s, nil
}
