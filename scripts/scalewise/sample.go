package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"scalewise/engine/data"
	"scalewise/engine/diffusion"
	"scalewise/engine/field"
	"scalewise/engine/nn"
)

const (
	// maxSamples bounds sample --n.
	maxSamples = 4096
	// maxSampleSteps bounds --steps: the reverse SDE's steps, or the
	// iteration cap of Kadkhodaie's ascent.
	maxSampleSteps = 100_000
)

const sampleUsage = "sample --weights W.safetensors --n 16 --seed 1 [--sampler kadkhodaie|reverse-sde] [--preset paper|code] [--steps S] [--size 32] --out samples.npy"

// samplerSpec is the sampler a command line chose, with its settings.
type samplerSpec struct {
	diffusion.SamplerSettings
}

// parseSamplerSpec checks --sampler, --preset and --steps
// (diffusion.NewSamplerSettings); set holds the flags given on the command
// line. For Kadkhodaie's ascent --steps is the iteration cap (default
// diffusion.DefaultMaxIter), for the reverse SDE the number of steps
// (default 200); a --preset given with the reverse SDE is refused.
func parseSamplerSpec(name, preset string, steps int, set map[string]bool) (samplerSpec, error) {
	if set["steps"] {
		if err := checkIntFlag("steps", steps, 1, maxSampleSteps, "steps (reverse-sde) or iterations at most (kadkhodaie)"); err != nil {
			return samplerSpec{}, err
		}
	}
	if name == diffusion.SamplerReverseSDE && set["preset"] {
		return samplerSpec{}, fmt.Errorf("--preset %s: presets are for --sampler %s", preset, diffusion.SamplerKadkhodaie)
	}
	s, err := diffusion.NewSamplerSettings(diffusion.SamplerChoice{Sampler: name, Preset: preset, Steps: steps, MaxIter: steps}, maxSampleSteps)
	var bad *diffusion.SettingError
	if errors.As(err, &bad) {
		// Restated as the flag's error: --sampler "ddim": want ….
		v := fmt.Sprint(bad.Value)
		if name, ok := bad.Value.(string); ok {
			v = strconv.Quote(name)
		}
		return samplerSpec{}, fmt.Errorf("--%s %s: want %s", bad.Setting, v, bad.Want)
	}
	return samplerSpec{s}, err
}

// new returns the sampler of sample number index over den: its noise is
// stream index of seed, so that two nets sampled with the same seed and
// index see the same noise.
func (s samplerSpec) new(den diffusion.Denoiser, seed, index uint64) (diffusion.Sampler, error) {
	return s.NewSampler(den, diffusion.NewNoise(seed, index))
}

// String describes the sampler and its settings.
func (s samplerSpec) String() string {
	if s.Sampler == diffusion.SamplerKadkhodaie {
		c := s.Kadkhodaie
		return fmt.Sprintf("kadkhodaie, %s preset (h0=%g, beta=%g, sigma0=%g, sigmaL=%g, mean %g, at most %d iterations)",
			s.Preset, c.H0, c.Beta, c.Sigma0, c.SigmaL, c.Mean, c.MaxIter)
	}
	c := s.ReverseSDE
	return fmt.Sprintf("reverse-sde (%d Euler-Maruyama steps, sigma %g to %g, mean %g)", c.Steps, c.SigmaMax, c.SigmaMin, c.Mean)
}

// commandSize matches the --size flag of a training command.
var commandSize = regexp.MustCompile(`--size[ =](\d+)`)

// netImageSize returns the side of the images a net was trained on, from
// its metadata: 32 for MNIST nets (metadata "subset"), else the --size of
// the training command.
func netImageSize(md map[string]string) (int, bool) {
	if md["subset"] != "" {
		return data.MNISTSize, true
	}
	if m := commandSize.FindStringSubmatch(md["command"]); m != nil {
		if v, err := strconv.Atoi(m[1]); err == nil {
			return v, true
		}
	}
	return 0, false
}

// maxSampleSize bounds --size.
const maxSampleSize = 1024

