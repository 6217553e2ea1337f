package polyspectra

import (
	"fmt"
	"math"

	"scalewise/engine/fourier"
)

// MaxRadialL is the largest side accepted by NewRadialSpectrum.
const MaxRadialL = 256

// RadialSpectrum accumulates the radially averaged power spectrum of
// periodic L×L fields on equal bins of the wave number (the Estimator's
// ring power P_i uses log-spaced rings instead),
//
//	P(k) = ⟨|φ̂(k)|²⟩ / L²,   φ̂(k) = Σ_x φ(x) e^{−ik·x},
//
// averaged over fields and over the wave vectors k = 2π(n₁, n₂)/L,
// n_μ ∈ (−L/2, L/2], whose modulus |k| falls in each of nbins equal bins
// of [0, π√2] (k = 0 included, in the first bin). White noise of variance
// σ² has P(k) = σ² for every k; the lattice Gaussian field with precision
// βk̂² + m² has P(k) = 1/(βk̂² + m²). Each field is transformed once, on
// its half spectrum (fourier.Plan2D.ForwardHalf), every mode of the half
// counting for itself and its conjugate. A RadialSpectrum holds an FFT
// plan: not safe for concurrent use.
type RadialSpectrum struct {
	l     int
	plan  *fourier.Plan2D
	spec  []complex128 // half spectrum
	bin   []int        // bin of every half-spectrum mode
	w     []float64    // multiplicity of every half-spectrum mode (1 or 2)
	sum   []float64    // Σ power per bin
	modes []float64    // number of modes per bin and field
	n     int
}

// NewRadialSpectrum returns an empty spectrum for L×L fields (L a power of
// two from 2 to MaxRadialL) with nbins radial bins, 1 ≤ nbins ≤ L².
func NewRadialSpectrum(l, nbins int) (*RadialSpectrum, error) {
	if l < 2 || l > MaxRadialL || l&(l-1) != 0 {
		return nil, fmt.Errorf("polyspectra: spectrum size L = %d must be a power of two from 2 to %d", l, MaxRadialL)
	}
	if nbins < 1 || nbins > l*l {
		return nil, fmt.Errorf("polyspectra: number of spectrum bins %d must be in [1, %d]", nbins, l*l)
	}
	plan, err := fourier.NewPlan2D(l, l)
	if err != nil {
		return nil, err
	}
	n, h := plan.HalfLen(), plan.HalfCols()
	s := &RadialSpectrum{
		l: l, plan: plan, spec: make([]complex128, n),
		bin: make([]int, n), w: make([]float64, n),
		sum: make([]float64, nbins), modes: make([]float64, nbins),
	}
	kmax := math.Pi * math.Sqrt2
	for i := range s.bin {
		n1, n2 := i%h, i/h // column (x) and row (y) frequency
		if 2*n2 > l {
			n2 -= l
		}
		k := math.Hypot(2*math.Pi*float64(n1)/float64(l), 2*math.Pi*float64(n2)/float64(l))
		s.bin[i] = min(int(k/kmax*float64(nbins)), nbins-1)
		s.w[i] = 2
		if n1 == 0 || 2*n1 == l { // closed under conjugation
			s.w[i] = 1
		}
		s.modes[s.bin[i]] += s.w[i]
	}
	return s, nil
}

// Add adds the power spectrum of one L×L field x (L² values, row-major).
func (s *RadialSpectrum) Add(x []float64) error {
	if len(x) != s.l*s.l {
		return fmt.Errorf("polyspectra: spectrum of %d×%d fields cannot add %d values", s.l, s.l, len(x))
	}
	_ = s.plan.ForwardHalf(s.spec, x) // sizes match
	norm := 1 / float64(s.l*s.l)
	// Column after column: the summation order of the column-major
	// transform this spectrum used before fourier.Plan2D (phi4.Spectrum),
	// so that the results stay the same bit for bit.
	h := s.plan.HalfCols()
	for n1 := range h {
		for i := n1; i < len(s.spec); i += h {
			c := s.spec[i]
			s.sum[s.bin[i]] += s.w[i] * norm * (real(c)*real(c) + imag(c)*imag(c))
		}
	}
	s.n++
	return nil
}

// N returns the number of fields added.
func (s *RadialSpectrum) N() int { return s.n }

// Result returns the bin centres |k| and the mean power P in each bin
// (NaN for bins that hold no wave vector or when no field was added).
func (s *RadialSpectrum) Result() (k, power []float64) {
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
