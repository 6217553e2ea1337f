package compute

import (
	"math"
	"slices"
)

// percentile returns the q-quantile of xs (nearest rank; xs is not
// modified).
func percentile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Round(q * float64(len(s)-1)))
	return s[max(0, min(len(s)-1, i))]
}

// spectrumBins is the number of radial bins of the power spectrum of n×n
// fields the scenes show.
func spectrumBins(n int) int { return max(8, min(32, n/4)) }

// totalVariation returns the total variation distance (1/2)∫|p − q|
// between two densities on the bins of edges.
func totalVariation(p, q, edges []float64) float64 {
	tv := 0.0
	for i := range p {
		tv += 0.5 * math.Abs(p[i]-q[i]) * (edges[i+1] - edges[i])
	}
	return tv
}

// meanAbsLogRatio returns the mean of |log p_i/q_i| over the bins with
// k_i > 0 and both powers positive (0 when there is none): how far a
// power spectrum p is from q.
func meanAbsLogRatio(k, p, q []float64) float64 {
	s, n := 0.0, 0
	for i := range p {
		if k[i] > 0 && p[i] > 0 && q[i] > 0 {
			s += math.Abs(math.Log(p[i] / q[i]))
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return s / float64(n)
}
