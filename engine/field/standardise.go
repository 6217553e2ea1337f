package field

import (
	"fmt"
	"math"
)

// MeanStd returns the mean μ = (1/n) Σ x_i and the population standard
// deviation σ = √((1/n) Σ (x_i − μ)²) of x (NaN for an empty x).
func MeanStd(x []float64) (mean, std float64) {
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var ss float64
	for _, v := range x {
		d := v - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / float64(len(x)))
}

// Standardise rescales x in place to zero mean and unit variance,
// x_i ← (x_i − μ)/σ with MeanStd's μ and σ, the normalisation of the
// physics fields this project synthesises, as the wavelet-conditional RG
// normalises its training fields (Marchand, Ozawa, Biroli and Mallat,
// "Multiscale data-driven energy estimation and generation", PRX 13,
// 041038 (2023)). It returns an error,
// leaving x unchanged, when x is empty, holds a NaN or an infinity, or is
// constant (σ = 0).
func Standardise(x []float64) error {
	m, sd := MeanStd(x)
	switch {
	case len(x) == 0:
		return fmt.Errorf("field: cannot standardise an empty field")
	case math.IsNaN(m) || math.IsInf(m, 0) || math.IsNaN(sd) || math.IsInf(sd, 0):
		return fmt.Errorf("field: cannot standardise a field with non-finite values (mean %v, std %v)", m, sd)
	case sd == 0:
		return fmt.Errorf("field: cannot standardise a constant field (value %v)", m)
	}
	for i, v := range x {
		x[i] = (v - m) / sd
	}
	return nil
}
