//go:build js && wasm

// Command worker is the page's compute engine: an Ebiten-free wasm that runs
// in a Web Worker, so heavy numerics never block the page. The worker's JS
// glue calls scalewiseHandle(id, requestJSON) for a request and
// scalewisePut(id, name, bytes) to store bytes (a Uint8Array) in the
// engine under name (protocol.PutRequest: the Generate scene's nets and
// training sets); the engine answers with postMessage:
//
//	{type: "progress", id, done, total, stage}
//	{type: "frames", id, header, buf}   // buf: ArrayBuffer, transferred
//	{type: "error", id, message}
//
// The request is an envelope {"op": name, name: body}; package ui/protocol
// defines the operations, their bodies and the header of their frames:
// "scales" and "denoise"; the Renormalise scene's "rg_info", its
// generation "rg_start", "rg_step", "rg_export" and "rg_cancel", "rg_fit"
// and "rg_race"; the Scattering scene's "scat_info", "scat_analyse" and its
// synthesis "scat_synth_start", "scat_synth_step", "scat_export" and
// "scat_synth_cancel"; the Generate scene's "gen_start", "gen_step",
// "gen_export", "gen_cancel" and "gen_grid"; "about" (the engine's build
// facts) and "panic" (a self-test that panics, to check that the boundary
// recovers). An export's frames carry the file's bytes as their buffer. A
// put is answered with frames whose values are protocol.PutValues.
//
// Requests and puts are served one at a time, in arrival order, by one
// goroutine (compute.Queue): scalewiseHandle and scalewisePut only enqueue
// (scalewisePut copies the bytes out of JavaScript first), so a put is
// stored before any request sent after it is served. Progress messages are
// posted while a request runs. A Go panic while serving a request is
// recovered and sent as an error.
package main

import (
	"context"
	"fmt"
	"syscall/js"

	"scalewise/assets"
	"scalewise/engine/cosmic"
	"scalewise/engine/field"
	"scalewise/ui/compute"
	"scalewise/ui/protocol"
	"scalewise/weights"
)

// request is one call of scalewiseHandle, or of scalewisePut (put set).
type request struct {
	id   int
	json string
	put  *protocol.PutRequest
}

func main() {
	blobs := compute.NewBlobs(compute.MaxBlobBytes)
	reg, err := compute.NewEngine(compute.Sources{
		MNIST: assets.MNISTDigits,
		Nets:  weights.Denoiser,
		RG:    compute.RGEngineSource(weights.RGModel, weights.RGSides, assets.Phi4Samples).WithFields(weights.RGFieldModel, assets.RGTurbulenceHeldOut),
		Scat: compute.ScatSource{
			Phi4: assets.Phi4Samples,
			// A cosmic-web-like density: engine/cosmic's Zel'dovich field
			// with the project's parameters at n×n.
			Cosmic: func(n int, seed uint64) (*field.Field, error) {
				p := cosmic.DefaultParams(n)
				p.Seed = seed
				return cosmic.Zeldovich(p)
			},
			// Stationary 2-D turbulence: shipped vorticity snapshots
			// (scalewise assets --turbulence).
			Turbulence: assets.TurbulenceSnapshots,
		},
		Rates: weights.RateReports,
		Blobs: blobs,
	})
	if err != nil {
		post(map[string]any{"type": "fatal", "message": "the compute engine failed to start: " + err.Error()}, nil)
		return
	}
	queue := compute.NewQueue[request]()
	js.Global().Set("scalewiseHandle", js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) != 2 {
			post(map[string]any{"type": "error", "id": -1, "message": "scalewiseHandle(id, json): bad arguments"}, nil)
			return nil
		}
		queue.Push(request{id: args[0].Int(), json: args[1].String()})
		return nil
	}))
	js.Global().Set("scalewisePut", js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) != 3 || args[0].Type() != js.TypeNumber || args[1].Type() != js.TypeString || !args[2].InstanceOf(js.Global().Get("Uint8Array")) {
			id := -1
			if len(args) > 0 && args[0].Type() == js.TypeNumber {
				id = args[0].Int()
			}
			post(map[string]any{"type": "error", "id": id, "message": "scalewisePut(id, name, Uint8Array): bad arguments"}, nil)
			return nil
		}
		b := make([]byte, args[2].Get("length").Int())
		js.CopyBytesToGo(b, args[2])
		queue.Push(request{id: args[0].Int(), put: &protocol.PutRequest{Name: args[1].String(), Bytes: b}})
		return nil
	}))
	post(map[string]any{"type": "ready"}, nil)
	queue.Serve(context.Background(), func(r request) { serve(reg, blobs, r) })
}

// serve answers one request or put.
func serve(reg *compute.Registry, blobs *compute.Blobs, r request) {
	fail := func(msg string) { post(map[string]any{"type": "error", "id": r.id, "message": msg}, nil) }
	defer func() {
		if p := recover(); p != nil {
			fail(fmt.Sprintf("engine panic: %v", p))
		}
	}()
	progress := func(done, total int, stage string) {
		post(map[string]any{"type": "progress", "id": r.id, "done": done, "total": total, "stage": stage}, nil)
	}
	var fr *compute.Frames
	var err error
	if r.put != nil {
		fr, err = blobs.Put(*r.put)
	} else {
		fr, err = reg.Serve([]byte(r.json), progress)
	}
	if err != nil {
		fail(err.Error())
		return
	}
	hdr, err := fr.Header()
	if err != nil {
		fail(err.Error())
		return
	}
	b := fr.Bytes()
	u8 := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u8, b)
	buf := u8.Get("buffer")
	post(map[string]any{"type": "frames", "id": r.id, "header": string(hdr), "buf": buf}, []any{buf})
}

// post sends msg to the page, transferring the listed ArrayBuffers.
func post(msg map[string]any, transfer []any) {
	if transfer == nil {
		js.Global().Call("postMessage", msg)
		return
	}
	js.Global().Call("postMessage", msg, transfer)
}
