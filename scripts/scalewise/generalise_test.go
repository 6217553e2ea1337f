package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scalewise/engine/data"
)

// copyFile copies src to dst.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// generaliseKeys are the keys every row of generalise --json must have.
var generaliseKeys = []string{"N", "params", "pair_cos_median", "pair_cos_q1", "pair_cos_q3", "pair_cos_centered_median",
	"nearest_train_cos_median", "nearest_train_cos_q1", "nearest_train_cos_q3", "psnr_gap_db", "sampler", "preset", "pairs", "seconds"}

// decodeGeneralise decodes generalise --json output, checking the keys.
func decodeGeneralise(t *testing.T, stdout string) generaliseReport {
	t.Helper()
	var raw struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	for _, r := range raw.Results {
		for _, k := range generaliseKeys {
			if _, ok := r[k]; !ok {
				t.Errorf("row %v lacks key %s", r["N"], k)
			}
		}
	}
	var rep generaliseReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestGeneraliseLanded runs the test on the landed N = 1 pair of the small
// sweep, with the S2 net of N = 10 left out: the N = 1 nets memorise their
// one digit (nearest training image at cosine ≈ 1, a large train − test
// PSNR gap) and N = 10 is skipped with the reason.
func TestGeneraliseLanded(t *testing.T) {
	if _, err := data.MNISTDataDir(); err != nil {
		t.Skipf("MNIST data unavailable: %v", err)
	}
	dir, grids := t.TempDir(), t.TempDir()
	for _, f := range []string{"mnist-small-s1-n1.safetensors", "mnist-small-s2-n1.safetensors", "mnist-small-s1-n10.safetensors"} {
		copyFile(t, sweepWeights(t, f), filepath.Join(dir, f))
	}
	stdout, stderr := mustRun(t, "generalise", "--size", "small", "--weights", dir, "--pairs", "3", "--grids", grids, "--json")
	if !strings.Contains(stderr, "skipping N=10: mnist-small-s2-n10.safetensors is missing") {
		t.Errorf("stderr does not say N=10 is skipped:\n%s", stderr)
	}
	rep := decodeGeneralise(t, stdout)
	if len(rep.Results) != 1 || len(rep.Skipped) != 1 || rep.Skipped[0].N != 10 {
		t.Fatalf("results %+v, skipped %+v", rep.Results, rep.Skipped)
	}
	r := rep.Results[0]
	if r.N != 1 || r.Params != 28768 || r.Pairs != 3 || r.Sampler != "kadkhodaie" || r.Preset != "paper" {
		t.Errorf("row %+v", r)
	}
	if r.NearestTrainCosMedian < 0.99 || r.NearestTrainCosQ1 < 0.98 {
		t.Errorf("N=1 samples are not their training digit: nearest cosine %v [%v, %v]", r.NearestTrainCosMedian, r.NearestTrainCosQ1, r.NearestTrainCosQ3)
	}
	if r.PairCosMedian > 0.9 {
		t.Errorf("N=1 nets memorise different digits, yet pair cosine %v", r.PairCosMedian)
	}
	if r.PSNRGap == nil || *r.PSNRGap < 10 {
		t.Errorf("N=1 PSNR gap %v, want a large one", r.PSNRGap)
	}
	if _, err := os.Stat(filepath.Join(grids, "mnist-small-n1-pairs.png")); err != nil {
		t.Error(err)
	}
	// The table form.
	text, _ := mustRun(t, "generalise", "--size", "small", "--weights", dir, "--pairs", "1")
	if !strings.Contains(text, "pair cos") || !strings.Contains(text, "skipped N=10") {
		t.Errorf("table:\n%s", text)
	}
}

// TestGeneraliseTinyNets trains tiny S1 and S2 nets on MNIST in the test
// and runs the reverse-SDE variant on them, whatever the landed weights.
func TestGeneraliseTinyNets(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two nets on MNIST")
	}
	if _, err := data.MNISTDataDir(); err != nil {
		t.Skipf("MNIST data unavailable: %v", err)
	}
	dir := t.TempDir()
	for _, s := range []string{"s1", "s2"} {
		mustRun(t, trainTiny(dir, "mnist-large-"+s+"-n2.safetensors", "--data", "mnist", "--subset", s, "--n", "2", "--size", "32")...)
	}
	stdout, _ := mustRun(t, "generalise", "--size", "large", "--weights", dir, "--pairs", "2", "--sampler", "reverse-sde", "--steps", "4", "--json")
	rep := decodeGeneralise(t, stdout)
	if len(rep.Results) != 1 || rep.Results[0].N != 2 || rep.Results[0].Sampler != "reverse-sde" || rep.Results[0].Iterations != 4 {
		t.Fatalf("%+v", rep)
	}
	if c := rep.Results[0].PairCosMedian; math.IsNaN(c) || c < -1 || c > 1 {
		t.Errorf("pair cosine %v", c)
	}
}

