package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"scalewise/engine/field"
	"scalewise/engine/polyspectra"
	"scalewise/engine/scattering"
	"scalewise/engine/wavelet"
)

// scatUsage is the usage line of the scat command.
const scatUsage = "scat stats IN.npy [--J 5] [--L 4] [--kind bump|morlet] [--form iso|full] [--all] [--json] | " +
	"scat synth --target IN.npy --iters 300 --seed 1 [--J 5] [--L 4] [--kind bump|morlet] [--form iso|full] [--tol 1e-3] [--histogram 0.3] [--histogram-quantiles 64] [--low-pass 0] [--weights 1,1,1,10,10] [--power-spectrum 1] [--power-spectrum-rings 8] [--tight] --out OUT.npy | " +
	scatValidateUsage + " | " + scatRegularityUsage

// runScat runs a scat subcommand: scattering spectra of fields and
// microcanonical synthesis from them (engine/scattering; Cheng et al.,
// "Scattering Spectra Models for Physics", PNAS Nexus 3, pgae103 (2024)).
func runScat(args []string, stdout, stderr io.Writer) error {
	return runSubcommand(scatUsage, []subcommand{{"stats", runScatStats}, {"synth", runScatSynth}, {"validate", runScatValidate}, {"regularity", runScatRegularity}}, args, stdout, stderr)
}

// scatFlags are the filter-bank and statistics flags shared by the scat
// subcommands.
type scatFlags struct {
	j, l       *int
	kind, form *string
	tight      *bool
}

func addScatFlags(fs *flag.FlagSet) scatFlags {
	return scatFlags{
		j:     fs.Int("J", 0, "number of wavelet scales, 1 ≤ J with 2^J ≤ N/2 (0: the largest, log2(N) − 1)"),
		l:     fs.Int("L", 4, "number of orientations, 1 to 16"),
		kind:  fs.String("kind", "bump", "wavelet: bump (bump-steerable) or morlet"),
		form:  fs.String("form", "iso", "statistics: iso (isotropic, angle-reduced) or full"),
		tight: fs.Bool("tight", false, "normalise the filter bank to a tight frame (Littlewood–Paley sum 1 everywhere, corners included)"),
	}
}

// scatDefaultWeights is the default of the --weights flag of scat synth
// and scat validate: the statistic weights of the loss, mean,S1,S2,S3,S4,
// of scattering.DefaultSynthOptions.
var scatDefaultWeights = formatScatWeights(*scattering.DefaultSynthOptions().Weights)

const scatWeightsHelp = "loss weights of mean,S1,S2,S3,S4, e.g. 1,1,1,10,10, or uniform"

// parseScatWeights parses a --weights value: five comma-separated finite
// weights mean,S1,S2,S3,S4, or "uniform" or "" (nil: uniform weights).
func parseScatWeights(s string) (*scattering.Weights, error) {
	if t := strings.TrimSpace(s); t == "" || t == "uniform" {
		return nil, nil
	}
	var w [5]float64
	parts := strings.Split(s, ",")
	if len(parts) != 5 {
		return nil, fmt.Errorf("--weights %q: want 5 comma-separated numbers (mean,S1,S2,S3,S4) or uniform", s)
	}
	for i, p := range parts {
		v, err := parseFiniteFloat("weights", s, p)
		if err != nil {
			return nil, err
		}
		w[i] = v
	}
	if w == [5]float64{1, 1, 1, 1, 1} {
		return nil, nil
	}
	return &scattering.Weights{Mean: w[0], S1: w[1], S2: w[2], S3: w[3], S4: w[4]}, nil
}

