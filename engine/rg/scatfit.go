package rg

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"scalewise/engine/fourier"
	"scalewise/engine/wavelet"
)

// scatStats are the sufficient statistics of the scattering terms of one
// factor for score matching, summed over fields (package documentation,
// "Scattering interactions"): with g_f = ∇_x̄Φ_f (bands a = H, V, D),
// s_k the sigmoid gradients (see stats) and u_b the channels,
//
//	SS_{f,f'}       = ⟨g_f, g_f'⟩,                      f ≤ f',
//	X_{f,a,b}(r)    = Σ_q g_{f,a}(q) u_b(q+r),           r ∈ [−S, S]²,
//	SK_{k,f}        = ⟨s_k, g_f⟩,
//	GS_f            = Δ_x̄Φ_f.
type scatStats struct {
	P   int
	SS  []float64 // P×P, upper triangle
	X   []float64 // [((f·nv + ai)·ns + bi)·nr + r]
	SK  []float64 // [k·P + f]
	GS  []float64
	cnt float64
}

func newScatStats(l *layout, P int) *scatStats {
	return &scatStats{P: P, SS: make([]float64, P*P), X: make([]float64, P*len(l.vary)*len(l.srcs)*l.nr),
		SK: make([]float64, l.K*P), GS: make([]float64, P)}
}

func (s *scatStats) add(o *scatStats) {
	addTo(s.SS, o.SS)
	addTo(s.X, o.X)
	addTo(s.SK, o.SK)
	addTo(s.GS, o.GS)
	s.cnt += o.cnt
}

// scatAccumulator computes the scattering statistics of single fields; it
// owns scratch space (one goroutine at a time).
type scatAccumulator struct {
	l     *layout
	w     *scatWork
	seed  uint64
	pcg   *rand.PCG
	rng   *rand.Rand
	vals  []float64
	laps  []float64
	grads [][]float64
	plan  *fourier.Plan2D // n×n, for the correlations X
	uh    [4][]complex128 // spectra of the channels
	gh, z []complex128    // scratch
}

func newScatAccumulator(l *layout, g *scatGeom, b *ScatBlock, wv *wavelet.Wavelet, seed uint64) (*scatAccumulator, error) {
	w, err := newScatWork(g, b, wv, true)
	if err != nil {
		return nil, err
	}
	P := len(b.Terms)
	a := &scatAccumulator{l: l, w: w, seed: seed, pcg: rand.NewPCG(seed, 0), vals: make([]float64, P), laps: make([]float64, P),
		grads: make([][]float64, P)}
	a.rng = rand.New(a.pcg)
	for f := range a.grads {
		a.grads[f] = make([]float64, 3*l.n*l.n)
	}
	plan, err := fourier.NewPlan2D(l.n, l.n)
	if err != nil {
		return nil, err
	}
	a.plan = plan
	nn := l.n * l.n
	for _, b := range l.srcs {
		a.uh[b] = make([]complex128, nn)
	}
	a.gh, a.z = make([]complex128, nn), make([]complex128, nn)
	return a, nil
}

