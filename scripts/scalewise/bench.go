package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"

	dspfft "github.com/mjibson/go-dsp/fft"

	"scalewise/engine/cosmic"
	"scalewise/engine/field"
	"scalewise/engine/fourier"
	"scalewise/engine/geometry"
	"scalewise/engine/nn"
	"scalewise/engine/scattering"
	"scalewise/engine/wavelet"
	"scalewise/weights"
)

// benchCase is one timed operation of `scalewise bench`; its value is the
// time per operation in ms, or, when flops is set, the rate in GFLOP/s, or,
// when images is set, the rate in images per second.
type benchCase struct {
	key    string
	fn     func(b *testing.B)
	flops  float64
	images float64
}

// value converts a benchmark result to the case's unit.
func (c benchCase) value(r testing.BenchmarkResult) float64 {
	ns := float64(r.T.Nanoseconds()) / float64(max(1, r.N))
	switch {
	case c.flops > 0:
		return c.flops / ns
	case c.images > 0:
		return c.images * 1e9 / ns
	}
	return ns / 1e6
}

// isRate reports whether larger values are faster.
func (c benchCase) isRate() bool { return c.flops > 0 || c.images > 0 }

// trainBatch is the batch of the training benchmarks (and of make weights).
const benchTrainBatch = 16

