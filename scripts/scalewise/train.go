package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/nn"
)

// trainConfig is everything that determines a training run.
type trainConfig struct {
	Data      string  `json:"data"`
	Alpha     float64 `json:"alpha"`
	Size      int     `json:"size"`
	Blocks    int     `json:"blocks"`
	Base      int     `json:"base"`
	Steps     int     `json:"steps"`
	Batch     int     `json:"batch"`
	LR        float64 `json:"lr"`
	Seed      uint64  `json:"seed"`
	ValImages int     `json:"val_images"`
	Weighting string  `json:"weighting"`
	Floor     float64 `json:"weight_floor"`
	Init      string  `json:"init,omitempty"`
	// Workers is part of the run: summation order, and so the last bits of
	// the weights, depend on it.
	Workers int `json:"workers"`
	// Kernels is the 3×3 convolution kernel set (nn.KernelSets): like
	// Workers, it changes the last bits.
	Kernels string `json:"kernels"`
	// Subset and N choose an MNIST training subset (data mnist).
	Subset string `json:"subset,omitempty"`
	N      int    `json:"n,omitempty"`
}

// lossWeights returns the per-image loss weights of a batch with noise
// levels sigmas, normalised to mean 1: all 1 for "none" (the authors' plain
// sum, whose terms grow like σ²); 1/(σ + σ0) for "inv-sigma" (terms grow
// like σ); 1/(σ² + σ0²) for "inv-sigma2" (each image counts by its error
// relative to its noise). The floor σ0 keeps near-clean images from
// dominating.
func lossWeights(kind string, floor float64, sigmas []float64) []float32 {
	if kind == "none" {
		return nil
	}
	w := make([]float32, len(sigmas))
	sum := 0.0
	for i, s := range sigmas {
		v := 1 / (s + floor)
		if kind == "inv-sigma2" {
			v = 1 / (s*s + floor*floor)
		}
		w[i] = float32(v)
		sum += v
	}
	for i := range w {
		w[i] *= float32(float64(len(w)) / sum)
	}
	return w
}

// command is the scalewise command line that reproduces the run.
func (c trainConfig) command(out string) string {
	s := fmt.Sprintf("scalewise train --data %s", c.Data)
	if c.Data == "calpha" {
		s += fmt.Sprintf(" --alpha %g", c.Alpha)
	}
	if c.Data == "mnist" {
		s += fmt.Sprintf(" --subset %s --n %d", c.Subset, c.N)
	}
	if c.Init != "" {
		s += " --init " + filepath.ToSlash(c.Init)
	}
	return s + fmt.Sprintf(" --size %d --blocks %d --base %d --steps %d --batch %d --lr %g --weighting %s --weight-floor %g --seed %d --val %d --workers %d --kernels %s --out %s",
		c.Size, c.Blocks, c.Base, c.Steps, c.Batch, c.LR, c.Weighting, c.Floor, c.Seed, c.ValImages, c.Workers, c.Kernels, filepath.ToSlash(out))
}

// learningRate is the step-decayed rate: lr0 for the first half, then
// halved at 50%, 70%, 85% and 95% of the steps (the authors halve every 100
// of 1000 epochs; this compresses the same decay into a short run).
func learningRate(lr0 float64, step, steps int) float64 {
	f := float64(step) / float64(steps)
	lr := lr0
	for _, m := range []float64{0.5, 0.7, 0.85, 0.95} {
		if f >= m {
			lr /= 2
		}
	}
	return lr
}

// evalSigmas are the noise levels of validation and denoise-eval.
var evalSigmas = []float64{0.02, 0.05, 0.1, 0.2, 0.4}

