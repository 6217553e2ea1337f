package rg

import (
	"math"
	"math/cmplx"
	"math/rand/v2"

	"scalewise/engine/fourier"
	"scalewise/engine/wavelet"
)

// Sources of the weight field of a feature piece (see scatPiece).
const (
	srcOne = iota // the constant 1 (s1)
	srcXc         // x̂̃_c (s3re)
	srcXcI        // i·x̂̃_c (s3im)
	srcMod        // M̂_{k2,ℓ2} (s4c), b = k2·L + ℓ2
	srcNew        // Û_b (s4n), b an orientation
)

// scatPiece is one term of a scattering feature written as
//
//	Φ = Σ_pieces ⟨U_a, w⟩,   w = Re F⁻¹(ψ̂²_f Ŝ)   (w = 1 for srcOne),
//
// with Ŝ the spectrum named by src and b, and f = k·L + ℓ the index of the
// second wavelet. Pieces of source srcNew are bilinear in the moduli;
// slot and slot2 index the weight fields of (src, b, f) and, for srcNew,
// of (srcNew, a, f) (the weight of U_b).
type scatPiece struct {
	a, src, b, f int
	slot, slot2  int
}

// slotKey names a weight field Re F⁻¹(ψ̂²_f Ŝ_{src,b}).
type slotKey struct{ src, b, f int }

// crossKey names the s4n cross term ⟨U̇_a, κ_f ⋆ U̇_b⟩ of a probe.
type crossKey struct{ a, b, f int }

// scatPieces expands t into its pieces (before slots are assigned): one,
// or one per rotation r = 0..L−1 for an isotropic block.
func scatPieces(t ScatTerm, L int, iso bool) []scatPiece {
	nr := 1
	if iso {
		nr = L
	}
	out := make([]scatPiece, 0, nr)
	for r := range nr {
		l1, l2, l3 := mod(t.L1+r, L), mod(t.L2+r, L), mod(t.L3+r, L)
		var p scatPiece
		switch t.Family {
		case ScatS1:
			p = scatPiece{a: l1, src: srcOne}
		case ScatS3Re:
			p = scatPiece{a: l1, src: srcXc, f: t.K2*L + l2}
		case ScatS3Im:
			p = scatPiece{a: l1, src: srcXcI, f: t.K2*L + l2}
		case ScatS4C:
			p = scatPiece{a: l1, src: srcMod, b: t.K2*L + l2, f: t.K3*L + l3}
		case ScatS4N:
			p = scatPiece{a: l1, src: srcNew, b: l2, f: t.K3*L + l3}
		}
		out = append(out, p)
	}
	return out
}

// scatWork computes the fields, features, gradients and Laplacians of the
// scattering terms of one factor, one field at a time (package
// documentation, "Scattering interactions"). It owns its FFT plan and
// buffers, so after newScatWork its methods do not allocate; one goroutine
// at a time.
type scatWork struct {
	g    *scatGeom
	blk  *ScatBlock
	norm float64
	plan *fourier.Plan2D
	lev  *level
	NN   int

	terms   [][]scatPiece
	keys    []slotKey
	needMod []bool
	needU   bool
	cross   []crossKey // (a, b, f) of the s4n pieces, for the probes
	crossOf [][]int    // per term: indices into cross, one per srcNew piece

	u4              [4][]float64 // synthesis scratch
	xt, xc          []float64
	xh, Xc          []complex128
	z, e            [][]complex128 // z_ℓ and its phase z_ℓ/U_ℓ
	U, lapU         [][]float64
	Uh              [][]complex128 // Û_ℓ (when needU)
	Mh              [][]complex128 // M̂_{k,ℓ} at k·L+ℓ (when needed)
	w               [][]float64    // weight fields, one per key
	gU              [][]float64    // ∂Φ/∂U_ℓ of one feature
	touched         []bool
	ct, cw          []complex128
	rt              []float64
	det             [][]float64
	transposeProbes bool           // transpose the Rademacher probes (see scatAccumulator.addField)
	ud              [][]float64    // probe: U̇_ℓ
	udc             [][]complex128 // and its spectrum
	crossT          []float64
}