func benchCases() []benchCase {
	dwt := func(inverse bool) func(b *testing.B) {
		return func(b *testing.B) {
			w, _ := wavelet.ByName("db4")
			t, err := wavelet.NewTransform(w, 256, 256, 5)
			if err != nil {
				b.Fatal(err)
			}
			r := rand.New(rand.NewPCG(1, 2))
			x := make([]float64, 256*256)
			for i := range x {
				x[i] = r.NormFloat64()
			}
			y := make([]float64, len(x))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if inverse {
					t.Inverse(y, x)
				} else {
					t.Forward(y, x)
				}
			}
		}
	}
	unet := func(blocks, base int) func(b *testing.B) {
		return func(b *testing.B) {
			u, err := nn.NewUNet(nn.UNetConfig{Blocks: blocks, Base: base}, 1)
			if err != nil {
				b.Fatal(err)
			}
			u.SetWorkers(1)
			y, r := nn.NewTensor(1, 1, 64, 64), nn.NewTensor(1, 1, 64, 64)
			for i := range y.Data {
				y.Data[i] = float32(i%13) / 13
			}
			u.Residual(r, y)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				u.Residual(r, y)
			}
		}
	}
	// conv times one 3×3 convolution kernel, 32→32 channels on one 64×64
	// image, on one goroutine.
	conv := func(f func(o *nn.Ops, x, y *nn.Tensor, w []float32)) func(b *testing.B) {
		return func(b *testing.B) {
			ops := nn.NewOps(1)
			defer ops.Close()
			x, y := nn.NewTensor(1, 32, 64, 64), nn.NewTensor(1, 32, 64, 64)
			w := make([]float32, 32*32*9)
			for i := range x.Data {
				x.Data[i] = float32(i%17) / 17
				y.Data[i] = float32(i%11)/11 - 0.5
			}
			for i := range w {
				w[i] = float32(i%7)/7 - 0.5
			}
			f(ops, x, y, w)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f(ops, x, y, w)
			}
		}
	}
	// train times one training step (forward, backward, Adam) of a base-16
	// U-Net on a batch of 16 noisy 32×32 images, on one goroutine.
	train := func(blocks, base int) func(b *testing.B) {
		return func(b *testing.B) {
			u, err := nn.NewUNet(nn.UNetConfig{Blocks: blocks, Base: base}, 1)
			if err != nil {
				b.Fatal(err)
			}
			u.SetWorkers(1)
			adam := nn.NewAdam(u.Params(), 1e-3)
			r := rand.New(rand.NewPCG(7, 8))
			y, noise := nn.NewTensor(benchTrainBatch, 1, 32, 32), nn.NewTensor(benchTrainBatch, 1, 32, 32)
			for i := range y.Data {
				noise.Data[i] = float32(0.1 * r.NormFloat64())
				y.Data[i] = float32(i%32)/32 + noise.Data[i]
			}
			step := func() {
				if _, err := u.TrainStep(y, noise); err != nil {
					b.Fatal(err)
				}
				adam.Step()
			}
			step()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				step()
			}
		}
	}
	// rgSample draws one full coarse-to-fine sample from the shipped RG
	// model of side l on one goroutine.
	rgSample := func(l int) func(b *testing.B) {
		return func(b *testing.B) {
			m, err := weights.RGModel(l)
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < b.N; i++ {
				if _, _, err := m.Sample(1, uint64(i), 1, nil); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	fft2 := func(n int, godsp bool) func(b *testing.B) {
		return func(b *testing.B) {
			r := rand.New(rand.NewPCG(3, uint64(n)))
			x := make([]complex128, n*n)
			for i := range x {
				x[i] = complex(r.NormFloat64(), r.NormFloat64())
			}
			if godsp {
				rows := make([][]complex128, n)
				for i := range rows {
					rows[i] = x[i*n : (i+1)*n]
				}
				dspfft.FFT2(rows) // fill go-dsp's twiddle caches
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					dspfft.FFT2(rows)
				}
				return
			}
			p, err := fourier.NewPlan2D(n, n)
			if err != nil {
				b.Fatal(err)
			}
			y := make([]complex128, n*n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := p.Forward(y, x); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	// scat prepares the scattering spectra of a 128² Zel'dovich density
	// (bump-steerable, J = 6, L = 4, as scat validate) against a second
	// one as the synthesis target.
	scat := func(b *testing.B) (*scattering.Operator, []float64, []float64) {
		bank, err := wavelet.NewDirectionalBank(wavelet.BumpSteerable, 128, 128, 6, 4)
		if err != nil {
			b.Fatal(err)
		}
		op, err := scattering.NewOperator(bank, scattering.SpectraOptions{})
		if err != nil {
			b.Fatal(err)
		}
		var xs [2][]float64
		for i := range xs {
			p := cosmic.DefaultParams(128)
			p.Seed = uint64(i + 1)
			f, err := cosmic.Zeldovich(p)
			if err != nil {
				b.Fatal(err)
			}
			xs[i] = f.Data
		}
		return op, xs[0], xs[1]
	}
	return []benchCase{
		{key: "fft2_128_gonum_ms", fn: fft2(128, false)},
		{key: "fft2_128_godsp_ms", fn: fft2(128, true)},
		{key: "fft2_96_gonum_ms", fn: fft2(96, false)},
		{key: "fft2_96_godsp_ms", fn: fft2(96, true)},
		{key: "scat_stats_128_ms", fn: func(b *testing.B) {
			op, x, _ := scat(b)
			s := op.NewSpectra()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := op.ComputeInto(s, x, nil); err != nil {
					b.Fatal(err)
				}
			}
		}},
		{key: "scat_lossgrad_128_iso_ms", fn: func(b *testing.B) {
			op, x, y := scat(b)
			ts, err := op.Compute(y, nil)
			if err != nil {
				b.Fatal(err)
			}
			tg, err := scattering.NewTarget(ts, scattering.Isotropic, nil)
			if err != nil {
				b.Fatal(err)
			}
			grad := make([]float64, len(x))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := op.LossGrad(x, tg, grad); err != nil {
					b.Fatal(err)
				}
			}
		}},
		{key: "conv3x3_gflops", flops: nn.Conv3x3Flops(32, 32, 64, 64), fn: conv(func(o *nn.Ops, x, y *nn.Tensor, w []float32) { o.Conv3x3(y, x, w) })},
		{key: "conv3x3_bwd_input_gflops", flops: nn.Conv3x3Flops(32, 32, 64, 64), fn: conv(func(o *nn.Ops, x, y *nn.Tensor, w []float32) { o.Conv3x3BackwardInput(x, y, w) })},
		{key: "conv3x3_bwd_weight_gflops", flops: nn.Conv3x3Flops(32, 32, 64, 64), fn: conv(func(o *nn.Ops, x, y *nn.Tensor, w []float32) { o.Conv3x3BackwardWeight(w, x, y) })},
		{key: "train_images_per_s_32_2block", images: benchTrainBatch, fn: train(2, 16)},
		{key: "train_images_per_s_32_3block", images: benchTrainBatch, fn: train(3, 16)},
		{key: "unet_forward_ms_64", fn: unet(2, 16)},
		{key: "unet_b3_base16_forward_ms_64", fn: unet(3, 16)},
		{key: "dwt_forward_256_db4_J5_ms", fn: dwt(false)},
		{key: "dwt_inverse_256_db4_J5_ms", fn: dwt(true)},
		{key: "calpha_128_ms", fn: func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := geometry.CAlpha(geometry.CAlphaOptions{Size: 128, Alpha: 2, Seed: uint64(i)}); err != nil {
					b.Fatal(err)
				}
			}
		}},
		{key: "render_gray_256_ms", fn: func(b *testing.B) {
			f := field.New(256, 256)
			for i := range f.Data {
				f.Data[i] = float64(i % 255)
			}
			buf := make([]byte, 4*256*256)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				field.RenderRGBA(buf, f, field.Gray, 0, 255)
			}
		}},
		{key: "rg_sample_32_ms", fn: rgSample(32)},
		{key: "rg_sample_64_ms", fn: rgSample(64)},
		{key: "scales_scene_128_db4_J4_ms", fn: scalesScene},
	}
}

