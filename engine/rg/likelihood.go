package rg

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"scalewise/engine/wavelet"
)

// likelihoodSnapshots is the number of chain states, evenly spaced over
// the second half of a round's steps, whose features each round averages.
const likelihoodSnapshots = 4

// likelihoodMaxStep is the first trust radius of the refinement's steps,
// a bound on their Newton decrement η·δ (see maximumLikelihood), and
// likelihoodMaxRadius the largest the radius may grow to: it doubles after
// a round whose decrement fell and halves after one whose decrement grew.
const (
	likelihoodMaxStep   = 1
	likelihoodMaxRadius = 64
)

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
// Δᵀ(F̂ + λ diag F̂)⁻¹Δ, is at most a trust radius (likelihoodMaxStep at
// first, doubled up to likelihoodMaxRadius after each round whose δ fell),
// and η and the radius halved when δ grows from one round to the next.
// Features are averaged over the fit's symmetries (symmetricFeatures). The
// result is the average θ of the second half of the rounds (Polyak &
// Juditsky, SIAM J. Control Optim. 30 (1992)), and the decrements δ of
// every round, measured before its step.
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
	ns := len(us)
	M := min(max(1, lc.chains), ns)
	mt := &momentTarget{conds: make([][]float64, M), paired: make([][]float64, M)}
	if !lc.shortRun {
		mt.init = make([][][]float64, M)
	}
	P := len(sc.Theta)
	fields := make([]int, M)
	for i := range fields {
		fields[i] = i * ns / M
		mt.conds[i] = us[fields[i]][0]
		if mt.init != nil {
			mt.init[i] = [][]float64{us[fields[i]][1], us[fields[i]][2], us[fields[i]][3]}
		}
	}
	scr, err := newMomentScratch(sc, wv, workers)
	if err != nil {
		return nil, err
	}
	parallel(M, workers, func(w, i int) {
		s := scr[w]
		f := fields[i]
		mt.paired[i] = make([]float64, P)
		symmetricFeatures(s.fe, s.lev, &us[f], xs[f], sym, iso, s.tr, &s.ut, mt.paired[i], s.tm)
	})
	dec, ratio, err := matchMoments(sc, mt, lc, sym, iso, scr, wv, seed, progress)
	sc.LikelihoodStdRatio = ratio
	return dec, err
}

// momentTarget is what matchMoments matches: chain i runs given the coarse
// field conds[i] (x_j), and its features are compared with the data's
// features paired[i] at the same x_j or, when paired is nil, with the
// data's mean features mean.
type momentTarget struct {
	conds  [][]float64
	paired [][]float64
	mean   []float64
	// init holds the persistent chains' first states (the bands H, V, D
	// of chain i at init[i]); nil: every round starts every chain at 0,
	// as the sampler does.
	init [][][]float64
}

// momentScratch is one worker's scratch space for matchMoments.
type momentScratch struct {
	fe      *featureEvaluator
	lev     *level
	tr, x   []float64
	ut, u   [4][]float64
	out, tm []float64
}

func newMomentScratch(sc *Scale, wv *wavelet.Wavelet, workers int) ([]*momentScratch, error) {
	P := len(sc.Theta)
	n, N := sc.CoarseGrid, sc.Grid
	out := make([]*momentScratch, workers)
	for w := range out {
		fe, err := newFeatureEvaluator(sc, wv)
		if err != nil {
			return nil, err
		}
		lev, err := newLevel(wv, N)
		if err != nil {
			return nil, err
		}
		s := &momentScratch{fe: fe, lev: lev, tr: make([]float64, N*N), x: make([]float64, N*N),
			out: make([]float64, P), tm: make([]float64, P)}
		for c := range 4 {
			s.ut[c] = make([]float64, n*n)
		}
		out[w] = s
	}
	return out, nil
}

