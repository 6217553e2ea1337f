package fourier

import (
	"math"
	"testing"
)

// TestHalf checks ForwardHalf against the kept columns of ForwardReal (bit
// for bit), InverseHalf(ForwardHalf(x)) = x, and InverseHalf of a general
// half spectrum against the real part of Inverse of its documented full
// extension, on odd and even sizes.
func TestHalf(t *testing.T) {
	sizes := append([]struct{ m, n int }{{48, 64}, {33, 20}, {64, 64}, {5, 9}}, smallSizes...)
	for _, s := range sizes {
		p, err := NewPlan2D(s.m, s.n)
		if err != nil {
			t.Fatal(err)
		}
		m, n, h := s.m, s.n, s.n/2+1
		if p.HalfCols() != h || p.HalfLen() != m*h {
			t.Fatalf("%d×%d: HalfCols, HalfLen = %d, %d", m, n, p.HalfCols(), p.HalfLen())
		}
		x := randomReal(m*n, uint64(m*n)+7)
		full := make([]complex128, m*n)
		if err := p.ForwardReal(full, x); err != nil {
			t.Fatal(err)
		}
		half := make([]complex128, m*h)
		if err := p.ForwardHalf(half, x); err != nil {
			t.Fatal(err)
		}
		for kr := range m {
			for kc := range h {
				if got, want := half[kr*h+kc], full[kr*n+kc]; got != want {
					t.Fatalf("%d×%d: ForwardHalf[%d, %d] = %v, ForwardReal %v", m, n, kr, kc, got, want)
				}
			}
		}
		back := make([]float64, m*n)
		saved := append([]complex128(nil), half...)
		if err := p.InverseHalf(back, half); err != nil {
			t.Fatal(err)
		}
		if maxAbsDiff(half, saved) != 0 {
			t.Errorf("%d×%d: InverseHalf modified its source", m, n)
		}
		for i := range x {
			if math.Abs(back[i]-x[i]) > 1e-12 {
				t.Fatalf("%d×%d: InverseHalf(ForwardHalf(x))[%d] = %v, want %v", m, n, i, back[i], x[i])
			}
		}
		// A general half spectrum (columns 0 and N/2 not Hermitian):
		// X = src on k_c ≤ N/2, X[k_r, k_c] = src[−k_r, N − k_c]* beyond.
		z := randomComplex(m*h, uint64(m*n)+8)
		ext := make([]complex128, m*n)
		for kr := range m {
			for kc := range n {
				if kc < h {
					ext[kr*n+kc] = z[kr*h+kc]
				} else {
					v := z[((m-kr)%m)*h+n-kc]
					ext[kr*n+kc] = complex(real(v), -imag(v))
				}
			}
		}
		inv := make([]complex128, m*n)
		if err := p.Inverse(inv, ext); err != nil {
			t.Fatal(err)
		}
		if err := p.InverseHalf(back, z); err != nil {
			t.Fatal(err)
		}
		for i := range inv {
			if math.Abs(back[i]-real(inv[i])) > 1e-12 {
				t.Fatalf("%d×%d: InverseHalf[%d] = %v, want Re Inverse = %v", m, n, i, back[i], real(inv[i]))
			}
		}
	}
}

