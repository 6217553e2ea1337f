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
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"scalewise/engine/data"
	"scalewise/engine/denoise"
	"scalewise/engine/diffusion"
	"scalewise/engine/nn"
)

const generaliseUsage = "generalise --size small|large [--weights weights/generalisation] [--pairs 64] [--seed 1] [--sampler kadkhodaie|reverse-sde] [--preset paper|code] [--steps S] [--grids DIR] [--json]"

// maxPairs bounds generalise --pairs.
const maxPairs = 4096

// generaliseRow is the generalisation test at one training-set size N
// (Kadkhodaie, Guth, Simoncelli and Mallat, ICLR 2024, §2.2 and Fig. 2):
// the nets trained on S1 and S2 sample from the same noise, and the
// statistics are over the pairs (pair_*) or over every sample of both nets
// (nearest_train_*).
type generaliseRow struct {
	N      int `json:"N"`
	Params int `json:"params"`
	// Cosine similarity of the S1 and S2 samples of a pair, raw and with
	// each image's mean removed.
	PairCosMedian         float64 `json:"pair_cos_median"`
	PairCosQ1             float64 `json:"pair_cos_q1"`
	PairCosQ3             float64 `json:"pair_cos_q3"`
	PairCosCenteredMedian float64 `json:"pair_cos_centered_median"`
	// Cosine similarity of each sample to the nearest image of its own
	// net's training set.
	NearestTrainCosMedian         float64 `json:"nearest_train_cos_median"`
	NearestTrainCosQ1             float64 `json:"nearest_train_cos_q1"`
	NearestTrainCosQ3             float64 `json:"nearest_train_cos_q3"`
	NearestTrainCosCenteredMedian float64 `json:"nearest_train_cos_centered_median"`
	// PSNRGap is train − test output PSNR of the denoisers, averaged over
	// the noise levels of their metrics and over the two nets (null when
	// the metrics are missing).
	PSNRGap    *float64  `json:"psnr_gap_db"`
	GapSigmas  []float64 `json:"psnr_gap_sigmas,omitempty"`
	Iterations float64   `json:"iterations_mean"`
	// FailedSamples counts the samples whose sampler failed (diverged, or
	// did not converge within its cap), Failed says why (the first few);
	// the statistics above leave out those samples and their pairs.
	FailedSamples int      `json:"failed_samples"`
	Failed        []string `json:"failed,omitempty"`
	Sampler       string   `json:"sampler"`
	Preset        string   `json:"preset"`
	Pairs         int      `json:"pairs"`
	Seconds       float64  `json:"seconds"`
}

// maxFailedListed bounds generaliseRow.Failed.
const maxFailedListed = 4

// generaliseSkip is a training-set size whose pair of nets is incomplete.
type generaliseSkip struct {
	N      int    `json:"N"`
	Reason string `json:"reason"`
}

// generaliseReport is the output of generalise --json.
type generaliseReport struct {
	Size     string           `json:"size"`
	Weights  string           `json:"weights"`
	Sampler  string           `json:"sampler"`
	Preset   string           `json:"preset,omitempty"`
	Settings string           `json:"settings"`
	Pairs    int              `json:"pairs"`
	Seed     uint64           `json:"seed"`
	Results  []generaliseRow  `json:"results"`
	Skipped  []generaliseSkip `json:"skipped"`
	Seconds  float64          `json:"seconds"`
}

