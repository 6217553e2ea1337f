package scattering

import (
	"errors"
	"fmt"
	"math"

	"scalewise/engine/field"
	"scalewise/engine/wavelet"
)

// Perpendicular returns ℓ⊥ = (ℓ + L/2) mod L, the orientation index of the
// wavelets perpendicular to ψ_{j,ℓ}: θ_{ℓ⊥} = θ_ℓ + π/2 modulo π, with
// θ_ℓ = πℓ/L (wavelet.DirectionalBank). The bank's orientations cover
// [0, π) and the wavelet of orientation θ + π is the mirror image of the one
// at θ (its output on a real field is the complex conjugate), so θ_ℓ + π/2
// and θ_ℓ − π/2 are the same orientation here. It returns an error unless
// the bank is non-nil, L is even (otherwise θ_ℓ + π/2 is not one of the
// bank's angles) and 0 ≤ ℓ < L.
func Perpendicular(bank *wavelet.DirectionalBank, l int) (int, error) {
	if bank == nil {
		return 0, errors.New("scattering: nil filter bank")
	}
	n := bank.Orientations()
	if n%2 != 0 {
		return 0, fmt.Errorf("scattering: perpendicular orientation needs an even number of orientations, have L = %d", n)
	}
	if l < 0 || l >= n {
		return 0, fmt.Errorf("scattering: orientation ℓ = %d out of range [0, %d)", l, n)
	}
	return (l + n/2) % n, nil
}

// ModulusTransform computes, for one real image x at a time, the wavelet
// modulus fields and the second wavelet transform taken perpendicular to the
// first wavelet (Mallat's talk, "Directional regularity"; issue 5):
//
//	U_{j,ℓ}(u)          = |x ⋆ ψ_{j,ℓ}|(u),
//	W_{j,ℓ,j'}(u)       = (|x ⋆ ψ_{j,ℓ}| ⋆ ψ_{j',ℓ⊥})(u),   ℓ⊥ = Perpendicular(ℓ),
//
// with the bank's complex directional wavelets ψ_{j,ℓ} and periodic
// convolutions computed in Fourier (wavelet.Convolver:
// x ⋆ ψ = F⁻¹(x̂·ψ̂)). U_{j,ℓ} is the "edge detection" field of the talk: it
// is large along edges whose normal points along θ_ℓ. W_{j,ℓ,j'} measures
// how much U_{j,ℓ} varies at scale 2^{j'} along the direction θ_ℓ + π/2,
// which for an edge is the direction of the edge itself; it is small when the
// edge curve is regular (see DirectionalRegularity).
//
// A ModulusTransform owns two Convolvers (FFT plans) and its buffers: after
// NewModulusTransform its methods do not allocate. The modulus |x ⋆ ψ_{j,ℓ}|
// last used by a second transform is kept in Fourier, so W_{j,ℓ,j'} for
// several j' at the same (j, ℓ) costs one inverse FFT each. It must not be
// used by several goroutines at once (the bank may be shared).
type ModulusTransform struct {
	bank          *wavelet.DirectionalBank
	first, second *wavelet.Convolver
	mod           []float64    // |x ⋆ ψ_{j,ℓ}| of (curJ, curL)
	work          []complex128 // second-transform scratch
	curJ, curL    int          // (j, ℓ) held by second; curJ < 0 when none
	set           bool
}

// NewModulusTransform returns a ModulusTransform for images of the bank's
// size. It returns an error for a nil bank.
func NewModulusTransform(bank *wavelet.DirectionalBank) (*ModulusTransform, error) {
	if bank == nil {
		return nil, errors.New("scattering: nil filter bank")
	}
	c1, err := wavelet.NewConvolver(bank)
	if err != nil {
		return nil, err
	}
	c2, err := wavelet.NewConvolver(bank)
	if err != nil {
		return nil, err
	}
	w, h := bank.Size()
	return &ModulusTransform{
		bank: bank, first: c1, second: c2,
		mod: make([]float64, w*h), work: make([]complex128, w*h),
		curJ: -1, curL: -1,
	}, nil
}

