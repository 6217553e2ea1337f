//go:build js

package ui

import (
	"scalewise/ui/protocol"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
)

// imageCache holds a scene's frames from the worker (images, and series of
// compute.Frames.AddSeries) and the GPU images made from them, each
// uploaded on first use. Frames may arrive as whole sets (replace) or in
// parts (merge: a set that carries only some frames keeps the others).
type imageCache struct {
	frames map[string]cachedFrame
	gpu    map[string]*ebiten.Image
	// Uploads to the GPU may be spread over frames, at most limit per
	// frame (newFrame; 0: no limit), since a burst of them makes one long
	// task on a software-rendered WebGL; uploads counts those of the
	// current frame and deferred those put off.
	limit, uploads, deferred int
}

// cachedFrame is one frame's pixels (or a series' values); dirty means
// its GPU image, if any, is out of date.
type cachedFrame struct {
	w, h  int
	rgba  []byte
	dirty bool
}

// maxUploads is the most GPU image uploads per frame of a scene that
// spreads them.
const maxUploads = 4

// newFrame starts a frame with a budget of limit uploads (0: no limit).
func (c *imageCache) newFrame(limit int) { c.limit, c.uploads, c.deferred = limit, 0, 0 }

// pending reports whether the last frame put off an upload, i.e. drew a
// stale or missing image.
func (c *imageCache) pending() bool { return c.deferred > 0 }

// loaded reports whether any frames have arrived since the cache was made
// or cleared.
func (c *imageCache) loaded() bool { return c.frames != nil }

// clear drops every frame and releases every GPU image.
func (c *imageCache) clear() {
	for _, im := range c.gpu {
		im.Deallocate()
	}
	c.frames, c.gpu = nil, nil
}

// replace replaces every frame with those of a frame set. GPU images of
// names the set has again are kept and rewritten on use (deallocating and
// allocating them costs more than the upload); the others are released.
func (c *imageCache) replace(images []protocol.Image, buf []byte) {
	old := c.gpu
	c.frames, c.gpu = map[string]cachedFrame{}, map[string]*ebiten.Image{}
	c.merge(images, buf, "")
	for name, im := range old {
		if _, ok := c.frames[name]; ok {
			c.gpu[name] = im
		} else {
			im.Deallocate()
		}
	}
}

// merge adds or replaces the frames of a frame set, keeping the others;
// frames whose names start with clearPrefix (when not empty) are dropped
// first, so that the set replaces that group whole.
func (c *imageCache) merge(images []protocol.Image, buf []byte, clearPrefix string) {
	if c.frames == nil {
		c.frames, c.gpu = map[string]cachedFrame{}, map[string]*ebiten.Image{}
	}
	if clearPrefix != "" {
		for name := range c.frames {
			if strings.HasPrefix(name, clearPrefix) {
				delete(c.frames, name)
			}
		}
	}
	for _, im := range images {
		info, rgba, ok := protocol.Lookup(images, buf, im.Name)
		if !ok {
			continue
		}
		c.frames[im.Name] = cachedFrame{w: info.W, h: info.H, rgba: rgba, dirty: true}
	}
}

// series returns the values of a series of compute.Frames.AddSeries.
func (c *imageCache) series(name string) ([]float64, bool) {
	f, ok := c.frames[name]
	if !ok || f.h != 1 {
		return nil, false
	}
	return protocol.Series([]protocol.Image{{Name: name, W: f.w, H: 1}}, f.rgba, name)
}

// image returns the GPU image of the frame called name, or nil. Over the
// frame's upload budget it returns the stale image (or nil) and counts
// the upload as deferred: the image is drawn right in a later frame.
func (c *imageCache) image(name string) *ebiten.Image {
	f, ok := c.frames[name]
	if !ok {
		return nil
	}
	im := c.gpu[name]
	if im != nil && !f.dirty {
		return im
	}
	if c.limit > 0 && c.uploads >= c.limit {
		c.deferred++
		return im
	}
	if im != nil {
		if b := im.Bounds(); b.Dx() != f.w || b.Dy() != f.h {
			im.Deallocate()
			im = nil
		}
	}
	if im == nil {
		im = ebiten.NewImage(f.w, f.h)
		c.gpu[name] = im
	}
	im.WritePixels(f.rgba)
	c.uploads++
	f.dirty = false
	c.frames[name] = f
	return im
}