// TestFilterHalf checks FilterHalf with a gain even on the columns 0 and
// N/2 against ForwardHalf, the product and InverseHalf (also in place), and
// against Re Inverse(G·Forward) with the documented full gain G.
func TestFilterHalf(t *testing.T) {
	sizes := append([]struct{ m, n int }{{48, 64}, {33, 20}, {5, 9}}, smallSizes...)
	for _, s := range sizes {
		p, err := NewPlan2D(s.m, s.n)
		if err != nil {
			t.Fatal(err)
		}
		m, n, h := s.m, s.n, s.n/2+1
		x := randomReal(m*n, uint64(m*n)+9)
		g := randomReal(m*h, uint64(m*n)+10)
		for kr := range m { // even on the columns 0 and N/2
			g[kr*h] = math.Abs(float64(SignedIndex(kr, m)))
			g[kr*h+n/2] = math.Abs(float64(SignedIndex(kr, m))) + 1
		}
		spec := make([]complex128, m*h)
		if err := p.ForwardHalf(spec, x); err != nil {
			t.Fatal(err)
		}
		for i, v := range g {
			spec[i] *= complex(v, 0)
		}
		want := make([]float64, m*n)
		if err := p.InverseHalf(want, spec); err != nil {
			t.Fatal(err)
		}
		got := append([]float64(nil), x...)
		if err := p.FilterHalf(got, got, g); err != nil { // in place
			t.Fatal(err)
		}
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-12 {
				t.Fatalf("%d×%d: FilterHalf[%d] = %v, InverseHalf(g·ForwardHalf) = %v", m, n, i, got[i], want[i])
			}
		}
		full := make([]complex128, m*n)
		for i, v := range x {
			full[i] = complex(v, 0)
		}
		if err := p.Forward(full, full); err != nil {
			t.Fatal(err)
		}
		for kr := range m {
			for kc := range n {
				var gk float64
				if kc < h {
					gk = g[kr*h+kc]
				} else {
					gk = g[((m-kr)%m)*h+n-kc]
				}
				full[kr*n+kc] *= complex(gk, 0)
			}
		}
		if err := p.Inverse(full, full); err != nil {
			t.Fatal(err)
		}
		for i := range full {
			if math.Abs(got[i]-real(full[i])) > 1e-12 || math.Abs(imag(full[i])) > 1e-12 {
				t.Fatalf("%d×%d: FilterHalf[%d] = %v, want Re IDFT(G·DFT) = %v", m, n, i, got[i], full[i])
			}
		}
	}
}

// TestHalfNoAllocs checks that the half-spectrum transforms do not
// allocate.
func TestHalfNoAllocs(t *testing.T) {
	for _, s := range []struct{ m, n int }{{64, 64}, {48, 64}, {7, 5}} {
		p, err := NewPlan2D(s.m, s.n)
		if err != nil {
			t.Fatal(err)
		}
		y := make([]complex128, p.HalfLen())
		g := make([]float64, p.HalfLen())
		r := randomReal(s.m*s.n, 2)
		for name, f := range map[string]func(){
			"ForwardHalf": func() { _ = p.ForwardHalf(y, r) },
			"InverseHalf": func() { _ = p.InverseHalf(r, y) },
			"FilterHalf":  func() { _ = p.FilterHalf(r, r, g) },
		} {
			if a := testing.AllocsPerRun(20, f); a != 0 {
				t.Errorf("%d×%d: %s allocates %v times per call", s.m, s.n, name, a)
			}
		}
	}
}

// TestHalfErrors checks that wrong lengths are reported, not panicked.
func TestHalfErrors(t *testing.T) {
	p, err := NewPlan2D(4, 6)
	if err != nil {
		t.Fatal(err)
	}
	good, bad := make([]complex128, 16), make([]complex128, 24)
	goodR, badR := make([]float64, 24), make([]float64, 16)
	goodG, badG := make([]float64, 16), make([]float64, 24)
	for name, err := range map[string]error{
		"FilterHalf src":  p.FilterHalf(goodR, badR, goodG),
		"FilterHalf dst":  p.FilterHalf(badR, goodR, goodG),
		"FilterHalf gain": p.FilterHalf(goodR, goodR, badG),
		"ForwardHalf src": p.ForwardHalf(good, badR),
		"ForwardHalf dst": p.ForwardHalf(bad, goodR),
		"InverseHalf src": p.InverseHalf(goodR, bad),
		"InverseHalf dst": p.InverseHalf(badR, good),
		"both nil":        p.InverseHalf(nil, nil),
	} {
		if err == nil {
			t.Errorf("%s: wrong length gave no error", name)
		}
	}
}