// runTrain trains a bias-free U-Net denoiser (Kadkhodaie et al. 2024, A.1):
// blind noise σ = u², u ~ U[0,1], loss Σ(f(y) − (y − x))² per image, Adam,
// checkpoints to resume, a progress line, and a held-out validation at the
// end, then writes the weights and updates the manifest beside them.
func runTrain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	var c trainConfig
	fs.StringVar(&c.Data, "data", "calpha", "training data: calpha, drawing or mnist")
	fs.StringVar(&c.Subset, "subset", "s1", "MNIST training subset: s1 (from the first half of the training digits) or s2 (the second half; disjoint)")
	fs.IntVar(&c.N, "n", 0, "MNIST training subset size N (1 to 30000)")
	fs.StringVar(&c.Kernels, "kernels", nn.DefaultKernels(), "convolution kernels: "+strings.Join(nn.KernelSets(), " or ")+" (part of the run: results depend on it in the last bits)")
	fs.Float64Var(&c.Alpha, "alpha", 2, "C^alpha regularity (calpha data)")
	fs.IntVar(&c.Size, "size", 32, "training image size")
	fs.IntVar(&c.Blocks, "blocks", 3, "U-Net encoder/decoder blocks")
	fs.IntVar(&c.Base, "base", 16, "U-Net base channels")
	fs.IntVar(&c.Steps, "steps", 2000, "Adam steps")
	fs.IntVar(&c.Batch, "batch", 16, "images per step")
	fs.Float64Var(&c.LR, "lr", 1e-3, "initial learning rate")
	fs.Uint64Var(&c.Seed, "seed", 1, "seed of the initialisation, data and noise")
	fs.IntVar(&c.ValImages, "val", 256, "held-out validation images (64×64) per noise level")
	fs.StringVar(&c.Weighting, "weighting", "inv-sigma", "loss weight per image: inv-sigma (1/(σ+σ0)), inv-sigma2 (1/(σ²+σ0²)) or none (the authors' plain sum)")
	fs.Float64Var(&c.Floor, "weight-floor", 0.01, "σ0 of the loss weights")
	fs.StringVar(&c.Init, "init", "", "start from these weights (a second training stage) instead of a fresh initialisation")
	out := fs.String("out", "", "weights file to write (.safetensors); OUT.ckpt holds the checkpoint")
	every := fs.Int("checkpoint-every", 50, "steps between checkpoints")
	fresh := fs.Bool("fresh", false, "ignore an existing checkpoint")
	fs.IntVar(&c.Workers, "workers", runtime.NumCPU(), "goroutines for the kernels (part of the run: results depend on it in the last bits)")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	if *out == "" || !strings.HasSuffix(*out, ".safetensors") {
		return errors.New("--out must name a .safetensors file")
	}
	if c.Data != "mnist" {
		c.Subset, c.N = "", 0
	}
	if err := c.checkSizes(*every); err != nil {
		return err
	}
	ds, err := openDataset(c.Data, c.Alpha, c.Size, c.Subset, c.N)
	if err != nil {
		return err
	}
	if c.Weighting != "none" && c.Weighting != "inv-sigma" && c.Weighting != "inv-sigma2" {
		return fmt.Errorf("--weighting %q: want inv-sigma, inv-sigma2 or none", c.Weighting)
	}
	if !(c.Floor > 0) {
		return errors.New("--weight-floor must be positive")
	}
	if c.Size%(1<<c.Blocks) != 0 {
		return fmt.Errorf("--size %d must be a multiple of 2^blocks = %d", c.Size, 1<<c.Blocks)
	}
	if need := c.memory(); need > maxTrainMemory {
		return fmt.Errorf("--blocks %d --base %d (%d parameters) --batch %d --size %d: training would need about %.1f GiB; the limit is %d GiB (lower --batch, --base or --blocks)",
			c.Blocks, c.Base, nn.UNetConfig{Blocks: c.Blocks, Base: c.Base}.NumParams(), c.Batch, c.Size, float64(need)/(1<<30), maxTrainMemory>>30)
	}
	u, err := nn.NewUNet(nn.UNetConfig{Blocks: c.Blocks, Base: c.Base}, c.Seed)
	if err != nil {
		return err
	}
	initMeta := map[string]string{}
	if c.Init != "" {
		v, md, err := nn.LoadUNetFile(c.Init)
		if err != nil {
			return err
		}
		if v.Config() != u.Config() {
			return fmt.Errorf("--init %s is a %+v net, not %+v", c.Init, v.Config(), u.Config())
		}
		u, initMeta = v, md
	}
	u.SetWorkers(c.Workers)
	if err := u.SetKernels(c.Kernels); err != nil {
		return err
	}
	adam := nn.NewAdam(u.Params(), c.LR)
	ckpt := strings.TrimSuffix(*out, ".safetensors") + ".ckpt"
	step, elapsed := 0, 0.0
	if !*fresh {
		if s, e, err := loadCheckpoint(ckpt, c, u, adam); err == nil {
			step, elapsed = s, e
			fmt.Fprintf(stderr, "resuming %s from step %d\n", ckpt, step)
		} else if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("checkpoint %s: %w (use --fresh to start over)", ckpt, err)
		}
	}
	fmt.Fprintf(stderr, "training a %d-block, base-%d bias-free U-Net (%d parameters, %s kernels) on %s\n", c.Blocks, c.Base, u.NumParams(), c.Kernels, ds)

	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)
	defer signal.Stop(interrupt)

	batches := make(chan trainBatch, 2)
	stop := make(chan struct{})
	defer close(stop)
	go makeBatches(ds, c, step, batches, stop)

	bar := newProgress(stderr, c.Steps).startAt(step)
	t0 := time.Now()
	var lossSum float64
	var lossN int
	for ; step < c.Steps; step++ {
		b := <-batches
		if b.err != nil {
			return b.err
		}
		adam.SetLR(learningRate(c.LR, step, c.Steps))
		loss, err := u.TrainStepWeighted(b.y, b.target, lossWeights(c.Weighting, c.Floor, b.sigmas))
		if err != nil {
			return err
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return fmt.Errorf("training diverged at step %d (loss %v)", step, loss)
		}
		adam.Step()
		lossSum += loss
		lossN++
		rate := float64(lossN*c.Batch) / time.Since(t0).Seconds()
		bar.update(step+1, fmt.Sprintf("loss %.4f %.0f img/s lr %.2g", lossSum/float64(lossN), rate, adam.LR), false)
		if (step+1)%*every == 0 || step+1 == c.Steps {
			lossSum, lossN = 0, 0
			t0 = time.Now()
		}
		select {
		case <-interrupt:
			elapsed += time.Since(bar.start).Seconds()
			if err := saveCheckpoint(ckpt, c, u, adam, step+1, elapsed); err != nil {
				return err
			}
			return fmt.Errorf("interrupted at step %d; checkpoint saved to %s (run the same command to resume)", step+1, ckpt)
		default:
		}
		if (step+1)%*every == 0 && step+1 < c.Steps {
			if err := saveCheckpoint(ckpt, c, u, adam, step+1, elapsed+time.Since(bar.start).Seconds()); err != nil {
				return err
			}
		}
	}
	elapsed += time.Since(bar.start).Seconds()
	if err := saveCheckpoint(ckpt, c, u, adam, c.Steps, elapsed); err != nil {
		return err
	}

	evalSize := 64
	if c.Data == "mnist" {
		evalSize = ds.Size
	}
	fmt.Fprintf(stderr, "validating on %d held-out %d×%d images per noise level\n", c.ValImages, evalSize, evalSize)
	meta := map[string]string{
		"data":          ds.String(),
		"seed":          strconv.FormatUint(c.Seed, 10),
		"steps":         strconv.Itoa(c.Steps),
		"batch":         strconv.Itoa(c.Batch),
		"weighting":     fmt.Sprintf("%s, floor %g", c.Weighting, c.Floor),
		"train_seconds": fmt.Sprintf("%.0f", elapsed),
		"command":       c.command(*out),
	}
	if c.Data == "calpha" {
		meta["alpha"] = strconv.FormatFloat(c.Alpha, 'g', -1, 64)
	}
	if c.Data == "mnist" {
		meta["subset"], meta["n"] = c.Subset, strconv.Itoa(c.N)
	}
	meta["kernels"], meta["workers"] = c.Kernels, strconv.Itoa(c.Workers)
	if c.Init != "" {
		meta["init_command"] = initMeta["command"]
		meta["init_steps"] = initMeta["steps"]
		meta["init_weighting"] = initMeta["weighting"]
	}
	metrics := map[string]float64{}
	if c.ValImages > 0 {
		eds := ds
		if c.Data != "mnist" {
			eds, _ = denoise.ParseDataset(c.Data, c.Alpha, evalSize)
		}
		rows, err := evalNet(u, eds, c.ValImages, evalSigmas, denoise.HeldOutSeed)
		if err != nil {
			return err
		}
		for _, r := range rows {
			metrics[fmt.Sprintf("val_psnr_in_sigma_%g", r.Sigma)] = round2(r.PSNRIn)
			metrics[fmt.Sprintf("val_psnr_out_sigma_%g", r.Sigma)] = round2(r.PSNROut)
			fmt.Fprintf(stderr, "  σ=%-5g PSNR %6.2f → %6.2f dB\n", r.Sigma, r.PSNRIn, r.PSNROut)
		}
		if c.Data == "mnist" {
			// The same on the training subset: the train − test gap
			// measures memorisation (Kadkhodaie et al. 2024, §2.2).
			fmt.Fprintf(stderr, "and on %d images of the training subset\n", c.ValImages)
			rows, err := evalNet(u, ds, c.ValImages, evalSigmas, 0)
			if err != nil {
				return err
			}
			for _, r := range rows {
				metrics[fmt.Sprintf("train_psnr_out_sigma_%g", r.Sigma)] = round2(r.PSNROut)
				fmt.Fprintf(stderr, "  σ=%-5g PSNR %6.2f → %6.2f dB\n", r.Sigma, r.PSNRIn, r.PSNROut)
			}
		}
	}
	mj, _ := json.Marshal(metrics)
	meta["metrics"] = string(mj)
	if err := nn.SaveUNetFile(*out, u, meta); err != nil {
		return err
	}
	return recordWeights(*out, c, u, ds, metrics, elapsed, initMeta)
}

