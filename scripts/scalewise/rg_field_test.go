package main

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/fourier"
	"scalewise/engine/nn"
	"scalewise/engine/rg"
)

// vortexLikeFields returns n standardised, non-Gaussian L×L fields: a
// smooth Gaussian field g (spectrum ∝ e^{−|k|²/8}) mapped through
// g + 0.4 g³, periodic.
func vortexLikeFields(t *testing.T, n, L int, seed uint64) []*field.Field {
	t.Helper()
	p, err := fourier.NewPlan2D(L, L)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 17))
	out := make([]*field.Field, n)
	for i := range out {
		z := make([]complex128, L*L)
		for r := range L {
			for c := range L {
				ky, kx := float64(fourier.SignedIndex(r, L)), float64(fourier.SignedIndex(c, L))
				a := math.Exp(-(kx*kx + ky*ky) / 16)
				z[r*L+c] = complex(a*rng.NormFloat64(), a*rng.NormFloat64())
			}
		}
		f := field.New(L, L)
		if err := p.InverseReal(f.Data, z); err != nil {
			t.Fatal(err)
		}
		if err := field.Standardise(f.Data); err != nil {
			t.Fatal(err)
		}
		for k, v := range f.Data {
			f.Data[k] = v + 0.4*v*v*v
		}
		if err := field.Standardise(f.Data); err != nil {
			t.Fatal(err)
		}
		out[i] = f
	}
	return out
}

