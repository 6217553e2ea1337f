package rg

import (
	"math"
	"math/rand/v2"
	"testing"

	"scalewise/engine/wavelet"
)

func db4(t testing.TB) *wavelet.Wavelet {
	t.Helper()
	wv, err := wavelet.ByName("db4")
	if err != nil {
		t.Fatal(err)
	}
	return wv
}

// testScale returns a scale with random parameters on a coarse grid n.
func testScale(cond bool, n, S, K int, rng *rand.Rand) *Scale {
	N := n
	if cond {
		N = 2 * n
	}
	sc := &Scale{Conditional: cond, Grid: N, CoarseGrid: n, Stencil: S, Width: 0.7,
		Terms: buildTerms(cond, n, S), StepSize: 0.1, Steps: 10, TargetAccept: 0.574, WindowLo: -100, WindowHi: 100}
	for k := range K {
		sc.Centres = append(sc.Centres, -3+6*float64(k)/float64(max(K-1, 1)))
	}
	sc.Theta = make([]float64, K+len(sc.Terms))
	for i := range sc.Theta {
		sc.Theta[i] = rng.NormFloat64() * 0.3
	}
	return sc
}

// randChannels returns random channels of a scale.
func randChannels(cond bool, n int, rng *rand.Rand, scale float64) [4][]float64 {
	var u [4][]float64
	for _, b := range sourceChannels(cond) {
		u[b] = make([]float64, n*n)
		for i := range u[b] {
			u[b][i] = rng.NormFloat64() * scale
		}
	}
	return u
}

func evalEnergy(t testing.TB, ev *evaluator, u [4][]float64) (float64, [4][]float64) {
	var g [4][]float64
	for _, a := range ev.c.vary {
		g[a] = make([]float64, len(u[a]))
	}
	e, _ := ev.eval(&u, &g, false)
	return e, g
}

func TestTermCounts(t *testing.T) {
	for _, tc := range []struct {
		cond  bool
		n, S  int
		terms int
	}{
		{true, 16, 4, 3*41 + 3*81 + 3*81}, // 609 + 30 sigmoids = 639 (the authors' count)
		{true, 1, 0, 9},                   // 2² grid: 9 + 30 sigmoids = 39
		{true, 1, 3, 9},                   // every shift ≡ 0 on a 1×1 grid
		{true, 2, 1, 36},                  // 4² grid: 36 + 20 sigmoids = 56
		{true, 4, 2, 3*10 + 6*16},         // 5×5 on 4×4: 16 shifts, 10 classes {s, −s}
		{false, 1, 0, 1},
		{false, 4, 1, 5},
		{true, 64, 6, 3*85 + 6*169},
	} {
		got := buildTerms(tc.cond, tc.n, tc.S)
		if len(got) != tc.terms {
			t.Errorf("cond=%v n=%d S=%d: %d terms, want %d", tc.cond, tc.n, tc.S, len(got), tc.terms)
		}
		seen := map[[4]int]bool{}
		for _, tm := range got {
			k := [4]int{tm.C, tm.D, mod(tm.SX, tc.n), mod(tm.SY, tc.n)}
			if tm.C == tm.D {
				k2 := [4]int{tm.C, tm.D, mod(-tm.SX, tc.n), mod(-tm.SY, tc.n)}
				if seen[k2] {
					t.Errorf("duplicate self term %v", tm)
				}
			}
			if seen[k] {
				t.Errorf("duplicate term %v", tm)
			}
			seen[k] = true
		}
	}
}

// TestDetailWeights checks w(p) = ‖detail part of W δ_p‖² against every p
// (2-periodicity) and the identity Σ_p w(p) = 3(N/2)².
func TestDetailWeights(t *testing.T) {
	wv := db4(t)
	for _, N := range []int{2, 4, 8, 16} {
		lev, err := newLevel(wv, N)
		if err != nil {
			t.Fatal(err)
		}
		w := lev.detailWeights()
		if s := w[0] + w[1] + w[2] + w[3]; math.Abs(s-3) > 1e-12 {
			t.Errorf("N=%d: w sums to %v over a 2×2 cell, want 3", N, s)
		}
		n := N / 2
		var u [4][]float64
		for c := range u {
			u[c] = make([]float64, n*n)
		}
		x := make([]float64, N*N)
		total := 0.0
		for p := range x {
			clear(x)
			x[p] = 1
			lev.analyse(x, &u)
			d := 0.0
			for c := 1; c < 4; c++ {
				for _, v := range u[c] {
					d += v * v
				}
			}
			if want := w[((p/N)%2)*2+(p%N)%2]; math.Abs(d-want) > 1e-12 {
				t.Errorf("N=%d p=%d: w = %v, 2-periodic value %v", N, p, d, want)
			}
			total += d
		}
		if math.Abs(total-3*float64(n*n)) > 1e-9 {
			t.Errorf("N=%d: Σ_p w(p) = %v, want %d", N, total, 3*n*n)
		}
	}
}

