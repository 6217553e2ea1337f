package scattering

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/wavelet"
)

var testKinds = []wavelet.DirectionalKind{wavelet.Morlet, wavelet.BumpSteerable}

func testBank(t testing.TB, kind wavelet.DirectionalKind, w, h, j, l int) *wavelet.DirectionalBank {
	t.Helper()
	b, err := wavelet.NewDirectionalBank(kind, w, h, j, l)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testTransform(t testing.TB, b *wavelet.DirectionalBank, x *field.Field) *ModulusTransform {
	t.Helper()
	tr, err := NewModulusTransform(b)
	if err != nil {
		t.Fatal(err)
	}
	if x != nil {
		if err := tr.SetField(x); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

// whiteNoise returns a w×h field of i.i.d. N(0, 1) values.
func whiteNoise(w, h int, seed uint64) *field.Field { return WhiteNoise(w, h, seed) }

// shift returns x circularly shifted by (dx, dy): out(c, r) = x(c − dx, r − dy).
func shift(x *field.Field, dx, dy int) *field.Field {
	out := field.New(x.W, x.H)
	for r := range x.H {
		for c := range x.W {
			out.Data[((r+dy)%x.H)*x.W+(c+dx)%x.W] = x.Data[r*x.W+c]
		}
	}
	return out
}

func sumAbs(z []complex128) float64 {
	s := 0.0
	for _, v := range z {
		s += cmplx.Abs(v)
	}
	return s
}

// TestModulusPerpendicular checks ℓ⊥ = (ℓ + L/2) mod L and its errors.
func TestModulusPerpendicular(t *testing.T) {
	b8 := testBank(t, wavelet.Morlet, 32, 32, 2, 8)
	b4 := testBank(t, wavelet.BumpSteerable, 32, 32, 2, 4)
	b3 := testBank(t, wavelet.Morlet, 32, 32, 2, 3)
	tests := []struct {
		name string
		bank *wavelet.DirectionalBank
		l    int
		want int
		err  bool
	}{
		{"L=8 ℓ=0", b8, 0, 4, false},
		{"L=8 ℓ=3", b8, 3, 7, false},
		{"L=8 ℓ=5", b8, 5, 1, false},
		{"L=4 ℓ=2", b4, 2, 0, false},
		{"odd L", b3, 0, 0, true},
		{"ℓ < 0", b8, -1, 0, true},
		{"ℓ = L", b8, 8, 0, true},
		{"nil bank", nil, 0, 0, true},
	}
	for _, tc := range tests {
		got, err := Perpendicular(tc.bank, tc.l)
		if tc.err {
			if err == nil {
				t.Errorf("%s: Perpendicular = %d, want an error", tc.name, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: Perpendicular = %d, %v; want %d", tc.name, got, err, tc.want)
			continue
		}
		// θ_ℓ⊥ − θ_ℓ = ±π/2.
		d := math.Abs(tc.bank.Theta(got) - tc.bank.Theta(tc.l))
		if math.Abs(d-math.Pi/2) > 1e-12 {
			t.Errorf("%s: |θ_ℓ⊥ − θ_ℓ| = %v, want π/2", tc.name, d)
		}
	}
}

// TestModulusPlaneWave checks that the modulus of a plane wave
// x(u) = cos(ω₀·u) at a grid frequency ω₀ near the centre frequency ξ_j e_θ
// of ψ_{j,ℓ} is the constant |ψ̂(ω₀)|/2 up to the mirror term: since
// x ⋆ ψ = (ψ̂(ω₀) e^{iω₀·u} + ψ̂(−ω₀) e^{−iω₀·u})/2, the triangle inequality
// gives ||x ⋆ ψ|(u) − |ψ̂(ω₀)|/2| ≤ |ψ̂(−ω₀)|/2 exactly (ψ̂(−ω₀) = 0 for the
// bump; about 3% of ψ̂(ω₀) for Morlet). The modulus then varies only along
// e_θ, so its second transform perpendicular to θ vanishes. j = 0 is left
// out: there both filters reach past the Nyquist frequency and the
// periodised ψ̂(−ω₀) is large (0.42 for Morlet).
func TestModulusPlaneWave(t *testing.T) {
	const n, nJ, nL = 64, 4, 8
	for _, kind := range testKinds {
		b := testBank(t, kind, n, n, nJ, nL)
		tr := testTransform(t, b, nil)
		u := make([]float64, n*n)
		w := make([]complex128, n*n)
		for j := 1; j < nJ; j++ { // j = 0 is aliased near the Nyquist frequency
			for _, l := range []int{0, nL / 2} { // θ = 0 (wave along columns), π/2 (along rows)
				k := int(math.Round(b.Xi(j) * n / (2 * math.Pi)))
				kx, ky := k, 0
				if l == nL/2 {
					kx, ky = 0, k
				}
				x := field.New(n, n)
				for r := range n {
					for c := range n {
						x.Data[r*n+c] = math.Cos(2 * math.Pi * float64(kx*c+ky*r) / n)
					}
				}
				psi := b.Psi(j, l)
				pos := math.Abs(psi[ky*n+kx])
				neg := math.Abs(psi[((n-ky)%n)*n+(n-kx)%n])
				if pos < 0.5 || neg > 0.05*pos {
					t.Fatalf("%v j=%d ℓ=%d: |ψ̂(ω₀)| = %v, |ψ̂(−ω₀)| = %v: ω₀ is not at the filter's centre", kind, j, l, pos, neg)
				}
				if err := tr.SetField(x); err != nil {
					t.Fatal(err)
				}
				if err := tr.Modulus(u, j, l); err != nil {
					t.Fatal(err)
				}
				worst := 0.0
				for _, v := range u {
					worst = math.Max(worst, math.Abs(v-pos/2))
				}
				if worst > neg/2+1e-12 {
					t.Errorf("%v j=%d ℓ=%d: max ||x⋆ψ| − |ψ̂(ω₀)|/2| = %.3g > |ψ̂(−ω₀)|/2 = %.3g", kind, j, l, worst, neg/2)
				}
				for jp := max(j, 1); jp < nJ; jp++ {
					if err := tr.Second(w, j, l, jp); err != nil {
						t.Fatal(err)
					}
					if rel := sumAbs(w) / (pos / 2 * n * n); rel > 1e-12 {
						t.Errorf("%v j=%d ℓ=%d j'=%d: second transform of a plane wave's modulus is %.3g of the modulus, want ≈ 0", kind, j, l, jp, rel)
					}
				}
			}
		}
	}
}

// TestModulusSecondStraightEdges checks that the second transform of an
// image constant along the direction θ_ℓ + π/2 vanishes: the modulus
// |x ⋆ ψ_{j,ℓ}| is then also constant along that direction, so its spectrum
// lies on the line ω ∥ e_θ, where every ψ̂_{j',ℓ⊥} is zero (the bump's
// support is the open half plane ω·e_{θ⊥} > 0; the Morlet filter vanishes on
// the whole line ω·e_{θ⊥} = 0 up to periodisation). The images are random
// stripes (straight edges) along θ = 0, π/2 and π/4. Measured relative
// size ≤ 3·10⁻¹⁶ except for Morlet at j' = 1 on the diagonal, 7·10⁻⁹ (the
// periodised Gaussians of σ = 1.6 do not cancel exactly off the axes).
func TestModulusSecondStraightEdges(t *testing.T) {
	const n, nJ, nL = 64, 4, 8
	rng := rand.New(rand.NewPCG(3, 4))
	profile := make([]float64, n) // piecewise constant: straight edges
	for i := range profile {
		if i%5 == 0 {
			profile[i] = rng.Float64()
		} else {
			profile[i] = profile[i-1]
		}
	}
	images := []struct {
		name string
		l    int // orientation along which the image varies
		at   func(c, r int) float64
	}{
		{"vertical stripes θ=0", 0, func(c, r int) float64 { return profile[c] }},
		{"horizontal stripes θ=π/2", nL / 2, func(c, r int) float64 { return profile[r] }},
		{"diagonal stripes θ=π/4", nL / 4, func(c, r int) float64 { return profile[(c+r)%n] }},
	}
	for _, kind := range testKinds {
		b := testBank(t, kind, n, n, nJ, nL)
		w := make([]complex128, n*n)
		u := make([]float64, n*n)
		for _, im := range images {
			x := field.New(n, n)
			for r := range n {
				for c := range n {
					x.Data[r*n+c] = im.at(c, r)
				}
			}
			tr := testTransform(t, b, x)
			for j := range nJ {
				if err := tr.Modulus(u, j, im.l); err != nil {
					t.Fatal(err)
				}
				s1, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
				for _, v := range u {
					s1 += v
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
				if hi-lo < 0.1*s1/(n*n) { // not a vacuous zero: the modulus varies (along e_θ)
					t.Fatalf("%v %s j=%d: modulus nearly constant (%v..%v)", kind, im.name, j, lo, hi)
				}
				for jp := max(j, 1); jp < nJ; jp++ {
					if err := tr.Second(w, j, im.l, jp); err != nil {
						t.Fatal(err)
					}
					tol := 1e-12
					if jp == 1 {
						tol = 1e-7 // Morlet periodisation on the diagonal (measured 7·10⁻⁹)
					}
					if rel := sumAbs(w) / s1; rel > tol {
						t.Errorf("%v %s j=%d j'=%d: ‖second‖₁/‖modulus‖₁ = %.3g, want ≈ 0", kind, im.name, j, jp, rel)
					}
				}
			}
		}
	}
}

// TestModulusTranslationEquivariance checks that the modulus and the second
// transform commute with circular shifts, and that D(j, ℓ, j') is invariant.
func TestModulusTranslationEquivariance(t *testing.T) {
	for _, tc := range []struct{ w, h, dx, dy int }{{64, 64, 5, 11}, {48, 40, 17, 3}} {
		for _, kind := range testKinds {
			b := testBank(t, kind, tc.w, tc.h, 3, 4)
			x := whiteNoise(tc.w, tc.h, 1)
			xs := shift(x, tc.dx, tc.dy)
			for _, ij := range [][3]int{{0, 1, 2}, {1, 3, 2}, {2, 0, 2}} {
				j, l, jp := ij[0], ij[1], ij[2]
				u, err := ModulusField(b, x, j, l)
				if err != nil {
					t.Fatal(err)
				}
				us, err := ModulusField(b, xs, j, l)
				if err != nil {
					t.Fatal(err)
				}
				want := shift(u, tc.dx, tc.dy)
				for i, v := range us.Data {
					if math.Abs(v-want.Data[i]) > 1e-12 {
						t.Fatalf("%v %d×%d j=%d ℓ=%d: shifted modulus differs at %d: %v vs %v", kind, tc.w, tc.h, j, l, i, v, want.Data[i])
					}
				}
				s, err := SecondModulusField(b, x, j, l, jp)
				if err != nil {
					t.Fatal(err)
				}
				ss, err := SecondModulusField(b, xs, j, l, jp)
				if err != nil {
					t.Fatal(err)
				}
				want = shift(s, tc.dx, tc.dy)
				for i, v := range ss.Data {
					if math.Abs(v-want.Data[i]) > 1e-12 {
						t.Fatalf("%v %d×%d (j, ℓ, j')=(%d, %d, %d): shifted second transform differs at %d: %v vs %v", kind, tc.w, tc.h, j, l, jp, i, v, want.Data[i])
					}
				}
			}
		}
	}
}

// TestModulusTransformConsistency checks the method results against a
// direct computation with wavelet.Convolver and the package functions, and
// that the cached modulus is refreshed by SetField and by a change of (j, ℓ).
func TestModulusTransformConsistency(t *testing.T) {
	const w, h = 40, 32
	b := testBank(t, wavelet.Morlet, w, h, 3, 6)
	xa, xb := whiteNoise(w, h, 1), whiteNoise(w, h, 2)

	// Direct: |x ⋆ ψ_{j,ℓ}| with one Convolver, then ⋆ ψ_{j',ℓ⊥} with another.
	direct := func(x *field.Field, j, l, jp int) []complex128 {
		c1, _ := wavelet.NewConvolver(b)
		c2, _ := wavelet.NewConvolver(b)
		m := make([]float64, w*h)
		if err := c1.SetField(x.Data); err != nil {
			t.Fatal(err)
		}
		if err := c1.Modulus(m, j, l); err != nil {
			t.Fatal(err)
		}
		if err := c2.SetField(m); err != nil {
			t.Fatal(err)
		}
		z := make([]complex128, w*h)
		if err := c2.Wavelet(z, jp, (l+3)%6); err != nil {
			t.Fatal(err)
		}
		return z
	}
	same := func(what string, got, want []complex128) {
		t.Helper()
		for i := range got {
			if cmplx.Abs(got[i]-want[i]) > 1e-12 {
				t.Fatalf("%s: value %d is %v, want %v", what, i, got[i], want[i])
			}
		}
	}
	tr := testTransform(t, b, xa)
	z := make([]complex128, w*h)
	steps := []struct {
		x         *field.Field
		set       bool
		j, l, jp  int
		name      string
		checkFunc bool
	}{
		{xa, false, 0, 1, 2, "a (0,1,2)", true},
		{xa, false, 0, 1, 1, "a (0,1,1) same modulus", false},
		{xa, false, 1, 1, 2, "a (1,1,2) new j", false},
		{xa, false, 1, 4, 2, "a (1,4,2) new ℓ", false},
		{xb, true, 1, 4, 2, "b (1,4,2) new field", true},
		{xb, false, 0, 1, 2, "b (0,1,2)", false},
	}
	for _, s := range steps {
		if s.set {
			if err := tr.SetField(s.x); err != nil {
				t.Fatal(err)
			}
		}
		if err := tr.Second(z, s.j, s.l, s.jp); err != nil {
			t.Fatal(err)
		}
		want := direct(s.x, s.j, s.l, s.jp)
		same(s.name, z, want)
		d, err := tr.SecondNorm1(s.j, s.l, s.jp)
		if err != nil {
			t.Fatal(err)
		}
		if wd := sumAbs(want) / (w * h); math.Abs(d-wd) > 1e-12*wd {
			t.Errorf("%s: SecondNorm1 = %v, want %v", s.name, d, wd)
		}
		if s.checkFunc {
			zf, err := SecondTransform(b, s.x, s.j, s.l, s.jp)
			if err != nil {
				t.Fatal(err)
			}
			same(s.name+" SecondTransform", zf, want)
			mf, err := SecondModulusField(b, s.x, s.j, s.l, s.jp)
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range mf.Data {
				if math.Abs(v-cmplx.Abs(want[i])) > 1e-12 {
					t.Fatalf("%s: SecondModulusField value %d is %v, want %v", s.name, i, v, cmplx.Abs(want[i]))
				}
			}
		}
	}
}

// TestModulusTransformAllocs checks that the methods do not allocate.
func TestModulusTransformAllocs(t *testing.T) {
	b := testBank(t, wavelet.BumpSteerable, 32, 32, 3, 4)
	x := whiteNoise(32, 32, 5)
	tr := testTransform(t, b, x)
	u := make([]float64, 32*32)
	z := make([]complex128, 32*32)
	j := 0
	allocs := testing.AllocsPerRun(5, func() {
		j = (j + 1) % 2
		if err := tr.SetField(x); err != nil {
			t.Fatal(err)
		}
		if err := tr.Modulus(u, j, 1); err != nil {
			t.Fatal(err)
		}
		if err := tr.Second(z, j, 1, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := tr.SecondNorm1(j, 3, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := tr.ModulusMean(j, 2); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("ModulusTransform methods allocate %v times per run, want 0", allocs)
	}
}

// TestModulusErrors checks that invalid arguments give errors, not panics.
func TestModulusErrors(t *testing.T) {
	const n = 32
	b := testBank(t, wavelet.Morlet, n, n, 3, 4)
	odd := testBank(t, wavelet.Morlet, n, n, 3, 5)
	x := whiteNoise(n, n, 1)
	nan := x.Clone()
	nan.Data[7] = math.NaN()
	inf := x.Clone()
	inf.Data[9] = math.Inf(-1)
	small := whiteNoise(n, n/2, 1)
	bad := &field.Field{W: n, H: n, Data: make([]float64, 10)}

	if _, err := NewModulusTransform(nil); err == nil {
		t.Error("NewModulusTransform(nil): no error")
	}
	fresh := testTransform(t, b, nil)
	if err := fresh.Modulus(make([]float64, n*n), 0, 0); err == nil {
		t.Error("Modulus before SetField: no error")
	}
	for _, tc := range []struct {
		name string
		x    *field.Field
	}{{"nil", nil}, {"NaN", nan}, {"-Inf", inf}, {"wrong size", small}, {"short data", bad}} {
		tr := testTransform(t, b, x)
		if err := tr.SetField(tc.x); err == nil {
			t.Errorf("SetField(%s): no error", tc.name)
		}
		// The previous image is forgotten.
		if _, err := tr.SecondNorm1(0, 0, 1); err == nil {
			t.Errorf("SecondNorm1 after failed SetField(%s): no error", tc.name)
		}
		if _, err := ModulusField(b, tc.x, 0, 0); err == nil {
			t.Errorf("ModulusField(%s): no error", tc.name)
		}
		if _, err := SecondTransform(b, tc.x, 0, 0, 1); err == nil {
			t.Errorf("SecondTransform(%s): no error", tc.name)
		}
	}

	tr := testTransform(t, b, x)
	trOdd := testTransform(t, odd, x)
	u := make([]float64, n*n)
	z := make([]complex128, n*n)
	for _, tc := range []struct {
		name     string
		tr       *ModulusTransform
		j, l, jp int
		nu, nz   int
	}{
		{"j < 0", tr, -1, 0, 1, n * n, n * n},
		{"j = J", tr, 3, 0, 1, n * n, n * n},
		{"ℓ < 0", tr, 0, -1, 1, n * n, n * n},
		{"ℓ = L", tr, 0, 4, 1, n * n, n * n},
		{"j' < 0", tr, 0, 0, -1, n * n, n * n},
		{"j' = J", tr, 0, 0, 3, n * n, n * n},
		{"odd L", trOdd, 0, 0, 1, n * n, n * n},
		{"short dst", tr, 0, 0, 1, n*n - 1, n*n - 1},
	} {
		modErr := tc.tr.Modulus(u[:tc.nu], tc.j, tc.l)
		secErr := tc.tr.Second(z[:tc.nz], tc.j, tc.l, tc.jp)
		_, normErr := tc.tr.SecondNorm1(tc.j, tc.l, tc.jp)
		if secErr == nil {
			t.Errorf("%s: Second gave no error", tc.name)
		}
		if normErr == nil && tc.nz == n*n {
			t.Errorf("%s: SecondNorm1 gave no error", tc.name)
		}
		// Modulus ignores j' and L's parity.
		wantMod := tc.j < 0 || tc.j >= 3 || tc.l < 0 || tc.l >= tc.tr.Bank().Orientations() || tc.nu != n*n
		if (modErr != nil) != wantMod {
			t.Errorf("%s: Modulus error = %v, want error: %v", tc.name, modErr, wantMod)
		}
	}
	if _, err := SecondModulusField(odd, x, 0, 0, 1); err == nil {
		t.Error("SecondModulusField with odd L: no error")
	}
	if _, err := ModulusField(nil, x, 0, 0); err == nil {
		t.Error("ModulusField(nil bank): no error")
	}
	if _, err := ModulusField(b, x, 5, 0); err == nil {
		t.Error("ModulusField(j = 5): no error")
	}
}
