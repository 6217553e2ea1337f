package phi4

import (
	"math"
	"math/rand/v2"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/polyspectra"
)

// applyM applies M = β(−Δ) + m² with the real-space stencil of the lattice
// Laplacian.
func applyM(dst, x []float64, l int, beta, m2 float64) {
	lat := newLattice(l, 0)
	for i, v := range x {
		dst[i] = beta*(4*v-lat.neighbourSum(x, i)) + m2*v
	}
}

// TestFourierKinetic checks M^½M^½ = M, M⁻¹M = 1 against the stencil, the
// kinetic energy ½pᵀM⁻¹p, and that sample returns K(p).
func TestFourierKinetic(t *testing.T) {
	tests := []struct {
		l        int
		beta, m2 float64
	}{
		{1, 0, 3},
		{2, 0.5, 0.7},
		{8, 0.68, 5.2},
		{16, 0.68, 0.05},
	}
	for _, tc := range tests {
		k := newFourierKinetic(tc.l, tc.beta, tc.m2)
		n := tc.l * tc.l
		x := randomField(tc.l, 1).Data
		mx := make([]float64, n)
		applyM(mx, x, tc.l, tc.beta, tc.m2)

		half := make([]float64, n)
		k.filter(half, x, k.sqrtM)
		k.filter(half, half, k.sqrtM)
		v := make([]float64, n)
		k.drift(v, mx, 1) // v = M⁻¹Mx
		for i := range x {
			if math.Abs(half[i]-mx[i]) > 1e-10*(1+math.Abs(mx[i])) {
				t.Fatalf("%+v: M^½M^½x = %v, Mx = %v at %d", tc, half[i], mx[i], i)
			}
			if math.Abs(v[i]-x[i]) > 1e-10 {
				t.Fatalf("%+v: M⁻¹Mx = %v, x = %v at %d", tc, v[i], x[i], i)
			}
		}
		// K(Mx) = ½ (Mx)·x.
		want := 0.0
		for i := range x {
			want += mx[i] * x[i] / 2
		}
		if got := k.energy(mx); math.Abs(got-want) > 1e-10*math.Abs(want) {
			t.Errorf("%+v: K = %v, want %v", tc, got, want)
		}
		rng := rand.New(rand.NewPCG(2, 3))
		p, xi := make([]float64, n), make([]float64, n)
		k0 := k.sample(p, xi, rng)
		if got := k.energy(p); math.Abs(got-k0) > 1e-10*k0 {
			t.Errorf("%+v: sample returned K = %v, energy(p) = %v", tc, k0, got)
		}
	}
}

// TestFourierMomentaSpectrum checks that the Fourier momenta of FA-HMC,
// p ~ N(0, M), have the radial power spectrum P(k) = M(k) = βk̂² + m²
// (polyspectra.RadialSpectrum).
func TestFourierMomentaSpectrum(t *testing.T) {
	const l, bins, n = 32, 8, 300
	rng := rand.New(rand.NewPCG(4, 4))
	f := field.New(l, l)
	kin := newFourierKinetic(l, 0.68, 0.5)
	s, err := polyspectra.NewRadialSpectrum(l, bins)
	if err != nil {
		t.Fatal(err)
	}
	xi := make([]float64, l*l)
	for i := 0; i < n; i++ {
		kin.sample(f.Data, xi, rng)
		if err := s.Add(f.Data); err != nil {
			t.Fatal(err)
		}
	}
	_, p := s.Result()
	// Expected: mean of M(k) over the modes of each bin.
	want, cnt := make([]float64, bins), make([]float64, bins)
	for i := 0; i < l*(l/2+1); i++ {
		b := min(int(wavenumber(l, i)/(math.Pi*math.Sqrt2)*bins), bins-1)
		w := halfWeight(l, i)
		want[b] += w * (0.68*latticeMomentum2(l, i) + 0.5)
		cnt[b] += w
	}
	for b := 1; b < bins; b++ {
		if w := want[b] / cnt[b]; math.Abs(p[b]/w-1) > 0.05 {
			t.Errorf("FA momenta bin %d: P = %.3f, want %.3f", b, p[b], w)
		}
	}
}

// wavenumber returns |k| = (k₁² + k₂²)^½ for the half-spectrum index i,
// with k_μ = 2πn_μ/L and n_μ taken in (−L/2, L/2].
func wavenumber(l, i int) float64 {
	n1, n2 := halfIndex(l, i)
	if 2*n2 > l {
		n2 -= l
	}
	k1 := 2 * math.Pi * float64(n1) / float64(l)
	k2 := 2 * math.Pi * float64(n2) / float64(l)
	return math.Hypot(k1, k2)
}
