package fourier

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

func randomComplex(n int, seed uint64) []complex128 {
	r := rand.New(rand.NewPCG(seed, 3))
	x := make([]complex128, n)
	for i := range x {
		x[i] = complex(r.NormFloat64(), r.NormFloat64())
	}
	return x
}

func randomReal(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 5))
	x := make([]float64, n)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	return x
}

// naiveDFT2 is the O((MN)²) definition, sign −1 (forward) or +1 (inverse,
// unnormalised).
func naiveDFT2(x []complex128, m, n int, sign float64) []complex128 {
	out := make([]complex128, m*n)
	for kr := range m {
		for kc := range n {
			var s complex128
			for r := range m {
				for c := range n {
					ph := sign * 2 * math.Pi * (float64(kr*r%m)/float64(m) + float64(kc*c%n)/float64(n))
					s += x[r*n+c] * cmplx.Exp(complex(0, ph))
				}
			}
			out[kr*n+kc] = s
		}
	}
	return out
}

func maxAbsDiff(a, b []complex128) float64 {
	d := 0.0
	for i := range a {
		d = max(d, cmplx.Abs(a[i]-b[i]))
	}
	return d
}

var smallSizes = []struct{ m, n int }{
	{1, 1}, {1, 7}, {5, 1}, {2, 2}, {6, 10}, {7, 5}, {16, 16}, {9, 12}, {3, 11}, {15, 8}, {8, 32}, {4, 2},
}

// TestForwardInverseNaive compares Forward and Inverse with the naive DFT on
// small odd, even and prime sizes.
func TestForwardInverseNaive(t *testing.T) {
	for _, s := range smallSizes {
		p, err := NewPlan2D(s.m, s.n)
		if err != nil {
			t.Fatal(err)
		}
		x := randomComplex(s.m*s.n, uint64(s.m*100+s.n))
		want := naiveDFT2(x, s.m, s.n, -1)
		got := make([]complex128, len(x))
		if err := p.Forward(got, x); err != nil {
			t.Fatal(err)
		}
		tol := 1e-12 * float64(s.m*s.n)
		if d := maxAbsDiff(got, want); d > tol {
			t.Errorf("%d×%d: Forward differs from the naive DFT by %.3g", s.m, s.n, d)
		}
		wantInv := naiveDFT2(x, s.m, s.n, +1)
		for i := range wantInv {
			wantInv[i] /= complex(float64(s.m*s.n), 0)
		}
		if err := p.Inverse(got, x); err != nil {
			t.Fatal(err)
		}
		if d := maxAbsDiff(got, wantInv); d > 1e-13*float64(s.m*s.n) {
			t.Errorf("%d×%d: Inverse differs from the naive inverse DFT by %.3g", s.m, s.n, d)
		}
	}
}

// TestRoundTripParseval checks Inverse(Forward(x)) = x to 1e-12 (in place
// and out of place) and Σ|x|² = (MN)⁻¹ Σ|X|².
func TestRoundTripParseval(t *testing.T) {
	sizes := append([]struct{ m, n int }{{64, 64}, {48, 64}, {100, 30}, {128, 128}, {37, 53}, {2, MaxRadixLen}, {MaxRadixLen / 2, 3}}, smallSizes...)
	for _, s := range sizes {
		p, err := NewPlan2D(s.m, s.n)
		if err != nil {
			t.Fatal(err)
		}
		x := randomComplex(s.m*s.n, uint64(s.m*1000+s.n))
		spec := make([]complex128, len(x))
		if err := p.Forward(spec, x); err != nil {
			t.Fatal(err)
		}
		var ex, es float64
		for i := range x {
			ex += real(x[i])*real(x[i]) + imag(x[i])*imag(x[i])
			es += real(spec[i])*real(spec[i]) + imag(spec[i])*imag(spec[i])
		}
		es /= float64(s.m * s.n)
		if math.Abs(es-ex) > 1e-12*ex {
			t.Errorf("%d×%d: Parseval Σ|x|² = %v, Σ|X|²/MN = %v", s.m, s.n, ex, es)
		}
		y := append([]complex128(nil), spec...)
		if err := p.Inverse(y, y); err != nil { // in place
			t.Fatal(err)
		}
		if d := maxAbsDiff(y, x); d > 1e-12 {
			t.Errorf("%d×%d: round trip error %.3g", s.m, s.n, d)
		}
		if err := p.Forward(y, y); err != nil { // in place
			t.Fatal(err)
		}
		if d := maxAbsDiff(y, spec); d > 1e-12*float64(s.m*s.n) {
			t.Errorf("%d×%d: in-place Forward differs by %.3g", s.m, s.n, d)
		}
	}
}

