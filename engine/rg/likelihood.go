package rg

import (
	"errors"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"scalewise/engine/wavelet"
)

// likelihoodSnapshots is the number of chain states, evenly spaced over
// the second half of a round's steps, whose features each round averages.
const likelihoodSnapshots = 4

// likelihoodMaxStep bounds the Newton decrement of one update (see
// maximumLikelihood): a step may lower the expected log-likelihood's
// quadratic model by at most ½·likelihoodMaxStep² per field.
const likelihoodMaxStep = 1

// likelihoodConf sets the maximum-likelihood refinement of a factor.
type likelihoodConf struct {
	rounds, chains, steps int
	rate                  float64
	// shortRun makes every round's chains those of the sampler (from
	// x̄_j = 0 with the factor's StepSize and Steps; see maximumLikelihood).
	shortRun bool
}

// symmetricFeatures computes Φ at the factor's channels u (with their
// potential field x) averaged over the symmetries of the fit: x → −x when
// sym, the transposition x ↔ y when iso (which exchanges H and V), so that
// moments matched with them keep the fitted energy's symmetries. tr and lev
// are scratch (an N×N field and a level of that size); out gets the
// average, tmp is scratch of the same length.
func symmetricFeatures(fe *featureEvaluator, lev *level, u *[4][]float64, x []float64, sym, iso bool,
	tr []float64, ut *[4][]float64, out, tmp []float64) {
	fe.values(u, x, out)
	cnt := 1.0
	add := func() {
		fe.values(ut, tr, tmp)
		addTo(out, tmp)
		cnt++
	}
	N := fe.N
	if iso {
		for y := range N {
			for xx := range N {
				tr[xx*N+y] = x[y*N+xx]
			}
		}
		lev.analyse(tr, ut)
		add()
	}
	if sym {
		for i, v := range x {
			tr[i] = -v
		}
		lev.analyse(tr, ut)
		add()
		if iso {
			for y := range N {
				for xx := range N {
					tr[xx*N+y] = -x[y*N+xx]
				}
			}
			lev.analyse(tr, ut)
			add()
		}
	}
	for i := range out {
		out[i] /= cnt
	}
}

// likelihoodShrink is λ of the regularised Fisher estimate F̂ + λ·diag(F̂)
// of maximumLikelihood (F̂ has rank at most the number of chain states
// it averages, below the number of parameters of the finest factors).
const likelihoodShrink = 0.1

