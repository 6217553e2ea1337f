package wavelet

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestKnownFilters(t *testing.T) {
	s10 := math.Sqrt(10)
	r := math.Sqrt(5 + 2*s10)
	tests := []struct {
		name string
		want []float64
		tol  float64
	}{
		{"haar", []float64{1 / math.Sqrt2, 1 / math.Sqrt2}, 1e-16},
		{"db1", []float64{1 / math.Sqrt2, 1 / math.Sqrt2}, 1e-16},
		// Closed forms for p = 2 and 3 (Daubechies, Ten Lectures, §6.4).
		{"db2", []float64{
			(1 + math.Sqrt(3)) / (4 * math.Sqrt2), (3 + math.Sqrt(3)) / (4 * math.Sqrt2),
			(3 - math.Sqrt(3)) / (4 * math.Sqrt2), (1 - math.Sqrt(3)) / (4 * math.Sqrt2),
		}, 1e-15},
		{"db3", []float64{
			math.Sqrt2 / 32 * (1 + s10 + r), math.Sqrt2 / 32 * (5 + s10 + 3*r),
			math.Sqrt2 / 32 * (10 - 2*s10 + 2*r), math.Sqrt2 / 32 * (10 - 2*s10 - 2*r),
			math.Sqrt2 / 32 * (5 + s10 - 3*r), math.Sqrt2 / 32 * (1 + s10 - r),
		}, 1e-15},
		// Reference rec_lo for db4, 12 digits.
		{"db4", []float64{
			0.230377813309, 0.714846570553, 0.630880767930, -0.027983769417,
			-0.187034811719, 0.030841381836, 0.032883011667, -0.010597401785,
		}, 1e-10},
	}
	for _, tc := range tests {
		w, err := ByName(tc.name)
		if err != nil {
			t.Fatalf("ByName(%q): %v", tc.name, err)
		}
		if len(w.Lo) != len(tc.want) {
			t.Fatalf("%s: %d taps, want %d", tc.name, len(w.Lo), len(tc.want))
		}
		for n := range tc.want {
			if d := math.Abs(w.Lo[n] - tc.want[n]); d > tc.tol {
				t.Errorf("%s: h[%d] = %.17g, want %.17g (diff %.2g)", tc.name, n, w.Lo[n], tc.want[n], d)
			}
		}
	}
}

func TestFilterOrthonormality(t *testing.T) {
	for p := 1; p <= MaxDaubechies; p++ {
		w, err := Daubechies(p)
		if err != nil {
			t.Fatal(err)
		}
		h, g := w.Lo, w.Hi()
		if len(h) != 2*p || len(g) != 2*p {
			t.Errorf("db%d: %d, %d taps, want %d", p, len(h), len(g), 2*p)
		}
		var sh, sg float64
		for n := range h {
			sh += h[n]
			sg += g[n]
		}
		if math.Abs(sh-math.Sqrt2) > 1e-14 {
			t.Errorf("db%d: Σh = %.17g, want √2", p, sh)
		}
		if math.Abs(sg) > 1e-14 {
			t.Errorf("db%d: Σg = %.3g, want 0", p, sg)
		}
		// Σ h[n]h[n+2k] = Σ g[n]g[n+2k] = δ_k, Σ h[n]g[n+2k] = 0 for all k.
		for k := -p + 1; k < p; k++ {
			var hh, gg, hg float64
			for n := range h {
				if m := n + 2*k; m >= 0 && m < len(h) {
					hh += h[n] * h[m]
					gg += g[n] * g[m]
					hg += h[n] * g[m]
				}
			}
			want := 0.0
			if k == 0 {
				want = 1
			}
			if math.Abs(hh-want) > 1e-14 || math.Abs(gg-want) > 1e-14 || math.Abs(hg) > 1e-14 {
				t.Errorf("db%d, shift %d: Σhh = %.3g, Σgg = %.3g, Σhg = %.3g; want %g, %g, 0", p, 2*k, hh, gg, hg, want, want)
			}
		}
		if got := w.VanishingMoments(); got != p {
			t.Errorf("db%d: VanishingMoments() = %d, want %d", p, got, p)
		}
		if err := w.check(); err != nil {
			t.Errorf("db%d: %v", p, err)
		}
	}
}

// TestFilterMoments checks Σ (n−c)^k g[n] = 0 for k < p directly (Mallat,
// ch. 7, vanishing moments), relative to Σ |(n−c)^k g[n]|, and that the p-th moment is not 0.
func TestFilterMoments(t *testing.T) {
	for p := 1; p <= MaxDaubechies; p++ {
		w, _ := Daubechies(p)
		g := w.Hi()
		c := float64(len(g)-1) / 2 // the p-th moment is best conditioned about the centre
		for k := 0; k <= p; k++ {
			var m, scale float64
			for n, gn := range g {
				v := gn * math.Pow(float64(n)-c, float64(k))
				m += v
				scale += math.Abs(v)
			}
			rel := math.Abs(m) / scale
			if k < p && rel > 1e-12 {
				t.Errorf("db%d: moment %d = %.3g relative, want 0", p, k, rel)
			}
			if k == p && rel < 1e-6 {
				t.Errorf("db%d: moment %d = %.3g relative, want nonzero", p, k, rel)
			}
		}
	}
}

