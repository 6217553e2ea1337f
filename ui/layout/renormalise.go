package layout

// RenormaliseRects are the panels of the Renormalise scene's generation
// view.
type RenormaliseRects struct {
	Frame
	Field      Rect // the field forming, or x_j of the finished one
	Hierarchy  Rect // the finished hierarchy and its details
	Stages     Rect // the stages' progress, while the field forms
	Truth      Rect // the ground-truth sample
	Acceptance Rect // the plot of acceptance per stage
	Info       Rect // settings and cost
	Histogram  Rect // the plot of the marginal
	Spectrum   Rect // the plot of the power spectrum
	Energy     Rect // the learned energy: kernels and the potential's plot
}

// renormaliseMinH and raceMinH are the least heights of the Renormalise
// scene's portrait designs.
const (
	renormaliseMinH = 820
	raceMinH        = 800
	// renormaliseScatMinH is renormaliseMinH for a model with scattering
	// interactions: 150 more design pixels for the learned energy.
	renormaliseScatMinH = 970
)

// Renormalise lays out the Renormalise scene's generation view on a w×h
// canvas. Images have their titles in the 24 design pixels above them;
// plots include theirs.
func Renormalise(w, h int) RenormaliseRects { return RenormaliseFor(w, h, false) }

// RenormaliseFor is Renormalise for a model with scattering interactions
// when scattering is true: the learned energy, which then also shows the
// scattering coefficients, gets more of the plot column (landscape) or of
// the canvas below the plots (portrait).
func RenormaliseFor(w, h int, scattering bool) RenormaliseRects {
	minH := float32(renormaliseMinH)
	if scattering {
		minH = renormaliseScatMinH
	}
	f := design(w, h, minH)
	s := f.Scale
	r := RenormaliseRects{Frame: f}
	if f.Portrait {
		// The field and the sample side by side on top; the hierarchy
		// beside the acceptance and the numbers; the marginal beside the
		// spectrum; the energy.
		c := f.Shrink(12*s, 28*s, 12*s, 8*s)
		q := (c.W - 16*s) / 2
		extra := max(0, c.H/s-(minH-38)) * s
		r2, r3 := 190*s+0.3*extra, 150*s+0.3*extra
		top := c.Row(0, q).Grid(2, 2, 16*s)
		r.Field, r.Truth = top[0], top[1]
		mid := c.Row(q+12*s, r2).Grid(2, 2, 16*s)
		r.Hierarchy = mid[0].Shrink(0, 10*s, 0, 0)
		r.Stages = mid[0].Shrink(0, 14*s, 0, 0)
		r.Acceptance, r.Info = mid[1].SplitTop(110*s+0.1*extra, 8*s)
		r.Histogram, r.Spectrum = pairOf(c.Row(q+r2+22*s, r3).Grid(2, 2, 16*s))
		r.Energy = c.Shrink(0, q+r2+r3+32*s, 0, 0)
		return r
	}
	// Three columns: the field over the hierarchy, the sample over the
	// acceptance and the numbers, the plots.
	c := f.Shrink(12*s, 24*s, 14*s, 6*s)
	left, rest := c.SplitLeft(300*s, 22*s)
	mid, right := rest.SplitLeft(200*s, 28*s)
	right = right.Shrink(0, -18*s, 0, 0)
	plots := right.SplitV(9*s, 150, 150, 210)
	if scattering {
		plots = right.SplitV(9*s, 120, 120, 270)
	}
	r.Histogram, r.Spectrum, r.Energy = plots[0], plots[1], plots[2]
	r.Field = left.WithSize(left.W, left.W)
	r.Hierarchy = left.Shrink(0, r.Field.H+10*s, 0, 0)
	r.Stages = left.Shrink(0, r.Field.H+18*s, 0, 8*s)
	r.Truth = mid.WithSize(mid.W, mid.W)
	r.Acceptance = mid.Row(r.Truth.H+10*s, 150*s)
	r.Info = mid.Shrink(0, r.Truth.H+168*s, 0, 0)
	return r
}

