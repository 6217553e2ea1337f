package polyspectra

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRadialSpectrumWhiteNoise checks that white noise of variance σ² has
// a flat spectrum P(k) = σ², and that bad sizes and fields are reported.
func TestRadialSpectrumWhiteNoise(t *testing.T) {
	const l, bins, n, sigma = 32, 8, 300, 1.7
	s, err := NewRadialSpectrum(l, bins)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(4, 4))
	f := make([]float64, l*l)
	for i := 0; i < n; i++ {
		for j := range f {
			f[j] = sigma * rng.NormFloat64()
		}
		if err := s.Add(f); err != nil {
			t.Fatal(err)
		}
	}
	if s.N() != n {
		t.Errorf("N = %d, want %d", s.N(), n)
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
	for _, bad := range []struct{ l, bins int }{{0, 4}, {12, 4}, {512, 4}, {8, 0}, {8, 65}} {
		if _, err := NewRadialSpectrum(bad.l, bad.bins); err == nil {
			t.Errorf("NewRadialSpectrum(%d, %d) gave no error", bad.l, bad.bins)
		}
	}
	if s.Add(make([]float64, 16*16)) == nil || s.Add(nil) == nil {
		t.Error("RadialSpectrum.Add of a wrong field gave no error")
	}
	if a := testing.AllocsPerRun(10, func() { _ = s.Add(f) }); a != 0 {
		t.Errorf("RadialSpectrum.Add allocates %v times per call", a)
	}
}

// TestRadialSpectrumPlaneWave checks the normalisation and the binning on
// a plane wave cos(k·x) of k = 2π(3, 4)/L: the power L²/4 of each of ±k is
// averaged over the modes of the bin of |k|, and an empty spectrum is NaN.
func TestRadialSpectrumPlaneWave(t *testing.T) {
	const l, bins = 16, 4
	s, err := NewRadialSpectrum(l, bins)
	if err != nil {
		t.Fatal(err)
	}
	if _, p := s.Result(); !math.IsNaN(p[0]) {
		t.Errorf("empty spectrum: P = %v, want NaN", p)
	}
	x := make([]float64, l*l)
	for r := range l {
		for c := range l {
			x[r*l+c] = math.Cos(2 * math.Pi * float64(3*c+4*r) / l)
		}
	}
	if err := s.Add(x); err != nil {
		t.Fatal(err)
	}
	kmax := math.Pi * math.Sqrt2
	modes := make([]float64, bins)
	for r := range l {
		for c := range l {
			modes[min(int(wavenumber(signed(c, l), signed(r, l), l)/kmax*bins), bins-1)]++
		}
	}
	wb := min(int(wavenumber(3, 4, l)/kmax*bins), bins-1)
	_, p := s.Result()
	for b := range p {
		want := 0.0
		if b == wb {
			want = 2 * (l * l / 4.0) / modes[b]
		}
		if math.Abs(p[b]-want) > 1e-12 {
			t.Errorf("bin %d: P = %v, want %v", b, p[b], want)
		}
	}
}

// wavenumber is |k| for k = 2π(n₁, n₂)/l, computed as NewRadialSpectrum
// does (so that modes on a bin edge fall in the same bin).
func wavenumber(n1, n2, l int) float64 {
	return math.Hypot(2*math.Pi*float64(n1)/float64(l), 2*math.Pi*float64(n2)/float64(l))
}

// signed is the frequency of index k on an axis of length n taken in
// (−n/2, n/2].
func signed(k, n int) int {
	if 2*k > n {
		return k - n
	}
	return k
}
