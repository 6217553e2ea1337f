package scattering

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"scalewise/engine/wavelet"
)

// TestLowPassPower checks P_φ against its definition in pixel space: the
// mean of |(x − E x) ⋆ φ_J|², the circular convolution computed directly
// from the low-pass's impulse response (inverse DFT of φ̂, which is even).
func TestLowPassPower(t *testing.T) {
	const w, h = 12, 8
	b, err := wavelet.NewDirectionalBank(wavelet.BumpSteerable, w, h, 2, 4)
	if err != nil {
		t.Fatal(err)
	}
	phi := b.Phi()
	r := rand.New(rand.NewPCG(7, 8))
	x := make([]float64, w*h)
	for i := range x {
		x[i] = r.NormFloat64() + 3
	}
	lp, err := newLowPass(x, phi, w, h, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Impulse response φ(p) = (1/MN) Σ_k φ̂(k) e^{iωp}.
	imp := make([]float64, w*h)
	for py := range h {
		for px := range w {
			var s float64
			for i, v := range phi {
				kx, ky := i%w, i/w
				s += v * math.Cos(2*math.Pi*(float64(kx*px)/w+float64(ky*py)/h))
			}
			imp[py*w+px] = s / float64(w*h)
		}
	}
	m, _ := spMeanStd(x)
	var want float64
	for y := range h {
		for xx := range w {
			var c float64
			for py := range h {
				for px := range w {
					c += (x[((y-py+h)%h)*w+(xx-px+w)%w] - m) * imp[py*w+px]
				}
			}
			want += c * c
		}
	}
	want /= float64(w * h)
	if got := lp.power(x); math.Abs(got-want) > 1e-12*want {
		t.Errorf("P_φ = %v, want %v", got, want)
	}
	if lp.relErr(x) != 0 {
		t.Errorf("relErr of the target %v", lp.relErr(x))
	}
}

// TestSynthesisLowPassGradient compares the synthesis loss with the
// low-pass term (and the marginal term) with central finite differences
// on a 16×16 field, along random directions and single pixels.
func TestSynthesisLowPassGradient(t *testing.T) {
	n := 16
	op := spOperator(t, wavelet.BumpSteerable, n, n, 3, 4, ScalesInclusive)
	target := spField(n, n, 2, 1)
	r := rand.New(rand.NewPCG(9, 10))
	for _, o := range []SynthOptions{{Seed: 1, LowPass: 50}, {Seed: 2, LowPass: 20, Histogram: 1, HistogramQuantiles: 8}} {
		s := synthNew(t, op, target, o)
		x := slices.Clone(s.Field())
		g := make([]float64, len(x))
		f0, err := s.evaluate(x, g)
		if err != nil {
			t.Fatal(err)
		}
		if d := s.lp.lossGrad(x, make([]float64, len(x))); !(d > 0.05*f0) {
			t.Fatalf("%+v: low-pass part %v of loss %v too small to test", o, d, f0)
		}
		synthCheckFD(t, s, x, g, r, fmt.Sprintf("%+v", o))
	}
}

// TestSynthesisLowPass synthesises a 32×32 field with and without the
// low-pass term: with it the low-pass band power of the synthesis matches
// the target's (|log ratio| below 0.05), without it it is left where the
// white-noise start put it; the statistic error converges either way.
func TestSynthesisLowPass(t *testing.T) {
	n := 32
	op := spOperator(t, wavelet.BumpSteerable, n, n, 4, 4, ScalesInclusive)
	target := spField(n, n, 3, 1)
	var errs [2]float64
	for i, lp := range []float64{0, 1} {
		s := synthNew(t, op, target, SynthOptions{Seed: 1, MaxIter: 150, LowPass: lp})
		if err := s.Run(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		if s.RelErr() > 0.01 {
			t.Errorf("LowPass %v: rel. error %.3g", lp, s.RelErr())
		}
		// Measure with a term-bearing synthesis's lowPass either way.
		l, err := newLowPass(target, op.bank.Phi(), n, n, 1)
		if err != nil {
			t.Fatal(err)
		}
		errs[i] = l.relErr(s.Field())
		t.Logf("LowPass %v: |log P_φ ratio| %.4f, rel. error %.3g after %d iterations", lp, errs[i], s.RelErr(), s.Iter())
		if lp == 0 && !math.IsNaN(s.LowPassErr()) {
			t.Errorf("LowPassErr %v with the term off", s.LowPassErr())
		}
		if lp > 0 && math.Abs(s.LowPassErr()-errs[i]) > 1e-12 {
			t.Errorf("LowPassErr %v, want %v", s.LowPassErr(), errs[i])
		}
	}
	if !(errs[1] < 0.05 && errs[1] < errs[0]/3) {
		t.Errorf("low-pass |log ratio| %.4f with the term, %.4f without", errs[1], errs[0])
	}
	for _, o := range []SynthOptions{{LowPass: -1}, {LowPass: math.NaN()}, {LowPass: math.Inf(1)}} {
		if _, err := NewSynthesis(op, target, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}