// TestGradientAndLaplacian checks the energy gradient against central
// differences and the exact Laplacian (features) against the
// finite-difference Laplacian.
func TestGradientAndLaplacian(t *testing.T) {
	wv := db4(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		cond    bool
		n, S, K int
	}{
		{true, 4, 1, 6}, {true, 4, 2, 5}, {true, 1, 1, 4}, {true, 2, 1, 3}, {true, 8, 3, 4},
		{false, 1, 0, 5}, {false, 4, 1, 4}, {false, 2, 2, 3},
	} {
		sc := testScale(tc.cond, tc.n, tc.S, tc.K, rng)
		c := compile(sc)
		ev, err := newEvaluator(c, wv)
		if err != nil {
			t.Fatal(err)
		}
		u := randChannels(tc.cond, tc.n, rng, 1)
		if tc.cond {
			ev.setCond(u[0])
		}
		e0, g := evalEnergy(t, ev, u)
		// Energy against θ·Φ.
		phi := featureValues(t, sc, u)
		sum := 0.0
		for i, th := range sc.Theta {
			sum += th * phi[i]
		}
		if math.Abs(sum-e0) > 1e-10*(1+math.Abs(e0)) {
			t.Errorf("%+v: energy %v, θ·Φ %v", tc, e0, sum)
		}
		const h = 1e-4
		lapFD := 0.0
		maxErr := 0.0
		for _, a := range c.vary {
			for i := range u[a] {
				v := u[a][i]
				u[a][i] = v + h
				ep, _ := evalEnergy(t, ev, u)
				u[a][i] = v - h
				em, _ := evalEnergy(t, ev, u)
				u[a][i] = v
				fd := (ep - em) / (2 * h)
				maxErr = max(maxErr, math.Abs(fd-g[a][i])/(1+math.Abs(g[a][i])))
				lapFD += (ep - 2*e0 + em) / (h * h)
			}
		}
		if maxErr > 1e-6 {
			t.Errorf("%+v: gradient vs finite differences: max rel error %.2e", tc, maxErr)
		}
		lap := featureLaplacians(t, sc, u, wv)
		exact := 0.0
		for i, th := range sc.Theta {
			exact += th * lap[i]
		}
		if math.Abs(exact-lapFD) > 1e-3*(1+math.Abs(exact)) {
			t.Errorf("%+v: exact Laplacian %v, finite differences %v", tc, exact, lapFD)
		}
	}
}

// featureValues returns Φ(u) by the definitions of §4.3 (sigmoids summed
// over the potential field, quadratic terms by explicit periodic sums).
func featureValues(t testing.TB, sc *Scale, u [4][]float64) []float64 {
	n := sc.CoarseGrid
	x := potentialField(t, sc, u)
	K := len(sc.Centres)
	out := make([]float64, K+len(sc.Terms))
	for k, ck := range sc.Centres {
		for _, v := range x {
			out[k] += 1 / (1 + math.Exp((v-ck)/sc.Width))
		}
	}
	for ti, tm := range sc.Terms {
		s := 0.0
		for py := range n {
			for px := range n {
				s += u[tm.C][py*n+px] * u[tm.D][mod(py+tm.SY, n)*n+mod(px+tm.SX, n)]
			}
		}
		out[K+ti] = 0.5 * s
	}
	return out
}

func potentialField(t testing.TB, sc *Scale, u [4][]float64) []float64 {
	if !sc.Conditional {
		return u[1]
	}
	lev, err := newLevel(db4(t), sc.Grid)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, sc.Grid*sc.Grid)
	lev.synthesise(&u, x)
	return x
}

// featureLaplacians returns Δ_x̄Φ by the exact formulas: Σ_p ρ_k”(x(p))w(p)
// with w computed at every p, and n² for self terms at shift 0.
func featureLaplacians(t testing.TB, sc *Scale, u [4][]float64, wv *wavelet.Wavelet) []float64 {
	n, N := sc.CoarseGrid, sc.Grid
	x := potentialField(t, sc, u)
	w := make([]float64, N*N)
	for p := range w {
		w[p] = 1
	}
	if sc.Conditional {
		lev, _ := newLevel(wv, N)
		var v [4][]float64
		for c := range v {
			v[c] = make([]float64, n*n)
		}
		d := make([]float64, N*N)
		for p := range w {
			clear(d)
			d[p] = 1
			lev.analyse(d, &v)
			w[p] = 0
			for c := 1; c < 4; c++ {
				for _, z := range v[c] {
					w[p] += z * z
				}
			}
		}
	}
	K := len(sc.Centres)
	out := make([]float64, K+len(sc.Terms))
	for k, ck := range sc.Centres {
		for p, v := range x {
			r := 1 / (1 + math.Exp((v-ck)/sc.Width))
			out[k] += r * (1 - r) * (1 - 2*r) / (sc.Width * sc.Width) * w[p]
		}
	}
	for ti, tm := range sc.Terms {
		out[K+ti] = tm.laplacian(n)
	}
	return out
}
