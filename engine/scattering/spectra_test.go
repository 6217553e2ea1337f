package scattering

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"scalewise/engine/wavelet"
)

var spKinds = []wavelet.DirectionalKind{wavelet.Morlet, wavelet.BumpSteerable}

func spOperator(t testing.TB, k wavelet.DirectionalKind, w, h, J, L int, rule ScaleRule) *Operator {
	t.Helper()
	b, err := wavelet.NewDirectionalBank(k, w, h, J, L)
	if err != nil {
		t.Fatal(err)
	}
	op, err := NewOperator(b, SpectraOptions{Scales: rule})
	if err != nil {
		t.Fatal(err)
	}
	return op
}

// spField returns a skewed, spatially correlated w×h test field: white
// noise smoothed by a periodic 3×3 box filter applied `smooth` times, then
// x = exp(0.8 g) + 0.3·(stripes along a tilted direction), so that S3 ≠ 0
// and the field is anisotropic.
func spField(w, h int, seed uint64, smooth int) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	g := make([]float64, w*h)
	for i := range g {
		g[i] = r.NormFloat64()
	}
	tmp := make([]float64, w*h)
	for range smooth {
		for y := range h {
			for x := range w {
				var s float64
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						s += g[((y+dy+h)%h)*w+(x+dx+w)%w]
					}
				}
				tmp[y*w+x] = s / 3
			}
		}
		g, tmp = tmp, g
	}
	x := make([]float64, w*h)
	for y := range h {
		for xx := range w {
			x[y*w+xx] = math.Exp(0.8*g[y*w+xx]) + 0.3*math.Sin(2*math.Pi*(3*float64(xx)/float64(w)+float64(y)/float64(h)))
		}
	}
	return x
}

// spClose reports whether a and b agree to tol·max(1, |a|) entrywise, and
// the worst entry.
func spClose(a, b []float64, tol float64) (bool, int, float64) {
	worst, at := 0.0, -1
	for i := range a {
		e := math.Abs(a[i]-b[i]) / max(1, math.Abs(a[i]))
		if e > worst {
			worst, at = e, i
		}
	}
	return worst <= tol, at, worst
}

// TestSpectraCounts checks the coefficient counts against those the index
// rules of Cheng et al.'s scattering_cov give and
// against the lengths of Vector, Labels and Groups.
func TestSpectraCounts(t *testing.T) {
	for _, tc := range []struct {
		J, L      int
		rule      ScaleRule
		full, iso int
	}{
		{7, 4, ScalesInclusive, 11705, 1471}, // Cheng et al.'s count, 256²
		{8, 4, ScalesInclusive, 16577, 2081}, // Cheng et al.'s count
		{6, 4, ScalesInclusive, 7889, 993},   // Cheng et al.'s count
		{5, 4, ScalesInclusive, 5001, 631},
		{5, 8, ScalesInclusive, 37841, 2371},
		{6, 8, ScalesInclusive, 60129, 3765},
		{5, 4, ScalesStrict, 1 + 40 + 2*10*16 + 2*20*64, 1 + 10 + 10*4 + 20*16},
		{1, 4, ScalesStrict, 9, 3},
	} {
		if got := CoefficientCount(Full, tc.J, tc.L, tc.rule); got != tc.full {
			t.Errorf("CoefficientCount(Full, %d, %d, %v) = %d, want %d", tc.J, tc.L, tc.rule, got, tc.full)
		}
		if got := CoefficientCount(Isotropic, tc.J, tc.L, tc.rule); got != tc.iso {
			t.Errorf("CoefficientCount(Isotropic, %d, %d, %v) = %d, want %d", tc.J, tc.L, tc.rule, got, tc.iso)
		}
	}
	if CoefficientCount(0, 5, 4, ScalesInclusive) != 0 || CoefficientCount(Full, 0, 4, ScalesInclusive) != 0 ||
		CoefficientCount(Full, 5, 4, 7) != 0 {
		t.Error("CoefficientCount of invalid arguments is not 0")
	}
	for _, tc := range []struct{ size, J, L int }{{64, 5, 4}, {64, 5, 8}, {128, 6, 4}, {128, 6, 8}, {32, 3, 3}} {
		for _, rule := range []ScaleRule{ScalesInclusive, ScalesStrict} {
			op := spOperator(t, wavelet.BumpSteerable, tc.size, tc.size, tc.J, tc.L, rule)
			s := op.NewSpectra()
			for _, f := range []Form{Full, Isotropic} {
				want := CoefficientCount(f, tc.J, tc.L, rule)
				v, lab, g := s.Vector(f), s.Labels(f), s.Groups(f)
				if len(v) != want || len(lab) != want || op.Count(f) != want || s.Count(f) != want {
					t.Errorf("%d² J=%d L=%d %v %v: len(Vector) = %d, len(Labels) = %d, Count = %d, want %d",
						tc.size, tc.J, tc.L, rule, f, len(v), len(lab), op.Count(f), want)
				}
				if len(g) != 5 || g[0].Start != 0 || g[4].End != want {
					t.Errorf("%v groups %v do not cover %d coefficients", f, g, want)
				}
				for i := 1; i < len(g); i++ {
					if g[i].Start != g[i-1].End {
						t.Errorf("%v groups %v are not contiguous", f, g)
					}
				}
				seen := make(map[string]bool, len(lab))
				for _, l := range lab {
					if seen[l] {
						t.Fatalf("duplicate label %q", l)
					}
					seen[l] = true
				}
			}
		}
	}
}

