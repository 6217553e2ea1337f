package polyspectra

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestOctaveRingsLayout checks the rings of square power-of-two grids:
// 2·log2(N) − 1 half-octave rings from 1 to the corner (13 at 128²) with
// edges 2^{i/2}, every non-zero frequency in exactly one ring (the modes
// sum to N² − 1), lattice points on an edge (|k|² = 2, 4, 8) in the ring
// above, empty rings dropped at 4 per octave, and bad arguments refused.
func TestOctaveRingsLayout(t *testing.T) {
	for _, n := range []int{16, 32, 128} {
		rs, err := NewOctaveRings(n, n, 2)
		if err != nil {
			t.Fatal(err)
		}
		want := 2*int(math.Round(math.Log2(float64(n)))) - 1
		if rs.Len() != want {
			t.Errorf("%d²: %d half-octave rings, want %d", n, rs.Len(), want)
		}
		lo, hi := rs.Edges()
		for i := range lo {
			if math.Abs(lo[i]-math.Pow(2, float64(i)/2)) > 1e-12 || math.Abs(hi[i]-math.Pow(2, float64(i+1)/2)) > 1e-9*hi[i] {
				t.Errorf("%d²: ring %d [%v, %v)", n, i, lo[i], hi[i])
			}
		}
		var total int
		for _, m := range rs.Modes() {
			total += m
		}
		if total != n*n-1 {
			t.Errorf("%d²: %d frequencies in rings, want %d", n, total, n*n-1)
		}
	}
	rs, err := NewOctaveRings(128, 128, 2)
	if err != nil {
		t.Fatal(err)
	}
	// |k| = 1: 4 modes; |k| = √2: 4; |k| ∈ {2, √5}: 4 + 8 = 12.
	if m := rs.Modes(); m[0] != 4 || m[1] != 4 || m[2] != 12 {
		t.Errorf("lowest rings hold %v modes, want 4, 4, 12", m[:3])
	}
	q, err := NewOctaveRings(128, 128, 4)
	if err != nil {
		t.Fatal(err)
	}
	lo, _ := q.Edges()
	// 26 raw rings; no lattice |k| in [2^{1/4}, 2^{1/2}), [2^{3/4}, 2) nor
	// [2^{5/4}, 2^{3/2}) (|k|² = 2, 4, 5, 8 lie on or next to those edges):
	// those three are dropped.
	if q.Len() != 23 || math.Abs(lo[1]-math.Sqrt2) > 1e-12 || math.Abs(lo[2]-2) > 1e-12 || math.Abs(lo[3]-2*math.Sqrt2) > 1e-12 {
		t.Errorf("4 per octave: %d rings, lower edges %v", q.Len(), lo[:4])
	}
	for _, bad := range []struct{ w, h, r int }{{1, 8, 2}, {8, 1, 2}, {8, 8, 0}, {8, 8, MaxRingsPerOctave + 1}} {
		if _, err := NewOctaveRings(bad.w, bad.h, bad.r); err == nil {
			t.Errorf("NewOctaveRings(%d, %d, %d) gave no error", bad.w, bad.h, bad.r)
		}
	}
	if err := rs.Power(make([]float64, 3), make([]float64, 128*128)); err == nil {
		t.Error("Power into a short destination gave no error")
	}
	if err := rs.Power(make([]float64, rs.Len()), make([]float64, 10)); err == nil {
		t.Error("Power of a short field gave no error")
	}
}

