package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
)

// UNet is the bias-free U-Net of Kadkhodaie, Guth, Simoncelli and Mallat
// (ICLR 2024, App. A.1; code: LabForComputationalVision/
// memorization_generalization_in_diffusion_models, network.py), with one
// input and one output channel. With C_b = Base·2^b:
//
//	encoder b = 0:      Conv(1→C_0) → ReLU, Conv(C_0→C_0) → BN → ReLU
//	encoder b > 0:      [Conv → BN → ReLU] ×2 (C_{b−1}→C_b, C_b→C_b)
//	after each encoder: AvgPool 2×2 stride 2 (the block output is kept as skip_b)
//	middle:             [Conv → BN → ReLU] ×2 (C_{B−1}→C_B, C_B→C_B), B = Blocks
//	decoder b = B−1..0: ConvTranspose 2×2 stride 2 (C_{b+1}→C_b), cat([up, skip_b]),
//	                    b > 0: [Conv → BN → ReLU] ×2 (2C_b→C_b, C_b→C_b);
//	                    b = 0: Conv(2C_0→C_0) → BN → ReLU, then Conv(C_0→1).
//
// Convolutions are 3×3 with zero padding and no bias; BN is the bias-free
// batch normalisation (see BatchNormTrain). The output f(y) is the residual
// (noise estimate); the denoised image is y − f(y). In eval mode f is
// piecewise linear and homogeneous of degree 1.
//
// Parameter names follow the blocks: "enc0.conv1.weight", "enc0.bn2.gamma",
// "mid.conv1.weight", "dec1.up.weight", …; "dec0.conv2.weight" is the final
// C_0→1 convolution. BN buffers are named like their γ with "running_sd".
//
// A UNet caches one workspace per input shape and is not safe for concurrent
// use.
type UNet struct {
	cfg     UNetConfig
	params  []*Param
	buffers []*Param
	steps   []step
	acts    []actShape
	ops     *Ops
	evalWS  map[[3]int]*evalWorkspace
	trainWS *trainWorkspace
}

// step is one node of the network graph; in, in2 and out index activations.
type step struct {
	kind         int
	conv         *convLayer
	up           *upLayer
	in, in2, out int
}

const (
	stepConv = iota // conv (→ BN) (→ ReLU)
	stepPool        // 2×2 average pooling
	stepUp          // 2×2 stride-2 transposed convolution
	stepCat         // channel concatenation [in, in2]
)

// actShape is the channel count and resolution level (size H>>level) of an
// activation. Activation 0 is the input.
type actShape struct{ c, level int }

type convLayer struct {
	w          *Param // [cout][cin][3][3]
	gamma, rsd *Param // nil without BN
	cin, cout  int
	relu       bool
	fold       []float32 // eval weights w·γ/running_sd (BN layers only)
}

type upLayer struct {
	w         *Param // [cin][cout][2][2]
	cin, cout int
}

// NewUNet returns a U-Net initialised as by the authors, drawing from a PCG
// generator seeded with seed: 3×3 convolution weights are Kaiming normal
// with fan_in = Cin·9 and gain √2, N(0, 2/(9·Cin)); transposed-convolution
// weights are Kaiming normal with PyTorch's fan_in for the [Cin][Cout][2][2]
// layout, Cout·4; BN γ = clamp(randn·(2/9/64), ±0.025); running_sd = 1.
// The kernels use runtime.GOMAXPROCS(0) goroutines (see SetWorkers).
func NewUNet(cfg UNetConfig, seed uint64) (*UNet, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	u := &UNet{cfg: cfg, ops: NewOps(0), evalWS: map[[3]int]*evalWorkspace{}}
	b := unetBuilder{u: u, rng: rand.New(rand.NewPCG(seed, 0x5ca1e715e))}
	u.acts = []actShape{{c: 1}}
	x := 0
	skips := make([]int, cfg.Blocks)
	for blk := 0; blk < cfg.Blocks; blk++ {
		c := cfg.Base << blk
		name := fmt.Sprintf("enc%d", blk)
		x = b.conv(name+".conv1", name+".bn1", x, c, blk > 0, true)
		x = b.conv(name+".conv2", name+".bn2", x, c, true, true)
		skips[blk] = x
		x = b.add(step{kind: stepPool, in: x}, actShape{c: c, level: blk + 1})
	}
	cm := cfg.Base << cfg.Blocks
	x = b.conv("mid.conv1", "mid.bn1", x, cm, true, true)
	x = b.conv("mid.conv2", "mid.bn2", x, cm, true, true)
	for blk := cfg.Blocks - 1; blk >= 0; blk-- {
		c := cfg.Base << blk
		name := fmt.Sprintf("dec%d", blk)
		x = b.up(name+".up", x, c)
		x = b.add(step{kind: stepCat, in: x, in2: skips[blk]}, actShape{c: 2 * c, level: blk})
		x = b.conv(name+".conv1", name+".bn1", x, c, true, true)
		if blk > 0 {
			x = b.conv(name+".conv2", name+".bn2", x, c, true, true)
		} else {
			x = b.conv(name+".conv2", "", x, 1, false, false)
		}
	}
	return u, nil
}

