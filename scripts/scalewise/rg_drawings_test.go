package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"scalewise/engine/denoise"
	"scalewise/engine/fourier"
)

// TestRGDrawingsSetup checks that --field drawings fits the images of the
// Draw & denoise net's data (denoise.Dataset "drawing", seeds 0..n−1)
// about ½ with the symmetries its doc comment derives.
func TestRGDrawingsSetup(t *testing.T) {
	const L, n = 16, 6
	su, err := rgFieldSetupFor(rgFieldDrawings, "", 0, L, n, 2)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := denoise.ParseDataset("drawing", 0, L)
	if err != nil {
		t.Fatal(err)
	}
	if len(su.fit) != n || su.held != nil || su.L != L {
		t.Fatalf("%d fit, %d held, L %d", len(su.fit), len(su.held), su.L)
	}
	for i, f := range su.fit {
		want, err := ds.Image(uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(f.Data, want.Data) {
			t.Errorf("image %d differs from denoise.Dataset drawing seed %d", i, i)
		}
	}
	if su.centre != 0.5 || !su.opts.Symmetric || !su.opts.Isotropic || !su.scatIso {
		t.Errorf("centre %v, options %+v, isotropic scattering %v", su.centre, su.opts, su.scatIso)
	}
	if !strings.Contains(su.prov["data"], "geometry.RandomDrawing") || !strings.Contains(su.prov["data"], "seeds 0..5") || su.prov["holdout_seed"] != "1099511627776" {
		t.Errorf("provenance %v", su.prov)
	}
	held, err := drawingImages(L, denoise.HeldOutSeed, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := ds.Image(denoise.HeldOutSeed + 1); !slices.Equal(held[1].Data, want.Data) {
		t.Error("held-out image 1 is not denoise.Dataset drawing seed 2^40 + 1")
	}
}

// TestRGDrawingsSymmetry checks the symmetries that the drawings' model
// assumes (rgFieldSetupFor): x ↦ 1 − x, through the mean and third moment
// of x − ½ (per-image averages as samples), and the transposition x ↔ y,
// through the relative asymmetry of the mean power spectrum against its
// spread when each image is transposed with probability ½ (the null).
func TestRGDrawingsSymmetry(t *testing.T) {
	const L, n = 16, 1024
	fs, err := drawingImages(L, 0, n, 0)
	if err != nil {
		t.Fatal(err)
	}
	m1, m3 := make([]float64, n), make([]float64, n)
	for i, f := range fs {
		for _, v := range f.Data {
			d := v - 0.5
			m1[i] += d / (L * L)
			m3[i] += d * d * d / (L * L)
		}
	}
	for _, c := range []struct {
		name string
		v    []float64
	}{{"x − ½", m1}, {"(x − ½)³", m3}} {
		mean, se := meanSE(c.v)
		if math.Abs(mean) > 4*se {
			t.Errorf("mean of %s = %.3g ± %.2g: not symmetric under x ↦ 1 − x", c.name, mean, se)
		}
	}
	pw := make([][]float64, n)
	for i, f := range fs {
		pw[i] = powerSpectrum(t, f.Data, L)
	}
	tr := func(k int) int { return (k%L)*L + k/L }
	asym := func(flip func(i int) bool) float64 {
		mean := make([]float64, L*L)
		for i, p := range pw {
			for k := range p {
				if flip(i) {
					mean[k] += p[tr(k)]
				} else {
					mean[k] += p[k]
				}
			}
		}
		var num, den float64
		for k := range mean {
			num += math.Abs(mean[k] - mean[tr(k)])
			den += mean[k]
		}
		return num / den
	}
	obs := asym(func(int) bool { return false })
	var null []float64
	for r := range 16 {
		null = append(null, asym(func(i int) bool { return (uint64(i)*0x9E3779B97F4A7C15+uint64(r)*0xBF58476D1CE4E5B9)>>63 == 1 }))
	}
	mean, se := meanSE(null)
	sd := se * math.Sqrt(float64(len(null)))
	if obs > mean+4*sd {
		t.Errorf("power-spectrum transposition asymmetry %.4f against %.4f ± %.4f when symmetrised", obs, mean, sd)
	}
}

// meanSE returns the mean of v and its standard error.
func meanSE(v []float64) (mean, se float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	var s2 float64
	for _, x := range v {
		s2 += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(s2 / float64(len(v)-1) / float64(len(v)))
}

// powerSpectrum returns |DFT₂ x|² of an L×L field, row-major in (k2, k1).
func powerSpectrum(t *testing.T, x []float64, L int) []float64 {
	t.Helper()
	p, err := fourier.NewPlan2D(L, L)
	if err != nil {
		t.Fatal(err)
	}
	z := make([]complex128, L*L)
	if err := p.ForwardReal(z, x); err != nil {
		t.Fatal(err)
	}
	out := make([]float64, L*L)
	for k, c := range z {
		out[k] = real(c)*real(c) + imag(c)*imag(c)
	}
	return out
}

// TestRGDrawingsFitValidate fits the scattering model and the ablation of
// 16² drawings through rg fit --field drawings (no calibration, to be
// fast) and validates them with rg validate --json against held-out
// drawings.
func TestRGDrawingsFitValidate(t *testing.T) {
	if testing.Short() {
		t.Skip("fits and samples")
	}
	dir := t.TempDir()
	scat, local := filepath.Join(dir, "s.json"), filepath.Join(dir, "a.json")
	for _, m := range []struct {
		out, flag string
	}{{scat, "--scattering=true"}, {local, "--scattering=false"}} {
		stdout, stderr, err := runRGCLI("fit", "--field", "drawings", "--L", "16", "--n", "64", m.flag, "--calibration", "-1", "--out", m.out)
		if err != nil {
			t.Fatalf("fit %s: %v\n%s", m.flag, err, stderr)
		}
		if !strings.Contains(stdout, "(d = 256)") || !strings.Contains(stdout, "wrote") {
			t.Errorf("fit output:\n%s", stdout)
		}
	}
	m, err := readModelFile(scat)
	if err != nil {
		t.Fatal(err)
	}
	p := m.Provenance
	if m.Mean != 0.5 || p["field"] != "drawings" || p["symmetric"] != "true" || p["isotropic"] != "true" || p["scattering_isotropic"] != "true" ||
		!strings.Contains(p["data"], "RandomDrawing") || p["fit_samples"] != "64" {
		t.Errorf("mean %v, provenance %v", m.Mean, p)
	}
	stdout, stderr, err := runRGCLI("validate", "--field", "drawings", "--L", "16", "--fit-n", "64", "--model", scat, "--ablation", local,
		"--n", "16", "--held", "32", "--synth=false", "--json")
	if err != nil {
		t.Fatalf("validate: %v\n%s", err, stderr)
	}
	var v rgFieldValidation
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if v.Field != "drawings" || v.L != 16 || v.Truth != "drawings of seeds 2^40 + 0..15" || v.Ref != "drawings of seeds 2^40 + 16..31" ||
		v.Scattering.N != 16 || v.Reference.N != 16 || !v.Scattering.Scattering || v.Ablation.Scattering {
		t.Errorf("validation %+v", v)
	}
	for _, s := range []rgFieldStats{v.Scattering.rgFieldStats, v.Ablation.rgFieldStats, v.Reference} {
		if !(s.SpectrumErr >= 0) || !(s.MarginalTV >= 0 && s.MarginalTV <= 1) || math.IsNaN(s.TrispecErr) {
			t.Errorf("statistics %+v", s)
		}
	}
}
