package basis

import "math"

// dot returns ⟨a, b⟩ (len(a) ≤ len(b)), with four partial sums (a_i b_i
// summed over i ≡ r mod 4, then added), which lets the loop run at the
// throughput of the adds rather than their latency.
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
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

// dot4 returns ⟨r_0, w⟩ … ⟨r_3, w⟩ in one sweep over w (len(w) ≤ len(r_i)):
// four rows of the classical Gram–Schmidt coefficients Qᵀw for one read
// of w.
func dot4(w, r0, r1, r2, r3 []float64) (s0, s1, s2, s3 float64) {
	n := len(w)
	r0, r1, r2, r3 = r0[:n], r1[:n], r2[:n], r3[:n]
	for i, v := range w {
		s0 += r0[i] * v
		s1 += r1[i] * v
		s2 += r2[i] * v
		s3 += r3[i] * v
	}
	return
}

// axpy sets y += a·x (len(x) ≤ len(y)).
func axpy(y []float64, a float64, x []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

// axpy4 sets y += a_0·r_0 + a_1·r_1 + a_2·r_2 + a_3·r_3 in one sweep over
// y (len(y) ≤ len(r_i)).
func axpy4(y []float64, a0, a1, a2, a3 float64, r0, r1, r2, r3 []float64) {
	n := len(y)
	r0, r1, r2, r3 = r0[:n], r1[:n], r2[:n], r3[:n]
	for i := range y {
		y[i] += a0*r0[i] + a1*r1[i] + a2*r2[i] + a3*r3[i]
	}
}

// nrm2 returns ‖a‖₂.
func nrm2(a []float64) float64 { return math.Sqrt(dot(a, a)) }

// scal sets x *= a.
func scal(x []float64, a float64) {
	for i := range x {
		x[i] *= a
	}
}
