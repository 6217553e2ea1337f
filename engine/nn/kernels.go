package nn

import (
	"fmt"
	"strings"
)

// convKernels is one implementation of the inner loops of the 3×3
// convolution in the stacked layout (stack.go): the forward kernel (which
// also computes the input gradient, a convolution with flipped weights) and
// the weight-gradient correlation. The layer code above it (conv3x3.go) is
// shared: it packs the weights, splits the work into tasks of group()
// output channels and, for the cout mod group() channels left over, runs the
// one-channel scalar loops itself.
//
// Two sets exist: scalarKernels, portable Go that every build has (and the
// only one under js/wasm), and avx2Kernels, Go assembly for amd64 CPUs with
// AVX2 and FMA, chosen at run time (kernels_amd64.go).
type convKernels interface {
	// name identifies the set in benchmarks and manifests.
	name() string
	// group is the number of output channels one task computes together.
	group() int
	// tile is the flat run of positions one forward task covers;
	// group()·tile() ≤ tileBufLen.
	tile() int
	// pack writes w ([cout][cin][3][3]) into dst (same length), reordering
	// each of the cout/group() full groups of output channels into the
	// layout conv reads; the channels left over keep their layout and place.
	pack(dst, w []float32, cout, cin int)
	// conv sets o[k·n:(k+1)·n] for k < group() to output channel k of the
	// group with packed weights wg (group()·cin·9 values) at the flat
	// positions [qa, qa+n), from the cin stacked planes in:
	//
	//	o[k·n+j] = Σ_ci Σ_{ky,kx} w[k][ci][ky][kx] · in[ci·plane + qa+j + (ky−1)·wp + kx−1].
	// scratch is the calling worker's to grow and reuse.
	conv(o, in, wg []float32, s stack, cin, qa, n int, scratch *[]float32)
	// corr adds to dw ([cout][cin][3][3]) the weight gradient of output
	// channels co0 … co0+group()−1 against input channels [c0, c1), summed
	// over every flat position:
	//
	//	dw[co][ci][ky][kx] += Σ_q d[co·plane + q] · x[ci·plane + q + (ky−1)·wp + kx−1].
	//
	// scratch is the calling worker's to grow and reuse.
	corr(dw, x, d []float32, s stack, cin, co0, c0, c1 int, scratch *[]float32)
}

// tileBufLen is the per-worker tile buffer of the forward kernels, in
// float32 values.
const tileBufLen = 8 * tileLen

// KernelScalar and KernelAVX2 name the kernel sets (see Ops.SetKernels).
const (
	KernelScalar = "scalar"
	KernelAVX2   = "avx2"
)

// KernelSets lists the kernel sets this build can run on this CPU, fastest
// first; the first is the one NewOps chooses.
func KernelSets() []string {
	var names []string
	if k := fastKernels(); k != nil {
		names = append(names, k.name())
	}
	return append(names, KernelScalar)
}

// DefaultKernels returns the name of the kernel set NewOps chooses: the
// fastest this build runs on this CPU.
func DefaultKernels() string { return defaultKernels().name() }

func defaultKernels() convKernels {
	if k := fastKernels(); k != nil {
		return k
	}
	return scalarKernels{}
}

// kernelsByName returns the kernel set called name, or an error listing the
// sets this build and CPU can run.
func kernelsByName(name string) (convKernels, error) {
	if name == KernelScalar {
		return scalarKernels{}, nil
	}
	if k := fastKernels(); k != nil && k.name() == name {
		return k, nil
	}
	return nil, fmt.Errorf("nn: kernel set %q is not available here (this build and CPU run: %s)",
		name, strings.Join(KernelSets(), ", "))
}

// scalarKernels is the portable kernel set: eight output channels per pass
// over the input, the register-blocked loops of conv3x3_kernel.go and the
// per-architecture convRow8 and corrRow8.
type scalarKernels struct{}

func (scalarKernels) name() string { return KernelScalar }
func (scalarKernels) group() int   { return 8 }
func (scalarKernels) tile() int    { return tileLen }

func (scalarKernels) pack(dst, w []float32, cout, cin int) { pack8(dst, w, cout, cin) }

func (scalarKernels) conv(o, in, wg []float32, s stack, cin, qa, n int, _ *[]float32) {
	o = o[: 8*n : 8*n]
	clear(o)
	o0, o1, o2, o3 := o[0:n], o[n:2*n], o[2*n:3*n], o[3*n:4*n]
	o4, o5, o6, o7 := o[4*n:5*n], o[5*n:6*n], o[6*n:7*n], o[7*n:8*n]
	plane, wp := s.plane, s.wp
	for ci := 0; ci < cin; ci++ {
		src := in[ci*plane : ci*plane+plane]
		for ky := 0; ky < 3; ky++ {
			off := qa + (ky-1)*wp - 1
			convRow8(o0, o1, o2, o3, o4, o5, o6, o7, src[off:off+n+2],
				(*[24]float32)(wg[(ci*3+ky)*24:]))
		}
	}
}

func (scalarKernels) corr(dw, x, d []float32, s stack, cin, co0, c0, c1 int, _ *[]float32) {
	plane, wp := s.plane, s.wp
	for qa := s.q0; qa < s.q1; qa += tileLen {
		n := min(tileLen, s.q1-qa)
		dg := d[co0*plane:]
		d0, d1 := dg[qa:qa+n], dg[plane+qa:plane+qa+n]
		d2, d3 := dg[2*plane+qa:2*plane+qa+n], dg[3*plane+qa:3*plane+qa+n]
		d4, d5 := dg[4*plane+qa:4*plane+qa+n], dg[5*plane+qa:5*plane+qa+n]
		d6, d7 := dg[6*plane+qa:6*plane+qa+n], dg[7*plane+qa:7*plane+qa+n]
		for ci := c0; ci < c1; ci++ {
			src := x[ci*plane : ci*plane+plane]
			for ky := 0; ky < 3; ky++ {
				off := qa + (ky-1)*wp - 1
				var acc [24]float32
				corrRow8(&acc, d0, d1, d2, d3, d4, d5, d6, d7, src[off:off+n+2])
				for k := 0; k < 8; k++ {
					dwk := dw[((co0+k)*cin+ci)*9+ky*3:]
					dwk[0] += acc[3*k]
					dwk[1] += acc[3*k+1]
					dwk[2] += acc[3*k+2]
				}
			}
		}
	}
}
