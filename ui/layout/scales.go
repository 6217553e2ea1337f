package layout

// ScalesRects are the panels of the Scales scene.
type ScalesRects struct {
	Frame
	Input  Rect // the image x
	Energy Rect // the plot of the energy share per scale
	Main   Rect // the chosen view of scale j
	Side   Rect // the coefficients x_j
	Info   Rect // the numbers
}

// scalesMinH is the least height of the Scales scene's portrait design.
const scalesMinH = 800

// Scales lays out the Scales scene on a w×h canvas. Images have their
// titles in the 30 design pixels above them.
func Scales(w, h int) ScalesRects {
	f := design(w, h, scalesMinH)
	s := f.Scale
	r := ScalesRects{Frame: f}
	if f.Portrait {
		// The view on top, as large as the height allows; below it the
		// image and the coefficients, then the energy and the numbers.
		c := f.Shrink(12*s, 30*s, 12*s, 10*s)
		H := c.H / s
		q := (c.W - 16*s) / 2
		e := min(max(0.22*H, 170), 240) * s
		m := min(c.W, c.H-(q+42*s)-(e+12*s))
		r.Main = c.Row(0, m).Centred(m, m)
		pair := c.Row(m+42*s, q).Grid(2, 2, 16*s)
		r.Input, r.Side = pair[0], pair[1]
		below := c.Row(m+42*s+q+12*s, e).Grid(2, 2, 16*s)
		r.Energy, r.Info = below[0], below[1]
		return r
	}
	// Three columns: the image over the energy, the view, the coefficients
	// over the numbers.
	c := f.Shrink(16*s, 30*s, 16*s, 12*s)
	left, rest := c.SplitLeft(240*s, 20*s)
	main, side := rest.SplitLeft(460*s, 16*s)
	r.Input = left.WithSize(left.W, left.W)
	r.Energy = left.Shrink(0, r.Input.H+16*s, 0, 0)
	r.Main = main.WithSize(main.W, main.W)
	r.Side = side.WithSize(side.W, side.W)
	r.Info = side.Shrink(0, r.Side.H+16*s, 0, 0)
	return r
}

// Named returns the scene's panels by name.
func (r ScalesRects) Named() []Panel {
	return []Panel{panel("input", ImagePanel, r.Input), panel("energy", PlotPanel, r.Energy), panel("main", ImagePanel, r.Main),
		panel("side", ImagePanel, r.Side), panel("info", TextPanel, r.Info)}
}
