package scattering

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"scalewise/engine/fourier"
	"scalewise/engine/wavelet"
)

// Numerical guards of the scattering spectra (documented where used).
const (
	// spSupportTol: S3 and S4 sum over the frequencies where
	// ψ̂_λ(k)² > spSupportTol·max_k ψ̂_λ(k)²; the dropped terms change a
	// coefficient by less than 1e−14 of its scale.
	spSupportTol = 1e-14
	// spNormTol: a reference band with R2(λ) ≤ spNormTol·(mean² + Σ_λ R2)
	// counts as empty (rounding noise of a constant field is ~1e−30 of
	// mean²), and the S3 and S4 coefficients it normalises are set to 0.
	spNormTol = 1e-24
	// spLogFloor: the vector holds log max(S, spLogFloor), whose derivative
	// is 0 below the floor (an empty band, e.g. a constant field).
	spLogFloor = 1e-300
	// spModTol: the adjoint of U = |W| uses W/|W| where |W| > spModTol·√S2(λ)
	// and 0 elsewhere (the subgradient at W = 0, see Operator.LossGrad).
	spModTol = 1e-12
)

// Spectra holds the scattering spectra Φ(x) of one field (Cheng et al.,
// "Scattering Spectra Models for Physics", PNAS Nexus 3, pgae103 (2024);
// see the package documentation for the formulas), with λ = (j, ℓ)
// stored at j·L + ℓ:
//
//	Mean  E[x]
//	S1    E|x ⋆ ψ_λ|                                    (J·L, raw)
//	S2    E|x ⋆ ψ_λ|²                                   (J·L, raw)
//	S3    E[(x⋆ψ_λ)(|x⋆ψ_λ1|⋆ψ_λ)*] / √(R2(λ1)R2(λ))     (complex; pair p = (j1, j) at p·L² + ℓ1·L + ℓ)
//	S4    E[(|x⋆ψ_λ1|⋆ψ_λ3)(|x⋆ψ_λ2|⋆ψ_λ3)*] / √(R2(λ1)R2(λ2))
//	                                                    (complex; triple t = (j1, j2, j3) at t·L³ + ℓ1·L² + ℓ2·L + ℓ3)
//	Norm  R2, the reference S2 that normalised S3 and S4 (J·L; 0 for a
//	      band counted as empty, whose coefficients are then 0)
//
// Pairs and triples are numbered lexicographically over the scale rule's
// tuples (S3Index and S4Index compute the positions). Spectra are normally
// made by an Operator (NewSpectra, Compute); Spectra built by hand must
// have these lengths for their J, L and Rule.
type Spectra struct {
	Width, Height int
	J, L          int
	Rule          ScaleRule
	Mean          float64
	S1, S2        []float64
	S3, S4        []complex128
	Norm          []float64
	ly            *spLayout
}

// S3Index returns the position in S3 of the coefficient (λ1, λ) =
// ((j1, ℓ1), (j, ℓ)), or −1 if the scale rule does not keep it or an index
// is out of range.
func (s *Spectra) S3Index(j1, l1, j, l int) int {
	J, L := s.J, s.L
	if j1 < 0 || j < 0 || j1 >= J || j >= J || l1 < 0 || l < 0 || l1 >= L || l >= L {
		return -1
	}
	p := s.layout().i3[j1*J+j]
	if p < 0 {
		return -1
	}
	return (p*L+l1)*L + l
}

// S4Index returns the position in S4 of the coefficient (λ1, λ2, λ3), or
// −1 if the scale rule does not keep it or an index is out of range.
func (s *Spectra) S4Index(j1, l1, j2, l2, j3, l3 int) int {
	J, L := s.J, s.L
	for _, j := range []int{j1, j2, j3} {
		if j < 0 || j >= J {
			return -1
		}
	}
	for _, l := range []int{l1, l2, l3} {
		if l < 0 || l >= L {
			return -1
		}
	}
	t := s.layout().i4[(j1*J+j2)*J+j3]
	if t < 0 {
		return -1
	}
	return ((t*L+l1)*L+l2)*L + l3
}

