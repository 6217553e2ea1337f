package rg

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// scatTestScale returns a conditional scale on an N×N field with random
// quadratic and sigmoid parameters and the scattering block of spec, its
// coefficients random with scale ts.
func scatTestScale(t testing.TB, N, S, K int, spec ScatSpec, ts float64, rng *rand.Rand) *Scale {
	t.Helper()
	sc := testScale(true, N/2, S, K, rng)
	b, err := spec.resolve(N)
	if err != nil {
		t.Fatal(err)
	}
	b.Norm = 0.8
	sc.Scattering = b
	for range b.Terms {
		sc.Theta = append(sc.Theta, ts*rng.NormFloat64())
	}
	return sc
}

// scatFeatures returns the scattering feature values, gradients and
// Laplacians of sc at the channels u.
func scatFeatures(t testing.TB, sc *Scale, u [4][]float64, grads, laps bool, rng *rand.Rand) ([]float64, [][]float64, []float64) {
	t.Helper()
	wv := db4(t)
	g, err := newScatGeom(sc.Scattering, sc.Grid, wv)
	if err != nil {
		t.Fatal(err)
	}
	w, err := newScatWork(g, sc.Scattering, wv, true)
	if err != nil {
		t.Fatal(err)
	}
	lev, _ := newLevel(wv, sc.Grid)
	x := make([]float64, sc.Grid*sc.Grid)
	lev.synthesise(&u, x)
	w.setCoarse(u[0])
	w.setFine(x, laps)
	P := len(sc.Scattering.Terms)
	vals := make([]float64, P)
	var gr [][]float64
	if grads {
		gr = make([][]float64, P)
		for f := range gr {
			gr[f] = make([]float64, 3*sc.CoarseGrid*sc.CoarseGrid)
		}
	}
	var lp []float64
	if laps {
		lp = make([]float64, P)
	}
	w.features(vals, gr, lp, rng)
	return vals, gr, lp
}

var scatGradCases = []struct {
	N    int
	spec ScatSpec
}{
	{8, ScatSpec{}},
	{8, ScatSpec{Kind: "morlet", Isotropic: true}},
	{16, ScatSpec{Isotropic: true}},
	{16, ScatSpec{Kind: "morlet", Orientations: 2, Families: []string{"s3", "s4n"}}},
	{32, ScatSpec{Isotropic: true, Families: []string{"s1", "s4c", "s4n"}}},
	{32, ScatSpec{Orientations: 3, Families: []string{"s3"}}},
	{16, ScatSpec{Isotropic: true, Smoothing: 0.3}},
}

// TestScatEnergyGradient checks the combined energy (sigmoids, quadratic
// and scattering terms) against θ·Φ and its gradient in x̄ against central
// finite differences.
func TestScatEnergyGradient(t *testing.T) {
	wv := db4(t)
	rng := rand.New(rand.NewPCG(21, 22))
	for _, tc := range scatGradCases {
		name := fmt.Sprintf("N=%d/%s/L=%d/iso=%v/%v/eps=%g", tc.N, tc.spec.Kind, tc.spec.Orientations, tc.spec.Isotropic, tc.spec.Families, tc.spec.Smoothing)
		t.Run(name, func(t *testing.T) {
			sc := scatTestScale(t, tc.N, 1, 4, tc.spec, 0.05, rng)
			c := compileWith(sc, wv)
			ev, err := newEvaluator(c, wv)
			if err != nil {
				t.Fatal(err)
			}
			n := tc.N / 2
			u := randChannels(true, n, rng, 1)
			ev.setCond(u[0])
			e0, g := evalEnergy(t, ev, u)
			// Energy = old part + θ_s·Φ_s.
			old := *sc
			old.Scattering = nil
			old.Theta = sc.Theta[:len(sc.Centres)+len(sc.Terms)]
			evOld, _ := newEvaluator(compileWith(&old, wv), wv)
			evOld.setCond(u[0])
			eOld, _ := evalEnergy(t, evOld, u)
			vals, _, _ := scatFeatures(t, sc, u, false, false, nil)
			ts := sc.Theta[len(old.Theta):]
			want := eOld
			for f, v := range vals {
				want += ts[f] * v
			}
			if math.Abs(want-e0) > 1e-10*(1+math.Abs(e0)) {
				t.Errorf("energy %.12g, old part + θ·Φ %.12g", e0, want)
			}
			const h = 1e-5
			coords := 3 * n * n
			idx := rng.Perm(coords)[:min(coords, 64)]
			maxErr, gmax := 0.0, 0.0
			for _, k := range idx {
				a, i := 1+k/(n*n), k%(n*n)
				v := u[a][i]
				u[a][i] = v + h
				ep, _ := evalEnergy(t, ev, u)
				u[a][i] = v - h
				em, _ := evalEnergy(t, ev, u)
				u[a][i] = v
				fd := (ep - em) / (2 * h)
				maxErr = max(maxErr, math.Abs(fd-g[a][i]))
				gmax = max(gmax, math.Abs(g[a][i]))
			}
			rel := maxErr / gmax
			t.Logf("%d terms, E = %.4g, max|∇E| = %.3g, max gradient error relative to max|∇E| %.2e", len(sc.Scattering.Terms), e0, gmax, rel)
			if rel > 1e-5 {
				t.Errorf("gradient vs finite differences: relative error %.2e > 1e-5", rel)
			}
		})
	}
}

