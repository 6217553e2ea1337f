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
package nn