// loadSamplingNet loads weights as a denoiser of size×size images (size 0:
// the net's training size from its metadata), with workers goroutines.
func loadSamplingNet(path string, size, workers int) (*diffusion.NetDenoiser, map[string]string, int, error) {
	u, md, err := nn.LoadUNetFile(path)
	if err != nil {
		return nil, nil, 0, err
	}
	u.SetWorkers(workers)
	if size == 0 {
		s, ok := netImageSize(md)
		if !ok {
			return nil, nil, 0, fmt.Errorf("%s: its metadata do not say the image size: give --size", path)
		}
		size = s
	}
	if m := u.Config().Multiple(); size < m || size > maxSampleSize || size%m != 0 {
		return nil, nil, 0, fmt.Errorf("--size %d: the %d-block net of %s takes sizes that are multiples of %d, up to %d", size, u.Config().Blocks, path, m, maxSampleSize)
	}
	den, err := diffusion.NewNetDenoiser(u, size, size)
	if err != nil {
		return nil, nil, 0, err
	}
	return den, md, size, nil
}

// drawSamples draws samples first … first+n−1 (noise streams of seed), and
// returns them with each one's iteration count. bar counts samples:
// the one being drawn is done0+i.
func drawSamples(ctx context.Context, spec samplerSpec, den diffusion.Denoiser, seed uint64, first, n int, bar *progress, done0 int, label string) ([][]float64, []int, error) {
	xs, iters, _, err := drawSamplesTolerant(ctx, spec, den, seed, first, n, bar, done0, label, false) // without tolerate, a failure is err
	return xs, iters, err
}

// drawSamplesTolerant is drawSamples; with tolerate set, a sample whose
// sampler fails (it diverges, or does not converge within its cap) is
// left nil and its error returned in failed, and the others are drawn;
// a cancelled ctx still ends the run with its error.
func drawSamplesTolerant(ctx context.Context, spec samplerSpec, den diffusion.Denoiser, seed uint64, first, n int, bar *progress, done0 int, label string,
	tolerate bool) ([][]float64, []int, []error, error) {
	var failed []error
	xs := make([][]float64, n)
	iters := make([]int, n)
	for i := range xs {
		s, err := spec.new(den, seed, uint64(first+i))
		if err != nil {
			return nil, nil, nil, err
		}
		x, err := s.Run(ctx, func(st diffusion.State) {
			if bar != nil {
				bar.update(done0+i, strings.TrimSpace(fmt.Sprintf("%s sample %d t=%d σ=%.3g", label, first+i, st.T, st.Sigma)), false)
			}
		})
		if err != nil {
			err = fmt.Errorf("%s sample %d: %w", label, first+i, err)
			if !tolerate || ctx.Err() != nil {
				return nil, nil, nil, err
			}
			failed = append(failed, err)
			continue
		}
		xs[i], iters[i] = x, s.State().T
	}
	return xs, iters, failed, nil
}

// gridGap is the gray border between the tiles of a sample grid.
const gridGap = 2

// sampleGrid lays out size×size images in a grid of cols columns (0:
// ⌈√n⌉), with a mid-gray border, enlarged by nearest neighbour to at least
// 512 pixels wide (up to 8 times). A nil image leaves its tile black.
func sampleGrid(xs [][]float64, size, cols int) *field.Field {
	if cols <= 0 {
		cols = int(math.Ceil(math.Sqrt(float64(len(xs)))))
	}
	rows := (len(xs) + cols - 1) / cols
	cell := size + gridGap
	g := field.New(cols*cell+gridGap, rows*cell+gridGap)
	for i := range g.Data {
		g.Data[i] = 0.5
	}
	for k, x := range xs {
		ox, oy := (k%cols)*cell+gridGap, (k/cols)*cell+gridGap
		for y := 0; y < size; y++ {
			row := g.Data[(oy+y)*g.W+ox : (oy+y)*g.W+ox+size]
			if x == nil {
				clear(row)
			} else {
				copy(row, x[y*size:(y+1)*size])
			}
		}
	}
	if f := min(8, (512+g.W-1)/g.W); f > 1 {
		return field.Upsample(g, f)
	}
	return g
}