// Count returns the length of the Form f vector (CoefficientCount).
func (s *Spectra) Count(f Form) int { return CoefficientCount(f, s.J, s.L, s.Rule) }

// Groups returns the ranges of the statistics mean, S1, S2, S3 and S4 in
// the Form f vector (nil for an unknown form).
func (s *Spectra) Groups(f Form) []CoefGroup { return s.layout().groups(f) }

// Labels returns one label per coefficient of the Form f vector, in the
// order of Vector: "mean", "logS1[j=0,l=1]", "ReS3[j1=0,l1=1,j=2,l=3]",
// "ImS4[j1=0,l1=0,j2=1,l2=2,j3=2,l3=3]" (Full) or "logS2[j=3]",
// "ReS3[j1=0,j=2,dl=1]", "ReS4[j1=0,j2=1,j3=2,dl2=0,dl3=3]" (Isotropic,
// dl = ℓ − ℓ1 mod L). It returns nil for an unknown form.
func (s *Spectra) Labels(f Form) []string { return s.layout().labels(f) }

// Vector returns the Form f coefficient vector (nil for an unknown form):
//
//	Full      [mean, log S1 (J·L), log S2 (J·L), Re S3, Im S3, Re S4, Im S4]
//	Isotropic [mean, log S̄1 (J), log S̄2 (J), Re S̄3 (P3·L), Re S̄4 (P4·L²)]
//
// with S̄ the average over a global rotation, S̄1(j) = L⁻¹ Σ_ℓ S1(j, ℓ),
// S̄3(j1, j, δ) = L⁻¹ Σ_ℓ1 S3(j1, ℓ1, j, ℓ1+δ),
// S̄4(j1, j2, j3, δ2, δ3) = L⁻¹ Σ_ℓ1 S4(j1, ℓ1, j2, ℓ1+δ2, j3, ℓ1+δ3)
// (angles mod L). Logs are of max(S, 10⁻³⁰⁰) (for_synthesis and
// for_synthesis_iso of the code of Cheng et al. 2024).
func (s *Spectra) Vector(f Form) []float64 {
	if f != Full && f != Isotropic {
		return nil
	}
	return s.AppendVector(make([]float64, 0, s.Count(f)), f)
}

// AppendVector appends the Form f vector (see Vector) to dst and returns
// the extended slice; it does not allocate when cap(dst) suffices.
func (s *Spectra) AppendVector(dst []float64, f Form) []float64 {
	J, L := s.J, s.L
	ly := s.layout()
	dst = append(dst, s.Mean)
	switch f {
	case Full:
		for _, v := range s.S1 {
			dst = append(dst, spLog(v))
		}
		for _, v := range s.S2 {
			dst = append(dst, spLog(v))
		}
		for _, v := range s.S3 {
			dst = append(dst, real(v))
		}
		for _, v := range s.S3 {
			dst = append(dst, imag(v))
		}
		for _, v := range s.S4 {
			dst = append(dst, real(v))
		}
		for _, v := range s.S4 {
			dst = append(dst, imag(v))
		}
	case Isotropic:
		for _, a := range [][]float64{s.S1, s.S2} {
			for j := range J {
				var m float64
				for _, v := range a[j*L : (j+1)*L] {
					m += v
				}
				dst = append(dst, spLog(m/float64(L)))
			}
		}
		inv := 1 / float64(L)
		for p := range ly.p3 {
			c := s.S3[p*L*L : (p+1)*L*L]
			for d := range L {
				var m float64
				for l1 := range L {
					m += real(c[l1*L+(l1+d)%L])
				}
				dst = append(dst, m*inv)
			}
		}
		for t := range ly.p4 {
			c := s.S4[t*L*L*L : (t+1)*L*L*L]
			for d2 := range L {
				for d3 := range L {
					var m float64
					for l1 := range L {
						m += real(c[(l1*L+(l1+d2)%L)*L+(l1+d3)%L])
					}
					dst = append(dst, m*inv)
				}
			}
		}
	}
	return dst
}

