package layout

// The Geometry scene: the optimal-rate curves of the C^α denoisers
// (PSNR_out against PSNR_in with their slopes and the theory α/(α+1)),
// the effective dimension tr J against the noise, and two eigen-analyses
// side by side, each an image (clean, noisy, denoised), the leading
// eigenvectors of its denoiser's Jacobian as tiles, and their spectrum
// (Kadkhodaie, Guth, Simoncelli and Mallat, "Generalization in diffusion
// models arises from geometry-adaptive harmonic representations", ICLR
// 2024, §3).

// GeometryRects are the panels of the Geometry scene.
type GeometryRects struct {
	Frame
	Rate  Rect // PSNR_out against PSNR_in, its title included
	Trace Rect // tr J against PSNR_in, its title included
	Info  Rect // the rate's numbers and commands
	Slots [2]GeometrySlotRects
}

// GeometrySlotRects are the panels of one eigen-analysis: its heading,
// the clean, noisy and denoised images (each with its title in the 16
// design pixels above it), the tiles and the spectrum (titles included).
type GeometrySlotRects struct {
	Head   Rect
	Images [3]Rect
	// Strip, in the portrait design only, is the row of the three
	// images: one panel, as wide as the canvas.
	Strip    Rect
	Tiles    Rect
	Spectrum Rect
}

// geometryMinH is the least height of the portrait design: the two plots,
// the numbers and two analyses, each the strip of its images over the
// tiles beside the spectrum.
const geometryMinH = 1532

// Geometry lays out the scene on a w×h canvas.
func Geometry(w, h int) GeometryRects {
	f := design(w, h, geometryMinH)
	s := f.Scale
	r := GeometryRects{Frame: f}
	if f.Portrait {
		c := f.Shrink(12*s, 8*s, 12*s, 8*s)
		r.Rate = c.Row(0, 250*s)
		r.Trace = c.Row(260*s, 120*s)
		r.Info = c.Row(390*s, 84*s)
		y := float32(486) * s
		for i := range r.Slots {
			// The three images abreast as one strip (x, y and x̂ read
			// as one figure), then the tiles beside the spectrum.
			sl := &r.Slots[i]
			sl.Head = c.Row(y, 30*s)
			y += 58 * s
			cells := c.Row(y, 0).Grid(3, 3, 12*s)
			side := cells[0].W
			for k := range sl.Images {
				sl.Images[k] = cells[k].WithSize(side, side)
			}
			sl.Strip = c.Row(y, side)
			y += side + 30*s
			cols := c.Row(y, 250*s).SplitH(16*s, 1, 1)
			sl.Tiles, sl.Spectrum = cols[0], cols[1]
			y += 250*s + 14*s
		}
		return r
	}
	// The plots and the numbers left; the two analyses right, one above
	// the other: images stacked, tiles, spectrum.
	c := f.Shrink(12*s, 6*s, 12*s, 6*s)
	left, right := c.SplitLeft(352*s, 24*s)
	r.Rate = left.Row(0, 254*s)
	r.Trace = left.Row(264*s, 124*s)
	r.Info = left.Shrink(0, 398*s, 0, 0)
	rows := right.SplitV(12*s, 1, 1)
	for i, row := range rows {
		sl := &r.Slots[i]
		sl.Head = row.Row(0, 30*s)
		body := row.Shrink(0, 52*s, 0, 0)
		side := (body.H - 2*18*s) / 3
		for k := range sl.Images {
			sl.Images[k] = Rect{X: body.X, Y: body.Y + float32(k)*(side+18*s), W: side, H: side}
		}
		rest := body.Shrink(side+14*s, 0, 0, 0)
		cols := rest.SplitH(14*s, 1, 1)
		sl.Tiles, sl.Spectrum = cols[0], cols[1]
	}
	return r
}

// Named returns the scene's panels by name: "rate", "trace", "info", and
// for each analysis ("a", "b") "<slot> head", "<slot> clean", "<slot>
// noisy" and "<slot> denoised" (in portrait "<slot> images", their strip),
// "<slot> tiles" and "<slot> spectrum".
func (r GeometryRects) Named() []Panel {
	out := []Panel{panel("rate", PlotPanel, r.Rate), panel("trace", PlotPanel, r.Trace), panel("info", TextPanel, r.Info)}
	for i, sl := range r.Slots {
		n := string(rune('a' + i))
		out = append(out, panel(n+" head", TextPanel, sl.Head))
		if sl.Strip.Empty() {
			out = append(out, panel(n+" clean", ImagePanel, sl.Images[0]), panel(n+" noisy", ImagePanel, sl.Images[1]),
				panel(n+" denoised", ImagePanel, sl.Images[2]))
		} else {
			out = append(out, panel(n+" images", ImagePanel, sl.Strip))
		}
		out = append(out, panel(n+" tiles", ImagePanel, sl.Tiles), panel(n+" spectrum", PlotPanel, sl.Spectrum))
	}
	return out
}
