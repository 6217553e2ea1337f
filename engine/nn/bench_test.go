package nn

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkConv3x3_32to32_64 measures the serial 3×3 convolution kernel,
// 32→32 channels on one 64×64 image, and reports GFLOP/s
// (2·Cin·Cout·9·H·W flops per call).
func BenchmarkConv3x3_32to32_64(b *testing.B) {
	benchConv(b, 1)
}

// BenchmarkConv3x3_32to32_64_Parallel is the same with GOMAXPROCS workers.
func BenchmarkConv3x3_32to32_64_Parallel(b *testing.B) {
	benchConv(b, 0)
}

func benchConv(b *testing.B, workers int) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := randTensor(rng, 1, 32, 64, 64)
	w := randSlice(rng, 32*32*9, 0.1)
	dst := NewTensor(1, 32, 64, 64)
	ops := NewOps(workers)
	defer ops.Close()
	if err := ops.Conv3x3(dst, x, w); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		ops.Conv3x3(dst, x, w)
	}
	b.ReportMetric(Conv3x3Flops(32, 32, 64, 64)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkConv3x3Backward_32to32_64 measures the serial input- and
// weight-gradient kernels of the same convolution (GFLOP/s of each).
func BenchmarkConv3x3Backward_32to32_64(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := randTensor(rng, 1, 32, 64, 64)
	dy := randTensor(rng, 1, 32, 64, 64)
	w := randSlice(rng, 32*32*9, 0.1)
	dw := make([]float32, len(w))
	ops := NewOps(1)
	b.Run("Input", func(b *testing.B) {
		for b.Loop() {
			ops.Conv3x3BackwardInput(x, dy, w)
		}
		b.ReportMetric(Conv3x3Flops(32, 32, 64, 64)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
	b.Run("Weight", func(b *testing.B) {
		for b.Loop() {
			ops.Conv3x3BackwardWeight(dw, x, dy)
		}
		b.ReportMetric(Conv3x3Flops(32, 32, 64, 64)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}

// BenchmarkUNetForward64 is one eval-mode forward pass (Residual) of the
// {Blocks: 3, Base: 16} U-Net on a 1×1×64×64 image, with GOMAXPROCS
// workers; it reports milliseconds per pass.
func BenchmarkUNetForward64(b *testing.B) {
	u, err := NewUNet(UNetConfig{Blocks: 3, Base: 16}, 1)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	y := randTensor(rng, 1, 1, 64, 64)
	out := NewTensor(1, 1, 64, 64)
	u.Residual(out, y)
	for b.Loop() {
		u.Residual(out, y)
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/pass")
}

// BenchmarkTrainStep is one TrainStep (forward, loss, backward) of the
// {Blocks: 3, Base: 16} U-Net on a batch of 16 images of 32×32; it reports
// images per second.
func BenchmarkTrainStep(b *testing.B) { benchTrain(b, 16, 32) }

// BenchmarkTrainStep48 is BenchmarkTrainStep at 48×48.
func BenchmarkTrainStep48(b *testing.B) { benchTrain(b, 16, 48) }

func benchTrain(b *testing.B, n, size int) {
	u, err := NewUNet(UNetConfig{Blocks: 3, Base: 16}, 1)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	y := NewTensor(n, 1, size, size)
	target := NewTensor(n, 1, size, size)
	smoothBatch(rng, y, target)
	u.TrainStep(y, target)
	for b.Loop() {
		u.TrainStep(y, target)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "images/s")
	b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/step")
}
