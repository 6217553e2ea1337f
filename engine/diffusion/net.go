package diffusion

import (
	"fmt"

	"scalewise/engine/nn"
)

// NetDenoiser is a Denoiser over a bias-free U-Net of package nn, which
// outputs the residual f(y) and denoises as x̂(y) = y − f(y) (Kadkhodaie et
// al., ICLR 2024, App. A.1). The net is blind: Denoise ignores its sigma
// argument. It converts one H×W image (row-major) to float32 and back and
// does not allocate after the first call. Not safe for concurrent use.
type NetDenoiser struct {
	u    *nn.UNet
	h, w int
	in   *nn.Tensor
	out  *nn.Tensor
}

// NewNetDenoiser returns a Denoiser of h×w images over u; h and w must be
// positive multiples of 2^Blocks.
func NewNetDenoiser(u *nn.UNet, h, w int) (*NetDenoiser, error) {
	if u == nil {
		return nil, fmt.Errorf("diffusion: nil net")
	}
	in := nn.NewTensor(1, 1, h, w)
	if err := u.Config().CheckInput(in); err != nil {
		return nil, fmt.Errorf("diffusion: %d×%d images: %w", h, w, err)
	}
	return &NetDenoiser{u: u, h: h, w: w, in: in, out: nn.NewTensor(1, 1, h, w)}, nil
}

// Dim returns H·W.
func (d *NetDenoiser) Dim() int { return d.h * d.w }

// Net returns the underlying net.
func (d *NetDenoiser) Net() *nn.UNet { return d.u }

// Denoise sets dst = y − f(y); sigma is ignored (the net is blind).
func (d *NetDenoiser) Denoise(dst, y []float64, _ float64) error {
	if err := checkLen(d.Dim(), dst, y); err != nil {
		return err
	}
	for i, v := range y {
		d.in.Data[i] = float32(v)
	}
	if err := d.u.Denoise(d.out, d.in); err != nil {
		return err
	}
	for i, v := range d.out.Data {
		dst[i] = float64(v)
	}
	return nil
}

// checkLen returns an error unless dst and y hold n values each.
func checkLen(n int, dst, y []float64) error {
	if len(y) != n || len(dst) != n {
		return fmt.Errorf("diffusion: denoiser of %d values given y of %d and dst of %d", n, len(y), len(dst))
	}
	return nil
}
