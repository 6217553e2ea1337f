package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/scattering"
)

// TestScatValidate runs "scat validate --json" on small fields with a few
// iterations (the numbers are not expected to pass): every key is there
// and finite, the turbulence snapshots are cached and reused, and
// --out-dir receives the four fields of each type.
func TestScatValidate(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache")
	outDir := t.TempDir()
	args := []string{"scat", "validate", "--json", "--size", "32", "--calpha-size", "16", "--iters", "4",
		"--cache", cache, "--out-dir", outDir}
	stdout, stderr := mustRun(t, args...)
	for _, w := range []string{"phi4: preparing", "calpha: pass", "100%"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr does not mention %q:\n%s", w, stderr)
		}
	}
	var v scatValidateJSON
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if v.Size != 32 || v.CAlphaSize != 16 || v.MaxIter != 4 || v.Seed != 1 || v.Tol != scattering.DefaultSynthTol ||
		!strings.Contains(v.Command, "scat validate --json") || v.Criteria == "" || v.Version != Version || len(v.Fields) != 4 {
		t.Fatalf("header: %+v", v)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(stdout), &raw)
	keys := []string{"spectrum_err", "pdf_tv", "bispec_err", "trispec_err", "bispec_err_reference", "trispec_err_reference",
		"gaussian_bispec_err", "n_coefficients", "seconds", "pass", "gaussian_pdf_tv", "pdf_tv_reference", "spectrum_err_reference",
		"spectrum_err_half_octave", "spectrum_err_half_octave_reference", "seed"}
	for i, f := range raw["fields"].([]any) {
		m := f.(map[string]any)
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Errorf("field %d: no key %q", i, k)
			}
		}
	}
	pass := true
	for i, r := range v.Fields {
		if r.Field != scatValidateFieldNames[i] {
			t.Errorf("field %d is %q, want %q", i, r.Field, scatValidateFieldNames[i])
		}
		n := 32
		if r.Field == "calpha" {
			n = 16
		}
		J := scatValidateJ(n)
		if r.Size != n || r.J != J || r.L != 4 || r.NCoefficients != scattering.CoefficientCount(scattering.Isotropic, J, 4, scattering.ScalesInclusive) ||
			r.Iterations < 1 || r.Iterations > 4 || !(r.Seconds > 0) || r.Description == "" || r.Target == "" || r.Reference == "" {
			t.Errorf("%s: %+v", r.Field, r)
		}
		for name, x := range map[string]float64{
			"spectrum": r.SpectrumErr, "spectrum ref": r.SpectrumErrReference, "pdf": r.PDFTV, "pdf ref": r.PDFTVReference,
			"pdf gauss": r.GaussianPDFTV, "bispec": r.BispecErr, "bispec ref": r.BispecErrReference, "bispec gauss": r.GaussianBispecErr,
			"trispec": r.TrispecErr, "trispec ref": r.TrispecErrReference, "trispec gauss": r.GaussianTrispecErr,
			"spectrum half": r.SpectrumErrHalfOctave, "spectrum half ref": r.SpectrumErrHalfOctaveReference,
		} {
			if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
				t.Errorf("%s: %s error %v", r.Field, name, x)
			}
		}
		if r.PDFTV > 1 || r.GaussianPDFTV > 1 {
			t.Errorf("%s: total variation above 1: %v, %v", r.Field, r.PDFTV, r.GaussianPDFTV)
		}
		// The random-phase field has the target's power spectrum exactly.
		// Seven checks, the Gaussian-bispectrum one applied exactly when the
		// bispectrum discriminates, else listed as not applicable.
		_, gb := r.Checks["gaussian_bispectrum"]
		wantChecks := 6
		if r.BispecDiscriminates {
			wantChecks = 7
		}
		_, half := r.Checks["spectrum_half_octave"]
		if !half || len(r.Checks) != wantChecks || gb != r.BispecDiscriminates || len(r.NotApplicable) != 7-wantChecks ||
			r.BispecDiscriminates != (r.GaussianBispecErr >= scatValidateGaussFactor*r.BispecErrReference) {
			t.Errorf("%s: checks %v, not applicable %v, discriminates %v", r.Field, r.Checks, r.NotApplicable, r.BispecDiscriminates)
		}
		ok := true
		for _, c := range r.Checks {
			ok = ok && c
		}
		if ok != r.Pass || ok != (len(r.Failed) == 0) {
			t.Errorf("%s: pass %v, checks %v, failed %v", r.Field, r.Pass, r.Checks, r.Failed)
		}
		pass = pass && r.Pass
		for _, k := range []string{"target", "synth", "reference", "gaussian"} {
			fs, err := readStack(filepath.Join(outDir, r.Field+"-"+k+".npy"))
			if err != nil || len(fs) != 1 || fs[0].W != n {
				t.Errorf("%s-%s.npy: %v", r.Field, k, err)
			}
		}
	}
	if pass != v.Pass {
		t.Errorf("overall pass %v, fields %v", v.Pass, pass)
	}
	// One seed: no runs, a summary of single values.
	if len(v.Runs) != 0 || len(v.Summary) != 4 || !slices.Equal(v.Seeds, []uint64{1}) || v.Weights != "1,1,1,10,10" ||
		v.PowerSpec != scattering.DefaultPowerSpectrumWeight || v.PSRings != scattering.DefaultPowerSpectrumRings {
		t.Errorf("one seed: runs %d, summary %d, seeds %v, weights %q, power spectrum %v/%d", len(v.Runs), len(v.Summary), v.Seeds, v.Weights, v.PowerSpec, v.PSRings)
	}
	for i, sm := range v.Summary {
		r := v.Fields[i]
		if sm.Field != r.Field || sm.SpectrumErrHalfOctave.Median != r.SpectrumErrHalfOctave || sm.SpectrumErrHalfOctave.Worst != r.SpectrumErrHalfOctave ||
			sm.BispecErr.Median != r.BispecErr || (sm.Passes == 1) != r.Pass {
			t.Errorf("summary %+v of %s", sm, r.Field)
		}
	}
	cached := filepath.Join(cache, "turbulence-32.npy")
	fs, err := readStack(cached)
	if err != nil || len(fs) != 2 {
		t.Fatalf("cache %s: %v", cached, err)
	}
	for i, f := range fs {
		m, sd := field.MeanStd(f.Data)
		if math.Abs(m) > 1e-12 || math.Abs(sd-1) > 1e-12 {
			t.Errorf("cached snapshot %d: mean %v, std %v; want 0, 1", i, m, sd)
		}
	}
	// Second run on a planted cache: its fields are the target and the
	// independent sample.
	plant := randomArray(9, 2, 32, 32)
	writeArray(t, cache, "turbulence-32.npy", plant, field.Float64)
	out2 := t.TempDir()
	stdout2, _ := mustRun(t, "scat", "validate", "--size", "32", "--fields", "turbulence", "--iters", "2", "--cache", cache, "--json", "--out-dir", out2)
	var v2 scatValidateJSON
	if err := json.Unmarshal([]byte(stdout2), &v2); err != nil {
		t.Fatal(err)
	}
	if len(v2.Fields) != 1 || v2.Fields[0].Target != cached+" snapshot 0 (end of spin-up)" {
		t.Errorf("second run: %+v", v2.Fields)
	}
	for i, k := range []string{"target", "reference"} {
		fs, err := readStack(filepath.Join(out2, "turbulence-"+k+".npy"))
		if err != nil || !slices.Equal(fs[0].Data, plant.Data[i*32*32:(i+1)*32*32]) {
			t.Errorf("%s is not the cached field %d (%v)", k, i, err)
		}
	}
	// Several seeds: one run each, the median and worst over them, the
	// fields of each seed in its own folder.
	out4 := t.TempDir()
	stdout4, _ := mustRun(t, "scat", "validate", "--json", "--fields", "calpha,phi4", "--size", "32", "--calpha-size", "16", "--iters", "2",
		"--seeds", "2,1,3", "--out-dir", out4)
	var v4 scatValidateJSON
	if err := json.Unmarshal([]byte(stdout4), &v4); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v4.Seeds, []uint64{2, 1, 3}) || v4.Seed != 2 || len(v4.Runs) != 3 || len(v4.Summary) != 2 || len(v4.Fields) != 2 {
		t.Fatalf("seeds %v (seed %d), %d runs, %d summaries, %d fields", v4.Seeds, v4.Seed, len(v4.Runs), len(v4.Summary), len(v4.Fields))
	}
	allPass := true
	for ri, run := range v4.Runs {
		if run.Seed != v4.Seeds[ri] || len(run.Fields) != 2 || run.Fields[0].Seed != run.Seed {
			t.Errorf("run %d: seed %d, %d fields", ri, run.Seed, len(run.Fields))
		}
		allPass = allPass && run.Pass
		if _, err := os.Stat(filepath.Join(out4, fmt.Sprintf("seed%d", run.Seed), "calpha-synth.npy")); err != nil {
			t.Errorf("seed %d: %v", run.Seed, err)
		}
	}
	if allPass != v4.Pass || !reflect.DeepEqual(v4.Fields, v4.Runs[0].Fields) {
		t.Errorf("pass %v (runs %v); fields are not the first run's", v4.Pass, allPass)
	}
	for fi, sm := range v4.Summary {
		var vals []float64
		passes := 0
		for _, run := range v4.Runs {
			vals = append(vals, run.Fields[fi].SpectrumErrHalfOctave)
			if run.Fields[fi].Pass {
				passes++
			}
		}
		sorted := slices.Sorted(slices.Values(vals))
		if sm.Field != v4.Fields[fi].Field || !slices.Equal(sm.Seeds, v4.Seeds) || !slices.Equal(sm.SpectrumErrHalfOctave.Values, vals) ||
			sm.SpectrumErrHalfOctave.Median != sorted[1] || sm.SpectrumErrHalfOctave.Worst != sorted[2] || sm.Passes != passes ||
			len(sm.BispecErr.Values) != 3 || len(sm.PDFTV.Values) != 3 || len(sm.SpectrumErr.Values) != 3 {
			t.Errorf("summary %+v; half-octave errors %v", sm, vals)
		}
	}
	if s := newSpread([]float64{4, 1, 3, 2}); s.Median != 2.5 || s.Worst != 4 || !slices.Equal(s.Values, []float64{4, 1, 3, 2}) {
		t.Errorf("spread of 4 values: %+v", s)
	}
	// Text output.
	stdout3, _ := mustRun(t, "scat", "validate", "--size", "32", "--fields", "calpha", "--calpha-size", "16", "--iters", "2")
	for _, w := range []string{"calpha (16×16", "spectrum", "half-octave", "bispectrum", "trispectrum", "seed 1"} {
		if !strings.Contains(stdout3, w) {
			t.Errorf("text output does not mention %q:\n%s", w, stdout3)
		}
	}
}

func TestScatValidateBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "turbulence-32.npy")
	if err := os.WriteFile(bad, []byte("not numpy"), 0o644); err != nil {
		t.Fatal(err)
	}
	v := func(extra ...string) []string { return append([]string{"scat", "validate", "--iters", "1"}, extra...) }
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"positional", v("x"), "want no arguments"},
		{"iters", v("--iters", "0"), "--iters 0"},
		{"tol", v("--tol", "0"), "--tol 0"},
		{"size", v("--size", "100"), "--size 100: want a power of two"},
		{"size small", v("--size", "8"), "--size 8"},
		{"calpha size", v("--calpha-size", "24"), "--calpha-size 24"},
		{"field", v("--fields", "phi4,ising"), `unknown field "ising"`},
		{"no field", v("--fields", ","), "no field"},
		{"weights count", v("--weights", "1,2"), "want 5 comma-separated numbers"},
		{"weights parse", v("--weights", "1,1,1,1,x"), `--weights "1,1,1,1,x"`},
		{"weights negative", v("--fields", "calpha", "--calpha-size", "16", "--weights", "1,1,1,-1,1"), "calpha:"},
		{"form", v("--form", "half"), "--form"},
		{"out dir", v("--out-dir", filepath.Join(dir, "missing")), "is not a directory"},
		{"phi4 size", v("--fields", "phi4", "--size", "16"), "phi4: assets: no φ⁴ samples for L = 16"},
		{"J", v("--fields", "calpha", "--calpha-size", "16", "--J", "4"), "calpha:"},
		{"bad cache", v("--fields", "turbulence", "--size", "32", "--cache", dir), "turbulence: cache:"},
		{"seeds parse", v("--seeds", "1,x"), `--seeds "1,x": "x" is not a seed`},
		{"seeds repeated", v("--seeds", "1,2,1"), "seed 1 is repeated"},
		{"power spectrum", v("--power-spectrum", "-1"), "--power-spectrum -1"},
		{"power spectrum rings", v("--power-spectrum-rings", "17"), "--power-spectrum-rings 17"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantFail(t, c.args, c.want)
		})
	}
}