// Bank returns the filter bank.
func (t *ModulusTransform) Bank() *wavelet.DirectionalBank { return t.bank }

// SetField stores the DFT of the image x. It returns an error if x is nil,
// its size differs from the bank's, or it holds a NaN or an infinity; the
// previous image is then forgotten.
func (t *ModulusTransform) SetField(x *field.Field) error {
	t.set, t.curJ, t.curL = false, -1, -1
	if x == nil {
		return errors.New("scattering: nil field")
	}
	w, h := t.bank.Size()
	if x.W != w || x.H != h || len(x.Data) != w*h {
		return fmt.Errorf("scattering: field is %d×%d (%d values), the filter bank is %d×%d", x.W, x.H, len(x.Data), w, h)
	}
	if err := t.first.SetField(x.Data); err != nil {
		return fmt.Errorf("scattering: %w", err)
	}
	t.set = true
	return nil
}

func (t *ModulusTransform) check(j, l int) error {
	if !t.set {
		return errors.New("scattering: no field set (call SetField first)")
	}
	if j < 0 || j >= t.bank.Scales() {
		return fmt.Errorf("scattering: scale j = %d out of range [0, %d)", j, t.bank.Scales())
	}
	if l < 0 || l >= t.bank.Orientations() {
		return fmt.Errorf("scattering: orientation ℓ = %d out of range [0, %d)", l, t.bank.Orientations())
	}
	return nil
}

// Modulus stores in dst (width·height values, row-major) the modulus field
// |x ⋆ ψ_{j,ℓ}| of the image set by SetField. It returns an error for a
// scale or orientation out of range, a wrong dst length or no image.
func (t *ModulusTransform) Modulus(dst []float64, j, l int) error {
	if err := t.check(j, l); err != nil {
		return err
	}
	if len(dst) != len(t.mod) {
		return fmt.Errorf("scattering: destination has %d values, want %d", len(dst), len(t.mod))
	}
	return t.first.Modulus(dst, j, l)
}

// load makes the second Convolver hold the DFT of |x ⋆ ψ_{j,ℓ}|.
func (t *ModulusTransform) load(j, l int) error {
	if t.curJ == j && t.curL == l {
		return nil
	}
	t.curJ, t.curL = -1, -1
	if err := t.first.Modulus(t.mod, j, l); err != nil {
		return err
	}
	if err := t.second.SetField(t.mod); err != nil {
		return err
	}
	t.curJ, t.curL = j, l
	return nil
}

// checkSecond validates (j, ℓ, j') and returns ℓ⊥.
func (t *ModulusTransform) checkSecond(j, l, jp int) (int, error) {
	if err := t.check(j, l); err != nil {
		return 0, err
	}
	if jp < 0 || jp >= t.bank.Scales() {
		return 0, fmt.Errorf("scattering: second scale j' = %d out of range [0, %d)", jp, t.bank.Scales())
	}
	return Perpendicular(t.bank, l)
}

// Second stores in dst (width·height values) the complex second transform
//
//	W_{j,ℓ,j'} = |x ⋆ ψ_{j,ℓ}| ⋆ ψ_{j',ℓ⊥},   ℓ⊥ = (ℓ + L/2) mod L,
//
// of the image set by SetField. Any scale 0 ≤ j' < J is accepted; the
// directional regularity of the talk uses j' > j. It returns an error for an
// index out of range, an odd L, a wrong dst length or no image.
func (t *ModulusTransform) Second(dst []complex128, j, l, jp int) error {
	perp, err := t.checkSecond(j, l, jp)
	if err != nil {
		return err
	}
	if len(dst) != len(t.mod) {
		return fmt.Errorf("scattering: destination has %d values, want %d", len(dst), len(t.mod))
	}
	if err := t.load(j, l); err != nil {
		return err
	}
	return t.second.Wavelet(dst, jp, perp)
}

