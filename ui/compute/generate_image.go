package compute

import "image"

// The pictures of the Generate scene: each image in grey from 0 (black) to
// its own maximum (white, genWhite), enlarged by nearest neighbour and laid
// out in cells separated by a grey gap.

// genMinWhite is the least grey level shown white: an image whose values
// all lie below it (pure noise around 0) is not stretched further.
const genMinWhite = 0.05

// genWhite returns the value shown white for the image x: its maximum, at
// least genMinWhite. A bias-free denoiser is homogeneous, x̂(αy) = αx̂(y)
// (Mohan, Kadkhodaie, Simoncelli, Fernandez-Granda, ICLR 2020), so the
// sampler, not the net, sets a sample's overall contrast: from mean 0 (the
// authors' code's settings) the digits end with a maximum near 0.1. Each
// image is shown over [0, its maximum], as the paper's figures show them;
// the nets' training images, in [0, 1] with maximum 1, are unchanged.
func genWhite(x []float64) float64 {
	hi := genMinWhite
	for _, v := range x {
		if v > hi {
			hi = v
		}
	}
	return hi
}

// genGapGrey is the grey level of the gaps between cells.
const genGapGrey = 96

// genScale returns the factor an exported image of side size is enlarged
// by: 4 for the sweep's 32×32, up to about 128 pixels.
func genScale(size int) int { return max(1, 128/size) }

// genCanvas is a picture of grey levels (0 … 255), cols×rows cells of
// side cell separated by gap pixels.
type genCanvas struct {
	w, h, cell, gap int
	pix             []uint8
}

// newGenCanvas returns a canvas of cols×rows cells, gaps filled with
// genGapGrey.
func newGenCanvas(cols, rows, cell, gap int) *genCanvas {
	c := &genCanvas{w: cols*cell + (cols-1)*gap, h: rows*cell + (rows-1)*gap, cell: cell, gap: gap}
	c.pix = make([]uint8, c.w*c.h)
	for i := range c.pix {
		c.pix[i] = genGapGrey
	}
	return c
}

// put draws the n×n image x (row-major, grey over [0, genWhite(x)]) into
// the cell of column col and row row, enlarged to the cell's side by
// nearest neighbour; nil x leaves the cell black.
func (c *genCanvas) put(col, row, n int, x []float64) {
	x0, y0 := col*(c.cell+c.gap), row*(c.cell+c.gap)
	hi := genWhite(x)
	for y := range c.cell {
		dst := c.pix[(y0+y)*c.w+x0 : (y0+y)*c.w+x0+c.cell]
		if x == nil {
			clear(dst)
			continue
		}
		src := x[(y*n/c.cell)*n:]
		for i := range dst {
			dst[i] = paletteIndex(src[i*n/c.cell], 0, hi)
		}
	}
}

// put32 is put for float32 values.
func (c *genCanvas) put32(col, row, n int, x []float32) {
	x64 := make([]float64, len(x))
	for i, v := range x {
		x64[i] = float64(v)
	}
	c.put(col, row, n, x64)
}

// gray returns the canvas as a grey image.
func (c *genCanvas) gray() *image.Gray {
	return &image.Gray{Pix: c.pix, Stride: c.w, Rect: image.Rect(0, 0, c.w, c.h)}
}

// rgba returns the canvas as RGBA bytes (opaque grey).
func (c *genCanvas) rgba() []byte {
	out := make([]byte, 4*len(c.pix))
	for i, v := range c.pix {
		out[4*i], out[4*i+1], out[4*i+2], out[4*i+3] = v, v, v, 255
	}
	return out
}
