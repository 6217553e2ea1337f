package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"scalewise/engine/data"
	"scalewise/engine/nn"
)

// runHalfJSON runs scalewise half --json with args and decodes its report.
func runHalfJSON(t *testing.T, args ...string) halfReport {
	t.Helper()
	stdout, _ := mustRun(t, append([]string{"half", "--json"}, args...)...)
	var rep halfReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, stdout)
	}
	return rep
}

// checkHalfCopy checks the float16 copy written by scalewise half: it loads,
// says what it is and where it came from, and is at most ratio times the
// size of the original (the header, its metadata included, stays as it is).
func checkHalfCopy(t *testing.T, in, out string, rep halfReport, ratio float64) {
	t.Helper()
	if !rep.Written {
		t.Error("report says the copy was not written")
	}
	sum, err := nn.SHA256File(in)
	if err != nil {
		t.Fatal(err)
	}
	u, md, err := nn.LoadUNetFile(out)
	if err != nil {
		t.Fatal(err)
	}
	_, md32, err := nn.LoadUNetFile(in)
	if err != nil {
		t.Fatal(err)
	}
	if md["dtype"] != "F16" || md["from"] != sum || rep.From != sum {
		t.Errorf("metadata dtype %q, from %q, report from %q; want F16 and %s", md["dtype"], md["from"], rep.From, sum)
	}
	for k, v := range md32 {
		if md[k] != v {
			t.Errorf("metadata %s = %q, want the original's %q", k, md[k], v)
		}
	}
	if u.NumParams() != rep.Params {
		t.Errorf("params %d, report %d", u.NumParams(), rep.Params)
	}
	if float64(rep.BytesF16) > ratio*float64(rep.BytesF32) || float64(rep.GzipF16) > ratio*float64(rep.GzipF32) {
		t.Errorf("float16 copy of %d bytes (gzip %d) from %d (gzip %d)", rep.BytesF16, rep.GzipF16, rep.BytesF32, rep.GzipF32)
	}
	if len(rep.PerSigma) != 5 || rep.PerSigma[0].Sigma != 0.02 || rep.PerSigma[4].Sigma != 0.4 {
		t.Fatalf("per sigma %+v", rep.PerSigma)
	}
	for _, r := range rep.PerSigma {
		if math.Abs(r.PSNRF32-r.PSNRF16-r.LossDB) > 1e-12 || math.Abs(r.LossDB) > rep.MaxLossDB {
			t.Errorf("row %+v inconsistent with the largest loss %g", r, rep.MaxLossDB)
		}
	}
}

// TestHalfTinyNet converts a net trained for a few steps in the test
// (drawings): the copy is written and measured; a zero tolerance fails
// without writing unless --force; bad command lines fail.
func TestHalfTinyNet(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, trainTiny(dir, "tiny.safetensors", "--data", "drawing", "--size", "16")...)
	in, out := filepath.Join(dir, "tiny.safetensors"), filepath.Join(dir, "tiny16.safetensors")
	rep := runHalfJSON(t, "--in", in, "--out", out, "--n", "8")
	checkHalfCopy(t, in, out, rep, 0.7)
	if rep.Images != 8 || !strings.Contains(rep.HeldOut, "random drawings, 64×64") || rep.ToleranceDB != halfMaxLossDB {
		t.Errorf("report %+v", rep)
	}
	if rep.MaxLossDB > halfMaxLossDB {
		t.Errorf("float16 loses %g dB on the tiny net", rep.MaxLossDB)
	}

	// The text report.
	text := filepath.Join(dir, "text16.safetensors")
	stdout, _ := mustRun(t, "half", "--in", in, "--out", text, "--n", "2", "--sigmas", "0.1")
	for _, w := range []string{"(wrote)", "held out: random drawings", "loss (dB)", "largest |loss|"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("text report lacks %q:\n%s", w, stdout)
		}
	}

	// A tolerance of 0 dB: any difference fails, and nothing is written
	// unless --force.
	strict := filepath.Join(dir, "strict.safetensors")
	stdout, _ = wantFail(t, []string{"half", "--in", in, "--out", strict, "--n", "4", "--max-loss", "0"}, "over the tolerance of 0 dB", "not written (--force writes it)")
	if !strings.Contains(stdout, "(did not write)") {
		t.Errorf("stdout %q", stdout)
	}
	wantNoFile(t, strict)
	_, stderr := mustRun(t, "half", "--in", in, "--out", strict, "--n", "4", "--max-loss", "0", "--force")
	if !strings.Contains(stderr, "written anyway (--force)") {
		t.Errorf("stderr %q", stderr)
	}
	if _, _, err := nn.LoadUNetFile(strict); err != nil {
		t.Errorf("forced copy: %v", err)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"half", "--in", in}, "--in and --out are required"},
		{[]string{"half", "--in", in, "--out", in}, "would overwrite --in"},
		{[]string{"half", "--in", out, "--out", filepath.Join(dir, "x.safetensors")}, "is already F16"},
		{[]string{"half", "--in", filepath.Join(dir, "missing.safetensors"), "--out", filepath.Join(dir, "x.safetensors")}, "no such file"},
		{[]string{"half", "--in", in, "--out", filepath.Join(dir, "x.safetensors"), "--max-loss", "-1"}, "--max-loss -1"},
		{[]string{"half", "--in", in, "--out", filepath.Join(dir, "x.safetensors"), "--n", "0"}, "-n"},
		{[]string{"half", "--in", in, "--out", filepath.Join(dir, "x.safetensors"), "--sigmas", "0.1,2"}, "bad noise level"},
	} {
		wantFail(t, tc.args, tc.want)
	}
	wantNoFile(t, filepath.Join(dir, "x.safetensors"))
}

// TestHalfSweepNet converts the landed small net trained on one MNIST
// digit, measured on the MNIST test digits.
func TestHalfSweepNet(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the MNIST training and test sets")
	}
	in := sweepWeights(t, "mnist-small-s1-n1.safetensors")
	if _, err := data.MNISTDataDir(); err != nil {
		t.Skipf("MNIST data unavailable: %v", err)
	}
	out := filepath.Join(t.TempDir(), "s1-n1-f16.safetensors")
	rep := runHalfJSON(t, "--in", in, "--out", out)
	checkHalfCopy(t, in, out, rep, 0.52)
	if rep.HeldOut != "MNIST test digits" || rep.Images != 64 || rep.Params != 28768 {
		t.Errorf("report %+v", rep)
	}
	if rep.MaxLossDB > halfMaxLossDB {
		t.Errorf("float16 loses %g dB", rep.MaxLossDB)
	}
}
