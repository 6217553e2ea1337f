package basis

import (
	"context"
	"fmt"
	"math"
)

// Antisymmetry estimates r = ‖A‖_F / ‖J‖_F, A = (J − Jᵀ)/2 the antisymmetric
// part of J, how far a denoiser's Jacobian is from the symmetric matrix its
// eigenbasis assumes (Kadkhodaie et al., ICLR 2024, §3, report r ≈ 0.2 for
// their nets). For probes z with E[zzᵀ] = I, E‖Mz‖² = ‖M‖_F², so
// r² ≈ Σ_p ‖Az_p‖² / Σ_p ‖Jz_p‖² over probes Rademacher vectors drawn from
// seed. The standard error is the delta method's for the ratio of means,
// SE(r²) = sd(X − r²Y)/(√P·Ȳ) with X = ‖Az‖², Y = ‖Jz‖², and SE(r) =
// SE(r²)/(2r). It costs probes applications of op and of its transpose.
func Antisymmetry(ctx context.Context, op Operator, probes int, seed uint64) (Estimate, error) {
	st, err := runProbes(ctx, op, probes, seed, true, nil)
	if err != nil {
		return Estimate{}, err
	}
	return antisymmetryOf(st)
}

// TraceAndAntisymmetry returns Trace and Antisymmetry from the same probes
// (each probe gives zᵀJz, ‖Jz‖² and ‖Az‖²), for the cost of Antisymmetry
// alone; progress, if not nil, is called after each probe with the number
// done.
func TraceAndAntisymmetry(ctx context.Context, op Operator, probes int, seed uint64, progress func(done int)) (trace, antisym Estimate, err error) {
	st, err := runProbes(ctx, op, probes, seed, true, progress)
	if err != nil {
		return trace, antisym, err
	}
	antisym, err = antisymmetryOf(st)
	return traceOf(st), antisym, err
}

func antisymmetryOf(st probeStats) (Estimate, error) {
	p := len(st.az2)
	mx, my := 0.0, 0.0
	for i := range p {
		mx += st.az2[i]
		my += st.jz2[i]
	}
	mx /= float64(p)
	my /= float64(p)
	if my == 0 {
		return Estimate{}, fmt.Errorf("basis: antisymmetry of an operator that is zero on every probe")
	}
	r2 := mx / my
	d := make([]float64, p)
	for i := range d {
		d[i] = st.az2[i] - r2*st.jz2[i]
	}
	_, seD := meanSE(d) // the mean of d is 0; seD = sd(d)/√P
	r := math.Sqrt(r2)
	se2 := seD / my
	se := math.Inf(1)
	if r > 0 {
		se = se2 / (2 * r)
	} else if se2 == 0 {
		se = 0
	}
	return Estimate{Value: r, StdErr: se, Probes: p}, nil
}
