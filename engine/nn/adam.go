package nn

import "math"

// Adam is the Adam optimiser (Kingma & Ba, ICLR 2015) with PyTorch's
// defaults β1 = 0.9, β2 = 0.999, ε = 1e-8, as used to train the P24 U-Net
// (Kadkhodaie et al., ICLR 2024, A.1: Adam, lr 1e-3). For every parameter θ
// with gradient g, step t does
//
//	m ← β1·m + (1−β1)·g,   v ← β2·v + (1−β2)·g²,
//	θ ← θ − lr · (m/(1−β1^t)) / (sqrt(v/(1−β2^t)) + ε).
//
// Parameters without a gradient (Grad == nil) are skipped.
type Adam struct {
	LR, Beta1, Beta2, Eps float64
	params                []*Param
	m, v                  [][]float32
	t                     int
}

// NewAdam returns an Adam optimiser over params with learning rate lr.
func NewAdam(params []*Param, lr float64) *Adam {
	a := &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
	for _, p := range params {
		if p.Grad == nil {
			continue
		}
		a.params = append(a.params, p)
		a.m = append(a.m, make([]float32, len(p.Data)))
		a.v = append(a.v, make([]float32, len(p.Data)))
	}
	return a
}

// SetLR sets the learning rate (e.g. halving it on a schedule).
func (a *Adam) SetLR(lr float64) { a.LR = lr }

// Steps returns the number of Step calls so far.
func (a *Adam) Steps() int { return a.t }

// Step applies one update from the current gradients.
func (a *Adam) Step() {
	a.t++
	b1, b2 := float32(a.Beta1), float32(a.Beta2)
	ob1, ob2 := float32(1-a.Beta1), float32(1-a.Beta2) // not 1−float32(β): that loses 1e-5 of 1−β2
	c1 := 1 - math.Pow(a.Beta1, float64(a.t))
	c2 := 1 - math.Pow(a.Beta2, float64(a.t))
	// θ −= lr/c1 · m / (sqrt(v)/sqrt(c2) + ε)
	step := float32(a.LR / c1)
	isc2 := float32(1 / math.Sqrt(c2))
	eps := float32(a.Eps)
	for i, p := range a.params {
		m, v, g := a.m[i], a.v[i][:len(a.m[i])], p.Grad[:len(a.m[i])]
		d := p.Data[:len(m)]
		for k, gk := range g {
			// Adam over float32 state; the bias corrections are in float64.
			mk := b1*m[k] + ob1*gk
			vk := b2*v[k] + ob2*gk*gk
			m[k], v[k] = mk, vk
			d[k] -= step * mk / (float32(math.Sqrt(float64(vk)))*isc2 + eps)
		}
	}
}
