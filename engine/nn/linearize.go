package nn

import "fmt"

// Linearization is the eval-mode network frozen at one input y: the linear
// map J_f(y) = W_L D_{L−1}(y) W_{L−1} ⋯ D_1(y) W_1, the product of the
// BN-folded convolutions, poolings, upsamplings and concatenations W_l with
// the 0/1 ReLU masks D_l(y) = diag(1[a_l(y) > 0]) of y's forward pass. The
// bias-free net is piecewise linear and homogeneous, so f(y) = J_f(y)·y
// (Mohan et al., ICLR 2020, §5; Kadkhodaie et al., ICLR 2024, §2).
//
// UNet.JVP and UNet.VJP rerun the forward pass on y at every call to find
// the masks; a Linearization runs it once (Linearize) and keeps the
// activations of y, so that each JVP or VJP costs one pass through the
// linear layers instead of two. The arithmetic is UNet.JVP's and VJP's, so
// the products are equal bit for bit.
//
// A Linearization owns its activations and tangent buffers (it does not
// share the net's workspaces, so Residual or JVP on the net leave it
// intact) but runs on the net's kernels and weights: like the net it is not
// safe for concurrent use, nor concurrently with other uses of the net,
// and it describes the net only while its parameters are unchanged. After
// Linearize it does not allocate.
type Linearization struct {
	u  *UNet
	ws *evalWorkspace
}

// Linearize runs the eval-mode network once on y (shape N×1×H×W, H and W
// multiples of 2^Blocks) and returns its linearization at y.
func (u *UNet) Linearize(y *Tensor) (*Linearization, error) {
	if err := u.cfg.CheckInput(y); err != nil {
		return nil, err
	}
	last := len(u.acts) - 1
	ws := &evalWorkspace{n: y.N, h: y.H, w: y.W,
		acts: u.newActs(y.N, y.H, y.W, last),
		out:  NewTensor(y.N, 1, y.H, y.W),
		tan:  u.newActs(y.N, y.H, y.W, 0, last),
		pad:  make([]float32, u.maxPlanes(y.N, y.H, y.W))}
	copy(ws.acts[0].Data, y.Data)
	in := ws.acts[0]
	u.foldBN()
	u.evalForward(ws, in, ws.out)
	ws.acts[0] = in // evalForward leaves the caller's input nil
	return &Linearization{u: u, ws: ws}, nil
}

// Shape returns the shape N×1×H×W of y (and of every vector J_f acts on).
func (l *Linearization) Shape() (n, c, h, w int) { return l.ws.n, 1, l.ws.h, l.ws.w }

// Input returns (a copy of) y, the point of the linearization; the tensor
// is the Linearization's and must not be modified.
func (l *Linearization) Input() *Tensor { return l.ws.acts[0] }

// Output returns f(y), the network's output at y (the noise estimate of
// the denoiser x̂(y) = y − f(y)), which equals J_f(y)·y up to rounding; the
// tensor is the Linearization's and must not be modified.
func (l *Linearization) Output() *Tensor { return l.ws.out }

// JVP sets out = J_f(y)·v: v propagated through the linear layers with
// every ReLU replaced by its mask D_l(y). v and out have the shape of y and
// must not overlap.
func (l *Linearization) JVP(v, out *Tensor) error {
	if err := l.check("linearization JVP", v, out); err != nil {
		return err
	}
	l.u.jvp(l.ws, v, out)
	return nil
}

// VJP sets out = J_f(y)ᵀ·w = W_1ᵀ D_1 ⋯ D_{L−1} W_Lᵀ·w: the adjoint of every
// layer in reverse order, with the masks of y. w and out have the shape of
// y and must not overlap.
func (l *Linearization) VJP(w, out *Tensor) error {
	if err := l.check("linearization VJP", w, out); err != nil {
		return err
	}
	l.u.vjp(l.ws, w, out)
	return nil
}

// check validates the vectors of a product.
func (l *Linearization) check(what string, v, out *Tensor) error {
	y := l.ws.acts[0]
	if err := checkSame(what, v, y); err != nil {
		return err
	}
	if err := checkSame(what, out, y); err != nil {
		return err
	}
	if &v.Data[0] == &out.Data[0] {
		return fmt.Errorf("nn: %s: the input and output tensors share their data", what)
	}
	return nil
}
