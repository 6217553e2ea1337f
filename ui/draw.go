//go:build js

package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"io"
	"scalewise/ui/strokes"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"scalewise/ui/layout"
	"scalewise/ui/protocol"
)

// DrawSize is the side of the drawing in pixels.
const DrawSize = strokes.Canvas

// drawValues are the numbers compute.Denoise reports.
type drawValues = protocol.DenoiseValues

// Draw is the Draw & denoise scene: a person draws on a 64×64 image (the
// clean panel, shown large); the worker renders the drawing over smooth
// backgrounds, adds noise and denoises it with a bias-free U-Net; the scene
// shows clean, noisy, denoised and residual panels, and in its adapted-basis
// view the eigenvectors of the denoiser's Jacobian at the noisy image
// (draw_basis.go).
type Draw struct {
	t       *typeface
	strokes [][]strokes.XY
	cur     []strokes.XY
	touch   ebiten.TouchID // the finger drawing, while touching
	// touching: a finger (not the mouse) draws the stroke. A touch ID is
	// the browser's identifier, and 0 is a valid one (the first finger).
	touching bool
	drawing  bool

	vals drawValues
	imgs imageCache
	// noisyKey fingerprints the last denoise (denoiseKey), which the
	// basis's runs are tied to.
	noisyKey uint64
	view     DrawView
	basis    drawBasis
	live     bool // the last frames were a step of the basis's run
	// layer holds the basis's tiles and plots, drawn when a result comes
	// or the canvas changes (layerKey); see drawBasisView.
	layer    *ebiten.Image
	layerKey int
	layerOK  bool
	// rects is the layout last drawn, where Update finds the drawing.
	rects layout.DrawRects

	// OnChange is told the encoded drawing after every finished stroke,
	// undo or clear.
	OnChange func(code string)
}

// NewDraw returns an empty drawing scene that prints with t.
func NewDraw(t *typeface) *Draw {
	return &Draw{t: t, rects: layout.Draw(layout.DesignW, layout.DesignH)}
}

// Load replaces the panels with a compute.Denoise result, or applies the
// adapted basis's frames (values with a kind: start, step, done, cancel).
// A denoise does not drop the basis's result: a result of another noisy
// image or net is drawn greyed until the page's new run finishes.
func (d *Draw) Load(header, buf []byte) error {
	h, err := decodeFrameHeader("draw", header)
	if err != nil {
		return err
	}
	d.live = h.Kind == protocol.KindStep
	if h.Kind != "" {
		var v protocol.BasisValues
		if err := json.Unmarshal(h.Values, &v); err != nil {
			return fmt.Errorf("draw: bad basis values: %w", err)
		}
		return d.basis.load(v, h.Images, buf, d.noisyKey)
	}
	var v drawValues
	if err := json.Unmarshal(h.Values, &v); err != nil {
		return fmt.Errorf("draw: bad values: %w", err)
	}
	d.vals = v
	d.imgs.clear() // new panels: release every GPU image
	d.imgs.replace(h.Images, buf)
	d.noisyKey = denoiseKey(h.Images, buf, v.Net)
	return nil
}

// LiveLoad reports whether the last frames loaded were a step of the
// basis's run (its progress) rather than a new view state.
func (d *Draw) LiveLoad() bool { return d.live }

// DrawView is what the page asks the Draw & denoise scene to show: Basis
// adds the adapted basis (the eigenvectors of the denoiser's Jacobian at
// the noisy image and their spectrum) beside a smaller drawing. Keys it
// leaves out are false; unknown keys are an error.
type DrawView struct {
	Basis bool `json:"basis"`
}

// SetView decodes and applies a DrawView.
func (d *Draw) SetView(js []byte) error {
	var v DrawView
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("draw: bad view: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("draw: bad view: data after the view")
	}
	d.view = v
	return nil
}