// runBench times the engine's kernels in this process and, with --wasm,
// the same kernels compiled to js/wasm under Node, reporting wasm/native
// ratios from the one run.
func runBench(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object")
	withWasm := fs.Bool("wasm", false, "also build this command for js/wasm and run the same benchmarks under Node (needs the Go toolchain, the source tree and node)")
	withScalar := fs.Bool("scalar", false, "also build this command with only the portable scalar kernels (-tags purego, same GOAMD64) and run the same benchmarks, reporting the speed-up of this build's kernels")
	dist := fs.String("dist", "", "a built site folder whose sizes.json to include")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	report := map[string]any{"platform": goVersion(), "cpus": runtime.NumCPU(), "kernels": nn.DefaultKernels(), "goamd64": goamd64()}
	native := map[string]float64{}
	for _, c := range benchCases() {
		native[c.key] = c.value(testing.Benchmark(c.fn))
		if !*asJSON {
			fmt.Fprintf(stderr, "%-32s %10.3f\n", c.key, native[c.key])
		}
	}
	report["native"] = native
	// ratio divides a by b for times and b by a for rates, so that every
	// ratio reads "how many times slower a is than b".
	ratio := func(slow, fast map[string]float64) map[string]float64 {
		r := map[string]float64{}
		for _, c := range benchCases() {
			v, w := fast[c.key], slow[c.key]
			if v > 0 && w > 0 {
				if c.isRate() {
					r[c.key] = v / w
				} else {
					r[c.key] = w / v
				}
			}
		}
		return r
	}
	var scalar map[string]float64
	if *withScalar {
		rep, err := benchBuild(stderr, "native scalar", []string{"-tags", "purego"}, []string{"GOAMD64=" + goamd64()}, false)
		if err != nil {
			return fmt.Errorf("scalar benchmarks: %w", err)
		}
		scalar = rep.Native
		report["scalar"] = scalar
		report["scalar_kernels"] = rep.Kernels
		report["speedup_over_scalar"] = ratio(scalar, native)
	}
	if *withWasm {
		rep, err := benchBuild(stderr, "js/wasm", nil, []string{"GOOS=js", "GOARCH=wasm"}, true)
		if err != nil {
			return fmt.Errorf("wasm benchmarks: %w", err)
		}
		report["wasm"] = rep.Native
		report["wasm_kernels"] = rep.Kernels
		report["wasm_slowdown"] = ratio(rep.Native, native)
		if scalar != nil {
			report["wasm_slowdown_vs_scalar"] = ratio(rep.Native, scalar)
		}
	}
	if *dist != "" {
		b, err := os.ReadFile(filepath.Join(*dist, "sizes.json"))
		if err != nil {
			return fmt.Errorf("%w (run make dist)", err)
		}
		var sizes any
		if err := json.Unmarshal(b, &sizes); err != nil {
			return err
		}
		report["dist"] = sizes
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	b, _ := json.MarshalIndent(report, "", "  ")
	fmt.Fprintln(stdout, string(b))
	return nil
}

// benchReport is what a child `bench --json` prints that its parent reads.
type benchReport struct {
	Native  map[string]float64 `json:"native"`
	Kernels string             `json:"kernels"`
}

// benchBuild builds this command again (go build with extra flags and
// environment) and runs `bench --json` with it, under Node for js/wasm.
func benchBuild(stderr io.Writer, what string, flags, env []string, wasm bool) (benchReport, error) {
	var rep benchReport
	if runtime.GOOS == "js" {
		return rep, fmt.Errorf("cannot build %s from inside wasm", what)
	}
	dir, err := os.MkdirTemp("", "scalewise-bench")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "scalewise")
	args := append(append([]string{"build", "-trimpath"}, flags...), "-o", bin, "scalewise/scripts/scalewise")
	build := exec.Command("go", args...)
	build.Env = append(os.Environ(), env...)
	build.Stderr = stderr
	if err := build.Run(); err != nil {
		return rep, fmt.Errorf("go build for %s (run from the source tree): %w", what, err)
	}
	cmd := exec.Command(bin, "bench", "--json")
	if wasm {
		goroot, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			return rep, err
		}
		runner := filepath.Join(string(trimNL(goroot)), "lib", "wasm", "wasm_exec_node.js")
		cmd = exec.Command("node", runner, bin, "bench", "--json")
	}
	cmd.Stderr = stderr
	out, err := cmd.Output()
	if err != nil {
		return rep, fmt.Errorf("%s: %w", cmd.Path, err)
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		return rep, fmt.Errorf("%s bench output: %w", what, err)
	}
	return rep, nil
}

