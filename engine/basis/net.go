package basis

import (
	"fmt"
	"math"

	"scalewise/engine/nn"
)

// NetJacobian is the Jacobian J(y) = ∇x̂(y) = I − ∇f(y) of the denoiser
// x̂(y) = y − f(y) of a bias-free U-Net f (the net outputs the noise) at one
// noisy H×W image y, as an Operator on row-major H·W images: Apply uses the
// net's JVP, ApplyT its VJP. The eval-mode net is piecewise linear and
// homogeneous, so x̂(y) = J(y)·y (Mohan et al., ICLR 2020, §5; Kadkhodaie et
// al., ICLR 2024, §3). Every application reruns the net on y (to fix its
// ReLU masks) and converts to float32 and back; after the first it does not
// allocate. Not safe for concurrent use, nor with other users of the net.
type NetJacobian struct {
	u       *nn.UNet
	h, w    int
	y       *nn.Tensor
	in, out *nn.Tensor
}

// NewNetJacobian returns the Jacobian of u's denoiser at the h×w image y
// (row-major, copied); h and w must be positive multiples of
// u.Config().Multiple() and y finite.
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
	return &NetJacobian{u: u, h: h, w: w, y: t, in: nn.NewTensor(1, 1, h, w), out: nn.NewTensor(1, 1, h, w)}, nil
}

// Dim returns H·W.
func (j *NetJacobian) Dim() int { return j.h * j.w }

// Size returns the image height and width.
func (j *NetJacobian) Size() (h, w int) { return j.h, j.w }

// Apply sets dst = J(y)·x = x − ∇f(y)·x (the net's JVP).
func (j *NetJacobian) Apply(dst, x []float64) error {
	return j.apply(dst, x, j.u.JVP)
}

// ApplyT sets dst = J(y)ᵀ·x = x − ∇f(y)ᵀ·x (the net's VJP).
func (j *NetJacobian) ApplyT(dst, x []float64) error {
	return j.apply(dst, x, j.u.VJP)
}

func (j *NetJacobian) apply(dst, x []float64, prod func(y, v, out *nn.Tensor) error) error {
	if err := checkVecs("net Jacobian", j.Dim(), dst, x); err != nil {
		return err
	}
	for i, v := range x {
		j.in.Data[i] = float32(v)
	}
	if err := prod(j.y, j.in, j.out); err != nil {
		return err
	}
	for i, v := range j.out.Data {
		dst[i] = x[i] - float64(v)
	}
	return nil
}

// Denoise sets dst = x̂(y) = y − f(y), the denoised image (which equals
// J(y)·y up to rounding).
func (j *NetJacobian) Denoise(dst []float64) error {
	if len(dst) != j.Dim() {
		return fmt.Errorf("basis: denoised image of %d values, want %d", len(dst), j.Dim())
	}
	if err := j.u.Denoise(j.out, j.y); err != nil {
		return err
	}
	for i, v := range j.out.Data {
		dst[i] = float64(v)
	}
	return nil
}