// Command applies a drawing command from the page: {"op":"undo"},
// {"op":"clear"} or {"op":"set","code":…} (a drawing from a link or an
// example).
func (d *Draw) Command(js []byte) error {
	var c struct {
		Op   string `json:"op"`
		Code string `json:"code"`
		K    int    `json:"k"`
		Seed uint64 `json:"seed"`
	}
	if err := json.Unmarshal(js, &c); err != nil {
		return fmt.Errorf("draw: bad command: %w", err)
	}
	switch c.Op {
	case "undo":
		if len(d.strokes) > 0 {
			d.strokes = d.strokes[:len(d.strokes)-1]
		}
	case "clear":
		d.strokes = nil
	case "example":
		s, err := strokes.Example(c.K, c.Seed, DrawSize)
		if err != nil {
			return err
		}
		d.strokes = s
	case "set":
		if c.Code == "" {
			d.strokes = nil
			break
		}
		s, size, err := strokes.Decode(c.Code)
		if err != nil {
			return err
		}
		if size != DrawSize {
			return fmt.Errorf("draw: drawing is for a %d×%d canvas, not %d×%d", size, size, DrawSize, DrawSize)
		}
		d.strokes = s
		return nil // the page already has this code
	default:
		return fmt.Errorf("draw: unknown command %q", c.Op)
	}
	d.changed()
	return nil
}

func (d *Draw) changed() {
	if d.OnChange == nil {
		return
	}
	code := ""
	if len(d.strokes) > 0 {
		var err error
		if code, err = strokes.Encode(d.strokes, DrawSize); err != nil {
			return
		}
		// Keep exactly what the link holds (quantised points), so that the
		// link reproduces this view pixel for pixel.
		if s, _, err := strokes.Decode(code); err == nil {
			d.strokes = s
		}
	}
	d.OnChange(code)
}

// toImage maps a screen position to drawing coordinates in the drawing
// panel r; ok is false outside it.
func toImage(r Rect, x, y int) (strokes.XY, bool) {
	s := r.W / DrawSize
	p := strokes.XY{X: float64((float32(x) - r.X) / s), Y: float64((float32(y) - r.Y) / s)}
	return p, p.X >= 0 && p.Y >= 0 && p.X <= DrawSize && p.Y <= DrawSize
}

func clampXY(p strokes.XY) strokes.XY {
	return strokes.XY{X: max(0, min(DrawSize, p.X)), Y: max(0, min(DrawSize, p.Y))}
}

// Update records strokes from the mouse or a touch: every tick while the
// button is held adds the cursor position, and the worker joins
// consecutive points, so fast moves leave no gaps.
func (d *Draw) Update() error {
	var x, y int
	pressed, released, started := false, false, false
	if ids := inpututil.AppendJustPressedTouchIDs(nil); len(ids) > 0 && !d.drawing {
		d.touch, d.touching = ids[0], true
		x, y = ebiten.TouchPosition(d.touch)
		started, pressed = true, true
	} else if d.drawing && d.touching {
		if inpututil.IsTouchJustReleased(d.touch) {
			released = true
		} else {
			x, y = ebiten.TouchPosition(d.touch)
			pressed = true
		}
	} else {
		x, y = ebiten.CursorPosition()
		pressed = ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft)
		started = inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft)
		released = d.drawing && !pressed
	}
	switch {
	case started:
		if p, ok := toImage(d.rects.Drawing, x, y); ok {
			d.drawing, d.cur = true, []strokes.XY{p}
		} else {
			d.touching = false // a finger off the drawing draws nothing
		}
	case d.drawing && pressed:
		p, _ := toImage(d.rects.Drawing, x, y)
		p = clampXY(p)
		last := d.cur[len(d.cur)-1]
		if dx, dy := p.X-last.X, p.Y-last.Y; dx*dx+dy*dy >= 1.0/16 {
			d.cur = append(d.cur, p)
		}
	case released:
		if d.drawing && len(d.cur) > 0 && len(d.strokes) < strokes.MaxStrokes {
			d.strokes = append(d.strokes, d.cur)
			d.changed()
		}
		d.drawing, d.cur, d.touch, d.touching = false, nil, 0, false
	}
	return nil
}

