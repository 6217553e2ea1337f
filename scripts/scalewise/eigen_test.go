package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/geometry"
)

// eigenImage writes a 32×32 C^α image (α = 4) as .npy and .png into dir and
// returns it with both paths.
func eigenImage(t *testing.T, dir string) (x *field.Field, npy, png string) {
	t.Helper()
	x, err := geometry.CAlpha(geometry.CAlphaOptions{Size: 32, Alpha: 4, Method: geometry.CAlphaCode, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	npy, png = filepath.Join(dir, "x.npy"), filepath.Join(dir, "x.png")
	if err := field.WriteNPYFile(npy, x, field.Float64); err != nil {
		t.Fatal(err)
	}
	if err := field.WritePNGFile(png, x, field.Gray, 0, 1); err != nil {
		t.Fatal(err)
	}
	return x, npy, png
}

// TestEigenSmall runs eigen on a 32×32 image with the shipped calpha4 net
// and checks the JSON report against the eigenvector file, and that the
// same seed gives the same file.
func TestEigenSmall(t *testing.T) {
	dir := t.TempDir()
	x, npy, _ := eigenImage(t, dir)
	out := filepath.Join(dir, "basis.npy")
	args := []string{"eigen", "--net", "calpha4", "--image", npy, "--sigma", "0.1", "--seed", "1", "--k", "8", "--probes", "8", "--out", out, "--json"}
	stdout, _ := mustRun(t, args...)
	var r eigenReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v in %s", err, stdout)
	}
	if r.K != 8 || len(r.Eigenvalues) != 8 || len(r.Residuals) != 8 || len(r.Coefficients) != 8 || r.Height != 32 || r.Width != 32 {
		t.Fatalf("report %+v", r)
	}
	if !r.Converged || r.Krylov > r.KrylovMax || r.KrylovMax != 2*8+400 {
		t.Errorf("Lanczos: %d of %d steps, converged %v", r.Krylov, r.KrylovMax, r.Converged)
	}
	for i, v := range r.Eigenvalues {
		if i > 0 && v > r.Eigenvalues[i-1] {
			t.Errorf("eigenvalues not descending: %v", r.Eigenvalues)
		}
		if r.Residuals[i] > 1e-5 {
			t.Errorf("residual %d = %g", i+1, r.Residuals[i])
		}
	}
	if r.Eigenvalues[7] < 0.5 || r.Eigenvalues[0] > 2 {
		t.Errorf("eigenvalues %v: want the top of a denoiser's spectrum, near 1", r.Eigenvalues)
	}
	if !(r.Trace.Value > 5 && r.Trace.Value < 1024 && r.Trace.StdErr > 0 && r.Trace.Probes == 8) {
		t.Errorf("trace %+v", r.Trace)
	}
	if !(r.Antisymmetry.Value > 0 && r.Antisymmetry.Value < 1 && r.Antisymmetry.StdErr > 0) {
		t.Errorf("antisymmetry %+v", r.Antisymmetry)
	}
	if !(r.MSE > 0 && r.MSE < r.MSENoisy && math.Abs(r.SURE-r.MSE) < 0.5*r.MSE) || r.PSNROut <= r.PSNRIn {
		t.Errorf("SURE %g, MSE %g, noisy %g, PSNR %g → %g", r.SURE, r.MSE, r.MSENoisy, r.PSNRIn, r.PSNROut)
	}
	a := readArray(t, out)
	if len(a.Shape) != 3 || a.Shape[0] != 8 || a.Shape[1] != 32 || a.Shape[2] != 32 {
		t.Fatalf("shape %v", a.Shape)
	}
	fs, err := a.Fields()
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range fs {
		if nrm := math.Sqrt(dotSlices(f.Data, f.Data)); math.Abs(nrm-1) > 1e-5 {
			t.Errorf("‖e_%d‖ = %.7f", i+1, nrm)
		}
		if c := dotSlices(x.Data, f.Data); math.Abs(c-r.Coefficients[i]) > 1e-4*(1+math.Abs(c)) {
			t.Errorf("⟨x, e_%d⟩ = %g from the file, %g reported", i+1, c, r.Coefficients[i])
		}
	}
	first, _ := os.ReadFile(out)
	mustRun(t, args...)
	if again, _ := os.ReadFile(out); !bytes.Equal(first, again) {
		t.Error("same seed, different eigenvectors")
	}
}

// TestEigenPNG reads the image as a grey PNG and prints the text summary.
func TestEigenPNG(t *testing.T) {
	dir := t.TempDir()
	_, _, png := eigenImage(t, dir)
	out := filepath.Join(dir, "b.npy")
	stdout, _ := mustRun(t, "eigen", "--net", "drawing", "--image", png, "--k", "4", "--probes", "4", "--out", out)
	for _, want := range []string{"wrote " + out + ": (4, 32, 32) float32", "converged", "tr J =", "SURE"} {
		if !bytes.Contains([]byte(stdout), []byte(want)) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
}

func TestEigenErrors(t *testing.T) {
	dir := t.TempDir()
	_, npy, _ := eigenImage(t, dir)
	odd := filepath.Join(dir, "odd.npy")
	if err := field.WriteNPYFile(odd, field.New(30, 30), field.Float64); err != nil {
		t.Fatal(err)
	}
	bright := field.New(32, 32)
	bright.Data[5] = 1.5
	brightPath := filepath.Join(dir, "bright.npy")
	if err := field.WriteNPYFile(brightPath, bright, field.Float64); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "o.npy")
	base := func(extra ...string) []string {
		return append([]string{"eigen", "--net", "calpha4", "--image", npy, "--out", out}, extra...)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"NaN sigma", base("--sigma", "NaN"), "--sigma"},
		{"zero sigma", base("--sigma", "0"), "--sigma 0"},
		{"big sigma", base("--sigma", "1.5"), "--sigma 1.5"},
		{"no net", []string{"eigen", "--image", npy, "--out", out}, "--weights"},
		{"both", base("--weights", "w.safetensors"), "not both"},
		{"unknown net", []string{"eigen", "--net", "nothing", "--image", npy, "--out", out}, "no denoiser"},
		{"no image", []string{"eigen", "--net", "calpha4", "--out", out}, "--image is required"},
		{"no out", []string{"eigen", "--net", "calpha4", "--image", npy}, "--out is required"},
		{"out extension", base("--out", filepath.Join(dir, "o.png")), "must end in .npy"},
		{"k zero", base("--k", "0"), "--k 0"},
		{"k too big", base("--k", "2000"), "--k 2000"},
		{"krylov below k", base("--k", "8", "--krylov", "4"), "--krylov 4"},
		{"krylov above n", base("--k", "8", "--krylov", "2000"), "--krylov 2000"},
		{"negative krylov", base("--krylov", "-1"), "--krylov -1"},
		{"one probe", base("--probes", "1"), "--probes 1"},
		{"workers", base("--workers", "-1"), "--workers"},
		{"size", []string{"eigen", "--net", "calpha4", "--image", odd, "--out", out}, "multiples of 4"},
		{"range", []string{"eigen", "--net", "calpha4", "--image", brightPath, "--out", out}, "outside [0, 1]"},
		{"image extension", []string{"eigen", "--net", "calpha4", "--image", filepath.Join(dir, "x.tif"), "--out", out}, "must end in .npy or .png"},
		{"missing image", []string{"eigen", "--net", "calpha4", "--image", filepath.Join(dir, "none.npy"), "--out", out}, "none.npy"},
		{"NaN tol", base("--tol", "NaN"), "--tol"},
		{"positional", base("extra"), "no arguments"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantFail(t, tc.args, tc.want)
			wantNoFile(t, out)
		})
	}
}

// TestEigenFloatFlagsFinite sets every float flag of eigen (found in its
// -h output) to NaN and to -Inf: each is rejected by name, as
// TestFloatFlagsFinite does for the other commands.
func TestEigenFloatFlagsFinite(t *testing.T) {
	code, _, help := runCLI(t, "eigen", "-h")
	if code != 0 {
		t.Fatalf("eigen -h: exit %d", code)
	}
	found := 0
	for _, m := range regexp.MustCompile(`(?m)^\s+-(\S+) float\b`).FindAllStringSubmatch(help, -1) {
		found++
		for _, v := range []string{"NaN", "-Inf"} {
			wantFail(t, []string{"eigen", "--" + m[1] + "=" + v}, "--"+m[1]+" "+v+": not a finite number")
		}
	}
	if found != 2 {
		t.Errorf("found %d float flags (want sigma and tol) in:\n%s", found, help)
	}
}