// layout returns the index tables of s's J, L and rule (built if s was not
// made by an Operator).
func (s *Spectra) layout() *spLayout {
	if s.ly != nil && s.ly.J == s.J && s.ly.L == s.L && s.ly.rule == s.Rule {
		return s.ly
	}
	return spNewLayout(max(s.J, 0), max(s.L, 0), s.Rule)
}

// valid reports whether the slices of s have the lengths of its J, L and
// rule (J, L ≥ 1, a known rule).
func (s *Spectra) valid() bool {
	if s == nil || s.J < 1 || s.L < 1 || (s.Rule != ScalesInclusive && s.Rule != ScalesStrict) {
		return false
	}
	ly := s.layout()
	JL := s.J * s.L
	return len(s.S1) == JL && len(s.S2) == JL && len(s.Norm) == JL && len(s.S3) == ly.n3() && len(s.S4) == ly.n4()
}

// Clone returns a deep copy of s.
func (s *Spectra) Clone() *Spectra {
	c := *s
	c.S1, c.S2, c.Norm = slices.Clone(s.S1), slices.Clone(s.S2), slices.Clone(s.Norm)
	c.S3, c.S4 = slices.Clone(s.S3), slices.Clone(s.S4)
	return &c
}

func spLog(v float64) float64 { return math.Log(max(v, spLogFloor)) }

// spDLog is the derivative of spLog.
func spDLog(v float64) float64 {
	if v > spLogFloor {
		return 1 / v
	}
	return 0
}

// Operator computes the scattering spectra (and the gradient of a loss on
// them, Operator.LossGrad) of fields of one size with one DirectionalBank
// and scale rule. It owns its FFT plan and all its buffers: after the first
// call, ComputeInto, Loss and LossGrad do not allocate. Its memory is about
// (3·J·L + 4)·M·N complex values, and (5·J·L + 6)·M·N once LossGrad has
// been used. An Operator must not be used by several goroutines at once
// (the bank may be shared).
//
// Cost: one real FFT of x, J·L inverse complex FFTs for W_λ = x ⋆ ψ_λ,
// J·L real FFTs of U_λ = |W_λ|, and for S3 and S4 sums over the frequency
// support of each outer wavelet (where ψ̂_λ² exceeds 10⁻¹⁴ of its maximum).
type Operator struct {
	bank *wavelet.DirectionalBank
	plan *fourier.Plan2D
	ly   *spLayout
	w, h int
	n    int
	fn   float64

	sup  [][]int32   // per λ: FFT indices of the support of ψ̂_λ
	fsc  [][]float64 // per λ: ψ̂_λ/n on the support
	maxK int

	xhat []complex128   // x̂
	wf   [][]complex128 // W_λ = x ⋆ ψ_λ
	uhat [][]complex128 // Û_λ = F|W_λ| (λ used as a modulus in S3/S4)
	ur   []float64      // scratch, n
	pack []complex128   // (1 + J·L)·maxK: A = x̂ψ̂/n, then V_λ1 = Û_λ1 ψ̂/n on the support
	gm   []complex128   // (1 + J·L)²: Gram matrix of the packed slots
	nrm  []float64      // 1/√R2(λ), or 0 for an empty band
	r2   []float64      // R2 of the current call

	cur  *Spectra  // LossGrad's spectra of x
	vec  []float64 // LossGrad's vector of x
	grad *spGrad   // LossGrad's buffers, made on first use
}

// SpectraOptions configures an Operator; the zero value is the rule of
// Cheng et al. 2024 (ScalesInclusive).
type SpectraOptions struct {
	// Scales selects the S3 and S4 scale tuples (default ScalesInclusive).
	Scales ScaleRule
}

