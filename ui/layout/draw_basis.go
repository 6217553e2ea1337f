package layout

// The Draw & denoise scene's "Adapted basis" view: the drawing (still
// drawn on), the noisy, denoised and residual images smaller, the leading
// eigenvectors e_k of the symmetric part of the denoiser's Jacobian at the
// noisy image as tiles, and their spectrum: a bias-free denoiser is
// locally linear, x̂(y) = J(y)·y ≈ Σ_k λ_k ⟨y, e_k⟩ e_k (Kadkhodaie, Guth,
// Simoncelli and Mallat, "Generalization in diffusion models arises from
// geometry-adaptive harmonic representations", ICLR 2024, §3).

// DrawBasisRects are the panels of the Draw & denoise scene's adapted-basis
// view: those of the plain view (the drawing, the three images and the
// numbers, smaller) and the basis's.
type DrawBasisRects struct {
	DrawRects
	Basis    Rect // the eigenvectors' tiles, their title above
	Spectrum Rect // the plots of λ_k and of the coefficients against k, titles included
}

// drawBasisMinH is the least height of the adapted-basis view's portrait
// design: five images two abreast at least 150 CSS pixels wide on a phone
// 396 CSS pixels wide, within a 9:16 canvas (at 412 wide, at most 732 CSS
// pixels high).
const drawBasisMinH = 956

// DrawBasis lays out the adapted-basis view on a w×h canvas. Images have
// their titles in the 24 to 30 design pixels above them and two lines of
// caption below; the spectrum includes its titles.
func DrawBasis(w, h int) DrawBasisRects {
	f := design(w, h, drawBasisMinH)
	s := f.Scale
	r := DrawBasisRects{DrawRects: DrawRects{Frame: f}}
	if f.Portrait {
		// The drawing beside the noisy image, the denoised beside the
		// residual (squares at least 210 design pixels, growing to the
		// cell's width on a taller canvas), then the tiles beside the
		// spectrum, then the numbers.
		c := f.Shrink(12*s, 26*s, 12*s, 8*s)
		q := (c.W - 16*s) / 2
		extra := max(0, c.H-(drawBasisMinH-34)*s)
		side := min(q, 210*s+extra/2)
		extra -= 2 * (side - 210*s)
		cells := c.Row(0, side).Grid(2, 2, 16*s)
		r.Drawing, r.Panels[0] = cells[0].WithSize(side, side), cells[1].WithSize(side, side)
		y := side + 58*s // two lines of caption, the next titles
		cells = c.Row(y, side).Grid(2, 2, 16*s)
		r.Panels[1], r.Panels[2] = cells[0].WithSize(side, side), cells[1].WithSize(side, side)
		y += side + 34*s
		r.Info = c.Shrink(0, c.H-80*s, 0, 0)
		rest := c.Row(y, c.H-88*s-y)
		cells = rest.Grid(2, 2, 16*s)
		r.Basis, r.Spectrum = cells[0].Shrink(0, 24*s, 0, 0), cells[1]
		return r
	}
	// The drawing top left, the three images and the numbers beside it,
	// the spectrum below them; the tiles, large, on the right.
	c := f.Shrink(16*s, 36*s, 16*s, 6*s)
	r.Drawing = c.WithSize(208*s, 208*s)
	small := Rect{X: c.X + 224*s, Y: c.Y, W: 320 * s, H: 96 * s}
	copy(r.Panels[:], small.Grid(3, 3, 16*s))
	r.Info = Rect{X: small.X, Y: c.Y + 140*s, W: small.W, H: 68 * s}
	r.Spectrum = Rect{X: c.X, Y: c.Y + 226*s, W: 544 * s, H: c.H - 226*s}
	r.Basis = Rect{X: c.X + 568*s, Y: c.Y, W: c.W - 568*s, H: c.H}
	return r
}

// Named returns the adapted-basis view's panels by name: the plain view's
// and "basis" and "spectrum".
func (r DrawBasisRects) Named() []Panel {
	return append(r.DrawRects.Named(), panel("basis", ImagePanel, r.Basis), panel("spectrum", PlotPanel, r.Spectrum))
}
