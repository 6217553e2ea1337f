package polyspectra

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"scalewise/engine/fourier"
)

// SpectrumError returns the mean over rings of |log(a_i/b_i)| between two
// power spectra of the same rings (rings where either is not > 0 are
// skipped; NaN if none is left or the lengths differ).
func SpectrumError(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.NaN()
	}
	var s float64
	var n int
	for i := range a {
		if a[i] > 0 && b[i] > 0 {
			s += math.Abs(math.Log(a[i] / b[i]))
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// RelError returns the distance of an estimate a from a reference b, bins
// weighted by their Gaussian noise sigma (see the package documentation):
//
//	√( Σ_n ((a_n − b_n)/σ_n)² / Σ_n ((b_n/σ_n)² + 1) ).
//
// Bins with σ_n not > 0 are skipped; it returns NaN if the lengths differ
// or no bin is left.
func RelError(a, b, sigma []float64) float64 {
	if len(a) != len(b) || len(a) != len(sigma) {
		return math.NaN()
	}
	var num, den float64
	var n int
	for i := range a {
		s := sigma[i]
		if !(s > 0) {
			continue
		}
		d := (a[i] - b[i]) / s
		r := b[i] / s
		num += d * d
		den += r*r + 1
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return math.Sqrt(num / den)
}

// Errors are the distances between the statistics of an estimate and a
// reference.
type Errors struct {
	// Spectrum is SpectrumError of the power spectra.
	Spectrum float64
	// Bispectrum, Trispectrum and TrispectrumConnected are RelError with
	// the estimator's noise.
	Bispectrum, Trispectrum, TrispectrumConnected float64
}

// Compare returns the distances of a from the reference b, both computed
// by e (Compute or Mean). It returns Noise's error if the noise σ cannot be
// measured.
func (e *Estimator) Compare(a, b *Polyspectra) (Errors, error) {
	s, err := e.Noise()
	if err != nil {
		return Errors{}, err
	}
	return Errors{
		Spectrum:             SpectrumError(a.Power, b.Power),
		Bispectrum:           RelError(a.Bispectrum, b.Bispectrum, s.Bispectrum),
		Trispectrum:          RelError(a.Trispectrum, b.Trispectrum, s.Trispectrum),
		TrispectrumConnected: RelError(a.TrispectrumConnected, b.TrispectrumConnected, s.TrispectrumConnected),
	}, nil
}

// QuantileEdges returns the inner edges of nbins bins of equal mass of the
// values of the fields xs pooled: the quantiles j/nbins, j = 1…nbins−1
// (the outer bins are unbounded), with repeated values removed (tied data
// gives fewer, unequal bins). nbins must be ≥ 1.
func QuantileEdges(xs [][]float64, nbins int) []float64 {
	var all []float64
	for _, x := range xs {
		all = append(all, x...)
	}
	slices.Sort(all)
	var e []float64
	for j := 1; j < nbins; j++ {
		q := all[min(len(all)-1, j*len(all)/nbins)]
		if len(e) == 0 || q > e[len(e)-1] {
			e = append(e, q)
		}
	}
	return e
}

// Histogram returns the fraction of the pooled values of xs in each bin of
// the inner edges (len(edges)+1 bins: v < e_0, e_0 ≤ v < e_1, …, v ≥ e_last).
func Histogram(xs [][]float64, edges []float64) []float64 {
	p := make([]float64, len(edges)+1)
	var n int
	for _, x := range xs {
		for _, v := range x {
			p[sort.Search(len(edges), func(i int) bool { return edges[i] > v })]++
		}
		n += len(x)
	}
	for i := range p {
		p[i] /= float64(n)
	}
	return p
}

// PDFTotalVariation returns ½Σ_i |p_a,i − p_b,i|, the total variation
// between the pooled one-point histograms of the sets a and b over the
// nbins quantile bins of a and b pooled together (QuantileEdges of both
// sets: symmetric in a and b, and 1 for disjoint sets of equal size
// when nbins is even). It returns an error for an
// empty set, non-finite values or nbins < 1.
func PDFTotalVariation(a, b [][]float64, nbins int) (float64, error) {
	if nbins < 1 {
		return 0, fmt.Errorf("polyspectra: %d histogram bins, want ≥ 1", nbins)
	}
	for _, set := range [][][]float64{a, b} {
		var n int
		for _, x := range set {
			for _, v := range x {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return 0, errors.New("polyspectra: PDFTotalVariation of a non-finite value")
				}
			}
			n += len(x)
		}
		if n == 0 {
			return 0, errors.New("polyspectra: PDFTotalVariation of an empty set")
		}
	}
	edges := QuantileEdges(append(slices.Clip(a), b...), nbins)
	pa, pb := Histogram(a, edges), Histogram(b, edges)
	var tv float64
	for i := range pa {
		tv += math.Abs(pa[i] - pb[i])
	}
	return tv / 2, nil
}

// randomPhaseStream is the second PCG word of RandomPhases.
const randomPhaseStream = 0x7068_6173 // "phas"

// RandomPhases returns a Gaussian-like field with exactly the Fourier
// modulus of x (h rows, w columns): x̂_G(k) = |x̂(k)|·ŵ(k)/|ŵ(k)| with ŵ the
// DFT of white Gaussian noise drawn from seed (uniform, Hermitian-symmetric
// phases, so x_G is real), and x̂_G(0) = x̂(0) (the same mean). It has the
// power spectrum of x at every frequency and random phases, hence no
// bispectrum beyond noise: the "random phase" reference field of Cheng et
// al., "Scattering spectra models for physics", PNAS Nexus 3 (2024).
func RandomPhases(x []float64, w, h int, seed uint64) ([]float64, error) {
	if len(x) != w*h {
		return nil, fmt.Errorf("polyspectra: field has %d values, want %d×%d", len(x), h, w)
	}
	plan, err := fourier.NewPlan2D(h, w)
	if err != nil {
		return nil, err
	}
	xh := make([]complex128, w*h)
	wh := make([]complex128, w*h)
	if err := plan.ForwardReal(xh, x); err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(seed, randomPhaseStream))
	noise := make([]float64, w*h)
	for i := range noise {
		noise[i] = r.NormFloat64()
	}
	if err := plan.ForwardReal(wh, noise); err != nil {
		return nil, err
	}
	for k := 1; k < len(xh); k++ {
		m := math.Hypot(real(xh[k]), imag(xh[k]))
		a := math.Hypot(real(wh[k]), imag(wh[k]))
		if a > 0 {
			xh[k] = complex(m*real(wh[k])/a, m*imag(wh[k])/a)
		} else {
			xh[k] = complex(m, 0)
		}
	}
	out := make([]float64, w*h)
	if err := plan.InverseReal(out, xh); err != nil {
		return nil, err
	}
	return out, nil
}