// NewOperator returns an Operator for fields of the bank's size with its J
// scales, L orientations and kind. It returns an error for a nil bank or an
// unknown scale rule.
func NewOperator(bank *wavelet.DirectionalBank, opt SpectraOptions) (*Operator, error) {
	if bank == nil {
		return nil, errors.New("scattering: NewOperator: nil bank")
	}
	if opt.Scales != ScalesInclusive && opt.Scales != ScalesStrict {
		return nil, fmt.Errorf("scattering: unknown scale rule %d", int(opt.Scales))
	}
	w, h := bank.Size()
	J, L := bank.Scales(), bank.Orientations()
	plan, err := fourier.NewPlan2D(h, w)
	if err != nil {
		return nil, err
	}
	n := w * h
	op := &Operator{
		bank: bank, plan: plan, ly: spNewLayout(J, L, opt.Scales),
		w: w, h: h, n: n, fn: float64(n),
		sup: make([][]int32, J*L), fsc: make([][]float64, J*L),
		xhat: make([]complex128, n),
		wf:   make([][]complex128, J*L),
		uhat: make([][]complex128, J*L),
		ur:   make([]float64, n),
		nrm:  make([]float64, J*L),
		r2:   make([]float64, J*L),
	}
	for j := range J {
		for l := range L {
			lam := j*L + l
			psi := bank.Psi(j, l)
			var peak float64
			for _, v := range psi {
				peak = max(peak, v*v)
			}
			for i, v := range psi {
				if v*v > spSupportTol*peak {
					op.sup[lam] = append(op.sup[lam], int32(i))
					op.fsc[lam] = append(op.fsc[lam], v/op.fn)
				}
			}
			op.maxK = max(op.maxK, len(op.sup[lam]))
			op.wf[lam] = make([]complex128, n)
			if j <= op.ly.inner(J-1) {
				op.uhat[lam] = make([]complex128, n)
			}
		}
	}
	op.pack = make([]complex128, (1+J*L)*op.maxK)
	op.gm = make([]complex128, (1+J*L)*(1+J*L))
	return op, nil
}

// Bank returns the filter bank.
func (op *Operator) Bank() *wavelet.DirectionalBank { return op.bank }

// Rule returns the scale rule.
func (op *Operator) Rule() ScaleRule { return op.ly.rule }

// Count returns the length of the Form f vector (CoefficientCount).
func (op *Operator) Count(f Form) int { return op.ly.count(f) }

// NewSpectra returns zeroed Spectra of the operator's size, J, L and rule,
// for ComputeInto.
func (op *Operator) NewSpectra() *Spectra {
	JL := op.ly.J * op.ly.L
	return &Spectra{
		Width: op.w, Height: op.h, J: op.ly.J, L: op.ly.L, Rule: op.ly.rule,
		S1: make([]float64, JL), S2: make([]float64, JL), Norm: make([]float64, JL),
		S3: make([]complex128, op.ly.n3()), S4: make([]complex128, op.ly.n4()),
		ly: op.ly,
	}
}

// Compute returns the scattering spectra of the real field x (Height rows of
// Width values, row-major, periodic), with S3 and S4 normalised by the S2 of
// norm (R2 = norm.S2; pass the synthesis target), or by the S2 of x itself
// when norm is nil. It allocates the result; ComputeInto does not allocate.
func (op *Operator) Compute(x []float64, norm *Spectra) (*Spectra, error) {
	s := op.NewSpectra()
	if err := op.ComputeInto(s, x, norm); err != nil {
		return nil, err
	}
	return s, nil
}

// ComputeInto stores in dst (made by NewSpectra or Compute of an Operator
// of the same size, J, L and rule) the spectra of x normalised by norm (see
// Compute). norm may be dst itself: its S2 is read before dst is written.
// It returns an error if x has the wrong length or a NaN or infinite value,
// or if dst or norm do not match the operator.
func (op *Operator) ComputeInto(dst *Spectra, x []float64, norm *Spectra) error {
	if err := op.checkField(x, "field"); err != nil {
		return err
	}
	if err := op.checkSpectra(dst, "destination"); err != nil {
		return err
	}
	if norm != nil {
		if err := op.checkSpectra(norm, "normaliser"); err != nil {
			return err
		}
		op.setNorm(norm.S2, norm.Mean)
	}
	if err := op.forward(dst, x, norm == nil); err != nil {
		return err
	}
	return nil
}

func (op *Operator) checkField(x []float64, what string) error {
	if len(x) != op.n {
		return fmt.Errorf("scattering: %s has %d values, want %d×%d = %d", what, len(x), op.w, op.h, op.n)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("scattering: %s value %d is %v", what, i, v)
		}
	}
	return nil
}

