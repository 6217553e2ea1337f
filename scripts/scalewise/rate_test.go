package main

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The least-squares slope recovers a known slope: exactly (SE 0) on a
// line, within a few standard errors under noise, and the SE matches the
// spread of the slope over repetitions.
func TestFitSlope(t *testing.T) {
	for _, c := range []struct {
		name  string
		slope float64
		noise float64
		n     int
	}{
		{"exact α=1", 0.5, 0, 5},
		{"exact α=2", 2.0 / 3, 0, 3},
		{"noisy α=4", 0.8, 0.05, 8},
		{"noisy steep", 1.0, 0.2, 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			var est []float64
			var se float64
			for rep := range 400 {
				var xs, ys []float64
				for k := range c.n {
					x := 20 + 14*float64(k)/float64(c.n-1)
					xs = append(xs, x)
					ys = append(ys, 7+c.slope*x+c.noise*rng.NormFloat64())
				}
				f, err := fitSlope(xs, ys)
				if err != nil {
					t.Fatal(err)
				}
				if c.noise == 0 {
					if math.Abs(f.Slope-c.slope) > 1e-12 || f.SlopeSE > 1e-9 || math.Abs(f.Intercept-7) > 1e-9 || f.Points != c.n {
						t.Fatalf("fit = %+v, want slope %g ± 0, intercept 7", f, c.slope)
					}
					return
				}
				if rep == 0 && math.Abs(f.Slope-c.slope) > 4*f.SlopeSE {
					t.Errorf("slope %g ± %g, want %g", f.Slope, f.SlopeSE, c.slope)
				}
				est = append(est, f.Slope)
				se += f.SlopeSE * f.SlopeSE / 400
			}
			mean, sd := 0.0, 0.0
			for _, v := range est {
				mean += v / float64(len(est))
			}
			for _, v := range est {
				sd += (v - mean) * (v - mean) / float64(len(est)-1)
			}
			sd = math.Sqrt(sd)
			if math.Abs(mean-c.slope) > 4*sd/math.Sqrt(float64(len(est))) {
				t.Errorf("mean slope %g over 400 fits, want %g", mean, c.slope)
			}
			if r := math.Sqrt(se) / sd; r < 0.85 || r > 1.15 {
				t.Errorf("RMS standard error %g against the slopes' spread %g (ratio %.3f)", math.Sqrt(se), sd, r)
			}
		})
	}
}

func TestFitSlopeErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		xs, ys []float64
		want   string
	}{
		{"two points", []float64{1, 2}, []float64{1, 2}, "want at least 3"},
		{"lengths", []float64{1, 2, 3}, []float64{1, 2}, "3 x values and 2 y values"},
		{"equal x", []float64{2, 2, 2}, []float64{1, 2, 3}, "all 3 points have x = 2"},
		{"NaN", []float64{1, 2, 3}, []float64{1, math.NaN(), 3}, "not finite"},
		{"Inf", []float64{1, math.Inf(1), 3}, []float64{1, 2, 3}, "not finite"},
	} {
		if _, err := fitSlope(c.xs, c.ys); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}

func TestTheoryAndPaperSlopes(t *testing.T) {
	for a, want := range map[float64]float64{1: 0.5, 2: 2.0 / 3, 4: 0.8} {
		if got := theorySlope(a); math.Abs(got-want) > 1e-15 {
			t.Errorf("theorySlope(%g) = %g, want %g", a, got, want)
		}
	}
	if p := paperSlope(2); p == nil || *p != 0.61 {
		t.Errorf("paperSlope(2) = %v, want 0.61", p)
	}
	if p := paperSlope(4); p != nil {
		t.Errorf("paperSlope(4) = %v, want none", *p)
	}
}

// The grid spans the PSNR range with equal steps, σ = 10^(−PSNR/20).
func TestRateGrid(t *testing.T) {
	s, p := rateGrid(0, 34, 12)
	if len(s) != 12 || s[0] != 1 || math.Abs(p[11]-34) > 1e-12 || math.Abs(s[11]-math.Pow(10, -1.7)) > 1e-15 {
		t.Fatalf("grid %v %v", s, p)
	}
	c := rateConfig{fitLo: 20, fitHi: 34, nominalPSNRs: p}
	if ks := c.fitIndices(); len(ks) != 5 || ks[0] != 7 || ks[4] != 11 {
		t.Errorf("fit levels %v, want 7 … 11", ks)
	}
}

// shippedNet returns the path of a shipped net, or skips.
func shippedNet(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "weights", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no shipped net: %v", err)
	}
	return p
}