// TestGeneraliseBadInput checks the flags' bounds and an empty folder.
func TestGeneraliseBadInput(t *testing.T) {
	empty := t.TempDir()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no size", []string{}, `--size "": want small or large`},
		{"size", []string{"--size", "medium"}, `--size "medium"`},
		{"pairs", []string{"--size", "small", "--pairs", "0"}, "--pairs 0: want 1 to 4096"},
		{"pairs huge", []string{"--size", "small", "--pairs", "4097"}, "--pairs 4097"},
		{"sampler", []string{"--size", "small", "--sampler", "euler"}, `--sampler "euler"`},
		{"steps", []string{"--size", "small", "--steps", "-3"}, "--steps -3"},
		{"workers", []string{"--size", "small", "--workers", "2000"}, "--workers 2000"},
		{"grids", []string{"--size", "small", "--grids", filepath.Join(empty, "none")}, "not a folder"},
		{"no folder", []string{"--size", "small", "--weights", filepath.Join(empty, "none")}, "--weights"},
		{"no pairs", []string{"--size", "small", "--weights", empty}, "no complete pair of small nets"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantFail(t, append([]string{"generalise"}, c.args...), "scalewise generalise: ", c.want)
		})
	}
}

// TestGeneraliseStats checks the quartiles and the PSNR gap.
func TestGeneraliseStats(t *testing.T) {
	for _, c := range []struct {
		v           []float64
		q1, med, q3 float64
	}{
		{[]float64{3, 1, 2}, 1.5, 2, 2.5},
		{[]float64{4, 1, 3, 2}, 1.75, 2.5, 3.25},
		{[]float64{7}, 7, 7, 7},
	} {
		q1, med, q3 := quartiles(c.v)
		if q1 != c.q1 || med != c.med || q3 != c.q3 {
			t.Errorf("quartiles(%v) = %v %v %v, want %v %v %v", c.v, q1, med, q3, c.q1, c.med, c.q3)
		}
	}
	gap, sigmas, ok := psnrGap(map[string]float64{
		"train_psnr_out_sigma_0.1": 40, "val_psnr_out_sigma_0.1": 30,
		"train_psnr_out_sigma_0.2": 30, "val_psnr_out_sigma_0.2": 26,
		"train_psnr_out_sigma_0.4": 20, // no test value: ignored
		"val_psnr_in_sigma_0.1":    20,
	})
	if !ok || gap != 7 || len(sigmas) != 2 || sigmas[0] != 0.1 {
		t.Errorf("psnrGap = %v %v %v, want 7 over σ 0.1, 0.2", gap, sigmas, ok)
	}
	if _, _, ok := psnrGap(nil); ok {
		t.Error("gap from no metrics")
	}
}

// failingDenoiser shrinks y towards 0.5 (a denoiser of the constant image)
// and returns NaN on the calls whose index is in bad.
type failingDenoiser struct {
	dim   int
	calls int
	bad   func(call int) bool
}

func (d *failingDenoiser) Dim() int { return d.dim }

func (d *failingDenoiser) Denoise(dst, y []float64, sigma float64) error {
	bad := d.bad(d.calls)
	d.calls++
	for i, v := range y {
		dst[i] = 0.5 + (v-0.5)*0.1
		if bad {
			dst[i] = math.NaN()
		}
	}
	return nil
}

// TestDrawSamplesTolerant checks that a failing sample (its denoiser
// returns NaN) ends drawSamples with its error, while the tolerant draw
// leaves that sample nil, reports it and draws the others.
func TestDrawSamplesTolerant(t *testing.T) {
	spec, err := parseSamplerSpec("reverse-sde", "paper", 5, map[string]bool{"steps": true})
	if err != nil {
		t.Fatal(err)
	}
	newDen := func() *failingDenoiser { return &failingDenoiser{dim: 16, bad: func(c int) bool { return c == 2 }} } // the first sample's third step
	if _, _, err := drawSamples(context.Background(), spec, newDen(), 1, 0, 3, nil, 0, "test"); err == nil || !strings.Contains(err.Error(), "test sample 0") {
		t.Errorf("drawSamples: err = %v, want the failure of sample 0", err)
	}
	xs, iters, failed, err := drawSamplesTolerant(context.Background(), spec, newDen(), 1, 0, 3, nil, 0, "test", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 || !strings.Contains(failed[0].Error(), "test sample 0") || xs[0] != nil || xs[1] == nil || xs[2] == nil || iters[1] != 5 {
		t.Errorf("tolerant draw: failed %v, samples nil %v %v %v, iterations %v", failed, xs[0] == nil, xs[1] == nil, xs[2] == nil, iters)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, _, err := drawSamplesTolerant(ctx, spec, newDen(), 1, 0, 3, nil, 0, "test", true); err == nil {
		t.Error("a cancelled draw returned no error")
	}
}
