package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/nn"
)

func runRGCLI(args ...string) (stdout, stderr string, err error) {
	var out, errb bytes.Buffer
	err = runRG(args, &out, &errb)
	return out.String(), errb.String(), err
}

// writeStack writes fields as an (n, L, L) float32 stack.
func writeStack(t *testing.T, path string, fs []*field.Field) {
	t.Helper()
	arr, err := field.StackArray(fs)
	if err != nil {
		t.Fatal(err)
	}
	if err := field.WriteArrayFile(path, arr, field.Float32); err != nil {
		t.Fatal(err)
	}
}

func TestRGBadInput(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.npy")
	f := field.New(16, 16)
	for i := range f.Data {
		f.Data[i] = float64(i%7) - 3
	}
	writeStack(t, good, []*field.Field{f, f.Clone()})
	nan := filepath.Join(dir, "nan.npy")
	g := f.Clone()
	g.Data[5] = 0
	g.Data[6] = 0
	writeStack(t, nan, []*field.Field{g})
	b, _ := os.ReadFile(nan)
	// Overwrite the first float32 payload value with a NaN.
	copy(b[len(b)-4*16*16:], []byte{0, 0, 0xc0, 0x7f})
	os.WriteFile(nan, b, 0o644)
	rect := filepath.Join(dir, "rect.npy")
	writeStack(t, rect, []*field.Field{field.New(16, 8)})
	junk := filepath.Join(dir, "junk.npy")
	os.WriteFile(junk, []byte("not an npy file"), 0o644)
	badModel := filepath.Join(dir, "bad.json")
	os.WriteFile(badModel, []byte(`{"version": 1, "l": 24}`), 0o644)
	out := filepath.Join(dir, "m.json")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", nil, "want a subcommand"},
		{"unknown subcommand", []string{"train"}, `unknown subcommand "train"`},
		{"fit without data", []string{"fit", "--out", out}, "--data is required"},
		{"fit without out", []string{"fit", "--data", good}, "--out is required"},
		{"fit out not json", []string{"fit", "--data", good, "--out", filepath.Join(dir, "m.npy")}, "must end in .json"},
		{"fit missing data", []string{"fit", "--data", filepath.Join(dir, "none.npy"), "--out", out}, "no such file"},
		{"fit junk data", []string{"fit", "--data", junk, "--out", out}, "npy"},
		{"fit NaN data", []string{"fit", "--data", nan, "--out", out}, "NaN"},
		{"fit rectangular", []string{"fit", "--data", rect, "--out", out}, "square"},
		{"fit holdout all", []string{"fit", "--data", good, "--holdout-every", "1", "--out", out}, "leaves no samples"},
		{"fit bad beta", []string{"fit", "--data", good, "--beta", "-1", "--out", out}, "positive"},
		{"fit too few samples", []string{"fit", "--data", good, "--out", out}, "sample"},
		{"sample without model", []string{"sample", "--out", filepath.Join(dir, "s.npy")}, "--model is required"},
		{"sample bad model", []string{"sample", "--model", badModel, "--out", filepath.Join(dir, "s.npy")}, "bad.json"},
		{"sample n zero", []string{"sample", "--model", badModel, "--n", "0", "--out", filepath.Join(dir, "s.npy")}, "--n 0"},
		{"sample out not npy", []string{"sample", "--model", badModel, "--out", filepath.Join(dir, "s.txt")}, "must end in .npy"},
		{"validate small n", []string{"validate", "--n", "3"}, "--n 3"},
		{"validate missing model", []string{"validate", "--model", filepath.Join(dir, "none.json"), "--data", good}, "no such file"},
		{"validate scaling with model", []string{"validate", "--scaling", "--model", badModel}, "drop --model"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, err := runRGCLI(c.args...)
			if err == nil {
				t.Fatalf("no error; stderr:\n%s", stderr)
			}
			if !strings.Contains(err.Error()+stderr, c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
	wantNoFile(t, out)
	if _, _, err := runRGCLI("fit", "-h"); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("fit -h: %v, want flag.ErrHelp", err)
	}
}

// TestRGFitSampleValidate runs the whole pipeline on a small lattice:
// phi4 sample (with its sidecar) → rg fit (manifest entry) → rg sample →
// rg validate --json --record.
func TestRGFitSampleValidate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs samplers")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "phi4-L16.npy")
	if _, stderr, err := runPhi4CLI("sample", "--L", "16", "--n", "160", "--seed", "4", "--out", data); err != nil {
		t.Fatalf("phi4 sample: %v\n%s", err, stderr)
	}
	model := filepath.Join(dir, "rg-phi4-L16.json")
	stdout, stderr, err := runRGCLI("fit", "--data", data, "--holdout-every", "5", "--out", model)
	if err != nil {
		t.Fatalf("fit: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "cond(H)") || !strings.Contains(stdout, "wrote") {
		t.Errorf("fit output:\n%s", stdout)
	}
	man, err := nn.ReadManifest(filepath.Join(dir, "manifest.json"))
	if err != nil || len(man.Entries) != 1 || man.Entries[0].Kind != "rg-model" {
		t.Fatalf("manifest %+v, %v", man, err)
	}
	if err := man.Verify(dir); err != nil {
		t.Fatal(err)
	}
	samples := filepath.Join(dir, "s.npy")
	if _, stderr, err := runRGCLI("sample", "--model", model, "--n", "4", "--seed", "2", "--out", samples); err != nil {
		t.Fatalf("sample: %v\n%s", err, stderr)
	}
	arr, err := field.ReadArrayFile(samples)
	if err != nil || len(arr.Shape) != 3 || arr.Shape[0] != 4 || arr.Shape[1] != 16 {
		t.Fatalf("samples %v, %v", arr, err)
	}
	stdout, stderr, err = runRGCLI("validate", "--L", "16", "--model", model, "--data", data, "--n", "32", "--json", "--record")
	if err != nil {
		t.Fatalf("validate: %v\n%s", err, stderr)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("validate JSON: %v\n%s", err, stdout)
	}
	for _, k := range []string{"phi2_rel_err", "binder_abs_err", "spectrum_mean_abs_log_ratio", "hist_tv_distance", "scale_std_rel_err_max", "cost_ratio", "cost_ratio_seconds"} {
		x, ok := v[k].(float64)
		if !ok || x < 0 {
			t.Errorf("%s = %v", k, v[k])
		}
	}
	if v["n_truth"].(float64) != 32 {
		t.Errorf("validated against %v samples, want the 32 held out", v["n_truth"])
	}
	// A 16² critical field from a fitted RG model keeps ⟨φ²⟩ within 10 %.
	if e := v["phi2_rel_err"].(float64); e > 0.1 {
		t.Errorf("phi2_rel_err %.3f", e)
	}
	man, _ = nn.ReadManifest(filepath.Join(dir, "manifest.json"))
	if _, ok := man.Entries[0].Metrics["cost_ratio"]; !ok {
		t.Errorf("metrics not recorded: %+v", man.Entries[0].Metrics)
	}
}

// TestMCMCCosts checks where rg validate takes its MCMC references from:
// a phi4 cost record beats the sidecar, cluster-drawn data need a
// gradient-based record, and a provisional record is flagged.
func TestMCMCCosts(t *testing.T) {
	rec := func(sampler string, tau float64, complete string) string {
		c := ""
		if complete != "" {
			c = `, "complete": ` + complete
		}
		return fmt.Sprintf(`{"L": 16, "beta": 0.68, "sampler": %q, "tau_int": %v, "tau_int_all": %v, "spacing": 2, "grad_per_step": 2, "seconds_per_step": 0.001%s}`, sampler, tau, tau, c)
	}
	for _, tc := range []struct {
		name                 string
		sidecar, fahmc, clus string // file contents ("" = absent)
		wantGrad, wantClus   float64
		wantProvisional      bool
		wantErr              string
	}{
		{"fahmc sidecar only", rec("fahmc", 100, ""), "", "", 100, 0, false, ""},
		{"record beats sidecar", rec("fahmc", 100, ""), rec("fahmc", 300, "true"), "", 300, 0, false, ""},
		{"cluster data and record", rec("cluster", 6, ""), rec("fahmc", 2000, "false"), "", 2000, 6, true, ""},
		{"cluster record beside fahmc data", rec("fahmc", 100, ""), "", rec("cluster", 5, "true"), 100, 5, false, ""},
		{"cluster data, no gradient record", rec("cluster", 6, ""), "", "", 0, 0, false, "phi4-cost-L16-fahmc.json"},
		{"no sidecar", "", "", "", 0, 0, false, "sidecar"},
		{"broken record", rec("fahmc", 100, ""), "{", "", 0, 0, false, "phi4-cost-L16-fahmc.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			data := filepath.Join(dir, "phi4-L16-b0.68.npy")
			for name, body := range map[string]string{"phi4-L16-b0.68.json": tc.sidecar, "phi4-cost-L16-fahmc.json": tc.fahmc, "phi4-cost-L16-cluster.json": tc.clus} {
				if body != "" {
					if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			g, c, err := mcmcCosts(data, 16)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g.tau() != tc.wantGrad || g.provisional() != tc.wantProvisional {
				t.Errorf("gradient-based τ %v provisional %v, want %v %v", g.tau(), g.provisional(), tc.wantGrad, tc.wantProvisional)
			}
			if (c == nil) != (tc.wantClus == 0) || (c != nil && c.tau() != tc.wantClus) {
				t.Errorf("cluster record %+v, want τ %v", c, tc.wantClus)
			}
		})
	}
}
