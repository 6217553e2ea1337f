package nn

import "fmt"

// trainWorkspace holds what a training step keeps for its backward pass.
type trainWorkspace struct {
	n, h, w int
	acts    []*Tensor   // outputs of every step (post-ReLU); acts[0] is the caller's input
	pre     []*Tensor   // per step: BN input (the conv output) of BN conv steps
	padIn   [][]float32 // per step: stacked input of conv steps, reused for the weight gradient
	stats   []BNStats   // per step: batch statistics of BN conv steps
	grads   []*Tensor   // gradient w.r.t. every activation
	padG    []float32   // stacked output gradient of the current conv step
	weights []float32   // per-image loss weights of the current step (nil: 1)
}

func (u *UNet) trainWorkspace(n, h, w int) *trainWorkspace {
	if ws := u.trainWS; ws != nil && ws.n == n && ws.h == h && ws.w == w {
		return ws
	}
	u.trainWS = nil // let the old one go before allocating
	ws := &trainWorkspace{n: n, h: h, w: w,
		acts:  u.newActs(n, h, w, 0),
		grads: u.newActs(n, h, w),
		pre:   make([]*Tensor, len(u.steps)),
		padIn: make([][]float32, len(u.steps)),
		stats: make([]BNStats, len(u.steps)),
		padG:  make([]float32, u.maxPlanes(n, h, w)),
	}
	for i, s := range u.steps {
		if s.kind != stepConv {
			continue
		}
		a := u.acts[s.out]
		st := u.stackAt(a, n, h, w)
		ws.padIn[i] = make([]float32, s.conv.cin*st.plane)
		if s.conv.gamma != nil {
			ws.pre[i] = NewTensor(n, a.c, h>>a.level, w>>a.level)
			ws.stats[i].resize(a.c)
		}
	}
	u.trainWS = ws
	return ws
}

// TrainStep runs one training step on the batch y (N×1×H×W) with target
// residual target (the noise, same shape): the forward pass in training
// mode (BN with batch statistics; the running standard deviations are
// updated), the loss
//
//	L = Σ_{n,y,x} (f(y) − target)² / N,
//
// the summed squared error per image of the authors' trainer
// (MSELoss(reduction="sum")/batch, Kadkhodaie et al., ICLR 2024, A.1), and
// the backward pass, which overwrites every Param.Grad with ∂L/∂θ. It does
// not change the parameters; see Adam.
func (u *UNet) TrainStep(y, target *Tensor) (loss float64, err error) {
	return u.TrainStepWeighted(y, target, nil)
}

// TrainStepWeighted is TrainStep with a weight per image,
//
//	L = Σ_n w_n Σ_{y,x} (f(y_n) − target_n)² / N,
//
// (nil weights mean w_n = 1). Weighting by 1/σ_n² turns the summed error
// into the error relative to each image's noise level, so that the rare
// small-noise images are not drowned by the large-noise ones (the loss
// weighting λ(σ) of score-matching objectives; Song et al. 2021, Karras et
// al. 2022).
func (u *UNet) TrainStepWeighted(y, target *Tensor, weights []float32) (loss float64, err error) {
	if err := u.cfg.CheckInput(y); err != nil {
		return 0, err
	}
	if err := checkSame("UNet train target", target, y); err != nil {
		return 0, err
	}
	if weights != nil && len(weights) != y.N {
		return 0, fmt.Errorf("%w: %d weights for a batch of %d", ErrShape, len(weights), y.N)
	}
	u.ZeroGrad()
	ws := u.trainWorkspace(y.N, y.H, y.W)
	ws.weights = weights
	loss = u.trainForward(ws, y, target, true)
	ws.weights = nil
	u.trainBackward(ws, false)
	return loss, nil
}