// matchMoments runs the rounds of maximumLikelihood (and of
// ancestralMoments) on the target mt: each round, for every chain i, the
// difference d_i = Φ(x̄_i, x_j) − (paired[i] or mean), Δ = E d and the
// Fisher estimate F̂ = c·Cov(d), c = ½ when paired (two draws given the
// same x_j), 1 otherwise; then the damped Newton step. It returns the
// decrements and, measured by the last round before its step, the ratio
// std_model/std_data of each band H, V, D (from the features ½Σ_q u_a(q)²).
func matchMoments(sc *Scale, mt *momentTarget, lc likelihoodConf, sym, iso bool, scr []*momentScratch,
	wv *wavelet.Wavelet, seed uint64, progress func(done, total int)) (dec, ratio []float64, err error) {
	P := len(sc.Theta)
	M := len(mt.conds)
	workers := len(scr)
	vary := varyingChannels(true)
	var states [][][]float64
	hs := make([]float64, M)
	sums := make([][]float64, M)
	for i := range sums {
		hs[i] = sc.StepSize
		sums[i] = make([]float64, P)
	}
	if mt.init != nil {
		states = make([][][]float64, M)
		for i := range states {
			states[i] = make([][]float64, len(vary))
			for b := range vary {
				states[i][b] = append([]float64(nil), mt.init[i][b]...)
			}
		}
	}
	dataMean := mt.mean
	if mt.paired != nil {
		dataMean = make([]float64, P)
		for _, o := range mt.paired {
			addTo(dataMean, o)
		}
		for k := range dataMean {
			dataMean[k] /= float64(M)
		}
	}
	self := selfZeroTerms(sc)
	rate, radius := lc.rate, float64(likelihoodMaxStep)
	prev := math.Inf(1)
	dec = make([]float64, 0, lc.rounds)
	ratio = make([]float64, len(self))
	avg := make([]float64, P)
	navg := 0
	steps, snaps := max(2, lc.steps), likelihoodSnapshots
	if mt.init == nil {
		steps, snaps = max(1, sc.Steps), 1
	}
	snapAt := map[int]bool{}
	for k := range snaps {
		snapAt[steps/2+(k+1)*(steps-steps/2)/snaps-1] = true
	}
	cnt := float64(M * snaps)
	D := mat.NewDense(M*snaps, P, nil) // the differences d, one row per chain state
	c := 1.0
	if mt.paired != nil {
		c = 0.5
	}
	for r := range lc.rounds {
		comp := compileWith(sc, wv)
		chs := make([]*chain, workers)
		for w := range chs {
			ev, err := newEvaluator(comp, wv)
			if err != nil {
				return dec, ratio, err
			}
			chs[w] = newChain(ev, nil)
		}
		parallel(M, workers, func(w, i int) {
			ch, s := chs[w], scr[w]
			ch.rng = rand.New(rand.NewPCG(chainSeed(seed, r), uint64(i)))
			if states != nil {
				ch.start(mt.conds[i], states[i])
			} else {
				ch.start(mt.conds[i], nil)
				hs[i] = sc.StepSize
			}
			ch.h = hs[i]
			ad := adapter{logh: math.Log(hs[i]), target: sc.TargetAccept}
			clear(sums[i])
			ref := mt.mean
			if mt.paired != nil {
				ref = mt.paired[i]
			}
			snap := 0
			for st := range steps {
				_, a := ch.step()
				if st < steps/2 {
					ch.h = ad.update(a)
				}
				if snapAt[st] {
					s.u[0] = mt.conds[i]
					for _, a := range vary {
						s.u[a] = ch.u[a]
					}
					s.lev.synthesise(&s.u, s.x)
					symmetricFeatures(s.fe, s.lev, &s.u, s.x, sym, iso, s.tr, &s.ut, s.out, s.tm)
					d := D.RawRowView(i*snaps + snap)
					for k, v := range s.out {
						d[k] = v - ref[k]
					}
					addTo(sums[i], d)
					snap++
				}
			}
			if states != nil {
				for b, a := range vary {
					copy(states[i][b], ch.u[a])
				}
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
		// F̂ = c(E[ddᵀ] − ΔΔᵀ), regularised; the rows of D in chain order,
		// so that the result does not depend on the workers.
		F := mat.NewSymDense(P, nil)
		F.SymOuterK(c/cnt, D.T())
		F.SymRankOne(F, -c, mat.NewVecDense(P, delta))
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
			return dec, ratio, errors.New("the regularised Fisher estimate is not positive definite")
		}
		var zv mat.VecDense
		if err := chol.SolveVecTo(&zv, mat.NewVecDense(P, delta)); err != nil {
			return dec, ratio, err
		}
		z := zv.RawVector().Data
		for b, k := range self {
			ratio[b] = math.Sqrt(max(0, (dataMean[k]+delta[k])/dataMean[k]))
		}
		d := math.Sqrt(max(0, dot(delta, z)))
		dec = append(dec, d)
		if !finite(d) {
			return dec, ratio, errors.New("the moment mismatch is not finite")
		}
		switch {
		case d > prev:
			rate /= 2
			radius = max(likelihoodMaxStep, radius/2)
		case r > 0:
			radius = min(likelihoodMaxRadius, 2*radius)
		}
		prev = d
		eta := rate
		if eta*d > radius {
			eta = radius / d
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
	return dec, ratio, nil
}

// drawFactor draws x̄_j for each coarse field conds[i] (nil entries for the
// coarsest factor) as Sampler does (from 0, the factor's Steps steps, the
// first half adapting h from StepSize) and returns the fields x_{j−1} =
// W⁻¹(x_j, x̄_j), or x_J for the coarsest factor.
func drawFactor(sc *Scale, conds [][]float64, wv *wavelet.Wavelet, workers int, seed uint64) ([][]float64, error) {
	comp := compileWith(sc, wv)
	chs := make([]*chain, workers)
	levs := make([]*level, workers)
	for w := range chs {
		ev, err := newEvaluator(comp, wv)
		if err != nil {
			return nil, err
		}
		chs[w] = newChain(ev, nil)
		if sc.Conditional {
			if levs[w], err = newLevel(wv, sc.Grid); err != nil {
				return nil, err
			}
		}
	}
	out := make([][]float64, len(conds))
	steps := max(1, sc.Steps)
	parallel(len(conds), workers, func(w, i int) {
		ch := chs[w]
		ch.rng = rand.New(rand.NewPCG(chainSeed(seed, 0), uint64(i)))
		runChain(ch, conds[i], nil, steps, steps/2, sc.StepSize, sc.TargetAccept)
		out[i] = make([]float64, sc.Grid*sc.Grid)
		if !sc.Conditional {
			copy(out[i], ch.u[1])
			return
		}
		u := ch.u
		u[0] = conds[i]
		levs[w].synthesise(&u, out[i])
	})
	return out, nil
}

// ancestralMoments refines the conditional factors of m coarse to fine so
// that the model's own samples match the data's moments of every factor's
// features: for factor i, lc.chains fields x_j are drawn from the model's
// coarser factors (already refined), the factor's sampler draws x̄_j given
// each, and the rounds of matchMoments compare the mean of Φ(x̄_j, x_j) over
// these draws with its mean over the training data (xs[i], the factor's
// potential fields x_{j−1} in the model's units); F̂ is then the covariance
// of Φ over the draws. Score matching and the per-factor refinements of
// maximumLikelihood fit each factor given the data's x_j, but the sampler
// conditions it on the model's own x_j, whose errors then compound from
// scale to scale; here every factor is fitted given the x_j the sampler
// will give it. The decrements of each factor go to its
// LikelihoodDecrement.
func ancestralMoments(m *Model, xs [][][]float64, lc likelihoodConf, sym, iso bool, workers int,
	wv *wavelet.Wavelet, progress func(i, done, total int)) error {
	M := max(1, lc.chains)
	conds := make([][]float64, M)
	cur, err := drawFactor(&m.Scales[0], conds, wv, workers, 0xa4ce)
	if err != nil {
		return err
	}
	for i := 1; i < len(m.Scales); i++ {
		sc := &m.Scales[i]
		P := len(sc.Theta)
		scr, err := newMomentScratch(sc, wv, workers)
		if err != nil {
			return err
		}
		ns := len(xs[i])
		per := make([][]float64, ns)
		us := make([][4][]float64, ns)
		n := sc.CoarseGrid
		parallel(ns, workers, func(w, k int) {
			s := scr[w]
			for c := range 4 {
				us[k][c] = make([]float64, n*n)
			}
			s.lev.analyse(xs[i][k], &us[k])
			per[k] = make([]float64, P)
			symmetricFeatures(s.fe, s.lev, &us[k], xs[i][k], sym, iso, s.tr, &s.ut, per[k], s.tm)
		})
		mean := make([]float64, P)
		for _, o := range per {
			addTo(mean, o)
		}
		for k := range mean {
			mean[k] /= float64(ns)
		}
		var pr func(done, total int)
		if progress != nil {
			pr = func(done, total int) { progress(i, done, total) }
		}
		dec, ratio, err := matchMoments(sc, &momentTarget{conds: cur, mean: mean}, lc, sym, iso, scr, wv, uint64(3000+i), pr)
		if err != nil {
			return fmt.Errorf("factor %d: %w", i, err)
		}
		sc.LikelihoodDecrement, sc.LikelihoodStdRatio = dec, ratio
		if allFinite(sc.Theta) >= 0 {
			return fmt.Errorf("factor %d: θ is not finite", i)
		}
		// The preconditioner stays the one the rounds sampled with: the
		// moments matched are those of the sampler's chains, which do not
		// reach equilibrium in Steps steps, so they depend on it.
		if i+1 < len(m.Scales) {
			if cur, err = drawFactor(sc, cur, wv, workers, uint64(4000+i)); err != nil {
				return err
			}
		}
	}
	return nil
}
