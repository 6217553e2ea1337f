package phi4

import (
	"fmt"
	"math"

	"scalewise/engine/field"
)

// Spectrum accumulates the radially averaged power spectrum of periodic
// L×L fields,
//
//	P(k) = ⟨|φ̂(k)|²⟩ / L²,   φ̂(k) = Σ_x φ(x) e^{−ik·x},
//
// averaged over fields and over the wave vectors k = 2π(n₁, n₂)/L,
// n_μ ∈ (−L/2, L/2], whose modulus |k| falls in each of nbins equal bins
// of [0, π√2]. White noise of variance σ² has P(k) = σ² for every k; the
// Gaussian field with precision βk̂² + m² has P(k) = 1/(βk̂² + m²).
type Spectrum struct {
	l     int
	plan  *fft2
	bin   []int     // bin of every half-spectrum mode
	w     []float64 // multiplicity of every half-spectrum mode
	sum   []float64 // Σ power per bin
	modes []float64 // number of modes per bin and field
	n     int
}

// NewSpectrum returns an empty spectrum for L×L fields (L a power of two
// from 2 to MaxL) with nbins ≥ 1 radial bins.
func NewSpectrum(l, nbins int) (*Spectrum, error) {
	if l < 2 || l > MaxL || l&(l-1) != 0 {
		return nil, fmt.Errorf("phi4: spectrum size L = %d must be a power of two from 2 to %d", l, MaxL)
	}
	if nbins < 1 || nbins > l*l {
		return nil, fmt.Errorf("phi4: number of spectrum bins %d must be in [1, %d]", nbins, l*l)
	}
	n := l * (l/2 + 1)
	s := &Spectrum{
		l: l, plan: newFFT2(l),
		bin: make([]int, n), w: make([]float64, n),
		sum: make([]float64, nbins), modes: make([]float64, nbins),
	}
	kmax := math.Pi * math.Sqrt2
	for i := range s.bin {
		b := int(wavenumber(l, i) / kmax * float64(nbins))
		s.bin[i] = min(b, nbins-1)
		s.w[i] = halfWeight(l, i)
		s.modes[s.bin[i]] += s.w[i]
	}
	return s, nil
}

// Add adds the power spectrum of one L×L field.
func (s *Spectrum) Add(f *field.Field) error {
	if f == nil || f.W != s.l || f.H != s.l || len(f.Data) != s.l*s.l {
		return fmt.Errorf("phi4: spectrum of %d×%d fields cannot add %s", s.l, s.l, describe(f))
	}
	s.plan.forward(f.Data)
	norm := 1 / float64(s.l*s.l)
	for i, c := range s.plan.spec {
		s.sum[s.bin[i]] += s.w[i] * norm * (real(c)*real(c) + imag(c)*imag(c))
	}
	s.n++
	return nil
}

// N returns the number of fields added.
func (s *Spectrum) N() int { return s.n }

// Result returns the bin centres |k| and the mean power P in each bin
// (NaN for bins that hold no wave vector or when no field was added).
func (s *Spectrum) Result() (k, power []float64) {
	nb := len(s.sum)
	k = make([]float64, nb)
	power = make([]float64, nb)
	width := math.Pi * math.Sqrt2 / float64(nb)
	for b := range k {
		k[b] = (float64(b) + 0.5) * width
		power[b] = math.NaN()
		if s.modes[b] > 0 && s.n > 0 {
			power[b] = s.sum[b] / (s.modes[b] * float64(s.n))
		}
	}
	return k, power
}

// describe names a field for error messages.
func describe(f *field.Field) string {
	if f == nil {
		return "a nil field"
	}
	return fmt.Sprintf("a %d×%d field with %d values", f.W, f.H, len(f.Data))
}
