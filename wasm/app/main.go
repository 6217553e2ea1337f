//go:build js && wasm

// Command app is the Ebiten canvas app of the page. It runs inside an
// iframe (Ebiten owns its document) and exposes window.scalewiseApp to the
// parent page:
//
//	load(header string, buf Uint8Array) → error string or null
//	setView(json string)                → {version, error}
//	setScene(name)                      → error or null ("scales", "draw",
//	                                      "renormalise", "scattering", "generate")
//	drawCommand(json)                   → undo / clear / set a drawing
//	status()                            → {frames, version, drawn}
//	panels()                            → {w, h, scale, portrait, need,
//	                                      panels: [{name, kind, x, y, w, h}]}
//	panicTest("update"|"draw")          → the next Update or Draw panics (a
//	                                      self-test of the recovery boundary)
//
// and tells the parent parent.scalewiseDrawingChanged(code) when a person
// finishes a stroke.
//
// The canvas has the iframe's size times the device scale factor (at most
// ui.MaxCanvas pixels on its long side). panels gives the current view's
// named panels in CSS pixels of the canvas (w×h; scale is canvas pixels
// per CSS pixel; kind is "image", "plot" or "text"); for a portrait
// layout (portrait: the canvas is taller than wide), need is the least
// canvas height at which the layout spans the canvas's width: a shorter
// canvas scales it down (the Scattering analysis then shows its small
// images and plots in a compact arrangement).
//
// Every call recovers Go panics and returns them as errors, so a bug shows
// in the page instead of killing the app.
package main

import (
	"fmt"
	"math"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"scalewise/ui"
)

func main() {
	g := ui.NewGame(func(code string) { notifyParent("scalewiseDrawingChanged", code) })
	g.OnError = func(msg string) { notifyParent("scalewiseAppError", msg) }

	api := js.Global().Get("Object").New()
	api.Set("load", guarded(func(args []js.Value) (any, error) {
		if len(args) != 2 || args[0].Type() != js.TypeString {
			return nil, fmt.Errorf("load(header, bytes): bad arguments")
		}
		buf := make([]byte, args[1].Get("byteLength").Int())
		if n := js.CopyBytesToGo(buf, args[1]); n != len(buf) {
			return nil, fmt.Errorf("load: copied %d of %d bytes", n, len(buf))
		}
		return nil, g.LoadFrames([]byte(args[0].String()), buf)
	}))
	api.Set("setView", guarded(func(args []js.Value) (any, error) {
		if len(args) != 1 || args[0].Type() != js.TypeString {
			return nil, fmt.Errorf("setView(json): bad arguments")
		}
		v, err := g.SetView([]byte(args[0].String()))
		return v, err
	}))
	api.Set("setScene", guarded(func(args []js.Value) (any, error) {
		if len(args) != 1 || args[0].Type() != js.TypeString {
			return nil, fmt.Errorf("setScene(name): bad arguments")
		}
		return nil, g.SetScene(args[0].String())
	}))
	api.Set("drawCommand", guarded(func(args []js.Value) (any, error) {
		if len(args) != 1 || args[0].Type() != js.TypeString {
			return nil, fmt.Errorf("drawCommand(json): bad arguments")
		}
		return nil, g.DrawCommand([]byte(args[0].String()))
	}))
	api.Set("panicTest", guarded(func(args []js.Value) (any, error) {
		if len(args) != 1 || args[0].Type() != js.TypeString {
			return nil, fmt.Errorf("panicTest(where): bad arguments")
		}
		return nil, g.PanicTest(args[0].String())
	}))
	api.Set("status", guarded(func([]js.Value) (any, error) {
		f, v, d := g.Status()
		return map[string]any{"frames": f, "version": v, "drawn": d}, nil
	}))
	api.Set("panels", guarded(func([]js.Value) (any, error) {
		info := g.Panels()
		panels := make([]any, len(info.Panels))
		for i, p := range info.Panels {
			panels[i] = map[string]any{"name": p.Name, "kind": string(p.Kind),
				"x": round2(p.X), "y": round2(p.Y), "w": round2(p.W), "h": round2(p.H)}
		}
		return map[string]any{"w": info.W, "h": info.H, "scale": info.Scale, "portrait": info.Portrait,
			"need": round2(float32(info.Need)), "panels": panels}, nil
	}))
	js.Global().Set("scalewiseApp", api)

	op := &ebiten.RunGameOptions{}
	if err := ebiten.RunGameWithOptions(g, op); err != nil {
		notifyParent("scalewiseAppError", err.Error())
	}
}

// guarded wraps f as a JS function returning {value, error}; a panic in f is
// recovered and returned as the error.
func guarded(f func(args []js.Value) (any, error)) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) (out any) {
		defer func() {
			if r := recover(); r != nil {
				out = map[string]any{"value": nil, "error": fmt.Sprintf("panic: %v", r)}
			}
		}()
		v, err := f(args)
		if err != nil {
			return map[string]any{"value": nil, "error": err.Error()}
		}
		return map[string]any{"value": v, "error": nil}
	})
}

// round2 rounds a CSS length to hundredths of a pixel.
func round2(v float32) float64 { return math.Round(float64(v)*100) / 100 }

// notifyParent calls parent[fn](msg) when the embedding page defines it.
func notifyParent(fn, msg string) {
	p := js.Global().Get("parent")
	if p.Truthy() && p.Get(fn).Type() == js.TypeFunction {
		p.Call(fn, msg)
	}
}