// checkSizes checks the sizes the flags ask for against their limits,
// before anything is allocated; every is --checkpoint-every.
func (c trainConfig) checkSizes(every int) error {
	if !(c.LR > 0) {
		return fmt.Errorf("--lr %v: the learning rate must be positive", c.LR)
	}
	if err := (nn.UNetConfig{Blocks: c.Blocks, Base: c.Base}).Validate(); err != nil {
		return fmt.Errorf("--blocks %d --base %d: %w", c.Blocks, c.Base, err)
	}
	for _, f := range []struct {
		name        string
		v, lo, hi   int
		description string
	}{
		{"steps", c.Steps, 1, maxTrainSteps, "Adam steps"},
		{"batch", c.Batch, 1, maxTrainBatch, "images per step"},
		{"val", c.ValImages, 0, maxValImages, "validation images per noise level"},
		{"workers", c.Workers, 1, maxWorkers, "goroutines"},
		{"checkpoint-every", every, 1, maxTrainSteps, "steps"},
	} {
		if err := checkIntFlag(f.name, f.v, f.lo, f.hi, f.description); err != nil {
			return err
		}
	}
	return nil
}

// memory estimates the bytes a training run holds: 20 per parameter (the
// weights, their gradient, the BN-folded copy and Adam's two moments, all
// float32) and 240·base·size² per image of a batch (its activations at
// every level, their gradients, the BN inputs and the stacked convolution
// inputs: about 60 float32 per base channel and pixel, measured at 3 MB
// per 32×32 image of a base-16 net).
func (c trainConfig) memory() int64 {
	p := nn.UNetConfig{Blocks: c.Blocks, Base: c.Base}.NumParams()
	return 20*p + 240*int64(c.Base)*int64(c.Size)*int64(c.Size)*int64(c.Batch)
}

