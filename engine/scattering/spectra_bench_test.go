package scattering

import (
	"fmt"
	"testing"
)

// spBenchCases are the benchmark sizes: 64² with J = 5 and 128² with J = 6
// (the largest J of the bank at each size), L = 4, both wavelet kinds.
var spBenchCases = []struct{ n, J, L int }{{64, 5, 4}, {128, 6, 4}}

// BenchmarkSpectraCompute times ComputeInto (the full spectra, normalised
// by a fixed reference): go test -bench SpectraCompute ./engine/scattering/
func BenchmarkSpectraCompute(b *testing.B) {
	for _, c := range spBenchCases {
		for _, kind := range spKinds {
			b.Run(fmt.Sprintf("%s/%d/J%d/L%d", kind, c.n, c.J, c.L), func(b *testing.B) {
				op := spOperator(b, kind, c.n, c.n, c.J, c.L, ScalesInclusive)
				x, y := spField(c.n, c.n, 1, 2), spField(c.n, c.n, 2, 2)
				ref, err := op.Compute(y, nil)
				if err != nil {
					b.Fatal(err)
				}
				s := op.NewSpectra()
				for b.Loop() {
					if err := op.ComputeInto(s, x, ref); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(op.Count(Full)), "coef_full")
				b.ReportMetric(float64(op.Count(Isotropic)), "coef_iso")
			})
		}
	}
}

// BenchmarkSpectraLossGrad times LossGrad (loss and gradient) against a
// target in each form: go test -bench SpectraLossGrad ./engine/scattering/
func BenchmarkSpectraLossGrad(b *testing.B) {
	for _, c := range spBenchCases {
		for _, kind := range spKinds {
			for _, f := range []Form{Isotropic, Full} {
				b.Run(fmt.Sprintf("%s/%d/J%d/L%d/%s", kind, c.n, c.J, c.L, f), func(b *testing.B) {
					op := spOperator(b, kind, c.n, c.n, c.J, c.L, ScalesInclusive)
					x, y := spField(c.n, c.n, 1, 2), spField(c.n, c.n, 2, 2)
					tg := spTarget(b, op, y, f, nil)
					grad := make([]float64, len(x))
					for b.Loop() {
						if _, err := op.LossGrad(x, tg, grad); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(op.Count(f)), "coef")
				})
			}
		}
	}
}
