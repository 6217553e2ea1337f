package nn

// evalWorkspace holds the eval-mode activations for one input shape and,
// once JVP or VJP has run, the tangent (or adjoint) activations.
type evalWorkspace struct {
	n, h, w int
	acts    []*Tensor // acts[0] and, in Residual, the last are the caller's
	out     *Tensor   // internal output for JVP and VJP
	tan     []*Tensor
	pad     []float32
}

func (u *UNet) evalWorkspace(n, h, w int) *evalWorkspace {
	key := [3]int{n, h, w}
	if ws, ok := u.evalWS[key]; ok {
		return ws
	}
	last := len(u.acts) - 1
	ws := &evalWorkspace{n: n, h: h, w: w, acts: u.newActs(n, h, w, 0, last),
		pad: make([]float32, u.maxPlanes(n, h, w))}
	u.evalWS[key] = ws
	return ws
}

// foldBN writes the eval weights of every BN layer: since eval-mode BN is
// the fixed per-channel scale γ_c/running_sd_c, Conv → BN equals one conv
// with weights w[co]·γ_co/running_sd_co.
func (u *UNet) foldBN() {
	for _, s := range u.steps {
		c := s.conv
		if s.kind != stepConv || c.gamma == nil {
			continue
		}
		k := c.cin * 9
		for co := 0; co < c.cout; co++ {
			scalePlane(c.fold[co*k:(co+1)*k], c.w.Data[co*k:(co+1)*k], c.gamma.Data[co]/c.rsd.Data[co])
		}
	}
}

// evalWeights returns the weights of the conv step in eval mode.
func (c *convLayer) evalWeights() []float32 {
	if c.gamma != nil {
		return c.fold
	}
	return c.w.Data
}

// Residual sets dst = f(y), the eval-mode network output (the noise
// estimate), for y of shape N×1×H×W with H and W multiples of 2^Blocks; dst
// must have the shape of y. Batch normalisation uses the running standard
// deviations, folded into the convolution weights. After the first call for
// a given shape Residual does not allocate.
func (u *UNet) Residual(dst, y *Tensor) error {
	if err := u.cfg.CheckInput(y); err != nil {
		return err
	}
	if err := checkSame("UNet residual", dst, y); err != nil {
		return err
	}
	ws := u.evalWorkspace(y.N, y.H, y.W)
	u.foldBN()
	u.evalForward(ws, y, dst)
	return nil
}

// Denoise sets dst = y − f(y), the denoised image (dst may be y).
func (u *UNet) Denoise(dst, y *Tensor) error {
	if err := u.cfg.CheckInput(y); err != nil {
		return err
	}
	if err := checkSame("UNet denoise", dst, y); err != nil {
		return err
	}
	ws := u.evalWorkspace(y.N, y.H, y.W)
	if ws.out == nil {
		ws.out = NewTensor(y.N, 1, y.H, y.W)
	}
	u.foldBN()
	u.evalForward(ws, y, ws.out)
	for i, v := range ws.out.Data {
		dst.Data[i] = y.Data[i] - v
	}
	return nil
}

// evalForward runs the eval-mode network on y into out, keeping every
// intermediate activation in ws.acts.
func (u *UNet) evalForward(ws *evalWorkspace, y, out *Tensor) {
	a := ws.acts
	last := len(a) - 1
	a[0], a[last] = y, out
	for _, s := range u.steps {
		switch s.kind {
		case stepConv:
			st := u.stackAt(u.acts[s.in], ws.n, ws.h, ws.w)
			u.ops.padStacked(ws.pad, a[s.in], st)
			u.ops.conv3x3Stacked(a[s.out], ws.pad, st, s.conv.cin, s.conv.evalWeights(), false)
			if s.conv.relu {
				relu(a[s.out].Data, a[s.out].Data)
			}
		case stepPool:
			avgPool2(a[s.out], a[s.in])
		case stepUp:
			u.ops.convT(convTForward, a[s.out], a[s.in], nil, s.up.w.Data, false)
		case stepCat:
			concat(a[s.out], a[s.in], a[s.in2])
		}
	}
	a[0], a[last] = nil, nil
}
