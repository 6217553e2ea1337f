package basis

import "math"

// dgksEta is the Daniel–Gragg–Kaufman–Stewart criterion of the Lanczos
// step's reorthogonalisation: a second Gram–Schmidt pass is made when one
// pass shrinks the vector below dgksEta times its norm (ARPACK's 0.717 ≈
// 1/√2; Daniel, Gragg, Kaufman and Stewart, "Reorthogonalization and
// stable algorithms for updating the Gram–Schmidt QR factorization",
// Math. Comp. 1976).
const dgksEta = 0.717

// orthogonalise removes from w its components along q_1 … q_j by classical
// Gram–Schmidt done twice (all j inner products, then all j updates, per
// pass) and returns the coefficients ⟨q_i, w⟩ summed over both passes.
func (l *lanczos) orthogonalise(w []float64, j int) []float64 {
	acc := l.coef[:j]
	clear(acc)
	for range 2 {
		l.gramSchmidt(w, j, acc)
	}
	return acc
}

// orthogonaliseStep turns w = S·q_j (0-based j) into the next Lanczos
// direction and returns α_j = q_jᵀSq_j: first the three-term recurrence
// w −= α q_j + β_{j−1} q_{j−1} (Golub and Van Loan, §10.1), which leaves w
// of norm about β_j and orthogonal to the basis up to rounding and the
// loss of orthogonality Lanczos is known for; then full
// reorthogonalisation against q_1 … q_j by one classical Gram–Schmidt
// pass, and a second only when the first shrank w by more than dgksEta
// (the DGKS criterion: otherwise one pass already leaves w orthogonal to
// working precision). The usual twice-is-enough would make two full
// passes every step; after the local recurrence the second is rarely
// needed, which halves the O(j·n) cost that dominates Lanczos' own work.
// α_j sums the components along q_j of every pass.
func (l *lanczos) orthogonaliseStep(w []float64, j int) float64 {
	q := l.row(j)
	alpha := dot(q, w)
	axpy(w, -alpha, q)
	if j > 0 && l.beta[j-1] != 0 {
		axpy(w, -l.beta[j-1], l.row(j-1))
	}
	acc := l.coef[:j+1]
	for pass := 0; pass < 2; pass++ {
		before := nrm2(w)
		clear(acc)
		l.gramSchmidt(w, j+1, acc)
		alpha += acc[j]
		if nrm2(w) >= dgksEta*before {
			break
		}
	}
	return alpha
}

// gramSchmidt makes one classical Gram–Schmidt pass of w against q_1 …
// q_j: c = Qᵀw, then w −= Q·c, four rows of Q per sweep over w; it adds c
// to acc.
func (l *lanczos) gramSchmidt(w []float64, j int, acc []float64) {
	pc := l.pass[:j]
	i := 0
	for ; i+4 <= j; i += 4 {
		pc[i], pc[i+1], pc[i+2], pc[i+3] = dot4(w, l.row(i), l.row(i+1), l.row(i+2), l.row(i+3))
	}
	for ; i < j; i++ {
		pc[i] = dot(l.row(i), w)
	}
	i = 0
	for ; i+4 <= j; i += 4 {
		axpy4(w, -pc[i], -pc[i+1], -pc[i+2], -pc[i+3], l.row(i), l.row(i+1), l.row(i+2), l.row(i+3))
	}
	for ; i < j; i++ {
		axpy(w, -pc[i], l.row(i))
	}
	for i, c := range pc {
		acc[i] += c
	}
}

// startVector sets q_j to a Gaussian vector orthogonalised against q_1 …
// q_{j−1} and normalised; it reports false when nothing is left of it.
func (l *lanczos) startVector(j int) bool {
	v := l.row(j)
	for i := range v {
		v[i] = l.rng.NormFloat64()
	}
	before := nrm2(v)
	if j > 0 {
		l.orthogonalise(v, j)
	}
	after := nrm2(v)
	if after == 0 || after <= 1e-8*before || math.IsNaN(after) {
		return false
	}
	scal(v, 1/after)
	return true
}
