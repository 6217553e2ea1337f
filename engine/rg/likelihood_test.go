package rg

import (
	"math"
	"math/rand/v2"
	"testing"

	"scalewise/engine/internal/testenv"
)

// TestFeatureEvaluator checks Φ of featureEvaluator against the energy,
// which is linear in θ (Ē = θᵀΦ for every θ), and its sigmoid and
// quadratic part against the explicit sums of featureValues.
func TestFeatureEvaluator(t *testing.T) {
	wv := db4(t)
	cases := []struct {
		name string
		sc   func(rng *rand.Rand) *Scale
	}{
		{"coarsest 4×4", func(rng *rand.Rand) *Scale { return testScale(false, 4, 1, 5, rng) }},
		{"conditional 8×8", func(rng *rand.Rand) *Scale { return testScale(true, 4, 1, 6, rng) }},
		{"conditional 16×16, wide stencil", func(rng *rand.Rand) *Scale { return testScale(true, 8, 3, 4, rng) }},
		{"scattering 16×16", func(rng *rand.Rand) *Scale {
			return scatTestScale(t, 16, 1, 4, ScatSpec{Isotropic: true}, 0.2, rng)
		}},
		{"scattering 32×32, s4n", func(rng *rand.Rand) *Scale {
			return scatTestScale(t, 32, 2, 3, ScatSpec{Families: []string{"s1", "s3", "s4c", "s4n"}}, 0.2, rng)
		}},
	}
	for ci, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(ci), 7))
			sc := tc.sc(rng)
			fe, err := newFeatureEvaluator(sc, wv)
			if err != nil {
				t.Fatal(err)
			}
			phi := make([]float64, len(sc.Theta))
			for trial := range 3 {
				u := randChannels(sc.Conditional, sc.CoarseGrid, rng, 1)
				fe.values(&u, nil, phi)
				ref := featureValues(t, sc, u)
				for i, v := range ref {
					if math.Abs(phi[i]-v) > 1e-9*(1+math.Abs(v)) {
						t.Fatalf("trial %d: Φ_%d = %.12g, explicit sum %.12g", trial, i, phi[i], v)
					}
				}
				// θᵀΦ against the energy, for two random θ.
				for range 2 {
					for i := range sc.Theta {
						sc.Theta[i] = 0.3 * rng.NormFloat64()
					}
					ev, err := newEvaluator(compileWith(sc, wv), wv)
					if err != nil {
						t.Fatal(err)
					}
					if sc.Conditional {
						ev.setCond(u[0])
					}
					e, _ := evalEnergy(t, ev, u)
					if d := dot(sc.Theta, phi); math.Abs(d-e) > 1e-9*(1+math.Abs(e)) {
						t.Fatalf("trial %d: θᵀΦ = %.12g, energy %.12g", trial, d, e)
					}
				}
			}
		})
	}
}

// TestMaximumLikelihoodGaussian starts the refinement from a wrong θ of a
// Gaussian conditional (self terms 1.5×, couplings to x_j halved) and
// checks that it recovers the true θ, whose moments are those of the
// exact samples it is given, and that the Newton decrement falls: with
// persistent chains paired with the data (maximumLikelihood) and with the
// sampler's chains against the data's mean moments, as ancestralMoments
// runs them.
func TestMaximumLikelihoodGaussian(t *testing.T) {
	testenv.SkipStatisticalOnWasm(t)
	rng := rand.New(rand.NewPCG(11, 12))
	n, S := 4, 1
	sc, A, B := gaussianScale(t, n, S, rng)
	chol, Lc := choleskyOf(t, A)
	wv := db4(t)
	lev, err := newLevel(wv, 2*n)
	if err != nil {
		t.Fatal(err)
	}
	const ns = 4000
	us := make([][4][]float64, ns)
	xs := make([][]float64, ns)
	for s := range ns {
		us[s] = drawConditional(t, rng, chol, Lc, B, n)
		xs[s] = make([]float64, 4*n*n)
		lev.synthesise(&us[s], xs[s])
	}
	truth := append([]float64(nil), sc.Theta...)
	sc.StdBands = make([]float64, 3)
	sc.StepSize, sc.Steps = 0.05, 100
	wrong := append([]float64(nil), truth...)
	for i, tm := range sc.Terms {
		switch {
		case tm.C == tm.D && tm.SX == 0 && tm.SY == 0:
			wrong[i] *= 1.5
		case tm.C == 0:
			wrong[i] *= 0.5
		}
	}
	relErr := func() float64 {
		num, den := 0.0, 0.0
		for i, v := range truth {
			num += (sc.Theta[i] - v) * (sc.Theta[i] - v)
			den += v * v
		}
		return math.Sqrt(num / den)
	}
	cases := []struct {
		name string
		run  func() ([]float64, error)
		tol  float64
	}{
		{"persistent, paired with the data", func() ([]float64, error) {
			return maximumLikelihood(sc, us, xs, likelihoodConf{rounds: 24, chains: 2000, steps: 40, rate: 0.5}, false, false, 2, wv, 3, nil)
		}, 0.06},
		{"short-run, against the data's mean", func() ([]float64, error) {
			// As ancestralMoments: unpaired, chains from 0 given coarse
			// fields drawn from the same law as the data's.
			M := 1000
			mean := make([]float64, len(sc.Theta))
			fe, err := newFeatureEvaluator(sc, wv)
			if err != nil {
				return nil, err
			}
			phi := make([]float64, len(sc.Theta))
			for k := range us {
				fe.values(&us[k], xs[k], phi)
				addTo(mean, phi)
			}
			for i := range mean {
				mean[i] /= float64(ns)
			}
			conds := make([][]float64, M)
			for i := range conds {
				conds[i] = drawConditional(t, rng, chol, Lc, B, n)[0]
			}
			scr, err := newMomentScratch(sc, wv, 2)
			if err != nil {
				return nil, err
			}
			dec, _, err := matchMoments(sc, &momentTarget{conds: conds, mean: mean}, likelihoodConf{rounds: 16, rate: 0.5},
				false, false, scr, wv, 4, nil)
			return dec, err
		}, 0.08},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			copy(sc.Theta, wrong)
			before := relErr()
			dec, err := tc.run()
			if err != nil {
				t.Fatal(err)
			}
			after := relErr()
			t.Logf("relative θ error %.3f → %.3f; decrements %.3g", before, after, dec)
			if after > tc.tol || after > before/4 {
				t.Errorf("relative θ error %.3f → %.3f: want below %g and a quarter of the start", before, after, tc.tol)
			}
			if !(dec[len(dec)-1] < dec[0]/4) {
				t.Errorf("Newton decrement %.3g → %.3g did not fall by 4×", dec[0], dec[len(dec)-1])
			}
		})
	}
	// The result does not depend on the number of workers.
	var got [][]float64
	for _, workers := range []int{1, 3} {
		copy(sc.Theta, wrong)
		if _, err := maximumLikelihood(sc, us[:60], xs[:60], likelihoodConf{rounds: 3, chains: 60, steps: 6, rate: 0.5}, false, false, workers, wv, 5, nil); err != nil {
			t.Fatal(err)
		}
		got = append(got, append([]float64(nil), sc.Theta...))
	}
	for i := range got[0] {
		if got[0][i] != got[1][i] {
			t.Fatalf("θ_%d = %v with 1 worker, %v with 3", i, got[0][i], got[1][i])
		}
	}
}
