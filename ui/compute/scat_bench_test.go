package compute

import (
	"testing"
	"time"

	"scalewise/engine/scattering"
	"scalewise/ui/protocol"
)

// scatFormerOptions returns the options the page synthesised with before
// it took scattering.DefaultSynthOptions: uniform statistic weights, the
// marginal term, no power-spectrum term (the baseline of
// BenchmarkScatPageSynth).
func scatFormerOptions(r *ScatSynthRequest, form scattering.Form, hw float64, hk int) scattering.SynthOptions {
	return scattering.SynthOptions{Seed: r.Seed, MaxIter: r.MaxIter, Tol: r.Tol, Form: form, Histogram: hw, HistogramQuantiles: hk}
}

// scatPageRun is one page synthesis run to its end through the session:
// its engine time per iteration and per evaluation and its distances to
// the target.
type scatPageRun struct {
	iters, evals             int
	secs                     float64 // the iterations' engine time (the start excluded)
	tv, merr, half, specRing float64
	relErr                   float64
}

// runScatPage runs the synthesis of r through a session to its end, with
// the page's options (former = false) or scatFormerOptions (true).
func runScatPage(tb testing.TB, r ScatSynthRequest, former bool) scatPageRun {
	tb.Helper()
	s := NewScatSession(testScatSource())
	if _, err := s.SynthStart(r, nil); err != nil {
		tb.Fatal(err)
	}
	g := s.synth.Run().(*scatSynth)
	if former {
		op, err := scattering.NewOperator(s.bank, scattering.SpectraOptions{})
		if err != nil {
			tb.Fatal(err)
		}
		hw, hk, err := scatMarginal(&r)
		if err != nil {
			tb.Fatal(err)
		}
		if g.s, err = scattering.NewSynthesis(op, g.fld.f.Data, scatFormerOptions(&r, g.form, hw, hk)); err != nil {
			tb.Fatal(err)
		}
	}
	t0 := time.Now()
	for done := false; !done; {
		var err error
		if done, err = g.Iterate(); err != nil {
			tb.Fatal(err)
		}
	}
	secs := time.Since(t0).Seconds()
	fr, err := g.Frames(0)
	if err != nil {
		tb.Fatal(err)
	}
	v, ok := fr.Values.(*protocol.ScatSynthStepValues)
	if !ok {
		tb.Fatalf("values %T", fr.Values)
	}
	p := v.ScatProgress
	return scatPageRun{iters: p.Iter, evals: p.Evals - 1, secs: secs, tv: p.HistTV, merr: *p.MarginalErr,
		half: *p.SpectrumErrHalf, specRing: *p.SpectrumErr, relErr: *p.RelErr}
}

// BenchmarkScatPageSynth runs the page's default synthesis — the shipped
// 64² φ⁴ sample of seed 1, bump wavelets, J = 5, L = 4, isotropic form,
// noise seed 1, to its end (300 iterations at most) — with the former page
// options (scatFormerOptions) and with the page's options
// (scattering.DefaultSynthOptions), one after the other in each round,
// and reports the engine time per iteration and per evaluation of each,
// their ratio, and each synthesis's distances to the target: the marginal
// total variation on the page's 48 bins, W₂/σ on 64 quantiles, and the
// power-spectrum error over half-octave rings
// (polyspectra.HalfOctaveSpectrumError). Run it once:
//
//	go test -run '^$' -bench ScatPageSynth -benchtime 1x ./ui/compute
func BenchmarkScatPageSynth(b *testing.B) {
	r := ScatSynthRequest{ScatRequest: ScatRequest{Field: "phi4", Size: 64, Seed: 1, J: 5, L: 4, Sj: 1}}
	var runs [2]scatPageRun
	for range b.N {
		for i, former := range []bool{true, false} {
			runs[i] = runScatPage(b, r, former)
		}
	}
	for i, name := range []string{"former", "new"} {
		x := runs[i]
		b.ReportMetric(1e3*x.secs/float64(x.iters), name+"-ms/iter")
		b.ReportMetric(1e3*x.secs/float64(x.evals), name+"-ms/eval")
		b.ReportMetric(float64(x.iters), name+"-iters")
		b.ReportMetric(x.tv, name+"-TV")
		b.ReportMetric(x.merr, name+"-W2/σ")
		b.ReportMetric(x.half, name+"-halfoct")
		b.ReportMetric(x.relErr, name+"-relerr")
	}
	b.ReportMetric((runs[1].secs/float64(runs[1].iters))/(runs[0].secs/float64(runs[0].iters)), "ratio-per-iter")
	b.ReportMetric((runs[1].secs/float64(runs[1].evals))/(runs[0].secs/float64(runs[0].evals)), "ratio-per-eval")
	b.ReportMetric(runs[1].secs/runs[0].secs, "ratio-total")
}