// goamd64 returns the GOAMD64 level this binary was built for ("v1" when
// not recorded).
func goamd64() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "GOAMD64" {
				return s.Value
			}
		}
	}
	return "v1"
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// scalesScene times the engine work of the Scales scene at 128², db4,
// J = 4: the C^α image, its pyramid and reconstruction, the projection
// P_{V_j} x of every scale, every panel rendered to RGBA, and the
// Fourier-plane band spectrum (the scene's own painting of the Mallat and
// Fourier panels is timed by ui/compute's BenchmarkScales).
func scalesScene(b *testing.B) {
	const n, J = 128, 4
	w, err := wavelet.ByName("db4")
	if err != nil {
		b.Fatal(err)
	}
	render := func(f *field.Field, c field.Colormap) {
		lo, hi := c.Limits(f)
		if err := field.RenderRGBA(make([]byte, 4*f.W*f.H), f, c, lo, hi); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < b.N; i++ {
		x, err := geometry.CAlpha(geometry.CAlphaOptions{Size: n, Alpha: 2, Method: geometry.CAlphaCode, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		p, err := wavelet.Decompose(w, x, J)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.Reconstruct(); err != nil {
			b.Fatal(err)
		}
		render(x, field.Gray)
		for j := 0; j <= J; j++ {
			proj, err := p.Projection(j)
			if err != nil {
				b.Fatal(err)
			}
			render(proj, field.Gray)
			render(p.Approx[j], field.Gray)
			if j >= 1 {
				for _, d := range p.Details[j] {
					render(d, field.Diverging)
				}
			}
		}
		if _, err := wavelet.BandSpectrum(w, n, J); err != nil {
			b.Fatal(err)
		}
	}
}
