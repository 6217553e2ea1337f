package wavelet

import (
	"fmt"
	"math"
	"math/cmplx"
)

// MaxDaubechies is the largest number of vanishing moments accepted by
// Daubechies.
const MaxDaubechies = 10

// Daubechies returns the Daubechies wavelet with p vanishing moments
// (1 ≤ p ≤ MaxDaubechies) and 2p taps, the minimum-phase ("extremal phase")
// solution tabulated in Daubechies, "Ten Lectures on Wavelets", Table 6.1.
// p = 1 is the Haar wavelet h = (1/√2, 1/√2), named "haar"; otherwise the name
// is "dbp".
//
// The filter is computed by spectral factorisation (Daubechies, "Ten Lectures
// on Wavelets", §6.1 and §6.4; Mallat, "A Wavelet Tour of Signal Processing",
// ch. 7, compactly supported Daubechies wavelets): with
// y = sin²(ω/2), the conditions Σh = √2, Σ h[n]h[n+2k] = δ_k and p vanishing
// moments require
//
//	|ĥ(ω)|² = 2 cos^{2p}(ω/2) P(sin²(ω/2)),   P(y) = Σ_{k=0}^{p−1} C(p−1+k, k) y^k.
//
// Each root y_i of P gives, through y = (2 − z − 1/z)/4, a reciprocal pair
// of roots z_i, 1/z_i of z² − 2(1−2y_i)z + 1; keeping the p−1 roots with
// |z_i| < 1 gives the polynomial
//
//	Q(z) = (1+z)^p Π_i (z − z_i) = Σ_{n=0}^{2p−1} q_n z^n,
//
// and h[n] = c q_{2p−1−n} with c chosen so that Σh = √2 (the zeros of
// ĥ(ω) = Σ h[n] e^{−inω} then lie inside the unit circle: minimum phase).
// The roots of P are found by Durand–Kerner iteration with Newton polishing.
func Daubechies(p int) (*Wavelet, error) {
	if p < 1 || p > MaxDaubechies {
		return nil, fmt.Errorf("wavelet: Daubechies wavelets are available for 1..%d vanishing moments, not %d", MaxDaubechies, p)
	}
	h, err := daubechiesFilter(p)
	if err != nil {
		return nil, err
	}
	name := "haar"
	if p > 1 {
		name = fmt.Sprintf("db%d", p)
	}
	return &Wavelet{Name: name, Lo: h}, nil
}

// daubechiesFilter computes the 2p-tap minimum-phase Daubechies filter by
// spectral factorisation (see Daubechies).
func daubechiesFilter(p int) ([]float64, error) {
	if p == 1 {
		return []float64{1 / math.Sqrt2, 1 / math.Sqrt2}, nil
	}
	// P(y) = Σ_{k<p} C(p−1+k, k) y^k, ascending coefficients.
	c := make([]complex128, p)
	for k := range c {
		c[k] = complex(binomial(p-1+k, k), 0)
	}
	ys, err := polyRoots(c)
	if err != nil {
		return nil, fmt.Errorf("wavelet: db%d: %w", p, err)
	}
	// Q(z) = (1+z)^p Π (z − z_i), ascending coefficients.
	q := make([]complex128, 1, 2*p)
	q[0] = 1
	for range p {
		q = mulLinear(q, -1)
	}
	for _, y := range ys {
		q = mulLinear(q, insideRoot(y))
	}
	l := 2 * p
	h := make([]float64, l)
	sum := 0.0
	for n := range h {
		v := q[l-1-n]
		if math.Abs(imag(v)) > 1e-9*(1+math.Abs(real(v))) {
			return nil, fmt.Errorf("wavelet: db%d: spectral factor is not real (imaginary part %g)", p, imag(v))
		}
		h[n] = real(v)
		sum += h[n]
	}
	s := math.Sqrt2 / sum
	for n := range h {
		h[n] *= s
	}
	return h, nil
}

