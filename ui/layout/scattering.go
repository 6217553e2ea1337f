package layout

// ScatteringRects are the panels of the Scattering scene's analysis and
// synthesis views.
type ScatteringRects struct {
	// Both views: the field and its modulus, or the target and the
	// synthesis.
	Big [2]Rect

	// The analysis.
	Second     []Rect  // the second transforms
	Bank       Rect    // the filter bank
	Info       Rect    // the numbers
	Regularity Rect    // log₂ D against j′
	PerScale   [2]Rect // S1 and S2 per scale
	S3, S4     Rect    // the S3 and S4 coefficients

	// The synthesis.
	Phi                       Rect // the statistics vectors
	SynthInfo                 Rect // the numbers
	Loss, Spectrum, Histogram Rect // the plots
	Stats                     Rect // the marginal and spectrum distances
}

// scatSeconds is the number of second transforms shown (ℓ = j+1 … j+3).
const scatSeconds = 3

// Scattering lays out the Scattering scene on a w×h canvas.
func Scattering(w, h int) ScatteringRects {
	f, s, portrait := design(w, h)
	var r ScatteringRects
	var left, plots Rect
	var small, infoY float32 // the small images' side and the numbers' top
	if portrait {
		// The images and the numbers on top, the plots below.
		c := f.Shrink(12*s, 20*s, 12*s, 12*s)
		left, plots = c, c.Shrink(28*s, 540*s, 0, 0)
		r.Regularity = plots.Row(20*s, 70*s)
		r.S3 = plots.Row(222*s, 60*s)
		r.S4 = plots.Row(318*s, 60*s)
		copy(r.PerScale[:], plots.Row(126*s, 60*s).Grid(2, 2, 36*s))
		r.Loss = plots.Row(20*s, 80*s)
		r.Spectrum = plots.Row(136*s, 80*s)
		r.Histogram = plots.Row(252*s, 80*s)
		r.Stats = plots.Row(340*s, 32*s).Shrink(-28*s, 0, 0, 0)
		small, infoY = (left.W-24*s)/4, 20*s
	} else {
		// The images and the numbers left, the plots right.
		c := f.Shrink(12*s, 20*s, 16*s, 16*s)
		left, plots = c.SplitLeft(524*s, 68*s)
		r.Regularity = plots.Row(2*s, 104*s)
		copy(r.PerScale[:], plots.Row(144*s, 96*s).Grid(2, 2, 36*s))
		r.S3 = plots.Row(280*s, 84*s)
		r.S4 = plots.Row(408*s, 84*s)
		r.Loss = plots.Row(2*s, 104*s)
		r.Spectrum = plots.Row(150*s, 104*s)
		r.Histogram = plots.Row(298*s, 104*s)
		r.Stats = plots.Row(426*s, 32*s).Shrink(-28*s, 0, 0, 0)
		small, infoY = 128*s, 32*s
	}
	copy(r.Big[:], left.Row(0, (left.W-12*s)/2).Grid(2, 2, 12*s))
	// The small images run a little right of the big ones.
	row := left.Row(r.Big[0].H+24*s, small).WithSize(4*small+24*s, small)
	cells := row.Grid(scatSeconds+1, scatSeconds+1, 8*s)
	r.Second, r.Bank = cells[:scatSeconds], cells[scatSeconds]
	r.Info = left.Row(row.Bottom()-left.Y+infoY, 64*s)
	r.Phi = left.Row(row.Y-left.Y, 110*s).Shrink(28*s, 0, 0, 0)
	r.SynthInfo = left.Row(row.Bottom()-left.Y+infoY-14*s, 64*s)
	return r
}
