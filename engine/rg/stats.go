package rg

import (
	"scalewise/engine/wavelet"
)

// layout fixes the shapes of the sufficient statistics of one scale.
type layout struct {
	cond       bool
	n, N, S, K int
	vary, srcs []int
	pairIdx    [4][4]int // index of the pair (b ≤ b') in C, −1 if unused
	npairs     int
	nlag       int // (4S+1)²
	nr         int // (2S+1)²
	wts        [4]float64
}

func newLayout(cond bool, n, S, K int, wts [4]float64) *layout {
	l := &layout{cond: cond, n: n, S: S, K: K, vary: varyingChannels(cond), srcs: sourceChannels(cond), wts: wts}
	l.N = n
	if cond {
		l.N = 2 * n
	}
	for i := range l.pairIdx {
		for j := range l.pairIdx[i] {
			l.pairIdx[i][j] = -1
		}
	}
	for i, b := range l.srcs {
		for _, b2 := range l.srcs[i:] {
			l.pairIdx[b][b2] = l.npairs
			l.npairs++
		}
	}
	l.nlag = (4*S + 1) * (4*S + 1)
	l.nr = (2*S + 1) * (2*S + 1)
	return l
}

// stats are the sufficient statistics of score matching for one scale,
// summed over fields (PRX 13, 041038, §4.4):
//
//	C_{b,b'}(ℓ)   = Σ_q u_b(q) u_b'(q+ℓ),         ℓ ∈ [−2S, 2S]², b ≤ b',
//	D_{k,a,b}(r)  = Σ_q s_{k,a}(q) u_b(q+r),       r ∈ [−S, S]²,
//	SS_{k,k'}     = Σ_a Σ_q s_{k,a}(q) s_{k',a}(q),
//	GV_k          = Σ_p ρ_k''(x(p)) w(p),
//
// where s_{k,a} = ∇_{u_a} Σ_p ρ_k(x(p)) (band a of W(ρ_k'(x)) for a
// conditional scale, ρ_k'(x_J) for the coarsest one) and w(p) the detail
// weights of level.detailWeights (1 for the coarsest scale).
type stats struct {
	C   [][]float64 // [pair][lag]
	D   []float64   // [((k·nv + ai)·ns + bi)·nr + r]
	SS  []float64   // K×K (upper triangle filled)
	GV  []float64
	cnt float64
}

func newStats(l *layout) *stats {
	s := &stats{C: make([][]float64, l.npairs), D: make([]float64, l.K*len(l.vary)*len(l.srcs)*l.nr),
		SS: make([]float64, l.K*l.K), GV: make([]float64, l.K)}
	for i := range s.C {
		s.C[i] = make([]float64, l.nlag)
	}
	return s
}

func (s *stats) add(o *stats) {
	for i := range s.C {
		addTo(s.C[i], o.C[i])
	}
	addTo(s.D, o.D)
	addTo(s.SS, o.SS)
	addTo(s.GV, o.GV)
	s.cnt += o.cnt
}

func addTo(dst, src []float64) {
	for i, v := range src {
		dst[i] += v
	}
}

func dot(a, b []float64) float64 {
	b = b[:len(a)]
	s0, s1, s2, s3 := 0.0, 0.0, 0.0, 0.0
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// accumulator computes the statistics of single fields; it owns scratch
// space (one goroutine at a time).
type accumulator struct {
	l    *layout
	sig  sigmoids
	lev  *level
	pad  [4][]float64 // channels padded by 2S
	F    [][]float64  // ρ_k' on the potential grid
	sk   [][][]float64
	r, q []float64
}

func newAccumulator(l *layout, sig sigmoids, wv *wavelet.Wavelet) (*accumulator, error) {
	a := &accumulator{l: l, sig: sig, r: make([]float64, l.K), q: make([]float64, l.K)}
	p := (l.n + 4*l.S) * (l.n + 4*l.S)
	for _, b := range l.srcs {
		a.pad[b] = make([]float64, p)
	}
	a.F = make([][]float64, l.K)
	a.sk = make([][][]float64, l.K)
	for k := range a.F {
		a.F[k] = make([]float64, l.N*l.N)
		if l.cond {
			a.sk[k] = [][]float64{make([]float64, l.n*l.n), make([]float64, l.n*l.n), make([]float64, l.n*l.n)}
		} else {
			a.sk[k] = [][]float64{a.F[k]}
		}
	}
	if l.cond {
		lev, err := newLevel(wv, l.N)
		if err != nil {
			return nil, err
		}
		a.lev = lev
	}
	return a, nil
}

// addField adds the statistics of one field: u the channels (u[0] = x_j,
// u[1..3] = bands, or u[1] = x_J) and x the potential field (x_{j−1}, or
// x_J).
func (a *accumulator) addField(st *stats, u *[4][]float64, x []float64) {
	l := a.l
	n, S := l.n, l.S
	P := n + 4*S
	W4 := 4*S + 1
	for _, b := range l.srcs {
		padPeriodic(a.pad[b], u[b], n, 2*S)
	}
	// Channel correlations C_{b,b'}(ℓ).
	for i, b := range l.srcs {
		for _, b2 := range l.srcs[i:] {
			c := st.C[l.pairIdx[b][b2]]
			ub, pb := u[b], a.pad[b2]
			for y := 0; y < n; y++ {
				row := ub[y*n : y*n+n]
				for ly := 0; ly < W4; ly++ {
					prow := pb[(y+ly)*P : (y+ly)*P+P]
					cl := c[ly*W4 : ly*W4+W4]
					for lx := range cl {
						cl[lx] += dot(row, prow[lx:lx+n])
					}
				}
			}
		}
	}
	if l.K == 0 {
		st.cnt++
		return
	}
	// Sigmoid derivative fields and exact Laplacians.
	w := a.sig.w
	iw, iw2 := 1/w, 1/(w*w)
	N := l.N
	for p, t := range x {
		a.sig.rq(t, a.r, a.q)
		wp := 1.0
		if l.cond {
			wp = l.wts[((p/N)%2)*2+(p%N)%2]
		}
		for k := range a.r {
			rq := a.r[k] * a.q[k]
			a.F[k][p] = -rq * iw
			st.GV[k] += rq * (a.q[k] - a.r[k]) * iw2 * wp
		}
	}
	if l.cond {
		for k := range a.F {
			a.lev.details(a.F[k], a.sk[k])
		}
	}
	K := l.K
	for k := 0; k < K; k++ {
		for k2 := k; k2 < K; k2++ {
			v := 0.0
			for ai := range l.vary {
				v += dot(a.sk[k][ai], a.sk[k2][ai])
			}
			st.SS[k*K+k2] += v
		}
	}
	// D_{k,a,b}(r) = Σ_q s_{k,a}(q) u_b(q+r), r ∈ [−S, S]².
	nv, ns := len(l.vary), len(l.srcs)
	W2 := 2*S + 1
	for ai := range l.vary {
		for bi, b := range l.srcs {
			pb := a.pad[b]
			for y := 0; y < n; y++ {
				for ry := 0; ry < W2; ry++ {
					prow := pb[(y+ry+S)*P : (y+ry+S)*P+P]
					for rx := 0; rx < W2; rx++ {
						seg := prow[rx+S : rx+S+n]
						r := ry*W2 + rx
						for k := 0; k < K; k++ {
							st.D[((k*nv+ai)*ns+bi)*l.nr+r] += dot(a.sk[k][ai][y*n:y*n+n], seg)
						}
					}
				}
			}
		}
	}
	st.cnt++
}
