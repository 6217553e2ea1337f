//go:build js && wasm

// Command worker is the page's compute engine: an Ebiten-free wasm that runs
// in a Web Worker, so heavy numerics never block the page. The worker's JS
// glue calls scalewiseHandle(id, requestJSON); the engine answers with
// postMessage:
//
//	{type: "progress", id, done, total, stage}
//	{type: "frames", id, header, buf}   // buf: ArrayBuffer, transferred
//	{type: "error", id, message}
//
// Operations: "scales" (compute.Scales), "denoise" (compute.Denoise), the
// Renormalise scene's "rg_info", "rg_start", "rg_step", "rg_fit", "rg_race" and
// "rg_export" (compute.RGSession, one session kept between requests; an
// export's frames carry the file's bytes as their buffer), the Scattering
// scene's "scat_info", "scat_analyse", "scat_synth_start", "scat_synth_step"
// and "scat_export" (compute.ScatSession, likewise) and "panic" (a
// self-test that panics, to check that the boundary recovers).
//
// A Go panic while serving a request is recovered and sent as an error.
package main

import (
	"encoding/json"
	"fmt"
	"syscall/js"

	"scalewise/assets"
	"scalewise/engine/cosmic"
	"scalewise/engine/field"
	"scalewise/ui/compute"
	"scalewise/weights"
)

func main() {
	// The denoisers this worker has loaded. Requests run one at a time (the
	// worker's Go has one thread and serve returns before the next message
	// is handled), so the cache needs no lock.
	nets := compute.NewNets(weights.Denoiser)
	// The Renormalise scene's session: the generation in progress, the
	// race, the model fitted in the page.
	rgs := compute.NewRGSession(compute.RGEngineSource(weights.RGModel, weights.RGSides, assets.Phi4Samples))
	// The Scattering scene's session: the analysed field, its bank and
	// statistics, the synthesis in progress.
	scs := compute.NewScatSession(compute.ScatSource{
		Phi4: assets.Phi4Samples,
		// A cosmic-web-like density: engine/cosmic's Zel'dovich field with
		// the project's parameters at n×n.
		Cosmic: func(n int, seed uint64) (*field.Field, error) {
			p := cosmic.DefaultParams(n)
			p.Seed = seed
			return cosmic.Zeldovich(p)
		},
		// Stationary 2-D turbulence: shipped vorticity snapshots
		// (scalewise assets --turbulence).
		Turbulence: assets.TurbulenceSnapshots,
	})
	js.Global().Set("scalewiseHandle", js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) != 2 {
			post(map[string]any{"type": "error", "id": -1, "message": "scalewiseHandle(id, json): bad arguments"}, nil)
			return nil
		}
		id, req := args[0].Int(), args[1].String()
		go serve(id, req, nets, rgs, scs)
		return nil
	}))
	post(map[string]any{"type": "ready"}, nil)
	select {}
}

// request is the envelope of every worker request.
type request struct {
	Op      string                 `json:"op"`
	Scales  compute.ScalesRequest  `json:"scales"`
	Denoise compute.DenoiseRequest `json:"denoise"`
	// The Renormalise scene.
	RGStart  compute.RGStartRequest  `json:"rg_start"`
	RGStep   compute.RGStepRequest   `json:"rg_step"`
	RGFit    compute.RGFitRequest    `json:"rg_fit"`
	RGRace   compute.RGRaceRequest   `json:"rg_race"`
	RGExport compute.RGExportRequest `json:"rg_export"`
	// The Scattering scene.
	ScatAnalyse    compute.ScatRequest       `json:"scat_analyse"`
	ScatSynthStart compute.ScatSynthRequest  `json:"scat_synth_start"`
	ScatSynthStep  compute.ScatStepRequest   `json:"scat_synth_step"`
	ScatExport     compute.ScatExportRequest `json:"scat_export"`
}

func serve(id int, reqJSON string, nets *compute.Nets, rgs *compute.RGSession, scs *compute.ScatSession) {
	defer func() {
		if r := recover(); r != nil {
			post(map[string]any{"type": "error", "id": id, "message": fmt.Sprintf("engine panic: %v", r)}, nil)
		}
	}()
	var req request
	if err := json.Unmarshal([]byte(reqJSON), &req); err != nil {
		post(map[string]any{"type": "error", "id": id, "message": "bad request: " + err.Error()}, nil)
		return
	}
	progress := func(done, total int, stage string) {
		post(map[string]any{"type": "progress", "id": id, "done": done, "total": total, "stage": stage}, nil)
	}
	var fr *compute.Frames
	var err error
	switch req.Op {
	case "scales":
		fr, err = compute.Scales(req.Scales, progress)
	case "denoise":
		fr, err = compute.Denoise(req.Denoise, nets)
	case "rg_info":
		fr = rgs.Info()
	case "rg_start":
		fr, err = rgs.Start(req.RGStart, progress)
	case "rg_step":
		fr, err = rgs.Step(req.RGStep)
	case "rg_fit":
		fr, err = rgs.Fit(req.RGFit, progress)
	case "rg_race":
		fr, err = rgs.Race(req.RGRace)
	case "rg_export":
		fr, err = rgs.Export(req.RGExport, progress)
	case "scat_info":
		fr = scs.Info()
	case "scat_analyse":
		fr, err = scs.Analyse(req.ScatAnalyse, progress)
	case "scat_synth_start":
		fr, err = scs.SynthStart(req.ScatSynthStart, progress)
	case "scat_synth_step":
		fr, err = scs.SynthStep(req.ScatSynthStep)
	case "scat_export":
		fr, err = scs.SynthExport(req.ScatExport, progress)
	case "panic":
		// A self-test of the recovery boundary, used by the browser tests.
		panic("self-test panic requested")
	default:
		err = fmt.Errorf("unknown operation %q", req.Op)
	}
	if err != nil {
		post(map[string]any{"type": "error", "id": id, "message": err.Error()}, nil)
		return
	}
	hdr, err := fr.Header()
	if err != nil {
		post(map[string]any{"type": "error", "id": id, "message": err.Error()}, nil)
		return
	}
	b := fr.Bytes()
	u8 := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u8, b)
	buf := u8.Get("buffer")
	post(map[string]any{"type": "frames", "id": id, "header": string(hdr), "buf": buf}, []any{buf})
}

// post sends msg to the page, transferring the listed ArrayBuffers.
func post(msg map[string]any, transfer []any) {
	if transfer == nil {
		js.Global().Call("postMessage", msg)
		return
	}
	js.Global().Call("postMessage", msg, transfer)
}
