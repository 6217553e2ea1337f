// Package nn implements the float32 building blocks of a bias-free
// convolutional denoiser and the U-Net of Kadkhodaie, Guth, Simoncelli and
// Mallat, "Generalization in diffusion models arises from geometry-adaptive
// harmonic representations", ICLR 2024, App. A.1 (the "P24 UNet"), with the
// bias-free batch normalisation of Mohan, Kadkhodaie, Simoncelli and
// Fernandez-Granda, "Robust and interpretable blind image denoising via
// bias-free convolutional neural networks", ICLR 2020.
//
// # Layout
//
// Tensors are float32 in NCHW order: element (n, c, y, x) of a Tensor t is
// t.Data[((n·C+c)·H+y)·W+x]. Convolution weights use the PyTorch layouts:
// a 3×3 convolution from Cin to Cout channels stores w[co][ci][ky][kx] and a
// 2×2 transposed convolution stores w[ci][co][dy][dx].
//
// # Bias-free networks
//
// No layer adds a constant: convolutions have no bias and the batch
// normalisation divides by a standard deviation and multiplies by γ without
// subtracting a mean or adding β. In eval mode every layer is then linear or
// ReLU, so the network f is piecewise linear and positively homogeneous of
// degree 1: f(a·y) = a·f(y) for a > 0 and f(y) = J_f(y)·y (P24, §2 and A.1).
//
// # Execution
//
// Kernels run through an Ops value, which owns reusable scratch memory and,
// when more than one worker is requested, a set of helper goroutines that
// split the work by batch, channel group or tile. Neither Ops nor UNet is safe
// for concurrent use. After a warm-up call for a given shape the forward
// passes do not allocate.
//
// # Performance
//
// The 3×3 kernels work on a zero-padded flat layout in which a whole batch
// of one channel is a single strip (see stack.go), so every inner loop is a
// long one-dimensional run with no edge cases and no bounds checks. Their
// inner loops come in kernel sets behind one interface (kernels.go); the
// layer code above them is shared:
//
//   - "scalar", portable Go that every build has and the only set under
//     js/wasm: eight output channels per pass over the input (register
//     blocking), and a weight gradient that correlates blocks of two (amd64)
//     or three (wasm) output channels with the input, keeping its
//     accumulators in registers. The variants differ per architecture
//     because they were measured to: files *_wasm.go and *_generic.go.
//   - "avx2", Go assembly for amd64 CPUs with AVX2 and FMA, chosen at run
//     time (kernels_amd64.go): blocks of four output channels × 24 positions
//     with twelve 8-lane accumulators held in registers over every tap, and
//     the 2×2 transposed convolution as matrix products
//     (convtranspose_gemm.go). About 75–80 GFLOP/s on one core here against
//     8 for the scalar set; build with -tags purego to leave it out.
//
// NewOps chooses the fastest set the CPU runs (DefaultKernels); SetKernels
// chooses another. Sets agree to float32 rounding, and every test of the
// kernels runs each set. Results do not depend on the number of workers.
//
// Under js/wasm GOMAXPROCS is 1 and the kernels run serially with no
// goroutine overhead. On amd64, building with GOAMD64=v3 lets the compiler
// fuse the multiply-adds of the scalar code into FMA instructions, ≈1.6×
// faster scalar kernels (the tests pass either way).
package nn
