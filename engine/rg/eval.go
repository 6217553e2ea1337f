package rg

import (
	"fmt"
	"math"

	"scalewise/engine/wavelet"
)

// compiled holds the read-only data of one scale needed to evaluate its
// energy: the sigmoid basis with its coefficients θ^V and the quadratic
// terms folded into convolution kernels K_{a,b}(r), so that
//
//	∂/∂u_a(q) Σ_t θ_t Φ_t = Σ_b Σ_r K_{a,b}(r) u_b(q+r),
//	K_{a,b}(r) = Σ_{t, components (a, α, b, r) of t} θ_t α.
type compiled struct {
	cond   bool
	n, N   int // coarse grid (channels) and grid of the potential field
	S      int
	K      int
	sig    sigmoids
	thetaV []float64
	kern   [4][4][]float64 // kern[a][b], (2S+1)² values indexed (ry+S)(2S+1)+rx+S; nil if zero
	lo, hi float64         // window on the potential field
	dim    int             // number of varying coordinates
	vary   []int
	scat   *scatCompiled // scattering terms (nil: none)
	pre    *precond      // mass matrix of preconditioned MALA (nil: plain MALA)
}

func compile(sc *Scale) *compiled {
	return compileWith(sc, nil)
}

// compileWith is compile; wv is the wavelet of the scattering terms' db4
// levels (nil: db4), used only when the scale has scattering terms.
func compileWith(sc *Scale, wv *wavelet.Wavelet) *compiled {
	c := &compiled{
		cond: sc.Conditional, n: sc.CoarseGrid, N: sc.Grid, S: sc.Stencil,
		K: len(sc.Centres), sig: newSigmoids(sc.Centres, sc.Width),
		thetaV: sc.Theta[:len(sc.Centres)], lo: sc.WindowLo, hi: sc.WindowHi,
		vary: varyingChannels(sc.Conditional),
	}
	c.dim = len(c.vary) * c.n * c.n
	w := 2*c.S + 1
	for i, t := range sc.Terms {
		th := sc.Theta[c.K+i]
		for _, cp := range t.components() {
			if c.kern[cp.A][cp.B] == nil {
				c.kern[cp.A][cp.B] = make([]float64, w*w)
			}
			c.kern[cp.A][cp.B][(cp.RY+c.S)*w+cp.RX+c.S] += th * cp.Alpha
		}
	}
	if sc.Scattering != nil && c.cond {
		if wv == nil {
			var err error
			if wv, err = wavelet.ByName("db4"); err != nil {
				c.scat = &scatCompiled{err: err}
				return c
			}
		}
		c.scat = compileScat(sc.Scattering, sc.Theta[c.K+len(sc.Terms):], c.N, wv)
	}
	c.pre = precondFor(sc, c)
	return c
}

// padPeriodic writes src (n×n) periodically extended by s on every side
// into dst ((n+2s)² values): dst[(y+s)(n+2s) + x+s] = src(y mod n, x mod n).
func padPeriodic(dst, src []float64, n, s int) {
	p := n + 2*s
	for yy := 0; yy < p; yy++ {
		sr := src[mod(yy-s, n)*n : mod(yy-s, n)*n+n]
		d := dst[yy*p : yy*p+p]
		for xx := range d {
			d[xx] = sr[mod(xx-s, n)]
		}
	}
}

// convAdd adds Σ_r k(r) src(q+r), r ∈ [−s, s]², to dst (n×n), with src
// given padded by s (see padPeriodic).
func convAdd(dst, k, srcPad []float64, n, s int) {
	p := n + 2*s
	w := 2*s + 1
	for y := 0; y < n; y++ {
		d := dst[y*n : y*n+n]
		for ry := 0; ry < w; ry++ {
			row := srcPad[(y+ry)*p : (y+ry)*p+p]
			kr := k[ry*w : ry*w+w]
			for i, kv := range kr {
				if kv == 0 {
					continue
				}
				sg := row[i : i+n]
				for x := range d {
					d[x] += kv * sg[x]
				}
			}
		}
	}
}

// evaluator computes a scale's energy and its gradient in x̄ (PRX 13,
// 041038, §4.3). It owns scratch space: one goroutine at a time.
type evaluator struct {
	c    *compiled
	lev  *level
	pad  [4][]float64
	gc   [4][]float64 // gradient of the conditioning × varying terms (fixed per x_j)
	gv   [4][]float64
	u4   [4][]float64
	fine []float64 // the potential field: x_{j−1} (conditional) or x_J
	vp   []float64
	det  [][]float64
	scat *scatEval // scattering terms (nil: none)
}