// TestRealHelpers checks ForwardReal against Forward of the complexified
// field, and InverseReal against the real part of Inverse (also for a
// non-Hermitian spectrum), on odd and even row counts.
func TestRealHelpers(t *testing.T) {
	sizes := append([]struct{ m, n int }{{48, 64}, {33, 20}}, smallSizes...)
	for _, s := range sizes {
		p, err := NewPlan2D(s.m, s.n)
		if err != nil {
			t.Fatal(err)
		}
		mn := s.m * s.n
		x := randomReal(mn, uint64(mn))
		xc := make([]complex128, mn)
		for i, v := range x {
			xc[i] = complex(v, 0)
		}
		want := make([]complex128, mn)
		if err := p.Forward(want, xc); err != nil {
			t.Fatal(err)
		}
		got := make([]complex128, mn)
		if err := p.ForwardReal(got, x); err != nil {
			t.Fatal(err)
		}
		if d := maxAbsDiff(got, want); d > 1e-12*float64(mn) {
			t.Errorf("%d×%d: ForwardReal differs from Forward by %.3g", s.m, s.n, d)
		}
		back := make([]float64, mn)
		saved := append([]complex128(nil), got...)
		if err := p.InverseReal(back, got); err != nil {
			t.Fatal(err)
		}
		if maxAbsDiff(got, saved) != 0 {
			t.Errorf("%d×%d: InverseReal modified its source", s.m, s.n)
		}
		for i := range x {
			if math.Abs(back[i]-x[i]) > 1e-12 {
				t.Fatalf("%d×%d: InverseReal(ForwardReal(x))[%d] = %v, want %v", s.m, s.n, i, back[i], x[i])
			}
		}
		// A general (non-Hermitian) spectrum: InverseReal is Re Inverse.
		z := randomComplex(mn, uint64(mn)+1)
		inv := make([]complex128, mn)
		if err := p.Inverse(inv, z); err != nil {
			t.Fatal(err)
		}
		if err := p.InverseReal(back, z); err != nil {
			t.Fatal(err)
		}
		for i := range inv {
			if math.Abs(back[i]-real(inv[i])) > 1e-12 {
				t.Fatalf("%d×%d: InverseReal[%d] = %v, want Re Inverse = %v", s.m, s.n, i, back[i], real(inv[i]))
			}
		}
	}
}

// TestNoAllocs checks that no transform allocates after NewPlan2D.
func TestNoAllocs(t *testing.T) {
	for _, s := range []struct{ m, n int }{{64, 64}, {48, 64}, {7, 5}} {
		p, err := NewPlan2D(s.m, s.n)
		if err != nil {
			t.Fatal(err)
		}
		x := randomComplex(s.m*s.n, 1)
		y := make([]complex128, len(x))
		r := randomReal(len(x), 2)
		calls := []struct {
			name string
			f    func()
		}{
			{"Forward", func() { _ = p.Forward(y, x) }},
			{"Inverse", func() { _ = p.Inverse(y, x) }},
			{"Forward in place", func() { _ = p.Forward(y, y) }},
			{"ForwardReal", func() { _ = p.ForwardReal(y, r) }},
			{"InverseReal", func() { _ = p.InverseReal(r, y) }},
		}
		for _, c := range calls {
			if a := testing.AllocsPerRun(20, c.f); a != 0 {
				t.Errorf("%d×%d: %s allocates %v times per call", s.m, s.n, c.name, a)
			}
		}
	}
}

