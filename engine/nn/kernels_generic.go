//go:build !amd64 || purego

package nn

// fastKernels returns nil: this build has only the portable scalar kernels
// (js/wasm, other architectures, and the purego build that benchmarks and
// tests them on amd64).
func fastKernels() convKernels { return nil }
