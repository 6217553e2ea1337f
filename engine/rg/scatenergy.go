package rg

import (
	"scalewise/engine/wavelet"
)

// scatCompiled is the read-only form of the scattering part Σ_f θ_f Φ_f of
// a factor's energy, folded by orientation (package documentation,
// "Scattering interactions"): with U_a the new-scale moduli,
//
//	Σ_f θ_f Φ_f = Σ_a ⟨U_a, m_a⟩ + ½ Σ_a ⟨U_a, Re F⁻¹(Σ_b Ŝ_{ab} Û_b)⟩,
//	m_a = c_a + Re F⁻¹(ĉx_a x̂̃_c + Σ_b ĉm_{a,b} M̂_b),
//
// where c_a collects θ of the s1 pieces on U_a, ĉx_a = Σ θ ψ̂²_f over the
// s3re pieces plus i Σ θ ψ̂²_f over the s3im ones, ĉm_{a,b} = Σ θ ψ̂²_f over
// the s4c pieces with coarse modulus b, and Ŝ_{ab} = Ŝ_{ba} adds θ ψ̂²_f for
// each s4n piece (a, b, f) (2θ ψ̂²_f when a = b). m_a depends on x_j only and
// is formed once per conditioning field. It may be shared by goroutines.
type scatCompiled struct {
	g    *scatGeom
	blk  *ScatBlock
	c    []float64        // c_a
	cx   [][]complex128   // ĉx_a (nil if zero)
	cm   [][][]float64    // ĉm_{a,b} (nil if zero)
	S    [][][]float64    // Ŝ_{ab} (nil if zero)
	quad bool             // any s4n term
	lin  []bool           // whether m_a can be non-zero
	err  error            // set if the filters could not be built
	wv   *wavelet.Wavelet // for the evaluators' db4 levels
}

// compileScat folds the block b with coefficients th for an N×N field.
func compileScat(b *ScatBlock, th []float64, N int, wv *wavelet.Wavelet) *scatCompiled {
	sc := &scatCompiled{blk: b, wv: wv}
	g, err := newScatGeom(b, N, wv)
	if err != nil {
		sc.err = err
		return sc
	}
	sc.g = g
	L, NN := g.L, N*N
	sc.c = make([]float64, L)
	sc.cx = make([][]complex128, L)
	sc.cm = make([][][]float64, L)
	sc.S = make([][][]float64, L)
	sc.lin = make([]bool, L)
	for a := range L {
		sc.cm[a] = make([][]float64, g.K*L)
		sc.S[a] = make([][]float64, L)
	}
	addReal := func(dst *[]float64, f int, t float64) {
		if *dst == nil {
			*dst = make([]float64, NN)
		}
		for i, v := range g.psi2[f] {
			(*dst)[i] += t * v
		}
	}
	for ti, t := range b.Terms {
		for _, p := range scatPieces(t, L, b.Isotropic) {
			tv := th[ti]
			switch p.src {
			case srcOne:
				sc.c[p.a] += tv
				sc.lin[p.a] = true
			case srcXc, srcXcI:
				if sc.cx[p.a] == nil {
					sc.cx[p.a] = make([]complex128, NN)
				}
				for i, v := range g.psi2[p.f] {
					if p.src == srcXc {
						sc.cx[p.a][i] += complex(tv*v, 0)
					} else {
						sc.cx[p.a][i] += complex(0, tv*v)
					}
				}
				sc.lin[p.a] = true
			case srcMod:
				addReal(&sc.cm[p.a][p.b], p.f, tv)
				sc.lin[p.a] = true
			case srcNew:
				sc.quad = true
				addReal(&sc.S[p.a][p.b], p.f, tv)
				addReal(&sc.S[p.b][p.a], p.f, tv)
			}
		}
	}
	return sc
}

// scatEval evaluates the scattering part of a factor's energy; it owns
// scratch space (one goroutine at a time) and does not allocate after
// newScatEval.
type scatEval struct {
	c    *scatCompiled
	w    *scatWork
	m    [][]float64 // m_a for the current x_j (nil where zero)
	g    [][]float64 // ∂E/∂U_a
	all  []bool
	spec []complex128
}

func newScatEval(c *scatCompiled) (*scatEval, error) {
	if c.err != nil {
		return nil, c.err
	}
	w, err := newScatWork(c.g, c.blk, c.wv, false)
	if err != nil {
		return nil, err
	}
	L, NN := c.g.L, c.g.N*c.g.N
	e := &scatEval{c: c, w: w, m: make([][]float64, L), g: make([][]float64, L), all: make([]bool, L),
		spec: make([]complex128, NN)}
	for a := range L {
		e.g[a] = make([]float64, NN)
		e.all[a] = true
		if c.lin[a] {
			e.m[a] = make([]float64, NN)
		}
	}
	return e, nil
}

// setCond forms the weights m_a for the conditioning field x_j (n×n).
func (e *scatEval) setCond(xj []float64) {
	c, w := e.c, e.w
	w.setCoarse(xj)
	for a, m := range e.m {
		if m == nil {
			continue
		}
		clear(e.spec)
		if cx := c.cx[a]; cx != nil {
			for i, v := range cx {
				e.spec[i] += v * w.Xc[i]
			}
		}
		for b, cm := range c.cm[a] {
			if cm == nil {
				continue
			}
			Mb := w.Mh[b]
			for i, v := range cm {
				e.spec[i] += complex(v, 0) * Mb[i]
			}
		}
		_ = w.plan.InverseReal(m, e.spec)
		if ca := c.c[a]; ca != 0 {
			for i := range m {
				m[i] += ca
			}
		}
	}
}

// eval returns Σ_f θ_f Φ_f at the field x = x_{j−1} (N×N) and adds its
// gradient in x to grad (N×N); the gradient in x̄ is the detail part of
// W(grad), taken by the caller together with that of the potential.
func (e *scatEval) eval(x, grad []float64) float64 {
	c, w := e.c, e.w
	w.setFine(x, false)
	E := 0.0
	for a, g := range e.g {
		if m := e.m[a]; m != nil {
			E += dot(w.U[a], m)
			copy(g, m)
		} else {
			clear(g)
		}
	}
	if c.quad {
		for a, g := range e.g {
			clear(e.spec)
			used := false
			for b, S := range c.S[a] {
				if S == nil {
					continue
				}
				used = true
				Ub := w.Uh[b]
				for i, v := range S {
					e.spec[i] += complex(v, 0) * Ub[i]
				}
			}
			if !used {
				continue
			}
			_ = w.plan.InverseReal(w.rt, e.spec)
			E += 0.5 * dot(w.U[a], w.rt)
			addTo(g, w.rt)
		}
	}
	w.modulusGradient(nil, e.g, e.all)
	addTo(grad, w.rt)
	return E
}
