package scattering

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Weights are the per-statistic weights w of the loss
// ℓ(x) = Σ_i w_{group(i)} (Φ_i(x) − Φ_i(target))² (see Target).
type Weights struct {
	Mean, S1, S2, S3, S4 float64
}

// UniformWeights returns weight 1 for every statistic: the plain squared
// distance ‖Φ(x) − Φ(target)‖².
func UniformWeights() Weights { return Weights{1, 1, 1, 1, 1} }

func (w Weights) slice() []float64 { return []float64{w.Mean, w.S1, w.S2, w.S3, w.S4} }

// Target is a synthesis target for Operator.Loss and Operator.LossGrad: the
// Form f vector t = Φ(target) of spectra computed by Compute (normally with
// norm = nil, i.e. normalised by the target's own S2), its normaliser R2 =
// its Norm, and the weights. It is read-only and may be shared.
type Target struct {
	spec *Spectra
	form Form
	wts  Weights
	vec  []float64 // Φ(target)
	wvec []float64 // weight of each coefficient
}

// NewTarget returns the Target of the spectra s in form f with the weights
// w (nil: UniformWeights). It copies s. It returns an error for nil or
// malformed spectra, an unknown form, or weights that are negative, not
// finite or all zero.
func NewTarget(s *Spectra, f Form, w *Weights) (*Target, error) {
	if !s.valid() {
		return nil, errors.New("scattering: NewTarget: nil spectra or spectra with wrong lengths")
	}
	if f != Full && f != Isotropic {
		return nil, fmt.Errorf("scattering: NewTarget: unknown form %d", int(f))
	}
	wts := UniformWeights()
	if w != nil {
		wts = *w
	}
	var total float64
	for _, v := range wts.slice() {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("scattering: NewTarget: weight %v must be finite and ≥ 0", v)
		}
		total += v
	}
	if total == 0 {
		return nil, errors.New("scattering: NewTarget: all weights are zero")
	}
	for _, v := range s.Norm {
		if !(v >= 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("scattering: NewTarget: normaliser value %v must be finite and ≥ 0", v)
		}
	}
	t := &Target{spec: s.Clone(), form: f, wts: wts}
	t.vec = t.spec.Vector(f)
	for _, v := range t.vec {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errors.New("scattering: NewTarget: the spectra hold a NaN or an infinity")
		}
	}
	t.wvec = make([]float64, len(t.vec))
	ws := wts.slice()
	for i, g := range t.spec.Groups(f) {
		for k := g.Start; k < g.End; k++ {
			t.wvec[k] = ws[i]
		}
	}
	return t, nil
}

// Form returns the form of the target vector.
func (t *Target) Form() Form { return t.form }

// Weights returns the loss weights.
func (t *Target) Weights() Weights { return t.wts }

// Spectra returns a copy of the target spectra.
func (t *Target) Spectra() *Spectra { return t.spec.Clone() }

// Vector returns a copy of the target vector Φ(target).
func (t *Target) Vector() []float64 { return slices.Clone(t.vec) }

// spGrad holds the adjoint buffers of LossGrad.
type spGrad struct {
	g        []float64      // dℓ/dΦ_i
	s1, s2   []float64      // adjoints of the raw S1, S2
	s3, s4   []complex128   // adjoints of the unnormalised S3, S4 sums C
	ubar     [][]complex128 // adjoint of Û_λ
	xbar     []complex128   // adjoint of x̂
	packBar  []complex128   // adjoints of the packed A and V_λ1
	gmBar    []complex128   // adjoint of the Gram matrix
	cs       []complex128   // scratch, n
	meanBar  float64
	anyCross bool
}

// Loss returns ℓ(x) = Σ_i w_i (Φ_i(x) − Φ_i(t))², where Φ(x) is the t.Form
// vector of x's spectra normalised by the target's normaliser (its Norm).
// Errors as LossGrad.
func (op *Operator) Loss(x []float64, t *Target) (float64, error) {
	if err := op.lossForward(x, t); err != nil {
		return 0, err
	}
	var loss float64
	for i, v := range op.vec {
		d := v - t.vec[i]
		loss += t.wvec[i] * d * d
	}
	return loss, nil
}

