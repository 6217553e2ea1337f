package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/polyspectra"
	"scalewise/engine/scattering"
	"scalewise/engine/wavelet"
)

// scatTarget returns a stack of k smoothed, skewed n×n fields (white noise
// averaged over a periodic 3×3 box, then exponentiated).
func scatTarget(k, n int) *field.Array {
	a := randomArray(7, k, n, n)
	out := &field.Array{Shape: a.Shape, Data: make([]float64, len(a.Data))}
	for f := range k {
		src, dst := a.Data[f*n*n:(f+1)*n*n], out.Data[f*n*n:(f+1)*n*n]
		for y := range n {
			for x := range n {
				var s float64
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						s += src[((y+dy+n)%n)*n+(x+dx+n)%n]
					}
				}
				dst[y*n+x] = math.Exp(0.3 * s)
			}
		}
	}
	return out
}

// TestScatStats checks "scat stats --json" on a stack of three 16×16
// fields: the counts, groups and labels of the isotropic and full forms,
// and the vectors, equal to the engine's.
func TestScatStats(t *testing.T) {
	dir := t.TempDir()
	arr := scatTarget(3, 16)
	in := writeArray(t, dir, "in.npy", arr, field.Float64)
	fields, err := arr.Fields()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		form  string
		f     scattering.Form
		all   bool
		count int
	}{{"iso", scattering.Isotropic, false, 1}, {"full", scattering.Full, true, 3}} {
		args := []string{"scat", "stats", in, "--J", "2", "--L", "4", "--kind", "morlet", "--form", c.form, "--json"}
		if c.all {
			args = append(args, "--all")
		}
		stdout, _ := mustRun(t, args...)
		var st scatStatsJSON
		if err := json.Unmarshal([]byte(stdout), &st); err != nil {
			t.Fatalf("%s: %v\n%s", c.form, err, stdout)
		}
		want := scattering.CoefficientCount(c.f, 2, 4, scattering.ScalesInclusive)
		if st.NCoefficients != want || len(st.Labels) != want || st.J != 2 || st.L != 4 || st.Kind != "morlet" || st.Form != c.form ||
			st.Size != 16 || !slices.Equal(st.Shape, []int{3, 16, 16}) || len(st.Fields) != c.count {
			t.Fatalf("%s: %d coefficients (want %d), %d labels, J %d L %d kind %q form %q size %d shape %v, %d fields",
				c.form, st.NCoefficients, want, len(st.Labels), st.J, st.L, st.Kind, st.Form, st.Size, st.Shape, len(st.Fields))
		}
		sum := 0
		for i, g := range st.Groups {
			if g.Name != []string{"mean", "S1", "S2", "S3", "S4"}[i] || st.Counts[g.Name] != g.End-g.Start || g.Start != sum {
				t.Errorf("%s: group %d %+v, counts %v", c.form, i, g, st.Counts)
			}
			sum = g.End
		}
		if sum != want {
			t.Errorf("%s: groups cover %d coefficients, want %d", c.form, sum, want)
		}
		bank, err := wavelet.NewDirectionalBank(wavelet.Morlet, 16, 16, 2, 4)
		if err != nil {
			t.Fatal(err)
		}
		op, err := scattering.NewOperator(bank, scattering.SpectraOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for i, fs := range st.Fields {
			s, err := op.Compute(fields[i].Data, nil)
			if err != nil {
				t.Fatal(err)
			}
			v := s.Vector(c.f)
			for k := range v {
				if math.Abs(v[k]-fs.Vector[k]) > 1e-12*max(1, math.Abs(v[k])) {
					t.Fatalf("%s field %d: %s = %v, engine %v", c.form, i, st.Labels[k], fs.Vector[k], v[k])
				}
			}
			if fs.Index != i || math.Abs(fs.Vector[0]-fs.Mean) > 1e-12*math.Abs(fs.Mean) || !(fs.Std > 0) {
				t.Errorf("%s field %d: index %d, mean %v, vector[0] %v, std %v", c.form, i, fs.Index, fs.Mean, fs.Vector[0], fs.Std)
			}
		}
	}
	// Text output, default J (the largest: 3 at 16×16) and kind.
	stdout, _ := mustRun(t, "scat", "stats", in)
	for _, w := range []string{"1 field(s) of 16×16", "bump wavelets, J = 3, L = 4", "iso form: 191 coefficients", "mean 1, S1 3, S2 3, S3 24, S4 160",
		"field 0: mean", "logS2[j=2]", "ReS4[j1=2,j2=2,j3=2,dl2=3,dl3=3]"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("text output does not mention %q:\n%s", w, stdout)
		}
	}
}