// TestRGFieldBadFlags checks that the field flags are refused where they
// do not apply, and bad values with errors that name them.
func TestRGFieldBadFlags(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.json")
	data := filepath.Join(dir, "turb.npy")
	writeStack(t, data, vortexLikeFields(t, 4, 16, 1))
	// A model of another field, refused by the drawings' validation.
	calphaModel := filepath.Join(dir, "calpha.json")
	if _, stderr, err := runRGCLI("fit", "--field", "calpha", "--L", "16", "--n", "64", "--calibration", "-1", "--scattering=false", "--out", calphaModel); err != nil {
		t.Fatalf("fit calpha: %v\n%s", err, stderr)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown field", []string{"fit", "--field", "cosmic", "--out", out}, `--field "cosmic"`},
		{"calpha with data", []string{"fit", "--field", "calpha", "--data", data, "--out", out}, "--data does not apply to --field calpha"},
		{"phi4 with scattering", []string{"fit", "--data", data, "--scattering=false", "--out", out}, "--scattering apply to --field turbulence|calpha|drawings only"},
		{"phi4 with alpha", []string{"fit", "--data", data, "--alpha", "1", "--out", out}, "--alpha apply to --field"},
		{"turbulence with beta", []string{"fit", "--field", "turbulence", "--data", data, "--beta", "1", "--out", out}, "--beta apply to φ⁴ only"},
		{"turbulence with J", []string{"fit", "--field", "turbulence", "--data", data, "--J", "2", "--out", out}, "--J applies to φ⁴ only"},
		{"turbulence missing data", []string{"fit", "--field", "turbulence", "--data", filepath.Join(dir, "none.npy"), "--out", out}, "no such file"},
		{"turbulence too few", []string{"fit", "--field", "turbulence", "--data", data, "--out", out}, "too few samples"},
		{"calpha bad L", []string{"fit", "--field", "calpha", "--L", "24", "--out", out}, "--L 24"},
		{"calpha bad alpha", []string{"fit", "--field", "calpha", "--alpha", "0", "--out", out}, "--alpha 0"},
		{"calpha bad n", []string{"fit", "--field", "calpha", "--n", "1", "--out", out}, "--n 1"},
		{"calpha no out", []string{"fit", "--field", "calpha"}, "--out is required"},
		{"unknown family", []string{"fit", "--field", "calpha", "--families", "s1,s2", "--out", out}, `unknown family "s2"`},
		{"families without scattering", []string{"fit", "--field", "calpha", "--families", "s1", "--scattering=false", "--out", out}, "--families needs scattering terms"},
		{"phi4 with families", []string{"fit", "--data", data, "--families", "s1", "--out", out}, "--families apply to --field"},
		{"validate families with model", []string{"validate", "--field", "turbulence", "--data", data, "--families", "s1", "--model", out}, "drop it with --model"},
		{"validate turbulence with L", []string{"validate", "--field", "turbulence", "--data", data, "--L", "32"}, "--L apply to --field calpha|drawings only"},
		{"validate field with scaling", []string{"validate", "--field", "calpha", "--scaling"}, "--scaling apply to φ⁴ only"},
		{"validate phi4 with ablation", []string{"validate", "--ablation", out}, "--ablation apply to --field"},
		{"validate small held", []string{"validate", "--field", "calpha", "--held", "2"}, "--held 2"},
		{"validate small n", []string{"validate", "--field", "calpha", "--n", "4"}, "--n 4"},
		{"validate bad out-dir", []string{"validate", "--field", "calpha", "--out-dir", filepath.Join(dir, "none")}, "is not a directory"},
		{"validate missing model", []string{"validate", "--field", "turbulence", "--data", data, "--model", filepath.Join(dir, "none.json")}, "no such file"},
		{"validate record without models", []string{"validate", "--field", "turbulence", "--data", data, "--record"}, "give --model and --ablation"},
		{"validate land without record", []string{"validate", "--field", "turbulence", "--data", data, "--model", out, "--ablation", out, "--land", dir}, "--land needs --record"},
		{"fit with land", []string{"fit", "--field", "turbulence", "--data", data, "--land", dir, "--out", out}, "--land applies to rg validate"},
		{"turbulence fit with alpha", []string{"fit", "--field", "turbulence", "--data", data, "--alpha", "2", "--out", out}, "--alpha apply to --field calpha|drawings only"},
		{"turbulence fit with n", []string{"fit", "--field", "turbulence", "--data", data, "--n", "64", "--out", out}, "--n apply to --field calpha|drawings only"},
		{"drawings with alpha", []string{"fit", "--field", "drawings", "--alpha", "2", "--out", out}, "--alpha applies to --field calpha only"},
		{"drawings with data", []string{"fit", "--field", "drawings", "--data", data, "--out", out}, "--data does not apply to --field drawings"},
		{"drawings bad L", []string{"fit", "--field", "drawings", "--L", "24", "--out", out}, "--L 24: want a power of two from 16 to 256"},
		{"drawings small L", []string{"fit", "--field", "drawings", "--L", "8", "--out", out}, "--L 8"},
		{"drawings bad n", []string{"fit", "--field", "drawings", "--n", "1", "--out", out}, "--n 1"},
		{"drawings with J", []string{"fit", "--field", "drawings", "--J", "2", "--out", out}, "--J applies to φ⁴ only"},
		{"drawings with beta", []string{"fit", "--field", "drawings", "--beta", "1", "--out", out}, "--beta apply to φ⁴ only"},
		{"validate drawings with alpha", []string{"validate", "--field", "drawings", "--alpha", "2"}, "--alpha applies to --field calpha only"},
		{"validate drawings small held", []string{"validate", "--field", "drawings", "--held", "2"}, "--held 2"},
		{"validate conditional level", []string{"validate", "--field", "turbulence", "--data", data, "--conditional", "5"}, "--conditional 5: want a level from 1 (the finest) to 4"},
		{"validate conditional from", []string{"validate", "--field", "turbulence", "--data", data, "--conditional", "1", "--conditional-from", "one"}, `--conditional-from "one"`},
		{"validate conditional steps", []string{"validate", "--field", "turbulence", "--data", data, "--conditional", "1", "--conditional-steps", "-1"}, "--conditional-steps -1"},
		{"validate conditional n", []string{"validate", "--field", "turbulence", "--data", data, "--conditional", "1", "--n", "16"}, "want --n ≤ 1"},
		{"validate from without conditional", []string{"validate", "--field", "turbulence", "--data", data, "--conditional-from", "data"}, "--conditional-from need --conditional"},
		{"validate conditional synth", []string{"validate", "--field", "turbulence", "--data", data, "--conditional", "1", "--synth"}, "drop --synth"},
		{"validate phi4 conditional", []string{"validate", "--conditional", "1"}, "--conditional apply to --field"},
		{"negative likelihood", []string{"fit", "--field", "calpha", "--likelihood", "-1", "--out", out}, "--likelihood -1"},
		{"likelihood chains alone", []string{"fit", "--field", "calpha", "--likelihood-chains", "8", "--out", out}, "need --likelihood N"},
		{"likelihood mode alone", []string{"fit", "--field", "calpha", "--likelihood-mode", "short-run", "--out", out}, "need --likelihood N"},
		{"bad likelihood mode", []string{"fit", "--field", "calpha", "--likelihood", "2", "--likelihood-mode", "joint", "--out", out}, `--likelihood-mode "joint"`},
		{"short run with steps", []string{"fit", "--field", "calpha", "--likelihood", "2", "--likelihood-mode", "short-run", "--likelihood-steps", "5", "--out", out}, "drop --likelihood-steps"},
		{"phi4 likelihood", []string{"fit", "--data", data, "--likelihood", "2", "--out", out}, "--likelihood apply to --field turbulence|calpha|drawings only"},
		{"validate drawings calpha model", []string{"validate", "--field", "drawings", "--L", "16", "--fit-n", "64", "--model", calphaModel}, "is a model of field \"calpha\", not \"drawings\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, err := runRGCLI(c.args...)
			if err == nil {
				t.Fatalf("no error; stderr:\n%s", stderr)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
	wantNoFile(t, out)
}

// TestRGFieldFitValidate fits the scattering model and the ablation of a
// small non-Gaussian field through rg fit --field turbulence (no
// calibration, to be fast), validates them with rg validate --json and
// checks the shape of the JSON; a swapped model is refused.
func TestRGFieldFitValidate(t *testing.T) {
	if testing.Short() {
		t.Skip("fits and samples")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "turb.npy")
	writeStack(t, data, vortexLikeFields(t, 128, 16, 2))
	scat, local := filepath.Join(dir, "s.json"), filepath.Join(dir, "a.json")
	for _, m := range []struct {
		out, flag string
	}{{scat, "--scattering=true"}, {local, "--scattering=false"}} {
		stdout, stderr, err := runRGCLI("fit", "--field", "turbulence", "--data", data, m.flag, "--calibration", "-1", "--out", m.out)
		if err != nil {
			t.Fatalf("fit %s: %v\n%s", m.flag, err, stderr)
		}
		if !strings.Contains(stdout, "(d = 256)") || !strings.Contains(stdout, "wrote") {
			t.Errorf("fit output:\n%s", stdout)
		}
	}
	if _, _, err := runRGCLI("validate", "--field", "turbulence", "--data", data, "--model", local, "--n", "16"); err == nil || !strings.Contains(err.Error(), "has no scattering terms") {
		t.Errorf("the ablation as --model: %v", err)
	}
	stdout, stderr, err := runRGCLI("validate", "--field", "turbulence", "--data", data, "--model", scat, "--ablation", local, "--n", "48", "--json", "--out-dir", dir)
	if err != nil {
		t.Fatalf("validate: %v\n%s", err, stderr)
	}
	var v rgFieldValidation
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("JSON: %v\n%s", err, stdout)
	}
	if v.Field != "turbulence" || v.L != 16 || v.D != 256 {
		t.Errorf("field %q, L %d, d %d", v.Field, v.L, v.D)
	}
	s, a, r := v.Scattering, v.Ablation, v.Reference
	if s.Params.Scattering == 0 || a.Params.Scattering != 0 || s.Params.Total <= a.Params.Total || len(s.Params.Scales) != 5 {
		t.Errorf("parameter counts: scattering %+v, ablation %+v", s.Params, a.Params)
	}
	// 128 fields: 64 fit, 64 held out, halves of 32 as truth and
	// reference; 48 samples make one chunk of 32.
	if s.N != 48 || r.N != 32 || s.Chunk != 32 || s.Chunks != 1 {
		t.Errorf("sizes: samples %d, reference %d, chunk %d × %d", s.N, r.N, s.Chunk, s.Chunks)
	}
	for _, st := range []rgFieldStats{s.rgFieldStats, a.rgFieldStats, r} {
		if len(st.Increments) != len(rgIncrementLags) || len(st.EnstrophyFlux) != 2 {
			t.Errorf("increments %v, flux %v", st.Increments, st.EnstrophyFlux)
		}
		for _, x := range []float64{st.SpectrumErr, st.MarginalTV, st.IncrementTVMax, st.BispecErr, st.TrispecErr} {
			if !(x >= 0) || math.IsInf(x, 0) {
				t.Errorf("statistic %v", x)
			}
		}
	}
	for _, key := range []string{"spectrum", "marginal", "increments", "bispectrum", "trispectrum"} {
		if _, ok := s.Checks[key]; !ok {
			t.Errorf("no %s check", key)
		}
	}
	if _, ok := v.Worse["trispectrum"]; !ok || v.Synth == nil || !(v.Synth.Seconds > 0) || !(s.CostRatioSeconds > 0) || !(s.SecondsPerSample > 0) {
		t.Errorf("ablation verdicts %v, synthesis %+v, cost ratio %v", v.Worse, v.Synth, s.CostRatioSeconds)
	}
	if v.Pass != (len(v.Failed) == 0) {
		t.Errorf("pass %v with failures %v", v.Pass, v.Failed)
	}
	for _, name := range []string{"rg-turbulence-scattering.npy", "rg-turbulence-local.npy", "rg-turbulence-truth.npy", "rg-turbulence-reference.npy"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	// --conditional redraws one factor in the reference fields.
	stdout, stderr, err = runRGCLI("validate", "--field", "turbulence", "--data", data, "--model", scat, "--ablation", local, "--n", "32", "--synth=false",
		"--json", "--conditional", "1", "--conditional-from", "data", "--conditional-steps", "40")
	if err != nil {
		t.Fatalf("validate --conditional: %v\n%s", err, stderr)
	}
	var vc rgFieldValidation
	if err := json.Unmarshal([]byte(stdout), &vc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, stdout)
	}
	if c := vc.Conditional; c == nil || c.Level != 1 || c.From != "data" || c.Steps != 40 || vc.Synth != nil {
		t.Errorf("conditional %+v, synthesis %+v", vc.Conditional, vc.Synth)
	}
	for _, r := range []rgFieldModel{vc.Scattering, vc.Ablation} {
		acc := r.Acceptance
		if r.N != 32 || len(acc) != 5 || !(acc[4] > 0) || acc[0]+acc[1]+acc[2]+acc[3] != 0 || !(r.TrispecErr >= 0) {
			t.Errorf("conditional run: %d fields, acceptance %v, trispectrum %v", r.N, acc, r.TrispecErr)
		}
	}
	// --record stores each model's metrics in the manifest beside it and
	// --land copies both, with their entries, into another folder.
	landDir := filepath.Join(dir, "landed")
	if _, stderr, err := runRGCLI("validate", "--field", "turbulence", "--data", data, "--model", scat, "--ablation", local, "--n", "16", "--synth=false",
		"--json", "--record", "--land", landDir); err != nil {
		t.Fatalf("validate --record --land: %v\n%s", err, stderr)
	}
	for _, d := range []string{dir, landDir} {
		man, err := nn.ReadManifest(filepath.Join(d, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]nn.ManifestEntry{}
		for _, e := range man.Entries {
			got[e.File] = e
		}
		for _, f := range []string{"s.json", "a.json"} {
			e, ok := got[f]
			if !ok || e.Kind != "rg-model" || e.Params == 0 || !strings.Contains(e.Command, "rg fit --field turbulence") {
				t.Errorf("%s: entry %+v", d, e)
				continue
			}
			for _, k := range []string{"spectrum_err", "marginal_tv", "increment_tv_max", "bispec_err", "trispec_err", "reference_trispec_err", "samples"} {
				if _, ok := e.Metrics[k]; !ok {
					t.Errorf("%s/%s: no metric %s in %v", d, f, k, e.Metrics)
				}
			}
		}
		if d == landDir {
			for _, f := range []string{"s.json", "a.json"} {
				a, _ := os.ReadFile(filepath.Join(dir, f))
				b, err := os.ReadFile(filepath.Join(landDir, f))
				if err != nil || string(a) != string(b) {
					t.Errorf("landed %s differs from the validated model (%v)", f, err)
				}
			}
		}
	}
	// --microcanonical K validates the peer, K syntheses from the first K
	// training fields, beside the models; it refuses what it cannot do.
	for _, bad := range [][]string{{"--microcanonical", "65"}, {"--microcanonical", "-1"}, {"--microcanonical", "2", "--conditional", "1"}, {"--microcanonical-iters", "20"}} {
		args := append([]string{"validate", "--field", "turbulence", "--data", data, "--model", scat, "--ablation", local, "--n", "16", "--synth=false"}, bad...)
		if _, _, err := runRGCLI(args...); err == nil || !strings.Contains(err.Error(), "microcanonical") {
			t.Errorf("%v: %v", bad, err)
		}
	}
	stdout, stderr, err = runRGCLI("validate", "--field", "turbulence", "--data", data, "--model", scat, "--ablation", local, "--n", "16", "--synth=false",
		"--microcanonical", "3", "--microcanonical-iters", "20", "--json", "--out-dir", dir)
	if err != nil {
		t.Fatalf("validate --microcanonical: %v\n%s", err, stderr)
	}
	var vm rgFieldValidation
	if err := json.Unmarshal([]byte(stdout), &vm); err != nil {
		t.Fatalf("JSON: %v\n%s", err, stdout)
	}
	if p := vm.Microcanonical; p == nil || p.N != 3 || p.Chunk != 3 || !(p.SecondsPerSample > 0) || !(p.MeanIterations >= 1) || p.MeanIterations > 20 ||
		p.Stops["converged"]+p.Stops["max-iter"]+p.Stops["stalled"] != 3 || !(p.SpectrumErr >= 0) || !(p.TrispecErr >= 0) {
		t.Errorf("peer %+v", vm.Microcanonical)
	}
	if _, err := os.Stat(filepath.Join(dir, "rg-turbulence-microcanonical.npy")); err != nil {
		t.Error(err)
	}
	// The table names every statistic.
	stdout, stderr, err = runRGCLI("validate", "--field", "turbulence", "--data", data, "--model", scat, "--ablation", local, "--n", "16", "--synth=false", "--microcanonical", "2")
	if err != nil {
		t.Fatalf("validate: %v\n%s", err, stderr)
	}
	for _, want := range []string{"power spectrum", "marginal TV", "increments TV, lag 4", "bispectrum err", "trispectrum err", "enstrophy flux", "parameters", "beside d = 256", "peer: 2 microcanonical syntheses"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
}

// TestRGFieldBandLimit fits a model to 2/3-rule band-limited fields:
// rg fit detects the band limit, fills the truncated modes and records
// the projection, and the samples hold no power beyond it.
func TestRGFieldBandLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("fits and samples")
	}
	dir := t.TempDir()
	const L, K = 16, 5
	fs := vortexLikeFields(t, 128, L, 3)
	p, err := fourier.NewPlan2D(L, L)
	if err != nil {
		t.Fatal(err)
	}
	z := make([]complex128, L*L)
	abs := func(x int) int { return max(x, -x) }
	for _, f := range fs {
		_ = p.ForwardReal(z, f.Data)
		for r := range L {
			for c := range L {
				if max(abs(fourier.SignedIndex(r, L)), abs(fourier.SignedIndex(c, L))) > K {
					z[r*L+c] = 0
				}
			}
		}
		_ = p.InverseReal(f.Data, z)
	}
	data, out := filepath.Join(dir, "turb.npy"), filepath.Join(dir, "m.json")
	writeStack(t, data, fs)
	if _, stderr, err := runRGCLI("fit", "--field", "turbulence", "--data", data, "--calibration", "-1", "--out", out); err != nil {
		t.Fatalf("fit: %v\n%s", err, stderr)
	}
	m, err := readModelFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.BandLimit == nil || m.BandLimit.MaxK != K || m.Provenance["band_limit"] == "" || !m.Scales[len(m.Scales)-1].Preconditioned {
		t.Fatalf("band limit %+v, provenance %q", m.BandLimit, m.Provenance["band_limit"])
	}
	gen, _, err := m.SampleWith(2, rg.SampleOptions{Seed: 1}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range gen {
		_ = p.ForwardReal(z, f.Data)
		var in, outP float64
		for r := range L {
			for c := range L {
				a := real(z[r*L+c])*real(z[r*L+c]) + imag(z[r*L+c])*imag(z[r*L+c])
				if max(abs(fourier.SignedIndex(r, L)), abs(fourier.SignedIndex(c, L))) > K {
					outP += a
				} else {
					in += a
				}
			}
		}
		if outP > 1e-20*in {
			t.Errorf("a sample holds %g of its power beyond the band limit", outP/in)
		}
	}
	// --band-limit 0 fits the same data without the fill.
	if _, stderr, err := runRGCLI("fit", "--field", "turbulence", "--data", data, "--calibration", "-1", "--band-limit", "0", "--precondition=false", "--out", out); err != nil {
		t.Fatalf("fit: %v\n%s", err, stderr)
	}
	if m, err = readModelFile(out); err != nil || m.BandLimit != nil || m.Scales[1].Preconditioned {
		t.Errorf("--band-limit 0 --precondition=false: %v, %+v", err, m)
	}
}

// TestEnstrophyFlux checks the symmetries of the enstrophy flux: odd
// under ω → −ω and under the transposition x ↔ y, even under both, and
// zero for a single Fourier mode (whose advection vanishes).
func TestEnstrophyFlux(t *testing.T) {
	const L = 16
	w := vortexLikeFields(t, 1, L, 3)[0].Data
	ks := []float64{2, 4}
	neg, tr, both := make([]float64, L*L), make([]float64, L*L), make([]float64, L*L)
	for y := range L {
		for x := range L {
			neg[y*L+x] = -w[y*L+x]
			tr[y*L+x] = w[x*L+y]
			both[y*L+x] = -w[x*L+y]
		}
	}
	p, _ := enstrophyFlux(w, L, ks)
	pn, _ := enstrophyFlux(neg, L, ks)
	pt, _ := enstrophyFlux(tr, L, ks)
	pb, _ := enstrophyFlux(both, L, ks)
	for i := range ks {
		if p[i] == 0 || math.Abs(p[i]+pn[i]) > 1e-12 || math.Abs(p[i]+pt[i]) > 1e-12 || math.Abs(p[i]-pb[i]) > 1e-12 {
			t.Errorf("K=%g: Π %g, Π(−ω) %g, Π(ωᵀ) %g, Π(−ωᵀ) %g", ks[i], p[i], pn[i], pt[i], pb[i])
		}
	}
	mode := make([]float64, L*L)
	for y := range L {
		for x := range L {
			mode[y*L+x] = math.Cos(2*math.Pi*float64(2*x+y)/L) + 0.5
		}
	}
	if pm, _ := enstrophyFlux(mode, L, []float64{1, 3, 100}); math.Abs(pm[0])+math.Abs(pm[1])+math.Abs(pm[2]) > 1e-12 {
		t.Errorf("single mode: Π = %v", pm)
	}
}

// TestIncrements checks the increments and their moments on a ramp.
func TestIncrements(t *testing.T) {
	const L = 4
	x := make([]float64, L*L)
	for y := range L {
		for xx := range L {
			x[y*L+xx] = float64(xx + 10*y)
		}
	}
	d := increments([][]float64{x}, L, 1)[0]
	if len(d) != 2*L*L || d[0] != 1 || d[L-1] != -3 || d[L*L] != 10 || d[2*L*L-1] != -30 {
		t.Errorf("increments %v", d)
	}
	if s, f := skewFlat([][]float64{{-1, 1, -1, 1}}); s != 0 || f != 1 {
		t.Errorf("skewness %v, flatness %v of ±1", s, f)
	}
}

// TestRGFieldLikelihood fits a small turbulence-like model with two rounds
// of maximum-likelihood refinement in each mode and checks
// that every conditional factor records its two Newton decrements and the
// provenance its settings.
func TestRGFieldLikelihood(t *testing.T) {
	if testing.Short() {
		t.Skip("fits")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "turb.npy")
	writeStack(t, data, vortexLikeFields(t, 128, 16, 3))
	for _, mode := range []string{rg.LikelihoodPersistent, rg.LikelihoodShortRun, rg.LikelihoodAncestral} {
		out := filepath.Join(dir, mode+".json")
		args := []string{"fit", "--field", "turbulence", "--data", data, "--calibration", "-1", "--likelihood", "2", "--likelihood-chains", "12",
			"--likelihood-mode", mode, "--out", out}
		if mode == rg.LikelihoodPersistent {
			args = append(args, "--likelihood-steps", "6")
		}
		if _, stderr, err := runRGCLI(args...); err != nil {
			t.Fatalf("fit (%s): %v\n%s", mode, err, stderr)
		}
		m, err := readModelFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Provenance["likelihood"], mode+", 2 rounds, 12 chains") {
			t.Errorf("provenance %q", m.Provenance["likelihood"])
		}
		for i, sc := range m.Scales {
			want := 2
			if !sc.Conditional {
				want = 0
			}
			if len(sc.LikelihoodDecrement) != want {
				t.Errorf("%s, factor %d: decrements %v, want %d", mode, i, sc.LikelihoodDecrement, want)
			}
			for _, d := range sc.LikelihoodDecrement {
				if !(d >= 0) || math.IsInf(d, 0) {
					t.Errorf("%s, factor %d: decrement %v", mode, i, d)
				}
			}
		}
	}
}
