package nn

import "fmt"

// ConvTranspose2x2 computes the 2×2 transposed convolution with stride 2 and
// no bias (PyTorch ConvTranspose2d(kernel_size=2, stride=2, bias=False), the
// upsampling of the P24 U-Net decoder, Kadkhodaie et al., ICLR 2024, A.1):
//
//	dst[n][co][2y+dy][2x+dx] = Σ_ci w[ci][co][dy][dx] · x[n][ci][y][x],   dy, dx ∈ {0, 1}.
//
// w has the PyTorch layout [x.C][dst.C][2][2]; dst is N×Cout×2H×2W.
func (o *Ops) ConvTranspose2x2(dst, x *Tensor, w []float32) error {
	if err := checkConvT(x, dst, w); err != nil {
		return err
	}
	o.convT(convTForward, dst, x, nil, w, false)
	return nil
}

// ConvTranspose2x2BackwardInput sets dx to the input gradient of
// ConvTranspose2x2, a 2×2 convolution with stride 2:
//
//	dx[n][ci][y][x] = Σ_co Σ_{dy,dx} w[ci][co][dy][dx] · dy[n][co][2y+dy][2x+dx].
func (o *Ops) ConvTranspose2x2BackwardInput(dx, dy *Tensor, w []float32) error {
	if err := checkConvT(dx, dy, w); err != nil {
		return err
	}
	o.convT(convTBackInput, dx, nil, dy, w, false)
	return nil
}

// ConvTranspose2x2BackwardWeight adds to dw ([x.C][dy.C][2][2]) the weight
// gradient of ConvTranspose2x2:
//
//	dw[ci][co][dy][dx] += Σ_n Σ_{y,x} x[n][ci][y][x] · dy[n][co][2y+dy][2x+dx].
func (o *Ops) ConvTranspose2x2BackwardWeight(dw []float32, x, dy *Tensor) error {
	if err := checkConvT(x, dy, dw); err != nil {
		return err
	}
	o.convT(convTBackWeight, nil, x, dy, dw, false)
	return nil
}

func checkConvT(small, big *Tensor, w []float32) error {
	if err := small.Check(); err != nil {
		return err
	}
	if err := big.Check(); err != nil {
		return err
	}
	if small.N != big.N || big.H != 2*small.H || big.W != 2*small.W {
		return fmt.Errorf("%w: 2×2 transposed convolution from %v to %v", ErrShape, small, big)
	}
	if len(w) != small.C*big.C*4 {
		return fmt.Errorf("%w: 2×2 transposed convolution %d→%d channels needs %d weights, got %d",
			ErrShape, small.C, big.C, small.C*big.C*4, len(w))
	}
	return nil
}

const (
	convTForward = iota
	convTBackInput
	convTBackWeight
)

// convTJob runs one of the three transposed-convolution kernels. Tasks are
// (n, co) pairs for the forward pass, (n, ci) pairs for the input gradient
// and ci for the weight gradient, so that every output value has one writer.
type convTJob struct {
	mode      int
	out       *Tensor // forward: dst; back input: dx
	x, g      *Tensor // input and output gradient
	w         []float32
	cin, cout int
	acc       bool
}

// convT runs the kernel selected by mode; for the forward and input-gradient
// kernels acc adds to out instead of overwriting it.
func (o *Ops) convT(mode int, out, x, g *Tensor, w []float32, acc bool) {
	if k, ok := o.st.kern.(gemmKernels); ok {
		cin := out
		if mode != convTBackInput {
			cin = x
		}
		if convTGemmOK(mode, cin.C) {
			o.convTGemm(k, mode, out, x, g, w, acc)
			return
		}
	}
	j := &o.st.ctJob
	*j = convTJob{mode: mode, out: out, x: x, g: g, w: w, acc: acc}
	var small, big *Tensor
	var ntasks int
	switch mode {
	case convTForward:
		small, big = x, out
		ntasks = out.N * out.C
	case convTBackInput:
		small, big = out, g
		ntasks = out.N * out.C
	default:
		small, big = x, g
		ntasks = x.C
	}
	j.cin, j.cout = small.C, big.C
	o.run(j, ntasks, 8*float64(small.Len())*float64(big.C))
	*j = convTJob{}
}

func (j *convTJob) do(t, _ int) {
	switch j.mode {
	case convTForward:
		j.forward(t/j.cout, t%j.cout)
	case convTBackInput:
		j.backInput(t/j.cin, t%j.cin)
	default:
		j.backWeight(t)
	}
}

