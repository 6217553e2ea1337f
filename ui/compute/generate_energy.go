package compute

import (
	"fmt"
	"math/bits"

	"scalewise/engine/wavelet"
)

// genEnergy measures the energy of each wavelet scale of an image, to show
// that generation runs coarse to fine: the ascent of Kadkhodaie and
// Simoncelli (NeurIPS 2021, Alg. 1) removes the noise at every scale at
// once, and the coarse scales, where the signal dominates the noise
// first, settle first (Kadkhodaie, Guth, Simoncelli and Mallat, ICLR 2024,
// §2, for the samplers of the generalisation experiment).
// With the orthogonal periodic Daubechies-4 transform over J levels of an
// image x of n pixels,
//
//	E_j     = ‖x̄_j‖² / n            (j = 1 … J: the H, V, D details at scale 2^j)
//	E_{J+1} = ‖x_J − m‖² / n         (the coarse approximation less its mean m)
//
// and, the transform being orthogonal and the image's mean living in the
// coarse approximation alone, Σ E = ‖x − x̄‖²/n, the variance of x. Not
// safe for concurrent use.
type genEnergy struct {
	size, J int
	tr      *wavelet.Transform
	buf     []float64
}

// genLevels returns the J of a size×size image: log2(size) − 2 (a 4×4
// coarse approximation for powers of 2), at most the levels that divide
// size.
func genLevels(size int) int {
	return max(1, min(bits.Len(uint(size))-1-2, wavelet.MaxLevels(size, size)))
}

// newGenEnergy returns the measure for size×size images.
func newGenEnergy(size int) (*genEnergy, error) {
	w, err := wavelet.ByName("db4")
	if err != nil {
		return nil, err
	}
	j := genLevels(size)
	tr, err := wavelet.NewTransform(w, size, size, j)
	if err != nil {
		return nil, fmt.Errorf("scale energies: %w", err)
	}
	return &genEnergy{size: size, J: j, tr: tr, buf: make([]float64, size*size)}, nil
}

// energies returns E_1 … E_{J+1} of x (size² values, row-major).
func (e *genEnergy) energies(x []float64) ([]float64, error) {
	if err := e.tr.Forward(e.buf, x); err != nil {
		return nil, err
	}
	n := e.size * e.size
	out := make([]float64, e.J+1)
	for j := 1; j <= e.J; j++ {
		// Level j's bands: the block of side s = size/2^j right of, below
		// and diagonal to the top-left s×s block, in the top-left 2s×2s.
		s := e.size >> j
		sum := 0.0
		for y := range 2 * s {
			row := e.buf[y*e.size : y*e.size+2*s]
			if y < s {
				row = row[s:]
			}
			for _, v := range row {
				sum += v * v
			}
		}
		out[j-1] = sum / float64(n)
	}
	s := e.size >> e.J
	mean := 0.0
	for y := range s {
		for _, v := range e.buf[y*e.size : y*e.size+s] {
			mean += v
		}
	}
	mean /= float64(s * s)
	sum := 0.0
	for y := range s {
		for _, v := range e.buf[y*e.size : y*e.size+s] {
			sum += (v - mean) * (v - mean)
		}
	}
	out[e.J] = sum / float64(n)
	return out, nil
}
