package layout

// RenormaliseRects are the panels of the Renormalise scene's generation
// view.
type RenormaliseRects struct {
	Field      Rect // the field forming, or x_j of the finished one
	Hierarchy  Rect // the finished hierarchy and its details
	Stages     Rect // the stages' progress, while the field forms
	Truth      Rect // the ground-truth sample
	Acceptance Rect // acceptance per stage
	Info       Rect // settings and cost
	Histogram  Rect // the marginal
	Spectrum   Rect // the power spectrum
	Energy     Rect // the learned energy
}

// Renormalise lays out the Renormalise scene's generation view on a w×h
// canvas.
func Renormalise(w, h int) RenormaliseRects {
	f, s, portrait := design(w, h)
	var r RenormaliseRects
	var left, mid, right Rect
	// The acceptance plot's height and margin right (room for its target's
	// label), and where the numbers start below the sample.
	accH, accRight, infoY := 110*s, float32(0), 170*s
	if portrait {
		// The field and the sample side by side on top, the plots below.
		c := f.Shrink(12*s, 22*s, 12*s, 8*s)
		var top Rect
		top, right = c.SplitTop(516*s, 24*s)
		left, mid = top.SplitLeft(300*s, 22*s)
		r.Histogram = right.Row(0, 90*s)
		r.Spectrum = right.Row(128*s, 90*s)
		r.Energy = right.Row(244*s, 146*s)
		accH, accRight, infoY = 70*s, 28*s, 140*s
	} else {
		// Three columns: the field, the sample, the plots.
		c := f.Shrink(12*s, 22*s, 14*s, 2*s)
		var rest Rect
		left, rest = c.SplitLeft(300*s, 22*s)
		mid, right = rest.SplitLeft(200*s, 28*s)
		r.Histogram = right.Row(0, 120*s)
		r.Spectrum = right.Row(154*s, 120*s)
		r.Energy = right.Row(302*s, 210*s)
	}
	r.Field = left.WithSize(left.W, left.W)
	r.Hierarchy = left.Shrink(0, r.Field.H+10*s, 0, 0)
	r.Stages = left.Shrink(0, r.Field.H+18*s, 0, 8*s)
	r.Truth = mid.WithSize(mid.W, mid.W)
	r.Acceptance = mid.Row(r.Truth.H+30*s, accH).Shrink(0, 0, accRight, 0)
	r.Info = mid.Shrink(0, r.Truth.H+infoY, 0, 0)
	return r
}

// RaceRects are the panels of the Renormalise scene's race view.
type RaceRects struct {
	Title          Rect // what races
	RG, MCMC       Rect // the latest samples
	RGText, MCText Rect // their numbers
	Note           Rect // what the plots show
	Time, Grad     Rect // Binder U against seconds and against gradients
}

// Race lays out the Renormalise scene's race view on a w×h canvas.
func Race(w, h int) RaceRects {
	f, s, portrait := design(w, h)
	var r RaceRects
	var c, left Rect
	if portrait {
		// The samples and their numbers on top, the plots below.
		c = f.Shrink(12*s, 40*s, 12*s, 12*s)
		left = c
		plots := c.Shrink(28*s, 0, 0, 0)
		r.Time = plots.Row(480*s, 180*s)
		r.Grad = plots.Row(700*s, 180*s)
	} else {
		// The samples and their numbers left, the plots right.
		c = f.Shrink(12*s, 40*s, 16*s, 50*s)
		var plots Rect
		left, plots = c.SplitLeft(454*s, 34*s)
		r.Time = plots.Row(0, 200*s)
		r.Grad = plots.Row(250*s, 200*s)
	}
	r.Title = Rect{c.X, f.Y + 4*s, c.W, 16 * s}
	side := (left.W - 14*s) / 2
	samples := left.Row(0, side).Grid(2, 2, 14*s)
	r.RG, r.MCMC = samples[0], samples[1]
	texts := left.Row(side+12*s, 112*s).Grid(2, 2, 14*s)
	r.RGText, r.MCText = texts[0], texts[1]
	r.Note = left.Row(side+150*s, 64*s)
	return r
}
