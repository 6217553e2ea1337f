package main

import (
	"encoding/json"
	"errors"
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
	"scalewise/engine/nn"
	"scalewise/engine/phi4"
	"scalewise/engine/rg"
)

// rgUsage is the usage line of the rg command.
const rgUsage = "rg fit --data phi4.npy --out weights/rg-phi4-L64.json | rg fit --field turbulence|calpha|drawings [--scattering=false] --out M.json | rg sample --model M --n 16 --seed 1 --out samples.npy | rg validate --L 64 [--scaling] [--json] | rg validate --field turbulence|calpha|drawings [--model M --ablation A] [--n 256] [--json]"

// runRG runs an rg subcommand: wavelet-conditional renormalisation-group
// models of φ⁴ fields (engine/rg; Marchand, Ozawa, Biroli, Mallat, PRX 13,
// 041038 (2023)).
func runRG(args []string, stdout, stderr io.Writer) error {
	return runSubcommand(rgUsage, []subcommand{{"fit", runRGFit}, {"sample", runRGSample}, {"validate", runRGValidate}}, args, stdout, stderr)
}

// readStack reads an (n, L, L) .npy stack of square fields.
func readStack(path string) ([]*field.Field, error) {
	arr, err := field.ReadArrayFile(path)
	if err != nil {
		return nil, err
	}
	fs, err := arr.Fields()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(fs) == 0 {
		return nil, fmt.Errorf("%s: no fields", path)
	}
	if fs[0].W != fs[0].H {
		return nil, fmt.Errorf("%s: fields are %d×%d, want square lattices", path, fs[0].W, fs[0].H)
	}
	for i, f := range fs {
		if err := f.CheckFinite(); err != nil {
			return nil, fmt.Errorf("%s: field %d: %w", path, i, err)
		}
	}
	return fs, nil
}

// checkOut checks that path ends in ext and that its directory exists.
func checkOut(path, ext string) error {
	if path == "" {
		return errors.New("--out is required")
	}
	if !strings.EqualFold(filepath.Ext(path), ext) {
		return fmt.Errorf("--out %q must end in %s", path, ext)
	}
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return fmt.Errorf("--out %q: directory %q does not exist", path, filepath.Dir(path))
	}
	return nil
}

// holdoutEvery chooses which samples fit keeps out for validation: every
// k-th (indices i with i mod k = k−1), k = ⌈2τ_int/spacing⌉ from the data's
// sidecar, so that the held-out samples are at least 2τ_int apart (τ_int
// the larger of the pilot's and the whole run's estimates) — when that
// leaves at least 256 held out and 256 to fit; else 0 (none).
func holdoutEvery(dataPath string, n int) int {
	st, err := readMCMCStats(dataPath)
	if err != nil || st.Spacing < 1 {
		return 0
	}
	k := max(1, int(math.Ceil(2*st.tau()/float64(st.Spacing))))
	if k < 2 {
		k = 2
	}
	if n/k < 256 || n-n/k < 256 {
		return 0
	}
	return k
}

// splitHoldout returns the samples to fit and those held out (every k-th,
// i mod k = k−1; none when k is 0).
func splitHoldout(fs []*field.Field, k int) (fit, held []*field.Field) {
	if k <= 0 {
		return fs, nil
	}
	for i, f := range fs {
		if i%k == k-1 {
			held = append(held, f)
		} else {
			fit = append(fit, f)
		}
	}
	return fit, held
}

