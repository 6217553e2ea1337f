package scattering

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"scalewise/engine/polyspectra"
	"scalewise/engine/wavelet"
)

// TestSpectrumTermPower checks the ring powers of the power-spectrum term
// against their definition, P_i = Σ_{k∈ring i} |x̂(k)|²/(m_i·MN), with x̂
// the DFT computed term by term, on a 12×8 field (rings of cycles per 12
// pixels, so that the non-square grid is exercised), and that the target's
// own error is 0.
func TestSpectrumTermPower(t *testing.T) {
	const w, h = 12, 8
	r := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, w*h)
	for i := range x {
		x[i] = r.NormFloat64() + 2
	}
	for _, per := range []int{1, 2, 4} {
		s, err := newSpectrumTerm(x, w, h, per, 1)
		if err != nil {
			t.Fatal(err)
		}
		rings, err := polyspectra.NewOctaveRings(w, h, per)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := rings.Edges()
		want := make([]float64, rings.Len())
		cnt := make([]float64, rings.Len())
		for ky := range h {
			for kx := range w {
				var re, im float64
				for y := range h {
					for xx := range w {
						a := -2 * math.Pi * (float64(kx*xx)/w + float64(ky*y)/h)
						re += x[y*w+xx] * math.Cos(a)
						im += x[y*w+xx] * math.Sin(a)
					}
				}
				// |k| in cycles per max(w, h) = 12 pixels.
				fx := float64(kx)
				if 2*kx >= w {
					fx -= w
				}
				fy := float64(ky)
				if 2*ky >= h {
					fy -= h
				}
				k := math.Hypot(fx, fy*w/h)
				for i := range lo {
					if k >= lo[i]-1e-9 && (k < hi[i]-1e-9 || (i == len(lo)-1 && k <= hi[i]+1e-9)) {
						want[i] += re*re + im*im
						cnt[i]++
					}
				}
			}
		}
		s.power(x)
		for i := range want {
			want[i] /= cnt[i] * w * h
			if math.Abs(s.p[i]-want[i]) > 1e-12*want[i] {
				t.Errorf("%d per octave: ring %d [%.3g, %.3g): P = %v, want %v", per, i, lo[i], hi[i], s.p[i], want[i])
			}
		}
		if e := s.relErr(x); e != 0 {
			t.Errorf("%d per octave: relErr of the target %v", per, e)
		}
	}
}

// TestSynthesisSpectrumGradient compares the synthesis loss with the
// power-spectrum term (alone with the statistics, and with the marginal
// and low-pass terms) with central finite differences on a 16×16 field,
// along random directions and single pixels, for 2 and 4 rings per
// octave.
func TestSynthesisSpectrumGradient(t *testing.T) {
	n := 16
	op := spOperator(t, wavelet.BumpSteerable, n, n, 3, 4, ScalesInclusive)
	target := spField(n, n, 2, 1)
	r := rand.New(rand.NewPCG(11, 12))
	for _, o := range []SynthOptions{
		{Seed: 1, PowerSpectrum: 30, PowerSpectrumRings: 2},
		{Seed: 2, PowerSpectrum: 10, PowerSpectrumRings: 4, Histogram: 1, HistogramQuantiles: 8, LowPass: 5},
	} {
		s := synthNew(t, op, target, o)
		x := slices.Clone(s.Field())
		g := make([]float64, len(x))
		f0, err := s.evaluate(x, g)
		if err != nil {
			t.Fatal(err)
		}
		if d := s.ps.lossGrad(x, make([]float64, len(x))); !(d > 0.05*f0) {
			t.Fatalf("%+v: spectrum part %v of loss %v too small to test", o, d, f0)
		}
		synthCheckFD(t, s, x, g, r, fmt.Sprintf("%+v", o))
	}
}

// TestSpectrumTermNoAllocs checks that an evaluation of the term does not
// allocate.
func TestSpectrumTermNoAllocs(t *testing.T) {
	const n = 32
	x := spField(n, n, 5, 1)
	s, err := newSpectrumTerm(x, n, n, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	y := spField(n, n, 6, 1)
	g := make([]float64, n*n)
	if a := testing.AllocsPerRun(10, func() { s.lossGrad(y, g); s.relErr(y) }); a != 0 {
		t.Errorf("spectrum term allocates %v times per evaluation", a)
	}
}

// TestSynthesisSpectrumAllocs checks that Step with the power-spectrum
// term (and the default weights and marginal term) does not allocate, nor
// SpectrumErr.
func TestSynthesisSpectrumAllocs(t *testing.T) {
	op := spOperator(t, wavelet.BumpSteerable, 16, 16, 2, 4, ScalesInclusive)
	w := DefaultSynthWeights()
	s := synthNew(t, op, spField(16, 16, 2, 1), SynthOptions{Seed: 1, MaxIter: 1000, Tol: 1e-300, Weights: &w,
		Histogram: DefaultMarginalWeight, HistogramQuantiles: 10, PowerSpectrum: DefaultPowerSpectrumWeight})
	if a := testing.AllocsPerRun(5, func() {
		if _, err := s.Step(); err != nil {
			t.Fatal(err)
		}
		_ = s.SpectrumErr()
	}); a != 0 {
		t.Errorf("Step allocates %v times", a)
	}
}

// TestSynthesisSpectrum synthesises a 32×32 field with and without the
// power-spectrum term: with it the ring powers of the synthesis match the
// target's (mean |log ratio| below 0.02 and 3× below the run without),
// and the statistic error converges either way; bad options are refused.
func TestSynthesisSpectrum(t *testing.T) {
	n := 32
	op := spOperator(t, wavelet.BumpSteerable, n, n, 4, 4, ScalesInclusive)
	target := spField(n, n, 3, 1)
	var errs [2]float64
	for i, ps := range []float64{0, 1} {
		s := synthNew(t, op, target, SynthOptions{Seed: 1, MaxIter: 150, PowerSpectrum: ps})
		if err := s.Run(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		if s.RelErr() > 0.01 {
			t.Errorf("PowerSpectrum %v: rel. error %.3g", ps, s.RelErr())
		}
		errs[i] = s.SpectrumErr()
		t.Logf("PowerSpectrum %v: ring |log ratio| %.4f, rel. error %.3g after %d iterations", ps, errs[i], s.RelErr(), s.Iter())
	}
	if !(errs[1] < 0.02 && errs[1] < errs[0]/3) {
		t.Errorf("ring |log ratio| %.4f with the term, %.4f without", errs[1], errs[0])
	}
	for _, o := range []SynthOptions{{PowerSpectrum: -1}, {PowerSpectrum: math.NaN()}, {PowerSpectrum: math.Inf(1)},
		{PowerSpectrumRings: -1}, {PowerSpectrumRings: polyspectra.MaxRingsPerOctave + 1}} {
		if _, err := NewSynthesis(op, target, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}
