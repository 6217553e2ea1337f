//go:build js

// Package ui is the Ebiten canvas app of the page: each scene is a small type
// that draws panels the compute worker rendered. The app builds for js/wasm
// only (Ebiten needs cgo and X11 headers natively); the numerics it shows
// come from scalewise/ui/compute, which is native-testable.
package ui

import (
	"encoding/json"
	"fmt"
	"image/color"
	"sync"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"scalewise/ui/layout"
)

// MaxCanvas is the most canvas pixels on the canvas's long side: a larger
// window (or a high device scale factor) gets a canvas scaled up by the
// browser instead.
const MaxCanvas = 2560

// Background is the canvas colour behind the panels.
var (
	background      = color.RGBA{0x12, 0x14, 0x18, 0xff}
	errorBackground = color.RGBA{0x5a, 0x16, 0x16, 0xff}
)

// Game is the Ebiten app: the current scene, the last error, and counters
// that let the page (and its tests) know what has been drawn.
type Game struct {
	mu      sync.Mutex
	scenes  map[string]scene
	current string
	chosen  bool // the page has chosen a scene (SetScene); until then the canvas says it is starting
	errMsg  string
	frames  int
	version int // version of the view state set by the page
	drawn   int // version of the view state last drawn
	panicIn string

	text *typeface
	// The canvas: its size in canvas (device) pixels, as Layout last
	// returned it, and canvas pixels per CSS pixel.
	w, h int
	css  float64

	// OnError, if set, is told about a panic recovered in Update or Draw.
	OnError func(msg string)
}

// scene is one screen of the app.
type scene interface {
	Load(header, buf []byte) error // new frames from the worker
	SetView(js []byte) error       // what to show, from the page
	Update() error                 // input
	Draw(dst *ebiten.Image)
	// Panels returns the frame and the named panels of the view shown
	// on a w×h canvas.
	Panels(w, h int) (layout.Frame, []layout.Panel)
}

// NewGame returns an app with every scene (Scales, Draw & denoise,
// Renormalise, Scattering, Generate, Geometry), showing an empty Scales scene.
// Draw tells onDrawing the encoded drawing whenever a person changes it.
func NewGame(onDrawing func(code string)) *Game {
	t := newTypeface()
	d := NewDraw(t)
	d.OnChange = onDrawing
	return &Game{
		scenes:  map[string]scene{"scales": NewScales(t), "draw": d, "renormalise": NewRenormalise(t), "scattering": NewScattering(t), "generate": NewGenerate(t), "geometry": NewGeometry(t)},
		current: "scales",
		text:    t,
		w:       layout.DesignW, h: layout.DesignH, css: 1,
	}
}

// SetScene switches the scene shown.
func (g *Game) SetScene(name string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.scenes[name]; !ok {
		return fmt.Errorf("unknown scene %q", name)
	}
	g.current = name
	g.chosen = true
	g.version++
	g.errMsg = ""
	return nil
}

// DrawCommand passes a drawing command (undo, clear, set) to the Draw scene.
func (g *Game) DrawCommand(js []byte) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.version++
	return g.scenes["draw"].(*Draw).Command(js)
}

// Update implements ebiten.Game. A panic in a scene is recovered, shown on
// the canvas and reported; the app keeps running.
func (g *Game) Update() (err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	defer g.recoverTo("update")
	if g.panicIn == "update" {
		g.panicIn = ""
		panic("self-test panic in Update")
	}
	return g.scenes[g.current].Update()
}

// Draw implements ebiten.Game.
func (g *Game) Draw(screen *ebiten.Image) {
	g.mu.Lock()
	defer g.mu.Unlock()
	defer g.recoverTo("draw")
	screen.Fill(background)
	w, h := size(screen)
	g.text.resize(w, h, float32(g.css))
	g.drawScene(screen)
	if g.errMsg != "" {
		t := g.text
		box := Rect{W: float32(w), H: t.height(3, labelStyle) + t.px(12)}
		box.Y = float32(h) - box.H
		vector.DrawFilledRect(screen, box.X, box.Y, box.W, box.H, errorBackground, false)
		t.paragraph(screen, "Error: "+layout.Escape(g.errMsg), box.Inset(t.px(6)), labelStyle)
	}
	g.frames++
	// A scene that spreads its work over frames is drawn once it has
	// nothing pending.
	if p, ok := g.scenes[g.current].(interface{ Pending() bool }); !ok || !p.Pending() {
		g.drawn = g.version
	}
}