// recordWeights adds or replaces the file's entry in the manifest beside it.
func recordWeights(out string, c trainConfig, u *nn.UNet, ds denoise.Dataset, metrics map[string]float64, elapsed float64, initMeta map[string]string) error {
	steps, seconds := c.Steps, elapsed
	extra := map[string]string{}
	if c.Init != "" {
		// A second stage: the entry counts both stages and names the first.
		extra["stage1_command"] = initMeta["command"]
		extra["stage1_steps"] = initMeta["steps"]
		if n, err := strconv.Atoi(initMeta["steps"]); err == nil && n >= 0 && n <= maxTrainSteps {
			steps += n
		}
		if t, err := strconv.ParseFloat(initMeta["train_seconds"], 64); err == nil && isFinite(t) && t >= 0 {
			seconds += t
		}
	}
	return upsertManifestEntry(out, func(_ *nn.Manifest, sum string, size int64) nn.ManifestEntry {
		return nn.ManifestEntry{
			File: filepath.Base(out), SHA256: sum, Bytes: size, Kind: "unet-denoiser",
			Command: c.command(out), Data: ds.String(), Seed: c.Seed, Steps: steps, Params: u.NumParams(),
			Metrics: metrics, TrainSeconds: math.Round(seconds),
			Extra: mergeStrings(extra, map[string]string{"weighting": fmt.Sprintf("%s, floor %g", c.Weighting, c.Floor), "blocks": strconv.Itoa(c.Blocks), "base": strconv.Itoa(c.Base), "batch": strconv.Itoa(c.Batch), "lr": strconv.FormatFloat(c.LR, 'g', -1, 64), "train_size": strconv.Itoa(c.Size), "kernels": c.Kernels, "workers": strconv.Itoa(c.Workers)}),
		}
	})
}

