package wavelet

import (
	"errors"
	"fmt"
	"math"

	"scalewise/engine/fourier"
)

// Convolver filters one real image at a time with the wavelets and the
// low-pass of a DirectionalBank, by periodic convolution computed in Fourier
// with engine/fourier:
//
//	x ⋆ ψ_{j,ℓ} = F⁻¹(x̂·ψ̂_{j,ℓ}),   x ⋆ φ_J = F⁻¹(x̂·φ̂_J),   x̂ = F x,
//
// (x ⋆ f)(u) = Σ_v x(v) f(u − v) with periodic indices. SetField computes x̂
// once; each filtering then costs one inverse FFT. A Convolver owns its FFT
// plan and scratch, so after NewConvolver its methods do not allocate, and it
// must not be used by several goroutines at once (the bank may be shared).
type Convolver struct {
	bank *DirectionalBank
	plan *fourier.Plan2D
	xhat []complex128
	work []complex128
	set  bool
}

// NewConvolver returns a Convolver for images of the bank's size.
func NewConvolver(b *DirectionalBank) (*Convolver, error) {
	if b == nil {
		return nil, errors.New("wavelet: NewConvolver: nil bank")
	}
	p, err := fourier.NewPlan2D(b.height, b.width)
	if err != nil {
		return nil, err
	}
	n := b.width * b.height
	return &Convolver{bank: b, plan: p, xhat: make([]complex128, n), work: make([]complex128, n)}, nil
}

// Bank returns the filter bank.
func (c *Convolver) Bank() *DirectionalBank { return c.bank }

// SetField stores x̂, the DFT of the real image x (width·height values,
// row-major). It returns an error if len(x) is wrong or x holds a NaN or
// an infinity.
func (c *Convolver) SetField(x []float64) error {
	if len(x) != len(c.xhat) {
		return fmt.Errorf("wavelet: image has %d values, want %d×%d = %d", len(x), c.bank.width, c.bank.height, len(c.xhat))
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("wavelet: image value %d is %v", i, v)
		}
	}
	c.set = false
	if err := c.plan.ForwardReal(c.xhat, x); err != nil {
		return err
	}
	c.set = true
	return nil
}

// Spectrum returns x̂, the DFT of the image last given to SetField (FFT
// order), or nil before the first SetField. The slice is the Convolver's own
// storage: read it, do not modify it.
func (c *Convolver) Spectrum() []complex128 {
	if !c.set {
		return nil
	}
	return c.xhat
}

func (c *Convolver) filter(j, l int) ([]float64, error) {
	if !c.set {
		return nil, errors.New("wavelet: Convolver: no image set (call SetField first)")
	}
	f := c.bank.Psi(j, l)
	if f == nil {
		return nil, fmt.Errorf("wavelet: filter (j, ℓ) = (%d, %d) out of range (J = %d, L = %d)", j, l, c.bank.scales, c.bank.orient)
	}
	return f, nil
}

// Wavelet stores in dst (width·height values) the complex field
// x ⋆ ψ_{j,ℓ} = F⁻¹(x̂·ψ̂_{j,ℓ}) of the image set by SetField.
func (c *Convolver) Wavelet(dst []complex128, j, l int) error {
	f, err := c.filter(j, l)
	if err != nil {
		return err
	}
	if len(dst) != len(c.xhat) {
		return fmt.Errorf("wavelet: destination has %d values, want %d", len(dst), len(c.xhat))
	}
	for i, v := range f {
		dst[i] = c.xhat[i] * complex(v, 0)
	}
	return c.plan.Inverse(dst, dst)
}

// Modulus stores in dst (width·height values) the wavelet modulus
// |x ⋆ ψ_{j,ℓ}| of the image set by SetField.
func (c *Convolver) Modulus(dst []float64, j, l int) error {
	if len(dst) != len(c.xhat) {
		return fmt.Errorf("wavelet: destination has %d values, want %d", len(dst), len(c.xhat))
	}
	if err := c.Wavelet(c.work, j, l); err != nil {
		return err
	}
	for i, z := range c.work {
		dst[i] = math.Hypot(real(z), imag(z))
	}
	return nil
}

// LowPass stores in dst (width·height values) the real field
// x ⋆ φ_J = F⁻¹(x̂·φ̂_J) of the image set by SetField (φ̂_J is real and
// even, so the result is real).
func (c *Convolver) LowPass(dst []float64) error {
	if !c.set {
		return errors.New("wavelet: Convolver: no image set (call SetField first)")
	}
	if len(dst) != len(c.xhat) {
		return fmt.Errorf("wavelet: destination has %d values, want %d", len(dst), len(c.xhat))
	}
	for i, v := range c.bank.phi {
		c.work[i] = c.xhat[i] * complex(v, 0)
	}
	return c.plan.InverseReal(dst, c.work)
}