// runRGFit is "scalewise rg fit".
func runRGFit(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rg fit", flag.ContinueOnError)
	data := fs.String("data", "", "(n, L, L) .npy stack of φ⁴ samples (make data); with --field turbulence the vorticity snapshots (default "+rgTurbulenceData+")")
	out := fs.String("out", "", "output model .json (a manifest entry is written beside it)")
	beta := fs.Float64("beta", 0.68, "the coupling β of the data (metadata)")
	levels := fs.Int("J", 0, "wavelet levels (0: log₂L)")
	holdout := fs.Int("holdout-every", -1, "keep every k-th sample out of the fit, for rg validate (-1: k from the data's τ_int so held-out samples are ≥ 2τ_int apart; 0: none)")
	workers := fs.Int("workers", 0, "goroutines (0: all cores); the result does not depend on it")
	calib := fs.Int("calibration", 0, "moment-matching rounds after score matching (0: the default, 3; -1: none, pure score matching)")
	ff := addRGFieldFlags(fs, "n", nil, true)
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	if err := checkWorkers(*workers); err != nil {
		return err
	}
	if err := checkIntFlag("calibration", *calib, -1, maxCalibration, "moment-matching rounds (0: the default; -1: none)"); err != nil {
		return err
	}
	if *ff.field != rgFieldPhi4 {
		if err := fieldOnly(fs, "apply to φ⁴ only (--field phi4)", "beta", "holdout-every"); err != nil {
			return err
		}
		return runRGFitField(ff, *data, *out, *levels, *calib, *workers, args, stdout, stderr)
	}
	if err := fieldOnly(fs, "apply to --field turbulence|calpha|drawings only", "scattering", "alpha", "L", "n", "families", "band-limit", "precondition", "ridge", "smoothing", "scat-shrink", "land", "likelihood", "likelihood-chains", "likelihood-steps", "likelihood-mode"); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("--data is required")
	}
	if err := checkOut(*out, ".json"); err != nil {
		return err
	}
	if !(*beta > 0) || math.IsInf(*beta, 0) {
		return fmt.Errorf("--beta %v must be positive and finite", *beta)
	}
	fields, err := readStack(*data)
	if err != nil {
		return err
	}
	if err := checkMoments(*data, fields); err != nil {
		return err
	}
	every := *holdout
	if every < 0 {
		every = holdoutEvery(*data, len(fields))
	}
	if every == 1 {
		return errors.New("--holdout-every 1 leaves no samples to fit")
	}
	train, held := splitHoldout(fields, every)
	L := train[0].W
	fmt.Fprintf(stderr, "rg fit: %d samples of %d×%d from %s (%d held out: every %d-th)\n", len(train), L, L, *data, len(held), every)

	var bar *progress
	stage := ""
	t0 := time.Now()
	m, err := rg.Fit(train, rg.FitOptions{Beta: *beta, J: *levels, Workers: *workers, Symmetric: true, Calibration: *calib}, func(s string, done, total int) {
		if s != stage || bar == nil {
			bar, stage = newProgress(stderr, total), s
		}
		bar.update(done, s, done == total)
	})
	if err != nil {
		return fmt.Errorf("fitting %s: %w", *data, err)
	}
	secs := time.Since(t0).Seconds()
	sum, err := nn.SHA256File(*data)
	if err != nil {
		return err
	}
	m.Provenance = map[string]string{
		"command":       "scalewise rg fit " + strings.Join(args, " "),
		"data":          filepath.ToSlash(*data),
		"data_sha256":   sum,
		"data_samples":  strconv.Itoa(len(fields)),
		"fit_samples":   strconv.Itoa(len(train)),
		"holdout_every": strconv.Itoa(every),
		"holdout":       strconv.Itoa(len(held)),
		"fit_seconds":   strconv.FormatFloat(math.Round(secs*10)/10, 'f', -1, 64),
		"symmetric":     "true",
		"version":       Version,
	}
	if err := writeModel(*out, m); err != nil {
		return err
	}
	params := 0
	fmt.Fprintf(stdout, "%-6s %-5s %-5s %8s %6s %12s %14s\n", "factor", "j", "grid", "stencil", "params", "cond(H)", "cond(D½HD½)")
	for i, sc := range m.Scales {
		params += len(sc.Theta)
		name := "x_J"
		if sc.Conditional {
			name = "x̄_j|x_j"
		}
		fmt.Fprintf(stdout, "%-6d %-5d %-5d %8s %6d %12.3g %14.3g  %s\n", i, sc.J, sc.Grid, fmt.Sprintf("%d×%d", 2*sc.Stencil+1, 2*sc.Stencil+1), len(sc.Theta), sc.CondRaw, sc.CondPreconditioned, name)
	}
	fmt.Fprintf(stdout, "wrote %s: L=%d, J=%d, %d parameters, fitted in %.1f s\n", *out, m.L, m.J, params, secs)
	return recordRGModel(*out, m, params, secs, nil)
}

// checkMoments checks that the mean and variance of the data, which the
// fit normalises by, are finite: finite values near ±1e154 and beyond
// overflow them.
func checkMoments(path string, fields []*field.Field) error {
	var s1, s2 float64
	for _, f := range fields {
		for _, v := range f.Data {
			s1 += v
			s2 += v * v
		}
	}
	if !isFinite(s1) || !isFinite(s2) {
		big := 0.0
		for _, f := range fields {
			big = max(big, largestMagnitude(f.Data))
		}
		return fmt.Errorf("%s (values up to %.4g) is out of range: the mean and variance the fit normalises by overflow; nothing written", path, big)
	}
	return nil
}

// writeModel writes m to path atomically.
func writeModel(path string, m *rg.Model) error {
	return writeFileAtomic(path, m.Write)
}