// TestOctaveRingsPower checks the normalisation on white noise (P_i ≈ σ²)
// and on a plane wave, and that Power does not allocate.
func TestOctaveRingsPower(t *testing.T) {
	const n, sigma = 64, 1.5
	rs, err := NewOctaveRings(n, n, 2)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, n*n)
	p := make([]float64, rs.Len())
	sum := make([]float64, rs.Len())
	const draws = 200
	for range draws {
		for i := range x {
			x[i] = sigma * r.NormFloat64()
		}
		if err := rs.Power(p, x); err != nil {
			t.Fatal(err)
		}
		for i, v := range p {
			sum[i] += v / draws
		}
	}
	modes := rs.Modes()
	for i, v := range sum {
		// The mean of m_i independent-ish periodogram values over draws.
		tol := 4 / math.Sqrt(float64(modes[i])*draws/2)
		if math.Abs(v/(sigma*sigma)-1) > tol {
			t.Errorf("white noise ring %d: P = %.4f, want %.4f ± %.0f%%", i, v, sigma*sigma, 100*tol)
		}
	}
	// cos(2π(3x + 4y)/n): |k| = 5, |x̂(±k)|² = n⁴/4, so P = (n⁴/2)/(m·n²) in ring ⌊2 log2 5⌋ = 4.
	for yy := range n {
		for xx := range n {
			x[yy*n+xx] = math.Cos(2 * math.Pi * float64(3*xx+4*yy) / n)
		}
	}
	if err := rs.Power(p, x); err != nil {
		t.Fatal(err)
	}
	for i, v := range p {
		want := 0.0
		if i == 4 {
			want = 0.5 * n * n / float64(modes[4])
		}
		if math.Abs(v-want) > 1e-12*max(1, want) {
			t.Errorf("plane wave ring %d: P = %v, want %v", i, v, want)
		}
	}
	if a := testing.AllocsPerRun(10, func() { _ = rs.Power(p, x) }); a != 0 {
		t.Errorf("Power allocates %v times per call", a)
	}
}

// TestHalfOctaveSpectrumError checks the error: 0 against itself, the
// mean |log ratio| of a rescaled field (log c² in every ring), symmetric
// in a plain rescaling, the floor for a ring the reference does not have
// (a low-passed reference against white noise), and errors for bad
// fields.
func TestHalfOctaveSpectrumError(t *testing.T) {
	const n = 32
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, n*n)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	if e, err := HalfOctaveSpectrumError(x, x, n, n); err != nil || e != 0 {
		t.Errorf("E(x, x) = %v, %v", e, err)
	}
	y := make([]float64, n*n)
	for i, v := range x {
		y[i] = 3 * v
	}
	e, err := HalfOctaveSpectrumError(y, x, n, n)
	// log((9P + f)/(P + f)) with f = 10⁻⁴σ² and P ≈ σ²: log 9 − 9·10⁻⁵.
	if err != nil || e > math.Log(9) || e < math.Log(9)-2e-4 {
		t.Errorf("E(3x, x) = %v (%v), want just below log 9 = %v", e, err, math.Log(9))
	}
	// A reference without power above |k| = 4: the rings beyond compare
	// (P + f)/(0 + f) with f = 10⁻⁴·σ², not an infinite log ratio.
	rs, err := NewOctaveRings(n, n, 2)
	if err != nil {
		t.Fatal(err)
	}
	low := lowPassed(x, n, 4)
	e, err = rs.SpectrumError(x, low)
	if err != nil || math.IsInf(e, 0) || math.IsNaN(e) || e < 5 {
		t.Errorf("E(white, low-passed) = %v (%v), want finite and large", e, err)
	}
	if _, err := HalfOctaveSpectrumError(x[:10], x, n, n); err == nil {
		t.Error("a short field gave no error")
	}
	bad := append([]float64(nil), x...)
	bad[3] = math.NaN()
	if _, err := HalfOctaveSpectrumError(bad, x, n, n); err == nil {
		t.Error("a NaN gave no error")
	}
}

// lowPassed returns x with the frequencies |k| > kmax removed (a direct
// O(n⁴) DFT, for small n).
func lowPassed(x []float64, n int, kmax float64) []float64 {
	out := make([]float64, n*n)
	for ky := range n {
		for kx := range n {
			fx, fy := float64(kx), float64(ky)
			if 2*kx >= n {
				fx -= float64(n)
			}
			if 2*ky >= n {
				fy -= float64(n)
			}
			if math.Hypot(fx, fy) > kmax {
				continue
			}
			var re, im float64
			for y := range n {
				for xx := range n {
					a := -2 * math.Pi * float64(kx*xx+ky*y) / float64(n)
					re += x[y*n+xx] * math.Cos(a)
					im += x[y*n+xx] * math.Sin(a)
				}
			}
			for y := range n {
				for xx := range n {
					a := 2 * math.Pi * float64(kx*xx+ky*y) / float64(n)
					out[y*n+xx] += (re*math.Cos(a) - im*math.Sin(a)) / float64(n*n)
				}
			}
		}
	}
	return out
}
