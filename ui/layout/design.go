package layout

// DesignW and DesignH are the canvas size the scenes' landscape designs are
// drawn for (the app's logical screen): at this size every scene's
// rectangles are whole pixels.
const (
	DesignW = 960
	DesignH = 540
)

// designPortraitW and designPortraitH are the canvas size of the scenes'
// portrait designs (a phone held upright).
const (
	designPortraitW = 540
	designPortraitH = 960
)

// design fits a scene's design into a w×h canvas: the portrait design
// when the canvas is taller than wide, else the landscape one. It returns
// the largest centred rectangle of the design's aspect, the scale from
// design to canvas pixels, and whether the design is the portrait one.
func design(w, h int) (f Rect, s float32, portrait bool) {
	if h > w {
		f, s = Canvas(w, h).Fit(designPortraitW, designPortraitH)
		return f, s, true
	}
	f, s = Canvas(w, h).Fit(DesignW, DesignH)
	return f, s, false
}
