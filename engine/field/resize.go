package field

// Upsample returns f enlarged factor times in each direction by nearest
// neighbour: every value becomes a factor×factor block. Upsample(f, 1) is a
// copy of f. It returns nil if f is invalid (nil, or with sizes that do not
// match its data), factor < 1, or the result would exceed 1<<28 values.
func Upsample(f *Field, factor int) *Field {
	if checkField(f) != nil || factor < 1 || factor > maxElements/f.W || factor > maxElements/f.H {
		return nil
	}
	w, h := f.W*factor, f.H*factor
	if w > maxElements/h {
		return nil
	}
	g := New(w, h)
	for y := 0; y < f.H; y++ {
		src := f.Data[y*f.W : (y+1)*f.W]
		row := g.Data[y*factor*w : (y*factor+1)*w]
		for x, v := range src {
			blk := row[x*factor : (x+1)*factor]
			for i := range blk {
				blk[i] = v
			}
		}
		for k := 1; k < factor; k++ {
			copy(g.Data[(y*factor+k)*w:(y*factor+k+1)*w], row)
		}
	}
	return g
}

// Resize returns f resampled to w×h by nearest neighbour: the value at
// column x, row y is that of f at the pixel whose area contains the centre
// of the destination pixel, column ⌊(2x+1)·f.W/(2w)⌋ and row
// ⌊(2y+1)·f.H/(2h)⌋. For w = k·f.W and h = k·f.H it equals Upsample(f, k).
// It returns nil if f is invalid, w or h is not positive, or w·h exceeds
// 1<<28 values.
func Resize(f *Field, w, h int) *Field {
	if checkField(f) != nil || w <= 0 || h <= 0 || w > maxElements/h {
		return nil
	}
	g := New(w, h)
	cols := make([]int, w)
	for x := range cols {
		cols[x] = (2*x + 1) * f.W / (2 * w)
	}
	for y := 0; y < h; y++ {
		sy := (2*y + 1) * f.H / (2 * h)
		src := f.Data[sy*f.W : (sy+1)*f.W]
		dst := g.Data[y*w : (y+1)*w]
		for x, sx := range cols {
			dst[x] = src[sx]
		}
	}
	return g
}