// addField adds the statistics of one field: u the channels (u[0] = x_j,
// u[1..3] = H, V, D), x = x_{j−1}, and sk the sigmoid gradient bands of the
// same field (accumulator.sk; nil without sigmoids). The probes of the
// Hutchinson estimates are seeded by k, so the result does not depend on
// the worker, and transposed when tr is set: the image of a field under a
// symmetry (augmentData) then gets the image of its probes, and the
// estimates, like the exact terms, respect the symmetry.
func (a *scatAccumulator) addField(st *scatStats, k int, tr bool, u *[4][]float64, x []float64, sk [][][]float64) {
	l, w := a.l, a.w
	a.pcg.Seed(a.seed, uint64(k))
	w.transposeProbes = tr
	w.setCoarse(u[0])
	w.setFine(x, true)
	w.features(a.vals, a.grads, a.laps, a.rng)
	P := len(a.grads)
	addTo(st.GS, a.laps)
	for f := range P {
		gf := a.grads[f]
		for f2 := f; f2 < P; f2++ {
			st.SS[f*P+f2] += dot(gf, a.grads[f2])
		}
	}
	n, S := l.n, l.S
	nn := n * n
	if sk != nil {
		for kk := 0; kk < l.K; kk++ {
			for f := range P {
				v := 0.0
				for ai := range l.vary {
					v += dot(sk[kk][ai], a.grads[f][ai*nn:(ai+1)*nn])
				}
				st.SK[kk*P+f] += v
			}
		}
	}
	// X_{f,a,b}(r) = Σ_q g(q) u_b(q+r) = F⁻¹(ĝ* û_b)(r) on the n×n torus,
	// two channels b per complex inverse transform (both results are real).
	for _, b := range l.srcs {
		_ = a.plan.ForwardReal(a.uh[b], u[b])
	}
	nv, ns := len(l.vary), len(l.srcs)
	W2 := 2*S + 1
	for f := range P {
		for ai := range l.vary {
			_ = a.plan.ForwardReal(a.gh, a.grads[f][ai*nn:(ai+1)*nn])
			for bi := 0; bi < ns; bi += 2 {
				u1 := a.uh[l.srcs[bi]]
				var u2 []complex128
				if bi+1 < ns {
					u2 = a.uh[l.srcs[bi+1]]
				}
				for i, g := range a.gh {
					c := complex(real(g), -imag(g))
					v := u1[i]
					if u2 != nil {
						w := u2[i]
						v += complex(-imag(w), real(w)) // + i·û_b2
					}
					a.z[i] = c * v
				}
				_ = a.plan.Inverse(a.z, a.z)
				x1 := st.X[((f*nv+ai)*ns+bi)*l.nr:]
				var x2 []float64
				if u2 != nil {
					x2 = st.X[((f*nv+ai)*ns+bi+1)*l.nr:]
				}
				for ry := range W2 {
					qy := mod(ry-S, n) * n
					for rx := range W2 {
						v := a.z[qy+mod(rx-S, n)]
						x1[ry*W2+rx] += real(v)
						if x2 != nil {
							x2[ry*W2+rx] += imag(v)
						}
					}
				}
			}
		}
	}
	st.cnt++
}

// assembleScat builds the score-matching system of a factor with
// scattering terms (package documentation, "Scattering interactions"):
// the blocks of assemble for the sigmoids and the quadratic terms, and,
// for the scattering coefficients (last),
//
//	H_{k,f} = SK_{k,f},   H_{t,f} = Σ_{(a,α,b,r) ∈ t} α X_{f,a,b}(r),   H_{f,f'} = SS_{f,f'},
//	G_f = GS_f,
//
// all divided by the number of fields.
func assembleScat(l *layout, terms []Term, st *stats, ss *scatStats) (*mat.SymDense, []float64) {
	H0, G0 := assemble(l, terms, st)
	P0, Ps := len(G0), ss.P
	P := P0 + Ps
	H := mat.NewSymDense(P, nil)
	for i := range P0 {
		for j := i; j < P0; j++ {
			H.SetSym(i, j, H0.At(i, j))
		}
	}
	G := make([]float64, P)
	copy(G, G0)
	inv := 1 / ss.cnt
	for f := range Ps {
		G[P0+f] = ss.GS[f] * inv
	}
	for k := 0; k < l.K; k++ {
		for f := range Ps {
			H.SetSym(k, P0+f, ss.SK[k*Ps+f]*inv)
		}
	}
	vIdx, sIdx := [4]int{-1, -1, -1, -1}, [4]int{-1, -1, -1, -1}
	for i, a := range l.vary {
		vIdx[a] = i
	}
	for i, b := range l.srcs {
		sIdx[b] = i
	}
	nv, ns := len(l.vary), len(l.srcs)
	W2 := 2*l.S + 1
	for t, tm := range terms {
		comps := tm.components()
		for f := range Ps {
			v := 0.0
			for _, c := range comps {
				r := (c.RY+l.S)*W2 + c.RX + l.S
				v += c.Alpha * ss.X[((f*nv+vIdx[c.A])*ns+sIdx[c.B])*l.nr+r]
			}
			H.SetSym(l.K+t, P0+f, v*inv)
		}
	}
	for f := range Ps {
		for f2 := f; f2 < Ps; f2++ {
			H.SetSym(P0+f, P0+f2, ss.SS[f*Ps+f2]*inv)
		}
	}
	return H, G
}

