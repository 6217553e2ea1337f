package nn

// gemmKernels is the optional capability of a kernel set that multiplies
// small matrices fast. With it the 2×2 transposed convolution runs as
// matrix products (below); sets without it (scalarKernels) keep the direct
// loops of convtranspose.go.
type gemmKernels interface {
	// gemm4 sets, for m < 4 and p < n,
	//
	//	dst[m·ds + p] = Σ_{i<k} w[4i + m] · src[i·ss + p].
	gemm4(dst []float32, ds int, src []float32, ss int, w []float32, k, n int)
	// dot4x3 adds, for m < 4, j < 3, the products Σ_{p<n} a[m·as + p]·b[j·bs + p]
	// into the eight lanes acc[(3m+j)·8 : (3m+j)·8+8] (the caller sums the
	// lanes).
	dot4x3(acc, a []float32, as int, b []float32, bs int, n int)
}

// The 2×2 stride-2 transposed convolution is a matrix product per image once
// the four sub-pixel positions (dy, dx) of the large image are separated:
// with P = H·W pixels of the small image and G[co][d][p] = big[co][2y+dy][2x+dx]
// (d = 2dy+dx, p = y·W+x),
//
//	forward:       G[co][d][p]   = Σ_ci w[ci][co][d] · x[ci][p]
//	input grad:    dx[ci][p]     = Σ_{co,d} w[ci][co][d] · G[co][d][p]
//	weight grad:   dw[ci][co][d] = Σ_n Σ_p x[n][ci][p] · G[n][co][d][p].
//
// The forward product writes G in tiles and interleaves it into the output;
// the two gradients first separate the output gradient into G (one pass).

// gemmTile is the run of pixels one product task covers (a multiple of 24,
// the kernels' block).
const gemmTile = 480

const (
	convTSplit = iota + convTBackWeight + 1 // separate the sub-pixels of g into G
)

// convTGemmJob runs one phase of the product form of a transposed
// convolution.
type convTGemmJob struct {
	k         gemmKernels
	mode      int
	out       *Tensor // forward: dst; input gradient: dx
	x, g      *Tensor
	cin, cout int
	p, w      int       // pixels of the small image, its width
	packed    []float32 // weights packed for gemm4
	G         []float32 // separated output gradient, N×cout×4×P
	tiles     [][]float32
	scratch   [][]float32
	dw        []float32
	ntiles    int
	acc       bool
}

// convTGemmOK reports whether the product form applies: the weight gradient
// takes input channels three at a time, so it needs cin ≥ 3.
func convTGemmOK(mode, cin int) bool { return mode != convTBackWeight || cin >= 3 }

// convTGemm runs the transposed-convolution kernel selected by mode as
// products through k (same contract as convT).
func (o *Ops) convTGemm(k gemmKernels, mode int, out, x, g *Tensor, w []float32, acc bool) {
	j := &o.st.ctgJob
	var small, big *Tensor
	switch mode {
	case convTForward:
		small, big = x, out
	case convTBackInput:
		small, big = out, g
	default:
		small, big = x, g
	}
	cin, cout := small.C, big.C
	p := small.H * small.W
	*j = convTGemmJob{
		k: k, out: out, x: x, g: g, cin: cin, cout: cout, p: p, w: small.W,
		tiles: o.st.tiles, scratch: o.st.kernScratch, ntiles: (p + gemmTile - 1) / gemmTile, acc: acc,
	}
	flops := 8 * float64(small.Len()) * float64(cout)
	o.st.packed = grow(o.st.packed, cin*cout*4)
	j.packed = o.st.packed[:cin*cout*4]
	if mode != convTForward {
		o.st.convTG = grow(o.st.convTG, big.Len())
		j.G = o.st.convTG[:big.Len()]
		j.mode = convTSplit
		o.run(j, big.N*cout, float64(big.Len()))
	}
	j.mode = mode
	switch mode {
	case convTForward:
		// packed[co][ci][d] = w[ci][co][d]
		for ci := 0; ci < cin; ci++ {
			for co := 0; co < cout; co++ {
				copy(j.packed[(co*cin+ci)*4:(co*cin+ci)*4+4], w[(ci*cout+co)*4:])
			}
		}
		o.run(j, small.N*cout*j.ntiles, flops)
	case convTBackInput:
		// Each full group of four input channels packed [(co,d)][m];
		// the channels left over keep w's layout.
		kk := 4 * cout
		groups := cin / 4
		for g4 := 0; g4 < groups; g4++ {
			for m := 0; m < 4; m++ {
				src := w[(4*g4+m)*kk : (4*g4+m+1)*kk]
				for i, v := range src {
					j.packed[g4*4*kk+4*i+m] = v
				}
			}
		}
		copy(j.packed[groups*4*kk:], w[groups*4*kk:cin*kk])
		o.run(j, small.N*(groups+cin%4)*j.ntiles, flops)
	default:
		j.dw = w
		o.run(j, cout, flops)
	}
	*j = convTGemmJob{}
}

func (j *convTGemmJob) do(t, worker int) {
	switch j.mode {
	case convTSplit:
		j.split(t/j.cout, t%j.cout)
	case convTForward:
		j.forward(t, worker)
	case convTBackInput:
		j.backInput(t, worker)
	default:
		j.backWeight(t, worker)
	}
}