// TestErrors checks that bad sizes and lengths are reported, not panicked.
func TestErrors(t *testing.T) {
	for _, s := range []struct{ m, n int }{{0, 4}, {4, 0}, {-1, 3}, {1 << 15, 1 << 14}} {
		if _, err := NewPlan2D(s.m, s.n); err == nil {
			t.Errorf("NewPlan2D(%d, %d): no error", s.m, s.n)
		}
	}
	p, err := NewPlan2D(4, 6)
	if err != nil {
		t.Fatal(err)
	}
	good, bad := make([]complex128, 24), make([]complex128, 23)
	goodR, badR := make([]float64, 24), make([]float64, 25)
	for name, err := range map[string]error{
		"Forward src":      p.Forward(good, bad),
		"Forward dst":      p.Forward(bad, good),
		"Inverse src":      p.Inverse(good, bad),
		"Inverse dst":      p.Inverse(bad, good),
		"ForwardReal src":  p.ForwardReal(good, badR),
		"ForwardReal dst":  p.ForwardReal(bad, goodR),
		"InverseReal src":  p.InverseReal(goodR, bad),
		"InverseReal dst":  p.InverseReal(badR, good),
		"Forward both nil": p.Forward(nil, nil),
	} {
		if err == nil {
			t.Errorf("%s: wrong length gave no error", name)
		}
	}
	if p.Rows() != 4 || p.Cols() != 6 || p.Len() != 24 {
		t.Errorf("Rows, Cols, Len = %d, %d, %d, want 4, 6, 24", p.Rows(), p.Cols(), p.Len())
	}
}

// TestSignedIndex checks the fftfreq convention.
func TestSignedIndex(t *testing.T) {
	tests := []struct {
		n    int
		want []int
	}{
		{1, []int{0}},
		{4, []int{0, 1, -2, -1}},
		{5, []int{0, 1, 2, -2, -1}},
		{6, []int{0, 1, 2, -3, -2, -1}},
	}
	for _, tc := range tests {
		for k, w := range tc.want {
			if got := SignedIndex(k, tc.n); got != w {
				t.Errorf("SignedIndex(%d, %d) = %d, want %d", k, tc.n, got, w)
			}
			if got, want := AngularFrequency(k, tc.n), 2*math.Pi*float64(w)/float64(tc.n); got != want {
				t.Errorf("AngularFrequency(%d, %d) = %v, want %v", k, tc.n, got, want)
			}
		}
	}
}

// TestRadixMatchesFFTPACK compares the power-of-two radix path of Plan2D
// with gonum's FFTPACK path on the same field, relative to the spectrum's
// size (the radix twiddles are less accurate; see MaxRadixLen).
func TestRadixMatchesFFTPACK(t *testing.T) {
	for _, s := range []struct{ m, n int }{{256, 256}, {32, 128}, {64, 8}} {
		fast, err := newPlan2D(s.m, s.n, true)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := newPlan2D(s.m, s.n, false)
		if err != nil {
			t.Fatal(err)
		}
		if fast.rowFFT.kind == lineFFTPACK || ref.rowFFT.kind != lineFFTPACK {
			t.Fatalf("%d×%d: kinds %v, %v", s.m, s.n, fast.rowFFT.kind, ref.rowFFT.kind)
		}
		x := randomComplex(s.m*s.n, 4)
		a, b := make([]complex128, len(x)), make([]complex128, len(x))
		_ = fast.Forward(a, x)
		_ = ref.Forward(b, x)
		scale := math.Sqrt(float64(s.m * s.n))
		if d := maxAbsDiff(a, b) / scale; d > 1e-13 {
			t.Errorf("%d×%d: radix and FFTPACK forward differ by %.3g relative", s.m, s.n, d)
		}
	}
}
