package layout

// ScatAnalysisRects are the panels of the Scattering scene's analysis view.
type ScatAnalysisRects struct {
	Frame
	Field, Modulus Rect    // the field and its wavelet modulus
	Second         []Rect  // the second transforms
	Bank           Rect    // the filter bank
	Info           Rect    // the numbers
	Regularity     Rect    // plot of log₂ D against j′
	PerScale       [2]Rect // plots of S1 and S2 per scale
	S3, S4         Rect    // plots of the S3 and S4 coefficients
}

// ScatSynthesisRects are the panels of the Scattering scene's synthesis
// view.
type ScatSynthesisRects struct {
	Frame
	Target, Synthesis         Rect // the field and its synthesis
	Phi                       Rect // plots of the statistics vectors
	Info                      Rect // the numbers
	Loss, Spectrum, Histogram Rect // the plots
	Stats                     Rect // the marginal and spectrum distances
}

// scatSeconds is the number of second transforms shown (ℓ = j+1 … j+3).
const scatSeconds = 3

// The least heights of the Scattering scene's portrait designs. The
// analysis shows six images two abreast and five plots: on a canvas
// shorter than that (a phone's 9:16), it shows the four small images in a
// row and the plots in pairs instead (scatCompactMinH).
const (
	scatAnalysisMinH  = 1604
	scatCompactMinH   = 960
	scatSynthesisMinH = 956
)

// scatLandscape returns the landscape frame's two big images (titles in
// the 24 design pixels above them), the room below them on the left, and
// the plots' column on the right.
func scatLandscape(f Frame) (big [2]Rect, left, plots Rect) {
	s := f.Scale
	c := f.Shrink(12*s, 24*s, 16*s, 6*s)
	left, plots = c.SplitLeft(524*s, 20*s)
	plots = plots.Shrink(0, -20*s, 0, 0)
	copy(big[:], left.Row(0, (left.W-12*s)/2).Grid(2, 2, 12*s))
	return big, left.Shrink(0, big[0].H, 0, 0), plots
}

// ScatAnalysis lays out the Scattering scene's analysis view on a w×h
// canvas.
func ScatAnalysis(w, h int) ScatAnalysisRects {
	f := design(w, h, scatAnalysisMinH)
	if f.Portrait && f.Scale < float32(w)/PortraitW {
		need := f.Need
		f = design(w, h, scatCompactMinH)
		f.Need = need
		return scatCompact(f)
	}
	s := f.Scale
	r := ScatAnalysisRects{Frame: f, Second: make([]Rect, scatSeconds)}
	var plots Rect
	if f.Portrait {
		// Two images abreast: the field and its modulus, the second
		// transforms and the bank; the numbers; the plots.
		c := f.Shrink(12*s, 30*s, 12*s, 8*s)
		q := (c.W - 16*s) / 2
		row := func(y float32) (Rect, Rect) { return pairOf(c.Row(y, q).Grid(2, 2, 16*s)) }
		r.Field, r.Modulus = row(0)
		r.Second[0], r.Second[1] = row(q + 30*s)
		r.Second[2], r.Bank = row(2*q + 82*s)
		r.Info = c.Row(3*q+112*s, 84*s)
		plots = c.Shrink(0, 3*q+206*s, 0, 0)
		extra := max(0, plots.H/s-610)
		p := plots.SplitV(10*s, 170+0.3*extra, 150+0.2*extra, 130+0.25*extra, 130+0.25*extra)
		r.Regularity, r.S3, r.S4 = p[0], p[2], p[3]
		copy(r.PerScale[:], p[1].Grid(2, 2, 16*s))
		return r
	}
	// The images and the numbers left, the plots right.
	var big [2]Rect
	var left Rect
	big, left, plots = scatLandscape(f)
	r.Field, r.Modulus = big[0], big[1]
	small := 128 * s
	// The small images run a little right of the big ones.
	cells := left.Row(24*s, small).WithSize(4*small+24*s, small).Grid(scatSeconds+1, scatSeconds+1, 8*s)
	copy(r.Second, cells[:scatSeconds])
	r.Bank = cells[scatSeconds]
	r.Info = left.Shrink(0, small+52*s, 0, 0)
	p := plots.SplitV(8*s, 130, 130, 123, 123)
	r.Regularity, r.S3, r.S4 = p[0], p[2], p[3]
	copy(r.PerScale[:], p[1].Grid(2, 2, 16*s))
	return r
}