// split writes the four sub-pixel planes of g's plane (n, co) into G.
func (j *convTGemmJob) split(n, co int) {
	src := j.g.Plane(n, co)
	p, w := j.p, j.w
	dst := j.G[(n*j.cout+co)*4*p : (n*j.cout+co+1)*4*p]
	g0, g1, g2, g3 := dst[:p], dst[p:2*p], dst[2*p:3*p], dst[3*p:]
	for y := 0; y < p/w; y++ {
		a := src[2*y*2*w : (2*y+1)*2*w]
		b := src[(2*y+1)*2*w : (2*y+2)*2*w]
		r0, r1, r2, r3 := g0[y*w:y*w+w], g1[y*w:y*w+w], g2[y*w:y*w+w], g3[y*w:y*w+w]
		for x := range r0 {
			r0[x], r1[x] = a[2*x], a[2*x+1]
			r2[x], r3[x] = b[2*x], b[2*x+1]
		}
	}
}

// forward computes tile t mod ntiles of output plane (n, co), task t =
// (n·ntiles + tile)·cout + co, and interleaves it into the output.
func (j *convTGemmJob) forward(t, worker int) {
	co, rest := t%j.cout, t/j.cout
	n, tile := rest/j.ntiles, rest%j.ntiles
	p0 := tile * gemmTile
	m := min(gemmTile, j.p-p0)
	buf := j.tiles[worker][:4*m]
	j.k.gemm4(buf, m, j.x.Data[n*j.cin*j.p+p0:], j.p, j.packed[co*j.cin*4:(co+1)*j.cin*4], j.cin, m)
	o := j.out.Plane(n, co)
	w := j.w
	for p := p0; p < p0+m; {
		y, x := p/w, p%w
		run := min(w-x, p0+m-p) // pixels left on this row
		a := o[2*y*2*w+2*x : 2*y*2*w+2*(x+run)]
		b := o[(2*y+1)*2*w+2*x : (2*y+1)*2*w+2*(x+run)]
		i := p - p0
		s0, s1, s2, s3 := buf[i:i+run], buf[m+i:m+i+run], buf[2*m+i:2*m+i+run], buf[3*m+i:3*m+i+run]
		if j.acc {
			for q := range s0 {
				a[2*q] += s0[q]
				a[2*q+1] += s1[q]
				b[2*q] += s2[q]
				b[2*q+1] += s3[q]
			}
		} else {
			for q := range s0 {
				a[2*q], a[2*q+1] = s0[q], s1[q]
				b[2*q], b[2*q+1] = s2[q], s3[q]
			}
		}
		p += run
	}
}

// backInput computes tile t mod ntiles of the input-gradient planes of one
// group of four input channels (or one channel left over) of image n.
func (j *convTGemmJob) backInput(t, worker int) {
	groups := j.cin / 4
	ng := groups + j.cin%4
	g, rest := t%ng, t/ng
	n, tile := rest/j.ntiles, rest%j.ntiles
	p0 := tile * gemmTile
	m := min(gemmTile, j.p-p0)
	kk := 4 * j.cout
	G := j.G[n*kk*j.p:]
	if g < groups {
		buf := j.tiles[worker][:4*m]
		j.k.gemm4(buf, m, G[p0:], j.p, j.packed[g*4*kk:(g+1)*4*kk], kk, m)
		for c := 0; c < 4; c++ {
			dst := j.out.Plane(n, 4*g+c)[p0 : p0+m]
			if j.acc {
				addTo(dst, buf[c*m:(c+1)*m])
			} else {
				copy(dst, buf[c*m:(c+1)*m])
			}
		}
		return
	}
	ci := 4*groups + g - groups
	dst := j.out.Plane(n, ci)[p0 : p0+m]
	if !j.acc {
		clear(dst)
	}
	wc := j.packed[ci*kk : (ci+1)*kk]
	for i, wv := range wc {
		src := G[i*j.p+p0 : i*j.p+p0+m]
		for q, v := range src {
			dst[q] += wv * v
		}
	}
}

// backWeight adds to dw[ci][co][·] for every ci the weight gradient of
// output channel co, summed over the batch: input channels three at a time
// (the last three overlap the one before when 3 ∤ cin).
func (j *convTGemmJob) backWeight(co, worker int) {
	cin, p := j.cin, j.p
	triples := (cin + 2) / 3
	j.scratch[worker] = grow(j.scratch[worker], triples*96)
	acc := j.scratch[worker][:triples*96]
	clear(acc)
	first := func(t int) int { return min(3*t, cin-3) }
	for n := 0; n < j.x.N; n++ {
		a := j.G[(n*j.cout+co)*4*p:]
		for t := 0; t < triples; t++ {
			j.k.dot4x3(acc[96*t:96*t+96], a, p, j.x.Data[(n*cin+first(t))*p:], p, p)
		}
	}
	for t := 0; t < triples; t++ {
		c0 := first(t)
		for jj := 3*t - c0; jj < 3; jj++ { // skip channels the triple before has
			ci := c0 + jj
			for d := 0; d < 4; d++ {
				j.dw[(ci*j.cout+co)*4+d] += sumLanes8((*[8]float32)(acc[96*t+(3*d+jj)*8:]))
			}
		}
	}
}

// sumLanes8 returns the sum of eight accumulator lanes, pairwise.
func sumLanes8(l *[8]float32) float32 {
	return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]))
}
