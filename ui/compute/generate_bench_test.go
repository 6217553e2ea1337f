package compute

import (
	"testing"

	"scalewise/engine/nn"
)

// BenchmarkGenRun times one 32×32 run of each sampler setting on two S1
// nets of the sweep, N = 10 (memorising) and 1000, on the default kernels
// and on the scalar kernels of wasm (one goroutine), reporting the
// iterations it takes.
func BenchmarkGenRun(b *testing.B) {
	for _, net := range []string{genNetS1, "mnist-small-s1-n1000"} {
		benchGenRun(b, net)
	}
}

func benchGenRun(b *testing.B, net string) {
	for _, kern := range []string{"", nn.KernelScalar} {
		for _, tc := range []struct {
			name string
			req  GenStartRequest
		}{
			{"paper", GenStartRequest{Net: net, Preset: "paper"}},
			{"code", GenStartRequest{Net: net, Preset: "code"}},
			{"sde200", GenStartRequest{Net: net, Sampler: GenReverseSDE}},
		} {
			name := net + "/" + tc.name
			if kern != "" {
				name += "/" + kern
			}
			b.Run(name, func(b *testing.B) {
				s, reg, _ := genTestSession(b, net)
				s.kernels = kern
				iters := 0
				for i := 0; b.Loop(); i++ {
					req := tc.req
					req.Seed = uint64(i)
					vs, _ := genRunToEnd(b, reg, req, 200)
					iters += vs[len(vs)-1].T
				}
				b.ReportMetric(float64(iters)/float64(b.N), "iters/run")
			})
		}
	}
}
