package denoise

import (
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"

	"scalewise/engine/field"
)

// gaussianFieldSet returns n stationary Gaussian random fields of size
// l×l (periodic), with power spectrum ∝ 1/(1+|k|²) in integer frequency
// units, mean 0.5 and std 0.15, and their noisy versions at noise std sigma.
func gaussianFieldSet(t *testing.T, n, l int, sigma float64) (clean, noisy []*field.Field) {
	t.Helper()
	fft := fourier.NewCmplxFFT(l)
	line := make([]complex128, l)
	// transform2 applies tr to the rows and then the columns of z (l×l).
	transform2 := func(z []complex128, tr func(dst, src []complex128) []complex128) {
		for y := range l {
			tr(z[y*l:(y+1)*l], z[y*l:(y+1)*l])
		}
		for x := range l {
			for y := range l {
				line[y] = z[y*l+x]
			}
			tr(line, line)
			for y := range l {
				z[y*l+x] = line[y]
			}
		}
	}
	fold := func(k int) float64 { return float64(min(k, l-k)) }
	amp := make([]float64, l*l)
	sumP := 0.0
	for k2 := range l {
		for k1 := range l {
			p := 1 / (1 + fold(k1)*fold(k1) + fold(k2)*fold(k2))
			amp[k2*l+k1] = math.Sqrt(p)
			sumP += p
		}
	}
	// White noise of unit variance has E|ŵ(k)|² = l², so the field
	// IDFT(√P·ŵ)/l² has variance ΣP/l².
	scale := 0.15 / math.Sqrt(sumP/float64(l*l)) / float64(l*l)
	rng := rand.New(rand.NewPCG(7, 11))
	z := make([]complex128, l*l)
	for i := range n {
		for k := range z {
			z[k] = complex(rng.NormFloat64(), 0)
		}
		transform2(z, fft.Coefficients)
		for k := range z {
			z[k] *= complex(amp[k], 0)
		}
		transform2(z, fft.Sequence)
		x := field.New(l, l)
		for k := range x.Data {
			x.Data[k] = 0.5 + scale*real(z[k])
		}
		clean = append(clean, x)
		noisy = append(noisy, AddNoise(x, sigma, uint64(5000+i)))
	}
	return clean, noisy
}

func TestMirrorFFTRoundTrip(t *testing.T) {
	for _, sz := range [][2]int{{1, 1}, {1, 4}, {5, 3}, {8, 8}, {7, 16}} {
		w, h := sz[0], sz[1]
		rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
		src := make([]float64, w*h)
		for i := range src {
			src[i] = rng.NormFloat64()
		}
		p := newMirrorFFT(w, h)
		ones := make([]float64, 4*w*h)
		for i := range ones {
			ones[i] = 1
		}
		dst := make([]float64, w*h)
		p.filter(dst, src, ones)
		for i := range src {
			if math.Abs(dst[i]-src[i]) > 1e-12 {
				t.Errorf("%d×%d: unit gain changes pixel %d from %v to %v", w, h, i, src[i], dst[i])
				break
			}
		}
	}
}

// TestMirrorNoisePower checks the noise power σ²·N·m(k₁)·m(k₂) of
// OracleWiener: for white noise of unit variance, E|ẑ(k)|² is the sum over
// the pixels x of |ê_x(k)|², ê_x being the transform of the extension of
// the unit impulse at x.
func TestMirrorNoisePower(t *testing.T) {
	for _, sz := range [][2]int{{1, 1}, {5, 4}, {6, 3}} {
		w, h := sz[0], sz[1]
		p := newMirrorFFT(w, h)
		var imgs []*field.Field
		for i := range w * h {
			e := field.New(w, h)
			e.Data[i] = 1
			imgs = append(imgs, e)
		}
		s := p.powerSpectrum(imgs) // (1/WH) Σ_x |ê_x(k)|²
		n := float64(4 * w * h)
		for k2 := range 2 * h {
			for k1 := range 2 * w {
				got := s[k2*2*w+k1] * float64(w*h)
				want := n * mirrorNoiseFactor(k1, w) * mirrorNoiseFactor(k2, h)
				if math.Abs(got-want) > 1e-9*n {
					t.Errorf("%d×%d: noise power at (%d, %d) = %v, want %v", w, h, k1, k2, got, want)
				}
			}
		}
	}
}

