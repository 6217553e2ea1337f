package phi4

import (
	"math"
	"math/rand/v2"
	"testing"

	"scalewise/engine/field"
)

func TestMoments(t *testing.T) {
	constant := func(c float64) *field.Field {
		f := field.New(8, 8)
		for i := range f.Data {
			f.Data[i] = c
		}
		return f
	}
	tests := []struct {
		name             string
		fields           []float64 // constant fields
		phi2, m2, binder float64
	}{
		{"two ordered states", []float64{0.9, -0.9}, 0.81, 0.81, 2.0 / 3},
		{"three levels", []float64{1, -1, 2}, 2, 2, 1 - 6.0/(3*4)},
	}
	for _, tc := range tests {
		var a Moments
		for _, c := range tc.fields {
			if err := a.Add(constant(c)); err != nil {
				t.Fatal(err)
			}
		}
		if math.Abs(a.Phi2()-tc.phi2) > 1e-12 || math.Abs(a.M2()-tc.m2) > 1e-12 || math.Abs(a.Binder()-tc.binder) > 1e-12 {
			t.Errorf("%s: ⟨φ²⟩ %v ⟨m²⟩ %v U %v, want %v %v %v", tc.name, a.Phi2(), a.M2(), a.Binder(), tc.phi2, tc.m2, tc.binder)
		}
	}
	// A Gaussian magnetisation has U = 0.
	rng := rand.New(rand.NewPCG(1, 1))
	var g Moments
	for i := 0; i < 200000; i++ {
		g.Add(constant(rng.NormFloat64()))
	}
	if u := g.Binder(); math.Abs(u) > 0.02 {
		t.Errorf("Gaussian m: U = %v, want 0", u)
	}
	var empty Moments
	if !math.IsNaN(empty.Binder()) || !math.IsNaN(empty.Phi2()) {
		t.Error("empty Moments should give NaN")
	}
	if empty.Add(nil) == nil {
		t.Error("Add(nil) gave no error")
	}
	if !math.IsNaN(Magnetisation(nil)) || !math.IsNaN(MeanSquare(&field.Field{})) {
		t.Error("Magnetisation/MeanSquare of nil or empty fields should be NaN")
	}
}

func TestHistogram(t *testing.T) {
	edges, err := UniformEdges(-1, 1, 4)
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHistogram(edges)
	if err != nil {
		t.Fatal(err)
	}
	h.AddValues([]float64{-1, -0.75, -0.5, 0, 0.2, 0.99, 1, 1.5, math.NaN(), -2})
	want := []float64{2, 1, 2, 2}
	got := h.Counts()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("counts %v, want %v", got, want)
		}
	}
	if h.Total() != 10 || h.Outside() != 3 {
		t.Errorf("total %d outside %d, want 10 and 3", h.Total(), h.Outside())
	}
	integral := 0.0
	for i, d := range h.Density() {
		integral += d * (edges[i+1] - edges[i])
	}
	if math.Abs(integral-0.7) > 1e-12 {
		t.Errorf("density integrates to %v, want 0.7", integral)
	}
	for _, bad := range [][]float64{nil, {1}, {0, 0}, {1, 0}, {0, math.NaN()}, {0, math.Inf(1)}} {
		if _, err := NewHistogram(bad); err == nil {
			t.Errorf("NewHistogram(%v) gave no error", bad)
		}
	}
	for _, bad := range []struct {
		lo, hi float64
		n      int
	}{{0, 1, 0}, {1, 1, 3}, {0, math.Inf(1), 3}, {math.NaN(), 1, 3}} {
		if _, err := UniformEdges(bad.lo, bad.hi, bad.n); err == nil {
			t.Errorf("UniformEdges(%v, %v, %d) gave no error", bad.lo, bad.hi, bad.n)
		}
	}
}

// TestSpectrumWhiteNoise checks that white noise of variance σ² has a flat
// spectrum P(k) = σ², and that the Fourier momenta of FA-HMC, p ~ N(0, M),
// have P(k) = M(k) = βk̂² + m².
func TestSpectrumWhiteNoise(t *testing.T) {
	const l, bins, n, sigma = 32, 8, 300, 1.7
	s, err := NewSpectrum(l, bins)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(4, 4))
	f := field.New(l, l)
	for i := 0; i < n; i++ {
		for j := range f.Data {
			f.Data[j] = sigma * rng.NormFloat64()
		}
		if err := s.Add(f); err != nil {
			t.Fatal(err)
		}
	}
	k, p := s.Result()
	for b := range p {
		// Bin 0 holds few modes; the others hundreds, each of n fields.
		tol := 0.05
		if b == 0 {
			tol = 0.25
		}
		if math.Abs(p[b]/(sigma*sigma)-1) > tol {
			t.Errorf("bin %d (|k| ≈ %.2f): P = %.3f, want %.3f", b, k[b], p[b], sigma*sigma)
		}
	}

	// Momenta of the Fourier kinetic energy: P(k) = M(k) exactly in mean.
	kin := newFourierKinetic(l, 0.68, 0.5)
	s2, _ := NewSpectrum(l, bins)
	xi := make([]float64, l*l)
	for i := 0; i < n; i++ {
		kin.sample(f.Data, xi, rng)
		s2.Add(f)
	}
	_, p2 := s2.Result()
	// Expected: mean of M(k) over the modes of each bin.
	want, cnt := make([]float64, bins), make([]float64, bins)
	for i := 0; i < l*(l/2+1); i++ {
		b := min(int(wavenumber(l, i)/(math.Pi*math.Sqrt2)*bins), bins-1)
		w := halfWeight(l, i)
		want[b] += w * (0.68*latticeMomentum2(l, i) + 0.5)
		cnt[b] += w
	}
	for b := 1; b < bins; b++ {
		if w := want[b] / cnt[b]; math.Abs(p2[b]/w-1) > 0.05 {
			t.Errorf("FA momenta bin %d: P = %.3f, want %.3f", b, p2[b], w)
		}
	}

	for _, bad := range []struct{ l, bins int }{{0, 4}, {12, 4}, {512, 4}, {8, 0}, {8, 65}} {
		if _, err := NewSpectrum(bad.l, bad.bins); err == nil {
			t.Errorf("NewSpectrum(%d, %d) gave no error", bad.l, bad.bins)
		}
	}
	if s.Add(field.New(16, 16)) == nil || s.Add(nil) == nil {
		t.Error("Spectrum.Add of a wrong field gave no error")
	}
}
