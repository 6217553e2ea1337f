package rg

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestScatEvalAllocs checks that evaluating a factor with scattering terms
// (energy and gradient, as in every MALA step) does not allocate.
func TestScatEvalAllocs(t *testing.T) {
	wv := db4(t)
	rng := rand.New(rand.NewPCG(51, 52))
	sc := scatTestScale(t, 16, 2, 8, DefaultScatSpec(16), 0.05, rng)
	ev, err := newEvaluator(compileWith(sc, wv), wv)
	if err != nil {
		t.Fatal(err)
	}
	u := randChannels(true, 8, rng, 1)
	var g [4][]float64
	for _, a := range ev.c.vary {
		g[a] = make([]float64, 64)
	}
	ev.setCond(u[0])
	if a := testing.AllocsPerRun(20, func() { ev.eval(&u, &g, false) }); a != 0 {
		t.Errorf("eval allocates %v times per call", a)
	}
	if a := testing.AllocsPerRun(5, func() { ev.setCond(u[0]) }); a != 0 {
		t.Errorf("setCond allocates %v times per call", a)
	}
}

// BenchmarkScatEval times one energy-and-gradient evaluation (one MALA
// step) of the scattering part of a factor, default block.
func BenchmarkScatEval(b *testing.B) {
	for _, N := range []int{16, 32, 64} {
		b.Run(fmt.Sprintf("N=%d", N), func(b *testing.B) {
			wv := db4(b)
			rng := rand.New(rand.NewPCG(53, 54))
			sc := scatTestScale(b, N, 0, 0, DefaultScatSpec(N), 0.05, rng)
			ev, err := newEvaluator(compileWith(sc, wv), wv)
			if err != nil {
				b.Fatal(err)
			}
			u := randChannels(true, N/2, rng, 1)
			var g [4][]float64
			for _, a := range ev.c.vary {
				g[a] = make([]float64, N*N/4)
			}
			ev.setCond(u[0])
			b.ResetTimer()
			for range b.N {
				ev.eval(&u, &g, false)
			}
		})
	}
}

// BenchmarkScatFitField times the scattering statistics of one training
// field (features, gradients, Laplacians and their products) with the
// default block and a 9×9 stencil.
func BenchmarkScatFitField(b *testing.B) {
	for _, N := range []int{16, 32, 64} {
		b.Run(fmt.Sprintf("N=%d", N), func(b *testing.B) {
			wv := db4(b)
			rng := rand.New(rand.NewPCG(55, 56))
			sc := scatTestScale(b, N, 4, 30, DefaultScatSpec(N), 0.05, rng)
			n := N / 2
			lev, _ := newLevel(wv, N)
			lay := newLayout(true, n, 4, 30, lev.detailWeights())
			acc, _ := newAccumulator(lay, newSigmoids(sc.Centres, sc.Width), wv)
			g, _ := newScatGeom(sc.Scattering, N, wv)
			sacc, err := newScatAccumulator(lay, g, sc.Scattering, wv, 1)
			if err != nil {
				b.Fatal(err)
			}
			u := randChannels(true, n, rng, 1)
			x := make([]float64, N*N)
			lev.synthesise(&u, x)
			st := newStats(lay)
			sst := newScatStats(lay, len(sc.Scattering.Terms))
			acc.addField(st, &u, x)
			b.ResetTimer()
			for k := range b.N {
				sacc.addField(sst, k, false, &u, x, acc.sk)
			}
		})
	}
}
