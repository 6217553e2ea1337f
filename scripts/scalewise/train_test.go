package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scalewise/engine/data"
	"scalewise/engine/nn"
)

// trainTiny is a training run of a few steps of a 1-block, base-4 net.
func trainTiny(dir, name string, extra ...string) []string {
	return append([]string{"train", "--blocks", "1", "--base", "4", "--steps", "4", "--batch", "2",
		"--val", "2", "--workers", "1", "--checkpoint-every", "2", "--out", filepath.Join(dir, name)}, extra...)
}

// manifestEntry returns the manifest entry of file in dir.
func manifestEntry(t *testing.T, dir, file string) nn.ManifestEntry {
	t.Helper()
	m, err := nn.ReadManifest(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range m.Entries {
		if e.File == file {
			return e
		}
	}
	t.Fatalf("%s is not in the manifest", file)
	return nn.ManifestEntry{}
}

// TestTrainRecordsKernels trains with each kernel set this build runs and
// checks that the manifest and the reproducing command name the set.
func TestTrainRecordsKernels(t *testing.T) {
	dir := t.TempDir()
	for _, k := range nn.KernelSets() {
		name := "net-" + k + ".safetensors"
		mustRun(t, trainTiny(dir, name, "--data", "drawing", "--size", "16", "--kernels", k)...)
		e := manifestEntry(t, dir, name)
		if e.Extra["kernels"] != k || e.Extra["workers"] != "1" {
			t.Errorf("%s: manifest extra %v, want kernels %s and workers 1", name, e.Extra, k)
		}
		if !strings.Contains(e.Command, "--kernels "+k) {
			t.Errorf("%s: command %q does not name the kernels", name, e.Command)
		}
	}
	// Without --kernels the run uses (and records) the fastest set.
	mustRun(t, trainTiny(dir, "default.safetensors", "--data", "drawing", "--size", "16")...)
	if e := manifestEntry(t, dir, "default.safetensors"); e.Extra["kernels"] != nn.DefaultKernels() {
		t.Errorf("default run recorded kernels %q, want %q", e.Extra["kernels"], nn.DefaultKernels())
	}
}

// TestTrainMNISTSubset trains briefly on an MNIST subset when the GoMNIST
// module is in the module cache, and checks the train and held-out PSNRs
// in the manifest.
func TestTrainMNISTSubset(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the MNIST training set")
	}
	if _, err := data.MNISTDataDir(); err != nil {
		t.Skipf("MNIST data unavailable: %v", err)
	}
	dir := t.TempDir()
	mustRun(t, trainTiny(dir, "m.safetensors", "--data", "mnist", "--subset", "s2", "--n", "10", "--size", "32")...)
	e := manifestEntry(t, dir, "m.safetensors")
	if !strings.Contains(e.Data, "MNIST S2: training digits 30000..30009 (N=10)") {
		t.Errorf("data %q", e.Data)
	}
	if !strings.Contains(e.Command, "--data mnist --subset s2 --n 10") {
		t.Errorf("command %q", e.Command)
	}
	for _, k := range []string{"val_psnr_out_sigma_0.1", "train_psnr_out_sigma_0.1"} {
		if v, ok := e.Metrics[k]; !ok || !(v > 0) {
			t.Errorf("metric %s = %v (present %v)", k, v, ok)
		}
	}
}

func TestTrainBadInput(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"kernels", []string{"--data", "drawing", "--size", "16", "--kernels", "avx9000"}, `kernel set "avx9000" is not available here`},
		{"mnist n", []string{"--data", "mnist", "--size", "32", "--n", "0"}, "--n 0: an MNIST subset holds 1 to 30000 digits"},
		{"mnist n big", []string{"--data", "mnist", "--size", "32", "--n", "30001"}, "--n 30001"},
		{"mnist subset", []string{"--data", "mnist", "--size", "32", "--n", "5", "--subset", "s3"}, `--subset "s3": want s1 or s2`},
		{"mnist size", []string{"--data", "mnist", "--size", "64", "--n", "5"}, "MNIST digits are 32×32"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantFail(t, trainTiny(dir, "bad.safetensors", c.args...), "scalewise train: ", c.want)
			wantNoFile(t, filepath.Join(dir, "bad.safetensors"))
		})
	}
}

// TestLand trains into one folder, lands the result in another and checks
// the copy and its manifest entry; unfinished or altered files are refused.
func TestLand(t *testing.T) {
	build, dst := t.TempDir(), filepath.Join(t.TempDir(), "weights")
	mustRun(t, trainTiny(build, "n.safetensors", "--data", "drawing", "--size", "16")...)
	stdout, _ := mustRun(t, "land", filepath.Join(build, "n.safetensors"), dst)
	if !strings.Contains(stdout, "landed n.safetensors") {
		t.Errorf("land printed %q", stdout)
	}
	want := manifestEntry(t, build, "n.safetensors")
	if got := manifestEntry(t, dst, "n.safetensors"); got.SHA256 != want.SHA256 || got.Command != want.Command {
		t.Errorf("landed entry %+v, want %+v", got, want)
	}
	m, _ := nn.ReadManifest(filepath.Join(dst, "manifest.json"))
	if err := m.Verify(dst); err != nil {
		t.Errorf("landed folder does not verify: %v", err)
	}
	// A checkpoint without a finished entry, and a file changed after its
	// run, stay where they are.
	wantFail(t, []string{"land", filepath.Join(build, "n.ckpt"), dst}, "want a .safetensors file")
	if err := os.WriteFile(filepath.Join(build, "half.safetensors"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantFail(t, []string{"land", filepath.Join(build, "half.safetensors"), dst}, "no entry in the manifest")
	if err := os.WriteFile(filepath.Join(build, "n.safetensors"), []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantFail(t, []string{"land", filepath.Join(build, "n.safetensors"), dst}, "does not match its manifest entry")
}
