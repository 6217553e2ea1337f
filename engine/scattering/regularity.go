package scattering

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"

	"scalewise/engine/field"
	"scalewise/engine/wavelet"
)

// RegularityBoundExponent is the exponent 2 of the geometric directional
// regularity theorem of N. Cuvelle-Magar and S. Mallat (Mallat's talk
// "Multiscale geometry of images and physics with score diffusion", slide
// "Geometric Directional Regularity"): if x is a C² image besides piecewise
// C² edge curves, then for all k, j' ≥ j and every α < 2 there is a C > 0
// with
//
//	‖ |x ⋆ ψ_{j,k}| ⋆ ψ_{j',k⊥} ‖₁ ≤ C·2^{α j'}.
//
// The growth exponent fitted by DirectionalRegularity is reported next to
// this bound.
const RegularityBoundExponent = 2.0

// ErrUndefinedSlope is returned (wrapped) by DirectionalRegularity when some
// D(j, ℓ, j') is zero, so that log₂ D and the fitted exponent are undefined
// (for instance for a constant image).
var ErrUndefinedSlope = errors.New("scattering: a directional regularity value is zero; its log-slope is undefined")

// Regularity is the directional regularity curve of one first wavelet
// ψ_{j,ℓ}:
//
//	D(j, ℓ, j') = (1/(width·height)) Σ_u | (|x ⋆ ψ_{j,ℓ}| ⋆ ψ_{j',ℓ⊥})(u) |,   j' ∈ JPrimes,
//
// (ModulusTransform.SecondNorm1) and its growth exponent: the least-squares
// line log₂ D ≈ Intercept + Slope·j' (gonum stat.LinearRegression). The
// theorem (RegularityBoundExponent) bounds D by C·2^{αj'} for every α < 2 when
// the image is C² away from piecewise-C² edges.
//
// Normalisation: the bank's wavelets have ψ̂ ≈ 1 at their centre frequency
// at every scale, i.e. ψ_j(u) = 2^{−2j}ψ(2^{−j}u) with an L¹ norm independent
// of j (wavelet.DirectionalBank), the usual scattering convention. The slide
// does not state the normalisation; with L²-normalised second wavelets
// (2^{−j'}ψ(2^{−j'}u)) every D would gain a factor proportional to 2^{j'}
// and every exponent would increase by exactly 1.
type Regularity struct {
	Scale         int       // j, the scale of the first wavelet
	Orientation   int       // ℓ, the orientation of the first wavelet
	Perpendicular int       // ℓ⊥ = (ℓ + L/2) mod L, that of the second wavelets
	JPrimes       []int     // the scales j' of the second wavelets, increasing
	D             []float64 // D(j, ℓ, j') for each j' in JPrimes
	// S1 is the pixel mean of |x ⋆ ψ_{j,ℓ}|, the scale against which D can be
	// read (D/S1 is dimensionless; dividing by it does not change Slope).
	S1 float64
	// Fitted is false when some D is zero; Slope, Intercept and R2 are then 0.
	Fitted    bool
	Slope     float64 // fitted growth exponent s in D ≈ 2^{Intercept}·2^{s j'}
	Intercept float64 // log₂ D at j' = 0 on the fitted line
	R2        float64 // coefficient of determination of the fit (1 for an exact power law)
}

// DefaultJPrimes returns the second scales j' = j+1, …, J−1 of the bank (the
// talk shows j+1..j+3; the bank's size bounds J), or nil when the bank is nil
// or j+1 ≥ J.
func DefaultJPrimes(bank *wavelet.DirectionalBank, j int) []int {
	if bank == nil || j < 0 {
		return nil
	}
	var out []int
	for jp := j + 1; jp < bank.Scales(); jp++ {
		out = append(out, jp)
	}
	return out
}

// checkJPrimes requires at least two strictly increasing scales j ≤ j' < J.
func checkJPrimes(bank *wavelet.DirectionalBank, j int, jprimes []int) error {
	if len(jprimes) < 2 {
		return fmt.Errorf("scattering: %d second scales j'; a growth exponent needs at least 2", len(jprimes))
	}
	for i, jp := range jprimes {
		if jp < j || jp >= bank.Scales() {
			return fmt.Errorf("scattering: second scale j' = %d outside [j, J) = [%d, %d)", jp, j, bank.Scales())
		}
		if i > 0 && jp <= jprimes[i-1] {
			return fmt.Errorf("scattering: second scales %v are not strictly increasing", jprimes)
		}
	}
	return nil
}

// fitLog2 fits log₂ d against the scales js by least squares. It returns
// fitted = false when some d is not positive.
func fitLog2(js []int, d []float64) (slope, intercept, r2 float64, fitted bool) {
	xs := make([]float64, len(js))
	ys := make([]float64, len(js))
	for i, v := range d {
		if !(v > 0) || math.IsInf(v, 0) {
			return 0, 0, 0, false
		}
		xs[i] = float64(js[i])
		ys[i] = math.Log2(v)
	}
	intercept, slope = stat.LinearRegression(xs, ys, nil, false)
	r2 = stat.RSquared(xs, ys, nil, intercept, slope)
	if math.IsNaN(r2) { // all ys equal: the line is exact
		r2 = 1
	}
	return slope, intercept, r2, true
}