// TestScatSynth runs a tiny synthesis end to end (32×32 float32 target, 6
// iterations) and checks the output field, the sidecar, the printed
// numbers, and that the seed fixes the result.
func TestScatSynth(t *testing.T) {
	dir := t.TempDir()
	arr := scatTarget(2, 32)
	in := writeArray(t, dir, "target.npy", arr, field.Float32)
	target, err := readArray(t, in).Fields()
	if err != nil {
		t.Fatal(err)
	}
	synth := func(name string, seed string) (string, scatSynthStats, string) {
		out := filepath.Join(dir, name+".npy")
		stdout, stderr := mustRun(t, "scat", "synth", "--target", in, "--index", "1", "--iters", "6", "--seed", seed, "--J", "3", "--form", "full", "--out", out)
		for _, w := range []string{"32×32 target", "field 1", "bump wavelets J = 3 L = 4", "full form (", "rel.err", "6/6"} {
			if !strings.Contains(stderr, w) {
				t.Errorf("stderr does not mention %q:\n%s", w, stderr)
			}
		}
		b, err := os.ReadFile(filepath.Join(dir, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var st scatSynthStats
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		return out, st, stdout
	}
	out, st, stdout := synth("a", "3")
	want := scattering.CoefficientCount(scattering.Full, 3, 4, scattering.ScalesInclusive)
	if st.Iterations != 6 || st.Evaluations < 7 || st.Status != "max-iter" || st.NCoefficients != want || st.J != 3 || st.L != 4 ||
		st.Form != "full" || st.Kind != "bump" || st.Index != 1 || st.Size != 32 || st.Seed != 3 || st.MaxIter != 6 ||
		st.Tol != 1e-3 || st.Memory != scattering.DefaultSynthMemory || !(st.RelError < st.InitialRelError/2) || !(st.Seconds > 0) ||
		len(st.GroupRelError) != 5 || !strings.Contains(st.Command, "scat synth --target") || st.Version != Version ||
		st.Weights != "1,1,1,10,10" || st.PowerSpectrum != scattering.DefaultPowerSpectrumWeight ||
		st.PSRings != scattering.DefaultPowerSpectrumRings || st.Tight || !(st.SpectrumErr >= 0) || !(st.SpectrumErrHalf >= 0) {
		t.Errorf("sidecar %+v", st)
	}
	// The half-octave error of the sidecar is that of the written field.
	if e, err := polyspectra.HalfOctaveSpectrumError(readArray(t, out).Data, target[1].Data, 32, 32); err != nil ||
		math.Abs(e-st.SpectrumErrHalf) > 1e-3*e+1e-6 {
		t.Errorf("half-octave spectrum error of the written field %v (%v), reported %v", e, err, st.SpectrumErrHalf)
	}
	for _, w := range []string{"max-iter after 6 iterations", "evaluations", "relative error", "coefficients", "relative error per statistic: mean",
		"power spectrum mean |log ratio|", "half-octave rings",
		"(32, 32) float32", "a.json"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout does not mention %q:\n%s", w, stdout)
		}
	}
	res := readArray(t, out)
	if res.DType != field.Float32 || !slices.Equal(res.Shape, []int{32, 32}) {
		t.Fatalf("wrote %v %v", res.DType, res.Shape)
	}
	// The written field has the reported relative error (to float32
	// rounding) and the target's mean.
	bank, err := wavelet.NewDirectionalBank(wavelet.BumpSteerable, 32, 32, 3, 4)
	if err != nil {
		t.Fatal(err)
	}
	op, err := scattering.NewOperator(bank, scattering.SpectraOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ts, err := op.Compute(target[1].Data, nil)
	if err != nil {
		t.Fatal(err)
	}
	dw := scattering.DefaultSynthWeights()
	tg, err := scattering.NewTarget(ts, scattering.Full, &dw)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := op.Loss(res.Data, tg)
	if err != nil {
		t.Fatal(err)
	}
	var tn float64
	tv := tg.Vector()
	for gi, g := range ts.Groups(scattering.Full) {
		w := []float64{dw.Mean, dw.S1, dw.S2, dw.S3, dw.S4}[gi]
		for _, v := range tv[g.Start:g.End] {
			tn += w * v * v
		}
	}
	if re := math.Sqrt(loss / tn); math.Abs(re-st.RelError) > 1e-3*st.RelError+1e-6 {
		t.Errorf("relative error of the written field %.6g, reported %.6g", re, st.RelError)
	}
	// Determinism: the same seed writes the same bytes, another seed not.
	out2, _, _ := synth("b", "3")
	out3, _, _ := synth("c", "4")
	a, _ := os.ReadFile(out)
	b, _ := os.ReadFile(out2)
	c, _ := os.ReadFile(out3)
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Errorf("seed 3 twice: equal %v; seeds 3 and 4: equal %v", bytes.Equal(a, b), bytes.Equal(a, c))
	}
}

// TestScatBadInput checks the errors of both subcommands; none writes an
// output file.
func TestScatBadInput(t *testing.T) {
	dir := t.TempDir()
	good := writeArray(t, dir, "good.npy", scatTarget(2, 16), field.Float64)
	nan := scatTarget(2, 16)
	nan.Data[16*16+5] = math.NaN()
	nanPath := writeArray(t, dir, "nan.npy", nan, field.Float64)
	rect := writeArray(t, dir, "rect.npy", randomArray(1, 16, 32), field.Float64)
	tiny := writeArray(t, dir, "tiny.npy", randomArray(1, 4, 4), field.Float64)
	cube := writeArray(t, dir, "cube.npy", randomArray(1, 2, 2, 8, 8), field.Float64)
	constant := &field.Array{Shape: []int{16, 16}, Data: make([]float64, 256)}
	for i := range constant.Data {
		constant.Data[i] = 1.5
	}
	constPath := writeArray(t, dir, "const.npy", constant, field.Float64)
	garbage := filepath.Join(dir, "garbage.npy")
	if err := os.WriteFile(garbage, []byte("this is not a numpy file"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.npy")
	out := filepath.Join(dir, "out.npy")
	synth := func(extra ...string) []string {
		return append([]string{"scat", "synth", "--iters", "2"}, extra...)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"scat"}, "want a subcommand"},
		{"unknown subcommand", []string{"scat", "run"}, `unknown subcommand "run"`},
		{"stats no file", []string{"scat", "stats"}, "want one input .npy file"},
		{"stats two files", []string{"scat", "stats", good, good}, "want one input .npy file"},
		{"stats missing", []string{"scat", "stats", missing}, "missing.npy"},
		{"stats malformed", []string{"scat", "stats", garbage}, "garbage.npy"},
		{"stats NaN", []string{"scat", "stats", nanPath}, "nan.npy: field 1"},
		{"stats non-square", []string{"scat", "stats", rect}, "32×16 (width×height), want square fields"},
		{"stats too small", []string{"scat", "stats", tiny}, "4×4 fields are too small"},
		{"stats 4-D", []string{"scat", "stats", cube}, "not a stack of fields"},
		{"stats J too large", []string{"scat", "stats", good, "--J", "4"}, "--J 4 --L 4: wavelet: 4 scales for a 16×16 image; want 1 ≤ J ≤ 3"},
		{"stats J negative", []string{"scat", "stats", good, "--J", "-1"}, "--J -1"},
		{"stats L zero", []string{"scat", "stats", good, "--L", "0"}, "0 orientations"},
		{"stats L large", []string{"scat", "stats", good, "--L", "17"}, "want 1 ≤ L ≤ 16"},
		{"stats kind", []string{"scat", "stats", good, "--kind", "haar"}, `--kind: wavelet: unknown directional wavelet "haar"`},
		{"stats form", []string{"scat", "stats", good, "--form", "half"}, `--form: scattering: unknown spectra form "half"`},
		{"stats bad flag", []string{"scat", "stats", good, "--J", "two"}, "invalid value"},
		{"synth no target", synth("--out", out), "--target is required"},
		{"synth no out", synth("--target", good), "--out is required"},
		{"synth out not npy", synth("--target", good, "--out", filepath.Join(dir, "o.json")), "must end in .npy"},
		{"synth out dir missing", synth("--target", good, "--out", filepath.Join(dir, "no", "o.npy")), "does not exist"},
		{"synth out is target", synth("--target", good, "--out", good), "would overwrite the target"},
		{"synth positional", synth("--target", good, "--out", out, "extra"), "want no arguments"},
		{"synth missing", synth("--target", missing, "--out", out), "missing.npy"},
		{"synth malformed", synth("--target", garbage, "--out", out), "garbage.npy"},
		{"synth NaN", synth("--target", nanPath, "--out", out), "nan.npy: field 1"},
		{"synth non-square", synth("--target", rect, "--out", out), "want square fields"},
		{"synth too small", synth("--target", tiny, "--out", out), "too small"},
		{"synth constant", synth("--target", constPath, "--out", out), "constant"},
		{"synth index", synth("--target", good, "--index", "2", "--out", out), "--index 2: " + good + " holds 2 field(s)"},
		{"synth index negative", synth("--target", good, "--index", "-1", "--out", out), "--index -1"},
		{"synth iters", []string{"scat", "synth", "--target", good, "--iters", "0", "--out", out}, "--iters 0"},
		{"synth tol zero", synth("--target", good, "--tol", "0", "--out", out), "--tol 0"},
		{"synth tol NaN", synth("--target", good, "--tol", "NaN", "--out", out), "--tol NaN"},
		{"synth memory", synth("--target", good, "--memory", "0", "--out", out), "--memory 0"},
		{"synth J", synth("--target", good, "--J", "4", "--out", out), "4 scales for a 16×16 image"},
		{"synth kind", synth("--target", good, "--kind", "db4", "--out", out), "--kind"},
		{"synth form", synth("--target", good, "--form", "aniso", "--out", out), "--form"},
		{"synth weights count", synth("--target", good, "--weights", "1,1", "--out", out), "want 5 comma-separated numbers"},
		{"synth weights NaN", synth("--target", good, "--weights", "1,1,1,NaN,1", "--out", out), "--weights"},
		{"synth weights negative", synth("--target", good, "--weights", "1,1,1,-1,1", "--out", out), "weight -1"},
		{"synth power spectrum", synth("--target", good, "--power-spectrum", "-1", "--out", out), "--power-spectrum -1"},
		{"synth power spectrum rings", synth("--target", good, "--power-spectrum-rings", "0", "--out", out), "--power-spectrum-rings 0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantFail(t, c.args, c.want)
		})
	}
	wantNoFile(t, out)
	wantNoFile(t, filepath.Join(dir, "out.json"))
	if code, _, stderr := runCLI(t, "scat", "synth", "-h"); code != 0 || !strings.Contains(stderr, "-target") {
		t.Errorf("synth -h: exit %d, stderr:\n%s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "scat", "help"); code != 0 || !strings.Contains(stderr, "scat stats IN.npy") {
		t.Errorf("scat help: exit %d, stderr:\n%s", code, stderr)
	}
}
