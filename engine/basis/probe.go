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
	var st probeStats
	n, err := checkOperator(op)
	if err != nil {
		return st, err
	}
	if err := checkProbes(probes); err != nil {
		return st, err
	}
	rng := rand.New(rand.NewPCG(seed, probeStream))
	z, jz, jtz := make([]float64, n), make([]float64, n), make([]float64, n)
	st.quad, st.jz2 = make([]float64, probes), make([]float64, probes)
	if transpose {
		st.az2 = make([]float64, probes)
	}
	for p := range probes {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		rademacher(rng, z)
		if err := op.Apply(jz, z); err != nil {
			return st, fmt.Errorf("basis: probe %d: %w", p, err)
		}
		st.quad[p], st.jz2[p] = dot(z, jz), dot(jz, jz)
		if transpose {
			if err := op.ApplyT(jtz, z); err != nil {
				return st, fmt.Errorf("basis: probe %d: %w", p, err)
			}
			a := 0.0
			for i, v := range jz {
				d := 0.5 * (v - jtz[i])
				a += d * d
			}
			st.az2[p] = a
		}
		if progress != nil {
			progress(p + 1)
		}
	}
	return st, nil
}