func newEvaluator(c *compiled, wv *wavelet.Wavelet) (*evaluator, error) {
	e := &evaluator{c: c}
	nn := c.n * c.n
	p := (c.n + 2*c.S) * (c.n + 2*c.S)
	for _, a := range sourceChannels(c.cond) {
		e.pad[a] = make([]float64, p)
	}
	for _, a := range c.vary {
		e.gc[a] = make([]float64, nn)
		e.gv[a] = make([]float64, nn)
	}
	if c.cond {
		lev, err := newLevel(wv, c.N)
		if err != nil {
			return nil, err
		}
		e.lev = lev
		e.fine = make([]float64, c.N*c.N)
		e.vp = make([]float64, c.N*c.N)
		e.det = [][]float64{make([]float64, nn), make([]float64, nn), make([]float64, nn)}
	}
	if c.scat != nil {
		se, err := newScatEval(c.scat)
		if err != nil {
			return nil, err
		}
		e.scat = se
	}
	return e, nil
}

// setCond fixes the conditioning field x_j (conditional scales) and
// precomputes the gradient part Σ_r K_{a,0}(r) x_j(q+r).
func (e *evaluator) setCond(x []float64) {
	c := e.c
	if !c.cond {
		return
	}
	padPeriodic(e.pad[0], x, c.n, c.S)
	for _, a := range c.vary {
		clear(e.gc[a])
		if k := c.kern[a][0]; k != nil {
			convAdd(e.gc[a], k, e.pad[0], c.n, c.S)
		}
	}
	if e.scat != nil {
		e.scat.setCond(x)
	}
}

// eval returns Ē(x̄ | x_j) for the varying channels u[a] (a ∈ vary; u[0]
// must hold the x_j given to setCond) and stores ∇_x̄Ē in grad[a]; the
// scattering terms, if any, add their energy and their gradient on the
// potential field before its detail part is taken. The
// quadratic part is Q = ½⟨x̄, A x̄⟩ + ⟨x̄, B x_j⟩ with gradient g_v + g_c,
// g_v = A x̄, g_c = B x_j, so Q = ½⟨x̄, g_v⟩ + ⟨x̄, g_c⟩. If check is set and
// the potential field leaves [lo, hi] (the sampling window, §4.5), eval
// returns ok = false without computing the gradient.
func (e *evaluator) eval(u *[4][]float64, grad *[4][]float64, check bool) (energy float64, ok bool) {
	c := e.c
	var vsum float64
	if c.cond {
		e.lev.synthesise(u, e.fine)
		if check {
			for _, v := range e.fine {
				if !(v >= c.lo && v <= c.hi) {
					return math.Inf(1), false
				}
			}
		}
		for p, t := range e.fine {
			v, dv := c.sig.potential(c.thetaV, t)
			vsum += v
			e.vp[p] = dv
		}
		if e.scat != nil {
			vsum += e.scat.eval(e.fine, e.vp)
		}
		e.lev.details(e.vp, e.det)
		for i, a := range c.vary {
			copy(grad[a], e.det[i])
		}
	} else {
		g := grad[1]
		for q, t := range u[1] {
			if check && !(t >= c.lo && t <= c.hi) {
				return math.Inf(1), false
			}
			v, dv := c.sig.potential(c.thetaV, t)
			vsum += v
			g[q] = dv
		}
	}
	for _, b := range c.vary {
		padPeriodic(e.pad[b], u[b], c.n, c.S)
	}
	q := 0.0
	for _, a := range c.vary {
		gv := e.gv[a]
		clear(gv)
		for _, b := range c.vary {
			if k := c.kern[a][b]; k != nil {
				convAdd(gv, k, e.pad[b], c.n, c.S)
			}
		}
		g, x := grad[a], u[a]
		if c.cond {
			gc := e.gc[a]
			for i, xv := range x {
				q += xv * (0.5*gv[i] + gc[i])
				g[i] += gv[i] + gc[i]
			}
		} else {
			for i, xv := range x {
				q += 0.5 * xv * gv[i]
				g[i] += gv[i]
			}
		}
	}
	return vsum + q, true
}

// checkChannels verifies the sizes of conditioning and varying channels
// passed to Model.Energy.
func (c *compiled) checkChannels(cond []float64, vary [][]float64) error {
	nn := c.n * c.n
	if c.cond {
		if len(cond) != nn {
			return fmt.Errorf("rg: conditioning field has %d values, want %d (%d×%d)", len(cond), nn, c.n, c.n)
		}
	}
	if len(vary) != len(c.vary) {
		return fmt.Errorf("rg: %d varying channels, want %d", len(vary), len(c.vary))
	}
	for i, v := range vary {
		if len(v) != nn {
			return fmt.Errorf("rg: varying channel %d has %d values, want %d", i+1, len(v), nn)
		}
	}
	return nil
}