func mergeStrings(a, b map[string]string) map[string]string {
	for k, v := range b {
		a[k] = v
	}
	return a
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// trainBatch is one step's noisy images and their noise.
type trainBatch struct {
	y, target *nn.Tensor
	sigmas    []float64
	err       error
}

// makeBatches produces the batches of steps from, start on: image seeds
// below denoise.HeldOutSeed, one σ = u² per image, Gaussian noise, all
// determined by the seed and the step so a resumed run sees the same data.
func makeBatches(ds denoise.Dataset, c trainConfig, start int, out chan<- trainBatch, stop <-chan struct{}) {
	n := c.Size * c.Size
	for step := start; ; step++ {
		b := trainBatch{y: nn.NewTensor(c.Batch, 1, c.Size, c.Size), target: nn.NewTensor(c.Batch, 1, c.Size, c.Size)}
		rng := rand.New(rand.NewPCG(c.Seed, uint64(step)))
		for i := 0; i < c.Batch; i++ {
			seed := (c.Seed<<28 + uint64(step)*uint64(c.Batch) + uint64(i)) % denoise.HeldOutSeed
			x, err := ds.Image(seed)
			if err != nil {
				b.err = err
				break
			}
			sigma := denoise.TrainingSigma(rng.Float64())
			b.sigmas = append(b.sigmas, sigma)
			for k := 0; k < n; k++ {
				z := float32(sigma * rng.NormFloat64())
				b.target.Data[i*n+k] = z
				b.y.Data[i*n+k] = float32(x.Data[k]) + z
			}
		}
		select {
		case out <- b:
		case <-stop:
			return
		}
	}
}

// evalRow is the mean PSNR of a net at one noise level.
type evalRow struct {
	Sigma   float64 `json:"sigma"`
	PSNRIn  float64 `json:"psnr_in"`
	PSNROut float64 `json:"psnr_out"`
}

// heldOut returns n held-out clean images and their noisy versions at σ.
func heldOut(ds denoise.Dataset, n int, sigma float64) (clean, noisy []*field.Field, err error) {
	return noisyImages(ds, 0, n, sigma, denoise.HeldOutSeed)
}

// noisyImages returns the images i = from … to−1 of seeds first+i and
// their noisy versions at σ (noise seeded by i and σ).
func noisyImages(ds denoise.Dataset, from, to int, sigma float64, first uint64) (clean, noisy []*field.Field, err error) {
	for i := from; i < to; i++ {
		x, err := ds.Image(first + uint64(i))
		if err != nil {
			return nil, nil, err
		}
		clean = append(clean, x)
		noisy = append(noisy, denoise.AddNoise(x, sigma, denoise.HeldOutSeed+uint64(i)+uint64(1e6*sigma)))
	}
	return clean, noisy, nil
}

// evalChunk is the number of images evalNet holds at a time: a multiple of
// the batch of denoiseAll, so that the batches are those of one pass.
const evalChunk = 256

// evalNet denoises n images from seed first on (denoise.HeldOutSeed: the
// held-out ones) at each σ and returns mean PSNRs. It holds evalChunk
// images at a time, whatever n.
func evalNet(u *nn.UNet, ds denoise.Dataset, n int, sigmas []float64, first uint64) ([]evalRow, error) {
	var rows []evalRow
	for _, s := range sigmas {
		r := evalRow{Sigma: s}
		for from := 0; from < n; from += evalChunk {
			clean, noisy, err := noisyImages(ds, from, min(n, from+evalChunk), s, first)
			if err != nil {
				return nil, err
			}
			den, err := denoiseAll(u, noisy)
			if err != nil {
				return nil, err
			}
			for i := range clean {
				pi, _ := denoise.PSNR(clean[i], noisy[i])
				po, _ := denoise.PSNR(clean[i], den[i])
				r.PSNRIn += pi / float64(n)
				r.PSNROut += po / float64(n)
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// denoiseAll applies x̂ = y − f(y) to every field, in batches.
func denoiseAll(u *nn.UNet, ys []*field.Field) ([]*field.Field, error) {
	const batch = 16
	var out []*field.Field
	for i := 0; i < len(ys); i += batch {
		j := min(len(ys), i+batch)
		w, h := ys[i].W, ys[i].H
		t := nn.NewTensor(j-i, 1, h, w)
		for k := i; k < j; k++ {
			if ys[k].W != w || ys[k].H != h {
				return nil, errors.New("denoise: images of different sizes")
			}
			for p, v := range ys[k].Data {
				t.Data[(k-i)*w*h+p] = float32(v)
			}
		}
		r := nn.NewTensor(j-i, 1, h, w)
		if err := u.Residual(r, t); err != nil {
			return nil, err
		}
		for k := i; k < j; k++ {
			f := field.New(w, h)
			for p := range f.Data {
				f.Data[p] = float64(t.Data[(k-i)*w*h+p] - r.Data[(k-i)*w*h+p])
			}
			out = append(out, f)
		}
	}
	return out, nil
}

// lockFile takes an exclusive lock by creating path (runs training in
// parallel share the manifest), waiting up to a minute for another holder.
func lockFile(path string) (unlock func(), err error) {
	for i := 0; i < 600; i++ {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, fmt.Errorf("%s is held by another run (remove it if none is running)", path)
}
