package basis

import (
	"context"
	"testing"
)

// diagonal is the operator diag(d): Lanczos' own cost, with applications
// that cost next to nothing.
type diagonal []float64

func (d diagonal) Dim() int { return len(d) }
func (d diagonal) Apply(dst, x []float64) error {
	for i, v := range x {
		dst[i] = d[i] * v
	}
	return nil
}
func (d diagonal) ApplyT(dst, x []float64) error { return d.Apply(dst, x) }

// BenchmarkLanczosOverhead is Lanczos' own work (reorthogonalisation,
// convergence checks, Ritz vectors) for the top 32 of a denoiser-like
// spectrum of dimension 4096 (a 64×64 image) over 290 steps, the count a
// net's Jacobian needs there, with an operator that costs next to nothing:
// with every fourth step checked (Tol 1e-7, which this spectrum does not
// reach in 290 steps) and with no checks (Tol −1).
func BenchmarkLanczosOverhead(b *testing.B) {
	d := diagonal(denoiserLike(4096, 1000))
	for _, bc := range []struct {
		name string
		tol  float64
	}{{"checks", 1e-7}, {"no checks", -1}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				e, err := Lanczos(context.Background(), d, 32, LanczosOptions{Krylov: 290, Tol: bc.tol, Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
				if e.Krylov != 290 {
					b.Fatalf("%d steps", e.Krylov)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/run")
		})
	}
}