// drawScene draws the current scene; a panic there is recovered and shown
// over the canvas on every frame until the scene draws again.
func (g *Game) drawScene(screen *ebiten.Image) {
	defer g.recoverTo("draw")
	if g.panicIn == "draw" {
		g.panicIn = ""
		panic("self-test panic in Draw")
	}
	if !g.chosen {
		g.text.message(screen, "Starting…")
		return
	}
	g.scenes[g.current].Draw(screen)
}

// PanicTest makes the next Update or Draw ("update" or "draw") panic, so
// that tests can check that the recovery boundary keeps the app running.
func (g *Game) PanicTest(where string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if where != "update" && where != "draw" {
		return fmt.Errorf("panic test: where must be update or draw, not %q", where)
	}
	g.panicIn = where
	return nil
}

// Layout implements ebiten.Game; Ebiten calls LayoutF instead.
func (g *Game) Layout(w, h int) (int, int) {
	sw, sh := g.LayoutF(float64(w), float64(h))
	return int(sw), int(sh)
}

// LayoutF implements ebiten.LayoutFer: the canvas has the outside size
// (CSS pixels) times the device scale factor, so that it draws one canvas
// pixel per device pixel, at most MaxCanvas on its long side. The scenes
// lay themselves out on this size.
func (g *Game) LayoutF(outsideW, outsideH float64) (float64, float64) {
	dsf := ebiten.Monitor().DeviceScaleFactor()
	w, h := layout.CanvasSize(outsideW, outsideH, dsf, MaxCanvas)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.w, g.h = w, h
	g.css = 1
	if outsideW > 0 {
		g.css = float64(w) / outsideW
	}
	return float64(w), float64(h)
}

// PanelsInfo is the current view's layout for the page and its tests, in
// CSS pixels of the canvas.
type PanelsInfo struct {
	W, H     float64 // the canvas
	Scale    float64 // canvas pixels per CSS pixel
	Portrait bool    // the view's portrait design
	// Need is, for a portrait design, the least canvas height at which
	// it spans the canvas's width (a shorter canvas scales it down).
	Need   float64
	Panels []layout.Panel
}

// Panels returns the current view's named panels in CSS pixels.
func (g *Game) Panels() PanelsInfo {
	g.mu.Lock()
	defer g.mu.Unlock()
	k := float32(1 / g.css)
	f, ps := g.scenes[g.current].Panels(g.w, g.h)
	for i, p := range ps {
		ps[i].Rect = Rect{X: p.X * k, Y: p.Y * k, W: p.W * k, H: p.H * k}
	}
	return PanelsInfo{W: float64(g.w) / g.css, H: float64(g.h) / g.css, Scale: g.css,
		Portrait: f.Portrait, Need: float64(f.Need) / g.css, Panels: ps}
}

func (g *Game) recoverTo(where string) {
	if r := recover(); r != nil {
		g.errMsg = fmt.Sprintf("%s: %v", where, r)
		if g.OnError != nil {
			g.OnError(g.errMsg)
		}
	}
}

// LoadFrames gives the scene named in header its new frames.
func (g *Game) LoadFrames(header []byte, buf []byte) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	var h struct {
		Scene string `json:"scene"`
	}
	if err := json.Unmarshal(header, &h); err != nil {
		return fmt.Errorf("bad frame header: %w", err)
	}
	sc, ok := g.scenes[h.Scene]
	if !ok {
		return fmt.Errorf("frames for unknown scene %q", h.Scene)
	}
	err := sc.Load(header, buf)
	// Frames of a running animation (a scene that says so) are not a new
	// view state: the page's "drawn" waits only for the states it sets.
	if l, ok := sc.(interface{ LiveLoad() bool }); err != nil || !ok || !l.LiveLoad() {
		g.version++
	}
	if err != nil {
		return err
	}
	g.errMsg = ""
	return nil
}

// SetView sets what the scene shows (JSON of the scene's view type) and
// returns the new view-state version.
func (g *Game) SetView(js []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.scenes[g.current].SetView(js); err != nil {
		return g.version, err
	}
	g.errMsg = ""
	g.version++
	return g.version, nil
}

// Status reports frames drawn, the current view-state version and the
// version last drawn.
func (g *Game) Status() (frames, version, drawn int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.frames, g.version, g.drawn
}
