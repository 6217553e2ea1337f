package protocol

import (
	"encoding/binary"
	"math"
)

// Lookup finds name in an image table over buf, checking that the image
// lies inside buf (the table may come from an untrusted header).
func Lookup(images []Image, buf []byte, name string) (Image, []byte, bool) {
	for _, im := range images {
		if im.Name != name {
			continue
		}
		n := 4 * im.W * im.H
		if im.W <= 0 || im.H <= 0 || im.Off < 0 || n/4/im.W != im.H || im.Off+n > len(buf) || im.Off+n < im.Off {
			return Image{}, nil, false
		}
		return im, buf[im.Off : im.Off+n], true
	}
	return Image{}, nil, false
}

// Series decodes a series (an image one pixel high whose 4-byte cells are
// float32 values, little endian) from an image table over buf.
func Series(images []Image, buf []byte, name string) ([]float64, bool) {
	im, b, ok := Lookup(images, buf, name)
	if !ok || im.H != 1 {
		return nil, false
	}
	out := make([]float64, im.W)
	for i := range out {
		out[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
	}
	return out, true
}
