package phi4

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// ErrShortSeries reports that a series is too short for the automatic
// window of TauInt: no window W < n/2 satisfies W ≥ c·τ_int(W).
var ErrShortSeries = errors.New("phi4: series too short for the automatic τ_int window")

// Autocorrelation is the result of TauInt.
type Autocorrelation struct {
	// Tau is the integrated autocorrelation time τ_int(W) in steps of the
	// series, so that the variance of the mean of n values is ≈ 2τ σ²/n.
	Tau float64
	// Err is the statistical error τ·√(2(2W+1)/n) (Madras & Sokal 1988).
	Err float64
	// Window is the summation window W.
	Window int
	// Mean and Var are the mean and variance of the series.
	Mean, Var float64
}

// DefaultWindowC is the constant c of the automatic window used by
// SampleDecorrelated.
const DefaultWindowC = 6

// TauInt returns the integrated autocorrelation time of a scalar series
// x₁..x_n with the automatic windowing of Madras & Sokal (J. Stat. Phys.
// 50, 109 (1988), App. C):
//
//	ρ(t) = C(t)/C(0),   C(t) = (n−t)⁻¹ Σ_{i=1}^{n−t} (x_i − x̄)(x_{i+t} − x̄),
//	τ_int(W) = ½ + Σ_{t=1}^{W} ρ(t),
//
// with W the smallest window such that W ≥ c·τ_int(W) (c ≈ 5–6). For an
// AR(1) series of coefficient ρ, τ_int = (1+ρ)/(2(1−ρ)). C(t) is computed
// with a zero-padded FFT in O(n log n). If no W < n/2 satisfies the
// criterion, the estimate at W = n/2 − 1 is returned with an error
// wrapping ErrShortSeries.
func TauInt(x []float64, c float64) (Autocorrelation, error) {
	n := len(x)
	if n < 4 {
		return Autocorrelation{}, fmt.Errorf("phi4: τ_int needs at least 4 values, got %d", n)
	}
	if !(c > 0) || math.IsInf(c, 1) {
		return Autocorrelation{}, fmt.Errorf("phi4: window constant c = %v must be positive and finite", c)
	}
	mean := 0.0
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Autocorrelation{}, fmt.Errorf("phi4: τ_int: value %d is %v", i, v)
		}
		mean += v
	}
	mean /= float64(n)
	m := 1
	for m < 2*n {
		m *= 2
	}
	buf := make([]float64, m)
	for i, v := range x {
		buf[i] = v - mean
	}
	plan := fourier.NewFFT(m)
	spec := plan.Coefficients(nil, buf)
	for i, z := range spec {
		spec[i] = complex(real(z)*real(z)+imag(z)*imag(z), 0)
	}
	acf := plan.Sequence(buf, spec) // m·Σ_i y_i y_{i+t}
	c0 := acf[0] / float64(m*n)
	res := Autocorrelation{Mean: mean, Var: c0}
	if !(c0 > 0) {
		return res, errors.New("phi4: τ_int of a constant series is undefined")
	}
	tau := 0.5
	w := 1
	for ; w < n/2; w++ {
		tau += acf[w] / float64(m*(n-w)) / c0
		if float64(w) >= c*tau {
			break
		}
	}
	short := w >= n/2
	if short {
		w = n/2 - 1
	}
	res.Tau = tau
	res.Window = w
	res.Err = tau * math.Sqrt(2*float64(2*w+1)/float64(n))
	if short {
		return res, fmt.Errorf("%w (n = %d, τ_int ≥ %.3g)", ErrShortSeries, n, tau)
	}
	return res, nil
}
