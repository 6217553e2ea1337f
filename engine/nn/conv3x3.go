package nn

import "fmt"

// Conv3x3 computes the 3×3 cross-correlation with zero padding 1, stride 1
// and no bias, as in every convolution of the bias-free U-Net (Kadkhodaie et
// al., ICLR 2024, App. A.1; Mohan et al., ICLR 2020):
//
//	dst[n][co][y][x] = Σ_ci Σ_{ky,kx=0..2} w[co][ci][ky][kx] · x[n][ci][y+ky−1][x+kx−1],
//
// with x taken as 0 outside the image. w has the PyTorch layout
// [dst.C][x.C][3][3]; dst must be x.N×dst.C×x.H×x.W.
//
// The kernel computes eight output channels per pass over the input
// (register blocking), in the flat padded layout described in stack.go.
func (o *Ops) Conv3x3(dst, x *Tensor, w []float32) error {
	if err := checkConv3x3(dst, x, w); err != nil {
		return err
	}
	s := newStack(x.N, x.H, x.W)
	o.st.padA = grow(o.st.padA, x.C*s.plane)
	o.padStacked(o.st.padA, x, s)
	o.conv3x3Stacked(dst, o.st.padA, s, x.C, w, false)
	return nil
}

// Conv3x3BackwardInput computes the gradient with respect to the input of
// Conv3x3, dx = Wᵀ dy, which is itself a 3×3 convolution of dy with the
// kernels flipped in both directions and the channel axes swapped:
//
//	dx[n][ci][y][x] = Σ_co Σ_{ky,kx} w[co][ci][2−ky][2−kx] · dy[n][co][y+ky−1][x+kx−1].
//
// dx is overwritten; w is [dy.C][dx.C][3][3].
func (o *Ops) Conv3x3BackwardInput(dx, dy *Tensor, w []float32) error {
	if err := checkConv3x3(dy, dx, w); err != nil {
		return err
	}
	s := newStack(dy.N, dy.H, dy.W)
	o.st.padB = grow(o.st.padB, dy.C*s.plane)
	o.padStacked(o.st.padB, dy, s)
	o.conv3x3BackInputStacked(dx, o.st.padB, s, dx.C, dy.C, w, false)
	return nil
}

// Conv3x3BackwardWeight accumulates the gradient with respect to the
// weights of Conv3x3, the correlation of the input with the output gradient
// summed over the batch:
//
//	dw[co][ci][ky][kx] += Σ_n Σ_{y,x} dy[n][co][y][x] · x[n][ci][y+ky−1][x+kx−1].
//
// dw has the layout [dy.C][x.C][3][3] and is added to, not overwritten.
func (o *Ops) Conv3x3BackwardWeight(dw []float32, x, dy *Tensor) error {
	if err := checkConv3x3(dy, x, dw); err != nil {
		return err
	}
	s := newStack(x.N, x.H, x.W)
	o.st.padA = grow(o.st.padA, x.C*s.plane)
	o.st.padB = grow(o.st.padB, dy.C*s.plane)
	o.padStacked(o.st.padA, x, s)
	o.padStacked(o.st.padB, dy, s)
	o.conv3x3BackWeightStacked(dw, o.st.padA, o.st.padB, s, x.C, dy.C)
	return nil
}

// checkConv3x3 validates out (N×Cout×H×W), in (N×Cin×H×W) and w
// (Cout·Cin·9 values).
func checkConv3x3(out, in *Tensor, w []float32) error {
	if err := in.Check(); err != nil {
		return fmt.Errorf("conv3x3 input: %w", err)
	}
	if err := out.Check(); err != nil {
		return fmt.Errorf("conv3x3 output: %w", err)
	}
	if out.N != in.N || out.H != in.H || out.W != in.W {
		return fmt.Errorf("%w: conv3x3 maps %v to %v; batch and spatial sizes must agree", ErrShape, in, out)
	}
	if len(w) != out.C*in.C*9 {
		return fmt.Errorf("%w: conv3x3 %d→%d channels needs %d weights, got %d", ErrShape, in.C, out.C, out.C*in.C*9, len(w))
	}
	return nil
}

// padJob writes the channels of x into stacked planes.
type padJob struct {
	s   stack
	dst []float32
	x   *Tensor
}

