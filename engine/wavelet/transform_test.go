package wavelet

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// allWavelets returns every wavelet of Names plus db9 and db10.
func allWavelets(t testing.TB) []*Wavelet {
	t.Helper()
	var ws []*Wavelet
	for p := 1; p <= MaxDaubechies; p++ {
		w, err := Daubechies(p)
		if err != nil {
			t.Fatalf("Daubechies(%d): %v", p, err)
		}
		ws = append(ws, w)
	}
	return ws
}

// sizes lists the field sizes and depths the transform tests run over.
var sizes = []struct{ w, h, levels int }{
	{2, 2, 1},
	{8, 8, 3},
	{16, 16, 2},
	{64, 32, 5},
	{32, 64, 3},
	{48, 48, 4},
	{40, 24, 3},
	{128, 128, 7},
	{10, 6, 1},
	{12, 20, 0},
}

func randomData(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 7))
	x := make([]float64, n)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	return x
}

func norm(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

func diffNorm(x, y []float64) float64 {
	s := 0.0
	for i := range x {
		d := x[i] - y[i]
		s += d * d
	}
	return math.Sqrt(s)
}

func TestPerfectReconstruction(t *testing.T) {
	for _, w := range allWavelets(t) {
		for _, sz := range sizes {
			tr, err := NewTransform(w, sz.w, sz.h, sz.levels)
			if err != nil {
				t.Fatalf("%s %d×%d J=%d: %v", w.Name, sz.w, sz.h, sz.levels, err)
			}
			x := randomData(sz.w*sz.h, uint64(sz.w*1000+sz.h))
			nx := norm(x)

			// Out of place.
			c := make([]float64, len(x))
			y := make([]float64, len(x))
			if err := tr.Forward(c, x); err != nil {
				t.Fatal(err)
			}
			if e := math.Abs(norm(c)-nx) / nx; e > 1e-12 {
				t.Errorf("%s %d×%d J=%d: energy changed by %.3g relative", w.Name, sz.w, sz.h, sz.levels, e)
			}
			if err := tr.Inverse(y, c); err != nil {
				t.Fatal(err)
			}
			if e := diffNorm(x, y) / nx; e > 1e-12 {
				t.Errorf("%s %d×%d J=%d: out-of-place reconstruction error %.3g", w.Name, sz.w, sz.h, sz.levels, e)
			}

			// In place, and identical to out of place.
			z := append([]float64(nil), x...)
			if err := tr.Forward(z, z); err != nil {
				t.Fatal(err)
			}
			if e := diffNorm(z, c); e != 0 {
				t.Errorf("%s %d×%d J=%d: in-place forward differs from out-of-place by %g", w.Name, sz.w, sz.h, sz.levels, e)
			}
			if err := tr.Inverse(z, z); err != nil {
				t.Fatal(err)
			}
			if e := diffNorm(x, z) / nx; e > 1e-12 {
				t.Errorf("%s %d×%d J=%d: in-place reconstruction error %.3g", w.Name, sz.w, sz.h, sz.levels, e)
			}
		}
	}
}

// TestOrthogonality checks ⟨Wx, Wy⟩ = ⟨x, y⟩ and that Inverse is the
// transpose of Forward: ⟨Wx, c⟩ = ⟨x, W⁻¹c⟩.
func TestOrthogonality(t *testing.T) {
	for _, w := range allWavelets(t) {
		for _, sz := range sizes {
			tr, err := NewTransform(w, sz.w, sz.h, sz.levels)
			if err != nil {
				t.Fatal(err)
			}
			n := sz.w * sz.h
			x, y, c := randomData(n, 1), randomData(n, 2), randomData(n, 3)
			wx, wy, wic := make([]float64, n), make([]float64, n), make([]float64, n)
			_ = tr.Forward(wx, x)
			_ = tr.Forward(wy, y)
			_ = tr.Inverse(wic, c)
			dot := func(a, b []float64) float64 {
				s := 0.0
				for i := range a {
					s += a[i] * b[i]
				}
				return s
			}
			scale := float64(n)
			if d := math.Abs(dot(wx, wy) - dot(x, y)); d > 1e-12*scale {
				t.Errorf("%s %d×%d J=%d: ⟨Wx,Wy⟩−⟨x,y⟩ = %.3g", w.Name, sz.w, sz.h, sz.levels, d)
			}
			if d := math.Abs(dot(wx, c) - dot(x, wic)); d > 1e-12*scale {
				t.Errorf("%s %d×%d J=%d: ⟨Wx,c⟩−⟨x,W⁻¹c⟩ = %.3g", w.Name, sz.w, sz.h, sz.levels, d)
			}
		}
	}
}

// TestHaarKnown checks one Haar level against the formulas by hand, which
// also pins down the band layout: V top-right (high-pass in x), H
// bottom-left (high-pass in y), D bottom-right.
func TestHaarKnown(t *testing.T) {
	w, _ := ByName("haar")
	tr, err := NewTransform(w, 2, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	// x = [[a b] [c d]] (row y=0 is a b).
	a, b, c, d := 1.0, 2.0, 4.0, 8.0
	got := make([]float64, 4)
	if err := tr.Forward(got, []float64{a, b, c, d}); err != nil {
		t.Fatal(err)
	}
	want := []float64{
		(a + b + c + d) / 2, (a - b + c - d) / 2, // approx, V = x-differences
		(a + b - c - d) / 2, (a - b - c + d) / 2, // H = y-differences, D
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-15 {
			t.Errorf("coefficient %d = %g, want %g", i, got[i], want[i])
		}
	}
}

// TestBandOrientation checks that a field varying only along x has energy
// only in V (and approx) and one varying only along y only in H.
func TestBandOrientation(t *testing.T) {
	w, _ := ByName("db3")
	const n = 32
	tr, _ := NewTransform(w, n, n, 1)
	tests := []struct {
		name     string
		f        func(x, y int) float64
		zeroBand [2]int // quadrant (qx, qy) that must vanish, besides D
	}{
		{"varies in x", func(x, y int) float64 { return math.Sin(float64(x)) }, [2]int{0, 1}},
		{"varies in y", func(x, y int) float64 { return math.Sin(float64(y)) }, [2]int{1, 0}},
	}
	for _, tc := range tests {
		x := make([]float64, n*n)
		for yy := range n {
			for xx := range n {
				x[yy*n+xx] = tc.f(xx, yy)
			}
		}
		_ = tr.Forward(x, x)
		for _, q := range [][2]int{tc.zeroBand, {1, 1}} {
			e := 0.0
			for yy := q[1] * n / 2; yy < (q[1]+1)*n/2; yy++ {
				for xx := q[0] * n / 2; xx < (q[0]+1)*n/2; xx++ {
					e += x[yy*n+xx] * x[yy*n+xx]
				}
			}
			if e > 1e-20 {
				t.Errorf("%s: quadrant %v has energy %g, want 0", tc.name, q, e)
			}
		}
	}
}

func TestBadSizes(t *testing.T) {
	w, _ := ByName("db2")
	tests := []struct {
		name          string
		w             *Wavelet
		width, height int
		levels        int
		msg           string
	}{
		{"odd width", w, 7, 8, 1, "in width"},
		{"odd both", w, 7, 9, 1, "in width and height"},
		{"not divisible", w, 96, 100, 3, "96×100 is not divisible by 2^3 = 8 in height; use a size that is a multiple of 8 or fewer levels"},
		{"zero width", w, 0, 8, 1, "must be positive"},
		{"negative height", w, 8, -8, 1, "must be positive"},
		{"negative levels", w, 8, 8, -1, "must not be negative"},
		{"too many levels", w, 8, 8, 4, "not divisible"},
		{"huge levels", w, 8, 8, 100, "too many"},
		{"nil wavelet", nil, 8, 8, 1, "nil wavelet"},
		{"odd filter", &Wavelet{Name: "x", Lo: []float64{1, 1, 1}}, 8, 8, 1, "even number"},
		{"empty filter", &Wavelet{Name: "x"}, 8, 8, 1, "even number"},
		{"not normalised", &Wavelet{Name: "x", Lo: []float64{1, 1}}, 8, 8, 1, "Σh"},
		{"not orthonormal", &Wavelet{Name: "x", Lo: []float64{math.Sqrt2 / 4, math.Sqrt2 / 4, math.Sqrt2 / 4, math.Sqrt2 / 4}}, 8, 8, 1, "not orthonormal"},
		{"NaN filter", &Wavelet{Name: "x", Lo: []float64{math.NaN(), 1}}, 8, 8, 1, "non-finite"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := NewTransform(tc.w, tc.width, tc.height, tc.levels)
			if err == nil {
				t.Fatalf("NewTransform succeeded (%v), want error", tr)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not mention %q", err, tc.msg)
			}
		})
	}

	tr, err := NewTransform(w, 8, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	good := make([]float64, 32)
	for _, tc := range []struct {
		name     string
		dst, src []float64
	}{
		{"short dst", make([]float64, 31), good},
		{"long src", good, make([]float64, 33)},
		{"nil both", nil, nil},
	} {
		if err := tr.Forward(tc.dst, tc.src); err == nil {
			t.Errorf("Forward(%s): no error", tc.name)
		}
		if err := tr.Inverse(tc.dst, tc.src); err == nil {
			t.Errorf("Inverse(%s): no error", tc.name)
		}
	}
	var nilT *Transform
	if err := nilT.Forward(good, good); err == nil {
		t.Error("nil Transform Forward: no error")
	}
	if err := nilT.Inverse(good, good); err == nil {
		t.Error("nil Transform Inverse: no error")
	}
}

func TestMaxLevels(t *testing.T) {
	tests := []struct{ w, h, want int }{
		{1, 1, 0}, {2, 2, 1}, {256, 256, 8}, {64, 32, 5}, {48, 48, 4},
		{96, 100, 2}, {7, 8, 0}, {0, 8, 0}, {-4, 8, 0}, {1024, 3, 0},
	}
	for _, tc := range tests {
		if got := MaxLevels(tc.w, tc.h); got != tc.want {
			t.Errorf("MaxLevels(%d, %d) = %d, want %d", tc.w, tc.h, got, tc.want)
		}
		if tc.want > 0 {
			if _, err := NewTransform(&Wavelet{Lo: []float64{1 / math.Sqrt2, 1 / math.Sqrt2}}, tc.w, tc.h, tc.want); err != nil {
				t.Errorf("NewTransform at MaxLevels(%d, %d): %v", tc.w, tc.h, err)
			}
		}
	}
}

func TestAllocs(t *testing.T) {
	w, _ := ByName("db4")
	tr, err := NewTransform(w, 64, 32, 5)
	if err != nil {
		t.Fatal(err)
	}
	x := randomData(64*32, 1)
	c := make([]float64, len(x))
	if a := testing.AllocsPerRun(20, func() { _ = tr.Forward(c, x) }); a != 0 {
		t.Errorf("Forward: %v allocations per run, want 0", a)
	}
	if a := testing.AllocsPerRun(20, func() { _ = tr.Inverse(c, c) }); a != 0 {
		t.Errorf("Inverse: %v allocations per run, want 0", a)
	}
}

// TestOverlap checks the documented guarantee that src is read in full
// before dst is written, for partially overlapping slices.
func TestOverlap(t *testing.T) {
	w, _ := ByName("db3")
	const n = 16 * 8
	tr, err := NewTransform(w, 16, 8, 2)
	if err != nil {
		t.Fatal(err)
	}
	x := randomData(n, 9)
	want := make([]float64, n)
	_ = tr.Forward(want, x)
	for _, shift := range []int{-4, 3} {
		buf := make([]float64, n+8)
		src, dst := buf[4:4+n], buf[4+shift:4+shift+n]
		copy(src, x)
		if err := tr.Forward(dst, src); err != nil {
			t.Fatal(err)
		}
		if e := diffNorm(dst, want); e != 0 {
			t.Errorf("shift %d: Forward differs by %g", shift, e)
		}
		copy(src, want)
		if err := tr.Inverse(dst, src); err != nil {
			t.Fatal(err)
		}
		if e := diffNorm(dst, x) / norm(x); e > 1e-12 {
			t.Errorf("shift %d: Inverse error %g", shift, e)
		}
	}
}
