package layout

// DrawRects are the panels of the Draw & denoise scene.
type DrawRects struct {
	Frame
	Drawing Rect    // the clean image, drawn on
	Panels  [3]Rect // noisy, denoised, residual
	Info    Rect    // the network
}

// drawMinH is the least height of the Draw & denoise scene's portrait
// design.
const drawMinH = 800

// Draw lays out the Draw & denoise scene on a w×h canvas. Images have
// their titles in the 30 design pixels above them and their captions (two
// lines) in the 44 below.
func Draw(w, h int) DrawRects {
	f := design(w, h, drawMinH)
	s := f.Scale
	r := DrawRects{Frame: f}
	if f.Portrait {
		c := f.Shrink(12*s, 30*s, 12*s, 10*s)
		q := (c.W - 16*s) / 2
		row := q + 74*s // an image, its caption and the next one's title
		if d := min(c.W, c.H-row-q-74*s); d > q+16*s {
			// A tall canvas: the drawing large on top, the panels in two
			// rows below, the network beside the residual.
			r.Drawing = c.Row(0, d).Centred(d, d)
			grid := c.Row(d+30*s, c.H-d-30*s)
			cells := grid.Row(0, q).Grid(2, 2, 16*s)
			r.Panels[0], r.Panels[1] = cells[0], cells[1]
			cells = grid.Row(row, q).Grid(2, 2, 16*s)
			r.Panels[2], r.Info = cells[0], grid.Shrink(q+16*s, row, 0, 0)
			return r
		}
		// The drawing and the noisy image, then the denoised and the
		// residual, then the network.
		cells := c.Row(0, q).Grid(2, 2, 16*s)
		r.Drawing, r.Panels[0] = cells[0], cells[1]
		cells = c.Row(row, q).Grid(2, 2, 16*s)
		r.Panels[1], r.Panels[2] = cells[0], cells[1]
		r.Info = c.Shrink(0, row+q+50*s, 0, 0)
		return r
	}
	// The drawing left; the panels and the network right of it.
	c := f.Shrink(16*s, 40*s, 12*s, 68*s)
	var rest Rect
	r.Drawing, rest = c.SplitLeft(c.H, 24*s)
	side := (rest.W - 20*s) / 3
	copy(r.Panels[:], rest.Row(0, side).Grid(3, 3, 10*s))
	r.Info = rest.Shrink(0, side+68*s, 0, -60*s)
	return r
}

// Named returns the scene's panels by name.
func (r DrawRects) Named() []Panel {
	return []Panel{panel("drawing", ImagePanel, r.Drawing), panel("noisy", ImagePanel, r.Panels[0]),
		panel("denoised", ImagePanel, r.Panels[1]), panel("residual", ImagePanel, r.Panels[2]), panel("info", TextPanel, r.Info)}
}