// readModelFile reads and validates an rg model.
func readModelFile(path string) (*rg.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := rg.ReadModel(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// recordRGModel adds or updates the model's entry in the manifest beside
// it (when the model is written into a folder that has one, or into
// weights/), with metrics when given.
func recordRGModel(out string, m *rg.Model, params int, secs float64, metrics map[string]float64) error {
	sampler := "MCMC"
	if st, err := readMCMCStats(m.Provenance["data"]); err == nil {
		sampler = map[string]string{"fahmc": "FA-HMC", "hmc": "HMC", "mala": "MALA", "cluster": "embedded-Ising cluster sampler"}[st.Sampler]
	}
	return upsertManifestEntry(out, func(man *nn.Manifest, sum string, size int64) nn.ManifestEntry {
		e := nn.ManifestEntry{
			File: filepath.Base(out), SHA256: sum, Bytes: size, Kind: "rg-model",
			Command: m.Provenance["command"],
			Data: fmt.Sprintf("φ⁴ at β=%g, %d×%d periodic lattice: %s samples of %s (decorrelated %s, make data; sha256 %s), %s held out (every %s-th)",
				m.Beta, m.L, m.L, m.Provenance["fit_samples"], m.Provenance["data"], sampler, m.Provenance["data_sha256"][:12], m.Provenance["holdout"], m.Provenance["holdout_every"]),
			Params: params, TrainSeconds: math.Round(secs),
			Extra: map[string]string{"J": strconv.Itoa(m.J), "wavelet": m.Wavelet, "fit": "score matching, H θ = G with diagonal preconditioning",
				"calibration_rounds": m.Provenance["calibration"]},
		}
		for _, old := range man.Entries {
			if old.File == e.File && metrics == nil && old.SHA256 == sum {
				e.Metrics = old.Metrics
			}
		}
		if metrics != nil {
			e.Metrics = metrics
		}
		return e
	})
}

// runRGSample is "scalewise rg sample".
func runRGSample(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rg sample", flag.ContinueOnError)
	model := fs.String("model", "", "model .json (rg fit)")
	n := fs.Int("n", 16, "number of samples")
	seed := fs.Uint64("seed", 1, "random seed")
	workers := fs.Int("workers", 0, "goroutines (0: all cores); the samples do not depend on it")
	out := fs.String("out", "", "output .npy stack (n, L, L) float32")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	if *model == "" {
		return errors.New("--model is required")
	}
	if *n <= 0 || *n > 1<<20 {
		return fmt.Errorf("--n %d: the number of samples must be in [1, %d]", *n, 1<<20)
	}
	if err := checkWorkers(*workers); err != nil {
		return err
	}
	if err := checkOut(*out, ".npy"); err != nil {
		return err
	}
	m, err := readModelFile(*model)
	if err != nil {
		return err
	}
	if err := checkStackSize(*n, m.L); err != nil {
		return err
	}
	fields, st, err := sampleWithProgress(m, *n, *seed, *workers, stderr, fmt.Sprintf("rg sample: %d samples of %d×%d from %s", *n, m.L, m.L, *model))
	if err != nil {
		return err
	}
	arr, err := field.StackArray(fields)
	if err != nil {
		return err
	}
	src := fmt.Sprintf("model %s (mean %.4g, std %.4g)", *model, m.Mean, m.Std)
	if err := checkWritable(arr.Data, field.Float32, src, "sample value"); err != nil {
		return err
	}
	if err := field.WriteArrayFile(*out, arr, field.Float32); err != nil {
		return err
	}
	var acc []string
	for _, a := range st.Acceptance {
		acc = append(acc, fmt.Sprintf("%.2f", a))
	}
	fmt.Fprintf(stderr, "acceptance per factor (coarse to fine): %s\n", strings.Join(acc, " "))
	fmt.Fprintf(stderr, "cost per sample: %.1f whole-lattice gradient evaluations, %.3g s; wall %.2f s\n", st.LatticeGradPerSample, st.SecondsPerSample, st.WallSeconds)
	fmt.Fprintf(stdout, "wrote %s: (%d, %d, %d) float32\n", *out, *n, m.L, m.L)
	return nil
}

// sampleWithProgress draws n fields from m (rg.Model.SampleProgress) with
// a progress bar counted in whole-lattice gradient evaluations, nearly
// proportional to time, so that a model with many steps per factor shows
// its progress and the time left from the first seconds on, not only once
// a field is finished. It first says how much work that is.
func sampleWithProgress(m *rg.Model, n int, seed uint64, workers int, stderr io.Writer, what string) ([]*field.Field, rg.SampleStats, error) {
	steps, work := 0, 0.0
	for _, sc := range m.Scales {
		steps += sc.Steps
		r := float64(sc.Grid) / float64(m.L)
		work += float64(sc.Steps+1) * r * r
	}
	fmt.Fprintf(stderr, "%s: %d MALA steps per sample over %d factors, %.4g whole-lattice gradient evaluations in all\n", what, steps, len(m.Scales), work*float64(n))
	var bar *progress
	return m.SampleProgress(n, rg.SampleOptions{Seed: seed}, workers, func(done, total float64) {
		if bar == nil {
			bar = newProgress(stderr, int(math.Ceil(total)))
		}
		d, last := int(math.Round(done)), done >= total*(1-1e-9) // sums in any order
		if last {
			d = bar.total
		}
		bar.update(d, "lattice gradients", last)
	})
}

// mcmcStats is the part of the sidecar of "phi4 sample" that validate uses.
type mcmcStats struct {
	L                int     `json:"L"`
	Beta             float64 `json:"beta"`
	Sampler          string  `json:"sampler"`
	TauInt           float64 `json:"tau_int"`
	TauIntAll        float64 `json:"tau_int_all"`
	Spacing          int     `json:"spacing"`
	StepSize         float64 `json:"step_size"`
	Leapfrog         int     `json:"leapfrog"`
	Mass2            float64 `json:"mass2"`
	GradPerStep      float64 `json:"grad_per_step"`
	SecondsPerStep   float64 `json:"seconds_per_step"`
	GradPerSample    float64 `json:"grad_per_sample"`
	SecondsPerSample float64 `json:"seconds_per_sample"`
	// Complete is false in the provisional records of a phi4 cost run
	// that is going on or was stopped (absent, hence true, in sidecars).
	Complete *bool `json:"complete"`
	path     string
}

// provisional reports a phi4 cost record written before its run ended.
func (s *mcmcStats) provisional() bool { return s.Complete != nil && !*s.Complete }

// tau is the chain's τ_int of m²: the larger of the pilot's estimate and
// the estimate over the whole run (the longer series; a short pilot can
// underestimate τ_int).
func (s *mcmcStats) tau() float64 { return max(s.TauInt, s.TauIntAll) }

// perIndependent returns the MCMC cost of one independent sample, 2τ_int
// steps: force evaluations and seconds.
func (s *mcmcStats) perIndependent() (grad, seconds float64) {
	return 2 * s.tau() * s.GradPerStep, 2 * s.tau() * s.SecondsPerStep
}

func readMCMCStats(dataPath string) (*mcmcStats, error) {
	p := strings.TrimSuffix(dataPath, filepath.Ext(dataPath)) + ".json"
	s, err := readCostRecord(p)
	if err != nil {
		return nil, fmt.Errorf("the MCMC cost comes from the sidecar of phi4 sample: %w", err)
	}
	return s, nil
}

// readCostRecord reads the sidecar of "phi4 sample" or the output of
// "phi4 cost" at p.
func readCostRecord(p string) (*mcmcStats, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var s mcmcStats
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if !(s.GradPerStep > 0) || !(s.SecondsPerStep > 0) || !(s.TauInt > 0) {
		return nil, fmt.Errorf("%s: missing τ_int or cost per sample", p)
	}
	s.path = p
	return &s, nil
}

// costRecordPath is where "make data" puts the output of phi4 cost for
// side l and sampler kind: beside the data, phi4-cost-L{l}-{kind}.json.
func costRecordPath(dataPath string, l int, kind phi4.Kind) string {
	return filepath.Join(filepath.Dir(dataPath), fmt.Sprintf("phi4-cost-L%d-%s.json", l, kind))
}

// mcmcCosts returns the two MCMC references of the cost ratio for the data
// at dataPath: the best gradient-based sampler (FA-HMC), from
// phi4-cost-L{l}-fahmc.json if it exists, else from the data's sidecar when
// a gradient-based sampler drew the data; and the cluster sampler (nil if
// neither phi4-cost-L{l}-cluster.json nor the sidecar has it).
func mcmcCosts(dataPath string, l int) (grad, cluster *mcmcStats, err error) {
	side, sideErr := readMCMCStats(dataPath)
	if rec, err := readCostRecord(costRecordPath(dataPath, l, phi4.KindFAHMC)); err == nil {
		grad = rec
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, nil, err
	}
	if rec, err := readCostRecord(costRecordPath(dataPath, l, phi4.KindCluster)); err == nil {
		cluster = rec
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, nil, err
	}
	if side != nil {
		if side.Sampler == phi4.KindCluster.String() {
			if cluster == nil {
				cluster = side
			}
		} else if grad == nil {
			grad = side
		}
	}
	if grad == nil {
		if sideErr != nil {
			return nil, nil, sideErr
		}
		return nil, nil, fmt.Errorf("the data were drawn by the %s sampler: the gradient-based MCMC cost comes from %s (make data runs phi4 cost)",
			side.Sampler, costRecordPath(dataPath, l, phi4.KindFAHMC))
	}
	return grad, cluster, nil
}

// rgValidation is the JSON of "rg validate" for one lattice side.
type rgValidation struct {
	L int `json:"L"`
	rg.Comparison
	// BandStdRelErrMax is the largest relative error of the std of a detail
	// band H_j, V_j, D_j; ScaleStdRelErrMax (the pass criterion) is taken
	// over the approximations x_j, j = 1..J, the per-grid stds of PRX 13,
	// 041038 §4.6; both lists are in the
	// comparison.
	BandStdRelErrMax float64 `json:"band_std_rel_err_max"`
	NGenerated       int     `json:"n_generated"`
	NTruth           int     `json:"n_truth"`
	// CostRatio is (MCMC gradient evaluations per independent sample) /
	// (RG whole-lattice gradient evaluations per sample);
	// CostRatioSeconds the same in seconds.
	CostRatio        float64 `json:"cost_ratio"`
	CostRatioSeconds float64 `json:"cost_ratio_seconds"`
	MCMCSampler      string  `json:"mcmc_sampler"`
	MCMCTauInt       float64 `json:"mcmc_tau_int"`
	MCMCGradPerInd   float64 `json:"mcmc_grad_per_independent_sample"`
	MCMCSecPerInd    float64 `json:"mcmc_seconds_per_independent_sample"`
	RGGradPerSample  float64 `json:"rg_grad_per_sample"`
	RGSecPerSample   float64 `json:"rg_seconds_per_sample"`
	// MCMCCost is the record the gradient-based MCMC cost comes from.
	MCMCCost            string `json:"mcmc_cost_record"`
	MCMCCostProvisional bool   `json:"mcmc_cost_provisional,omitempty"`
	// The cluster sampler (embedded-Ising Swendsen–Wang, phi4.Cluster):
	// τ_int, seconds per independent sample (re-timed in this run) and the
	// ratio of those seconds to the RG's. Not a gradient-based method: it
	// needs the Ising embedding of φ⁴, so it is reported beside the cost
	// ratio, not in it.
	ClusterTauInt           float64   `json:"mcmc_cluster_tau_int,omitempty"`
	ClusterSecPerInd        float64   `json:"mcmc_cluster_seconds_per_independent_sample,omitempty"`
	CostRatioSecondsCluster float64   `json:"cost_ratio_seconds_cluster,omitempty"`
	ClusterCost             string    `json:"mcmc_cluster_cost_record,omitempty"`
	Acceptance              []float64 `json:"rg_acceptance"`
	Pass                    bool      `json:"pass"`
	Failed                  []string  `json:"failed,omitempty"`
	Model                   string    `json:"model"`
	Truth                   string    `json:"truth"`
}

// validateOne samples n fields from the model for side L and compares them
// with the held-out samples of its data.
func validateOne(l int, modelPath, dataPath string, n int, seed uint64, workers int, stderr io.Writer) (*rgValidation, error) {
	if modelPath == "" {
		modelPath = fmt.Sprintf("weights/rg-phi4-L%d.json", l)
	}
	if dataPath == "" {
		dataPath = fmt.Sprintf("data/phi4-L%d-b0.68.npy", l)
	}
	m, err := readModelFile(modelPath)
	if err != nil {
		return nil, err
	}
	if m.L != l {
		return nil, fmt.Errorf("%s is a model of L=%d, not %d", modelPath, m.L, l)
	}
	all, err := readStack(dataPath)
	if err != nil {
		return nil, fmt.Errorf("%w (make data regenerates it)", err)
	}
	if all[0].W != l {
		return nil, fmt.Errorf("%s holds %d×%d fields, not %d×%d", dataPath, all[0].W, all[0].W, l, l)
	}
	// The truth: the samples the fit held out, else all of them.
	truth := all
	if k, err := strconv.Atoi(m.Provenance["holdout_every"]); err == nil && k >= 2 && m.Provenance["data_sha256"] != "" {
		if sum, err := nn.SHA256File(dataPath); err == nil && sum == m.Provenance["data_sha256"] {
			_, truth = splitHoldout(all, k)
		}
	}
	cost, clusterCost, err := mcmcCosts(dataPath, l)
	if err != nil {
		return nil, err
	}
	for _, c := range []*mcmcStats{cost, clusterCost} {
		if c != nil && c.provisional() {
			fmt.Fprintf(stderr, "note: %s is provisional (its phi4 cost run had not finished): τ_int %.1f\n", c.path, c.tau())
		}
	}
	gen, st, err := sampleWithProgress(m, n, seed, workers, stderr, fmt.Sprintf("L=%d: %d RG samples", l, n))
	if err != nil {
		return nil, err
	}
	cmp, err := rg.Compare(gen, truth, m.J)
	if err != nil {
		return nil, err
	}
	approxMax, bandMax := 0.0, 0.0
	for i, lab := range cmp.ScaleLabels {
		if i >= len(cmp.ScaleStdRelErr) {
			break
		}
		if strings.HasPrefix(lab, "x_") {
			approxMax = max(approxMax, cmp.ScaleStdRelErr[i])
		} else {
			bandMax = max(bandMax, cmp.ScaleStdRelErr[i])
		}
	}
	cmp.ScaleStdRelErrMax = approxMax
	mg, _ := cost.perIndependent()
	sps, err := timeMCMC(cost, truth[0], 3)
	if err != nil {
		return nil, fmt.Errorf("timing the MCMC: %w", err)
	}
	ms := 2 * cost.tau() * sps
	var clusterSec float64
	if clusterCost != nil {
		csps, err := timeMCMC(clusterCost, truth[0], 1)
		if err != nil {
			return nil, fmt.Errorf("timing the cluster sampler: %w", err)
		}
		clusterSec = 2 * clusterCost.tau() * csps
	}
	v := &rgValidation{
		L: l, Comparison: cmp, NGenerated: len(gen), NTruth: len(truth),
		MCMCSampler: cost.Sampler, MCMCTauInt: cost.tau(), MCMCGradPerInd: mg, MCMCSecPerInd: ms,
		RGGradPerSample: st.LatticeGradPerSample, RGSecPerSample: st.SecondsPerSample,
		CostRatio: mg / st.LatticeGradPerSample, CostRatioSeconds: ms / st.SecondsPerSample,
		Acceptance: st.Acceptance, Model: modelPath, Truth: dataPath, BandStdRelErrMax: bandMax,
		MCMCCost: cost.path, MCMCCostProvisional: cost.provisional(),
	}
	if clusterCost != nil {
		v.ClusterTauInt, v.ClusterSecPerInd = clusterCost.tau(), clusterSec
		v.CostRatioSecondsCluster = clusterSec / st.SecondsPerSample
		v.ClusterCost = clusterCost.path
	}
	check := func(name string, val, bar float64) {
		if !(val <= bar) {
			v.Failed = append(v.Failed, fmt.Sprintf("%s %.4g > %g", name, val, bar))
		}
	}
	check("phi2_rel_err", cmp.Phi2RelErr, 0.03)
	check("binder_abs_err", cmp.BinderAbsErr, 0.05)
	check("spectrum_mean_abs_log_ratio", cmp.SpectrumMeanAbsLogRatio, 0.10)
	check("hist_tv_distance", cmp.HistTV, 0.05)
	check("scale_std_rel_err_max", cmp.ScaleStdRelErrMax, 0.05)
	v.Pass = len(v.Failed) == 0
	// JSON has no NaN or Inf: a comparison that overflowed (a model or
	// data far out of range) is an error, before anything is recorded.
	if _, err := json.Marshal(v); err != nil {
		return nil, fmt.Errorf("model %s (mean %.4g, std %.4g) and data %s are out of range: the comparison is not finite (%v)", modelPath, m.Mean, m.Std, dataPath, err)
	}
	return v, nil
}

// timeMCMC measures the seconds per trajectory of the data's sampler
// (FA-HMC with the step size, leapfrog count and mass of the sidecar, no
// adaptation) in this process, over about budget seconds, starting from
// the first data sample, so that the cost ratio in seconds compares the
// two samplers in one run on the same machine load.
func timeMCMC(st *mcmcStats, start *field.Field, budget float64) (float64, error) {
	kind, err := phi4.ParseKind(st.Sampler)
	if err != nil {
		return 0, err
	}
	opts := phi4.Options{StepSize: st.StepSize, Leapfrog: st.Leapfrog, Mass2: st.Mass2, TargetAccept: 0.8, Start: start}
	s, err := phi4.NewSampler(kind, phi4.Model{L: st.L, Beta: st.Beta}, opts, 1)
	if err != nil {
		return 0, err
	}
	if !s.Step() {
		return 0, s.Err()
	}
	t0 := time.Now()
	n := 0
	for ; n < 4 || time.Since(t0).Seconds() < budget; n++ {
		if !s.Step() {
			return 0, s.Err()
		}
	}
	return time.Since(t0).Seconds() / float64(n), nil
}

// runRGValidate is "scalewise rg validate".
func runRGValidate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rg validate", flag.ContinueOnError)
	l := fs.Int("L", 64, "lattice side (a model weights/rg-phi4-L{L}.json and data data/phi4-L{L}-b0.68.npy)")
	model := fs.String("model", "", "model .json (default weights/rg-phi4-L{L}.json)")
	data := fs.String("data", "", "ground-truth .npy with its phi4 sample sidecar .json (default data/phi4-L{L}-b0.68.npy)")
	n := fs.Int("n", 256, "number of RG samples")
	seed := fs.Uint64("seed", 1, "random seed")
	workers := fs.Int("workers", 0, "goroutines (0: all cores)")
	scaling := fs.Bool("scaling", false, "the cost ratio at L = 32, 64 and 128 (default models and data)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	record := fs.Bool("record", false, "store the metrics in the manifest entry of the model")
	ff := addRGFieldFlags(fs, "fit-n", l, false)
	ablation := fs.String("ablation", "", "with --field: the ablation model .json, without scattering terms (default: fitted in the run, as is --model)")
	held := fs.Int("held", 512, "with --field calpha|drawings: held-out images, seeds from 2^40, half the truth and half the reference")
	outDir := fs.String("out-dir", "", "with --field: write the RG samples, the truth and the reference as .npy stacks into this directory")
	synth := fs.Bool("synth", true, "with --field: time one microcanonical synthesis (scat synth defaults) of a field of the same size")
	var micro rgPeerFlags
	fs.IntVar(&micro.K, "microcanonical", 0, "with --field: the peer, K microcanonical syntheses (scat synth defaults), the k-th from training field k as its target, validated beside the models (0: none)")
	fs.IntVar(&micro.Iters, "microcanonical-iters", 0, "with --microcanonical: the L-BFGS iterations of each synthesis at most (0: scat synth's default)")
	var cond rgConditional
	fs.IntVar(&cond.Level, "conditional", 0, "with --field: instead of full samples, redraw only the details of level j (1: the finest) in --n reference fields, given their own coarser field and keeping their other details (rg.Model.ResampleFactor): the error of that factor alone (0: full samples)")
	fs.StringVar(&cond.From, "conditional-from", "zero", "with --conditional: start each chain at zero (as the sampler) or at the field's own details (data: stays at the data's law if the factor's law is the data's)")
	fs.IntVar(&cond.Steps, "conditional-steps", 0, "with --conditional: MALA steps per chain (0: the factor's own)")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	if *ff.field != rgFieldPhi4 {
		if *n < 16 || *n > 1<<16 {
			return fmt.Errorf("--n %d must be in [16, %d]", *n, 1<<16)
		}
		if err := checkWorkers(*workers); err != nil {
			return err
		}
		setL := false
		fs.Visit(func(f *flag.Flag) { setL = setL || f.Name == "L" })
		if !setL {
			*l = 32
		}
		return runRGValidateField(fs, ff, *model, *ablation, *data, *outDir, *n, *held, *seed, *workers, *synth, micro, *asJSON, cond, stdout, stderr)
	}
	if err := fieldOnly(fs, "apply to --field turbulence|calpha|drawings only", "alpha", "fit-n", "ablation", "held", "out-dir", "synth", "microcanonical", "microcanonical-iters", "families", "band-limit", "precondition", "ridge", "smoothing", "scat-shrink", "land", "conditional", "conditional-from", "conditional-steps", "likelihood", "likelihood-chains", "likelihood-steps", "likelihood-mode"); err != nil {
		return err
	}
	if *n < 16 || *n > 1<<16 {
		return fmt.Errorf("--n %d must be in [16, %d]", *n, 1<<16)
	}
	if err := checkWorkers(*workers); err != nil {
		return err
	}
	if err := checkStackSize(*n, *l); err != nil {
		return err
	}
	if *scaling {
		if *model != "" || *data != "" {
			return errors.New("--scaling uses the default models and data; drop --model and --data")
		}
		type row struct {
			L                int     `json:"L"`
			CostRatio        float64 `json:"cost_ratio"`
			CostRatioSeconds float64 `json:"cost_ratio_seconds"`
			MCMCTauInt       float64 `json:"mcmc_tau_int"`
			MCMCGradPerInd   float64 `json:"mcmc_grad_per_independent_sample"`
			RGGradPerSample  float64 `json:"rg_grad_per_sample"`
			MCMCSecPerInd    float64 `json:"mcmc_seconds_per_independent_sample"`
			RGSecPerSample   float64 `json:"rg_seconds_per_sample"`
			ClusterTauInt    float64 `json:"mcmc_cluster_tau_int,omitempty"`
			ClusterSecPerInd float64 `json:"mcmc_cluster_seconds_per_independent_sample,omitempty"`
			RatioSecCluster  float64 `json:"cost_ratio_seconds_cluster,omitempty"`
			Provisional      bool    `json:"mcmc_cost_provisional,omitempty"`
		}
		var rows []row
		for _, side := range []int{32, 64, 128} {
			v, err := validateOne(side, "", "", min(*n, 64), *seed, *workers, stderr)
			if err != nil {
				return err
			}
			rows = append(rows, row{side, v.CostRatio, v.CostRatioSeconds, v.MCMCTauInt, v.MCMCGradPerInd, v.RGGradPerSample, v.MCMCSecPerInd, v.RGSecPerSample,
				v.ClusterTauInt, v.ClusterSecPerInd, v.CostRatioSecondsCluster, v.MCMCCostProvisional})
		}
		grows := true
		for i := 1; i < len(rows); i++ {
			grows = grows && rows[i].CostRatio > rows[i-1].CostRatio
		}
		res := map[string]any{"scaling": rows, "cost_ratio_grows_with_L": grows, "cost_ratio_L64_at_least_10": rows[1].CostRatio >= 10}
		if *asJSON {
			return printJSON(stdout, res)
		}
		fmt.Fprintf(stdout, "%5s %12s %12s %14s %14s %14s %16s\n", "L", "τ_int(MCMC)", "cost ratio", "ratio (s)", "RG grad/sample", "τ_int(cluster)", "ratio (s) cluster")
		for _, r := range rows {
			fmt.Fprintf(stdout, "%5d %12.1f %12.1f %14.1f %14.1f %14.1f %16.3g\n", r.L, r.MCMCTauInt, r.CostRatio, r.CostRatioSeconds, r.RGGradPerSample, r.ClusterTauInt, r.RatioSecCluster)
		}
		fmt.Fprintf(stdout, "the ratio grows with L: %v\n", grows)
		return nil
	}
	v, err := validateOne(*l, *model, *data, *n, *seed, *workers, stderr)
	if err != nil {
		return err
	}
	if *record {
		mp := v.Model
		m, err := readModelFile(mp)
		if err != nil {
			return err
		}
		params := 0
		for _, sc := range m.Scales {
			params += len(sc.Theta)
		}
		secs, _ := strconv.ParseFloat(m.Provenance["fit_seconds"], 64)
		metrics := map[string]float64{
			"phi2_rel_err": v.Phi2RelErr, "binder_abs_err": v.BinderAbsErr, "spectrum_mean_abs_log_ratio": v.SpectrumMeanAbsLogRatio,
			"hist_tv_distance": v.HistTV, "scale_std_rel_err_max": v.ScaleStdRelErrMax, "band_std_rel_err_max": v.BandStdRelErrMax, "cost_ratio": v.CostRatio, "cost_ratio_seconds": v.CostRatioSeconds,
		}
		for k, x := range metrics {
			metrics[k] = math.Round(x*1e4) / 1e4
		}
		if err := recordRGModel(mp, m, params, secs, metrics); err != nil {
			return err
		}
	}
	if *asJSON {
		return printJSON(stdout, v)
	}
	fmt.Fprintf(stdout, "L=%d: %d RG samples vs %d MCMC samples\n", v.L, v.NGenerated, v.NTruth)
	fmt.Fprintf(stdout, "⟨φ²⟩ %.4f vs %.4f (rel err %.4f); Binder %.4f vs %.4f (abs err %.4f)\n", v.Phi2Gen, v.Phi2Truth, v.Phi2RelErr, v.BinderGen, v.BinderTruth, v.BinderAbsErr)
	fmt.Fprintf(stdout, "spectrum mean |log ratio| %.4f; marginal TV %.4f; max std rel err of x_j %.4f (of the bands x̄_j %.4f)\n", v.SpectrumMeanAbsLogRatio, v.HistTV, v.ScaleStdRelErrMax, v.BandStdRelErrMax)
	fmt.Fprintf(stdout, "cost ratio %.1f (gradient evaluations), %.1f (seconds); MCMC (%s) τ_int %.1f\n", v.CostRatio, v.CostRatioSeconds, v.MCMCSampler, v.MCMCTauInt)
	if v.ClusterCost != "" {
		fmt.Fprintf(stdout, "cluster sampler (not gradient-based): τ_int %.1f sweeps, %.3g s per independent sample, ratio in seconds %.3g\n", v.ClusterTauInt, v.ClusterSecPerInd, v.CostRatioSecondsCluster)
	}
	if !v.Pass {
		fmt.Fprintf(stdout, "FAILED: %s\n", strings.Join(v.Failed, "; "))
	}
	return nil
}

func printJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
