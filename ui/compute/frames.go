// Package compute turns a scene request into frames: the numerical work that
// the page's Web Worker runs (and that native tests run unchanged). It
// composes the engine packages and renders their fields to RGBA panels; it
// knows nothing about the browser. The wire format of requests and
// answers is package ui/protocol; NewEngine registers every operation in a
// Registry.
//
// Requests are served one at a time, in arrival order: the worker queues
// them (Queue) for one serving goroutine, and a Registry runs one handler
// at a time. The sessions that keep a scene's state between requests
// (RGSession, ScatSession) therefore hold no locks, and are not safe for
// concurrent use outside a Registry. Iterative work (a generation, a
// synthesis) is a Stepper: started, stepped within a time budget,
// cancelled and exported.
package compute

import (
	"encoding/json"
	"fmt"

	"scalewise/engine/field"
	"scalewise/ui/protocol"
)

// Image locates one RGBA panel (4·W·H bytes, row-major) inside a Frames
// buffer.
type Image = protocol.Image

// Frames is what one request produces: named RGBA images packed into a
// single byte buffer (so the worker can transfer it without copying) and a
// small JSON-encodable header of numbers for the page to show.
type Frames struct {
	Scene  string
	Images []Image
	// Values is a pointer to the operation's values, one of the *Values
	// types of package protocol.
	Values any
	buf    []byte
}

// NewFrames returns an empty frame set for scene with values (a pointer
// to a protocol values struct, which the caller may go on filling).
func NewFrames(scene string, values any) *Frames {
	return &Frames{Scene: scene, Values: values}
}

// AddField renders f with colormap c over [lo, hi] and stores it as name.
func (fr *Frames) AddField(name string, f *field.Field, c field.Colormap, lo, hi float64) error {
	off := len(fr.buf)
	n := 4 * f.W * f.H
	fr.buf = append(fr.buf, make([]byte, n)...)
	if err := field.RenderRGBA(fr.buf[off:off+n], f, c, lo, hi); err != nil {
		return fmt.Errorf("frame %s: %w", name, err)
	}
	fr.Images = append(fr.Images, Image{Name: name, W: f.W, H: f.H, Off: off})
	return nil
}

// AddRGBA stores an already rendered RGBA image as name.
func (fr *Frames) AddRGBA(name string, w, h int, rgba []byte) error {
	if len(rgba) != 4*w*h {
		return fmt.Errorf("frame %s: %d bytes for a %d×%d RGBA image", name, len(rgba), w, h)
	}
	fr.Images = append(fr.Images, Image{Name: name, W: w, H: h, Off: len(fr.buf)})
	fr.buf = append(fr.buf, rgba...)
	return nil
}

// Bytes returns the packed image buffer.
func (fr *Frames) Bytes() []byte { return fr.buf }

// Header returns the JSON header (scene, image table, values): a
// protocol.Header.
func (fr *Frames) Header() ([]byte, error) {
	return json.Marshal(protocol.Header[any]{Scene: fr.Scene, Images: fr.Images, Values: fr.Values})
}

// Image returns the RGBA bytes of the image called name.
func (fr *Frames) Image(name string) (Image, []byte, bool) {
	return protocol.Lookup(fr.Images, fr.buf, name)
}
