package layout

import "math"

// DesignW and DesignH are the canvas size the scenes' landscape designs are
// drawn for: at this size every scene's rectangles are whole pixels, and a
// landscape canvas scales the design to fit.
const (
	DesignW = 960
	DesignH = 540
)

// PortraitW is the width of the scenes' portrait designs (a phone held
// upright). A portrait design is as tall as the canvas allows: it spans the
// canvas's width, and is scaled down to the canvas's height only when the
// canvas is shorter than the scene needs (its least design height).
const PortraitW = 540

// Frame is where a scene's design lies on the canvas.
type Frame struct {
	Rect             // the design's rectangle on the canvas
	Scale    float32 // canvas pixels per design pixel
	Portrait bool    // the portrait design (the canvas is taller than wide)
	// Need is, for a portrait design, the least canvas height at which it
	// spans the canvas's width (shorter canvases scale it down); 0 for a
	// landscape one.
	Need float32
}

// design fits a scene's design into a w×h canvas: the portrait design when
// the canvas is taller than wide, else the landscape one. A portrait design
// is PortraitW wide and at least minH high (in design pixels); its
// rectangle spans the canvas's height, so that a tall canvas gives the
// scene more room below.
func design(w, h int, minH float32) Frame {
	c := Canvas(w, h)
	if h > w {
		s := c.W / PortraitW
		if c.H < minH*s {
			s = c.H / minH
		}
		return Frame{Rect: c.Centred(PortraitW*s, c.H), Scale: s, Portrait: true, Need: c.W * minH / PortraitW}
	}
	f, s := c.Fit(DesignW, DesignH)
	return Frame{Rect: f, Scale: s}
}

// designH returns the frame's height in design pixels.
func (f Frame) designH() float32 { return f.H / f.Scale }

// TextScale returns the scale from design to canvas pixels of a w×h canvas
// for text: the landscape design's fit, or the portrait design's width.
// Text designed at size px is drawn at TextSize(size, TextScale(w, h), …).
func TextScale(w, h int) float32 {
	if h > w {
		return float32(w) / PortraitW
	}
	_, s := Canvas(w, h).Fit(DesignW, DesignH)
	return s
}

// TextSize returns the size in canvas pixels of text designed at size
// design pixels on a canvas of the given scale: scaled like the design,
// but never under least canvas pixels (the smallest legible size).
func TextSize(size, scale, least float32) float32 { return max(size*scale, least) }

// CanvasSize returns the size in canvas pixels of a canvas outW×outH CSS
// pixels on a screen of dsf device pixels per CSS pixel: one canvas pixel
// per device pixel, in whole pixels (at least one), but at most most on
// the long side (a larger canvas is scaled up by the browser).
func CanvasSize(outW, outH, dsf float64, most int) (w, h int) {
	if !(dsf > 0) || math.IsInf(dsf, 0) {
		dsf = 1
	}
	fw, fh := max(0, outW*dsf), max(0, outH*dsf)
	if long := max(fw, fh); long > float64(most) {
		fw, fh = fw*float64(most)/long, fh*float64(most)/long
	}
	return max(1, int(math.Round(fw))), max(1, int(math.Round(fh)))
}