// newScatWork returns a workspace for the block b on an N×N field; with
// fit set it also holds what features needs (weight fields, Laplacians,
// probes), otherwise only what setCoarse, setFine and modulusGradient need.
func newScatWork(g *scatGeom, b *ScatBlock, wv *wavelet.Wavelet, fit bool) (*scatWork, error) {
	N, n := g.N, g.n
	plan, err := fourier.NewPlan2D(N, N)
	if err != nil {
		return nil, err
	}
	lev, err := newLevel(wv, N)
	if err != nil {
		return nil, err
	}
	NN, L := N*N, g.L
	w := &scatWork{g: g, blk: b, norm: b.Norm, plan: plan, lev: lev, NN: NN,
		needMod: make([]bool, g.K*L)}
	slots := map[slotKey]int{}
	slot := func(k slotKey) int {
		if i, ok := slots[k]; ok {
			return i
		}
		slots[k] = len(w.keys)
		w.keys = append(w.keys, k)
		return len(w.keys) - 1
	}
	crossIdx := map[crossKey]int{}
	w.terms = make([][]scatPiece, len(b.Terms))
	w.crossOf = make([][]int, len(b.Terms))
	for ti, t := range b.Terms {
		ps := scatPieces(t, L, b.Isotropic)
		for i := range ps {
			p := &ps[i]
			p.slot, p.slot2 = -1, -1
			switch p.src {
			case srcOne:
			case srcNew:
				w.needU = true
				p.slot = slot(slotKey{srcNew, p.b, p.f})
				p.slot2 = slot(slotKey{srcNew, p.a, p.f})
				ck := crossKey{p.a, p.b, p.f}
				ci, ok := crossIdx[ck]
				if !ok {
					ci = len(w.cross)
					crossIdx[ck] = ci
					w.cross = append(w.cross, ck)
				}
				w.crossOf[ti] = append(w.crossOf[ti], ci)
			default:
				if p.src == srcMod {
					w.needMod[p.b] = true
				}
				p.slot = slot(slotKey{p.src, p.b, p.f})
			}
		}
		w.terms[ti] = ps
	}
	mk := func(k int) [][]float64 {
		out := make([][]float64, k)
		for i := range out {
			out[i] = make([]float64, NN)
		}
		return out
	}
	mkc := func(k int) [][]complex128 {
		out := make([][]complex128, k)
		for i := range out {
			out[i] = make([]complex128, NN)
		}
		return out
	}
	for c := range 4 {
		w.u4[c] = make([]float64, n*n)
	}
	w.xt, w.xc, w.rt = make([]float64, NN), make([]float64, NN), make([]float64, NN)
	w.xh, w.Xc = make([]complex128, NN), make([]complex128, NN)
	w.ct, w.cw = make([]complex128, NN), make([]complex128, NN)
	w.z, w.e = mkc(L), mkc(L)
	w.U = mk(L)
	if w.needU {
		w.Uh = mkc(L)
	}
	w.Mh = make([][]complex128, g.K*L)
	for i, need := range w.needMod {
		if need {
			w.Mh[i] = make([]complex128, NN)
		}
	}
	w.gU = mk(L)
	w.touched = make([]bool, L)
	w.det = [][]float64{make([]float64, n*n), make([]float64, n*n), make([]float64, n*n)}
	if fit {
		w.w = mk(len(w.keys))
		w.lapU = mk(L)
		if w.needU {
			w.ud = mk(L)
			w.udc = mkc(L)
			w.crossT = make([]float64, len(w.cross))
		}
	}
	return w, nil
}

// setCoarse computes the coarse quantities of the conditioning field x_j
// (n×n): x̃_c = W⁻¹(x_j, 0)/σ, its spectrum and the spectra M̂_{k,ℓ} of the
// coarse moduli M_{k,ℓ} = |x̃_c ⋆ ψ_{k,ℓ}| that the terms use.
func (w *scatWork) setCoarse(xj []float64) {
	copy(w.u4[0], xj)
	for c := 1; c < 4; c++ {
		clear(w.u4[c])
	}
	w.lev.synthesise(&w.u4, w.xc)
	inv := 1 / w.norm
	for i := range w.xc {
		w.xc[i] *= inv
	}
	_ = w.plan.ForwardReal(w.Xc, w.xc)
	for b, need := range w.needMod {
		if !need {
			continue
		}
		psi := w.g.psi[b]
		for i, v := range psi {
			w.ct[i] = w.Xc[i] * complex(v, 0)
		}
		_ = w.plan.Inverse(w.ct, w.ct)
		for i, c := range w.ct {
			w.rt[i] = cmplx.Abs(c)
		}
		_ = w.plan.ForwardReal(w.Mh[b], w.rt)
	}
}

