package rg

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// assemble builds the score-matching system of one scale from summed
// statistics (PRX 13, 041038, §4.4): with Ē = θᵀΦ,
//
//	H = E[∇_x̄Φ ∇_x̄Φᵀ],   G = E[Δ_x̄Φ],
//
// and the Hyvärinen loss E[½|∇Ē|² − ΔĒ] = ½θᵀHθ − θᵀG is minimal at
// θ = H⁻¹G. Writing the gradient of a quadratic term as a sum of
// components α·u_b(q+r) on channel a, the blocks are
//
//	H_{t,t'} = Σ_{(a,α,b,r) ∈ t, (a,α',b',r') ∈ t'} α α' C_{b,b'}(r'−r),
//	H_{k,t}  = Σ_{(a,α,b,r) ∈ t} α D_{k,a,b}(r),
//	H_{k,k'} = SS_{k,k'},
//	G_k = GV_k,   G_t = n² for self terms at shift 0 (0 otherwise),
//
// all divided by the number of fields.
func assemble(l *layout, terms []Term, st *stats) (H *mat.SymDense, G []float64) {
	K := l.K
	P := K + len(terms)
	H = mat.NewSymDense(P, nil)
	G = make([]float64, P)
	inv := 1 / st.cnt
	for k := 0; k < K; k++ {
		for k2 := k; k2 < K; k2++ {
			H.SetSym(k, k2, st.SS[k*K+k2]*inv)
		}
		G[k] = st.GV[k] * inv
	}
	comps := make([][]comp, len(terms))
	for t, tm := range terms {
		comps[t] = tm.components()
		G[K+t] = tm.laplacian(l.n)
	}
	vIdx := [4]int{-1, -1, -1, -1}
	for i, a := range l.vary {
		vIdx[a] = i
	}
	sIdx := [4]int{-1, -1, -1, -1}
	for i, b := range l.srcs {
		sIdx[b] = i
	}
	nv, ns := len(l.vary), len(l.srcs)
	W2 := 2*l.S + 1
	for k := 0; k < K; k++ {
		for t := range terms {
			v := 0.0
			for _, c := range comps[t] {
				r := (c.RY+l.S)*W2 + c.RX + l.S
				v += c.Alpha * st.D[((k*nv+vIdx[c.A])*ns+sIdx[c.B])*l.nr+r]
			}
			H.SetSym(k, K+t, v*inv)
		}
	}
	W4 := 4*l.S + 1
	corr := func(b, b2, lx, ly int) float64 {
		if b <= b2 {
			return st.C[l.pairIdx[b][b2]][(ly+2*l.S)*W4+lx+2*l.S]
		}
		return st.C[l.pairIdx[b2][b]][(-ly+2*l.S)*W4-lx+2*l.S]
	}
	for t := range terms {
		for t2 := t; t2 < len(terms); t2++ {
			v := 0.0
			for _, c := range comps[t] {
				for _, c2 := range comps[t2] {
					if c.A != c2.A {
						continue
					}
					v += c.Alpha * c2.Alpha * corr(c.B, c2.B, c2.RX-c.RX, c2.RY-c.RY)
				}
			}
			H.SetSym(K+t, K+t2, v*inv)
		}
	}
	return H, G
}

// solution is the result of solve.
type solution struct {
	theta               []float64
	condRaw, condPrecon float64
	ridge, loss         float64
}

// ridgeTol is the smallest eigenvalue, relative to the largest, that the
// preconditioned matrix may have before a ridge is added.
const ridgeTol = 1e-12

// solve returns θ = H⁻¹G computed with diagonal preconditioning (PRX 13,
// 041038, §4.4): with D = diag(H), it solves (D^{-½}HD^{-½})θ' = D^{-½}G
// by a symmetric eigendecomposition and returns θ = D^{-½}θ'. It reports
// λmax/λmin of H and of D^{-½}HD^{-½} (−1 when λmin ≤ 0); when λmin of the
// preconditioned matrix is below ridgeTol·λmax, the ridge ridgeTol·λmax is
// added to it (and reported).
func solve(H *mat.SymDense, G []float64) (solution, error) { return solveRidge(H, G, ridgeTol, nil) }

// solveRidge is solve with the relative ridge tolerance tol in place of
// ridgeTol (see FitOptions.Ridge) and, if shrink is not nil, shrink[i]
// added to the diagonal of D^{-½}HD^{-½} (a Gaussian prior of precision
// shrink[i]·H_ii on θ_i; see FitOptions.ScatShrink).
func solveRidge(H *mat.SymDense, G []float64, tol float64, shrink []float64) (solution, error) {
	P := len(G)
	var sol solution
	d := make([]float64, P)
	for i := range d {
		v := H.At(i, i)
		if !(v > 0) || !finite(v) {
			return sol, fmt.Errorf("parameter %d has no gradient on the data (H_ii = %g): the feature is constant there", i, v)
		}
		d[i] = 1 / math.Sqrt(v)
	}
	var eraw mat.EigenSym
	if !eraw.Factorize(H, false) {
		return sol, errors.New("eigendecomposition of H failed")
	}
	sol.condRaw = condOf(eraw.Values(nil))
	A := mat.NewSymDense(P, nil)
	for i := range P {
		for j := i; j < P; j++ {
			A.SetSym(i, j, H.At(i, j)*d[i]*d[j])
		}
		if shrink != nil {
			A.SetSym(i, i, A.At(i, i)+shrink[i])
		}
	}
	var e mat.EigenSym
	if !e.Factorize(A, true) {
		return sol, errors.New("eigendecomposition of the preconditioned H failed")
	}
	lam := e.Values(nil)
	sol.condPrecon = condOf(lam)
	lmax := lam[len(lam)-1]
	if !(lmax > 0) {
		return sol, errors.New("score-matching matrix is zero")
	}
	if lam[0] < tol*lmax {
		sol.ridge = tol * lmax
		if lam[0] < 0 {
			sol.ridge -= lam[0]
		}
	}
	var V mat.Dense
	e.VectorsTo(&V)
	b := make([]float64, P)
	for i := range b {
		b[i] = G[i] * d[i]
	}
	// θ' = V (Λ + ridge)⁻¹ Vᵀ b.
	c := make([]float64, P)
	for k := range P {
		s := 0.0
		for i := range P {
			s += V.At(i, k) * b[i]
		}
		c[k] = s / (lam[k] + sol.ridge)
	}
	sol.theta = make([]float64, P)
	for i := range P {
		s := 0.0
		for k := range P {
			s += V.At(i, k) * c[k]
		}
		sol.theta[i] = s * d[i]
	}
	for i, v := range sol.theta {
		sol.loss -= 0.5 * v * G[i]
	}
	if allFinite(sol.theta) >= 0 {
		return sol, errors.New("score-matching solution is not finite")
	}
	return sol, nil
}

func condOf(lam []float64) float64 {
	if len(lam) == 0 {
		return -1
	}
	lo, hi := lam[0], lam[len(lam)-1]
	if !(lo > 0) {
		return -1
	}
	return hi / lo
}