// LossGrad returns the loss ℓ(x) of Loss and stores its gradient ∂ℓ/∂x in
// grad (len(x) values), computed in reverse mode (Griewank & Walther,
// "Evaluating Derivatives", 2nd ed. (2008), ch. 3). With
// g_i = 2w_i(Φ_i(x) − Φ_i(t)) the adjoints run back through, in this order,
//
//   - the vector: log S → S̄ = g/S; Re, Im → C̄ = g_Re + i·g_Im (complex
//     adjoints z̄ = ∂ℓ/∂Re z + i ∂ℓ/∂Im z); the isotropic average spreads
//     g/L over the L orientations it averages; S3 and S4 are multiplied by
//     the constant normaliser 1/√(R2 R2) of the target;
//   - the Fourier sums C = Σ_k a(k) b(k)* (a, b = x̂ψ̂/n or Ûψ̂/n):
//     ā += C̄ b, b̄ += C̄* a;
//   - Û = F U (U real): Ū = Re(F^H Û̄) = n·Re F⁻¹(Û̄), the adjoint of the
//     unnormalised DFT being n times the inverse;
//   - the spatial means S1 = n⁻¹ΣU and S2 = n⁻¹Σ|W|²: Ū += S̄1/n,
//     W̄ += 2·S̄2·W/n;
//   - the modulus U = |W|: W̄ += Ū·W/|W| (d|z| = Re(z* dz)/|z|). At W = 0
//     the modulus has no derivative; the adjoint uses the subgradient 0
//     wherever |W| ≤ 10⁻¹²·√S2(λ) (W/|W| has modulus 1, so there is no
//     blow-up near 0, only the undefined 0/0 to avoid);
//   - W = F⁻¹(x̂ψ̂): x̂̄ += ψ̂·(F⁻¹)^H W̄ = ψ̂·F(W̄)/n;
//   - x̂ = F x and the mean E[x]: x̄ = n·Re F⁻¹(x̂̄) + mean̄/n.
//
// It returns an error if x has the wrong length or a NaN or infinite value,
// grad has the wrong length, or t is nil or made for another size, J, L or
// scale rule. After the first call it does not allocate.
func (op *Operator) LossGrad(x []float64, t *Target, grad []float64) (float64, error) {
	if len(grad) != op.n {
		return 0, fmt.Errorf("scattering: gradient has %d values, want %d", len(grad), op.n)
	}
	if err := op.lossForward(x, t); err != nil {
		return 0, err
	}
	gb := op.gradBuffers()
	var loss float64
	g := gb.g[:len(op.vec)]
	for i, v := range op.vec {
		d := v - t.vec[i]
		loss += t.wvec[i] * d * d
		g[i] = 2 * t.wvec[i] * d
	}
	op.vectorAdjoint(t.form, g)
	if err := op.backward(grad); err != nil {
		return 0, err
	}
	return loss, nil
}

// lossForward checks the arguments and computes op.cur and op.vec for x.
func (op *Operator) lossForward(x []float64, t *Target) error {
	if t == nil {
		return errors.New("scattering: nil target")
	}
	if err := op.checkSpectra(t.spec, "target"); err != nil {
		return err
	}
	if err := op.checkField(x, "field"); err != nil {
		return err
	}
	if op.cur == nil {
		op.cur = op.NewSpectra()
		op.vec = make([]float64, 0, op.ly.count(Full))
	}
	// The target's Norm is finite and ≥ 0 (NewTarget), 0 for an empty band.
	for i, v := range t.spec.Norm {
		op.r2[i] = v
		op.nrm[i] = 0
		if v > 0 {
			op.nrm[i] = 1 / math.Sqrt(v)
		}
	}
	if err := op.forward(op.cur, x, false); err != nil {
		return err
	}
	op.vec = op.cur.AppendVector(op.vec[:0], t.form)
	return nil
}

func (op *Operator) gradBuffers() *spGrad {
	if op.grad != nil {
		return op.grad
	}
	JL := op.ly.J * op.ly.L
	gb := &spGrad{
		g:  make([]float64, op.ly.count(Full)),
		s1: make([]float64, JL), s2: make([]float64, JL),
		s3: make([]complex128, op.ly.n3()), s4: make([]complex128, op.ly.n4()),
		ubar:    make([][]complex128, JL),
		xbar:    make([]complex128, op.n),
		packBar: make([]complex128, len(op.pack)),
		gmBar:   make([]complex128, len(op.gm)),
		cs:      make([]complex128, op.n),
	}
	for lam, u := range op.uhat {
		if u != nil {
			gb.ubar[lam] = make([]complex128, op.n)
		}
	}
	op.grad = gb
	return gb
}

