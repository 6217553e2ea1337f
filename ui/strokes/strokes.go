// Package strokes holds the drawings of the Draw & denoise scene: a
// drawing is a list of strokes, each a polyline on a Canvas×Canvas
// canvas, with a compact URL-safe code (so a drawing travels in a link)
// and a few example drawings. Both the canvas app, where a person draws,
// and the engine, which rasterises and denoises the drawing, use it.
package strokes

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
)

// A drawing is a list of strokes; a stroke is a polyline of points in pixel
// units of the drawing canvas (0 … Size). Drawings travel in URL fragments,
// so they are encoded compactly: coordinates quantised to 1/Quantum of
// a pixel, the first point of each stroke absolute and the others as
// zigzag-varint deltas, the whole deflated and written in base64url.

// Quantum is the number of quantisation steps per pixel.
const Quantum = 4

// Limits on decoded drawings (a link is untrusted input).
const (
	MaxStrokes     = 256
	MaxPoints      = 20000 // in all strokes together
	strokesVersion = 1
	maxInflated    = 1 << 20
	// maxStrokeSize is the largest canvas side: quantised coordinates fit
	// in 16 bits.
	maxStrokeSize = math.MaxUint16 / Quantum
)

// Canvas is the side of the Draw & denoise scene's drawing, in pixels.
const Canvas = 64

// XY is a point of a stroke, in pixels.
type XY struct{ X, Y float64 }

// Encode returns the URL-safe encoding of strokes drawn on a canvas
// of the given size (coordinates are clamped to [0, size]).
func Encode(strokes [][]XY, size int) (string, error) {
	if size <= 0 || size > maxStrokeSize {
		return "", fmt.Errorf("strokes: canvas size %d out of range", size)
	}
	if len(strokes) > MaxStrokes {
		return "", fmt.Errorf("strokes: %d strokes (at most %d)", len(strokes), MaxStrokes)
	}
	var raw []byte
	raw = append(raw, strokesVersion)
	raw = appendUvarint(raw, uint64(size))
	raw = appendUvarint(raw, uint64(len(strokes)))
	total := 0
	q := func(v float64) int64 {
		if math.IsNaN(v) {
			v = 0
		}
		v = math.Max(0, math.Min(float64(size), v))
		return int64(math.Round(v * Quantum))
	}
	for _, s := range strokes {
		total += len(s)
		if total > MaxPoints {
			return "", fmt.Errorf("strokes: more than %d points", MaxPoints)
		}
		raw = appendUvarint(raw, uint64(len(s)))
		var px, py int64
		for _, p := range s {
			x, y := q(p.X), q(p.Y)
			raw = appendUvarint(raw, zigzag(x-px))
			raw = appendUvarint(raw, zigzag(y-py))
			px, py = x, y
		}
	}
	var buf bytes.Buffer
	zw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return "", err
	}
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// Decode reverses Encode. Malformed input gives an error
// (never a panic): bad base64, bad deflate data, a wrong version, points
// outside the canvas, or more than MaxStrokes / MaxPoints. Every
// count in the code is checked against what is left of its limit, and
// against the bytes left to read, before it is added or allocated.
func Decode(s string) (strokes [][]XY, size int, err error) {
	if s == "" {
		return nil, 0, errors.New("strokes: empty drawing code")
	}
	if len(s) > 64<<10 {
		return nil, 0, errors.New("strokes: drawing code too long")
	}
	z, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, 0, fmt.Errorf("strokes: not base64url: %w", err)
	}
	raw, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(z)), maxInflated+1))
	if err != nil {
		return nil, 0, fmt.Errorf("strokes: not deflate data: %w", err)
	}
	if len(raw) > maxInflated {
		return nil, 0, errors.New("strokes: drawing code inflates too far")
	}
	r := &varintReader{b: raw}
	if v := r.byte(); v != strokesVersion {
		return nil, 0, fmt.Errorf("strokes: unknown version %d", v)
	}
	sz := r.uvarint()
	n := r.uvarint()
	if r.err != nil {
		return nil, 0, r.err
	}
	// sz*Quantum could wrap: compare sz itself.
	if sz == 0 || sz > maxStrokeSize {
		return nil, 0, fmt.Errorf("strokes: canvas size %d out of range", sz)
	}
	if n > MaxStrokes {
		return nil, 0, fmt.Errorf("strokes: %d strokes (at most %d)", n, MaxStrokes)
	}
	size = int(sz)
	lim := int64(size * Quantum)
	left := uint64(MaxPoints) // points the drawing may still have
	for i := uint64(0); i < n; i++ {
		m := r.uvarint()
		if r.err != nil {
			return nil, 0, r.err
		}
		// Compare before subtracting: a sum of counts can wrap.
		if m > left {
			return nil, 0, fmt.Errorf("strokes: more than %d points", MaxPoints)
		}
		left -= m
		// Each point takes at least two bytes (two varints).
		if m > uint64(len(r.b)-r.i)/2 {
			return nil, 0, errors.New("strokes: truncated drawing code")
		}
		st := make([]XY, 0, m)
		var x, y int64
		for k := uint64(0); k < m; k++ {
			x += unzigzag(r.uvarint())
			y += unzigzag(r.uvarint())
			if r.err != nil {
				return nil, 0, r.err
			}
			if x < 0 || y < 0 || x > lim || y > lim {
				return nil, 0, fmt.Errorf("strokes: point (%g, %g) outside the %d×%d canvas",
					float64(x)/Quantum, float64(y)/Quantum, size, size)
			}
			st = append(st, XY{float64(x) / Quantum, float64(y) / Quantum})
		}
		strokes = append(strokes, st)
	}
	if r.i != len(r.b) {
		return nil, 0, errors.New("strokes: trailing bytes after the drawing")
	}
	return strokes, size, nil
}

func zigzag(v int64) uint64   { return uint64((v << 1) ^ (v >> 63)) }
func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

func appendUvarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// varintReader reads varints, remembering the first error.
type varintReader struct {
	b   []byte
	i   int
	err error
}

func (r *varintReader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.i >= len(r.b) {
		r.err = errors.New("strokes: truncated drawing code")
		return 0
	}
	r.i++
	return r.b[r.i-1]
}

func (r *varintReader) uvarint() uint64 {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	r.err = errors.New("strokes: varint overflow")
	return 0
}
