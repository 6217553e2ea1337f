package diffusion

import (
	"fmt"
	"math"
)

// ByteGallery is a Gallery of 8-bit images kept as their bytes: image i is
// the W×H block of bytes data[i·W·H : (i+1)·W·H] (row-major), with the
// value b/Max per byte, centred in an image of (W+2·Pad)×(H+2·Pad) values
// whose border of Pad pixels is 0 — how the nets of the generalisation
// experiment saw MNIST digits (28×28 bytes, padded by 2 to 32×32, scaled to
// [0, 1]; Kadkhodaie, Guth, Simoncelli and Mallat, ICLR 2024, §2).
//
// It finds the image most similar to a sample by cosine similarity, raw
// and mean-removed, as Gallery does over the padded float images, without
// expanding them: the padding is 0, so with v = b/Max the inner product
// ⟨x, v⟩ runs over the W×H centre only, while the sum s_v = Σv and the norm
// m_v = ‖v‖² are those of the padded image (the same, as the border adds
// nothing) and n is its size (W+2·Pad)(H+2·Pad):
//
//	cos(x, v)   = ⟨x, v⟩ / √(‖x‖² m_v),
//	cos_c(x, v) = (⟨x, v⟩ − s_x s_v / n) / √((‖x‖² − s_x²/n)(m_v − s_v²/n)).
//
// The products and sums are taken in the order Gallery takes them, pixel by
// pixel in row-major order of the padded image, the zero border adding
// exact zeros: a ByteGallery gives bit for bit the matches of a Gallery of
// the expanded images whose values are float64(b)/Max. It keeps the bytes
// it is given (they must not be modified) and two float64 per image.
type ByteGallery struct {
	data       []byte
	w, h, pad  int
	lut        [256]float64 // lut[b] = b/Max
	sum, norm2 []float64
}

// NewByteGallery returns the gallery of the len(data)/(w·h) images in data,
// each w×h bytes of value b/max, padded by pad zero pixels on every side.
// data must hold a whole, non-zero number of images; max must be positive
// and finite.
func NewByteGallery(data []byte, w, h, pad int, max float64) (*ByteGallery, error) {
	switch {
	case w < 1 || h < 1 || pad < 0:
		return nil, fmt.Errorf("diffusion: byte gallery of %d×%d images padded by %d", w, h, pad)
	case !(max > 0) || math.IsInf(max, 0):
		return nil, fmt.Errorf("diffusion: byte gallery with byte scale %v, want a positive number", max)
	case len(data) == 0 || len(data)%(w*h) != 0:
		return nil, fmt.Errorf("diffusion: byte gallery of %d bytes, not a whole non-zero number of %d×%d images", len(data), w, h)
	}
	g := &ByteGallery{data: data, w: w, h: h, pad: pad}
	for b := range g.lut {
		g.lut[b] = float64(b) / max
	}
	n := len(data) / (w * h)
	g.sum, g.norm2 = make([]float64, n), make([]float64, n)
	for i := range n {
		var s, m float64
		for _, b := range data[i*w*h : (i+1)*w*h] {
			v := g.lut[b]
			s += v
			m += v * v
		}
		g.sum[i], g.norm2[i] = s, m
	}
	return g, nil
}

// Len returns the number of images.
func (g *ByteGallery) Len() int { return len(g.sum) }

// Dim returns the number of values of a padded image, (W+2·Pad)(H+2·Pad),
// the length of the samples Nearest takes.
func (g *ByteGallery) Dim() int { return (g.w + 2*g.pad) * (g.h + 2*g.pad) }

// Image returns image i expanded: its (W+2·Pad)×(H+2·Pad) values, b/Max at
// the centre and 0 on the border.
func (g *ByteGallery) Image(i int) ([]float64, error) {
	if i < 0 || i >= g.Len() {
		return nil, fmt.Errorf("diffusion: byte gallery image %d of %d", i, g.Len())
	}
	pw := g.w + 2*g.pad
	out := make([]float64, g.Dim())
	src := g.data[i*g.w*g.h : (i+1)*g.w*g.h]
	for y := range g.h {
		row := out[(y+g.pad)*pw+g.pad:]
		for x, b := range src[y*g.w : (y+1)*g.w] {
			row[x] = g.lut[b]
		}
	}
	return out, nil
}

// Nearest returns the image most similar to x (Dim values) by cosine
// similarity, raw and mean-removed (centered), the first such image on ties,
// as Gallery.Nearest does over the expanded images. An image of zero norm
// (zero variance, when centered) has similarity 0.
func (g *ByteGallery) Nearest(x []float64) (raw, centered Match, err error) {
	if len(x) != g.Dim() {
		return raw, centered, fmt.Errorf("diffusion: gallery of %d-value images given one of %d", g.Dim(), len(x))
	}
	n := float64(g.Dim())
	sx, mx := sums(x)
	vx := variance(mx, sx, n)
	pw := g.w + 2*g.pad
	raw, centered = Match{Cos: math.Inf(-1)}, Match{Cos: math.Inf(-1)}
	for i := range g.sum {
		img := g.data[i*g.w*g.h : (i+1)*g.w*g.h]
		dot := 0.0
		for y := range g.h {
			xr := x[(y+g.pad)*pw+g.pad : (y+g.pad)*pw+g.pad+g.w]
			for k, b := range img[y*g.w : (y+1)*g.w] {
				dot += g.lut[b] * xr[k]
			}
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
