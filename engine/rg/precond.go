package rg

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"scalewise/engine/fourier"
	"scalewise/engine/wavelet"
)

// precond is the Fourier-diagonal mass matrix of a preconditioned MALA
// chain on one factor (Girolami & Calderhead, "Riemann manifold Langevin
// and Hamiltonian Monte Carlo methods", J. R. Stat. Soc. B 73, 123 (2011),
// §5, with a constant metric). The factor's metric P is a translation-
// invariant operator on the coarse grid (PRX 13, 041038, §4.3: the
// quadratic part ½⟨x̄, A x̄⟩ of the energy is one, and so is the Fisher
// information of Scale.Metric on stationary data), so it is block diagonal
// in Fourier: one nv×nv Hermitian matrix P(k) per frequency (nv = 3 bands
// H, V, D, or the single channel x_J). The mass matrix is
//
//	M(k) = P(k)⁻¹, the eigenvalues of P(k) floored at λ₀ = 1/max_b std_b²
//
// (the precision of a band cannot be smaller than that of its marginal).
// The chain then proposes
//
//	x' = x − h M∇Ē(x) + √(2h) M^{½} ξ,   ξ ~ N(0, I),
//
// exact for the target for any fixed h and any symmetric positive
// definite M (see chain.stepPre); for a Gaussian factor with P = A, M is
// its covariance and the step needs no adapting to the spectrum of A.
type precond struct {
	nv, n int
	// m, r and p hold, per frequency k (row-major FFT index), the nv×nv
	// complex matrices M(k), M(k)^{½} and P(k) = M(k)⁻¹ row-major.
	m, r, p []complex128
}

// newPrecond builds the mass matrix of a compiled factor (see precond)
// from the metric kernel (Scale.Metric layout; nil: the quadratic kernels
// of c) with eigenvalue floor lam0.
func newPrecond(c *compiled, metric []float64, lam0 float64) *precond {
	nv, n := len(c.vary), c.n
	nn := n * n
	pc := &precond{nv: nv, n: n, m: make([]complex128, nn*nv*nv), r: make([]complex128, nn*nv*nv), p: make([]complex128, nn*nv*nv)}
	plan, err := fourier.NewPlan2D(n, n)
	if err != nil {
		return nil
	}
	// A(k)_{ab}: the response of channel a to a unit impulse in channel b
	// at the origin, transformed (convention-free: ĝ_a(k) = A(k)_{ab}·1).
	cols := make([][]complex128, nv*nv)
	imp := make([]float64, nn)
	pad := make([]float64, (n+2*c.S)*(n+2*c.S))
	resp := make([]float64, nn)
	imp[0] = 1
	padPeriodic(pad, imp, n, c.S)
	for ai, a := range c.vary {
		for bi, b := range c.vary {
			clear(resp)
			k := c.kern[a][b]
			if metric != nil {
				w := (2*c.S + 1) * (2*c.S + 1)
				k = metric[(ai*nv+bi)*w : (ai*nv+bi+1)*w]
			}
			if k != nil {
				convAdd(resp, k, pad, n, c.S)
			}
			z := make([]complex128, nn)
			_ = plan.ForwardReal(z, resp)
			cols[ai*nv+bi] = z
		}
	}
	emb := mat.NewSymDense(2*nv, nil)
	var es mat.EigenSym
	var vecs mat.Dense
	lam := make([]float64, 2*nv)
	for k := range nn {
		// M(−k) = M(k)* (real kernels): fill the mirror from k.
		if km := (n-k/n)%n*n + (n-k%n)%n; km < k {
			for i := range nv * nv {
				pc.m[k*nv*nv+i] = complexConj(pc.m[km*nv*nv+i])
				pc.r[k*nv*nv+i] = complexConj(pc.r[km*nv*nv+i])
				pc.p[k*nv*nv+i] = complexConj(pc.p[km*nv*nv+i])
			}
			continue
		}
		// Real embedding [[Re, −Im], [Im, Re]] of the Hermitian P(k).
		for a := range nv {
			for b := a; b < nv; b++ {
				z := (cols[a*nv+b][k] + complexConj(cols[b*nv+a][k])) / 2
				if a == b {
					z = complex(real(z), 0)
				}
				emb.SetSym(a, b, real(z))
				emb.SetSym(nv+a, nv+b, real(z))
				emb.SetSym(a, nv+b, -imag(z))
				emb.SetSym(b, nv+a, imag(z))
			}
		}
		if !es.Factorize(emb, true) {
			// Fall back to the floor: M = I/λ₀.
			for a := range nv {
				pc.m[(k*nv+a)*nv+a] = complex(1/lam0, 0)
				pc.r[(k*nv+a)*nv+a] = complex(1/math.Sqrt(lam0), 0)
				pc.p[(k*nv+a)*nv+a] = complex(lam0, 0)
			}
			continue
		}
		es.Values(lam)
		es.VectorsTo(&vecs)
		for i := range lam {
			lam[i] = max(lam[i], lam0)
		}
		fill := func(dst []complex128, f func(float64) float64) {
			for a := range nv {
				for b := range nv {
					var re, im float64
					for i, l := range lam {
						fl := f(l)
						re += vecs.At(a, i) * fl * vecs.At(b, i)
						im += vecs.At(nv+a, i) * fl * vecs.At(b, i)
					}
					dst[(k*nv+a)*nv+b] = complex(re, im)
				}
			}
		}
		fill(pc.m, func(l float64) float64 { return 1 / l })
		fill(pc.r, func(l float64) float64 { return 1 / math.Sqrt(l) })
		fill(pc.p, func(l float64) float64 { return l })
	}
	return pc
}

