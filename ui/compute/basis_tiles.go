package compute

import (
	"fmt"
	"math"

	"scalewise/engine/field"
)

// basisCols returns the tiles across of k eigenvectors, ⌈√k⌉: a grid as
// square as it gets (⌈k/cols⌉ rows).
func basisCols(k int) int {
	c := int(math.Ceil(math.Sqrt(float64(k))))
	for c*c < k { // guard against rounding of the square root
		c++
	}
	for c > 1 && (c-1)*(c-1) >= k {
		c--
	}
	return max(c, 1)
}

// addBasisTiles adds to fr, as name, the vectors (each a side×side image,
// row-major) as a grid of cols tiles across and ⌈len/cols⌉ down, without
// gaps, in order (row by row): tile k at column k mod cols and row
// k div cols. Each tile is rendered with the diverging colormap (zero
// white) over its own limits ±max|e_k| (±1 for a zero vector); the cells
// left over in the last row are the colormap's zero (white).
func addBasisTiles(fr *Frames, name string, vectors [][]float64, side, cols int) error {
	if len(vectors) == 0 || cols < 1 || side < 1 {
		return fmt.Errorf("tiles of %d vectors, %d across, of side %d", len(vectors), cols, side)
	}
	rows := (len(vectors) + cols - 1) / cols
	w, h := cols*side, rows*side
	img := make([]byte, 4*w*h)
	tile := make([]byte, 4*side*side)
	f := field.New(side, side)
	for k := range rows * cols {
		var v []float64
		if k < len(vectors) {
			v = vectors[k]
			if len(v) != side*side {
				return fmt.Errorf("tile %d has %d values, not %d×%d", k, len(v), side, side)
			}
		}
		clear(f.Data)
		copy(f.Data, v)
		lim := 0.0
		for _, x := range v {
			lim = math.Max(lim, math.Abs(x))
		}
		if lim == 0 || math.IsNaN(lim) || math.IsInf(lim, 0) {
			lim = 1
		}
		if err := field.RenderRGBA(tile, f, field.Diverging, -lim, lim); err != nil {
			return fmt.Errorf("tile %d: %w", k, err)
		}
		x0, y0 := (k%cols)*side, (k/cols)*side
		for r := range side {
			copy(img[4*((y0+r)*w+x0):], tile[4*r*side:4*(r+1)*side])
		}
	}
	return fr.AddRGBA(name, w, h, img)
}
