//go:build js

package ui

import (
	"github.com/hajimehoshi/ebiten/v2"

	"scalewise/ui/compute"
)

// frameImages holds a scene's frames from the worker and the GPU images
// made from them, each uploaded on first use.
type frameImages struct {
	images []compute.Image
	buf    []byte
	cache  map[string]*ebiten.Image
}

// set replaces the frames, releasing the old GPU images.
func (f *frameImages) set(images []compute.Image, buf []byte) {
	for _, im := range f.cache {
		im.Deallocate()
	}
	f.images, f.buf, f.cache = images, buf, map[string]*ebiten.Image{}
}

// loaded reports whether any frames have arrived.
func (f *frameImages) loaded() bool { return f.buf != nil }

// image returns the GPU image of the frame called name, or nil.
func (f *frameImages) image(name string) *ebiten.Image {
	if im, ok := f.cache[name]; ok {
		return im
	}
	info, rgba, ok := compute.Lookup(f.images, f.buf, name)
	if !ok {
		return nil
	}
	im := ebiten.NewImage(info.W, info.H)
	im.WritePixels(rgba)
	f.cache[name] = im
	return im
}
