package rg

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// bruteForce assembles H = mean of ∇Φ∇Φᵀ and G = mean of ΔΦ from explicit
// gradient vectors (each ∇Φ_i is the energy gradient with θ = e_i).
func bruteForce(t *testing.T, sc *Scale, samples [][4][]float64, mirror, transp bool) (*mat.SymDense, []float64) {
	wv := db4(t)
	P := len(sc.Theta)
	evs := make([]*evaluator, P)
	for i := range P {
		s2 := *sc
		s2.Theta = make([]float64, P)
		s2.Theta[i] = 1
		ev, err := newEvaluator(compile(&s2), wv)
		if err != nil {
			t.Fatal(err)
		}
		evs[i] = ev
	}
	H := mat.NewSymDense(P, nil)
	G := make([]float64, P)
	cnt := 0.0
	signs := []float64{1}
	if mirror {
		signs = []float64{1, -1}
	}
	var all [][4][]float64
	for _, u0 := range samples {
		all = append(all, u0)
		if transp {
			n := sc.CoarseGrid
			var ut [4][]float64
			for c, src := range [4]int{0, 2, 1, 3} {
				ut[c] = make([]float64, n*n)
				for y := range n {
					for x := range n {
						ut[c][y*n+x] = u0[src][x*n+y]
					}
				}
			}
			all = append(all, ut)
		}
	}
	for _, u0 := range all {
		for _, sg := range signs {
			var u [4][]float64
			for c, ch := range u0 {
				if ch != nil {
					u[c] = make([]float64, len(ch))
					for i, v := range ch {
						u[c][i] = sg * v
					}
				}
			}
			grads := make([][]float64, P)
			for i, ev := range evs {
				if sc.Conditional {
					ev.setCond(u[0])
				}
				_, g := evalEnergy(t, ev, u)
				for _, a := range ev.c.vary {
					grads[i] = append(grads[i], g[a]...)
				}
			}
			for i := range P {
				for j := i; j < P; j++ {
					H.SetSym(i, j, H.At(i, j)+dot(grads[i], grads[j]))
				}
			}
			lap := featureLaplacians(t, sc, u, wv)
			for i := range G {
				G[i] += lap[i]
			}
			cnt++
		}
	}
	for i := range P {
		G[i] /= cnt
		for j := i; j < P; j++ {
			H.SetSym(i, j, H.At(i, j)/cnt)
		}
	}
	return H, G
}

func TestFastAssemblyMatchesBruteForce(t *testing.T) {
	wv := db4(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		cond    bool
		n, S, K int
		mirror  bool
		transp  bool
	}{
		{true, 4, 1, 5, false, false}, {true, 4, 2, 4, false, false}, {true, 8, 2, 3, false, false}, {true, 1, 1, 4, false, false},
		{true, 2, 1, 4, true, false}, {true, 4, 2, 6, true, false},
		{true, 4, 2, 3, false, true}, {true, 8, 3, 4, true, true}, {true, 2, 1, 3, false, true},
		{false, 1, 0, 5, false, false}, {false, 4, 1, 3, false, false}, {false, 4, 2, 4, true, false},
	} {
		sc := testScale(tc.cond, tc.n, tc.S, tc.K, rng)
		if tc.mirror { // symmetric centres
			for k := range sc.Centres {
				sc.Centres[k] = (float64(k) - float64(tc.K-1)/2) * 1.3
			}
		}
		var samples [][4][]float64
		var xs [][]float64
		for range 5 {
			u := randChannels(tc.cond, tc.n, rng, 1.5)
			samples = append(samples, u)
			xs = append(xs, potentialField(t, sc, u))
		}
		var wts [4]float64
		if tc.cond {
			lev, _ := newLevel(wv, sc.Grid)
			wts = lev.detailWeights()
		}
		lay := newLayout(tc.cond, tc.n, tc.S, tc.K, wts)
		acc, err := newAccumulator(lay, newSigmoids(sc.Centres, sc.Width), wv)
		if err != nil {
			t.Fatal(err)
		}
		st := newStats(lay)
		for i := range samples {
			acc.addField(st, &samples[i], xs[i])
		}
		if tc.mirror {
			st = mirror(lay, st)
		}
		if tc.transp {
			st = transpose(lay, st)
		}
		H, G := assemble(lay, sc.Terms, st)
		Hb, Gb := bruteForce(t, sc, samples, tc.mirror, tc.transp)
		P := len(G)
		scale := 0.0
		for i := range P {
			scale = max(scale, math.Abs(Hb.At(i, i)))
		}
		if !(scale > 0) {
			t.Fatalf("%+v: empty H", tc)
		}
		maxH := 0.0
		for i := range P {
			for j := range P {
				maxH = max(maxH, math.Abs(H.At(i, j)-Hb.At(i, j)))
			}
		}
		if maxH > 1e-10*scale {
			t.Errorf("%+v: fast H differs from brute force by %.3g (scale %.3g)", tc, maxH, scale)
		}
		for i := range G {
			if math.Abs(G[i]-Gb[i]) > 1e-10*(1+math.Abs(Gb[i])) {
				t.Errorf("%+v: G[%d] = %v, brute force %v", tc, i, G[i], Gb[i])
			}
		}
	}
}