// scatCompact lays out the analysis on a portrait canvas shorter than its
// full design: the field and its modulus, the small images in a row, the
// numbers, the plots in pairs.
func scatCompact(f Frame) ScatAnalysisRects {
	s := f.Scale
	r := ScatAnalysisRects{Frame: f, Second: make([]Rect, scatSeconds)}
	c := f.Shrink(12*s, 30*s, 12*s, 8*s)
	q := (c.W - 16*s) / 2
	r.Field, r.Modulus = pairOf(c.Row(0, q).Grid(2, 2, 16*s))
	small := (c.W - 3*8*s) / 4
	cells := c.Row(q+36*s, small).Grid(scatSeconds+1, scatSeconds+1, 8*s)
	copy(r.Second, cells[:scatSeconds])
	r.Bank = cells[scatSeconds]
	r.Info = c.Row(q+small+68*s, 84*s)
	plots := c.Shrink(0, q+small+162*s, 0, 0)
	rows := plots.SplitV(10*s, 1, 1, 1)
	r.Regularity = rows[0]
	copy(r.PerScale[:], rows[1].Grid(2, 2, 16*s))
	r.S3, r.S4 = pairOf(rows[2].Grid(2, 2, 16*s))
	return r
}

// Named returns the analysis view's panels by name.
func (r ScatAnalysisRects) Named() []Panel {
	p := []Panel{panel("field", ImagePanel, r.Field), panel("modulus", ImagePanel, r.Modulus)}
	for i, sec := range r.Second {
		p = append(p, panel("second "+string(rune('1'+i)), ImagePanel, sec))
	}
	return append(p, panel("bank", ImagePanel, r.Bank), panel("info", TextPanel, r.Info),
		panel("regularity", PlotPanel, r.Regularity), panel("S1", PlotPanel, r.PerScale[0]), panel("S2", PlotPanel, r.PerScale[1]),
		panel("S3", PlotPanel, r.S3), panel("S4", PlotPanel, r.S4))
}

// ScatSynthesis lays out the Scattering scene's synthesis view on a w×h
// canvas.
func ScatSynthesis(w, h int) ScatSynthesisRects {
	f := design(w, h, scatSynthesisMinH)
	s := f.Scale
	r := ScatSynthesisRects{Frame: f}
	if f.Portrait {
		// The target and the synthesis, the statistics, the numbers, the
		// plots.
		c := f.Shrink(12*s, 30*s, 12*s, 8*s)
		q := (c.W - 16*s) / 2
		r.Target, r.Synthesis = pairOf(c.Row(0, q).Grid(2, 2, 16*s))
		r.Phi = c.Row(q+12*s, 140*s)
		r.Info = c.Row(q+162*s, 100*s)
		rest := c.Shrink(0, q+272*s, 0, 0)
		extra := max(0, rest.H/s-396)
		p := rest.SplitV(10*s, 160+0.5*extra, 160+0.5*extra, 56)
		r.Loss, r.Stats = p[0], p[2]
		r.Spectrum, r.Histogram = pairOf(p[1].Grid(2, 2, 16*s))
		return r
	}
	big, left, plots := scatLandscape(f)
	r.Target, r.Synthesis = big[0], big[1]
	r.Phi = left.Row(10*s, 150*s)
	r.Info = left.Shrink(0, 170*s, 0, 0)
	p := plots.SplitV(8*s, 145, 145, 145, 71)
	r.Loss, r.Spectrum, r.Histogram, r.Stats = p[0], p[1], p[2], p[3]
	return r
}

// Named returns the synthesis view's panels by name.
func (r ScatSynthesisRects) Named() []Panel {
	return []Panel{panel("target", ImagePanel, r.Target), panel("synthesis", ImagePanel, r.Synthesis), panel("phi", PlotPanel, r.Phi),
		panel("info", TextPanel, r.Info), panel("loss", PlotPanel, r.Loss), panel("spectrum", PlotPanel, r.Spectrum),
		panel("histogram", PlotPanel, r.Histogram), panel("stats", TextPanel, r.Stats)}
}