func complexConj(z complex128) complex128 { return complex(real(z), -imag(z)) }

// apply stores in dst[a] (spectra of the nv channels) Σ_b T(k)_{ab} src[b](k)
// for T one of pc.m, pc.r, pc.p, scaled by s, added to dst when add is set.
func (pc *precond) apply(t []complex128, dst, src [][]complex128, s complex128, add bool) {
	nv := pc.nv
	for k := range src[0] {
		base := k * nv * nv
		for a := range nv {
			var v complex128
			row := t[base+a*nv : base+a*nv+nv]
			for b, tv := range row {
				v += tv * src[b][k]
			}
			if add {
				dst[a][k] += s * v
			} else {
				dst[a][k] = s * v
			}
		}
	}
}

// quad returns (1/n²) Σ_k Σ_{ab} conj(x_a(k)) P(k)_{ab} x_b(k), the
// P-norm ⟨x, M⁻¹x⟩ of the real field whose spectra are x (Parseval, with
// the unnormalised forward transform).
func (pc *precond) quad(x [][]complex128) float64 {
	nv := pc.nv
	s := 0.0
	for k := range x[0] {
		base := k * nv * nv
		for a := range nv {
			var v complex128
			row := pc.p[base+a*nv : base+a*nv+nv]
			for b, tv := range row {
				v += tv * x[b][k]
			}
			xa := x[a][k]
			s += real(xa)*real(v) + imag(xa)*imag(v)
		}
	}
	return s / float64(pc.n*pc.n)
}

// fisherMetric returns the kernel of Scale.Metric: the Fisher
// information of the factor on the data, the correlations of its score
// P_{ab}(r) = E[g_a(q) g_b(q+r)] over the fields and positions q (the
// data being stationary), g = ∇_x̄Ē at the data (x̄_j, x_j) = us, for r in
// the factor's stencil. By the score-matching identity E[∇Ē∇Ēᵀ] =
// E[∇²Ē] under the model, it is the mean Hessian of the energy (the
// expected Fisher information of Girolami & Calderhead 2011, §5, as a
// constant metric), whatever terms (potential, quadratic, scattering) it
// holds. It is symmetric, P_{ba}(−r) = P_{ab}(r); its Fourier transform is
// the positive semi-definite spectral density of g truncated to the
// stencil, which newPrecond floors.
func fisherMetric(sc *Scale, us [][4][]float64, wv *wavelet.Wavelet, workers int) []float64 {
	c := compileWith(sc, wv)
	nv, n, S := len(c.vary), c.n, c.S
	w := 2*S + 1
	ns := len(us)
	per := make([][]float64, ns)
	evs := make([]*evaluator, workers)
	for i := range evs {
		ev, err := newEvaluator(c, wv)
		if err != nil {
			return nil
		}
		evs[i] = ev
	}
	nn := n * n
	parallel(ns, workers, func(wk, k int) {
		ev := evs[wk]
		var u, g [4][]float64
		u = us[k]
		for _, a := range c.vary {
			g[a] = make([]float64, nn)
		}
		if c.cond {
			ev.setCond(u[0])
		}
		ev.eval(&u, &g, false)
		out := make([]float64, nv*nv*w*w)
		for ai, a := range c.vary {
			for bi, b := range c.vary {
				o := out[(ai*nv+bi)*w*w:]
				seen := make(map[[2]int]bool)
				for ry := -S; ry <= S; ry++ {
					for rx := -S; rx <= S; rx++ {
						// Shifts equal modulo the grid are one shift: the
						// first carries it, so that the operator counts it once.
						cls := [2]int{mod(ry, n), mod(rx, n)}
						if seen[cls] {
							continue
						}
						seen[cls] = true
						sum := 0.0
						for y := range n {
							ya := g[a][y*n : y*n+n]
							yb := g[b][mod(y+ry, n)*n:]
							for x, v := range ya {
								sum += v * yb[mod(x+rx, n)]
							}
						}
						o[(ry+S)*w+rx+S] = sum / float64(nn)
					}
				}
			}
		}
		per[k] = out
	})
	m := make([]float64, nv*nv*w*w)
	for _, o := range per {
		for i, v := range o {
			m[i] += v / float64(ns)
		}
	}
	if allFinite(m) >= 0 {
		return nil
	}
	return m
}

// precondFor returns the mass matrix of factor sc compiled as c (nil
// unless sc.Preconditioned): the inverse of Metric (or of the quadratic
// kernels when Metric is empty), eigenvalues floored at λ₀ = 1/max_b
// std_b² from the data stds of the varying channels.
func precondFor(sc *Scale, c *compiled) *precond {
	if !sc.Preconditioned {
		return nil
	}
	vmax := sc.StdCond * sc.StdCond
	if sc.Conditional {
		vmax = 0
		for _, b := range sc.StdBands {
			vmax = max(vmax, b*b)
		}
	}
	if !(vmax > 0) {
		vmax = 1
	}
	return newPrecond(c, sc.Metric, 1/vmax)
}
