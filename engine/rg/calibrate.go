package rg

import (
	"math"
	"math/rand/v2"

	"scalewise/engine/wavelet"
)

// calibCoords is the number of coordinates per band (chains ×
// CoarseGrid²) that one calibration round samples: 8192 chains of one
// coefficient per band on the coarsest conditional grid, 2 chains on a
// 128² grid (a round costs about the same at every grid).
const calibCoords = 8192

// defaultCalibration is the default number of calibration rounds.
const defaultCalibration = 3

// calibEquilibrium is the number of times Scale.Steps that a calibration
// chain of a preconditioned factor runs, started from the data x̄_j: the
// moments it matches are then those of the model's equilibrium, not of a
// chain still relaxing from x̄_j = 0 (plain factors keep the sampler's
// chains, from 0 with Steps steps, as fitted before).
const calibEquilibrium = 2

// selfZeroTerms returns, for each varying channel, the index in Theta of
// its self term at shift 0 (the feature ½Σ_q u_a(q)²).
func selfZeroTerms(sc *Scale) []int {
	var out []int
	for _, a := range varyingChannels(sc.Conditional) {
		for t, tm := range sc.Terms {
			if tm.C == a && tm.D == a && tm.SX == 0 && tm.SY == 0 {
				out = append(out, len(sc.Centres)+t)
			}
		}
	}
	return out
}

// runChain runs the MALA chain of one factor as Sampler does: from x̄ =
// init (nil: 0) given cond, steps steps of which the first warm adapt h
// from h0.
func runChain(ch *chain, cond []float64, init [][]float64, steps, warm int, h0, target float64) {
	ch.start(cond, init)
	ch.h = h0
	ad := adapter{logh: math.Log(h0), target: target}
	for s := range steps {
		_, a := ch.step()
		if s < warm {
			ch.h = ad.update(a)
		}
	}
}

// calibrate refines the self shift-0 coefficients of a conditional factor
// by moment matching (for a preconditioned factor, at equilibrium: see
// calibEquilibrium). Score matching is consistent for a well-specified
// model, but with the local potential of §4.3 the coarse conditionals of
// critical φ⁴ come out a few per cent too wide (heavy tails: domain walls).
// The maximum-likelihood condition for the features Φ_a = ½Σ_q u_a(q)² is
// that the model's conditional second moment of band a, averaged over the
// data x_j, equals the data's; each round samples x̄_j given the data x_j
// of the fields (⌈calibCoords/CoarseGrid²⌉ chains, cycling over the
// fields when there are fewer fields than chains) exactly as Sampler does (from 0,
// Steps steps, half of them adapting h) and applies the Gaussian Newton
// step on the diagonal precision,
//
//	θ_a ← θ_a + 1/v_data,a − 1/v_model,a,
//
// v the mean squared coefficient of band a (pooled over H and V when iso:
// the model is then symmetric under transposition), each step bounded by
// half |θ_a| (by half 1/v_data,a for a preconditioned factor). It returns the total change of
// each θ_a and the ratios std_model/std_data measured by the last round.
func calibrate(sc *Scale, us [][4][]float64, rounds int, iso bool, workers int, wv *wavelet.Wavelet, seed uint64,
	progress func(done, total int)) (delta, ratio []float64) {
	idx := selfZeroTerms(sc)
	vary := varyingChannels(sc.Conditional)
	n := sc.CoarseGrid
	ns := len(us)
	// M chains, spread evenly over the fields (several per field when
	// the fields are fewer than M).
	M := max(1, (calibCoords+n*n-1)/(n*n))
	fields := make([]int, M)
	for i := range fields {
		if M >= ns {
			fields[i] = i % ns
		} else {
			fields[i] = i * ns / M
		}
	}
	vd := make([]float64, len(vary))
	for _, k := range fields {
		for b, a := range vary {
			for _, v := range us[k][a] {
				vd[b] += v * v
			}
		}
	}
	for b := range vd {
		vd[b] /= float64(M * n * n)
	}
	if iso && len(vd) == 3 {
		vd[0], vd[1] = (vd[0]+vd[1])/2, (vd[0]+vd[1])/2
	}
	delta = make([]float64, len(vary))
	ratio = make([]float64, len(vary))
	steps := sc.Steps
	if sc.Preconditioned {
		steps *= calibEquilibrium
	}
	warm := int(math.Round(0.5 * float64(steps)))
	for r := range rounds {
		c := compileWith(sc, wv)
		evs := make([]*evaluator, workers)
		chs := make([]*chain, workers)
		for w := range evs {
			ev, err := newEvaluator(c, wv)
			if err != nil {
				return delta, ratio
			}
			evs[w] = ev
			chs[w] = newChain(ev, nil)
		}
		out := make([][]float64, M)
		parallel(M, workers, func(w, i int) {
			ch := chs[w]
			ch.rng = rand.New(rand.NewPCG(chainSeed(seed, r), uint64(i)))
			var init [][]float64
			if sc.Preconditioned { // at equilibrium: from the data x̄_j
				init = make([][]float64, len(vary))
				for b, a := range vary {
					init[b] = us[fields[i]][a]
				}
			}
			runChain(ch, us[fields[i]][0], init, steps, warm, sc.StepSize, sc.TargetAccept)
			o := make([]float64, len(vary))
			for b, a := range vary {
				for _, v := range ch.u[a] {
					o[b] += v * v
				}
			}
			out[i] = o
		})
		vm := make([]float64, len(vary))
		for _, o := range out {
			for b := range o {
				vm[b] += o[b]
			}
		}
		for b := range vm {
			vm[b] /= float64(M * n * n)
		}
		if iso && len(vm) == 3 { // pool H and V, exchanged by transposition
			vm[0], vm[1] = (vm[0]+vm[1])/2, (vm[0]+vm[1])/2
		}
		for b := range vm {
			if !(vm[b] > 0) || !(vd[b] > 0) || !finite(vm[b]) {
				continue
			}
			ratio[b] = math.Sqrt(vm[b] / vd[b])
			d := 1/vd[b] - 1/vm[b]
			th := sc.Theta[idx[b]]
			lim := 0.5 * math.Abs(th)
			if sc.Preconditioned {
				// The potential and the scattering terms may hold most of
				// the confinement, θ_a little of it: bound the step by
				// half the data's precision 1/v_data instead.
				lim = 0.5 / vd[b]
			}
			if math.Abs(d) > lim && lim > 0 {
				d = math.Copysign(lim, d)
			}
			sc.Theta[idx[b]] += d
			delta[b] += d
		}
		if progress != nil {
			progress(r+1, rounds)
		}
	}
	return delta, ratio
}