type unetBuilder struct {
	u   *UNet
	rng *rand.Rand
}

func (b *unetBuilder) add(s step, a actShape) int {
	b.u.acts = append(b.u.acts, a)
	s.out = len(b.u.acts) - 1
	b.u.steps = append(b.u.steps, s)
	return s.out
}

func (b *unetBuilder) kaiming(p *Param, fanIn int) {
	sd := math.Sqrt(2 / float64(fanIn))
	for i := range p.Data {
		p.Data[i] = float32(sd * b.rng.NormFloat64())
	}
}

// conv adds a 3×3 convolution from activation in to cout channels, with BN
// (named bnName) when bn and a ReLU when relu.
func (b *unetBuilder) conv(name, bnName string, in, cout int, bn, relu bool) int {
	a := b.u.acts[in]
	l := &convLayer{cin: a.c, cout: cout, relu: relu}
	l.w = newParam(name+".weight", true, cout, a.c, 3, 3)
	b.kaiming(l.w, a.c*9)
	b.u.params = append(b.u.params, l.w)
	if bn {
		l.gamma = newParam(bnName+".gamma", true, cout)
		for i := range l.gamma.Data {
			l.gamma.Data[i] = float32(max(-0.025, min(0.025, b.rng.NormFloat64()*(2.0/9.0/64.0))))
		}
		l.rsd = newParam(bnName+".running_sd", false, cout)
		for i := range l.rsd.Data {
			l.rsd.Data[i] = 1
		}
		l.fold = make([]float32, len(l.w.Data))
		b.u.params = append(b.u.params, l.gamma)
		b.u.buffers = append(b.u.buffers, l.rsd)
	}
	return b.add(step{kind: stepConv, conv: l, in: in}, actShape{c: cout, level: a.level})
}

// up adds a 2×2 stride-2 transposed convolution to cout channels.
func (b *unetBuilder) up(name string, in, cout int) int {
	a := b.u.acts[in]
	l := &upLayer{cin: a.c, cout: cout}
	l.w = newParam(name+".weight", true, a.c, cout, 2, 2)
	b.kaiming(l.w, cout*4)
	b.u.params = append(b.u.params, l.w)
	return b.add(step{kind: stepUp, up: l, in: in}, actShape{c: cout, level: a.level - 1})
}

// Config returns the configuration the network was built with.
func (u *UNet) Config() UNetConfig { return u.cfg }

// Params returns the trainable parameters (convolution weights and BN γ) in
// forward order. The slice is shared; the Params may be modified in place.
func (u *UNet) Params() []*Param { return u.params }

// Buffers returns the non-trainable state, the BN running standard
// deviations (Grad == nil), in forward order.
func (u *UNet) Buffers() []*Param { return u.buffers }

// NumParams returns the number of trainable values. For {Blocks: 3,
// Base: 64} it is 7,659,264, the "7.6m" of the paper.
func (u *UNet) NumParams() int {
	n := 0
	for _, p := range u.params {
		n += len(p.Data)
	}
	return n
}

// ZeroGrad sets every parameter gradient to 0.
func (u *UNet) ZeroGrad() {
	for _, p := range u.params {
		clear(p.Grad)
	}
}

// SetWorkers sets the number of goroutines the kernels use (n ≤ 0 means
// runtime.GOMAXPROCS(0)); results do not depend on it beyond rounding.
func (u *UNet) SetWorkers(n int) {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	if n == u.ops.Workers() {
		return
	}
	k := u.ops.st.kern
	u.ops.Close()
	u.ops = NewOps(n)
	u.ops.st.kern = k
}

// SetKernels selects the 3×3 convolution kernels by name (Ops.SetKernels);
// NewUNet starts with DefaultKernels.
func (u *UNet) SetKernels(name string) error { return u.ops.SetKernels(name) }

// Kernels returns the name of the 3×3 convolution kernel set u uses.
func (u *UNet) Kernels() string { return u.ops.Kernels() }

// stackAt returns the stacked layout of an activation of a batch of n
// images of size h×w at the input.
func (u *UNet) stackAt(a actShape, n, h, w int) stack {
	return newStack(n, h>>a.level, w>>a.level)
}

// newActs allocates a tensor per activation for an n×1×h×w input, leaving
// nil the indices in skip.
func (u *UNet) newActs(n, h, w int, skip ...int) []*Tensor {
	t := make([]*Tensor, len(u.acts))
outer:
	for i, a := range u.acts {
		for _, s := range skip {
			if i == s {
				continue outer
			}
		}
		t[i] = NewTensor(n, a.c, h>>a.level, w>>a.level)
	}
	return t
}

// maxPlanes returns the largest stacked buffer a conv step needs, for its
// input (in) and its output (out) channels.
func (u *UNet) maxPlanes(n, h, w int) int {
	m := 0
	for _, s := range u.steps {
		if s.kind == stepConv {
			st := u.stackAt(u.acts[s.in], n, h, w)
			m = max(m, max(s.conv.cin, s.conv.cout)*st.plane)
		}
	}
	return m
}