// TestSpectraDefinition checks the Fourier-domain S1..S4 against their
// spatial definitions (Cheng et al. 2024), E over pixels of products of
// the fields W_λ = x ⋆ ψ_λ, U_λ = |W_λ| and U_λ1 ⋆ ψ_λ computed with the
// wavelet package's Convolver, for both scale rules and a non-square grid.
func TestSpectraDefinition(t *testing.T) {
	const w, h, J, L = 24, 16, 3, 3
	x := spField(w, h, 7, 1)
	for _, kind := range spKinds {
		for _, rule := range []ScaleRule{ScalesInclusive, ScalesStrict} {
			op := spOperator(t, kind, w, h, J, L, rule)
			s, err := op.Compute(x, nil)
			if err != nil {
				t.Fatal(err)
			}
			cv, err := wavelet.NewConvolver(op.Bank())
			if err != nil {
				t.Fatal(err)
			}
			n := w * h
			W := make([][]complex128, J*L)
			U := make([][]float64, J*L)
			for lam := range J * L {
				W[lam] = make([]complex128, n)
				U[lam] = make([]float64, n)
				if err := cv.SetField(x); err != nil {
					t.Fatal(err)
				}
				if err := cv.Wavelet(W[lam], lam/L, lam%L); err != nil {
					t.Fatal(err)
				}
				var s1, s2 float64
				for i, z := range W[lam] {
					U[lam][i] = cmplx.Abs(z)
					s1 += cmplx.Abs(z)
					s2 += real(z)*real(z) + imag(z)*imag(z)
				}
				if e := math.Abs(s1/float64(n) - s.S1[lam]); e > 1e-12*s.S1[lam] {
					t.Errorf("%v: S1[%d] = %g, spatial %g", kind, lam, s.S1[lam], s1/float64(n))
				}
				if e := math.Abs(s2/float64(n) - s.S2[lam]); e > 1e-12*s.S2[lam] {
					t.Errorf("%v: S2[%d] = %g, spatial %g", kind, lam, s.S2[lam], s2/float64(n))
				}
			}
			// UP[λ1][λ] = U_λ1 ⋆ ψ_λ.
			UP := make([][][]complex128, J*L)
			for l1 := range J * L {
				if err := cv.SetField(U[l1]); err != nil {
					t.Fatal(err)
				}
				UP[l1] = make([][]complex128, J*L)
				for lam := range J * L {
					UP[l1][lam] = make([]complex128, n)
					if err := cv.Wavelet(UP[l1][lam], lam/L, lam%L); err != nil {
						t.Fatal(err)
					}
				}
			}
			mean := func(a, b []complex128) complex128 {
				var c complex128
				for i := range a {
					c += a[i] * cmplx.Conj(b[i])
				}
				return c / complex(float64(n), 0)
			}
			var checked3, checked4 int
			for j1 := range J {
				for l1 := range L {
					for j := range J {
						for l := range L {
							i := s.S3Index(j1, l1, j, l)
							keep := j1 < j || (j1 == j && rule == ScalesInclusive)
							if (i >= 0) != keep {
								t.Fatalf("S3Index(%d,%d,%d,%d) = %d with rule %v", j1, l1, j, l, i, rule)
							}
							if i < 0 {
								continue
							}
							la1, la := j1*L+l1, j*L+l
							want := mean(W[la], UP[la1][la]) / complex(math.Sqrt(s.S2[la1]*s.S2[la]), 0)
							if cmplx.Abs(s.S3[i]-want) > 1e-12*max(1e-3, cmplx.Abs(want)) {
								t.Errorf("%v %v: S3(%d,%d,%d,%d) = %v, spatial %v", kind, rule, j1, l1, j, l, s.S3[i], want)
							}
							checked3++
						}
					}
				}
			}
			for j1 := range J {
				for j2 := range J {
					for j3 := range J {
						for l1 := range L {
							for l2 := range L {
								for l3 := range L {
									i := s.S4Index(j1, l1, j2, l2, j3, l3)
									keep := j1 <= j2 && (j2 < j3 || (j2 == j3 && rule == ScalesInclusive))
									if (i >= 0) != keep {
										t.Fatalf("S4Index(%d,%d,%d,%d,%d,%d) = %d with rule %v", j1, l1, j2, l2, j3, l3, i, rule)
									}
									if i < 0 {
										continue
									}
									la1, la2, la3 := j1*L+l1, j2*L+l2, j3*L+l3
									want := mean(UP[la1][la3], UP[la2][la3]) / complex(math.Sqrt(s.S2[la1]*s.S2[la2]), 0)
									if cmplx.Abs(s.S4[i]-want) > 1e-12*max(1e-3, cmplx.Abs(want)) {
										t.Errorf("%v %v: S4 = %v, spatial %v", kind, rule, s.S4[i], want)
									}
									checked4++
								}
							}
						}
					}
				}
			}
			if checked3 != len(s.S3) || checked4 != len(s.S4) {
				t.Errorf("checked %d S3 and %d S4 of %d and %d", checked3, checked4, len(s.S3), len(s.S4))
			}
		}
	}
}

