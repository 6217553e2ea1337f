package fourier

import (
	"fmt"
	"testing"

	dspfft "github.com/mjibson/go-dsp/fft"
	gonumfft "gonum.org/v1/gonum/dsp/fourier"
)

// benchSizes are the square sizes of the backend comparison; 96 is not a
// power of two (go-dsp then uses Bluestein's algorithm, gonum FFTPACK's
// radix-3 and radix-4 passes).
var benchSizes = []int{64, 96, 128, 256}

// BenchmarkFFT2 compares one forward 2-D complex FFT of an n×n field with
// the two candidate backends:
//
//	gonum: Plan2D.Forward (row–column, no allocation; gonum dsp/fourier
//	       CoefficientsRadix4/Radix2 on power-of-two axes, CmplxFFT otherwise),
//	gonum-fftpack: the same with gonum's CmplxFFT (FFTPACK) on every axis,
//	godsp: github.com/mjibson/go-dsp/fft.FFT2 on [][]complex128 (allocates its
//	       result and one column per call; radix 2 with GOMAXPROCS goroutines,
//	       Bluestein otherwise).
//
// Run natively with
//
//	go test -run XXX -bench FFT2 -cpu 1 ./engine/fourier
//
// and under js/wasm in Node with
//
//	PATH="$(go env GOROOT)/lib/wasm:$PATH" GOOS=js GOARCH=wasm go test -run XXX -bench FFT2 ./engine/fourier
func BenchmarkFFT2(b *testing.B) {
	for _, n := range benchSizes {
		x := randomComplex(n*n, uint64(n))
		for _, v := range []struct {
			name  string
			radix bool
		}{{"gonum", true}, {"gonum-fftpack", false}} {
			b.Run(fmt.Sprintf("%s/%d", v.name, n), func(b *testing.B) {
				p, err := newPlan2D(n, n, v.radix)
				if err != nil {
					b.Fatal(err)
				}
				y := make([]complex128, n*n)
				b.ReportAllocs()
				for b.Loop() {
					if err := p.Forward(y, x); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(fmt.Sprintf("godsp/%d", n), func(b *testing.B) {
			rows := make([][]complex128, n)
			for r := range rows {
				rows[r] = x[r*n : (r+1)*n]
			}
			dspfft.FFT2(rows) // fill go-dsp's global twiddle caches
			b.ReportAllocs()
			for b.Loop() {
				dspfft.FFT2(rows)
			}
		})
	}
}

// BenchmarkRealRoundTrip times ForwardReal followed by InverseReal, the
// pattern of filtering a real field.
func BenchmarkRealRoundTrip(b *testing.B) {
	for _, n := range []int{64, 128, 256} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p, err := NewPlan2D(n, n)
			if err != nil {
				b.Fatal(err)
			}
			x := randomReal(n*n, 1)
			y := make([]complex128, n*n)
			b.ReportAllocs()
			for b.Loop() {
				_ = p.ForwardReal(y, x)
				_ = p.InverseReal(x, y)
			}
		})
	}
}

// BenchmarkFFT1 compares gonum's 1-D CmplxFFT (FFTPACK) with gonum's
// in-place power-of-four CoefficientsRadix4 at length 256.
func BenchmarkFFT1(b *testing.B) {
	const n = 256
	x := randomComplex(n, 9)
	b.Run("cmplxfft", func(b *testing.B) {
		t := gonumfft.NewCmplxFFT(n)
		y := make([]complex128, n)
		for b.Loop() {
			t.Coefficients(y, x)
		}
	})
	b.Run("radix4", func(b *testing.B) {
		y := make([]complex128, n)
		for b.Loop() {
			copy(y, x)
			gonumfft.CoefficientsRadix4(y)
		}
	})
}

// BenchmarkHalfRoundTrip times ForwardHalf followed by InverseHalf, the
// pattern of filtering a real field by a real even gain (compare
// BenchmarkRealRoundTrip).
func BenchmarkHalfRoundTrip(b *testing.B) {
	for _, n := range []int{64, 128, 256} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p, err := NewPlan2D(n, n)
			if err != nil {
				b.Fatal(err)
			}
			x := randomReal(n*n, 1)
			y := make([]complex128, p.HalfLen())
			b.ReportAllocs()
			for b.Loop() {
				_ = p.ForwardHalf(y, x)
				_ = p.InverseHalf(x, y)
			}
		})
	}
}

// BenchmarkFilterHalf times FilterHalf, the filtering of a real field by a
// real even gain without leaving the internal half-spectrum layout
// (compare BenchmarkHalfRoundTrip).
func BenchmarkFilterHalf(b *testing.B) {
	for _, n := range []int{64, 128, 256} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p, err := NewPlan2D(n, n)
			if err != nil {
				b.Fatal(err)
			}
			x := randomReal(n*n, 1)
			g := make([]float64, p.HalfLen())
			for i := range g {
				g[i] = 1
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = p.FilterHalf(x, x, g)
			}
		})
	}
}
