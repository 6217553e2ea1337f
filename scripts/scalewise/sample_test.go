package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scalewise/engine/field"
)

// sweepWeights returns the path of a landed net of the generalisation
// sweep, skipping the test when it is not there.
func sweepWeights(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "weights", "generalisation", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not landed: %v", name, err)
	}
	return p
}

// TestSampleTinyNet samples from a net trained for a few steps in the test
// (16×16 drawings, so the size comes from the training command in its
// metadata) with the reverse SDE, and checks the stack, the grid beside it
// and that the same seed gives the same file.
func TestSampleTinyNet(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, trainTiny(dir, "tiny.safetensors", "--data", "drawing", "--size", "16")...)
	w := filepath.Join(dir, "tiny.safetensors")
	out := filepath.Join(dir, "s.npy")
	args := []string{"sample", "--weights", w, "--n", "3", "--seed", "7", "--sampler", "reverse-sde", "--steps", "6", "--out", out}
	stdout, stderr := mustRun(t, args...)
	if !strings.Contains(stdout, "(3, 16, 16) float32") || !strings.Contains(stdout, "reverse-sde: 6 to 6 iterations") {
		t.Errorf("stdout %q", stdout)
	}
	if !strings.Contains(stderr, "reverse-sde (6 Euler-Maruyama steps") {
		t.Errorf("stderr %q", stderr)
	}
	a := readArray(t, out)
	if len(a.Shape) != 3 || a.Shape[0] != 3 || a.Shape[1] != 16 || a.Shape[2] != 16 {
		t.Fatalf("shape %v", a.Shape)
	}
	for _, v := range a.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatal("non-finite sample")
		}
	}
	png, err := os.ReadFile(filepath.Join(dir, "s.png"))
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("grid: %v", err)
	}
	first, _ := os.ReadFile(out)
	mustRun(t, args...)
	if again, _ := os.ReadFile(out); !bytes.Equal(first, again) {
		t.Error("same seed, different samples")
	}
}

// TestSampleMemorised samples the landed net trained on one MNIST digit
// (N = 1) with the default sampler, Kadkhodaie's ascent with the paper's
// settings: every sample is that digit up to its intensity (the bias-free
// net is homogeneous), so the samples are nearly collinear.
func TestSampleMemorised(t *testing.T) {
	w := sweepWeights(t, "mnist-small-s1-n1.safetensors")
	out := filepath.Join(t.TempDir(), "m.npy")
	stdout, _ := mustRun(t, "sample", "--weights", w, "--n", "3", "--seed", "1", "--out", out)
	if !strings.Contains(stdout, "(3, 32, 32) float32") || !strings.Contains(stdout, "kadkhodaie:") {
		t.Errorf("stdout %q", stdout)
	}
	fs, err := readArray(t, out).Fields()
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(fs); i++ {
		if c := cosine(fs[0], fs[i]); c < 0.98 {
			t.Errorf("samples 0 and %d: cosine %.3f, want the same digit (> 0.98)", i, c)
		}
	}
}

func cosine(a, b *field.Field) float64 {
	var ab, aa, bb float64
	for i, v := range a.Data {
		ab += v * b.Data[i]
		aa += v * v
		bb += b.Data[i] * b.Data[i]
	}
	return ab / math.Sqrt(aa*bb)
}

// TestSampleBadInput checks that every flag is bounded and that nothing is
// written on an error, including an ascent that does not reach σ_L within
// its iteration cap.
func TestSampleBadInput(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, trainTiny(dir, "tiny.safetensors", "--data", "drawing", "--size", "16")...)
	w := filepath.Join(dir, "tiny.safetensors")
	out := filepath.Join(dir, "bad.npy")
	base := func(extra ...string) []string {
		return append([]string{"sample", "--weights", w, "--out", out}, extra...)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no weights", []string{"sample", "--out", out}, "--weights is required"},
		{"n zero", base("--n", "0"), "--n 0: want 1 to 4096 samples"},
		{"n huge", base("--n", "4097"), "--n 4097: want 1 to 4096"},
		{"steps zero", base("--steps", "0"), "--steps 0: want 1 to 100000"},
		{"steps huge", base("--steps", "100001"), "--steps 100001"},
		{"sampler", base("--sampler", "ddim"), `--sampler "ddim": want kadkhodaie or reverse-sde`},
		{"preset", base("--preset", "fast"), `--preset "fast": want paper or code`},
		{"preset with sde", base("--sampler", "reverse-sde", "--preset", "code"), "presets are for --sampler kadkhodaie"},
		{"size", base("--size", "17"), "--size 17: the 1-block net"},
		{"size huge", base("--size", "4096"), "--size 4096: want 0 to 1024"},
		{"workers", base("--workers", "-1"), "--workers -1"},
		{"out ext", []string{"sample", "--weights", w, "--out", filepath.Join(dir, "bad.png")}, "must end in .npy"},
		{"out dir", []string{"sample", "--weights", w, "--out", filepath.Join(dir, "nope", "s.npy")}, "does not exist"},
		{"no out", []string{"sample", "--weights", w}, "--out is required"},
		{"missing weights", []string{"sample", "--weights", filepath.Join(dir, "none.safetensors"), "--out", out}, "none.safetensors"},
		{"argument", base("extra"), "want no arguments"},
	}
	if _, err := os.Stat(filepath.Join("..", "..", "weights", "generalisation", "mnist-small-s1-n1.safetensors")); err == nil {
		// A trained net needs about 100 iterations (the untrained one is
		// nearly the identity and stops at once).
		cases = append(cases, struct {
			name string
			args []string
			want string
		}{"cap", []string{"sample", "--weights", sweepWeights(t, "mnist-small-s1-n1.safetensors"), "--out", out, "--n", "1", "--steps", "2"},
			"did not reach σ_L = 0.05 after 2 iterations; last σ_t = "})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantFail(t, c.args, "scalewise sample: ", c.want)
			wantNoFile(t, out)
			wantNoFile(t, filepath.Join(dir, "bad.png"))
		})
	}
}

// TestParseSamplerSpec checks that --steps is the reverse SDE's steps or
// Kadkhodaie's iteration cap, and that the flags' defaults are the
// samplers'.
func TestParseSamplerSpec(t *testing.T) {
	for _, c := range []struct {
		name, sampler, preset string
		steps                 int
		set                   map[string]bool
		want                  string // the spec's String
	}{
		{"defaults", "kadkhodaie", "paper", 0, nil, "kadkhodaie, paper preset (h0=0.01, beta=0.1, sigma0=1, sigmaL=0.05, mean 0.5, at most 10000 iterations)"},
		{"cap", "kadkhodaie", "code", 70, map[string]bool{"steps": true, "preset": true}, "kadkhodaie, code preset (h0=0.01, beta=0.01, sigma0=1, sigmaL=0.01, mean 0, at most 70 iterations)"},
		{"sde", "reverse-sde", "paper", 0, nil, "reverse-sde (200 Euler-Maruyama steps, sigma 1 to 0.01, mean 0.5)"},
		{"sde steps", "reverse-sde", "paper", 9, map[string]bool{"steps": true}, "reverse-sde (9 Euler-Maruyama steps, sigma 1 to 0.01, mean 0.5)"},
	} {
		s, err := parseSamplerSpec(c.sampler, c.preset, c.steps, c.set)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := s.String(); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
