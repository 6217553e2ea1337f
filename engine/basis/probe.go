package basis

import (
	"context"
	"fmt"
	"math/rand/v2"
)

// probeStream is the second PCG seed word of the Rademacher probes.
const probeStream = 0x52616465_6d616368 // "Rademach"

// rademacher fills z with independent ±1 values, 64 per draw of rng.
func rademacher(rng *rand.Rand, z []float64) {
	var bits uint64
	for i := range z {
		if i%64 == 0 {
			bits = rng.Uint64()
		}
		z[i] = float64(1 - 2*int(bits&1))
		bits >>= 1
	}
}

// probeStats are the per-probe values of TraceAndAntisymmetry: zᵀJz,
// ‖Jz‖² and ‖(J − Jᵀ)z/2‖² for Rademacher z.
type probeStats struct {
	quad, jz2, az2 []float64
}

// runProbes applies op (and, with transpose, its transpose) to probes
// Rademacher vectors drawn from seed; after each probe it calls progress
// (if not nil) with the number done.
func runProbes(ctx context.Context, op Operator, probes int, seed uint64, transpose bool, progress func(done int)) (probeStats, error) {
	r, err := newProbeRun(op, probes, seed, transpose)
	if err != nil {
		return probeStats{}, err
	}
	for !r.Done() {
		if err := ctx.Err(); err != nil {
			return r.st, err
		}
		if err := r.Step(); err != nil {
			return r.st, err
		}
		if progress != nil {
			progress(r.done)
		}
	}
	return r.st, nil
}

// ProbeRun is TraceAndAntisymmetry advanced one probe at a time (one
// application of J and one of Jᵀ per Step), for a caller that must answer
// within a time budget; stepped to the end it gives exactly
// TraceAndAntisymmetry's estimates. Not safe for concurrent use.
type ProbeRun struct {
	op           Operator
	transpose    bool
	rng          *rand.Rand
	z, jz, jtz   []float64
	st           probeStats
	done, probes int
}

// NewProbeRun prepares probes Rademacher probes (2 to MaxProbes) of op
// drawn from seed, as TraceAndAntisymmetry draws them.
func NewProbeRun(op Operator, probes int, seed uint64) (*ProbeRun, error) {
	return newProbeRun(op, probes, seed, true)
}

func newProbeRun(op Operator, probes int, seed uint64, transpose bool) (*ProbeRun, error) {
	n, err := checkOperator(op)
	if err != nil {
		return nil, err
	}
	if err := checkProbes(probes); err != nil {
		return nil, err
	}
	r := &ProbeRun{op: op, transpose: transpose, rng: rand.New(rand.NewPCG(seed, probeStream)),
		z: make([]float64, n), jz: make([]float64, n), probes: probes}
	r.st.quad, r.st.jz2 = make([]float64, probes), make([]float64, probes)
	if transpose {
		r.jtz = make([]float64, n)
		r.st.az2 = make([]float64, probes)
	}
	return r, nil
}

// Step applies op (and Jᵀ) to the next probe z, recording zᵀJz, ‖Jz‖² and
// ‖(J − Jᵀ)z/2‖²; a Step of a finished run does nothing.
func (r *ProbeRun) Step() error {
	if r.Done() {
		return nil
	}
	p := r.done
	rademacher(r.rng, r.z)
	if err := r.op.Apply(r.jz, r.z); err != nil {
		return fmt.Errorf("basis: probe %d: %w", p, err)
	}
	r.st.quad[p], r.st.jz2[p] = dot(r.z, r.jz), dot(r.jz, r.jz)
	if r.transpose {
		if err := r.op.ApplyT(r.jtz, r.z); err != nil {
			return fmt.Errorf("basis: probe %d: %w", p, err)
		}
		a := 0.0
		for i, v := range r.jz {
			d := 0.5 * (v - r.jtz[i])
			a += d * d
		}
		r.st.az2[p] = a
	}
	r.done++
	return nil
}

// Progress returns the probes done and their number.
func (r *ProbeRun) Progress() (done, probes int) { return r.done, r.probes }

// Done reports whether every probe is done.
func (r *ProbeRun) Done() bool { return r.done == r.probes }

// Estimates returns the Trace and Antisymmetry estimates of a finished
// run.
func (r *ProbeRun) Estimates() (trace, antisym Estimate, err error) {
	if !r.Done() {
		return trace, antisym, fmt.Errorf("basis: %d of %d probes done", r.done, r.probes)
	}
	antisym, err = antisymmetryOf(r.st)
	return traceOf(r.st), antisym, err
}