// scatMirror returns the scattering statistics of the data together with
// their mirror images −x, given those of the data, the parities π_f of
// the features (Φ_f(−x) = π_f Φ_f(x): −1 for s3re and s3im, whose weights
// are linear in x̃_c, +1 for the others, functions of moduli only) and
// centres symmetric about 0 (see mirror). With ε_f = −π_f the parity of
// ∇Φ_f, the channels odd, s_k(−x) = s_{k̃}(x) (k̃ = K−1−k) and
// (ΔΦ_f)(−x) = π_f ΔΦ_f(x) (also for a Hutchinson estimate with the same
// probes, quadratic in U̇ → −U̇):
//
//	SS → (1 + ε_f ε_f') SS,   X_f → (1 − ε_f) X_f,   SK_{k,f} → SK_{k,f} + ε_f SK_{k̃,f},   GS_f → (1 + π_f) GS_f,
//
// so that the odd features decouple with G = 0 and get θ = 0 exactly.
func scatMirror(l *layout, st *scatStats, parity []float64) *scatStats {
	P := st.P
	out := newScatStats(l, P)
	for f := range P {
		ef := -parity[f]
		for f2 := f; f2 < P; f2++ {
			out.SS[f*P+f2] = (1 + ef*(-parity[f2])) * st.SS[f*P+f2]
		}
		out.GS[f] = (1 + parity[f]) * st.GS[f]
		for k := 0; k < l.K; k++ {
			out.SK[k*P+f] = st.SK[k*P+f] + ef*st.SK[(l.K-1-k)*P+f]
		}
	}
	blk := len(st.X) / max(P, 1)
	for f := range P {
		c := 1 + parity[f]
		for r := range blk {
			out.X[f*blk+r] = c * st.X[f*blk+r]
		}
	}
	out.cnt = 2 * st.cnt
	return out
}

// scatParities returns π_f for the terms of a block (see scatMirror).
func scatParities(b *ScatBlock) []float64 {
	out := make([]float64, len(b.Terms))
	for f, t := range b.Terms {
		out[f] = 1
		if t.Family == ScatS3Re || t.Family == ScatS3Im {
			out[f] = -1
		}
	}
	return out
}

// augmented is a training set with the transposes of its fields: field i
// is field src[i] of the data, transposed when tr[i] is set.
type augmented struct {
	xs  [][]float64
	us  [][4][]float64
	src []int
	tr  []bool
}

// augmentData returns the fields and channels of a conditional factor
// followed by their transposes xᵀ. The scattering features are not
// closed under transposition index by index as the quadratic ones are
// (see transpose: transposition reflects the orientations of the
// directional wavelets), so with scattering terms and
// FitOptions.Isotropic the fit is made on the augmented data; the fitted
// energy is then invariant under transposition up to rounding (amplified
// by the conditioning of H), the filters of the bank being equivariant
// up to rounding. (The mirror symmetry needs no augmentation, see
// scatMirror.)
func augmentData(xs [][]float64, us [][4][]float64, N int, lev *level) *augmented {
	a := &augmented{xs: append([][]float64(nil), xs...), us: append([][4][]float64(nil), us...)}
	for k := range xs {
		a.src = append(a.src, k)
		a.tr = append(a.tr, false)
	}
	n := N / 2
	for k, x := range xs {
		t := make([]float64, len(x))
		for y := range N {
			for xx := range N {
				t[xx*N+y] = x[y*N+xx]
			}
		}
		var u [4][]float64
		for c := range 4 {
			u[c] = make([]float64, n*n)
		}
		lev.analyse(t, &u)
		a.xs = append(a.xs, t)
		a.us = append(a.us, u)
		a.src = append(a.src, k)
		a.tr = append(a.tr, true)
	}
	return a
}
