// Package protocol is the wire format between the page, its compute worker
// (wasm/worker, package ui/compute) and the canvas app (package ui): the
// operation names, the request body of each operation, and the values
// each operation answers with. It uses the standard library only, so that
// the canvas app can import it without pulling in the engine.
//
// # Requests
//
// The page posts the worker one JSON envelope per request: the operation's
// name under "op" and its body under the same name,
//
//	{"op": "rg_step", "rg_step": {"k": 10, "max_ms": 40}}
//
// A missing body is an empty one ({}). The worker serves the requests one
// at a time, in arrival order; an unknown operation is an error.
//
// # Answers
//
// The worker answers with postMessage:
//
//	{type: "progress", id, done, total, stage}
//	{type: "frames", id, header, buf}   // buf: ArrayBuffer, transferred
//	{type: "error", id, message}
//
// The header is the JSON of a [Header]: the scene the frames are for, a
// table of [Image] entries locating RGBA panels (and float32 series, one
// pixel high) in buf, and the operation's values, one of the *Values types
// of this package. Exports carry no images: buf holds the file's bytes.
package protocol