// A quick run: few small images, 3 levels. PSNR_in rises along the grid,
// the net gains over its input at the noisiest, the slopes and traces are finite, and the
// report names theory and paper.
func TestRateQuick(t *testing.T) {
	w := shippedNet(t, "denoiser-calpha4.safetensors")
	args := []string{"rate", "--weights", w, "--alpha", "4", "--n", "3", "--size", "32", "--levels", "3",
		"--psnr-lo", "10", "--psnr-hi", "30", "--fit-lo", "10", "--fit-hi", "30", "--trace-images", "2", "--probes", "3"}
	stdout, stderr := mustRun(t, append(args, "--json")...)
	if !strings.Contains(stderr, "100%") {
		t.Errorf("no progress on stderr:\n%s", stderr)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"net", "alpha", "theory_slope", "paper_slope", "fit_range_db", "slope", "slope_se", "baseline_slopes", "per_sigma"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no key %q in %s", k, stdout)
		}
	}
	if raw["paper_slope"] != nil {
		t.Errorf("paper_slope = %v at α = 4, want null", raw["paper_slope"])
	}
	var r rateReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 3 || r.FitPoints != 3 || r.FitRange != [2]float64{10, 30} || r.TheorySlope != 0.8 {
		t.Fatalf("report %+v", r)
	}
	for k, row := range r.Rows {
		if k > 0 && !(row.PSNRIn > r.Rows[k-1].PSNRIn) {
			t.Errorf("PSNR_in not rising: %g after %g", row.PSNRIn, r.Rows[k-1].PSNRIn)
		}
		if !(row.Trace > 0) || !isFinite(row.TraceSE) || (k == 0 && !(row.PSNROut > row.PSNRIn+3)) {
			t.Errorf("row %+v", row)
		}
		if row.PSNRRoundoff != nil {
			t.Errorf("psnr_roundoff without --roundoff")
		}
	}
	slopes := []float64{r.Slope, r.SlopeSE}
	for _, name := range []string{"gaussian", "db4_soft", "wiener_oracle"} {
		b, ok := r.Baselines[name]
		if !ok {
			t.Fatalf("no baseline %s", name)
		}
		slopes = append(slopes, b.Slope, b.SlopeSE)
	}
	for _, v := range slopes {
		if !isFinite(v) {
			t.Errorf("slopes %v not finite", slopes)
		}
	}
	if !(r.Slope > 0 && r.Slope < 1.5) {
		t.Errorf("net slope %g", r.Slope)
	}
	text, _ := mustRun(t, append(args, "--roundoff")...)
	for _, want := range []string{"PSNR_in", "tr J", "theory α/(α+1) = 0.800", "paper none published", "wiener_oracle", "round-off"} {
		if !strings.Contains(text, want) {
			t.Errorf("text output does not mention %q:\n%s", want, text)
		}
	}
}

// Every flag is checked before anything is loaded or allocated: NaN, ±Inf
// and out-of-range values fail by name, with nothing on stdout.
func TestHostileRate(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "lying.safetensors", lyingSafetensors(250_000_000, ""))
	rate := func(extra ...string) []string {
		return append([]string{"rate", "--weights", "DIR/lying.safetensors", "--size", "16", "--n", "2", "--trace-images", "1"}, extra...)
	}
	runHostile(t, dir, []hostileCase{
		{"n 1e9", rate("--n", "1000000000"), []string{"--n 1000000000: want 1 to 65536 held-out 16×16 images"}, nil},
		{"n 0", rate("--n", "0"), []string{"--n 0: want 1 to"}, nil},
		{"size 1e9", rate("--size", "1000000000"), []string{"--size 1000000000: want 16 to 256"}, nil},
		{"levels 2", rate("--levels", "2"), []string{"--levels 2: want 3 to 200"}, nil},
		{"levels 1e9", rate("--levels", "1000000000"), []string{"--levels 1000000000: want 3 to 200"}, nil},
		{"psnr-lo negative", rate("--psnr-lo", "-1"), []string{"--psnr-lo -1 --psnr-hi 34: want 0 ≤ psnr-lo < psnr-hi ≤ 80"}, nil},
		{"psnr-hi 1e300", rate("--psnr-hi", "1e300"), []string{"--psnr-hi 1e+300"}, nil},
		{"psnr range empty", rate("--psnr-lo", "30", "--psnr-hi", "30"), []string{"psnr-lo < psnr-hi"}, nil},
		{"fit range reversed", rate("--fit-lo", "34", "--fit-hi", "20"), []string{"--fit-lo 34 --fit-hi 20: want fit-lo < fit-hi"}, nil},
		{"fit range too narrow", rate("--fit-lo", "30", "--fit-hi", "31"), []string{"1 of the 12 levels", "want at least 3"}, nil},
		{"trace-images > n", rate("--trace-images", "3"), []string{"--trace-images 3: want 1 to 2"}, nil},
		{"trace-images 0", rate("--trace-images", "0"), []string{"--trace-images 0"}, nil},
		{"probes 1", rate("--probes", "1"), []string{"--probes 1: want 2 to 10000"}, nil},
		{"alpha 0", rate("--alpha", "0"), []string{"--alpha 0: want a number in (0, 6]"}, nil},
		{"alpha 7", rate("--alpha", "7"), []string{"--alpha 7"}, nil},
		{"no weights", []string{"rate"}, []string{"--weights is required"}, nil},
		{"extra argument", rate("x"), []string{"want no arguments"}, nil},
		{"weights claim 250 MB", rate(), []string{"lying.safetensors", "truncated file"}, nil},
	})
	if w := filepath.Join("..", "..", "weights", "denoiser-calpha2.safetensors"); fileExists(w) {
		wantFail(t, []string{"rate", "--weights", w, "--size", "20"}, "--size 20", "multiples of 8")
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// Every float flag of rate (found in its -h output) rejects NaN and ±Inf
// by name, like those of the other commands (TestFloatFlagsFinite).
func TestRateFloatFlagsFinite(t *testing.T) {
	code, _, help := runCLI(t, "rate", "-h")
	if code != 0 {
		t.Fatalf("rate -h: exit %d", code)
	}
	flags := regexp.MustCompile(`(?m)^\s+-(\S+) float\b`).FindAllStringSubmatch(help, -1)
	if len(flags) != 5 {
		t.Errorf("found %d float flags of rate, want 5 (alpha, psnr-lo, psnr-hi, fit-lo, fit-hi)", len(flags))
	}
	for _, m := range flags {
		for _, v := range []string{"NaN", "-Inf", "+Inf"} {
			stdout, _ := wantFail(t, []string{"rate", "--weights", "x", "--" + m[1] + "=" + v}, "--"+m[1]+" "+v+": not a finite number")
			if stdout != "" {
				t.Errorf("stdout %q", stdout)
			}
		}
	}
}
