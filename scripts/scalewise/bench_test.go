package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scalewise/engine/data"
	"scalewise/engine/nn"
)

// TestBenchJSON runs the native benchmarks (about a second or more each
// through testing.Benchmark) and checks the JSON report.
func TestBenchJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("bench runs each kernel for about a second")
	}
	dist := t.TempDir()
	if err := os.WriteFile(filepath.Join(dist, "sizes.json"), []byte(`{"scalewise.wasm": 1234}`), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr := mustRun(t, "bench", "--json", "--dist", dist)
	if stderr != "" {
		t.Errorf("bench --json wrote to stderr: %q", stderr)
	}
	var rep struct {
		Platform string             `json:"platform"`
		CPUs     int                `json:"cpus"`
		Kernels  string             `json:"kernels"`
		Native   map[string]float64 `json:"native"`
		Wasm     map[string]float64 `json:"wasm"`
		Dist     map[string]any     `json:"dist"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("bench --json printed invalid JSON: %v\n%s", err, stdout)
	}
	if !strings.HasPrefix(rep.Platform, "go") || rep.CPUs < 1 {
		t.Errorf("platform %q, cpus %d", rep.Platform, rep.CPUs)
	}
	if rep.Kernels != nn.DefaultKernels() {
		t.Errorf("kernels %q, want this build's %q", rep.Kernels, nn.DefaultKernels())
	}
	keys := []string{
		"dwt_forward_256_db4_J5_ms",
		"dwt_inverse_256_db4_J5_ms",
		"calpha_128_ms",
		"render_gray_256_ms",
		"scales_scene_128_db4_J4_ms",
		"conv3x3_gflops",
		"conv3x3_bwd_input_gflops",
		"conv3x3_bwd_weight_gflops",
		"train_images_per_s_32_2block",
		"train_images_per_s_32_3block",
		"unet_forward_ms_64",
		"unet_b3_base16_forward_ms_64",
		"rg_sample_32_ms",
		"rg_sample_64_ms",
		"fft2_128_gonum_ms",
		"fft2_128_godsp_ms",
		"fft2_96_gonum_ms",
		"fft2_96_godsp_ms",
		"scat_stats_128_ms",
		"scat_lossgrad_128_iso_ms",
	}
	for _, k := range keys {
		if v, ok := rep.Native[k]; !ok || !(v > 0) {
			t.Errorf("native[%q] = %v (present %v), want > 0", k, v, ok)
		}
	}
	if len(rep.Native) != len(keys) {
		t.Errorf("native has %d keys, want %d: %v", len(rep.Native), len(keys), rep.Native)
	}
	if rep.Wasm != nil {
		t.Errorf("wasm results without --wasm: %v", rep.Wasm)
	}
	if rep.Dist["scalewise.wasm"] != 1234.0 {
		t.Errorf("dist = %v, want the sizes.json of --dist", rep.Dist)
	}
}

func TestBenchBadInput(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"positional", []string{"bench", "fast"}, "want no arguments, got 1 argument(s): fast"},
		{"unknown flag", []string{"bench", "--n", "3"}, "flag provided but not defined: -n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantFail(t, c.args, "scalewise bench: ", c.want)
		})
	}
}

// TestAssets regenerates the MNIST digit sprite into a temporary folder
// when the GoMNIST module is in the module cache.
func TestAssets(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the MNIST test set")
	}
	if _, err := data.MNISTDataDir(); err != nil {
		t.Skipf("MNIST data unavailable: %v", err)
	}
	out := t.TempDir()
	stdout, _ := mustRun(t, "assets", "--out", out)
	path := filepath.Join(out, "mnist-digits.bin")
	if !strings.HasPrefix(stdout, "wrote "+path+": 100 digits of 32×32") {
		t.Errorf("assets printed %q", stdout)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() < 100*32*32/8 {
		t.Errorf("%s: %v, %v", path, fi, err)
	}
	wantFail(t, []string{"assets", "--out", out, "extra"}, "want no arguments")
}
