package compute

import (
	"bytes"
	"fmt"

	"scalewise/engine/field"
)

// File is an exported file: its name, media type and bytes.
type File struct {
	Name string
	Mime string
	Data []byte
}

// exportSource is what a run exports: its field (raw, for .npy), the
// field in the units of its colours with the colour map and range (for
// PNG), and its animation (for GIF).
type exportSource struct {
	raw, shown *field.Field
	cmap       field.Colormap
	lo, hi     float64
	anim       *animation
	gifSide    int
}

// exportFile writes src in format, "gif", "png" or "npy", as stem.ext.
func exportFile(format, stem string, src exportSource, progress Progress) (File, error) {
	var b bytes.Buffer
	var mime, ext string
	switch format {
	case "gif":
		if err := src.anim.write(&b, src.gifSide, progress); err != nil {
			return File{}, err
		}
		mime, ext = "image/gif", "gif"
	case "png":
		if err := field.WritePNG(&b, src.shown, src.cmap, src.lo, src.hi); err != nil {
			return File{}, err
		}
		mime, ext = "image/png", "png"
	case "npy":
		if err := field.WriteNPY(&b, src.raw, field.Float32); err != nil {
			return File{}, err
		}
		mime, ext = "application/octet-stream", "npy"
	default:
		return File{}, fmt.Errorf("unknown export format %q (gif, png or npy)", format)
	}
	return File{Name: stem + "." + ext, Mime: mime, Data: b.Bytes()}, nil
}