func (op *Operator) checkSpectra(s *Spectra, what string) error {
	if s == nil {
		return fmt.Errorf("scattering: nil %s spectra", what)
	}
	if s.Width != op.w || s.Height != op.h || s.J != op.ly.J || s.L != op.ly.L || s.Rule != op.ly.rule {
		return fmt.Errorf("scattering: %s spectra are for %d×%d, J = %d, L = %d, %v scales; the operator for %d×%d, J = %d, L = %d, %v",
			what, s.Width, s.Height, s.J, s.L, s.Rule, op.w, op.h, op.ly.J, op.ly.L, op.ly.rule)
	}
	if !s.valid() {
		return fmt.Errorf("scattering: %s spectra have wrong lengths", what)
	}
	return nil
}

// setNorm sets op.r2 and op.nrm from the reference S2 r2 and mean: R2(λ)
// is kept where R2(λ) > spNormTol·(mean² + Σ R2), else set to 0, and
// nrm = 1/√R2 (0 for an empty band).
func (op *Operator) setNorm(r2 []float64, mean float64) {
	scale := mean * mean
	for _, v := range r2 {
		scale += v
	}
	for i, v := range r2 {
		if v > spNormTol*scale && !math.IsInf(v, 0) {
			op.r2[i], op.nrm[i] = v, 1/math.Sqrt(v)
		} else {
			op.r2[i], op.nrm[i] = 0, 0
		}
	}
}

// forward computes the spectra of x into dst: W_λ and Û_λ stay in op.wf
// and op.uhat for the adjoint. With self set, S3 and S4 are normalised by
// the S2 of x, otherwise by op.nrm.
func (op *Operator) forward(dst *Spectra, x []float64, self bool) error {
	J, L := op.ly.J, op.ly.L
	dst.Mean = spMean(x)
	if err := op.plan.ForwardReal(op.xhat, x); err != nil {
		return err
	}
	for j := range J {
		for l := range L {
			lam := j*L + l
			psi := op.bank.Psi(j, l)
			w := op.wf[lam]
			for i, v := range psi {
				w[i] = op.xhat[i] * complex(v, 0)
			}
			if err := op.plan.Inverse(w, w); err != nil {
				return err
			}
			var s1, s2 float64
			u := op.ur
			for i, z := range w {
				m2 := real(z)*real(z) + imag(z)*imag(z)
				m := math.Sqrt(m2)
				u[i] = m
				s1 += m
				s2 += m2
			}
			dst.S1[lam], dst.S2[lam] = s1/op.fn, s2/op.fn
			if op.uhat[lam] != nil {
				if err := op.plan.ForwardReal(op.uhat[lam], u); err != nil {
					return err
				}
			}
		}
	}
	if self {
		op.setNorm(dst.S2, dst.Mean)
	}
	copy(dst.Norm, op.r2)
	for j := range J {
		for l := range L {
			op.cross(dst, j, l)
		}
	}
	return nil
}

// packOuter fills op.pack for the outer wavelet λ = (j, ℓ) on its support
// K: slot 0 holds A = x̂ψ̂_λ/n, slot 1 + λ1 holds V_λ1 = Û_λ1 ψ̂_λ/n for
// every modulus λ1 with j1 ≤ inner(j). It returns the support length.
func (op *Operator) packOuter(j, l int) int {
	L := op.ly.L
	lam := j*L + l
	sup, f := op.sup[lam], op.fsc[lam]
	k, mk := len(sup), op.maxK
	a := op.pack[:k]
	for i, idx := range sup {
		a[i] = op.xhat[idx] * complex(f[i], 0)
	}
	for l1 := range (op.ly.inner(j) + 1) * L {
		v := op.pack[(1+l1)*mk : (1+l1)*mk+k]
		uh := op.uhat[l1]
		for i, idx := range sup {
			v[i] = uh[idx] * complex(f[i], 0)
		}
	}
	return k
}