func (j *convTJob) forward(n, co int) {
	h, w := j.x.H, j.x.W
	o := j.out.Plane(n, co)
	if !j.acc {
		clear(o)
	}
	var k4 [16]float32
	ci := 0
	for ; ci+4 <= j.cin; ci += 4 {
		// Four input channels per pass: k4[4c+t] is tap t of channel ci+c.
		for c := 0; c < 4; c++ {
			copy(k4[4*c:4*c+4], j.w[((ci+c)*j.cout+co)*4:])
		}
		s0, s1 := j.x.Plane(n, ci), j.x.Plane(n, ci+1)
		s2, s3 := j.x.Plane(n, ci+2), j.x.Plane(n, ci+3)
		for y := 0; y < h; y++ {
			a := o[2*y*2*w : (2*y+1)*2*w]
			b := o[(2*y+1)*2*w : (2*y+2)*2*w]
			upRow4(a, b, s0[y*w:y*w+w], s1[y*w:y*w+w], s2[y*w:y*w+w], s3[y*w:y*w+w], &k4)
		}
	}
	for ; ci < j.cin; ci++ {
		src := j.x.Plane(n, ci)
		k := j.w[(ci*j.cout+co)*4 : (ci*j.cout+co)*4+4]
		w00, w01, w10, w11 := k[0], k[1], k[2], k[3]
		for y := 0; y < h; y++ {
			r := src[y*w : y*w+w]
			a := o[2*y*2*w : (2*y+1)*2*w]
			b := o[(2*y+1)*2*w : (2*y+2)*2*w]
			upRow(a, b, r, w00, w01, w10, w11)
		}
	}
}

// upRow4 adds, for four input rows r_c (c = 0..3) with taps k[4c+t],
//
//	a[2x+dx] += Σ_c k[4c+dx]·r_c[x],   b[2x+dx] += Σ_c k[4c+2+dx]·r_c[x],
//
// four input channels per pass over the output rows (≈1.6× faster than
// four upRow calls, natively and in wasm). len(a) = len(b) = 2·len(r0).
func upRow4(a, b, r0, r1, r2, r3 []float32, k *[16]float32) {
	n := len(r0)
	a, b = a[:2*n], b[:2*n]
	r1, r2, r3 = r1[:n], r2[:n], r3[:n]
	for x := 0; x < n; x++ {
		v0, v1, v2, v3 := r0[x], r1[x], r2[x], r3[x]
		pa, pb := a[2*x:2*x+2:2*x+2], b[2*x:2*x+2:2*x+2]
		pa[0] += k[0]*v0 + k[4]*v1 + k[8]*v2 + k[12]*v3
		pa[1] += k[1]*v0 + k[5]*v1 + k[9]*v2 + k[13]*v3
		pb[0] += k[2]*v0 + k[6]*v1 + k[10]*v2 + k[14]*v3
		pb[1] += k[3]*v0 + k[7]*v1 + k[11]*v2 + k[15]*v3
	}
}

// upRow adds a[2x] += w00·r[x], a[2x+1] += w01·r[x], b[2x] += w10·r[x],
// b[2x+1] += w11·r[x]; len(a) = len(b) = 2·len(r).
func upRow(a, b, r []float32, w00, w01, w10, w11 float32) {
	n := len(r)
	a, b = a[:2*n], b[:2*n]
	for x := 0; x < n; x++ {
		v := r[x]
		pa, pb := a[2*x:2*x+2:2*x+2], b[2*x:2*x+2:2*x+2]
		pa[0] += w00 * v
		pa[1] += w01 * v
		pb[0] += w10 * v
		pb[1] += w11 * v
	}
}

