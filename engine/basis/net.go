package basis

import (
	"fmt"
	"math"

	"scalewise/engine/nn"
)

// NetJacobian is the Jacobian J(y) = ∇x̂(y) = I − ∇f(y) of the denoiser
// x̂(y) = y − f(y) of a bias-free U-Net f (the net outputs the noise) at one
// noisy H×W image y, as an Operator on row-major H·W images: Apply uses the
// JVP of the net's linearization at y, ApplyT its VJP. The eval-mode net is
// piecewise linear and homogeneous, so x̂(y) = J(y)·y (Mohan et al., ICLR
// 2020, §5; Kadkhodaie et al., ICLR 2024, §3). NewNetJacobian runs the net
// once on y and keeps its ReLU masks (nn.Linearization), so that each
// application is one pass through the frozen linear layers (half the cost
// of nn.UNet.JVP, which reruns the forward pass, with equal results); it
// converts to float32 and back and does not allocate. Not safe for
// concurrent use, nor with other users of the net; valid while the net's
// weights are unchanged.
type NetJacobian struct {
	lin     *nn.Linearization
	h, w    int
	in, out *nn.Tensor
}

// NewNetJacobian returns the Jacobian of u's denoiser at the h×w image y
// (row-major, copied); h and w must be positive multiples of
// u.Config().Multiple() and y finite. It runs the net once on y.
func NewNetJacobian(u *nn.UNet, y []float64, h, w int) (*NetJacobian, error) {
	if u == nil {
		return nil, fmt.Errorf("basis: nil net")
	}
	if h < 1 || w < 1 || len(y) != h*w {
		return nil, fmt.Errorf("basis: %d values for a %d×%d image", len(y), h, w)
	}
	t := nn.NewTensor(1, 1, h, w)
	if err := u.Config().CheckInput(t); err != nil {
		return nil, fmt.Errorf("basis: %d×%d image: %w", h, w, err)
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
			return nil, fmt.Errorf("basis: image value %d is %v, not a finite float32", i, v)
		}
		t.Data[i] = float32(v)
	}
	lin, err := u.Linearize(t)
	if err != nil {
		return nil, fmt.Errorf("basis: %w", err)
	}
	return &NetJacobian{lin: lin, h: h, w: w, in: nn.NewTensor(1, 1, h, w), out: nn.NewTensor(1, 1, h, w)}, nil
}

// Dim returns H·W.
func (j *NetJacobian) Dim() int { return j.h * j.w }

// Size returns the image height and width.
func (j *NetJacobian) Size() (h, w int) { return j.h, j.w }

// Apply sets dst = J(y)·x = x − ∇f(y)·x (the net's JVP).
func (j *NetJacobian) Apply(dst, x []float64) error {
	return j.apply(dst, x, j.lin.JVP)
}

// ApplyT sets dst = J(y)ᵀ·x = x − ∇f(y)ᵀ·x (the net's VJP).
func (j *NetJacobian) ApplyT(dst, x []float64) error {
	return j.apply(dst, x, j.lin.VJP)
}

func (j *NetJacobian) apply(dst, x []float64, prod func(v, out *nn.Tensor) error) error {
	if err := checkVecs("net Jacobian", j.Dim(), dst, x); err != nil {
		return err
	}
	for i, v := range x {
		j.in.Data[i] = float32(v)
	}
	if err := prod(j.in, j.out); err != nil {
		return err
	}
	for i, v := range j.out.Data {
		dst[i] = x[i] - float64(v)
	}
	return nil
}

// Denoise sets dst = x̂(y) = y − f(y), the denoised image (which equals
// J(y)·y up to rounding), from the forward pass NewNetJacobian ran, with
// the float32 arithmetic of nn.UNet.Denoise.
func (j *NetJacobian) Denoise(dst []float64) error {
	if len(dst) != j.Dim() {
		return fmt.Errorf("basis: denoised image of %d values, want %d", len(dst), j.Dim())
	}
	y, f := j.lin.Input().Data, j.lin.Output().Data
	for i, v := range f {
		dst[i] = float64(y[i] - v)
	}
	return nil
}
