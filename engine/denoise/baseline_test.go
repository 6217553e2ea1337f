package denoise

import (
	"math"
	"runtime"
	"strings"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/engine/wavelet"
)

// calphaSet returns n C^α images (α = 2, code variant) of size×size and
// their noisy versions at noise std sigma.
func calphaSet(t *testing.T, n, size int, sigma float64) (clean, noisy []*field.Field) {
	t.Helper()
	for i := range n {
		x, err := geometry.CAlpha(geometry.CAlphaOptions{Size: size, Alpha: 2, Method: geometry.CAlphaCode, Seed: uint64(i)})
		if err != nil {
			t.Fatal(err)
		}
		clean = append(clean, x)
		noisy = append(noisy, AddNoise(x, sigma, uint64(1000+i)))
	}
	return clean, noisy
}

// meanPSNR returns the mean PSNR of den(noisy[i]) against clean[i].
func meanPSNR(t *testing.T, clean, noisy []*field.Field, den func(*field.Field) (*field.Field, error)) float64 {
	t.Helper()
	s := 0.0
	for i := range clean {
		est, err := den(noisy[i])
		if err != nil {
			t.Fatal(err)
		}
		p, err := PSNR(clean[i], est)
		if err != nil {
			t.Fatal(err)
		}
		s += p
	}
	return s / float64(len(clean))
}

func TestBaselinesOnCAlpha(t *testing.T) {
	const sigma, size, levels = 0.1, 64, 4
	clean, noisy := calphaSet(t, 8, size, sigma)
	w := mustWavelet(t, "db4")
	input := meanPSNR(t, clean, noisy, func(y *field.Field) (*field.Field, error) { return y, nil })
	if math.Abs(input-20) > 0.5 {
		t.Errorf("input PSNR %v at σ = 0.1, want ≈ 20 dB", input)
	}

	g, err := BestGaussian(clean, noisy)
	if err != nil {
		t.Fatal(err)
	}
	if g.Name != "gaussian" || g.PSNR < input+3 {
		t.Errorf("BestGaussian = %+v; input PSNR %v", g, input)
	}
	if !(g.Param > gaussianMinStd*1.01 && g.Param < size/4*0.99) {
		t.Errorf("best Gaussian std %v not interior to [%v, %v]", g.Param, gaussianMinStd, size/4)
	}
	direct := meanPSNR(t, clean, noisy, func(y *field.Field) (*field.Field, error) { return GaussianFilter(y, g.Param) })
	if math.Abs(direct-g.PSNR) > 1e-9 {
		t.Errorf("BestGaussian PSNR %v, direct %v", g.PSNR, direct)
	}
	// The optimum is a local maximum.
	for _, f := range []float64{0.9, 1.1} {
		p := meanPSNR(t, clean, noisy, func(y *field.Field) (*field.Field, error) { return GaussianFilter(y, f*g.Param) })
		if p > g.PSNR {
			t.Errorf("Gaussian std %v gives %v > %v at the optimum %v", f*g.Param, p, g.PSNR, g.Param)
		}
	}

	s, err := BestWaveletThreshold(clean, noisy, w, levels)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "soft-db4" || s.PSNR < input+3 {
		t.Errorf("BestWaveletThreshold = %+v; input PSNR %v", s, input)
	}
	sigmaMax := 0.0
	for _, y := range noisy {
		e, _ := EstimateNoiseMAD(y, w)
		sigmaMax = max(sigmaMax, e)
	}
	if tMax := thresholdMaxSigmas * sigmaMax; !(s.Param > tMax/thresholdRange*1.01 && s.Param < tMax*0.99) {
		t.Errorf("best threshold %v not interior to [%v, %v]", s.Param, tMax/thresholdRange, tMax)
	}
	if s.Param < 0.5*sigma || s.Param > 4*sigma {
		t.Errorf("best threshold %v far from σ = %v", s.Param, sigma)
	}
	direct = meanPSNR(t, clean, noisy, func(y *field.Field) (*field.Field, error) {
		return WaveletSoftThreshold(y, w, levels, s.Param)
	})
	if math.Abs(direct-s.PSNR) > 1e-9 {
		t.Errorf("BestWaveletThreshold PSNR %v, direct %v", s.PSNR, direct)
	}

	// Deterministic, whatever the number of goroutines.
	prev := runtime.GOMAXPROCS(1)
	g1, err1 := BestGaussian(clean, noisy)
	s1, err2 := BestWaveletThreshold(clean, noisy, w, levels)
	runtime.GOMAXPROCS(prev)
	if err1 != nil || err2 != nil || g1 != g || s1 != s {
		t.Errorf("with one goroutine: %+v, %+v; want %+v, %+v", g1, s1, g, s)
	}
}

func TestBaselinesNoiseless(t *testing.T) {
	clean, _ := calphaSet(t, 3, 32, 0)
	w := mustWavelet(t, "haar")
	g, err := BestGaussian(clean, clean)
	if err != nil || g.Param != 0 || !math.IsInf(g.PSNR, 1) {
		t.Errorf("BestGaussian(noiseless) = %+v, %v; want parameter 0 and +Inf dB", g, err)
	}
	s, err := BestWaveletThreshold(clean, clean, w, 3)
	if err != nil || s.Param != 0 || !math.IsInf(s.PSNR, 1) {
		t.Errorf("BestWaveletThreshold(noiseless) = %+v, %v; want parameter 0 and +Inf dB", s, err)
	}
	flat := []*field.Field{constant(16, 16, 0.5)}
	s, err = BestWaveletThreshold(flat, flat, w, 2)
	if err != nil || s.Param != 0 || !math.IsInf(s.PSNR, 1) {
		t.Errorf("BestWaveletThreshold(constant) = %+v, %v", s, err)
	}
}

func TestBaselineErrors(t *testing.T) {
	a, b := constant(16, 16, 0), constant(16, 16, 0.1)
	nan := b.Clone()
	nan.Data[0] = math.NaN()
	db4, _ := wavelet.ByName("db4")
	tests := []struct {
		name         string
		clean, noisy []*field.Field
		want         string
	}{
		{"empty", nil, nil, "no images"},
		{"lengths", []*field.Field{a, a}, []*field.Field{b}, "2 clean"},
		{"nil clean", []*field.Field{nil}, []*field.Field{b}, "nil"},
		{"nil noisy", []*field.Field{a}, []*field.Field{nil}, "nil"},
		{"pair sizes", []*field.Field{a}, []*field.Field{constant(16, 8, 0)}, "16×8"},
		{"set sizes", []*field.Field{a, constant(8, 8, 0)}, []*field.Field{b, constant(8, 8, 0)}, "image 1"},
		{"NaN", []*field.Field{a}, []*field.Field{nan}, "NaN"},
	}
	for _, tt := range tests {
		if _, err := BestGaussian(tt.clean, tt.noisy); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: BestGaussian error %v, want one mentioning %q", tt.name, err, tt.want)
		}
		if _, err := BestWaveletThreshold(tt.clean, tt.noisy, db4, 2); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: BestWaveletThreshold error %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}
	one, other := []*field.Field{a}, []*field.Field{b}
	for _, tt := range []struct {
		name   string
		w      *wavelet.Wavelet
		levels int
	}{
		{"nil wavelet", nil, 2},
		{"levels 0", db4, 0},
		{"negative levels", db4, -1},
		{"too many levels", db4, 5},
	} {
		if _, err := BestWaveletThreshold(one, other, tt.w, tt.levels); err == nil {
			t.Errorf("%s: BestWaveletThreshold returned no error", tt.name)
		}
	}
}