func TestHi(t *testing.T) {
	w, _ := ByName("db2")
	want := []float64{-0.12940952255126037, -0.2241438680420134, 0.8365163037378078, -0.48296291314453416}
	got := w.Hi()
	for n := range want {
		if math.Abs(got[n]-want[n]) > 1e-15 {
			t.Errorf("g[%d] = %.17g, want %.17g", n, got[n], want[n])
		}
	}
	got[0] = 42
	if w.Hi()[0] == 42 {
		t.Error("Hi returned shared storage")
	}
}

func TestNames(t *testing.T) {
	want := []string{"haar", "db2", "db3", "db4", "db5", "db6", "db7", "db8"}
	if got := Names(); !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	for i, name := range Names() {
		w, err := ByName(name)
		if err != nil {
			t.Fatalf("ByName(%q): %v", name, err)
		}
		if w.Name != name || len(w.Lo) != 2*(i+1) {
			t.Errorf("ByName(%q) = %q with %d taps", name, w.Name, len(w.Lo))
		}
	}
	if w, err := ByName(" DB4 "); err != nil || w.Name != "db4" {
		t.Errorf("ByName(\" DB4 \") = %v, %v", w, err)
	}
	for _, bad := range []string{"", "db0", "db9", "sym4", "haar2"} {
		_, err := ByName(bad)
		if err == nil {
			t.Errorf("ByName(%q): no error", bad)
			continue
		}
		if !strings.Contains(err.Error(), strings.Join(want, ", ")) {
			t.Errorf("ByName(%q) error %q does not list the valid names", bad, err)
		}
	}
	for _, p := range []int{-1, 0, MaxDaubechies + 1} {
		if _, err := Daubechies(p); err == nil {
			t.Errorf("Daubechies(%d): no error", p)
		}
	}
}

func TestVanishingMomentsCustom(t *testing.T) {
	tests := []struct {
		lo   []float64
		want int
	}{
		// Haar with a gap: g = (h3, −h2, h1, −h0) = (s, 0, 0, −s) has one vanishing moment.
		{[]float64{1 / math.Sqrt2, 0, 0, 1 / math.Sqrt2}, 1},
		// Not a low-pass filter at all: Σg ≠ 0.
		{[]float64{1, 0}, 0},
	}
	for _, tc := range tests {
		w := &Wavelet{Name: "custom", Lo: tc.lo}
		if got := w.VanishingMoments(); got != tc.want {
			t.Errorf("VanishingMoments(%v) = %d, want %d", tc.lo, got, tc.want)
		}
	}
}

// TestPolynomialDetails checks that a polynomial of total degree < p in x
// and y has zero detail coefficients wherever the filter support of the
// coefficient does not wrap around the periodic boundary.
func TestPolynomialDetails(t *testing.T) {
	const n, levels = 128, 2
	for _, w := range allWavelets(t) {
		p := w.VanishingMoments()
		l := len(w.Lo)
		// Coefficients c[a][b] of u^a v^b, a+b < p, u = x/n, v = y/n.
		poly := func(x, y int) float64 {
			u, v := float64(x)/n, float64(y)/n
			s := 0.0
			for a := range p {
				for b := 0; a+b < p; b++ {
					s += float64(1+a+2*b) * math.Pow(u, float64(a)) * math.Pow(v, float64(b)) * math.Pow(-1, float64(a*b))
				}
			}
			return s
		}
		x := make([]float64, n*n)
		peak := 0.0
		for yy := range n {
			for xx := range n {
				x[yy*n+xx] = poly(xx, yy)
				peak = math.Max(peak, math.Abs(x[yy*n+xx]))
			}
		}
		tr, err := NewTransform(w, n, n, levels)
		if err != nil {
			t.Fatal(err)
		}
		c := make([]float64, n*n)
		_ = tr.Forward(c, x)
		checked := 0
		for j := 1; j <= levels; j++ {
			s := n >> j
			// Coefficient k of level j uses samples 2^j k .. 2^j k + (2^j−1)(L−1).
			valid := func(k int) bool { return (k<<j)+((1<<j)-1)*(l-1) < n }
			tol := 1e-9 * peak * float64(int(1)<<j)
			for _, q := range [][2]int{{0, 1}, {1, 0}, {1, 1}} { // H, V, D quadrants
				for ky := 0; ky < s && valid(ky); ky++ {
					for kx := 0; kx < s && valid(kx); kx++ {
						v := c[(q[1]*s+ky)*n+q[0]*s+kx]
						if math.Abs(v) > tol {
							t.Fatalf("%s level %d quadrant %v at (%d,%d): detail %.3g, want 0 (tol %.3g)", w.Name, j, q, kx, ky, v, tol)
						}
						checked++
					}
				}
			}
		}
		if checked < 3*16 {
			t.Errorf("%s: only %d coefficients checked", w.Name, checked)
		}
	}
}
