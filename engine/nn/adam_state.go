package nn

import "fmt"

// AdamState is what an Adam optimiser needs to resume: the step count and
// the first and second moment estimates, one slice per trained parameter,
// in the order of the parameters given to NewAdam (those with a gradient).
type AdamState struct {
	T    int
	M, V [][]float32
}

// State returns the optimiser's state (the slices are its own; copy them
// before the next Step if they must not change).
func (a *Adam) State() AdamState { return AdamState{T: a.t, M: a.m, V: a.v} }

// SetState restores a state saved by State for the same parameters.
func (a *Adam) SetState(s AdamState) error {
	if len(s.M) != len(a.m) || len(s.V) != len(a.v) {
		return fmt.Errorf("nn: Adam state for %d/%d tensors, optimiser has %d", len(s.M), len(s.V), len(a.m))
	}
	for i := range a.m {
		if len(s.M[i]) != len(a.m[i]) || len(s.V[i]) != len(a.v[i]) {
			return fmt.Errorf("nn: Adam state tensor %d has %d values, want %d", i, len(s.M[i]), len(a.m[i]))
		}
	}
	for i := range a.m {
		copy(a.m[i], s.M[i])
		copy(a.v[i], s.V[i])
	}
	a.t = s.T
	return nil
}

// TrainedParams returns the parameters Adam updates, in its order.
func (a *Adam) TrainedParams() []*Param { return a.params }