// maximumLikelihood refines the parameters θ of a conditional factor,
// fitted by score matching, towards the maximum of the conditional
// likelihood Π p̄_θ(x̄_j | x_j) of the training data (persistent-chain
// stochastic approximation; Younes, "Estimation and annealing for Gibbsian
// fields", Ann. IHP 24 (1988); Tieleman, ICML 2008). For the exponential
// family p̄_θ ∝ e^{−θᵀΦ} the gradient of the mean log-likelihood is
// E_θ[Φ] − E_data[Φ], the model's expectation taken given each field's own
// x_j, and its Hessian −F, F = E_x Cov_θ(Φ | x_j). Score matching's optimum
// is not the likelihood's when the model does not hold exactly, and its
// samples then miss the data's moments (for these features: the band
// covariances, the potential's windows, the scattering moments). Each round
// runs lc.chains MALA chains, chain i on training field i's x_j and
// started where the previous round left it (the first round starts at the
// data x̄_j), for lc.steps steps, and takes at likelihoodSnapshots states of
// the second half the difference d = Φ(x̄_model, x_j) − Φ(x̄_data, x_j). Both
// terms are draws given the same x_j, so that, for a model near the data,
// E[d] = Δ is the gradient and ½Cov(d) estimates F. The step is Newton's,
//
//	θ ← θ + η (F̂ + λ diag F̂)⁻¹ Δ,   λ = likelihoodShrink,
//
// with η = lc.rate, reduced so that the Newton decrement η·δ, δ² =
// Δᵀ(F̂ + λ diag F̂)⁻¹Δ, is at most likelihoodMaxStep, and halved when δ
// grows from one round to the next. Features are averaged over the fit's
// symmetries (symmetricFeatures). The result is the average θ of the second
// half of the rounds (Polyak & Juditsky, SIAM J. Control Optim. 30 (1992)),
// and the decrements δ of every round, measured before its step.
//
// With lc.shortRun the chains are instead the sampler's own, restarted
// every round from x̄_j = 0 for the factor's Steps steps (half of them
// adapting h from StepSize), and d is taken at their last state: the
// update then matches the moments of what the sampler draws in its budget
// rather than of the model's equilibrium (Nijkamp, Hill, Zhu & Wu,
// "Learning non-convergent non-persistent short-run MCMC toward
// energy-based model", NeurIPS 2019).
func maximumLikelihood(sc *Scale, us [][4][]float64, xs [][]float64, lc likelihoodConf,
	sym, iso bool, workers int, wv *wavelet.Wavelet, seed uint64, progress func(done, total int)) ([]float64, error) {
	P := len(sc.Theta)
	ns := len(us)
	M := min(max(1, lc.chains), ns)
	fields := make([]int, M)
	for i := range fields {
		fields[i] = i * ns / M
	}
	n, N := sc.CoarseGrid, sc.Grid
	vary := varyingChannels(true)
	type scratch struct {
		fe      *featureEvaluator
		lev     *level
		tr, x   []float64
		ut, u   [4][]float64
		out, tm []float64
		F       *mat.SymDense
		d       []float64
	}
	mkScratch := func() (*scratch, error) {
		fe, err := newFeatureEvaluator(sc, wv)
		if err != nil {
			return nil, err
		}
		lev, err := newLevel(wv, N)
		if err != nil {
			return nil, err
		}
		s := &scratch{fe: fe, lev: lev, tr: make([]float64, N*N), x: make([]float64, N*N),
			out: make([]float64, P), tm: make([]float64, P), F: mat.NewSymDense(P, nil), d: make([]float64, P)}
		for c := range 4 {
			s.ut[c] = make([]float64, n*n)
		}
		return s, nil
	}
	scr := make([]*scratch, workers)
	for w := range scr {
		var err error
		if scr[w], err = mkScratch(); err != nil {
			return nil, err
		}
	}
	// The data's features, per chain.
	data := make([][]float64, M)
	parallel(M, workers, func(w, i int) {
		s := scr[w]
		f := fields[i]
		data[i] = make([]float64, P)
		symmetricFeatures(s.fe, s.lev, &us[f], xs[f], sym, iso, s.tr, &s.ut, data[i], s.tm)
	})
	states := make([][][]float64, M)
	hs := make([]float64, M)
	sums := make([][]float64, M)
	for i := range states {
		states[i] = make([][]float64, len(vary))
		for b, a := range vary {
			states[i][b] = append([]float64(nil), us[fields[i]][a]...)
		}
		hs[i] = sc.StepSize
		sums[i] = make([]float64, P)
	}
	rate := lc.rate
	prev := math.Inf(1)
	dec := make([]float64, 0, lc.rounds)
	avg := make([]float64, P)
	navg := 0
	steps := max(2, lc.steps)
	snaps := likelihoodSnapshots
	if lc.shortRun {
		steps, snaps = max(1, sc.Steps), 1
	}
	snapAt := map[int]bool{}
	for k := range snaps {
		snapAt[steps/2+(k+1)*(steps-steps/2)/snaps-1] = true
	}
	cnt := float64(M * snaps)
	for r := range lc.rounds {
		c := compileWith(sc, wv)
		chs := make([]*chain, workers)
		for w := range chs {
			ev, err := newEvaluator(c, wv)
			if err != nil {
				return dec, err
			}
			chs[w] = newChain(ev, nil)
			scr[w].F.Zero()
		}
		parallel(M, workers, func(w, i int) {
			ch, s := chs[w], scr[w]
			ch.rng = rand.New(rand.NewPCG(chainSeed(seed, r), uint64(i)))
			f := fields[i]
			if lc.shortRun {
				ch.start(us[f][0], nil)
				hs[i] = sc.StepSize
			} else {
				ch.start(us[f][0], states[i])
			}
			ch.h = hs[i]
			ad := adapter{logh: math.Log(hs[i]), target: sc.TargetAccept}
			clear(sums[i])
			for st := range steps {
				_, a := ch.step()
				if st < steps/2 {
					ch.h = ad.update(a)
				}
				if snapAt[st] {
					s.u[0] = us[f][0]
					for _, a := range vary {
						s.u[a] = ch.u[a]
					}
					s.lev.synthesise(&s.u, s.x)
					symmetricFeatures(s.fe, s.lev, &s.u, s.x, sym, iso, s.tr, &s.ut, s.out, s.tm)
					for k, v := range s.out {
						s.d[k] = v - data[i][k]
					}
					addTo(sums[i], s.d)
					s.F.SymRankOne(s.F, 1, mat.NewVecDense(P, s.d))
				}
			}
			for b, a := range vary {
				copy(states[i][b], ch.u[a])
			}
			hs[i] = ch.h
		})
		delta := make([]float64, P)
		for _, o := range sums {
			addTo(delta, o)
		}
		for k := range delta {
			delta[k] /= cnt
		}
		F := mat.NewSymDense(P, nil)
		for _, s := range scr {
			F.AddSym(F, s.F)
		}
		// F̂ = ½(E[ddᵀ] − ΔΔᵀ), regularised.
		F.ScaleSym(0.5/cnt, F)
		F.SymRankOne(F, -0.5, mat.NewVecDense(P, delta))
		tr := 0.0
		for k := range P {
			tr += F.At(k, k)
		}
		floor := 1e-9 * tr / float64(P)
		for k := range P {
			F.SetSym(k, k, (1+likelihoodShrink)*F.At(k, k)+floor)
		}
		var chol mat.Cholesky
		if !chol.Factorize(F) {
			return dec, errors.New("the regularised Fisher estimate is not positive definite")
		}
		var zv mat.VecDense
		if err := chol.SolveVecTo(&zv, mat.NewVecDense(P, delta)); err != nil {
			return dec, err
		}
		z := zv.RawVector().Data
		d := math.Sqrt(max(0, dot(delta, z)))
		dec = append(dec, d)
		if !finite(d) {
			return dec, errors.New("the moment mismatch is not finite")
		}
		if d > prev {
			rate /= 2
		}
		prev = d
		eta := rate
		if eta*d > likelihoodMaxStep {
			eta = likelihoodMaxStep / d
		}
		for k := range sc.Theta {
			sc.Theta[k] += eta * z[k]
		}
		if r >= lc.rounds/2 {
			addTo(avg, sc.Theta)
			navg++
		}
		if progress != nil {
			progress(r+1, lc.rounds)
		}
	}
	if navg > 0 {
		for k := range avg {
			sc.Theta[k] = avg[k] / float64(navg)
		}
	}
	return dec, nil
}
