package field

import (
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
)

// RenderRGBA colours f with c into dst as W·H pixels of 4 bytes (R, G, B and
// an alpha of 255), row by row, the layout of image.RGBA.Pix. The value v is
// drawn as c.Color((v-lo)/(hi-lo)), so lo maps to the first colour of c and
// hi to the last, values outside [lo, hi] are clamped and NaN is magenta. If
// hi <= lo, or the range is not finite, every non-NaN value is drawn in the
// middle colour c.Color(0.5). RenderRGBA does not allocate; it returns an
// error if f is invalid or len(dst) < 4·W·H, and leaves bytes of dst beyond
// 4·W·H untouched.
func RenderRGBA(dst []byte, f *Field, c Colormap, lo, hi float64) error {
	if err := checkField(f); err != nil {
		return err
	}
	if n := 4 * f.W * f.H; len(dst) < n {
		return fmt.Errorf("field: RGBA buffer of %d bytes is too small for a %d×%d field (need %d)", len(dst), f.W, f.H, n)
	}
	span := hi - lo
	flat := !(span > 0) || math.IsInf(span, 0)
	mid := c.Color(0.5)
	for i, v := range f.Data {
		col := mid
		switch {
		case math.IsNaN(v):
			col = nanColor
		case !flat:
			col = c.Color((v - lo) / span)
		}
		p := dst[4*i : 4*i+4 : 4*i+4]
		p[0], p[1], p[2], p[3] = col.R, col.G, col.B, 255
	}
	return nil
}

// Render returns f coloured with c as a W×H image, with the value range
// [lo, hi] as in RenderRGBA; Colormap.Limits gives the usual range. If f is
// invalid (nil, or with sizes that do not match its data), Render returns an
// empty image.
func Render(f *Field, c Colormap, lo, hi float64) *image.RGBA {
	if checkField(f) != nil {
		return image.NewRGBA(image.Rectangle{})
	}
	img := image.NewRGBA(image.Rect(0, 0, f.W, f.H))
	RenderRGBA(img.Pix, f, c, lo, hi) // cannot fail: f is valid and Pix is 4·W·H bytes
	return img
}

// WritePNG writes f coloured with c, as in Render, to w as a PNG image.
func WritePNG(w io.Writer, f *Field, c Colormap, lo, hi float64) error {
	if err := checkField(f); err != nil {
		return err
	}
	return png.Encode(w, Render(f, c, lo, hi))
}

// WritePNGFile writes f coloured with c, as in Render, to a PNG file at
// path, creating or truncating it. An invalid field is reported before the
// file is touched, and on a write error the partial file is removed.
func WritePNGFile(path string, f *Field, c Colormap, lo, hi float64) error {
	if err := checkField(f); err != nil {
		return err
	}
	return writeFile(path, func(w io.Writer) error {
		return png.Encode(w, Render(f, c, lo, hi))
	})
}