// trainForward runs the training-mode forward pass, returns the loss and
// leaves ∂L/∂f in the last gradient buffer. With update the BN running
// standard deviations are updated.
func (u *UNet) trainForward(ws *trainWorkspace, y, target *Tensor, update bool) float64 {
	a := ws.acts
	a[0] = y
	for i, s := range u.steps {
		switch s.kind {
		case stepConv:
			c := s.conv
			st := u.stackAt(u.acts[s.in], ws.n, ws.h, ws.w)
			u.ops.padStacked(ws.padIn[i], a[s.in], st)
			if c.gamma == nil {
				u.ops.conv3x3Stacked(a[s.out], ws.padIn[i], st, c.cin, c.w.Data, false)
				if c.relu {
					relu(a[s.out].Data, a[s.out].Data)
				}
				continue
			}
			u.ops.conv3x3Stacked(ws.pre[i], ws.padIn[i], st, c.cin, c.w.Data, false)
			u.ops.bnForward(a[s.out], ws.pre[i], c.gamma.Data, &ws.stats[i], c.relu)
			if update {
				ws.stats[i].UpdateRunningSD(c.rsd.Data)
			}
		case stepPool:
			avgPool2(a[s.out], a[s.in])
		case stepUp:
			u.ops.convT(convTForward, a[s.out], a[s.in], nil, s.up.w.Data, false)
		case stepCat:
			concat(a[s.out], a[s.in], a[s.in2])
		}
	}
	a[0] = nil
	last := len(a) - 1
	f, g := a[last].Data, ws.grads[last].Data
	var loss float64
	scale := 2 / float32(ws.n)
	per := len(f) / ws.n
	for n := 0; n < ws.n; n++ {
		w := float32(1)
		if ws.weights != nil {
			w = ws.weights[n]
		}
		fn, tn, gn := f[n*per:(n+1)*per], target.Data[n*per:(n+1)*per], g[n*per:(n+1)*per]
		var l float64
		for i, v := range fn {
			d := v - tn[i]
			l += float64(d) * float64(d)
			gn[i] = w * scale * d
		}
		loss += float64(w) * l
	}
	return loss / float64(ws.n)
}

// trainBackward propagates ∂L/∂f (in the last gradient buffer) back through
// the network, adding the parameter gradients to Param.Grad; with inputGrad
// it also fills ws.grads[0] with ∂L/∂y.
func (u *UNet) trainBackward(ws *trainWorkspace, inputGrad bool) {
	g := ws.grads
	for i := 0; i < len(g)-1; i++ {
		g[i].Zero()
	}
	for i := len(u.steps) - 1; i >= 0; i-- {
		s := u.steps[i]
		switch s.kind {
		case stepConv:
			c := s.conv
			st := u.stackAt(u.acts[s.in], ws.n, ws.h, ws.w)
			gout := g[s.out]
			switch {
			case c.gamma != nil:
				var mask *Tensor
				if c.relu {
					mask = ws.acts[s.out]
				}
				u.ops.bnBackward(gout, gout, ws.pre[i], mask, c.gamma.Data, c.gamma.Grad, &ws.stats[i])
			case c.relu:
				reluMask(gout.Data, gout.Data, ws.acts[s.out].Data)
			}
			u.ops.padStacked(ws.padG, gout, st)
			u.ops.conv3x3BackWeightStacked(c.w.Grad, ws.padIn[i], ws.padG, st, c.cin, c.cout)
			if s.in != 0 || inputGrad {
				u.ops.conv3x3BackInputStacked(g[s.in], ws.padG, st, c.cin, c.cout, c.w.Data, true)
			}
		case stepPool:
			avgPool2Back(g[s.in], g[s.out], true)
		case stepUp:
			u.ops.convT(convTBackWeight, nil, ws.acts[s.in], g[s.out], s.up.w.Grad, false)
			u.ops.convT(convTBackInput, g[s.in], nil, g[s.out], s.up.w.Data, true)
		case stepCat:
			split(g[s.in], g[s.in2], g[s.out], true)
		}
	}
}

// bnForward is BatchNormTrain (fused with a ReLU when relu), one channel per
// task.
func (o *Ops) bnForward(out, x *Tensor, gamma []float32, st *BNStats, relu bool) {
	j := &o.st.bnJob
	*j = bnJob{mode: bnForward, x: x, out: out, gamma: gamma, mean: st.Mean, sd: st.SD, relu: relu}
	o.run(j, x.C, float64(8*x.Len()))
	*j = bnJob{}
}

// bnBackward is BatchNormBackward; when mask is not nil the BN was followed
// by a ReLU with output mask, and g is the gradient w.r.t. that output.
func (o *Ops) bnBackward(dx, g, x, mask *Tensor, gamma, dgamma []float32, st *BNStats) {
	j := &o.st.bnJob
	*j = bnJob{mode: bnBackward, x: x, out: dx, g: g, a: mask, relu: mask != nil,
		gamma: gamma, dgamma: dgamma, mean: st.Mean, sd: st.SD}
	o.run(j, x.C, float64(8*x.Len()))
	*j = bnJob{}
}

// String describes the network, e.g. "UNet{Blocks: 3, Base: 16, params: 479k}".
func (u *UNet) String() string {
	return fmt.Sprintf("UNet{Blocks: %d, Base: %d, params: %d}", u.cfg.Blocks, u.cfg.Base, u.NumParams())
}
