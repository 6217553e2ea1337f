package layout

// The eigenvectors of the adapted basis come as one image of tiles, cols
// across in the order of k (protocol.BasisValues); the canvas draws each
// tile on its own, with its eigenvalue λ_k under it (Kadkhodaie, Guth,
// Simoncelli and Mallat, ICLR 2024, §3, Fig. 4).

// TileGrid is where the tiles lie in such an image: N square cells of
// Cell pixels, Cols across and Rows down, Gap pixels between them (the
// engine's tile canvases: w = cols·cell + (cols−1)·gap).
type TileGrid struct{ N, Cols, Rows, Cell, Gap int }

// maxTileGap is the widest gap between tiles TileGridOf tries when the
// tiles are not size pixels; between tiles of size pixels it takes gaps up
// to a quarter of a tile.
const maxTileGap = 4

// TileGridOf infers the grid of n square tiles, cols across, in a w×h
// image: cells of size pixels with the gap (up to a quarter of a cell)
// that makes up the width, or else the largest cells (enlarged or reduced tiles) with a gap of 0 to
// maxTileGap that fit both sides exactly. ok is false when no grid fits.
func TileGridOf(w, h, n, cols, size int) (g TileGrid, ok bool) {
	if n < 1 || cols < 1 || w < 1 || h < 1 {
		return TileGrid{}, false
	}
	cols = min(cols, n)
	rows := (n + cols - 1) / cols
	fits := func(cell, gap int) bool {
		return cell > 0 && gap >= 0 && cols*cell+(cols-1)*gap == w && rows*cell+(rows-1)*gap == h
	}
	if size > 0 {
		gap := 0
		if cols > 1 {
			gap = (w - cols*size) / (cols - 1)
		} else if rows > 1 {
			gap = (h - rows*size) / (rows - 1)
		}
		if gap <= max(maxTileGap, size/4) && fits(size, gap) {
			return TileGrid{N: n, Cols: cols, Rows: rows, Cell: size, Gap: gap}, true
		}
	}
	for gap := 0; gap <= maxTileGap; gap++ {
		if cell := (w - (cols-1)*gap) / cols; fits(cell, gap) {
			return TileGrid{N: n, Cols: cols, Rows: rows, Cell: cell, Gap: gap}, true
		}
	}
	return TileGrid{}, false
}

// Src returns the top-left pixel of tile i in the image.
func (g TileGrid) Src(i int) (x, y int) {
	return (i % g.Cols) * (g.Cell + g.Gap), (i / g.Cols) * (g.Cell + g.Gap)
}

// TileLayout is where the canvas draws n tiles: each tile's square, the
// room for its label under it (empty rectangles when there are no labels),
// and a line for a note under the grid (empty when there is none).
type TileLayout struct {
	Tiles  []Rect
	Labels []Rect
	Note   Rect
}

// Tiles lays n square tiles out cols across in r, as large as fit with gap
// between them and, when label is more than 0, a label label high under
// each; a note note high (0: none) goes under the grid. The grid is
// centred across r and starts at its top. Too small a rectangle gives no
// tiles.
func Tiles(r Rect, n, cols int, gap, label, note float32) TileLayout {
	if n < 1 || cols < 1 {
		return TileLayout{}
	}
	cols = min(cols, n)
	rows := (n + cols - 1) / cols
	side := min((r.W-float32(cols-1)*gap)/float32(cols),
		(r.H-note-float32(rows)*label-float32(rows-1)*gap)/float32(rows))
	if !(side > 0) {
		return TileLayout{}
	}
	pitchX, pitchY := side+gap, side+label+gap
	x0 := r.X + (r.W-(float32(cols)*pitchX-gap))/2
	l := TileLayout{Tiles: make([]Rect, n), Labels: make([]Rect, n)}
	for i := range n {
		t := Rect{X: x0 + float32(i%cols)*pitchX, Y: r.Y + float32(i/cols)*pitchY, W: side, H: side}
		l.Tiles[i] = t
		if label > 0 {
			l.Labels[i] = Rect{X: t.X, Y: t.Bottom(), W: side, H: label}
		}
	}
	if note > 0 {
		l.Note = Rect{X: r.X, Y: r.Y + float32(rows)*pitchY - gap, W: r.W, H: note}
	}
	return l
}