// TestScatFeatureGradients checks the per-feature gradients used by the
// fit against central finite differences of the feature values.
func TestScatFeatureGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for _, tc := range scatGradCases[:4] {
		name := fmt.Sprintf("N=%d/%s/iso=%v", tc.N, tc.spec.Kind, tc.spec.Isotropic)
		t.Run(name, func(t *testing.T) {
			sc := scatTestScale(t, tc.N, 0, 0, tc.spec, 0.1, rng)
			n := tc.N / 2
			u := randChannels(true, n, rng, 1)
			_, gr, _ := scatFeatures(t, sc, u, true, false, nil)
			const h = 1e-5
			coords := 3 * n * n
			idx := rng.Perm(coords)[:min(coords, 24)]
			worst := 0.0
			gmax := make([]float64, len(gr))
			errs := make([]float64, len(gr))
			for _, k := range idx {
				a, i := 1+k/(n*n), k%(n*n)
				v := u[a][i]
				u[a][i] = v + h
				vp, _, _ := scatFeatures(t, sc, u, false, false, nil)
				u[a][i] = v - h
				vm, _, _ := scatFeatures(t, sc, u, false, false, nil)
				u[a][i] = v
				for f := range gr {
					fd := (vp[f] - vm[f]) / (2 * h)
					errs[f] = max(errs[f], math.Abs(fd-gr[f][k]))
					gmax[f] = max(gmax[f], math.Abs(gr[f][k]))
				}
			}
			for f := range gr {
				worst = max(worst, errs[f]/gmax[f])
			}
			t.Logf("%d features: worst relative gradient error %.2e", len(gr), worst)
			if worst > 1e-5 {
				t.Errorf("feature gradients vs finite differences: relative error %.2e > 1e-5", worst)
			}
		})
	}
}

// TestScatLaplacians checks the Laplacians of the fit (exact for s1, s3,
// s4c; exact coordinate probes for the s4n cross terms) against the trace
// of the finite-difference Jacobian of the exact gradients, and the
// Rademacher estimate against the exact value.
func TestScatLaplacians(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	for _, tc := range []struct {
		N    int
		spec ScatSpec
	}{
		{8, ScatSpec{}},
		{8, ScatSpec{Kind: "morlet", Isotropic: true}},
		{16, ScatSpec{Orientations: 2, Isotropic: true, Families: []string{"s1", "s3", "s4n"}}},
		{8, ScatSpec{Smoothing: 0.5}},
		{16, ScatSpec{Orientations: 2, Families: []string{"s1", "s4c", "s4n"}, Smoothing: 0.2}},
	} {
		name := fmt.Sprintf("N=%d/%s/iso=%v/eps=%g", tc.N, tc.spec.Kind, tc.spec.Isotropic, tc.spec.Smoothing)
		t.Run(name, func(t *testing.T) {
			sc := scatTestScale(t, tc.N, 0, 0, tc.spec, 0.1, rng)
			n := tc.N / 2
			u := randChannels(true, n, rng, 1)
			_, _, lap := scatFeatures(t, sc, u, false, true, nil)
			const h = 1e-4
			P := len(lap)
			tr := make([]float64, P)
			for k := range 3 * n * n {
				a, i := 1+k/(n*n), k%(n*n)
				v := u[a][i]
				u[a][i] = v + h
				_, gp, _ := scatFeatures(t, sc, u, true, false, nil)
				u[a][i] = v - h
				_, gm, _ := scatFeatures(t, sc, u, true, false, nil)
				u[a][i] = v
				for f := range P {
					tr[f] += (gp[f][k] - gm[f][k]) / (2 * h)
				}
			}
			worst, scale := 0.0, 0.0
			for f := range P {
				scale = max(scale, math.Abs(tr[f]))
			}
			for f := range P {
				worst = max(worst, math.Abs(lap[f]-tr[f])/scale)
			}
			t.Logf("%d features: max |Δ − tr(∇²)_FD| / max|Δ| = %.2e", P, worst)
			if worst > 1e-5 {
				t.Errorf("Laplacian error %.2e > 1e-5", worst)
			}
			// Rademacher probes: unbiased, error ∝ probes^{-1/2}.
			hasCross := false
			for _, tm := range sc.Scattering.Terms {
				hasCross = hasCross || tm.Family == ScatS4N
			}
			if !hasCross {
				return
			}
			sc.Scattering.Probes = 2000
			_, _, est := scatFeatures(t, sc, u, false, true, rand.New(rand.NewPCG(1, 2)))
			sc.Scattering.Probes = 0
			rw := 0.0
			for f := range P {
				rw = max(rw, math.Abs(est[f]-lap[f])/scale)
			}
			t.Logf("2000 Rademacher probes: max |Δ_est − Δ| / max|Δ| = %.2e", rw)
			if rw > 0.02 {
				t.Errorf("Hutchinson estimate off by %.2e", rw)
			}
		})
	}
}