func (j *convTJob) backInput(n, ci int) {
	h, w := j.out.H, j.out.W
	d := j.out.Plane(n, ci)
	if !j.acc {
		clear(d)
	}
	var k4 [16]float32
	co := 0
	for ; co+4 <= j.cout; co += 4 {
		// Four output-gradient channels per pass: k4[4c+t] is tap t of co+c.
		copy(k4[:], j.w[(ci*j.cout+co)*4:(ci*j.cout+co+4)*4])
		g0, g1 := j.g.Plane(n, co), j.g.Plane(n, co+1)
		g2, g3 := j.g.Plane(n, co+2), j.g.Plane(n, co+3)
		for y := 0; y < h; y++ {
			e, o := 2*y*2*w, (2*y+1)*2*w
			downRow4(d[y*w:y*w+w], g0[e:e+2*w], g0[o:o+2*w], g1[e:e+2*w], g1[o:o+2*w],
				g2[e:e+2*w], g2[o:o+2*w], g3[e:e+2*w], g3[o:o+2*w], &k4)
		}
	}
	for ; co < j.cout; co++ {
		src := j.g.Plane(n, co)
		k := j.w[(ci*j.cout+co)*4 : (ci*j.cout+co)*4+4]
		w00, w01, w10, w11 := k[0], k[1], k[2], k[3]
		for y := 0; y < h; y++ {
			dr := d[y*w : y*w+w]
			a := src[2*y*2*w : (2*y+1)*2*w]
			b := src[(2*y+1)*2*w : (2*y+2)*2*w]
			downRow(dr, a, b, w00, w01, w10, w11)
		}
	}
}

// downRow4 adds d[x] += Σ_c k[4c]·a_c[2x] + k[4c+1]·a_c[2x+1] +
// k[4c+2]·b_c[2x] + k[4c+3]·b_c[2x+1] over four output-gradient channels c.
func downRow4(d, a0, b0, a1, b1, a2, b2, a3, b3 []float32, k *[16]float32) {
	n := len(d)
	a0, b0, a1, b1 = a0[:2*n], b0[:2*n], a1[:2*n], b1[:2*n]
	a2, b2, a3, b3 = a2[:2*n], b2[:2*n], a3[:2*n], b3[:2*n]
	for x := 0; x < n; x++ {
		i := 2 * x
		p0, q0 := a0[i:i+2:i+2], b0[i:i+2:i+2]
		p1, q1 := a1[i:i+2:i+2], b1[i:i+2:i+2]
		p2, q2 := a2[i:i+2:i+2], b2[i:i+2:i+2]
		p3, q3 := a3[i:i+2:i+2], b3[i:i+2:i+2]
		d[x] += k[0]*p0[0] + k[1]*p0[1] + k[2]*q0[0] + k[3]*q0[1] +
			k[4]*p1[0] + k[5]*p1[1] + k[6]*q1[0] + k[7]*q1[1] +
			k[8]*p2[0] + k[9]*p2[1] + k[10]*q2[0] + k[11]*q2[1] +
			k[12]*p3[0] + k[13]*p3[1] + k[14]*q3[0] + k[15]*q3[1]
	}
}

// downRow adds d[x] += w00·a[2x] + w01·a[2x+1] + w10·b[2x] + w11·b[2x+1].
func downRow(d, a, b []float32, w00, w01, w10, w11 float32) {
	n := len(d)
	a, b = a[:2*n], b[:2*n]
	for x := 0; x < n; x++ {
		pa, pb := a[2*x:2*x+2:2*x+2], b[2*x:2*x+2:2*x+2]
		d[x] += w00*pa[0] + w01*pa[1] + w10*pb[0] + w11*pb[1]
	}
}

func (j *convTJob) backWeight(ci int) {
	h, w := j.x.H, j.x.W
	for co := 0; co < j.cout; co++ {
		var s00, s01, s10, s11 float32
		for n := 0; n < j.x.N; n++ {
			src := j.x.Plane(n, ci)
			g := j.g.Plane(n, co)
			for y := 0; y < h; y++ {
				r := src[y*w : y*w+w]
				a := g[2*y*2*w : (2*y+1)*2*w]
				b := g[(2*y+1)*2*w : (2*y+2)*2*w]
				t00, t01, t10, t11 := corrUpRow(r, a, b)
				s00, s01, s10, s11 = s00+t00, s01+t01, s10+t10, s11+t11
			}
		}
		k := j.w[(ci*j.cout+co)*4 : (ci*j.cout+co)*4+4]
		k[0] += s00
		k[1] += s01
		k[2] += s10
		k[3] += s11
	}
}

// corrUpRow returns Σ_x r[x]·(a[2x], a[2x+1], b[2x], b[2x+1]).
func corrUpRow(r, a, b []float32) (s00, s01, s10, s11 float32) {
	n := len(r)
	a, b = a[:2*n], b[:2*n]
	for x := 0; x < n; x++ {
		v := r[x]
		pa, pb := a[2*x:2*x+2:2*x+2], b[2*x:2*x+2:2*x+2]
		s00 += v * pa[0]
		s01 += v * pa[1]
		s10 += v * pb[0]
		s11 += v * pb[1]
	}
	return
}
