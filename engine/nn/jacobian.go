package nn

// The eval-mode U-Net is piecewise linear: with the ReLU pattern of y
// frozen, f(y + δ) = f(y) + J_f(y)·δ for small δ, and J_f(y) is the product
// of the (BN-folded) convolutions, poolings, upsamplings, concatenations and
// the diagonal 0/1 ReLU masks D(y). Homogeneity gives f(y) = J_f(y)·y
// (Kadkhodaie et al., ICLR 2024, §2; Mohan et al., ICLR 2020, §5).

// JVP sets out = J_f(y)·v, the Jacobian of the eval-mode network at y
// applied to v: the network is run on y to fix the ReLU masks
// D_l = 1[a_l(y) > 0], then v is propagated through the same layers with
// each ReLU replaced by its mask. v and out have the shape of y. Every call
// reruns the forward pass on y; for many products at one y, Linearize
// once and use Linearization.JVP (the same arithmetic, bit for bit).
func (u *UNet) JVP(y, v, out *Tensor) error {
	ws, err := u.prepareJacobian(y, v, out)
	if err != nil {
		return err
	}
	u.jvp(ws, v, out)
	return nil
}

// VJP sets out = J_f(y)ᵀ·w, the transposed Jacobian of the eval-mode network
// at y applied to w (the gradient of ⟨f(y), w⟩ with respect to y): the
// adjoint of every layer is applied in reverse order, with the ReLU masks of
// y. w and out have the shape of y. Like JVP it reruns the forward pass;
// Linearization.VJP does not.
func (u *UNet) VJP(y, w, out *Tensor) error {
	ws, err := u.prepareJacobian(y, w, out)
	if err != nil {
		return err
	}
	u.vjp(ws, w, out)
	return nil
}

// jvp sets out = J_f(y)·v with the masks of the activations of y in ws.acts
// (ws.tan the tangent buffers).
func (u *UNet) jvp(ws *evalWorkspace, v, out *Tensor) {
	a, t := ws.acts, ws.tan
	last := len(t) - 1
	t[0], t[last] = v, out
	for _, s := range u.steps {
		switch s.kind {
		case stepConv:
			st := u.stackAt(u.acts[s.in], ws.n, ws.h, ws.w)
			u.ops.padStacked(ws.pad, t[s.in], st)
			u.ops.conv3x3Stacked(t[s.out], ws.pad, st, s.conv.cin, s.conv.evalWeights(), false)
			if s.conv.relu {
				reluMask(t[s.out].Data, t[s.out].Data, a[s.out].Data)
			}
		case stepPool:
			avgPool2(t[s.out], t[s.in])
		case stepUp:
			u.ops.convT(convTForward, t[s.out], t[s.in], nil, s.up.w.Data, false)
		case stepCat:
			concat(t[s.out], t[s.in], t[s.in2])
		}
	}
	t[0], t[last] = nil, nil
}

// vjp sets out = J_f(y)ᵀ·w with the masks in ws.acts, by the adjoint of
// every layer in reverse order.
func (u *UNet) vjp(ws *evalWorkspace, w, out *Tensor) {
	a, g := ws.acts, ws.tan
	last := len(g) - 1
	g[0] = out
	for i := 0; i < last; i++ {
		g[i].Zero()
	}
	g[last] = w
	for i := len(u.steps) - 1; i >= 0; i-- {
		s := u.steps[i]
		switch s.kind {
		case stepConv:
			c := s.conv
			st := u.stackAt(u.acts[s.in], ws.n, ws.h, ws.w)
			src := g[s.out]
			if c.relu {
				reluMask(src.Data, src.Data, a[s.out].Data)
			}
			u.ops.padStacked(ws.pad, src, st)
			u.ops.conv3x3BackInputStacked(g[s.in], ws.pad, st, c.cin, c.cout, c.evalWeights(), true)
		case stepPool:
			avgPool2Back(g[s.in], g[s.out], true)
		case stepUp:
			u.ops.convT(convTBackInput, g[s.in], nil, g[s.out], s.up.w.Data, true)
		case stepCat:
			split(g[s.in], g[s.in2], g[s.out], true)
		}
	}
	g[0], g[last] = nil, nil
}

// prepareJacobian validates the arguments, runs the eval forward pass on y
// and makes sure the tangent buffers exist.
func (u *UNet) prepareJacobian(y, v, out *Tensor) (*evalWorkspace, error) {
	if err := u.cfg.CheckInput(y); err != nil {
		return nil, err
	}
	if err := checkSame("UNet Jacobian", v, y); err != nil {
		return nil, err
	}
	if err := checkSame("UNet Jacobian", out, y); err != nil {
		return nil, err
	}
	ws := u.evalWorkspace(y.N, y.H, y.W)
	if ws.out == nil {
		ws.out = NewTensor(y.N, 1, y.H, y.W)
	}
	if ws.tan == nil {
		ws.tan = u.newActs(y.N, y.H, y.W, 0, len(u.acts)-1)
	}
	u.foldBN()
	u.evalForward(ws, y, ws.out)
	return ws, nil
}