// writeGridPNG writes images as a gray PNG grid (sampleGrid) with values
// clamped to [0, 1].
func writeGridPNG(path string, xs [][]float64, size, cols int) error {
	return field.WritePNGFile(path, sampleGrid(xs, size, cols), field.Gray, 0, 1)
}

// pngBeside returns path with its extension replaced by .png.
func pngBeside(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".png"
}

// runSample draws images from the prior implicit in a trained denoiser
// (engine/diffusion) and writes them as a float32 .npy stack (n, H, W) and
// a PNG grid beside it.
func runSample(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sample", flag.ContinueOnError)
	weights := fs.String("weights", "", "a .safetensors net written by scalewise train")
	n := fs.Int("n", 16, "number of samples")
	seed := fs.Uint64("seed", 1, "noise seed: sample i uses noise stream i of the seed")
	samplerName := fs.String("sampler", diffusion.SamplerKadkhodaie, "kadkhodaie (Kadkhodaie & Simoncelli's coarse-to-fine ascent) or reverse-sde (Euler-Maruyama, Song et al.)")
	preset := fs.String("preset", "paper", "kadkhodaie settings: paper (ICLR 2024 App. A.2) or code (the authors' code)")
	steps := fs.Int("steps", 0, "reverse-sde: number of steps (default 200); kadkhodaie: iteration cap (default 10000)")
	size := fs.Int("size", 0, "image side (0: the net's training size, 32 for MNIST)")
	workers := fs.Int("workers", 1, "goroutines per net (0: all cores)")
	out := fs.String("out", "", "output .npy; the PNG grid goes beside it")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *weights == "" {
		return fmt.Errorf("--weights is required")
	}
	if err := checkIntFlag("n", *n, 1, maxSamples, "samples"); err != nil {
		return err
	}
	if err := checkIntFlag("size", *size, 0, maxSampleSize, "pixels (0: from the weights)"); err != nil {
		return err
	}
	if err := checkWorkers(*workers); err != nil {
		return err
	}
	spec, err := parseSamplerSpec(*samplerName, *preset, *steps, set)
	if err != nil {
		return err
	}
	if err := checkOut(*out, ".npy"); err != nil {
		return err
	}
	den, _, side, err := loadSamplingNet(*weights, *size, *workers)
	if err != nil {
		return err
	}
	if err := checkStackSize(*n, side); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "sampling %d images of %d×%d from %s with %s\n", *n, side, side, *weights, spec)
	start := time.Now()
	bar := newProgress(stderr, *n)
	xs, iters, err := drawSamples(context.Background(), spec, den, *seed, 0, *n, bar, 0, "")
	if err != nil {
		return err
	}
	bar.update(*n, "done", true)
	secs := time.Since(start).Seconds()
	fields := make([]*field.Field, len(xs))
	for i, x := range xs {
		if fields[i], err = field.FromSlice(side, side, x); err != nil {
			return err
		}
	}
	arr, err := field.StackArray(fields)
	if err != nil {
		return err
	}
	if err := checkWritable(arr.Data, field.Float32, *weights, "sample value"); err != nil {
		return err
	}
	if err := field.WriteArrayFile(*out, arr, field.Float32); err != nil {
		return err
	}
	grid := pngBeside(*out)
	if err := writeGridPNG(grid, xs, side, 0); err != nil {
		return err
	}
	lo, hi, sum := iters[0], iters[0], 0
	for _, t := range iters {
		lo, hi, sum = min(lo, t), max(hi, t), sum+t
	}
	fmt.Fprintf(stdout, "wrote %s: (%d, %d, %d) float32, and the grid %s\n", *out, *n, side, side, grid)
	fmt.Fprintf(stdout, "%s: %d to %d iterations (mean %.1f), %.3f s per sample\n", spec.Sampler, lo, hi, float64(sum)/float64(*n), secs/float64(*n))
	return nil
}