func TestOracleWienerBeatsGaussian(t *testing.T) {
	tests := []struct {
		name  string
		sigma float64
		set   func(t *testing.T, sigma float64) (clean, noisy []*field.Field)
	}{
		{"gaussian-field σ=0.05", 0.05, func(t *testing.T, s float64) ([]*field.Field, []*field.Field) { return gaussianFieldSet(t, 12, 32, s) }},
		{"gaussian-field σ=0.2", 0.2, func(t *testing.T, s float64) ([]*field.Field, []*field.Field) { return gaussianFieldSet(t, 12, 32, s) }},
		{"calpha2 σ=0.1", 0.1, func(t *testing.T, s float64) ([]*field.Field, []*field.Field) { return calphaSet(t, 6, 32, s) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clean, noisy := tt.set(t, tt.sigma)
			input := meanPSNR(t, clean, noisy, func(y *field.Field) (*field.Field, error) { return y, nil })
			g, err := BestGaussian(clean, noisy)
			if err != nil {
				t.Fatal(err)
			}
			wf, err := OracleWiener(clean, noisy, tt.sigma)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("input %.3f dB, best Gaussian %.3f dB (std %.3f), Wiener oracle %.3f dB", input, g.PSNR, g.Param, wf.PSNR)
			if wf.Name != "wiener-oracle" || wf.Param != 0 {
				t.Errorf("OracleWiener = %+v", wf)
			}
			if wf.PSNR < input+1 {
				t.Errorf("Wiener PSNR %v barely above the input's %v", wf.PSNR, input)
			}
			if wf.PSNR < g.PSNR-0.05 {
				t.Errorf("Wiener PSNR %v below the best Gaussian's %v", wf.PSNR, g.PSNR)
			}
			prev := runtime.GOMAXPROCS(1)
			w1, err := OracleWiener(clean, noisy, tt.sigma)
			runtime.GOMAXPROCS(prev)
			if err != nil || w1 != wf {
				t.Errorf("with one goroutine: %+v, %v; want %+v", w1, err, wf)
			}
		})
	}
}

func TestOracleWienerTinyNoise(t *testing.T) {
	const sigma = 1e-7
	clean, noisy := gaussianFieldSet(t, 4, 16, sigma)
	w, h := clean[0].W, clean[0].H
	p := newMirrorFFT(w, h)
	gain := p.wienerGain(p.powerSpectrum(clean), sigma)
	out := make([]float64, w*h)
	for i, y := range noisy {
		p.filter(out, y.Data, gain)
		for k, v := range out {
			if d := math.Abs(v - y.Data[k]); d > 0.05*sigma {
				t.Fatalf("image %d pixel %d: output %v differs from input %v by %v", i, k, v, y.Data[k], d)
			}
		}
	}
	input := meanPSNR(t, clean, noisy, func(y *field.Field) (*field.Field, error) { return y, nil })
	wf, err := OracleWiener(clean, noisy, sigma)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(wf.PSNR-input) > 0.05 {
		t.Errorf("Wiener PSNR %v at σ = %v, input %v", wf.PSNR, sigma, input)
	}
}

func TestOracleWienerErrors(t *testing.T) {
	clean, noisy := gaussianFieldSet(t, 2, 8, 0.1)
	small := field.New(4, 8)
	bad := noisy[1].Clone()
	bad.Data[3] = math.NaN()
	tests := []struct {
		name         string
		clean, noisy []*field.Field
		sigma        float64
		want         string
	}{
		{"empty", nil, nil, 0.1, "no images"},
		{"counts", clean, noisy[:1], 0.1, "noisy images"},
		{"pair size", clean, []*field.Field{noisy[0], small}, 0.1, "is 8×8"},
		{"set size", []*field.Field{clean[0], small}, []*field.Field{noisy[0], small}, 0.1, "image 1 is 4×8"},
		{"nil", []*field.Field{clean[0], nil}, noisy, 0.1, "nil"},
		{"NaN pixel", clean, []*field.Field{noisy[0], bad}, 0.1, "noisy image 1"},
		{"zero σ", clean, noisy, 0, "positive"},
		{"negative σ", clean, noisy, -0.1, "positive"},
		{"NaN σ", clean, noisy, math.NaN(), "positive"},
		{"infinite σ", clean, noisy, math.Inf(1), "positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := OracleWiener(tt.clean, tt.noisy, tt.sigma)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("OracleWiener = %+v, %v; want an error containing %q", b, err, tt.want)
			}
		})
	}
}
