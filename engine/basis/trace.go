package basis

import "context"

// Trace estimates tr J, the effective dimension of a denoiser's Jacobian
// (Kadkhodaie et al., ICLR 2024, §3), by Hutchinson's estimator
// tr J = E[zᵀJz] over probes Rademacher vectors z (i.i.d. ±1, so
// E[zzᵀ] = I) drawn from seed, with the standard error of the mean. Its
// variance per probe is 2(‖S‖_F² − Σ_i S_ii²) with S = (J + Jᵀ)/2. It costs
// probes applications of op; ctx is checked before each.
func Trace(ctx context.Context, op Operator, probes int, seed uint64) (Estimate, error) {
	st, err := runProbes(ctx, op, probes, seed, false, nil)
	if err != nil {
		return Estimate{}, err
	}
	return traceOf(st), nil
}

func traceOf(st probeStats) Estimate {
	m, se := meanSE(st.quad)
	return Estimate{Value: m, StdErr: se, Probes: len(st.quad)}
}
