package rg

import (
	"scalewise/engine/wavelet"
)

// featureEvaluator computes the feature vector Φ(x̄_j | x_j) of one factor,
// in the order of Scale.Theta, so that its energy is Ē = θᵀΦ (PRX 13,
// 041038, §4.3; the scattering terms of Lempereur & Mallat, arXiv:2405.03468,
// §4):
//
//	Φ_k = Σ_p ρ_k(x(p))                  (sigmoid window k on the potential field x),
//	Φ_t = ½ Σ_q u_C(q) u_D(q+s)          (quadratic term t, see Term),
//	Φ_f = the scattering feature f       (see ScatTerm).
//
// It owns scratch space: one goroutine at a time.
type featureEvaluator struct {
	sc    *Scale
	n, N  int
	lev   *level
	sig   sigmoids
	r, q  []float64
	fine  []float64
	sw    *scatWork
	terms []Term
}

func newFeatureEvaluator(sc *Scale, wv *wavelet.Wavelet) (*featureEvaluator, error) {
	fe := &featureEvaluator{sc: sc, n: sc.CoarseGrid, N: sc.Grid, sig: newSigmoids(sc.Centres, sc.Width),
		r: make([]float64, len(sc.Centres)), q: make([]float64, len(sc.Centres)), terms: sc.Terms}
	if sc.Conditional {
		lev, err := newLevel(wv, sc.Grid)
		if err != nil {
			return nil, err
		}
		fe.lev = lev
		fe.fine = make([]float64, sc.Grid*sc.Grid)
		if sc.Scattering != nil {
			g, err := newScatGeom(sc.Scattering, sc.Grid, wv)
			if err != nil {
				return nil, err
			}
			w, err := newScatWork(g, sc.Scattering, wv, true)
			if err != nil {
				return nil, err
			}
			fe.sw = w
		}
	}
	return fe, nil
}

// values stores Φ(u) in out (len(Theta) values). u holds the channels
// (u[0] = x_j and u[1..3] = H_j, V_j, D_j for a conditional factor, u[1] =
// x_J otherwise); fine, if non-nil, must be the potential field x_{j−1}
// they synthesise (it is computed otherwise).
func (fe *featureEvaluator) values(u *[4][]float64, fine []float64, out []float64) {
	sc := fe.sc
	K := len(sc.Centres)
	clear(out[:K])
	x := u[1]
	if sc.Conditional {
		if fine == nil {
			fe.lev.synthesise(u, fe.fine)
			fine = fe.fine
		}
		x = fine
	}
	for _, t := range x {
		fe.sig.rq(t, fe.r, fe.q)
		for k, v := range fe.r {
			out[k] += v
		}
	}
	n := fe.n
	for i, tm := range fe.terms {
		a, b := u[tm.C], u[tm.D]
		s := 0.0
		for y := range n {
			row := a[y*n : (y+1)*n]
			yb := mod(y+tm.SY, n) * n
			for xx, v := range row {
				s += v * b[yb+mod(xx+tm.SX, n)]
			}
		}
		out[K+i] = 0.5 * s
	}
	if fe.sw != nil {
		w := fe.sw
		w.setCoarse(u[0])
		w.setFine(x, false)
		w.features(out[K+len(fe.terms):], nil, nil, nil)
	}
}