// vectorAdjoint turns g = dℓ/dΦ (form f) into the adjoints of the mean, the
// raw S1 and S2, and the unnormalised sums C of S3 and S4 (S = nrm·nrm·C).
func (op *Operator) vectorAdjoint(f Form, g []float64) {
	ly, gb, s := op.ly, op.grad, op.cur
	J, L := ly.J, ly.L
	JL := J * L
	n3, n4 := ly.n3(), ly.n4()
	gb.meanBar = g[0]
	at := 1
	switch f {
	case Full:
		for lam := range JL {
			gb.s1[lam] = g[at+lam] * spDLog(s.S1[lam])
			gb.s2[lam] = g[at+JL+lam] * spDLog(s.S2[lam])
		}
		at += 2 * JL
		for i := range n3 {
			gb.s3[i] = complex(g[at+i], g[at+n3+i])
		}
		at += 2 * n3
		for i := range n4 {
			gb.s4[i] = complex(g[at+i], g[at+n4+i])
		}
	case Isotropic:
		inv := 1 / float64(L)
		for j := range J {
			var m1, m2 float64
			for l := range L {
				m1 += s.S1[j*L+l]
				m2 += s.S2[j*L+l]
			}
			d1 := g[at+j] * spDLog(m1*inv) * inv
			d2 := g[at+J+j] * spDLog(m2*inv) * inv
			for l := range L {
				gb.s1[j*L+l], gb.s2[j*L+l] = d1, d2
			}
		}
		at += 2 * J
		for p := range ly.p3 {
			for l1 := range L {
				for l := range L {
					d := (l - l1 + L) % L
					gb.s3[(p*L+l1)*L+l] = complex(g[at+p*L+d]*inv, 0)
				}
			}
		}
		at += len(ly.p3) * L
		for t := range ly.p4 {
			for l1 := range L {
				for l2 := range L {
					for l3 := range L {
						d2, d3 := (l2-l1+L)%L, (l3-l1+L)%L
						gb.s4[((t*L+l1)*L+l2)*L+l3] = complex(g[at+(t*L+d2)*L+d3]*inv, 0)
					}
				}
			}
		}
	}
	// Normalisation: S = nrm(λa) nrm(λb) C with constant nrm, so C̄ = nrm·nrm·S̄.
	gb.anyCross = false
	for p, pj := range ly.p3 {
		for l1 := range L {
			for l := range L {
				i := (p*L+l1)*L + l
				gb.s3[i] *= complex(op.nrm[pj[0]*L+l1]*op.nrm[pj[1]*L+l], 0)
				gb.anyCross = gb.anyCross || gb.s3[i] != 0
			}
		}
	}
	for t, tj := range ly.p4 {
		for l1 := range L {
			for l2 := range L {
				c := complex(op.nrm[tj[0]*L+l1]*op.nrm[tj[1]*L+l2], 0)
				for l3 := range L {
					i := ((t*L+l1)*L+l2)*L + l3
					gb.s4[i] *= c
					gb.anyCross = gb.anyCross || gb.s4[i] != 0
				}
			}
		}
	}
}

// backward runs the adjoints from gb's coefficient adjoints to grad = ∂ℓ/∂x
// (see LossGrad), using W_λ, Û_λ and x̂ left by forward.
func (op *Operator) backward(grad []float64) error {
	ly, gb := op.ly, op.grad
	J, L := ly.J, ly.L
	fn := op.fn
	clear(gb.xbar)
	for _, u := range gb.ubar {
		clear(u)
	}
	// S3 and S4: adjoints of the packed A and V_λ1, scattered to x̂̄ and Û̄.
	if gb.anyCross {
		for j := range J {
			for l := range L {
				op.crossAdjoint(j, l)
			}
		}
	}
	// Per λ: Û̄ → Ū → W̄ → x̂̄.
	for lam := range J * L {
		w := op.wf[lam]
		s1b, s2b := gb.s1[lam], gb.s2[lam]
		hasU := gb.anyCross && gb.ubar[lam] != nil
		if !hasU && s1b == 0 && s2b == 0 {
			continue
		}
		u := op.ur
		if hasU {
			if err := op.plan.InverseReal(u, gb.ubar[lam]); err != nil { // Re F⁻¹(Û̄)
				return err
			}
			for i := range u {
				u[i] = u[i]*fn + s1b/fn
			}
		} else {
			for i := range u {
				u[i] = s1b / fn
			}
		}
		eps := spModTol * math.Sqrt(op.cur.S2[lam])
		c2 := 2 * s2b / fn
		cs := gb.cs
		for i, z := range w {
			m := math.Sqrt(real(z)*real(z) + imag(z)*imag(z))
			f := c2
			if m > eps && m > 0 {
				f += u[i] / m
			}
			cs[i] = z * complex(f, 0)
		}
		if err := op.plan.Forward(cs, cs); err != nil {
			return err
		}
		psi := op.bank.Psi(lam/L, lam%L)
		for i, v := range psi {
			gb.xbar[i] += cs[i] * complex(v/fn, 0)
		}
	}
	if err := op.plan.InverseReal(grad, gb.xbar); err != nil {
		return err
	}
	mb := gb.meanBar / fn
	for i := range grad {
		grad[i] = grad[i]*fn + mb
	}
	return nil
}