// TestScatAssemblyMatchesBruteForce compares the score-matching system of
// a factor with sigmoids, quadratic and scattering terms, assembled from
// the statistics (accumulator, scatAccumulator, assembleScat), with H =
// mean ∇Φ∇Φᵀ from explicit gradients (the evaluator's energy gradient with
// θ = e_p) and G = mean ΔΦ (exact Laplacians).
func TestScatAssemblyMatchesBruteForce(t *testing.T) {
	wv := db4(t)
	rng := rand.New(rand.NewPCG(27, 28))
	for _, tc := range []struct {
		N, S, K int
		spec    ScatSpec
	}{
		{8, 1, 3, ScatSpec{Isotropic: true}},
		{8, 0, 0, ScatSpec{Kind: "morlet"}},
		{16, 2, 2, ScatSpec{Orientations: 2, Families: []string{"s3", "s4c", "s4n"}}},
	} {
		sc := scatTestScale(t, tc.N, tc.S, tc.K, tc.spec, 0.1, rng)
		n := tc.N / 2
		var samples [][4][]float64
		var xs [][]float64
		for range 3 {
			u := randChannels(true, n, rng, 1.5)
			samples = append(samples, u)
			xs = append(xs, potentialField(t, sc, u))
		}
		lev, _ := newLevel(wv, sc.Grid)
		lay := newLayout(true, n, tc.S, tc.K, lev.detailWeights())
		acc, err := newAccumulator(lay, newSigmoids(sc.Centres, sc.Width), wv)
		if err != nil {
			t.Fatal(err)
		}
		g, err := newScatGeom(sc.Scattering, tc.N, wv)
		if err != nil {
			t.Fatal(err)
		}
		sacc, err := newScatAccumulator(lay, g, sc.Scattering, wv, 1)
		if err != nil {
			t.Fatal(err)
		}
		st := newStats(lay)
		sst := newScatStats(lay, len(sc.Scattering.Terms))
		for i := range samples {
			acc.addField(st, &samples[i], xs[i])
			var sk [][][]float64
			if tc.K > 0 {
				sk = acc.sk
			}
			sacc.addField(sst, i, false, &samples[i], xs[i], sk)
		}
		H, G := assembleScat(lay, sc.Terms, st, sst)
		// Brute force.
		P := len(sc.Theta)
		P0 := len(sc.Centres) + len(sc.Terms)
		evs := make([]*evaluator, P)
		for p := range P {
			s2 := *sc
			s2.Theta = make([]float64, P)
			s2.Theta[p] = 1
			ev, err := newEvaluator(compileWith(&s2, wv), wv)
			if err != nil {
				t.Fatal(err)
			}
			evs[p] = ev
		}
		Hb := make([]float64, P*P)
		Gb := make([]float64, P)
		for _, u := range samples {
			grads := make([][]float64, P)
			for p, ev := range evs {
				ev.setCond(u[0])
				_, gr := evalEnergy(t, ev, u)
				grads[p] = append(append(append(grads[p], gr[1]...), gr[2]...), gr[3]...)
			}
			for p := range P {
				for q := range P {
					Hb[p*P+q] += dot(grads[p], grads[q]) / float64(len(samples))
				}
			}
			lap := featureLaplacians(t, sc, u, wv)
			_, _, slap := scatFeatures(t, sc, u, false, true, nil)
			for p := range P0 {
				Gb[p] += lap[p] / float64(len(samples))
			}
			for f, v := range slap {
				Gb[P0+f] += v / float64(len(samples))
			}
		}
		scale := 0.0
		for p := range P {
			scale = max(scale, math.Abs(Hb[p*P+p]))
		}
		maxH, maxG, gs := 0.0, 0.0, 0.0
		for p := range P {
			for q := range P {
				maxH = max(maxH, math.Abs(H.At(p, q)-Hb[p*P+q]))
			}
			maxG = max(maxG, math.Abs(G[p]-Gb[p]))
			gs = max(gs, math.Abs(Gb[p]))
		}
		t.Logf("N=%d: %d parameters: max |H − H_bf| = %.2e (scale %.3g), max |G − G_bf| = %.2e (scale %.3g)", tc.N, P, maxH, scale, maxG, gs)
		if maxH > 1e-10*scale || maxG > 1e-10*gs {
			t.Errorf("N=%d: assembly differs from brute force", tc.N)
		}
	}
}
