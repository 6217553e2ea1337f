package wavelet

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Wavelet is an orthogonal wavelet given by its low-pass reconstruction
// filter Lo = h of even length L, normalised so that Σ h[n] = √2 and
// Σ h[n] h[n+2k] = δ_k (Daubechies, "Ten Lectures on Wavelets", §6.4;
// Mallat, "A Wavelet Tour of Signal Processing", ch. 7, conjugate mirror
// filters).
type Wavelet struct {
	// Name is a short identifier such as "haar" or "db4".
	Name string
	// Lo is the low-pass filter h. It is used read-only by this package.
	Lo []float64
}

// Hi returns a new slice holding the high-pass filter, the alternating flip
// of h (Mallat, ch. 7, conjugate mirror filters):
//
//	g[n] = (−1)^n h[L−1−n],   n = 0..L−1.
func (w *Wavelet) Hi() []float64 {
	return highPass(make([]float64, len(w.Lo)), w.Lo)
}

// highPass writes the alternating flip of h into g and returns g;
// len(g) must equal len(h).
func highPass(g, h []float64) []float64 {
	l := len(h)
	g = g[:l]
	for n := range g {
		v := h[l-1-n]
		if n%2 == 1 {
			v = -v
		}
		g[n] = v
	}
	return g
}

// VanishingMoments returns the number p of vanishing moments of the wavelet:
// the largest p such that
//
//	Σ_n n^k g[n] = 0   for k = 0..p−1
//
// (Mallat, ch. 7, vanishing moments; equivalently (1+e^{−iω})^p divides ĥ(ω)). It is
// computed numerically from the filter (moments taken about the filter
// centre, to a relative tolerance of 1e−9), so it also holds for
// user-supplied filters; for Daubechies(p) it is p.
func (w *Wavelet) VanishingMoments() int {
	g := w.Hi()
	c := float64(len(g)-1) / 2
	p := 0
	for k := 0; k < len(g); k++ {
		var m, scale float64
		for n, gn := range g {
			t := math.Pow(float64(n)-c, float64(k))
			m += gn * t
			scale += math.Abs(gn * t)
		}
		if scale == 0 || math.Abs(m) > 1e-9*scale {
			break
		}
		p++
	}
	return p
}

// filterTol is the tolerance of the orthonormality checks on a filter.
const filterTol = 1e-9

// check reports whether w is a usable orthonormal filter: non-empty, even
// length, finite, Σh = √2 and Σ h[n]h[n+2k] = δ_k to within filterTol.
func (w *Wavelet) check() error {
	if w == nil {
		return errors.New("wavelet: nil wavelet")
	}
	h := w.Lo
	l := len(h)
	if l < 2 || l%2 != 0 {
		return fmt.Errorf("wavelet: %q has %d filter taps; an orthogonal filter needs an even number ≥ 2", w.Name, l)
	}
	sum := 0.0
	for n, v := range h {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("wavelet: %q has a non-finite tap h[%d] = %v", w.Name, n, v)
		}
		sum += v
	}
	if math.Abs(sum-math.Sqrt2) > filterTol {
		return fmt.Errorf("wavelet: %q has Σh = %.15g; want √2", w.Name, sum)
	}
	for k := 0; 2*k < l; k++ {
		s := 0.0
		for n := 0; n+2*k < l; n++ {
			s += h[n] * h[n+2*k]
		}
		want := 0.0
		if k == 0 {
			want = 1
		}
		if math.Abs(s-want) > filterTol {
			return fmt.Errorf("wavelet: %q is not orthonormal: Σ h[n]h[n+%d] = %.3g, want %g", w.Name, 2*k, s, want)
		}
	}
	return nil
}

// names lists the wavelets known to ByName with their number of vanishing
// moments, in the order returned by Names.
var names = []struct {
	name string
	p    int
}{
	{"haar", 1}, {"db2", 2}, {"db3", 3}, {"db4", 4},
	{"db5", 5}, {"db6", 6}, {"db7", 7}, {"db8", 8},
}

// Names returns the names accepted by ByName, shortest filter first:
// "haar", "db2", …, "db8". ("db1" is also accepted as a synonym of "haar".)
func Names() []string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = n.name
	}
	return s
}

// ByName returns the named wavelet: "haar" (also "db1") or "dbp" for the
// Daubechies wavelet with p = 2..8 vanishing moments and 2p taps (see
// Daubechies). Names are case-insensitive. Each call returns a new Wavelet.
func ByName(name string) (*Wavelet, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if key == "db1" {
		key = "haar"
	}
	for _, n := range names {
		if n.name == key {
			return Daubechies(n.p)
		}
	}
	return nil, fmt.Errorf("wavelet: unknown wavelet %q; valid names are %s", name, strings.Join(Names(), ", "))
}