// DirectionalRegularity returns the directional regularity curve D(j, ℓ, j')
// for j' in jprimes of the image set by SetField, with its fitted growth
// exponent (see Regularity). jprimes must hold at least two strictly
// increasing scales j ≤ j' < J (DefaultJPrimes gives j+1..J−1), and L must
// be even. When some D is zero the curve is returned with Fitted = false and
// an error wrapping ErrUndefinedSlope. It allocates only the result and the
// fit's two work slices.
func (t *ModulusTransform) DirectionalRegularity(j, l int, jprimes []int) (Regularity, error) {
	perp, err := t.checkSecond(j, l, j)
	if err != nil {
		return Regularity{}, err
	}
	if err := checkJPrimes(t.bank, j, jprimes); err != nil {
		return Regularity{}, err
	}
	r := Regularity{Scale: j, Orientation: l, Perpendicular: perp,
		JPrimes: append([]int(nil), jprimes...), D: make([]float64, len(jprimes))}
	if r.S1, err = t.ModulusMean(j, l); err != nil {
		return Regularity{}, err
	}
	for i, jp := range jprimes {
		if r.D[i], err = t.SecondNorm1(j, l, jp); err != nil {
			return Regularity{}, err
		}
	}
	r.Slope, r.Intercept, r.R2, r.Fitted = fitLog2(r.JPrimes, r.D)
	if !r.Fitted {
		return r, fmt.Errorf("%w (j = %d, ℓ = %d, D = %v)", ErrUndefinedSlope, j, l, r.D)
	}
	return r, nil
}

// DirectionalRegularity returns the directional regularity of the image x
// for the first wavelet ψ_{j,ℓ} and the second scales jprimes (see
// ModulusTransform.DirectionalRegularity and Regularity).
func DirectionalRegularity(bank *wavelet.DirectionalBank, x *field.Field, j, l int, jprimes []int) (Regularity, error) {
	t, err := newSet(bank, x)
	if err != nil {
		return Regularity{}, err
	}
	return t.DirectionalRegularity(j, l, jprimes)
}

// RegularitySummary aggregates the directional regularity of scale j over
// all L orientations by their mean,
//
//	D̄(j, j') = (1/L) Σ_ℓ D(j, ℓ, j'),
//
// with the least-squares growth exponent of log₂ D̄ against j'. The mean is
// the pixel-mean L¹ norm of the whole second layer at (j, j') divided by L;
// it is dominated by the orientations along which the image has edges (large
// |x ⋆ ψ_{j,ℓ}|), is defined whenever one orientation responds, and, for
// square images and even L, does not change when the image is rotated by
// 90° or transposed (these maps permute the orientations). The maximum of the per-orientation exponents, the other
// natural aggregate, is not used because orientations that carry almost no
// energy give exponents dominated by background texture or round-off; the
// per-orientation curves are kept in PerOrientation.
type RegularitySummary struct {
	Scale          int
	JPrimes        []int
	D              []float64 // D̄(j, j') for each j' in JPrimes
	Fitted         bool      // false when some D̄ is zero
	Slope          float64   // growth exponent of D̄
	Intercept      float64
	R2             float64
	PerOrientation []Regularity // ℓ = 0..L−1; an entry has Fitted = false when one of its D is zero
}

// DirectionalRegularityMean returns the orientation-averaged directional
// regularity of scale j of the image set by SetField (see
// RegularitySummary). Arguments and errors as for DirectionalRegularity,
// except that a zero D of a single orientation is not an error (that entry
// has Fitted = false); a zero mean D̄ returns the summary and an error
// wrapping ErrUndefinedSlope.
func (t *ModulusTransform) DirectionalRegularityMean(j int, jprimes []int) (RegularitySummary, error) {
	if _, err := t.checkSecond(j, 0, j); err != nil {
		return RegularitySummary{}, err
	}
	if err := checkJPrimes(t.bank, j, jprimes); err != nil {
		return RegularitySummary{}, err
	}
	n := t.bank.Orientations()
	s := RegularitySummary{Scale: j, JPrimes: append([]int(nil), jprimes...),
		D: make([]float64, len(jprimes)), PerOrientation: make([]Regularity, n)}
	for l := range n {
		r, err := t.DirectionalRegularity(j, l, jprimes)
		if err != nil && !errors.Is(err, ErrUndefinedSlope) {
			return RegularitySummary{}, err
		}
		s.PerOrientation[l] = r
		for i, v := range r.D {
			s.D[i] += v / float64(n)
		}
	}
	s.Slope, s.Intercept, s.R2, s.Fitted = fitLog2(s.JPrimes, s.D)
	if !s.Fitted {
		return s, fmt.Errorf("%w (j = %d, mean over orientations, D = %v)", ErrUndefinedSlope, j, s.D)
	}
	return s, nil
}

// DirectionalRegularityMean returns the orientation-averaged directional
// regularity of the image x at scale j (see
// ModulusTransform.DirectionalRegularityMean and RegularitySummary).
func DirectionalRegularityMean(bank *wavelet.DirectionalBank, x *field.Field, j int, jprimes []int) (RegularitySummary, error) {
	t, err := newSet(bank, x)
	if err != nil {
		return RegularitySummary{}, err
	}
	return t.DirectionalRegularityMean(j, jprimes)
}