func (j *padJob) do(c, _ int) {
	p := j.s.plane
	j.s.pad(j.dst[c*p:c*p+p], j.x, c)
}

// padStacked writes all channels of x into dst (x.C planes of s.plane).
func (o *Ops) padStacked(dst []float32, x *Tensor, s stack) {
	j := &o.st.padJob
	j.s, j.dst, j.x = s, dst, x
	o.run(j, x.C, float64(4*x.Len()))
	j.dst, j.x = nil, nil
}

// pack8 copies the [cout][cin][3][3] weights w into dst, reordering every
// full group of eight output channels g to [ci][ky][k][kx] so that the 24
// taps of one (ci, ky) pair are contiguous; remaining channels keep their
// layout and position.
func pack8(dst, w []float32, cout, cin int) {
	groups := cout / 8
	for g := 0; g < groups; g++ {
		base := g * 8 * cin * 9
		for k := 0; k < 8; k++ {
			src := w[(8*g+k)*cin*9 : (8*g+k+1)*cin*9]
			for ci := 0; ci < cin; ci++ {
				for ky := 0; ky < 3; ky++ {
					d := dst[base+(ci*3+ky)*24+3*k:]
					d[0], d[1], d[2] = src[ci*9+ky*3], src[ci*9+ky*3+1], src[ci*9+ky*3+2]
				}
			}
		}
	}
	copy(dst[groups*8*cin*9:cout*cin*9], w[groups*8*cin*9:cout*cin*9])
}

// flip3x3 writes into dst ([cin][cout][3][3]) the weights of the transposed
// convolution of w ([cout][cin][3][3]): dst[ci][co][ky][kx] = w[co][ci][2−ky][2−kx].
func flip3x3(dst, w []float32, cout, cin int) {
	for co := 0; co < cout; co++ {
		for ci := 0; ci < cin; ci++ {
			src := w[(co*cin+ci)*9 : (co*cin+ci)*9+9]
			d := dst[(ci*cout+co)*9 : (ci*cout+co)*9+9]
			for t := 0; t < 9; t++ {
				d[t] = src[8-t]
			}
		}
	}
}

// convJob is the forward 3×3 convolution over stacked input planes. Task t
// covers output channel group t/ntiles (a full group of k.group()
// channels, or one of the cout mod k.group() channels left over) on flat
// tile t mod ntiles.
type convJob struct {
	k         convKernels
	s         stack
	in        []float32
	cin, cout int
	w         []float32 // packed by k.pack
	out       *Tensor
	acc       bool
	tiles     [][]float32
	scratch   [][]float32 // per worker, the kernels'
	ntiles    int
	groups    int // full groups
	ngroups   int // full groups and left-over channels
}

func (j *convJob) do(t, worker int) {
	g, ti := t/j.ntiles, t%j.ntiles
	tl := j.k.tile()
	qa := j.s.q0 + ti*tl
	n := min(tl, j.s.q1-qa)
	buf := j.tiles[worker]
	plane, wp, cin := j.s.plane, j.s.wp, j.cin
	if gs := j.k.group(); g < j.groups {
		o := buf[: gs*n : gs*n]
		j.k.conv(o, j.in, j.w[g*gs*cin*9:(g+1)*gs*cin*9], j.s, cin, qa, n, &j.scratch[worker])
		for k := 0; k < gs; k++ {
			j.s.scatter(j.out, gs*g+k, o[k*n:(k+1)*n], qa, j.acc)
		}
		return
	}
	co := j.k.group()*j.groups + g - j.groups
	o := buf[:n:n]
	clear(o)
	wc := j.w[co*cin*9 : (co+1)*cin*9]
	for ci := 0; ci < cin; ci++ {
		src := j.in[ci*plane : ci*plane+plane]
		for ky := 0; ky < 3; ky++ {
			off := qa + (ky-1)*wp - 1
			k := wc[ci*9+ky*3 : ci*9+ky*3+3]
			convRow1(o, src[off:off+n+2], k[0], k[1], k[2])
		}
	}
	j.s.scatter(j.out, co, o, qa, j.acc)
}

