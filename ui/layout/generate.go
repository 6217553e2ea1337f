package layout

// GenerateRects are the panels of the Generate scene's pair view: the
// memorisation → generalisation experiment of Kadkhodaie, Guth, Simoncelli
// and Mallat (ICLR 2024, §2), two nets trained on disjoint sets S1 and S2
// generating from the same noise.
type GenerateRects struct {
	Frame
	Nets    [2]Rect // each net's current image (S1, S2)
	Nearest [2]Rect // the training image nearest to each net's sample
	Info    Rect    // the sampler, the progress, the pair's similarity
	Sigma   Rect    // the plot of σ_t against the iteration
	Energy  Rect    // the plot of the energy per wavelet scale against the iteration
	Sweep   Rect    // the plot of the measured similarities against N, with the command that measured them
}

// GenerateGridRects are the panels of the Generate scene's grid view.
type GenerateGridRects struct {
	Frame
	Grid Rect // the samples, in rows
	Info Rect // the net and the sampler
}

// generateMinH and generateGridMinH are the least heights of the Generate
// scene's portrait designs: the pair's four images two abreast, the numbers
// and three plots fit a 9:16 phone (412×732 CSS pixels) at full width.
const (
	generateMinH     = 950
	generateGridMinH = 720
)

// Generate lays out the Generate scene's pair view on a w×h canvas. The
// images have their titles in the 24 design pixels above them and a line of
// caption below; plots include their titles.
func Generate(w, h int) GenerateRects {
	f := design(w, h, generateMinH)
	s := f.Scale
	r := GenerateRects{Frame: f}
	if f.Portrait {
		// The nets' images two abreast, their nearest training images
		// below them, the numbers, then the plots: σ_t beside the
		// energies (on a tall canvas, each on its own row) and the sweep.
		// A taller canvas first lets the images grow to squares.
		c := f.Shrink(12*s, 26*s, 12*s, 8*s)
		q := (c.W - 16*s) / 2
		extra := max(0, c.H-916*s)
		netH := min(q, 232*s+extra)
		extra -= netH - 232*s
		nearH := min(q, 210*s+extra)
		copy(r.Nets[:], c.Row(0, netH).Grid(2, 2, 16*s))
		y := netH + 48*s
		copy(r.Nearest[:], c.Row(y, nearH).Grid(2, 2, 16*s))
		y += nearH + 24*s
		r.Info = c.Row(y, 80*s)
		rest := c.Shrink(0, y+88*s, 0, 0)
		if rest.H >= 560*s {
			p := rest.SplitV(10*s, 25, 35, 40)
			r.Sigma, r.Energy, r.Sweep = p[0], p[1], p[2]
			return r
		}
		rows := rest.SplitV(10*s, 9, 10)
		r.Sigma, r.Energy = pairOf(rows[0].SplitH(16*s, 2, 3))
		r.Sweep = rows[1]
		return r
	}
	// The images, the nearest training images and the numbers left; the
	// plots right.
	c := f.Shrink(12*s, 24*s, 14*s, 6*s)
	left, right := c.SplitLeft(472*s, 24*s)
	q := (left.W - 16*s) / 2
	copy(r.Nets[:], left.Row(0, q).Grid(2, 2, 16*s))
	near := left.Row(q+48*s, 128*s).Grid(2, 2, 16*s)
	for i := range near {
		r.Nearest[i] = near[i].WithSize(128*s, 128*s)
	}
	r.Info = left.Shrink(0, q+202*s, 0, 0)
	p := right.Shrink(0, -18*s, 0, 0).SplitV(10*s, 140, 170, 198)
	r.Sigma, r.Energy, r.Sweep = p[0], p[1], p[2]
	return r
}

// Named returns the pair view's panels by name.
func (r GenerateRects) Named() []Panel {
	return []Panel{panel("s1", ImagePanel, r.Nets[0]), panel("s2", ImagePanel, r.Nets[1]),
		panel("nearest s1", ImagePanel, r.Nearest[0]), panel("nearest s2", ImagePanel, r.Nearest[1]),
		panel("sigma", PlotPanel, r.Sigma), panel("energy", PlotPanel, r.Energy), panel("sweep", PlotPanel, r.Sweep),
		panel("info", TextPanel, r.Info)}
}

// GenerateGrid lays out the Generate scene's grid view on a w×h canvas:
// the grid as large as the canvas allows (its title in the 24 design
// pixels above it) and the numbers beside it, or below it on a portrait
// canvas.
func GenerateGrid(w, h int) GenerateGridRects {
	f := design(w, h, generateGridMinH)
	s := f.Scale
	r := GenerateGridRects{Frame: f}
	if f.Portrait {
		c := f.Shrink(12*s, 26*s, 12*s, 8*s)
		r.Grid = c.Row(0, c.W)
		r.Info = c.Shrink(0, c.W+14*s, 0, 0)
		return r
	}
	c := f.Shrink(12*s, 24*s, 14*s, 6*s)
	r.Grid, r.Info = c.SplitLeft(c.H, 24*s)
	return r
}

// Named returns the grid view's panels by name.
func (r GenerateGridRects) Named() []Panel {
	return []Panel{panel("grid", ImagePanel, r.Grid), panel("info", TextPanel, r.Info)}
}
