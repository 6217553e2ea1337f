package layout

// ScalesRects are the panels of the Scales scene.
type ScalesRects struct {
	Input  Rect // the image x
	Energy Rect // the energy share per scale
	Main   Rect // the chosen view of scale j
	Side   Rect // the coefficients x_j
	Info   Rect // the numbers
}

// Scales lays out the Scales scene on a w×h canvas.
func Scales(w, h int) ScalesRects {
	f, s, portrait := design(w, h)
	var r ScalesRects
	if portrait {
		// The view on top, the image and the coefficients below it, then
		// the energy and the numbers.
		c := f.Shrink(12*s, 28*s, 12*s, 12*s)
		main, rest := c.SplitTop(448*s, 36*s)
		r.Main = main.Square()
		pair := rest.Row(0, (rest.W-16*s)/2).Grid(2, 2, 16*s)
		r.Input, r.Side = pair[0], pair[1]
		below := rest.Row(r.Input.H+36*s, 150*s).Grid(2, 2, 16*s)
		r.Energy, r.Info = below[0], below[1]
		return r
	}
	// Three columns: the image over the energy, the view, the coefficients
	// over the numbers.
	c := f.Shrink(16*s, 28*s, 16*s, 52*s)
	left, rest := c.SplitLeft(240*s, 20*s)
	main, side := rest.SplitLeft(c.H, 16*s)
	r.Input = left.WithSize(left.W, left.W)
	r.Energy = left.Row(r.Input.H+32*s, 200*s)
	r.Main = main
	r.Side = side.WithSize(side.W, side.W)
	r.Info = side.Row(r.Side.H+16*s, 144*s)
	return r
}
