package rg

import (
	"math"

	"scalewise/engine/fourier"
)

// preChain holds the scratch of a preconditioned MALA chain: the FFT plan
// and the spectra of the gradient at the current state (gh, valid when
// ghOK) and at the proposal (gph), of the noise and of the move.
type preChain struct {
	pc       *precond
	plan     *fourier.Plan2D
	gh, gph  [][]complex128
	xi, move [][]complex128
	tmp      []float64
	ghOK     bool
}

func newPreChain(pc *precond) *preChain {
	plan, err := fourier.NewPlan2D(pc.n, pc.n)
	if err != nil {
		return nil
	}
	nn := pc.n * pc.n
	mk := func() [][]complex128 {
		out := make([][]complex128, pc.nv)
		for i := range out {
			out[i] = make([]complex128, nn)
		}
		return out
	}
	return &preChain{pc: pc, plan: plan, gh: mk(), gph: mk(), xi: mk(), move: mk(), tmp: make([]float64, nn)}
}

// stepPre runs one preconditioned MALA step (Roberts & Stramer,
// "Langevin diffusions and Metropolis–Hastings algorithms", Methodol.
// Comput. Appl. Probab. 4, 337 (2002); mass matrix M of precond):
//
//	x' = x − h M∇Ē(x) + √(2h) M^{½} ξ,
//	q(x'|x) ∝ exp(−‖x' − x + h M∇Ē(x)‖²_{M⁻¹} / (4h)),
//
// accepted with probability min(1, e^{−Ē(x')+Ē(x)} q(x|x')/q(x'|x)). The
// forward norm is 2h|ξ|²; the reverse one is computed in Fourier, where M
// is block diagonal. A proposal outside the window is rejected.
func (c *chain) stepPre() (bool, float64) {
	p := c.pre
	pc := p.pc
	h := c.h
	sq := math.Sqrt(2 * h)
	if !p.ghOK {
		for i, a := range c.vary {
			_ = p.plan.ForwardReal(p.gh[i], c.g[a])
		}
		p.ghOK = true
	}
	fwd := 0.0
	for i := range c.vary {
		for k := range p.tmp {
			z := c.rng.NormFloat64()
			fwd += z * z
			p.tmp[k] = z
		}
		_ = p.plan.ForwardReal(p.xi[i], p.tmp)
	}
	fwd *= 2 * h
	pc.apply(pc.m, p.move, p.gh, complex(-h, 0), false)
	pc.apply(pc.r, p.move, p.xi, complex(sq, 0), true)
	for i, a := range c.vary {
		_ = p.plan.InverseReal(p.tmp, p.move[i])
		x, xp := c.u[a], c.up[a]
		for k, d := range p.tmp {
			xp[k] = x[k] + d
		}
	}
	ep, ok := c.ev.eval(&c.up, &c.gp, true)
	c.evals++
	if !ok {
		return false, 0
	}
	for i, a := range c.vary {
		_ = p.plan.ForwardReal(p.gph[i], c.gp[a])
	}
	// x − x' + hM∇Ē(x') = −move + hMĝ', in p.xi.
	pc.apply(pc.m, p.xi, p.gph, complex(h, 0), false)
	for i := range p.xi {
		for k, v := range p.move[i] {
			p.xi[i][k] -= v
		}
	}
	rev := pc.quad(p.xi)
	logA := -(ep - c.e) - (rev-fwd)/(4*h)
	if c.outside {
		logA = 0
	}
	if math.IsNaN(logA) {
		return false, 0
	}
	acc := math.Exp(min(0, logA))
	if logA >= 0 || c.rng.Float64() < acc {
		c.u, c.up = c.up, c.u
		c.g, c.gp = c.gp, c.g
		p.gh, p.gph = p.gph, p.gh
		c.e = ep
		c.outside = false
		return true, acc
	}
	return false, acc
}