// slot returns the packed vector of slot s (0: A, 1 + λ1: V_λ1) of length k
// in buf.
func (op *Operator) slot(buf []complex128, s, k int) []complex128 {
	return buf[s*op.maxK : s*op.maxK+k]
}

// cross computes the S3 and S4 coefficients whose outer wavelet is
// λ = (j, ℓ) (for S4, λ3 = λ), normalised by op.nrm:
//
//	S3(λ1, λ)     = nrm(λ1) nrm(λ) Σ_k A(k) V_λ1(k)*
//	S4(λ1, λ2, λ) = nrm(λ1) nrm(λ2) Σ_k V_λ1(k) V_λ2(k)*
//
// with A = x̂ψ̂_λ/n and V = Ûψ̂_λ/n on the support of ψ̂_λ (Parseval:
// E[a b*] = n⁻² Σ_k â(k) b̂(k)*). Both are entries of the Gram matrix
// G_ab = Σ_k P_a(k) P_b(k)* of the packed slots P_0 = A, P_{1+λ1} = V_λ1,
// computed for a ≤ b only (G_ba = G_ab*).
func (op *Operator) cross(dst *Spectra, j, l int) {
	ly := op.ly
	J, L := ly.J, ly.L
	jm := ly.inner(j)
	if jm < 0 {
		return
	}
	k := op.packOuter(j, l)
	ns := 1 + (jm+1)*L
	op.gram(ns, k)
	G := op.gm
	lam := j*L + l
	for j1 := 0; j1 <= jm; j1++ {
		p := ly.i3[j1*J+j]
		for l1 := range L {
			lam1 := j1*L + l1
			dst.S3[(p*L+l1)*L+l] = G[1+lam1] * complex(op.nrm[lam1]*op.nrm[lam], 0)
		}
	}
	for j1 := 0; j1 <= jm; j1++ {
		for j2 := j1; j2 <= jm; j2++ {
			t := ly.i4[(j1*J+j2)*J+j]
			for l1 := range L {
				a := 1 + j1*L + l1
				for l2 := range L {
					b := 1 + j2*L + l2
					var c complex128
					if a <= b {
						c = G[a*ns+b]
					} else {
						c = G[b*ns+a]
						c = complex(real(c), -imag(c))
					}
					dst.S4[((t*L+l1)*L+l2)*L+l] = c * complex(op.nrm[a-1]*op.nrm[b-1], 0)
				}
			}
		}
	}
}

// spChunk is the number of frequencies processed at a time by gram and
// gramAdjoint, so that a chunk of every packed slot stays in the L1/L2
// cache (25 slots × 128 × 16 B = 50 KiB).
const spChunk = 128

// gram stores in op.gm (ns×ns, row-major) the upper triangle a ≤ b of
// G_ab = Σ_k P_a(k) P_b(k)* over the first k entries of the first ns packed
// slots, except G_00.
func (op *Operator) gram(ns, k int) {
	G := op.gm[:ns*ns]
	clear(G)
	mk := op.maxK
	for c0 := 0; c0 < k; c0 += spChunk {
		c1 := min(k, c0+spChunk)
		for a := range ns {
			pa := op.pack[a*mk+c0 : a*mk+c1]
			for b := max(a, 1); b < ns; b++ {
				G[a*ns+b] += spDot(pa, op.pack[b*mk+c0:b*mk+c1])
			}
		}
	}
}

// spMean returns the mean of x with Neumaier's compensated summation (so a
// constant field has its exact mean).
func spMean(x []float64) float64 {
	var sum, c float64
	for _, v := range x {
		t := sum + v
		if math.Abs(sum) >= math.Abs(v) {
			c += (sum - t) + v
		} else {
			c += (v - t) + sum
		}
		sum = t
	}
	return (sum + c) / float64(len(x))
}

// spDot returns Σ_i a_i b_i* (len(b) ≥ len(a)).
func spDot(a, b []complex128) complex128 {
	b = b[:len(a)]
	var re, im float64
	for i, av := range a {
		ar, ai := real(av), imag(av)
		br, bi := real(b[i]), imag(b[i])
		re += ar*br + ai*bi
		im += ai*br - ar*bi
	}
	return complex(re, im)
}