// setFine computes the new-scale moduli of the field x = x_{j−1} (N×N):
// z_ℓ = (x/σ) ⋆ ψ_{0,ℓ}, U_ℓ = (|z_ℓ|² + ε²)^{1/2} (ε = ScatBlock.Smoothing;
// |z_ℓ| for ε = 0), e_ℓ = ∂U_ℓ/∂z̄_ℓ·2 = z_ℓ/U_ℓ (the phase for ε = 0; 0
// where U_ℓ = 0), the spectra Û_ℓ when s4n terms need them and, if lap is set,
// the exact Laplacians Δ_x̄U_ℓ.
func (w *scatWork) setFine(x []float64, lap bool) {
	inv := 1 / w.norm
	for i, v := range x {
		w.xt[i] = v * inv
	}
	_ = w.plan.ForwardReal(w.xh, w.xt)
	inv2s2 := 0.5 * inv * inv
	N := w.g.N
	eps2 := w.blk.Smoothing * w.blk.Smoothing
	for l := range w.g.L {
		z, e, U := w.z[l], w.e[l], w.U[l]
		for i, v := range w.g.psi[l] {
			z[i] = w.xh[i] * complex(v, 0)
		}
		_ = w.plan.Inverse(z, z)
		for i, c := range z {
			var a float64
			if eps2 > 0 {
				a = math.Sqrt(real(c)*real(c) + imag(c)*imag(c) + eps2)
			} else {
				a = cmplx.Abs(c)
			}
			U[i] = a
			if a > 0 {
				e[i] = c / complex(a, 0)
			} else {
				e[i] = 0
			}
		}
		if lap {
			A, B, lu := w.g.lapA[l], w.g.lapB[l], w.lapU[l]
			for i := range lu {
				p := parity(i, N)
				lu[i] = modulusLaplacian(U[i], e[i], A[p], B[p], inv2s2)
			}
		}
		if w.needU {
			_ = w.plan.ForwardReal(w.Uh[l], U)
		}
	}
}

// source returns the spectrum Ŝ of a weight field (nil for srcXcI, which
// is i·x̂̃_c).
func (w *scatWork) source(src, b int) []complex128 {
	switch src {
	case srcXc, srcXcI:
		return w.Xc
	case srcMod:
		return w.Mh[b]
	default:
		return w.Uh[b]
	}
}

// weightField stores Re F⁻¹(ψ̂²_f Ŝ) in dst.
func (w *scatWork) weightField(dst []float64, k slotKey) {
	S := w.source(k.src, k.b)
	p2 := w.g.psi2[k.f]
	if k.src == srcXcI {
		for i, v := range p2 {
			s := S[i]
			w.ct[i] = complex(-imag(s)*v, real(s)*v)
		}
	} else {
		for i, v := range p2 {
			w.ct[i] = S[i] * complex(v, 0)
		}
	}
	_ = w.plan.InverseReal(dst, w.ct)
}

// modulusGradient returns in dst (3n² values, bands H, V, D) the gradient
// in x̄ of Σ_ℓ ⟨U_ℓ, g_ℓ⟩ at fixed g, for the touched ℓ:
//
//	∇_x̃ = Re F⁻¹(Σ_ℓ ψ̂_{0,ℓ} F(g_ℓ e_ℓ)),   ∇_x̄ = σ⁻¹ · details(∇_x̃).
//
// It also returns the fine-grid gradient ∇_x = σ⁻¹∇_x̃ in w.rt.
func (w *scatWork) modulusGradient(dst []float64, g [][]float64, touched []bool) {
	clear(w.cw)
	for l, ok := range touched {
		if !ok {
			continue
		}
		gl, el := g[l], w.e[l]
		for i, v := range gl {
			w.ct[i] = el[i] * complex(v, 0)
		}
		_ = w.plan.Forward(w.ct, w.ct)
		for i, v := range w.g.psi[l] {
			w.cw[i] += w.ct[i] * complex(v, 0)
		}
	}
	_ = w.plan.InverseReal(w.rt, w.cw)
	inv := 1 / w.norm
	for i := range w.rt {
		w.rt[i] *= inv
	}
	if dst == nil {
		return
	}
	w.lev.details(w.rt, w.det)
	nn := w.g.n * w.g.n
	for b := range 3 {
		copy(dst[b*nn:(b+1)*nn], w.det[b])
	}
}