// conv3x3Stacked sets (acc: adds to) dst the 3×3 convolution of the cin
// stacked planes in with weights w ([dst.C][cin][3][3], unpacked).
func (o *Ops) conv3x3Stacked(dst *Tensor, in []float32, s stack, cin int, w []float32, acc bool) {
	cout := dst.C
	k := o.st.kern
	o.st.packed = grow(o.st.packed, cout*cin*9)
	k.pack(o.st.packed, w, cout, cin)
	j := &o.st.convJob
	groups := cout / k.group()
	*j = convJob{
		k: k, s: s, in: in, cin: cin, cout: cout, w: o.st.packed, out: dst, acc: acc,
		tiles: o.st.tiles, scratch: o.st.kernScratch, ntiles: (s.span() + k.tile() - 1) / k.tile(),
		groups: groups, ngroups: groups + cout%k.group(),
	}
	o.run(j, j.ngroups*j.ntiles, Conv3x3Flops(cin, cout, s.n*s.h, s.w))
	*j = convJob{}
}

// conv3x3BackInputStacked sets (acc: adds to) dx the input gradient of the
// convolution cin→cout with weights w, given the stacked output gradient d
// (cout planes).
func (o *Ops) conv3x3BackInputStacked(dx *Tensor, d []float32, s stack, cin, cout int, w []float32, acc bool) {
	o.st.flipped = grow(o.st.flipped, cout*cin*9)
	flip3x3(o.st.flipped, w, cout, cin)
	o.conv3x3Stacked(dx, d, s, cout, o.st.flipped, acc)
}

// dwJob accumulates the weight gradient. Task t covers output channel group
// t/ciBlocks (as in convJob) and input channels block t mod ciBlocks; it
// walks all flat tiles so each (co, ci) entry has a single writer.
type dwJob struct {
	k         convKernels
	s         stack
	x, d      []float32 // stacked input (cin planes) and output gradient (cout planes)
	cin, cout int
	dw        []float32
	groups    int
	ciBlock   int
	ciBlocks  int
	scratch   [][]float32 // per worker
}

func (j *dwJob) do(t, worker int) {
	g, cb := t/j.ciBlocks, t%j.ciBlocks
	c0, c1 := cb*j.ciBlock, min(j.cin, (cb+1)*j.ciBlock)
	gs := j.k.group()
	if g < j.groups {
		j.k.corr(j.dw, j.x, j.d, j.s, j.cin, gs*g, c0, c1, &j.scratch[worker])
		return
	}
	plane, wp, cin := j.s.plane, j.s.wp, j.cin
	co := gs*j.groups + g - j.groups
	for qa := j.s.q0; qa < j.s.q1; qa += tileLen {
		n := min(tileLen, j.s.q1-qa)
		d := j.d[co*plane+qa : co*plane+qa+n]
		for ci := c0; ci < c1; ci++ {
			src := j.x[ci*plane : ci*plane+plane]
			for ky := 0; ky < 3; ky++ {
				off := qa + (ky-1)*wp - 1
				r0, r1, r2 := corrRow1(d, src[off:off+n+2])
				dw := j.dw[(co*cin+ci)*9+ky*3:]
				dw[0] += r0
				dw[1] += r1
				dw[2] += r2
			}
		}
	}
}

// conv3x3BackWeightStacked adds to dw ([cout][cin][3][3]) the weight
// gradient from the stacked input x (cin planes) and output gradient d
// (cout planes).
func (o *Ops) conv3x3BackWeightStacked(dw, x, d []float32, s stack, cin, cout int) {
	j := &o.st.dwJob
	k := o.st.kern
	groups := cout / k.group()
	ngroups := groups + cout%k.group()
	// Enough tasks for every worker while keeping blocks of input channels
	// long enough to amortise the output-gradient tile reloads.
	blocks := min(cin, max(1, (4*o.st.workers+ngroups-1)/ngroups))
	ciBlock := (cin + blocks - 1) / blocks
	*j = dwJob{
		k: k, s: s, x: x, d: d, cin: cin, cout: cout, dw: dw, groups: groups,
		ciBlock: ciBlock, ciBlocks: (cin + ciBlock - 1) / ciBlock, scratch: o.st.kernScratch,
	}
	o.run(j, ngroups*j.ciBlocks, Conv3x3Flops(cin, cout, s.n*s.h, s.w))
	*j = dwJob{}
}