// formatScatWeights returns the --weights text of w ("uniform" for all
// ones).
func formatScatWeights(w scattering.Weights) string {
	if w == scattering.UniformWeights() {
		return "uniform"
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return strings.Join([]string{f(w.Mean), f(w.S1), f(w.S2), f(w.S3), f(w.S4)}, ",")
}

// scatSetup is what the shared flags and a field size resolve to.
type scatSetup struct {
	op   *scattering.Operator
	kind wavelet.DirectionalKind
	form scattering.Form
	J, L int
}

// parse checks the kind and the form (before any file is read).
func (f scatFlags) parse() (wavelet.DirectionalKind, scattering.Form, error) {
	kind, err := wavelet.ParseDirectionalKind(*f.kind)
	if err != nil {
		return 0, 0, fmt.Errorf("--kind: %w", err)
	}
	form, err := scattering.ParseForm(*f.form)
	if err != nil {
		return 0, 0, fmt.Errorf("--form: %w", err)
	}
	return kind, form, nil
}

// operator builds the filter bank and the spectra operator for n×n fields
// from path (the bank validates J, L and the size).
func (f scatFlags) operator(path string, n int) (*scatSetup, error) {
	kind, form, err := f.parse()
	if err != nil {
		return nil, err
	}
	J := *f.j
	if J == 0 {
		J = wavelet.MaxDirectionalScales(n, n)
	}
	bank, err := wavelet.NewDirectionalBank(kind, n, n, J, *f.l)
	if err != nil {
		if *f.j == 0 {
			return nil, fmt.Errorf("%s: %d×%d fields are too small for a filter bank: %w", path, n, n, err)
		}
		return nil, fmt.Errorf("%s: %d×%d fields, --J %d --L %d: %w", path, n, n, J, *f.l, err)
	}
	if *f.tight {
		bank = bank.Tight()
	}
	op, err := scattering.NewOperator(bank, scattering.SpectraOptions{})
	if err != nil {
		return nil, err
	}
	return &scatSetup{op: op, kind: kind, form: form, J: J, L: *f.l}, nil
}

// readScatFields reads a .npy field (H, W) or stack (n, H, W) of square,
// finite fields, and returns the array (for its dtype) and the fields.
func readScatFields(path string) (*field.Array, []*field.Field, error) {
	if path == "" {
		return nil, nil, fmt.Errorf("want an input .npy file")
	}
	arr, err := field.ReadArrayFile(path)
	if err != nil {
		return nil, nil, err
	}
	fs, err := arr.Fields()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(fs) == 0 {
		return nil, nil, fmt.Errorf("%s: no fields", path)
	}
	if fs[0].W != fs[0].H {
		return nil, nil, fmt.Errorf("%s: fields are %d×%d (width×height), want square fields", path, fs[0].W, fs[0].H)
	}
	for i, f := range fs {
		if err := f.CheckFinite(); err != nil {
			return nil, nil, fmt.Errorf("%s: field %d: %w", path, i, err)
		}
	}
	return arr, fs, nil
}

// scatStatsJSON is the output of "scat stats --json".
type scatStatsJSON struct {
	File          string           `json:"file"`
	Shape         []int            `json:"shape"`
	Size          int              `json:"size"`
	Kind          string           `json:"kind"`
	J             int              `json:"J"`
	L             int              `json:"L"`
	Form          string           `json:"form"`
	NCoefficients int              `json:"n_coefficients"`
	Counts        map[string]int   `json:"counts"`
	Groups        []scatGroup      `json:"groups"`
	Labels        []string         `json:"labels"`
	Fields        []scatFieldStats `json:"fields"`
	Seconds       float64          `json:"seconds"`
	Version       string           `json:"version"`
}

// scatGroup is the range [start, end) of one statistic (mean, S1, S2, S3,
// S4) in the vector.
type scatGroup struct {
	Name  string `json:"name"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// scatFieldStats is the statistics vector of one field.
type scatFieldStats struct {
	Index  int       `json:"index"`
	Mean   float64   `json:"mean"`
	Std    float64   `json:"std"`
	Vector []float64 `json:"vector"`
}

// runScatStats is "scalewise scat stats".
func runScatStats(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scat stats", flag.ContinueOnError)
	sf := addScatFlags(fs)
	all := fs.Bool("all", false, "statistics of every field of a stack (default: the first)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args, stderr, 1, "one input .npy file")
	if err != nil {
		return err
	}
	if _, _, err := sf.parse(); err != nil {
		return err
	}
	arr, fields, err := readScatFields(pos[0])
	if err != nil {
		return err
	}
	n := fields[0].W
	su, err := sf.operator(pos[0], n)
	if err != nil {
		return err
	}
	if !*all {
		fields = fields[:1]
	}
	start := time.Now()
	out := scatStatsJSON{
		File: pos[0], Shape: arr.Shape, Size: n, Kind: su.kind.String(), J: su.J, L: su.L,
		Form: su.form.String(), NCoefficients: su.op.Count(su.form), Counts: map[string]int{}, Version: Version,
	}
	spec := su.op.NewSpectra()
	for i, f := range fields {
		if err := su.op.ComputeInto(spec, f.Data, nil); err != nil {
			return fmt.Errorf("%s: field %d: %w", pos[0], i, err)
		}
		m, sd := field.MeanStd(f.Data)
		vec := spec.Vector(su.form)
		if err := checkScatStats(pos[0], i, f.Data, append([]float64{m, sd}, vec...), spec.Labels(su.form)); err != nil {
			return err
		}
		out.Fields = append(out.Fields, scatFieldStats{Index: i, Mean: m, Std: sd, Vector: vec})
	}
	out.Seconds = time.Since(start).Seconds()
	for _, g := range spec.Groups(su.form) {
		out.Groups = append(out.Groups, scatGroup{g.Name, g.Start, g.End})
		out.Counts[g.Name] = g.End - g.Start
	}
	out.Labels = spec.Labels(su.form)
	if *asJSON {
		return printJSON(stdout, out)
	}
	fmt.Fprintf(stdout, "%s: %d field(s) of %d×%d; %s wavelets, J = %d, L = %d; %s form: %d coefficients (",
		pos[0], len(fields), n, n, out.Kind, su.J, su.L, out.Form, out.NCoefficients)
	for i, g := range out.Groups {
		if i > 0 {
			fmt.Fprint(stdout, ", ")
		}
		fmt.Fprintf(stdout, "%s %d", g.Name, g.End-g.Start)
	}
	fmt.Fprintf(stdout, "), %.3g s\n", out.Seconds)
	for _, f := range out.Fields {
		fmt.Fprintf(stdout, "field %d: mean %.6g, std %.6g\n", f.Index, f.Mean, f.Std)
		for i, v := range f.Vector {
			fmt.Fprintf(stdout, "  %-40s % .6g\n", out.Labels[i], v)
		}
	}
	return nil
}

// checkScatStats returns an error unless the statistics of field i of path
// are finite: vals are its mean, its standard deviation and then the
// spectra vector labelled by labels. Finite values near 1e154 and beyond
// overflow the variance and the power spectrum.
func checkScatStats(path string, i int, data, vals []float64, labels []string) error {
	for k, v := range vals {
		if isFinite(v) {
			continue
		}
		name := "mean"
		switch {
		case k == 1:
			name = "standard deviation"
		case k >= 2 && k-2 < len(labels):
			name = labels[k-2]
		}
		return fmt.Errorf("%s field %d (values up to %.4g) is out of range: its %s would be %v", path, i, largestMagnitude(data), name, v)
	}
	return nil
}

// scatSynthStats is the sidecar OUT.json of "scat synth".
type scatSynthStats struct {
	Target          string             `json:"target"`
	Index           int                `json:"index"`
	Size            int                `json:"size"`
	Kind            string             `json:"kind"`
	J               int                `json:"J"`
	L               int                `json:"L"`
	Form            string             `json:"form"`
	NCoefficients   int                `json:"n_coefficients"`
	Seed            uint64             `json:"seed"`
	MaxIter         int                `json:"max_iter"`
	Tol             float64            `json:"tol"`
	Memory          int                `json:"memory"`
	Histogram       float64            `json:"histogram"`
	HistQuantiles   int                `json:"histogram_quantiles"`
	LowPass         float64            `json:"low_pass"`
	LowPassErr      *float64           `json:"low_pass_log_ratio,omitempty"`
	Weights         string             `json:"weights"`
	Tight           bool               `json:"tight"`
	PowerSpectrum   float64            `json:"power_spectrum"`
	PSRings         int                `json:"power_spectrum_rings"`
	SpectrumErr     float64            `json:"spectrum_err"`
	SpectrumErrHalf float64            `json:"spectrum_err_half_octave"`
	MarginalError   float64            `json:"marginal_rel_error"`
	Iterations      int                `json:"iterations"`
	Evaluations     int                `json:"evaluations"`
	Seconds         float64            `json:"seconds"`
	Status          string             `json:"status"`
	StopReason      string             `json:"stop_reason,omitempty"`
	InitialRelError float64            `json:"initial_rel_error"`
	RelError        float64            `json:"rel_error"`
	Loss            float64            `json:"loss"`
	GroupRelError   map[string]float64 `json:"group_rel_error"`
	Command         string             `json:"command"`
	Version         string             `json:"version"`
}

// runScatSynth is "scalewise scat synth".
func runScatSynth(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scat synth", flag.ContinueOnError)
	sf := addScatFlags(fs)
	d := scattering.DefaultSynthOptions() // the defaults, shared with scat validate and the page
	target := fs.String("target", "", "target .npy field or stack")
	index := fs.Int("index", 0, "which field of a stack is the target")
	iters := fs.Int("iters", d.MaxIter, "maximum number of L-BFGS iterations")
	seed := fs.Uint64("seed", 1, "seed of the initial white noise")
	tol := fs.Float64("tol", d.Tol, "stop at this relative statistic error ‖Φ(x) − Φ(target)‖/‖Φ(target)‖")
	memory := fs.Int("memory", d.Memory, "L-BFGS memory (correction pairs)")
	hist := fs.Float64("histogram", d.Histogram, "weight of the marginal-matching term of the loss (W₂ of the sorted pixels; 1 weighs W₂/σ like the relative statistic error; 0: off; the default is scat validate's)")
	hq := fs.Int("histogram-quantiles", d.HistogramQuantiles, "number of quantile blocks the marginal term matches (0: every pixel, the whole sorted marginal)")
	lowPass := fs.Float64("low-pass", d.LowPass, "weight of the low-pass power term of the loss (1: one more S2-like coefficient; 0: off)")
	wflag := fs.String("weights", scatDefaultWeights, scatWeightsHelp)
	psw := fs.Float64("power-spectrum", d.PowerSpectrum, "weight of the power-spectrum term of the loss (log ring powers; 1: each ring one more S2-like coefficient; 0: off)")
	psr := fs.Int("power-spectrum-rings", d.PowerSpectrumRings, "rings per octave of the power-spectrum term")
	out := fs.String("out", "", "output .npy file (and its sidecar .json)")
	if _, err := parse(fs, args, stderr, 0, "no arguments (the target is --target)"); err != nil {
		return err
	}
	if _, _, err := sf.parse(); err != nil {
		return err
	}
	if *target == "" {
		return fmt.Errorf("--target is required")
	}
	if *iters < 1 || *iters > maxSynthIters {
		return fmt.Errorf("--iters %d: want 1 to %d iterations", *iters, maxSynthIters)
	}
	if !(*tol > 0) || math.IsInf(*tol, 0) {
		return fmt.Errorf("--tol %v: want a finite tolerance > 0", *tol)
	}
	if !(*hist >= 0) || math.IsInf(*hist, 0) {
		return fmt.Errorf("--histogram %v: want a finite weight ≥ 0", *hist)
	}
	if *hq < 0 {
		return fmt.Errorf("--histogram-quantiles %d: want ≥ 0", *hq)
	}
	if !(*lowPass >= 0) || math.IsInf(*lowPass, 0) {
		return fmt.Errorf("--low-pass %v: want a finite weight ≥ 0", *lowPass)
	}
	if !(*psw >= 0) || math.IsInf(*psw, 0) {
		return fmt.Errorf("--power-spectrum %v: want a finite weight ≥ 0", *psw)
	}
	if *psr < 1 || *psr > polyspectra.MaxRingsPerOctave {
		return fmt.Errorf("--power-spectrum-rings %d: want 1 to %d", *psr, polyspectra.MaxRingsPerOctave)
	}
	weights, err := parseScatWeights(*wflag)
	if err != nil {
		return err
	}
	if *memory < 1 || *memory > maxSynthMemory {
		return fmt.Errorf("--memory %d: want 1 to %d L-BFGS pairs (the history holds 2 float64 vectors of the field's size per pair, at most %d bytes)", *memory, maxSynthMemory, maxSynthHistory)
	}
	if err := checkOut(*out, ".npy"); err != nil {
		return err
	}
	if sameFile(*out, *target) {
		return fmt.Errorf("--out %q would overwrite the target", *out)
	}
	sidecar := strings.TrimSuffix(*out, filepath.Ext(*out)) + ".json"
	if sameFile(sidecar, *target) {
		return fmt.Errorf("the sidecar %q would overwrite the target", sidecar)
	}
	arr, fields, err := readScatFields(*target)
	if err != nil {
		return err
	}
	if *index < 0 || *index >= len(fields) {
		return fmt.Errorf("--index %d: %s holds %d field(s)", *index, *target, len(fields))
	}
	tf := fields[*index]
	n := tf.W
	if need := 16 * int64(*memory) * int64(n) * int64(n); need > maxSynthHistory {
		return fmt.Errorf("--memory %d: the L-BFGS history of a %d×%d field would take %d bytes (2·%d vectors of %d float64); the limit is %d bytes, at most %d pairs",
			*memory, n, n, need, *memory, n*n, maxSynthHistory, maxSynthHistory/(16*n*n))
	}
	su, err := sf.operator(*target, n)
	if err != nil {
		return err
	}
	// The target's statistics must be finite (as scat stats checks).
	spec := su.op.NewSpectra()
	if err := su.op.ComputeInto(spec, tf.Data, nil); err != nil {
		return fmt.Errorf("%s: field %d: %w", *target, *index, err)
	}
	m, sd := field.MeanStd(tf.Data)
	if err := checkScatStats(*target, *index, tf.Data, append([]float64{m, sd}, spec.Vector(su.form)...), spec.Labels(su.form)); err != nil {
		return err
	}

	start := time.Now()
	s, err := scattering.NewSynthesis(su.op, tf.Data, scattering.SynthOptions{
		Seed: *seed, MaxIter: *iters, Tol: *tol, Form: su.form, Memory: *memory, Weights: weights,
		Histogram: *hist, HistogramQuantiles: *hq, LowPass: *lowPass,
		PowerSpectrum: *psw, PowerSpectrumRings: *psr,
	})
	if err != nil {
		return fmt.Errorf("%s: field %d: %w", *target, *index, err)
	}
	err0 := s.RelErr()
	fmt.Fprintf(stderr, "scat synth: %d×%d target (%s field %d), %s wavelets J = %d L = %d, %s form (%d coefficients), seed %d, at most %d iterations, tol %g; start: relative error %.4g\n",
		n, n, *target, *index, su.kind, su.J, su.L, su.form, su.op.Count(su.form), *seed, *iters, *tol, err0)
	bar := newProgress(stderr, *iters)
	status := func() string {
		return fmt.Sprintf("loss %.4g rel.err %.4g", s.Loss(), s.RelErr())
	}
	if err := s.Run(context.Background(), func(s *scattering.Synthesis) { bar.update(s.Iter(), status(), false) }); err != nil {
		return err
	}
	if s.Iter() < *iters { // stopped early: show the last state, end the line
		bar.update(s.Iter(), status(), true)
		if bar.isTerm {
			fmt.Fprintln(stderr)
		}
	}
	sec := time.Since(start).Seconds()

	res := &field.Array{Shape: []int{n, n}, Data: s.Field()}
	dt := arr.DType
	if dt != field.Float32 {
		dt = field.Float64
	}
	if err := checkWritable(res.Data, dt, valuesUpTo(*target, tf.Data), "synthesised value"); err != nil {
		return err
	}
	st := scatSynthStats{
		Target: *target, Index: *index, Size: n, Kind: su.kind.String(), J: su.J, L: su.L, Form: su.form.String(),
		NCoefficients: su.op.Count(su.form), Seed: *seed, MaxIter: *iters, Tol: *tol, Memory: *memory,
		Histogram: *hist, MarginalError: s.MarginalErr(), LowPass: *lowPass,
		Weights: "uniform", Tight: *sf.tight, PowerSpectrum: *psw, PSRings: *psr, SpectrumErr: s.SpectrumErr(),
		Iterations: s.Iter(), Evaluations: s.Evals(), Seconds: sec, Status: s.Status().String(),
		InitialRelError: err0, RelError: s.RelErr(), Loss: s.Loss(), GroupRelError: map[string]float64{},
		Command: "scalewise " + strings.Join(append([]string{"scat", "synth"}, args...), " "), Version: Version,
	}
	if r := s.StopReason(); r != nil {
		st.StopReason = r.Error()
	}
	if st.SpectrumErrHalf, err = polyspectra.HalfOctaveSpectrumError(s.Field(), tf.Data, n, n); err != nil {
		return err
	}
	if *hist > 0 {
		st.HistQuantiles = s.HistogramQuantiles()
	}
	if weights != nil {
		st.Weights = formatScatWeights(*weights)
	}
	if *lowPass > 0 {
		e := s.LowPassErr()
		st.LowPassErr = &e
	}
	ge := s.GroupErrors(nil)
	var groups []string
	for i, g := range s.Groups() {
		st.GroupRelError[g.Name] = ge[i]
		groups = append(groups, fmt.Sprintf("%s %.3g", g.Name, ge[i]))
	}
	// The sidecar is encoded before anything is written: a number that is
	// not finite (JSON has no NaN) leaves no half of the output behind.
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("%s is out of range: the synthesis' numbers are not finite (%v); nothing written", valuesUpTo(*target, tf.Data), err)
	}
	if err := field.WriteArrayFile(*out, res, dt); err != nil {
		return err
	}
	if err := os.WriteFile(sidecar, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s after %d iterations, %d evaluations, %.3g s: relative error %.4g (from %.4g), %d coefficients\n",
		st.Status, st.Iterations, st.Evaluations, sec, st.RelError, err0, st.NCoefficients)
	fmt.Fprintf(stdout, "relative error per statistic: %s; marginal W₂/σ %.3g; power spectrum mean |log ratio| %.3g (%d rings per octave), %.3g (half-octave rings)\n",
		strings.Join(groups, ", "), st.MarginalError, st.SpectrumErr, *psr, st.SpectrumErrHalf)
	prec := "float64"
	if dt == field.Float32 {
		prec = "float32"
	}
	fmt.Fprintf(stdout, "wrote %s: (%d, %d) %s, and the run's numbers to %s\n", *out, n, n, prec, sidecar)
	return nil
}

// sameFile reports whether the paths a and b name the same existing file
// (or are the same path once cleaned).
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
