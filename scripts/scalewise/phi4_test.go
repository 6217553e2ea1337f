package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scalewise/engine/field"
)

// runPhi4CLI runs runPhi4 in-process (the command table in main.go may not
// list phi4 yet).
func runPhi4CLI(args ...string) (stdout, stderr string, err error) {
	var out, errb bytes.Buffer
	err = runPhi4(args, &out, &errb)
	return out.String(), errb.String(), err
}

func TestPhi4BadInput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.npy")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", nil, "want a subcommand"},
		{"unknown subcommand", []string{"run"}, `unknown subcommand "run"`},
		{"L not a power of two", []string{"sample", "--L", "24", "--out", out}, "power of two"},
		{"L too small", []string{"sample", "--L", "4", "--out", out}, "power of two from 8 to 256"},
		{"L too large", []string{"sample", "--L", "512", "--out", out}, "power of two from 8 to 256"},
		{"beta zero", []string{"sample", "--beta", "0", "--out", out}, "must be positive"},
		{"beta negative", []string{"sample", "--beta", "-0.5", "--out", out}, "must be positive"},
		{"beta NaN", []string{"sample", "--beta", "NaN", "--out", out}, "--beta NaN: not a finite number"},
		{"n zero", []string{"sample", "--n", "0", "--out", out}, "--n 0"},
		{"n negative", []string{"sample", "--n", "-5", "--out", out}, "--n -5"},
		{"unknown sampler", []string{"sample", "--sampler", "gibbs", "--out", out}, "unknown sampler"},
		{"no out", []string{"sample"}, "--out is required"},
		{"out not npy", []string{"sample", "--out", filepath.Join(dir, "x.png")}, "must end in .npy"},
		{"out directory missing", []string{"sample", "--out", filepath.Join(dir, "no", "x.npy")}, "does not exist"},
		{"positional argument", []string{"sample", "--out", out, "extra"}, "want no arguments"},
		{"bad flag value", []string{"sample", "--L", "big", "--out", out}, "invalid value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, err := runPhi4CLI(c.args...)
			if err == nil {
				t.Fatalf("no error; stderr:\n%s", stderr)
			}
			if !strings.Contains(err.Error()+stderr, c.want) {
				t.Errorf("error %q (stderr %q) does not mention %q", err, stderr, c.want)
			}
		})
	}
	wantNoFile(t, out)
	if _, _, err := runPhi4CLI("sample", "-h"); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("sample -h: %v, want flag.ErrHelp", err)
	}
}

func TestPhi4Sample(t *testing.T) {
	for _, sampler := range []string{"hmc", "fahmc", "mala"} {
		out := filepath.Join(t.TempDir(), "phi4.npy")
		stdout, stderr, err := runPhi4CLI("sample", "--L", "8", "--beta", "0.68", "--n", "3", "--seed", "2", "--sampler", sampler, "--out", out)
		if err != nil {
			t.Fatalf("%s: %v\n%s", sampler, err, stderr)
		}
		for _, w := range []string{"τ_int(m²)", "spacing", "acceptance", "⟨φ²⟩", "Binder U", "per independent sample"} {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr does not mention %q:\n%s", sampler, w, stderr)
			}
		}
		if !strings.Contains(stdout, "(3, 8, 8) float32") {
			t.Errorf("%s: stdout %q", sampler, stdout)
		}
		arr, err := field.ReadArrayFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if arr.DType != field.Float32 || len(arr.Shape) != 3 || arr.Shape[0] != 3 || arr.Shape[1] != 8 || arr.Shape[2] != 8 {
			t.Errorf("%s: wrote shape %v dtype %v", sampler, arr.Shape, arr.DType)
		}
	}
}

// TestPhi4Cost runs "phi4 cost" on a small lattice, limited by steps, from
// the first field of a stack, and checks the JSON it writes.
func TestPhi4Cost(t *testing.T) {
	dir := t.TempDir()
	start := filepath.Join(dir, "start.npy")
	f := field.New(8, 8)
	for i := range f.Data {
		f.Data[i] = float64(i%3) - 1
	}
	arr, err := field.StackArray([]*field.Field{f, f})
	if err != nil {
		t.Fatal(err)
	}
	if err := field.WriteArrayFile(start, arr, field.Float32); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "cost.json")
	stdout, stderr, err := runPhi4CLI("cost", "--L", "8", "--sampler", "cluster", "--seconds", "600", "--max-steps", "3000", "--burn-in", "100", "--start", start, "--out", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var st phi4CostStats
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	if !st.Complete || st.Sampler != "cluster" || st.L != 8 || st.Steps != 3000 || !(st.TauInt > 0) || st.GradPerStep != 2 ||
		st.GradPerSample != 2*st.TauInt*st.GradPerStep || !(st.ChainPhi2 > 0.6 && st.ChainPhi2 < 1) {
		t.Errorf("cost JSON %+v", st)
	}
	if !strings.Contains(stdout, "τ_int(m²)") {
		t.Errorf("stdout %q", stdout)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no out", []string{"cost"}, "--out is required"},
		{"out not json", []string{"cost", "--out", filepath.Join(dir, "c.npy")}, "must end in .json"},
		{"seconds zero", []string{"cost", "--seconds", "0", "--out", out}, "--seconds"},
		{"few steps", []string{"cost", "--max-steps", "3", "--out", out}, "--max-steps"},
		{"start size", []string{"cost", "--L", "16", "--start", start, "--out", out}, "not 16×16"},
		{"start missing", []string{"cost", "--L", "8", "--start", filepath.Join(dir, "none.npy"), "--out", out}, "none.npy"},
		{"unknown sampler", []string{"cost", "--sampler", "wolff", "--out", out}, "unknown sampler"},
	} {
		if _, stderr, err := runPhi4CLI(c.args...); err == nil || !strings.Contains(err.Error()+stderr, c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}