// TestSpectraTranslation checks that Φ is invariant under circular shifts.
func TestSpectraTranslation(t *testing.T) {
	var worst float64
	defer func() { t.Logf("worst relative change under shifts: %.2g", worst) }()
	for _, tc := range []struct{ w, h, J, L, dx, dy int }{{32, 24, 3, 4, 5, 7}, {32, 32, 4, 8, 13, 1}, {20, 36, 2, 3, 19, 35}} {
		x := spField(tc.w, tc.h, 3, 2)
		y := make([]float64, len(x))
		for r := range tc.h {
			for c := range tc.w {
				y[((r+tc.dy)%tc.h)*tc.w+(c+tc.dx)%tc.w] = x[r*tc.w+c]
			}
		}
		for _, kind := range spKinds {
			op := spOperator(t, kind, tc.w, tc.h, tc.J, tc.L, ScalesInclusive)
			sx, err := op.Compute(x, nil)
			if err != nil {
				t.Fatal(err)
			}
			sy, err := op.Compute(y, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []Form{Full, Isotropic} {
				ok, i, e := spClose(sx.Vector(f), sy.Vector(f), 1e-10)
				worst = max(worst, e)
				if !ok {
					t.Errorf("%v %d×%d shift (%d,%d) %v: %s differs by %.3g", kind, tc.w, tc.h, tc.dx, tc.dy, f, sx.Labels(f)[i], e)
				}
			}
		}
	}
}

// spRotate90 returns x rotated by 90° on the periodic n×n grid,
// y(r, c) = x(c, −r mod n).
func spRotate90(x []float64, n int) []float64 {
	y := make([]float64, len(x))
	for r := range n {
		for c := range n {
			y[r*n+c] = x[c*n+(n-r)%n]
		}
	}
	return y
}

// TestSpectraRotation checks that the isotropic Φ is invariant under a 90°
// rotation of square fields (L even), that the full S1 and S2 are permuted
// by ℓ → ℓ ± L/2 mod L, and that the full vector is not invariant.
func TestSpectraRotation(t *testing.T) {
	var worst float64
	defer func() { t.Logf("worst relative change of the isotropic vector under 90° rotations: %.2g", worst) }()
	for _, tc := range []struct{ n, J, L int }{{32, 3, 4}, {32, 4, 8}, {24, 3, 2}, {16, 2, 6}} {
		x := spField(tc.n, tc.n, 11, 1)
		y := spRotate90(x, tc.n)
		for _, kind := range spKinds {
			for _, rule := range []ScaleRule{ScalesInclusive, ScalesStrict} {
				op := spOperator(t, kind, tc.n, tc.n, tc.J, tc.L, rule)
				sx, err := op.Compute(x, nil)
				if err != nil {
					t.Fatal(err)
				}
				sy, err := op.Compute(y, nil)
				if err != nil {
					t.Fatal(err)
				}
				ok, i, e := spClose(sx.Vector(Isotropic), sy.Vector(Isotropic), 1e-10)
				worst = max(worst, e)
				if !ok {
					t.Errorf("%v %d² J=%d L=%d %v: isotropic %s differs by %.3g after 90° rotation",
						kind, tc.n, tc.J, tc.L, rule, sx.Labels(Isotropic)[i], e)
				}
				// S1(j, ℓ) of y is S1(j, ℓ + L/2) or S1(j, ℓ − L/2) of x; find which.
				L := tc.L
				var best float64 = math.Inf(1)
				for _, sh := range []int{L / 2, L - L/2} {
					var worst float64
					for j := range tc.J {
						for l := range L {
							a, b := sy.S1[j*L+l], sx.S1[j*L+(l+sh)%L]
							worst = max(worst, math.Abs(a-b)/a)
							a, b = sy.S2[j*L+l], sx.S2[j*L+(l+sh)%L]
							worst = max(worst, math.Abs(a-b)/a)
						}
					}
					best = min(best, worst)
				}
				if best > 1e-10 {
					t.Errorf("%v %d² L=%d: full S1, S2 not permuted by the rotation (error %.3g)", kind, tc.n, L, best)
				}
				if ok, _, _ := spClose(sx.Vector(Full), sy.Vector(Full), 1e-6); ok {
					t.Errorf("%v %d² L=%d: full vector unchanged by a rotation of an anisotropic field", kind, tc.n, L)
				}
			}
		}
	}
}

// TestSpectraConstant checks Φ of constant fields: the mean is the
// constant, S1 and S2 vanish to rounding, S3 and S4 are exactly 0 (every
// band of the normaliser is empty), and the vector is finite.
func TestSpectraConstant(t *testing.T) {
	for _, c := range []float64{0, 3.7, -1e6} {
		for _, kind := range spKinds {
			for _, size := range []int{32, 64} {
				op := spOperator(t, kind, size, size, 4, 4, ScalesInclusive)
				x := make([]float64, size*size)
				for i := range x {
					x[i] = c
				}
				s, err := op.Compute(x, nil)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(s.Mean-c) > 1e-14*math.Abs(c) {
					t.Errorf("%v %g: mean %g", kind, c, s.Mean)
				}
				for lam := range s.S1 {
					if s.S1[lam] > 1e-13*math.Abs(c) || s.S2[lam] > 1e-26*c*c || s.Norm[lam] != 0 {
						t.Errorf("%v %g: S1 %g, S2 %g, Norm %g at λ = %d", kind, c, s.S1[lam], s.S2[lam], s.Norm[lam], lam)
					}
				}
				for _, v := range slices.Concat(s.S3, s.S4) {
					if v != 0 {
						t.Fatalf("%v %g: S3/S4 coefficient %v, want 0", kind, c, v)
					}
				}
				for _, f := range []Form{Full, Isotropic} {
					for i, v := range s.Vector(f) {
						if math.IsNaN(v) || math.IsInf(v, 0) {
							t.Fatalf("%v %g %v: %s = %v", kind, c, f, s.Labels(f)[i], v)
						}
					}
				}
			}
		}
	}
}

// TestSpectraScaling checks the homogeneity of Φ under x → a·x with a fixed
// normaliser: mean × a, S1 × |a|, S2 × a², S3 × a|a|, S4 × a²; and that the
// self-normalised S3, S4 are invariant for a > 0.
func TestSpectraScaling(t *testing.T) {
	const w, h = 32, 32
	x := spField(w, h, 5, 2)
	for _, kind := range spKinds {
		op := spOperator(t, kind, w, h, 4, 4, ScalesInclusive)
		ref, err := op.Compute(x, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range []float64{2.5, -1.5, 1e-3} {
			y := make([]float64, len(x))
			for i, v := range x {
				y[i] = a * v
			}
			s, err := op.Compute(y, ref)
			if err != nil {
				t.Fatal(err)
			}
			rel := func(got, want float64) bool { return math.Abs(got-want) <= 1e-12*math.Abs(want) }
			crel := func(got, want complex128) bool { return cmplx.Abs(got-want) <= 1e-12*max(cmplx.Abs(want), 1e-6*a*a) }
			if !rel(s.Mean, a*ref.Mean) {
				t.Errorf("%v a=%g: mean %g, want %g", kind, a, s.Mean, a*ref.Mean)
			}
			for lam := range s.S1 {
				if !rel(s.S1[lam], math.Abs(a)*ref.S1[lam]) || !rel(s.S2[lam], a*a*ref.S2[lam]) {
					t.Errorf("%v a=%g: S1, S2 at %d not homogeneous", kind, a, lam)
				}
			}
			for i := range s.S3 {
				if !crel(s.S3[i], complex(a*math.Abs(a), 0)*ref.S3[i]) {
					t.Fatalf("%v a=%g: S3[%d] = %v, want %v", kind, a, i, s.S3[i], complex(a*math.Abs(a), 0)*ref.S3[i])
				}
			}
			for i := range s.S4 {
				if !crel(s.S4[i], complex(a*a, 0)*ref.S4[i]) {
					t.Fatalf("%v a=%g: S4[%d] = %v, want %v", kind, a, i, s.S4[i], complex(a*a, 0)*ref.S4[i])
				}
			}
			if a > 0 {
				self, err := op.Compute(y, nil)
				if err != nil {
					t.Fatal(err)
				}
				g := self.Groups(Full)
				if ok, i, e := spClose(self.Vector(Full)[g[3].Start:], ref.Vector(Full)[g[3].Start:], 1e-10); !ok {
					t.Errorf("%v a=%g: self-normalised %s changed by %.3g", kind, a, self.Labels(Full)[g[3].Start+i], e)
				}
			}
		}
	}
}

// TestSpectraNormaliser checks that Compute(x, nil) is Compute(x, Φ(x)),
// that norm may be the destination, and that the isotropic vector is the
// rotation average of the full spectra.
func TestSpectraNormaliser(t *testing.T) {
	const w, h, J, L = 32, 16, 3, 4
	x, y := spField(w, h, 1, 1), spField(w, h, 2, 2)
	op := spOperator(t, wavelet.Morlet, w, h, J, L, ScalesInclusive)
	sx, _ := op.Compute(x, nil)
	sxx, _ := op.Compute(x, sx)
	if !slices.Equal(sx.Vector(Full), sxx.Vector(Full)) || !slices.Equal(sx.Norm, sx.S2) {
		t.Error("Compute(x, nil) differs from Compute(x, Φ(x))")
	}
	sy, _ := op.Compute(y, sx) // y normalised by x
	d := sx.Clone()
	if err := op.ComputeInto(d, y, d); err != nil { // norm = dst: x's S2 read first
		t.Fatal(err)
	}
	if !slices.Equal(d.Vector(Full), sy.Vector(Full)) || !slices.Equal(d.Norm, sx.S2) {
		t.Error("ComputeInto with norm = dst differs from a separate normaliser")
	}
	// Spectra built by hand (no Operator tables) behave the same.
	hand := &Spectra{Width: w, Height: h, J: J, L: L, Rule: ScalesInclusive, Mean: sx.Mean,
		S1: sx.S1, S2: sx.S2, S3: sx.S3, S4: sx.S4, Norm: sx.Norm}
	if !slices.Equal(hand.Vector(Isotropic), sx.Vector(Isotropic)) || !slices.Equal(hand.Labels(Full), sx.Labels(Full)) ||
		hand.S4Index(0, 1, 2, 3, 2, 0) != sx.S4Index(0, 1, 2, 3, 2, 0) {
		t.Error("hand-built spectra differ")
	}
	if sh, err := op.Compute(y, hand); err != nil || !slices.Equal(sh.Vector(Full), sy.Vector(Full)) {
		t.Errorf("hand-built normaliser: %v", err)
	}
	hand.S3 = hand.S3[1:]
	if _, err := op.Compute(y, hand); err == nil {
		t.Error("malformed normaliser gave no error")
	}
	iso := sy.Vector(Isotropic)
	want := []float64{sy.Mean}
	for _, a := range [][]float64{sy.S1, sy.S2} {
		for j := range J {
			var m float64
			for l := range L {
				m += a[j*L+l]
			}
			want = append(want, math.Log(m/L))
		}
	}
	for p := range J * (J + 1) / 2 {
		j1, j := sy.ly.p3[p][0], sy.ly.p3[p][1]
		for dl := range L {
			var m float64
			for l1 := range L {
				m += real(sy.S3[sy.S3Index(j1, l1, j, (l1+dl)%L)])
			}
			want = append(want, m/L)
		}
	}
	if ok, i, e := spClose(iso[:len(want)], want, 1e-14); !ok {
		t.Errorf("isotropic %s differs from the rotation average by %.3g", sy.Labels(Isotropic)[i], e)
	}
	last := sy.S4Index(J-1, 0, J-1, 1, J-1, 3) // δ2 = 1, δ3 = 3: the last triple
	var m float64
	for l1 := range L {
		m += real(sy.S4[sy.S4Index(J-1, l1, J-1, (l1+1)%L, J-1, (l1+3)%L)])
	}
	if got := iso[len(iso)-L*L+1*L+3]; math.Abs(got-m/L) > 1e-14*max(1, math.Abs(got)) || last < 0 {
		t.Errorf("isotropic S4 %g, rotation average %g", got, m/L)
	}
}

// TestSpectraErrors checks the errors of NewOperator, Compute, ParseForm.
func TestSpectraErrors(t *testing.T) {
	if _, err := NewOperator(nil, SpectraOptions{}); err == nil {
		t.Error("NewOperator(nil) gave no error")
	}
	b, _ := wavelet.NewDirectionalBank(wavelet.Morlet, 16, 16, 2, 4)
	if _, err := NewOperator(b, SpectraOptions{Scales: 5}); err == nil {
		t.Error("unknown scale rule gave no error")
	}
	op := spOperator(t, wavelet.Morlet, 16, 16, 2, 4, ScalesInclusive)
	other := spOperator(t, wavelet.Morlet, 16, 16, 3, 4, ScalesInclusive)
	strict := spOperator(t, wavelet.Morlet, 16, 16, 2, 4, ScalesStrict)
	wide := spOperator(t, wavelet.Morlet, 32, 16, 2, 4, ScalesInclusive)
	x := spField(16, 16, 1, 1)
	nan, inf := slices.Clone(x), slices.Clone(x)
	nan[17], inf[3] = math.NaN(), math.Inf(-1)
	so, _ := other.Compute(x, nil)
	ss, _ := strict.Compute(x, nil)
	sw, _ := wide.Compute(spField(32, 16, 1, 1), nil)
	for _, tc := range []struct {
		name string
		x    []float64
		norm *Spectra
		want string
	}{
		{"short", x[:255], nil, "values"},
		{"empty", nil, nil, "values"},
		{"NaN", nan, nil, "NaN"},
		{"Inf", inf, nil, "Inf"},
		{"norm J", x, so, "normaliser"},
		{"norm rule", x, ss, "normaliser"},
		{"norm size", x, sw, "normaliser"},
	} {
		if _, err := op.Compute(tc.x, tc.norm); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Compute error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	if err := op.ComputeInto(nil, x, nil); err == nil {
		t.Error("ComputeInto(nil) gave no error")
	}
	if err := op.ComputeInto(so, x, nil); err == nil {
		t.Error("ComputeInto into spectra of another operator gave no error")
	}
	for _, s := range []string{"full", "ISO", " isotropic "} {
		if _, err := ParseForm(s); err != nil {
			t.Errorf("ParseForm(%q): %v", s, err)
		}
	}
	if _, err := ParseForm("partial"); err == nil {
		t.Error(`ParseForm("partial") gave no error`)
	}
	if Full.String() != "full" || Isotropic.String() != "iso" || ScalesStrict.String() != "strict" {
		t.Error("String methods")
	}
	if s := op.NewSpectra(); s.Vector(0) != nil || s.Labels(3) != nil || s.Groups(0) != nil {
		t.Error("unknown form gives a vector")
	}
}

// TestSpectraAllocs checks that ComputeInto, Loss and LossGrad do not
// allocate once warm.
func TestSpectraAllocs(t *testing.T) {
	op := spOperator(t, wavelet.Morlet, 32, 32, 3, 4, ScalesInclusive)
	x, y := spField(32, 32, 1, 1), spField(32, 32, 2, 1)
	s := op.NewSpectra()
	ty, _ := op.Compute(y, nil)
	tg, err := NewTarget(ty, Isotropic, nil)
	if err != nil {
		t.Fatal(err)
	}
	grad := make([]float64, len(x))
	if _, err := op.LossGrad(x, tg, grad); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(){
		"ComputeInto": func() { _ = op.ComputeInto(s, x, ty) },
		"Loss":        func() { _, _ = op.Loss(x, tg) },
		"LossGrad":    func() { _, _ = op.LossGrad(x, tg, grad) },
	} {
		if a := testing.AllocsPerRun(3, f); a != 0 {
			t.Errorf("%s: %v allocations per run", name, a)
		}
	}
}