// sweepNets lists the training-set sizes N of the nets
// mnist-SIZE-s{1,2}-nN.safetensors in dir: those with both nets, and those
// with one, each with the reason it is skipped.
func sweepNets(dir, size string) ([]int, []generaliseSkip, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	re := regexp.MustCompile(`^mnist-` + regexp.QuoteMeta(size) + `-(s1|s2)-n(\d+)\.safetensors$`)
	have := map[int][2]bool{} // N → S1 and S2 present
	for _, e := range entries {
		m := re.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		n, err := strconv.Atoi(m[2])
		if err != nil || n < 1 || n > denoise.MNISTMaxSubset {
			continue
		}
		h := have[n]
		if m[1] == denoise.MNISTSubsetS1 {
			h[0] = true
		} else {
			h[1] = true
		}
		have[n] = h
	}
	var ns []int
	var skipped []generaliseSkip
	for n := range have {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	var pairs []int
	for _, n := range ns {
		switch h := have[n]; {
		case h[0] && h[1]:
			pairs = append(pairs, n)
		case h[0]:
			skipped = append(skipped, generaliseSkip{N: n, Reason: fmt.Sprintf("%s is missing (not landed yet?)", sweepFile(size, "s2", n))})
		default:
			skipped = append(skipped, generaliseSkip{N: n, Reason: fmt.Sprintf("%s is missing (not landed yet?)", sweepFile(size, "s1", n))})
		}
	}
	return pairs, skipped, nil
}

// sweepFile names the net of a sweep: mnist-small-s1-n100.safetensors.
func sweepFile(size, subset string, n int) string {
	return fmt.Sprintf("mnist-%s-%s-n%d.safetensors", size, subset, n)
}

// psnrGap returns the mean over σ of train_psnr_out_sigma_σ −
// val_psnr_out_sigma_σ and the σ used, from a net's metrics.
func psnrGap(metrics map[string]float64) (float64, []float64, bool) {
	var sigmas []float64
	sum := 0.0
	for k, train := range metrics {
		s, ok := strings.CutPrefix(k, "train_psnr_out_sigma_")
		if !ok {
			continue
		}
		test, ok := metrics["val_psnr_out_sigma_"+s]
		sigma, err := strconv.ParseFloat(s, 64)
		if !ok || err != nil || !isFinite(train) || !isFinite(test) {
			continue
		}
		sigmas = append(sigmas, sigma)
		sum += train - test
	}
	if len(sigmas) == 0 {
		return 0, nil, false
	}
	slices.Sort(sigmas)
	return sum / float64(len(sigmas)), sigmas, true
}

// netMetrics returns a net's metrics: from its metadata ("metrics", as
// train writes them), else from its entry in the manifest.
func netMetrics(md map[string]string, m *nn.Manifest, file string) map[string]float64 {
	var metrics map[string]float64
	if json.Unmarshal([]byte(md["metrics"]), &metrics) == nil && len(metrics) > 0 {
		return metrics
	}
	if m != nil {
		for _, e := range m.Entries {
			if e.File == file {
				return e.Metrics
			}
		}
	}
	return nil
}

// quartiles returns the first quartile, the median and the third quartile
// of v (linear interpolation between order statistics).
func quartiles(v []float64) (q1, med, q3 float64) {
	s := slices.Clone(v)
	slices.Sort(s)
	q := func(p float64) float64 {
		if len(s) == 0 {
			return math.NaN()
		}
		x := p * float64(len(s)-1)
		i := int(x)
		if i+1 >= len(s) {
			return s[len(s)-1]
		}
		return s[i] + (x-float64(i))*(s[i+1]-s[i])
	}
	return q(0.25), q(0.5), q(0.75)
}

// flatImages returns the pixels of the training images, for a gallery.
func flatImages(ds denoise.Dataset) [][]float64 {
	imgs := ds.TrainingImages()
	out := make([][]float64, len(imgs))
	for i, f := range imgs {
		out[i] = f.Data
	}
	return out
}

// generaliseConfig is what runGeneralise measures.
type generaliseConfig struct {
	dir, size   string
	pairs       int
	seed        uint64
	spec        samplerSpec
	workers     int
	grids       string
	train, test *data.Digits
	manifest    *nn.Manifest
	bar         *progress
	done        int // samples drawn so far, for the progress bar
}

// generaliseAt runs the test at one N.
func generaliseAt(ctx context.Context, c *generaliseConfig, n int) (generaliseRow, error) {
	start := time.Now()
	row := generaliseRow{N: n, Sampler: c.spec.Sampler, Preset: c.spec.Preset, Pairs: c.pairs}
	var samples [2][][]float64
	var gaps []float64
	iters := 0
	for k, subset := range []string{denoise.MNISTSubsetS1, denoise.MNISTSubsetS2} {
		file := sweepFile(c.size, subset, n)
		den, md, _, err := loadSamplingNet(filepath.Join(c.dir, file), data.MNISTSize, c.workers)
		if err != nil {
			return row, err
		}
		if md["subset"] != subset || md["n"] != strconv.Itoa(n) {
			return row, fmt.Errorf("%s: its metadata say subset %q, n %q", file, md["subset"], md["n"])
		}
		row.Params = den.Net().NumParams()
		if g, sigmas, ok := psnrGap(netMetrics(md, c.manifest, file)); ok {
			gaps = append(gaps, g)
			row.GapSigmas = sigmas
		}
		xs, it, failed, err := drawSamplesTolerant(ctx, c.spec, den, c.seed, 0, c.pairs, c.bar, c.done, fmt.Sprintf("N=%d %s", n, subset), true)
		if err != nil {
			return row, err
		}
		c.done += c.pairs
		for i, t := range it {
			if xs[i] != nil {
				iters += t
			}
		}
		row.FailedSamples += len(failed)
		for _, e := range failed {
			if len(row.Failed) < maxFailedListed {
				row.Failed = append(row.Failed, e.Error())
			}
		}
		samples[k] = xs
	}
	if row.FailedSamples == 2*c.pairs {
		return row, fmt.Errorf("N=%d: every sample failed: %s", n, row.Failed[0])
	}
	if len(gaps) == 2 {
		g := (gaps[0] + gaps[1]) / 2
		row.PSNRGap = &g
	}
	row.Iterations = float64(iters) / float64(2*c.pairs-row.FailedSamples)
	var pair, pairCentered []float64
	for i := range c.pairs {
		if samples[0][i] == nil || samples[1][i] == nil {
			continue
		}
		pair = append(pair, diffusion.Cosine(samples[0][i], samples[1][i]))
		pairCentered = append(pairCentered, diffusion.CenteredCosine(samples[0][i], samples[1][i]))
	}
	if len(pair) == 0 {
		return row, fmt.Errorf("N=%d: no pair whose two samples both succeeded: %s", n, row.Failed[0])
	}
	row.PairCosQ1, row.PairCosMedian, row.PairCosQ3 = quartiles(pair)
	_, row.PairCosCenteredMedian, _ = quartiles(pairCentered)
	var near, nearCentered []float64
	for k, subset := range []string{denoise.MNISTSubsetS1, denoise.MNISTSubsetS2} {
		ds, err := denoise.NewMNISTDataset(c.train, c.test, subset, n)
		if err != nil {
			return row, err
		}
		g, err := diffusion.NewGallery(data.MNISTSize*data.MNISTSize, flatImages(ds))
		if err != nil {
			return row, err
		}
		for _, x := range samples[k] {
			if x == nil {
				continue
			}
			raw, cen, err := g.Nearest(x)
			if err != nil {
				return row, err
			}
			near = append(near, raw.Cos)
			nearCentered = append(nearCentered, cen.Cos)
		}
	}
	row.NearestTrainCosQ1, row.NearestTrainCosMedian, row.NearestTrainCosQ3 = quartiles(near)
	_, row.NearestTrainCosCenteredMedian, _ = quartiles(nearCentered)
	if c.grids != "" {
		path := filepath.Join(c.grids, fmt.Sprintf("mnist-%s-n%d-pairs.png", c.size, n))
		if err := writePairGrid(path, samples[0], samples[1], data.MNISTSize); err != nil {
			return row, err
		}
	}
	for _, v := range []*float64{&row.PairCosMedian, &row.PairCosQ1, &row.PairCosQ3, &row.PairCosCenteredMedian,
		&row.NearestTrainCosMedian, &row.NearestTrainCosQ1, &row.NearestTrainCosQ3, &row.NearestTrainCosCenteredMedian, row.PSNRGap} {
		if v != nil {
			*v = math.Round(*v*1e4) / 1e4
		}
	}
	row.Seconds = math.Round(time.Since(start).Seconds()*10) / 10
	return row, nil
}

// runGeneralise runs the memorisation → generalisation test of Kadkhodaie,
// Guth, Simoncelli and Mallat (ICLR 2024, §2.2) on the MNIST sweep: for
// every N whose S1 and S2 nets are both in the weights folder, the two nets
// draw --pairs samples from shared noise, and it reports the similarity of
// the pairs, the similarity of each sample to its nearest training image,
// and the train − test PSNR gap of the denoisers.
func runGeneralise(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("generalise", flag.ContinueOnError)
	size := fs.String("size", "", "the sweep's nets: small (2 blocks, base 8) or large (3 blocks, base 16)")
	dir := fs.String("weights", filepath.Join("weights", "generalisation"), "folder of the sweep's nets mnist-SIZE-s{1,2}-nN.safetensors")
	pairs := fs.Int("pairs", 64, "sample pairs per N")
	seed := fs.Uint64("seed", 1, "noise seed (pair i uses noise stream i for both nets)")
	samplerName := fs.String("sampler", diffusion.SamplerKadkhodaie, "kadkhodaie or reverse-sde")
	preset := fs.String("preset", "paper", "kadkhodaie settings: paper or code")
	steps := fs.Int("steps", 0, "reverse-sde: number of steps (default 200); kadkhodaie: iteration cap (default 10000)")
	grids := fs.String("grids", "", "folder for PNG grids of the pairs (S1 rows above S2 rows), one per N")
	workers := fs.Int("workers", 1, "goroutines per net (0: all cores)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *size != "small" && *size != "large" {
		return fmt.Errorf("--size %q: want small or large", *size)
	}
	if err := checkIntFlag("pairs", *pairs, 1, maxPairs, "sample pairs"); err != nil {
		return err
	}
	if err := checkWorkers(*workers); err != nil {
		return err
	}
	spec, err := parseSamplerSpec(*samplerName, *preset, *steps, set)
	if err != nil {
		return err
	}
	if *grids != "" {
		if st, err := os.Stat(*grids); err != nil || !st.IsDir() {
			return fmt.Errorf("--grids %q: not a folder", *grids)
		}
	}
	ns, skipped, err := sweepNets(*dir, *size)
	if err != nil {
		return fmt.Errorf("--weights: %w", err)
	}
	for _, s := range skipped {
		fmt.Fprintf(stderr, "skipping N=%d: %s\n", s.N, s.Reason)
	}
	if len(ns) == 0 {
		return fmt.Errorf("no complete pair of %s nets (mnist-%s-s1-nN and -s2-nN) in %s", *size, *size, *dir)
	}
	manifest, err := nn.ReadManifest(filepath.Join(*dir, "manifest.json"))
	if err != nil {
		return err
	}
	mdir, err := data.MNISTDataDir()
	if err != nil {
		return err
	}
	train, test, err := data.LoadMNIST(mdir)
	if err != nil {
		return err
	}
	start := time.Now()
	c := &generaliseConfig{dir: *dir, size: *size, pairs: *pairs, seed: *seed, spec: spec, workers: *workers,
		grids: *grids, train: train, test: test, manifest: manifest, bar: newProgress(stderr, 2**pairs*len(ns))}
	fmt.Fprintf(stderr, "generalisation test, %s nets, N = %v: %d pairs each with %s\n", *size, ns, *pairs, spec)
	rep := generaliseReport{Size: *size, Weights: *dir, Sampler: spec.Sampler, Preset: spec.Preset, Settings: spec.String(),
		Pairs: *pairs, Seed: *seed, Results: []generaliseRow{}, Skipped: skipped}
	if rep.Skipped == nil {
		rep.Skipped = []generaliseSkip{}
	}
	for _, n := range ns {
		row, err := generaliseAt(context.Background(), c, n)
		if err != nil {
			return fmt.Errorf("N=%d: %w", n, err)
		}
		rep.Results = append(rep.Results, row)
	}
	c.bar.update(c.bar.total, "done", true)
	rep.Seconds = math.Round(time.Since(start).Seconds()*10) / 10
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printGeneralise(stdout, rep)
	return nil
}

// printGeneralise writes the report as a table.
func printGeneralise(w io.Writer, rep generaliseReport) {
	fmt.Fprintf(w, "generalisation test, %s nets in %s: %d pairs per N, %s\n", rep.Size, rep.Weights, rep.Pairs, rep.Settings)
	fmt.Fprintln(w, "      N  params   pair cos [q1 median q3]  centered   nearest-train cos [q1 median q3]  centered   PSNR gap  iters  seconds")
	for _, r := range rep.Results {
		gap := "     -"
		if r.PSNRGap != nil {
			gap = fmt.Sprintf("%6.2f", *r.PSNRGap)
		}
		fmt.Fprintf(w, "%7d %7d   %.3f %.3f %.3f       %.3f      %.3f %.3f %.3f                %.3f      %s dB  %5.1f  %7.1f\n",
			r.N, r.Params, r.PairCosQ1, r.PairCosMedian, r.PairCosQ3, r.PairCosCenteredMedian,
			r.NearestTrainCosQ1, r.NearestTrainCosMedian, r.NearestTrainCosQ3, r.NearestTrainCosCenteredMedian, gap, r.Iterations, r.Seconds)
	}
	for _, r := range rep.Results {
		if r.FailedSamples > 0 {
			fmt.Fprintf(w, "N=%d: %d of %d samples failed and are left out with their pairs: %s\n", r.N, r.FailedSamples, 2*r.Pairs, strings.Join(r.Failed, "; "))
		}
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(w, "skipped N=%d: %s\n", s.N, s.Reason)
	}
}

// pairGridCols is the number of pairs per row block of a pair grid.
const pairGridCols = 8

// writePairGrid writes the first pairs of samples as a PNG: blocks of
// pairGridCols columns, S1's samples in one row and S2's (same noise)
// in the row below, up to 8 blocks.
func writePairGrid(path string, s1, s2 [][]float64, size int) error {
	var order [][]float64
	for b := 0; b < min(8, (len(s1)+pairGridCols-1)/pairGridCols); b++ {
		lo, hi := b*pairGridCols, min(len(s1), (b+1)*pairGridCols)
		for _, set := range [][][]float64{s1, s2} {
			order = append(order, set[lo:hi]...)
			for i := hi; i < lo+pairGridCols; i++ {
				order = append(order, nil)
			}
		}
	}
	return writeGridPNG(path, order, size, pairGridCols)
}