var (
	inkColor  = color.RGBA{0xff, 0xc8, 0x3c, 0xff}
	pathColor = color.RGBA{0xff, 0xc8, 0x3c, 0x60}
)

// Draw implements the scene. It keeps the layout it draws, where Update
// finds the drawing (Ebiten gives pointer positions in canvas pixels).
func (d *Draw) Draw(dst *ebiten.Image) {
	if d.view.Basis {
		l := layout.DrawBasis(size(dst))
		d.rects = l.DrawRects
		d.drawImages(dst, true)
		d.drawBasisView(dst, l)
		return
	}
	if d.layer != nil {
		d.layer.Deallocate() // the basis's layer, until the view comes back
		d.layer, d.layerOK = nil, false
	}
	d.rects = layout.Draw(size(dst))
	d.drawImages(dst, false)
	if d.imgs.loaded() {
		v := d.vals
		info := fmt.Sprintf("network: %s\n%d parameters, bias-free U-Net\nestimate y − f(y), where f(ay) = a f(y)\n\n%s mode, %d stroke(s)",
			v.Net, v.Params, v.Mode, v.Strokes)
		d.t.paragraph(dst, info, d.rects.Info, labelStyle)
	}
}

// drawImages draws the drawing (with the strokes and the stroke being
// drawn) and the noisy, denoised and residual images in d.rects; small
// gives them the short titles of the adapted-basis view, where they are
// small.
func (d *Draw) drawImages(dst *ebiten.Image, small bool) {
	t := d.t
	v := d.vals
	panel := d.rects.Drawing
	t.title(dst, "clean x: draw here", panel)
	if im := d.imgs.image("clean"); im != nil {
		drawImageIn(dst, im, panel)
	} else {
		t.label(dst, "Denoising…", panel.X+t.px(12), panel.Y+t.px(12))
	}
	strokeRect(dst, panel, t.lw(1), frameColor)
	s := panel.W / DrawSize
	toScreen := func(p strokes.XY) (float32, float32) {
		return panel.X + float32(p.X)*s, panel.Y + float32(p.Y)*s
	}
	polylines(dst, d.strokes, toScreen, t.lw(1), pathColor)
	if d.drawing {
		polylines(dst, [][]strokes.XY{d.cur}, toScreen, t.lw(3), inkColor)
	}

	panels := []struct {
		name  string
		title []string // longest first
		sub   string
	}{
		{"noisy", []string{"noisy y = x + σz", "noisy y"}, fmt.Sprintf("σ = %.3f\nPSNR %.2f dB", v.Sigma, v.PSNRIn)},
		{"denoised", []string{"denoised y − f(y)", "denoised"}, fmt.Sprintf("PSNR %.2f dB\n(%+.2f dB)", v.PSNROut, v.PSNROut-v.PSNRIn)},
		{"residual", []string{"residual f(y)", "residual"}, fmt.Sprintf("±%.3f, red > 0", v.ResLimit)},
	}
	for i, p := range panels {
		r := d.rects.Panels[i]
		title := p.title[0]
		if small {
			title = firstFitting(t, r.W+t.px(12), titleStyle, p.title...)
		}
		t.title(dst, title, r)
		if im := d.imgs.image(p.name); im != nil {
			strokeRect(dst, drawImageIn(dst, im, r), t.lw(1), frameColor)
		}
		t.caption(dst, p.sub, r)
	}
}

// Panels returns the panels of the view shown on a w×h canvas.
func (d *Draw) Panels(w, h int) (layout.Frame, []layout.Panel) {
	if d.view.Basis {
		l := layout.DrawBasis(w, h)
		return l.Frame, l.Named()
	}
	l := layout.Draw(w, h)
	return l.Frame, l.Named()
}
