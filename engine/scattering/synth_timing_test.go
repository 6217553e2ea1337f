package scattering

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"scalewise/assets"
	"scalewise/engine/wavelet"
)

// TestSynthTiming logs iterations, evaluations, seconds and the final
// relative error of syntheses at 64² (J = 5) and 128² (J = 6), L = 4,
// bump-steerable, isotropic and full forms, up to 300 iterations with
// tolerance 10⁻³, of a Gaussian random field (synthGRF, k0 = 0.3) and of a
// φ⁴ sample at β = 0.68 (assets.Phi4Samples). It is a measurement, not a
// timed assertion, and runs only when SCALEWISE_SYNTH_TIMING is set:
//
//	SCALEWISE_SYNTH_TIMING=1 go test -run SynthTiming -v ./engine/scattering/
//
// The variable may instead list what to run, as comma-separated tokens
// that select sizes, forms and fields ("64", "128", "iso", "full", "grf",
// "phi4"); a group with no token selected runs all of it. For js/wasm:
//
//	PATH="$(go env GOROOT)/lib/wasm:$PATH" GOOS=js GOARCH=wasm \
//	  SCALEWISE_SYNTH_TIMING=64,iso go test -run SynthTiming -v ./engine/scattering/
//
// SCALEWISE_SYNTH_MEMORY sets SynthOptions.Memory and
// SCALEWISE_SYNTH_ITERS the maximum number of iterations.
func TestSynthTiming(t *testing.T) {
	env := os.Getenv("SCALEWISE_SYNTH_TIMING")
	if env == "" {
		t.Skip("set SCALEWISE_SYNTH_TIMING=1 (or e.g. 64,iso,grf) to measure synthesis times")
	}
	sel := map[string]bool{}
	for _, tok := range strings.Split(env, ",") {
		sel[strings.TrimSpace(tok)] = true
	}
	pick := func(opts ...string) []string {
		var out []string
		for _, o := range opts {
			if sel[o] {
				out = append(out, o)
			}
		}
		if out == nil {
			return opts
		}
		return out
	}
	mem, iters := 0, 300
	if v := os.Getenv("SCALEWISE_SYNTH_MEMORY"); v != "" {
		var err error
		if mem, err = strconv.Atoi(v); err != nil {
			t.Fatal(err)
		}
	}
	if v := os.Getenv("SCALEWISE_SYNTH_ITERS"); v != "" {
		var err error
		if iters, err = strconv.Atoi(v); err != nil {
			t.Fatal(err)
		}
	}
	for _, size := range pick("64", "128") {
		n, _ := strconv.Atoi(size)
		J := wavelet.MaxDirectionalScales(n, n)
		bank, err := wavelet.NewDirectionalBank(wavelet.BumpSteerable, n, n, J, 4)
		if err != nil {
			t.Fatal(err)
		}
		op, err := NewOperator(bank, SpectraOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range pick("grf", "phi4") {
			var target []float64
			switch kind {
			case "grf":
				target = synthGRF(t, n, 0.3, 1)
			case "phi4":
				fs, err := assets.Phi4Samples(n)
				if err != nil {
					t.Fatal(err)
				}
				target = fs[0].Data
			}
			for _, form := range pick("iso", "full") {
				f, err := ParseForm(form)
				if err != nil {
					t.Fatal(err)
				}
				start := time.Now()
				s, err := NewSynthesis(op, target, SynthOptions{Seed: 1, MaxIter: iters, Form: f, Memory: mem})
				if err != nil {
					t.Fatal(err)
				}
				err0 := s.RelErr()
				if err := s.Run(context.Background(), nil); err != nil {
					t.Fatal(err)
				}
				sec := time.Since(start).Seconds()
				pt := radialSpectrum(t, target, n, J-1, 1, float64(n)/2*math.Sqrt2)
				ps := radialSpectrum(t, s.Field(), n, J-1, 1, float64(n)/2*math.Sqrt2)
				ge := s.GroupErrors(nil)
				var gs []string
				for i, g := range s.Groups() {
					gs = append(gs, fmt.Sprintf("%s %.2g", g.Name, ge[i]))
				}
				t.Logf("%d² J=%d L=4 %-4s %-4s memory %d: %3d iterations, %3d evaluations, %6.2f s (%.1f ms/evaluation), relative error %.3g → %.3g (%v), %d coefficients; power spectrum mean |log ratio| %.3f; groups: %s",
					n, J, form, kind, cmp.Or(mem, DefaultSynthMemory), s.Iter(), s.Evals(), sec, 1e3*sec/float64(s.Evals()), err0, s.RelErr(), s.Status(),
					op.Count(f), meanAbsLogRatio(ps, pt), strings.Join(gs, ", "))
			}
		}
	}
}