// features computes, for a workspace made with fit set, every feature of
// the block at the field given to setCoarse and setFine(·, true): the values Φ_f (vals), the gradients
// ∇_x̄Φ_f (grads[f], 3n² values, bands H, V, D; nil to skip) and the
// Laplacians Δ_x̄Φ_f (laps; nil to skip), the s4n cross terms by w.blk.Probes
// Rademacher probes drawn from rng (or exactly with 0 probes).
func (w *scatWork) features(vals []float64, grads [][]float64, laps []float64, rng *rand.Rand) {
	for i, k := range w.keys {
		w.weightField(w.w[i], k)
	}
	for f, ps := range w.terms {
		for l := range w.touched {
			if w.touched[l] {
				clear(w.gU[l])
				w.touched[l] = false
			}
		}
		v := 0.0
		for _, p := range ps {
			Ua, ga := w.U[p.a], w.gU[p.a]
			w.touched[p.a] = true
			if p.src == srcOne {
				for i, u := range Ua {
					v += u
					ga[i]++
				}
				continue
			}
			wf := w.w[p.slot]
			v += dot(Ua, wf)
			addTo(ga, wf)
			if p.src == srcNew {
				w.touched[p.b] = true
				addTo(w.gU[p.b], w.w[p.slot2])
			}
		}
		if vals != nil {
			vals[f] = v
		}
		if laps != nil {
			s := 0.0
			for l, ok := range w.touched {
				if ok {
					s += dot(w.gU[l], w.lapU[l])
				}
			}
			laps[f] = s
		}
		if grads != nil {
			w.modulusGradient(grads[f], w.gU, w.touched)
		}
	}
	if laps != nil && len(w.cross) > 0 {
		w.crossLaplacians(laps, rng)
	}
}

// crossLaplacians adds to laps the s4n terms 2 tr(J_aᵀ κ_f J_b), J_ℓ =
// ∇_x̄U_ℓ, by Hutchinson's estimator 2⟨J_a z, κ_f ⋆ J_b z⟩ averaged over
// w.blk.Probes Rademacher probes z, or summed over the coordinate vectors
// (exact) when Probes = 0.
func (w *scatWork) crossLaplacians(laps []float64, rng *rand.Rand) {
	n := w.g.n
	nn := n * n
	np := w.blk.Probes
	weight := 1.0
	total := np
	if np == 0 {
		total = 3 * nn
	} else {
		weight = 1 / float64(np)
	}
	clear(w.crossT)
	clear(w.u4[0])
	for pi := range total {
		for c := 1; c < 4; c++ {
			u := w.u4[c]
			if np == 0 {
				clear(u)
			} else {
				for i := range u {
					if rng.Uint64()&1 == 0 {
						u[i] = 1
					} else {
						u[i] = -1
					}
				}
			}
		}
		if np == 0 {
			w.u4[1+pi/nn][pi%nn] = 1
		} else if w.transposeProbes {
			w.transposeDetails()
		}
		w.probe(weight)
	}
	invNN := 1 / float64(w.NN)
	for f, cs := range w.crossOf {
		for _, ci := range cs {
			laps[f] += 2 * w.crossT[ci] * invNN
		}
	}
}

// transposeDetails replaces the probe (H, V, D) in w.u4[1..3] by its
// image under transposition of the field, (Vᵀ, Hᵀ, Dᵀ).
func (w *scatWork) transposeDetails() {
	n := w.g.n
	t := w.rt[:n*n]
	tr := func(dst, src []float64) {
		for y := range n {
			for x := range n {
				dst[x*n+y] = src[y*n+x]
			}
		}
	}
	tr(t, w.u4[1])
	tr(w.u4[1], w.u4[2])
	copy(w.u4[2], t)
	tr(t, w.u4[3])
	copy(w.u4[3], t)
}

// probe adds weight·N²⟨U̇_a, κ_f ⋆ U̇_b⟩ = weight·Σ_ω Re(Û̇_a Û̇_b*) ψ̂²_f to
// w.crossT for every cross key, for the probe z held in w.u4[1..3] (w.u4[0]
// = 0): v = W⁻¹(0, z), U̇_ℓ = Re(e_ℓ* (v ⋆ ψ_{0,ℓ}))/σ.
func (w *scatWork) probe(weight float64) {
	w.lev.synthesise(&w.u4, w.rt)
	_ = w.plan.ForwardReal(w.cw, w.rt)
	inv := 1 / w.norm
	for l := range w.g.L {
		for i, v := range w.g.psi[l] {
			w.ct[i] = w.cw[i] * complex(v, 0)
		}
		_ = w.plan.Inverse(w.ct, w.ct)
		ud, el := w.ud[l], w.e[l]
		for i, c := range w.ct {
			e := el[i]
			ud[i] = (real(e)*real(c) + imag(e)*imag(c)) * inv
		}
		_ = w.plan.ForwardReal(w.udc[l], ud)
	}
	for ci, k := range w.cross {
		A, B, p2 := w.udc[k.a], w.udc[k.b], w.g.psi2[k.f]
		s := 0.0
		for i, v := range p2 {
			if v == 0 {
				continue
			}
			a, b := A[i], B[i]
			s += (real(a)*real(b) + imag(a)*imag(b)) * v
		}
		w.crossT[ci] += weight * s
	}
}