// SecondNorm1 returns the pixel mean of the second-transform modulus,
//
//	D(j, ℓ, j') = (1/(width·height)) Σ_u | (|x ⋆ ψ_{j,ℓ}| ⋆ ψ_{j',ℓ⊥})(u) |,
//
// the L¹ norm ‖ |x ⋆ ψ_{j,ℓ}| ⋆ ψ_{j',ℓ⊥} ‖₁ of the Cuvelle-Magar–Mallat
// theorem (talk, "Geometric directional regularity") normalised by the
// number of pixels. Errors as for Second.
func (t *ModulusTransform) SecondNorm1(j, l, jp int) (float64, error) {
	if err := t.Second(t.work, j, l, jp); err != nil {
		return 0, err
	}
	s := 0.0
	for _, z := range t.work {
		s += math.Hypot(real(z), imag(z))
	}
	return s / float64(len(t.work)), nil
}

// ModulusMean returns the pixel mean of |x ⋆ ψ_{j,ℓ}|, the first-order
// scattering coefficient S1(j, ℓ) = ‖x ⋆ ψ_{j,ℓ}‖₁/(width·height)
// (Cheng et al., "Scattering Spectra Models for Physics", PNAS Nexus 3,
// pgae103 (2024)). Errors as for Modulus.
func (t *ModulusTransform) ModulusMean(j, l int) (float64, error) {
	if err := t.check(j, l); err != nil {
		return 0, err
	}
	if err := t.load(j, l); err != nil {
		return 0, err
	}
	s := 0.0
	for _, v := range t.mod {
		s += v
	}
	return s / float64(len(t.mod)), nil
}

// ModulusField returns the wavelet modulus field |x ⋆ ψ_{j,ℓ}| of the image
// x as a new field (see ModulusTransform). For repeated calls use a
// ModulusTransform, which does not allocate.
func ModulusField(bank *wavelet.DirectionalBank, x *field.Field, j, l int) (*field.Field, error) {
	t, err := newSet(bank, x)
	if err != nil {
		return nil, err
	}
	out := field.New(x.W, x.H)
	if err := t.Modulus(out.Data, j, l); err != nil {
		return nil, err
	}
	return out, nil
}

// SecondTransform returns the complex second transform
// |x ⋆ ψ_{j,ℓ}| ⋆ ψ_{j',ℓ⊥} of the image x (row-major, width·height values;
// see ModulusTransform.Second), with j' = jp.
func SecondTransform(bank *wavelet.DirectionalBank, x *field.Field, j, l, jp int) ([]complex128, error) {
	t, err := newSet(bank, x)
	if err != nil {
		return nil, err
	}
	out := make([]complex128, x.W*x.H)
	if err := t.Second(out, j, l, jp); err != nil {
		return nil, err
	}
	return out, nil
}

// SecondModulusField returns | |x ⋆ ψ_{j,ℓ}| ⋆ ψ_{j',ℓ⊥} | as a new field,
// the modulus of SecondTransform (the field shown by the talk's
// "second wavelet transform perpendicular to the first wavelet" panels).
func SecondModulusField(bank *wavelet.DirectionalBank, x *field.Field, j, l, jp int) (*field.Field, error) {
	z, err := SecondTransform(bank, x, j, l, jp)
	if err != nil {
		return nil, err
	}
	out := field.New(x.W, x.H)
	for i, v := range z {
		out.Data[i] = math.Hypot(real(v), imag(v))
	}
	return out, nil
}

func newSet(bank *wavelet.DirectionalBank, x *field.Field) (*ModulusTransform, error) {
	t, err := NewModulusTransform(bank)
	if err != nil {
		return nil, err
	}
	if err := t.SetField(x); err != nil {
		return nil, err
	}
	return t, nil
}
