package geometry

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestParseCAlphaMethod(t *testing.T) {
	tests := []struct {
		in      string
		want    CAlphaMethod
		wantErr bool
	}{
		{"paper", CAlphaPaper, false},
		{"code", CAlphaCode, false},
		{" Code ", CAlphaCode, false},
		{"PAPER", CAlphaPaper, false},
		{"", 0, true},
		{"papers", 0, true},
		{"1", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseCAlphaMethod(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseCAlphaMethod(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && got != tt.want {
			t.Errorf("ParseCAlphaMethod(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if err == nil {
			back, err := ParseCAlphaMethod(got.String())
			if err != nil || back != got {
				t.Errorf("ParseCAlphaMethod(%v.String()) = %v, %v", got, back, err)
			}
		}
	}
}

func TestCAlphaErrors(t *testing.T) {
	ok := CAlphaOptions{Size: 16, Alpha: 2}
	tests := []struct {
		name string
		mod  func(o *CAlphaOptions)
		want string
	}{
		{"size 7", func(o *CAlphaOptions) { o.Size = 7 }, "size"},
		{"size 0", func(o *CAlphaOptions) { o.Size = 0 }, "size"},
		{"size negative", func(o *CAlphaOptions) { o.Size = -8 }, "size"},
		{"size 1025", func(o *CAlphaOptions) { o.Size = 1025 }, "size"},
		{"alpha 0", func(o *CAlphaOptions) { o.Alpha = 0 }, "alpha"},
		{"alpha negative", func(o *CAlphaOptions) { o.Alpha = -1 }, "alpha"},
		{"alpha above 6", func(o *CAlphaOptions) { o.Alpha = 6.0001 }, "alpha"},
		{"alpha NaN", func(o *CAlphaOptions) { o.Alpha = math.NaN() }, "alpha"},
		{"alpha +Inf", func(o *CAlphaOptions) { o.Alpha = math.Inf(1) }, "alpha"},
		{"beta negative", func(o *CAlphaOptions) { o.Beta = -1 }, "beta"},
		{"beta above 8", func(o *CAlphaOptions) { o.Beta = 8.5 }, "beta"},
		{"beta NaN", func(o *CAlphaOptions) { o.Beta = math.NaN() }, "beta"},
		{"method", func(o *CAlphaOptions) { o.Method = 7 }, "method"},
	}
	for _, tt := range tests {
		o := ok
		tt.mod(&o)
		img, err := CAlpha(o)
		if err == nil {
			t.Errorf("%s: CAlpha(%+v) returned no error", tt.name, o)
			continue
		}
		if img != nil {
			t.Errorf("%s: CAlpha returned an image with error %v", tt.name, err)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q does not mention %q", tt.name, err, tt.want)
		}
	}
	for _, o := range []CAlphaOptions{
		ok,
		{Size: 8, Alpha: 6, Beta: 8, Method: CAlphaCode},
		{Size: 9, Alpha: 0.01, Method: CAlphaPaper},
	} {
		if _, err := CAlpha(o); err != nil {
			t.Errorf("CAlpha(%+v): %v", o, err)
		}
	}
}

func TestCAlphaDeterminismAndRange(t *testing.T) {
	sizes := []int{8, 33, 64, 80, 100}
	alphas := []float64{0.5, 1, 3, 6}
	for _, method := range []CAlphaMethod{CAlphaPaper, CAlphaCode} {
		for _, n := range sizes {
			for _, a := range alphas {
				o := CAlphaOptions{Size: n, Alpha: a, Method: method, Seed: 17}
				img, err := CAlpha(o)
				if err != nil {
					t.Fatalf("CAlpha(%+v): %v", o, err)
				}
				if img.W != n || img.H != n || len(img.Data) != n*n {
					t.Fatalf("CAlpha(%+v): got %d×%d with %d values", o, img.W, img.H, len(img.Data))
				}
				if err := img.CheckFinite(); err != nil {
					t.Fatalf("CAlpha(%+v): %v", o, err)
				}
				lo, hi := img.MinMax()
				if lo < 0 || hi > 1 {
					t.Errorf("CAlpha(%+v): values in [%v, %v], want within [0, 1]", o, lo, hi)
				}
				if method == CAlphaPaper && (lo != 0 || hi != 1) {
					t.Errorf("CAlpha(%+v): paper image spans [%v, %v], want exactly [0, 1]", o, lo, hi)
				}
				if hi-lo < 0.05 {
					t.Errorf("CAlpha(%+v): nearly constant image, range [%v, %v]", o, lo, hi)
				}
				again, _ := CAlpha(o)
				if !slices.Equal(img.Data, again.Data) {
					t.Errorf("CAlpha(%+v): two calls with the same seed differ", o)
				}
				o.Seed = 18
				other, _ := CAlpha(o)
				if slices.Equal(img.Data, other.Data) {
					t.Errorf("CAlpha(%+v): seeds 17 and 18 give the same image", o)
				}
			}
		}
	}
}

func TestCAlphaLargeSizes(t *testing.T) {
	if testing.Short() {
		t.Skip("large images in -short mode")
	}
	for _, n := range []int{127, 1024} {
		for _, method := range []CAlphaMethod{CAlphaPaper, CAlphaCode} {
			o := CAlphaOptions{Size: n, Alpha: 2.5, Method: method, Seed: 3}
			img, err := CAlpha(o)
			if err != nil {
				t.Fatalf("CAlpha(%+v): %v", o, err)
			}
			if lo, hi := img.MinMax(); lo < 0 || hi > 1 || img.CheckFinite() != nil {
				t.Errorf("CAlpha(%+v): range [%v, %v]", o, lo, hi)
			}
		}
	}
}

// TestCAlphaBeta checks that Beta = 0 means Beta = Alpha and that another
// Beta changes the image.
func TestCAlphaBeta(t *testing.T) {
	for _, method := range []CAlphaMethod{CAlphaPaper, CAlphaCode} {
		a, _ := CAlpha(CAlphaOptions{Size: 32, Alpha: 2, Method: method, Seed: 5})
		b, _ := CAlpha(CAlphaOptions{Size: 32, Alpha: 2, Beta: 2, Method: method, Seed: 5})
		c, _ := CAlpha(CAlphaOptions{Size: 32, Alpha: 2, Beta: 4, Method: method, Seed: 5})
		if !slices.Equal(a.Data, b.Data) {
			t.Errorf("%v: Beta 0 and Beta = Alpha differ", method)
		}
		if slices.Equal(a.Data, c.Data) {
			t.Errorf("%v: Beta 4 gives the same image as Beta 2", method)
		}
	}
}

// laplacianRatio returns the mean squared five-point Laplacian of the
// interior of the n×n field b divided by the variance of b: a dimensionless
// roughness that decreases as the power spectrum |k|^(−2β) steepens.
func laplacianRatio(b []float64, n int) float64 {
	mean := 0.0
	for _, v := range b {
		mean += v
	}
	mean /= float64(len(b))
	variance := 0.0
	for _, v := range b {
		variance += (v - mean) * (v - mean)
	}
	variance /= float64(len(b))
	lap, count := 0.0, 0
	for y := 1; y < n-1; y++ {
		for x := 1; x < n-1; x++ {
			l := b[(y-1)*n+x] + b[(y+1)*n+x] + b[y*n+x-1] + b[y*n+x+1] - 4*b[y*n+x]
			lap += l * l
			count++
		}
	}
	return lap / float64(count) / variance
}

func TestBackgroundSmoothnessGrowsWithBeta(t *testing.T) {
	const n, seeds = 64, 8
	backgrounds := []struct {
		name string
		gen  func(rng *rand.Rand, n int, beta float64) []float64
	}{
		{"paper", paperBackground},
		{"code", codeBackground},
	}
	for _, bg := range backgrounds {
		prev := math.Inf(1)
		for _, beta := range []float64{1, 2, 3, 4} {
			r := 0.0
			for s := uint64(0); s < seeds; s++ {
				rng := rand.New(rand.NewPCG(s, 99))
				r += laplacianRatio(bg.gen(rng, n, beta), n)
			}
			r /= seeds
			t.Logf("%s background, beta %v: mean Laplacian²/variance = %.4g", bg.name, beta, r)
			if !(r < prev/1.5) {
				t.Errorf("%s background: roughness %.4g at beta %v is not well below %.4g at beta %v",
					bg.name, r, beta, prev, beta-1)
			}
			prev = r
		}
	}
}

// TestCAlphaCodeEdge checks that the code variant jumps across its contour:
// the mean difference between the pure-B1 pixel just below and the pure-B2
// pixel just above the (blurred) contour exceeds the typical vertical
// neighbour difference inside the regions several times.
func TestCAlphaCodeEdge(t *testing.T) {
	for _, n := range []int{64, 80} {
		for _, a := range []float64{2, 3} {
			jump, jumps := 0.0, 0
			inner, inners := 0.0, 0
			for s := uint64(0); s < 10; s++ {
				o := CAlphaOptions{Size: n, Alpha: a, Method: CAlphaCode, Seed: s}
				img, rows, err := cAlpha(o)
				if err != nil {
					t.Fatal(err)
				}
				for x := 1; x < n; x++ {
					top := int(min(rows[x-1], rows[x])) - 1    // last pure-B2 row
					bottom := int(max(rows[x-1], rows[x])) + 1 // first pure-B1 row
					if top >= 0 && bottom < n {
						jump += math.Abs(img.At(x, bottom) - img.At(x, top))
						jumps++
					}
					for y := 0; y+1 < n; y++ {
						if y+1 <= top || y >= bottom {
							inner += math.Abs(img.At(x, y+1) - img.At(x, y))
							inners++
						}
					}
				}
			}
			if jumps == 0 || inners == 0 {
				t.Fatalf("n=%d alpha=%v: no contour inside the frame", n, a)
			}
			jump /= float64(jumps)
			inner /= float64(inners)
			t.Logf("n=%d alpha=%v: mean jump %.4f, mean inner neighbour difference %.4f", n, a, jump, inner)
			if jump < 3*inner {
				t.Errorf("n=%d alpha=%v: jump %.4f across the contour is not ≥ 3× the inner difference %.4f",
					n, a, jump, inner)
			}
		}
	}
}

// TestCAlphaPaperContour checks that the paper contour stays within the
// middle half, touches its bound and separates the two backgrounds.
func TestCAlphaPaperContour(t *testing.T) {
	for _, n := range []int{8, 33, 80} {
		o := CAlphaOptions{Size: n, Alpha: 1.5, Method: CAlphaPaper, Seed: 2}
		_, boundary, err := cAlpha(o)
		if err != nil {
			t.Fatal(err)
		}
		q := float64(n) / 4
		touched := false
		for x, b := range boundary {
			if b < 2*q-q-1e-9 || b > 2*q+q+1e-9 {
				t.Errorf("n=%d: boundary %v at column %d outside [%v, %v]", n, b, x, q, 3*q)
			}
			if math.Abs(math.Abs(b-2*q)-q) < 1e-9 {
				touched = true
			}
		}
		if !touched {
			t.Errorf("n=%d: contour never reaches its normalised extent N/4", n)
		}
	}
}

func TestBoxBlur2x2(t *testing.T) {
	tests := []struct {
		name string
		n    int
		in   []float64
		want []float64
	}{
		{"constant", 2, []float64{1, 1, 1, 1}, []float64{1, 1, 1, 1}},
		{"horizontal step", 3,
			[]float64{
				0, 0, 0,
				1, 1, 1,
				1, 1, 1,
			},
			[]float64{
				0.5, 0.5, 0.5, // row 0 averages rows 1 (reflected) and 0
				0.5, 0.5, 0.5,
				1, 1, 1,
			}},
		{"corner pixel", 3,
			[]float64{
				4, 0, 0,
				0, 0, 0,
				0, 0, 0,
			},
			[]float64{
				1, 1, 0,
				1, 1, 0,
				0, 0, 0,
			}},
		{"inner pixel", 4,
			[]float64{
				0, 0, 0, 0,
				0, 0, 0, 0,
				0, 0, 4, 0,
				0, 0, 0, 0,
			},
			[]float64{
				0, 0, 0, 0,
				0, 0, 0, 0,
				0, 0, 1, 1,
				0, 0, 1, 1,
			}},
		{"pixel seen through the reflection", 3,
			[]float64{
				0, 0, 0,
				0, 4, 0,
				0, 0, 0,
			},
			[]float64{
				1, 1, 1,
				1, 1, 1,
				1, 1, 1,
			}},
	}
	for _, tt := range tests {
		got := boxBlur2x2(tt.in, tt.n)
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-12 {
				t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
				break
			}
		}
	}
}