// crossAdjoint accumulates, for the outer wavelet λ = (j, ℓ), the adjoints
// of the S3 and S4 sums of cross into x̂̄ and Û̄_λ1. The coefficient
// adjoints are gathered into Ḡ_ab (a ≤ b; an entry read as G_ba* passes
// back the conjugate adjoint), then, for G_ab = Σ P_a P_b*,
// P̄_a += Ḡ_ab P_b and P̄_b += Ḡ_ab* P_a; finally, since A = x̂ψ̂/n and
// V = Ûψ̂/n with a real factor, x̂̄ += Āψ̂/n and Û̄_λ1 += V̄_λ1 ψ̂/n on the
// support.
func (op *Operator) crossAdjoint(j, l int) {
	ly, gb := op.ly, op.grad
	J, L := ly.J, ly.L
	jm := ly.inner(j)
	if jm < 0 {
		return
	}
	ns := 1 + (jm+1)*L
	G := gb.gmBar[:ns*ns]
	clear(G)
	nonzero := false
	for j1 := 0; j1 <= jm; j1++ {
		p := ly.i3[j1*J+j]
		for l1 := range L {
			cb := gb.s3[(p*L+l1)*L+l]
			G[1+j1*L+l1] += cb
			nonzero = nonzero || cb != 0
		}
	}
	for j1 := 0; j1 <= jm; j1++ {
		for j2 := j1; j2 <= jm; j2++ {
			t := ly.i4[(j1*J+j2)*J+j]
			for l1 := range L {
				a := 1 + j1*L + l1
				for l2 := range L {
					b := 1 + j2*L + l2
					cb := gb.s4[((t*L+l1)*L+l2)*L+l]
					nonzero = nonzero || cb != 0
					if a <= b {
						G[a*ns+b] += cb
					} else {
						G[b*ns+a] += complex(real(cb), -imag(cb))
					}
				}
			}
		}
	}
	if !nonzero {
		return
	}
	k := op.packOuter(j, l)
	mk := op.maxK
	for s := range ns {
		clear(op.slot(gb.packBar, s, k))
	}
	for c0 := 0; c0 < k; c0 += spChunk {
		c1 := min(k, c0+spChunk)
		for a := range ns {
			pa, pab := op.pack[a*mk+c0:a*mk+c1], gb.packBar[a*mk+c0:a*mk+c1]
			for b := max(a, 1); b < ns; b++ {
				gab := G[a*ns+b]
				if gab == 0 {
					continue
				}
				spAxpy(pab, gab, op.pack[b*mk+c0:b*mk+c1])
				spAxpy(gb.packBar[b*mk+c0:b*mk+c1], complex(real(gab), -imag(gab)), pa)
			}
		}
	}
	lam := j*L + l
	sup, f := op.sup[lam], op.fsc[lam]
	abar := op.slot(gb.packBar, 0, k)
	for i, idx := range sup {
		gb.xbar[idx] += abar[i] * complex(f[i], 0)
	}
	for l1am := range (jm + 1) * L {
		vb := op.slot(gb.packBar, 1+l1am, k)
		ub := gb.ubar[l1am]
		for i, idx := range sup {
			ub[idx] += vb[i] * complex(f[i], 0)
		}
	}
}

// spAxpy adds c·x to y (len(y) = len(x)).
func spAxpy(y []complex128, c complex128, x []complex128) {
	x = x[:len(y)]
	cr, ci := real(c), imag(c)
	for i, v := range x {
		vr, vi := real(v), imag(v)
		y[i] += complex(cr*vr-ci*vi, cr*vi+ci*vr)
	}
}
