package phi4

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

// TestFFT2 compares the half spectrum with the direct DFT and checks that
// inverse undoes forward.
func TestFFT2(t *testing.T) {
	for _, l := range []int{1, 2, 4, 8, 16} {
		x := randomField(l, uint64(l)+11).Data
		p := newFFT2(l)
		p.forward(x)
		half := l/2 + 1
		for k2 := 0; k2 < l; k2++ {
			for k1 := 0; k1 < half; k1++ {
				var want complex128
				for y := 0; y < l; y++ {
					for xx := 0; xx < l; xx++ {
						ph := -2 * math.Pi * float64(k1*xx+k2*y) / float64(l)
						want += complex(x[y*l+xx], 0) * cmplx.Exp(complex(0, ph))
					}
				}
				if got := p.spec[k1*l+k2]; cmplx.Abs(got-want) > 1e-9*float64(l*l) {
					t.Fatalf("L=%d k=(%d,%d): %v, want %v", l, k1, k2, got, want)
				}
			}
		}
		y := make([]float64, l*l)
		p.inverse(y)
		for i := range x {
			if math.Abs(y[i]-x[i]) > 1e-12 {
				t.Fatalf("L=%d: inverse(forward(x))[%d] = %v, want %v", l, i, y[i], x[i])
			}
		}
	}
}

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
		k.plan.filter(half, x, k.sqrtM)
		k.plan.filter(half, half, k.sqrtM)
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