// insideRoot returns the root of z² − 2(1−2y)z + 1 = 0 with |z| ≤ 1, that is
// the solution of y = (2 − z − 1/z)/4 inside the unit circle. The outer root
// is computed first (no cancellation) and inverted.
func insideRoot(y complex128) complex128 {
	b := 1 - 2*y
	s := cmplx.Sqrt(b*b - 1)
	out := b + s
	if cmplx.Abs(b-s) > cmplx.Abs(out) {
		out = b - s
	}
	return 1 / out
}

// mulLinear returns q(z)·(z − r) for ascending coefficients q, reusing q's
// storage when its capacity allows.
func mulLinear(q []complex128, r complex128) []complex128 {
	n := len(q)
	q = append(q, 0)
	for k := n; k >= 1; k-- {
		q[k] = q[k-1] - r*q[k]
	}
	q[0] = -r * q[0]
	return q
}

// binomial returns C(n, k) as a float64 (exact for the small n used here).
func binomial(n, k int) float64 {
	b := 1.0
	for i := 1; i <= k; i++ {
		b = b * float64(n-k+i) / float64(i)
	}
	return math.Round(b)
}

// polyEval returns p(z) and p'(z) for ascending coefficients c (Horner).
func polyEval(c []complex128, z complex128) (v, dv complex128) {
	for i := len(c) - 1; i >= 0; i-- {
		dv = dv*z + v
		v = v*z + c[i]
	}
	return v, dv
}

// polyRoots returns the len(c)−1 roots of the polynomial with ascending
// coefficients c, by Durand–Kerner (Weierstrass) iteration
//
//	z_i ← z_i − p(z_i) / (c_m Π_{j≠i} (z_i − z_j))
//
// followed by Newton polishing z ← z − p(z)/p'(z) on the original polynomial.
// It is intended for the small, well-conditioned polynomials with simple roots
// used by Daubechies.
func polyRoots(c []complex128) ([]complex128, error) {
	m := len(c) - 1
	if m < 1 {
		return nil, nil
	}
	lead := c[m]
	if lead == 0 {
		return nil, fmt.Errorf("polynomial root finder: zero leading coefficient")
	}
	// Starting points on a circle of radius |c_0/c_m|^{1/m}, rotated off the
	// real axis so that no two start symmetric about it.
	r := math.Pow(cmplx.Abs(c[0]/lead), 1/float64(m))
	if r == 0 || math.IsInf(r, 0) || math.IsNaN(r) {
		r = 1
	}
	z := make([]complex128, m)
	for i := range z {
		z[i] = cmplx.Rect(r, 2*math.Pi*float64(i)/float64(m)+0.4)
	}
	const maxIter = 1000
	converged := false
	for iter := 0; iter < maxIter && !converged; iter++ {
		converged = true
		for i := range z {
			v, _ := polyEval(c, z[i])
			den := lead
			for j := range z {
				if j != i {
					den *= z[i] - z[j]
				}
			}
			if den == 0 {
				den = complex(1e-300, 0)
			}
			step := v / den
			z[i] -= step
			if cmplx.Abs(step) > 1e-15*math.Max(1, cmplx.Abs(z[i])) {
				converged = false
			}
		}
	}
	for i := range z {
		for range 3 {
			v, dv := polyEval(c, z[i])
			if dv == 0 {
				break
			}
			z[i] -= v / dv
		}
		v, _ := polyEval(c, z[i])
		scale := 0.0
		az := cmplx.Abs(z[i])
		for k := m; k >= 0; k-- {
			scale = scale*az + cmplx.Abs(c[k])
		}
		if cmplx.Abs(v) > 1e-10*scale || cmplx.IsNaN(z[i]) {
			return nil, fmt.Errorf("polynomial root finder did not converge (residual %g)", cmplx.Abs(v))
		}
	}
	return z, nil
}
