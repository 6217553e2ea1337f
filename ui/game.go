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
	"strings"
	"sync"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"scalewise/ui/layout"
)

// ScreenW and ScreenH are the logical size of the canvas; Ebiten scales it
// to the iframe. The scenes lay themselves out (package layout) on the
// size of the image they draw on, which is what Layout returns.
const (
	ScreenW = layout.DesignW
	ScreenH = layout.DesignH
)

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

	// OnError, if set, is told about a panic recovered in Update or Draw.
	OnError func(msg string)
}

// scene is one screen of the app.
type scene interface {
	Load(header, buf []byte) error // new frames from the worker
	SetView(js []byte) error       // what to show, from the page
	Update() error                 // input
	Draw(dst *ebiten.Image)
}

// NewGame returns an app with every scene (Scales, Draw & denoise,
// Renormalise, Scattering), showing an empty Scales scene.
// Draw tells onDrawing the encoded drawing whenever a person changes it.
func NewGame(onDrawing func(code string)) *Game {
	d := NewDraw()
	d.OnChange = onDrawing
	return &Game{scenes: map[string]scene{"scales": NewScales(), "draw": d, "renormalise": NewRenormalise(), "scattering": NewScattering()}, current: "scales"}
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
	g.drawScene(screen)
	if g.errMsg != "" {
		w, h := size(screen)
		vector.DrawFilledRect(screen, 0, float32(h-56), float32(w), 56, errorBackground, false)
		label(screen, "Error: "+wrap(g.errMsg, 150), 12, float32(h-50))
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
		message(screen, "Starting...")
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

// Layout implements ebiten.Game with a fixed logical screen, whatever the
// iframe's size. The scenes follow the size it returns: a responsive
// canvas changes only this.
func (g *Game) Layout(int, int) (int, int) { return ScreenW, ScreenH }

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

func wrap(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\n")
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}
