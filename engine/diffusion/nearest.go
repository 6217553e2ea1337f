package diffusion

import (
	"fmt"
	"math"
)

// Cosine returns the cosine similarity (normalised inner product)
// ⟨a, b⟩ / (‖a‖‖b‖) of two images of equal length, or 0 when either is 0.
// Kadkhodaie, Guth, Simoncelli and Mallat (ICLR 2024, §2.2) compare samples
// of two nets, and samples with their nearest training images, this way.
func Cosine(a, b []float64) float64 {
	var ab, aa, bb float64
	for i, v := range a {
		w := b[i]
		ab += v * w
		aa += v * v
		bb += w * w
	}
	return ratio(ab, aa, bb)
}

// CenteredCosine returns the cosine similarity of a − ā and b − b̄, each
// image less its own mean (the Pearson correlation of the pixels), or 0
// when either is constant.
func CenteredCosine(a, b []float64) float64 {
	n := float64(len(a))
	var ma, mb float64
	for i, v := range a {
		ma += v
		mb += b[i]
	}
	ma, mb = ma/n, mb/n
	var ab, aa, bb float64
	for i, v := range a {
		x, y := v-ma, b[i]-mb
		ab += x * y
		aa += x * x
		bb += y * y
	}
	return ratio(ab, aa, bb)
}

// ratio returns ab/√(aa·bb), or 0 when aa or bb is 0.
func ratio(ab, aa, bb float64) float64 {
	if aa <= 0 || bb <= 0 {
		return 0
	}
	return ab / math.Sqrt(aa*bb)
}

// Match is the most similar image of a Gallery: its index and the
// similarity.
type Match struct {
	Index int
	Cos   float64
}

// Gallery is a set of images of equal length to search by brute force for
// the most similar image to a sample, by cosine similarity, raw and with
// each image's mean removed (Kadkhodaie et al., ICLR 2024, §2.2: the nearest
// image of a sample in its net's training set). It keeps its own copy of
// the images, with their norms and sums, so that one pass of inner products
// gives both similarities: with s = Σx and m = ‖x‖²,
//
//	⟨x − x̄, y − ȳ⟩ = ⟨x, y⟩ − s_x s_y / n,  ‖x − x̄‖² = m_x − s_x² / n.
type Gallery struct {
	dim        int
	data       []float64
	sum, norm2 []float64
}

// NewGallery copies images, each of dim values, into a gallery.
func NewGallery(dim int, images [][]float64) (*Gallery, error) {
	if dim < 1 {
		return nil, fmt.Errorf("diffusion: gallery of images of %d values", dim)
	}
	g := &Gallery{dim: dim, data: make([]float64, 0, dim*len(images)),
		sum: make([]float64, len(images)), norm2: make([]float64, len(images))}
	for i, im := range images {
		if len(im) != dim {
			return nil, fmt.Errorf("diffusion: gallery image %d has %d values, want %d", i, len(im), dim)
		}
		g.data = append(g.data, im...)
		g.sum[i], g.norm2[i] = sums(im)
	}
	return g, nil
}

// sums returns Σx and ‖x‖².
func sums(x []float64) (s, m float64) {
	for _, v := range x {
		s += v
		m += v * v
	}
	return s, m
}

// Len returns the number of images.
func (g *Gallery) Len() int { return len(g.sum) }

// Nearest returns the gallery image most similar to x by cosine similarity
// (raw) and by cosine similarity of the mean-removed images (centered); the
// first such image on ties. An image of zero norm (zero variance, when
// centered) has similarity 0. The gallery must not be empty.
func (g *Gallery) Nearest(x []float64) (raw, centered Match, err error) {
	if len(x) != g.dim {
		return raw, centered, fmt.Errorf("diffusion: gallery of %d-value images given one of %d", g.dim, len(x))
	}
	if g.Len() == 0 {
		return raw, centered, fmt.Errorf("diffusion: empty gallery")
	}
	n := float64(g.dim)
	sx, mx := sums(x)
	vx := variance(mx, sx, n)
	raw, centered = Match{Cos: math.Inf(-1)}, Match{Cos: math.Inf(-1)}
	for i := range g.sum {
		row := g.data[i*g.dim : (i+1)*g.dim]
		dot := 0.0
		for k, v := range row {
			dot += v * x[k]
		}
		if c := ratio(dot, mx, g.norm2[i]); c > raw.Cos {
			raw = Match{Index: i, Cos: c}
		}
		vi := variance(g.norm2[i], g.sum[i], n)
		if c := ratio(dot-sx*g.sum[i]/n, vx, vi); c > centered.Cos {
			centered = Match{Index: i, Cos: c}
		}
	}
	return raw, centered, nil
}

// variance returns ‖x − x̄‖² = m − s²/n from m = ‖x‖² and s = Σx, as 0 when
// it is within rounding of 0 (a constant image).
func variance(m, s, n float64) float64 {
	v := m - s*s/n
	if v <= 1e-12*m {
		return 0
	}
	return v
}