// pairOf returns the first two rectangles of rs.
func pairOf(rs []Rect) (Rect, Rect) { return rs[0], rs[1] }

// Named returns the generation view's panels by name: while a field
// forms (generating) the stages' progress, else the hierarchy.
func (r RenormaliseRects) Named(generating bool) []Panel {
	p := []Panel{panel("field", ImagePanel, r.Field), panel("truth", ImagePanel, r.Truth)}
	if generating {
		p = append(p, panel("stages", TextPanel, r.Stages))
	} else {
		p = append(p, panel("hierarchy", ImagePanel, r.Hierarchy))
	}
	return append(p, panel("acceptance", PlotPanel, r.Acceptance), panel("info", TextPanel, r.Info),
		panel("histogram", PlotPanel, r.Histogram), panel("spectrum", PlotPanel, r.Spectrum), panel("energy", PlotPanel, r.Energy))
}

// RaceRects are the panels of the Renormalise scene's race view.
type RaceRects struct {
	Frame
	Title          Rect // what races
	RG, MCMC       Rect // the latest samples
	RGText, MCText Rect // their numbers
	Note           Rect // what the plots show
	Time, Grad     Rect // plots of Binder U against seconds and against gradients
}

// Race lays out the Renormalise scene's race view on a w×h canvas.
func Race(w, h int) RaceRects {
	f := design(w, h, raceMinH)
	s := f.Scale
	r := RaceRects{Frame: f}
	if f.Portrait {
		// The title, the samples and their numbers, the note, the plots.
		c := f.Shrink(12*s, 8*s, 12*s, 8*s)
		var rest Rect
		r.Title, rest = c.SplitTop(46*s, 24*s)
		q := (rest.W - 16*s) / 2
		samples := rest.Row(0, q).Grid(2, 2, 16*s)
		r.RG, r.MCMC = samples[0], samples[1]
		texts := rest.Row(q+8*s, 140*s).Grid(2, 2, 16*s)
		r.RGText, r.MCText = texts[0], texts[1]
		r.Note = rest.Row(q+156*s, 90*s)
		plots := rest.Shrink(0, q+256*s, 0, 0)
		if plots.H >= 352*s {
			r.Time, r.Grad = pairOf(plots.SplitV(12*s, 1, 1))
		} else {
			r.Time, r.Grad = pairOf(plots.SplitH(16*s, 1, 1))
		}
		return r
	}
	// The samples and their numbers left, the plots right.
	c := f.Shrink(12*s, 50*s, 16*s, 8*s)
	left, plots := c.SplitLeft(454*s, 34*s)
	plots = plots.Shrink(0, -22*s, 0, 0)
	r.Time, r.Grad = pairOf(plots.SplitV(12*s, 1, 1))
	r.Title = Rect{c.X, f.Y + 4*s, c.W, 20 * s}
	side := (left.W - 14*s) / 2
	samples := left.Row(0, side).Grid(2, 2, 14*s)
	r.RG, r.MCMC = samples[0], samples[1]
	texts := left.Row(side+12*s, 120*s).Grid(2, 2, 14*s)
	r.RGText, r.MCText = texts[0], texts[1]
	r.Note = left.Shrink(0, side+140*s, 0, 0)
	return r
}

// Named returns the race view's panels by name.
func (r RaceRects) Named() []Panel {
	return []Panel{panel("title", TextPanel, r.Title), panel("rg", ImagePanel, r.RG), panel("mcmc", ImagePanel, r.MCMC),
		panel("rg text", TextPanel, r.RGText), panel("mcmc text", TextPanel, r.MCText), panel("note", TextPanel, r.Note),
		panel("time", PlotPanel, r.Time), panel("grad", PlotPanel, r.Grad)}
}
