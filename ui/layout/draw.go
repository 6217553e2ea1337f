package layout

// DrawRects are the panels of the Draw & denoise scene.
type DrawRects struct {
	Drawing Rect    // the clean image, drawn on
	Panels  [3]Rect // noisy, denoised, residual
	Info    Rect    // the network
}

// Draw lays out the Draw & denoise scene on a w×h canvas.
func Draw(w, h int) DrawRects {
	f, s, portrait := design(w, h)
	var r DrawRects
	var rest Rect
	gap := float32(68) // the panels' captions
	if portrait {
		// The drawing on top, the panels and the network below.
		c := f.Shrink(12*s, 40*s, 12*s, 12*s)
		r.Drawing, rest = c.SplitTop(c.W, 40*s)
		gap = 50
	} else {
		// The drawing left, the panels and the network right of it.
		c := f.Shrink(16*s, 40*s, 12*s, 68*s)
		r.Drawing, rest = c.SplitLeft(c.H, 24*s)
	}
	side := (rest.W - 20*s) / 3
	copy(r.Panels[:], rest.Row(0, side).Grid(3, 3, 10*s))
	r.Info = rest.Shrink(0, side+gap*s, 0, 0)
	return r
}
