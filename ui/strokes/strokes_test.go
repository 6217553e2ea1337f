package strokes

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestStrokesRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name    string
		strokes [][]XY
	}{
		{"empty", nil},
		{"dot", [][]XY{{{10, 10}}}},
		{"corners", [][]XY{{{0, 0}, {64, 64}, {0, 64}, {64, 0}}}},
		{"random walk", func() [][]XY {
			var s []XY
			x, y := 32.0, 32.0
			for i := 0; i < 500; i++ {
				x = math.Max(0, math.Min(64, x+r.NormFloat64()))
				y = math.Max(0, math.Min(64, y+r.NormFloat64()))
				s = append(s, XY{x, y})
			}
			return [][]XY{s, s[:10], s[100:200]}
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, err := Encode(tc.strokes, 64)
			if err != nil {
				t.Fatal(err)
			}
			got, size, err := Decode(code)
			if err != nil {
				t.Fatal(err)
			}
			if size != 64 || len(got) != len(tc.strokes) {
				t.Fatalf("size %d, %d strokes", size, len(got))
			}
			for i := range got {
				if len(got[i]) != len(tc.strokes[i]) {
					t.Fatalf("stroke %d: %d points, want %d", i, len(got[i]), len(tc.strokes[i]))
				}
				for k, p := range got[i] {
					q := tc.strokes[i][k]
					if math.Abs(p.X-q.X) > 0.5/Quantum+1e-12 || math.Abs(p.Y-q.Y) > 0.5/Quantum+1e-12 {
						t.Fatalf("point %d/%d: %v, want %v", i, k, p, q)
					}
				}
			}
			if strings.ContainsAny(code, "+/=") {
				t.Errorf("code is not URL-safe: %q", code)
			}
		})
	}
}

func TestStrokesCompact(t *testing.T) {
	// A smooth 200-point stroke must fit comfortably in a link.
	var s []XY
	for i := 0; i < 200; i++ {
		a := 2 * math.Pi * float64(i) / 200
		s = append(s, XY{32 + 20*math.Cos(a), 32 + 15*math.Sin(2*a)})
	}
	code, err := Encode([][]XY{s}, 64)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) > 600 {
		t.Errorf("200 smooth points take %d characters", len(code))
	}
	t.Logf("200 points → %d characters", len(code))
}

func TestDecodeErrors(t *testing.T) {
	good, _ := Encode([][]XY{{{1, 1}, {2, 2}}}, 64)
	for _, tc := range []struct{ code, want string }{
		{"", "empty"},
		{"!!!", "base64"},
		{"AAAA", "deflate"},
		{good[:len(good)-3], ""},
		{good + "AA", ""},
		// A link that panicked: a stroke of 2⁶⁴ − 1 points after a
		// stroke of one (the running total wrapped to 0).
		{"YnRgYmRg-A8DjIAAAAD__w", "more than 20000 points"},
		{deflated(strokeStream{version: strokesVersion, size: 1 << 62, n: 0}.raw()), "canvas size"},
		{deflated(appendUvarint([]byte{strokesVersion, 64, 1}, MaxPoints)), "truncated"},
		{deflated(strokeStream{version: strokesVersion, size: 64, n: 2, counts: []uint64{MaxPoints, 1}}.raw()), "more than 20000 points"},
		{deflated(strokeStream{version: strokesVersion, size: 64, n: MaxStrokes + 1}.raw()), "strokes (at most"},
		{deflated(strokeStream{version: 2, size: 64}.raw()), "version"},
	} {
		if _, _, err := Decode(tc.code); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Decode(%q) = %v, want an error mentioning %q", tc.code, err, tc.want)
		}
	}
	if _, err := Encode(make([][]XY, MaxStrokes+1), 64); err == nil {
		t.Error("too many strokes encoded")
	}
	for _, size := range []int{0, -1, maxStrokeSize + 1, 1 << 62} {
		if _, err := Encode(nil, size); err == nil {
			t.Errorf("canvas size %d encoded", size)
		}
	}
}

func FuzzDecode(f *testing.F) {
	good, _ := Encode([][]XY{{{1, 1}, {2, 2}, {60, 3}}}, 64)
	f.Add(good)
	f.Add("")
	f.Add("AAAA")
	f.Add("YnRgYmRg-A8DjIAAAAD__w") // #scene=draw&d=…: it panicked
	f.Fuzz(func(t *testing.T, code string) {
		strokes, size, err := Decode(code)
		if err != nil {
			return
		}
		checkDrawing(t, strokes, size)
		again, err := Encode(strokes, size)
		if err != nil {
			t.Fatalf("decoded drawing does not re-encode: %v", err)
		}
		back, _, err := Decode(again)
		if err != nil || len(back) != len(strokes) {
			t.Fatalf("re-encoded drawing does not decode: %v", err)
		}
	})
}

// FuzzDecodeStream builds the varint stream of a drawing from fuzzed
// integers (version, canvas size, stroke count, point counts, coordinate
// deltas), deflates and encodes it, and decodes it: the mutations reach
// the counts instead of dying in base64 or deflate. A stream that is well
// formed by construction must decode to exactly its strokes; one that
// breaks a limit must be refused; whatever is accepted must respect the
// limits and re-encode to the same drawing.
func FuzzDecodeStream(f *testing.F) {
	type seed struct {
		version      uint8
		size, n      uint64
		m0, m1       uint64
		more, deltas []byte
		trailing     bool
	}
	for _, s := range []seed{
		{strokesVersion, 64, 1, 3, 0, nil, []byte{4, 0, 4, 0, 1, 0, 255, 255, 8, 0, 0, 0}, false},
		{strokesVersion, 64, 2, 1, math.MaxUint64, nil, nil, false},                 // the panic of the link
		{strokesVersion, 64, 2, MaxPoints, math.MaxUint64 - 19999, nil, nil, false}, // total wraps to 1
		{strokesVersion, 64, 2, MaxPoints, 1, nil, nil, false},
		{strokesVersion, 1 << 62, 1, 1, 0, nil, nil, false}, // size·quantum wraps to 0
		{strokesVersion, maxStrokeSize, 3, 2, 2, []byte{2}, []byte{255, 127, 255, 127}, false},
		{strokesVersion, 64, MaxStrokes, 1, 1, []byte{1, 2, 3}, []byte{1, 0, 2, 0}, false},
		{strokesVersion, 64, MaxStrokes + 1, 0, 0, nil, nil, false},
		{strokesVersion, 64, 1, 2, 0, nil, []byte{0, 1, 0, 1}, false}, // leaves the canvas
		{strokesVersion, 64, 1, 1, 0, nil, nil, true},
		{0, 64, 0, 0, 0, nil, nil, false},
	} {
		f.Add(s.version, s.size, s.n, s.m0, s.m1, s.more, s.deltas, s.trailing)
	}
	f.Fuzz(func(t *testing.T, version uint8, size, n, m0, m1 uint64, more, deltas []byte, trailing bool) {
		counts := []uint64{m0, m1}
		for _, b := range more {
			counts = append(counts, uint64(b))
		}
		st := strokeStream{version: version, size: size, n: n, counts: counts, deltas: deltas, trailing: trailing}
		code := deflated(st.raw())
		strokes, gotSize, err := Decode(code)
		want, verdict := st.model()
		switch {
		case verdict == streamValid && err != nil:
			t.Fatalf("a well-formed drawing was refused: %v", err)
		case verdict == streamInvalid && err == nil:
			t.Fatalf("a malformed drawing was accepted: size %d, %d strokes", gotSize, len(strokes))
		case err != nil:
			return
		}
		checkDrawing(t, strokes, gotSize)
		if verdict == streamValid && (gotSize != int(size) || !sameStrokes(strokes, want)) {
			t.Fatalf("decoded size %d, strokes %v; want size %d, strokes %v", gotSize, strokes, size, want)
		}
	})
}

// checkDrawing fails t unless a decoded drawing respects the limits and the
// canvas bounds, and EncodeStrokes∘DecodeStrokes gives it back exactly.
func checkDrawing(t *testing.T, strokes [][]XY, size int) {
	t.Helper()
	if size < 1 || size > maxStrokeSize {
		t.Fatalf("accepted canvas size %d", size)
	}
	if len(strokes) > MaxStrokes {
		t.Fatalf("accepted %d strokes", len(strokes))
	}
	total := 0
	for _, s := range strokes {
		total += len(s)
		for _, p := range s {
			if !(p.X >= 0 && p.Y >= 0 && p.X <= float64(size) && p.Y <= float64(size)) {
				t.Fatalf("accepted point %v outside the %d×%d canvas", p, size, size)
			}
		}
	}
	if total > MaxPoints {
		t.Fatalf("accepted %d points", total)
	}
	again, err := Encode(strokes, size)
	if err != nil {
		t.Fatalf("decoded drawing does not re-encode: %v", err)
	}
	back, backSize, err := Decode(again)
	if err != nil || backSize != size || !sameStrokes(back, strokes) {
		t.Fatalf("re-encoded drawing decodes to size %d, %d strokes, %v; want size %d, %d strokes", backSize, len(back), err, size, len(strokes))
	}
}

func sameStrokes(a, b [][]XY) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for k := range a[i] {
			if a[i][k] != b[i][k] {
				return false
			}
		}
	}
	return true
}

// strokeStream describes the uncompressed stream of a drawing by its
// integers: stroke i claims counts[i] points (1 past the end of counts),
// and the points are running sums of little-endian int16 pairs taken from
// deltas in turn (zeros when deltas is empty).
type strokeStream struct {
	version  uint8
	size, n  uint64
	counts   []uint64
	deltas   []byte
	trailing bool // one stray byte after the drawing
}

// The verdicts of strokeStream.model.
const (
	streamValid   = iota // a correct decoder returns exactly the model's strokes
	streamInvalid        // a correct decoder refuses it
	streamUnclear        // a claimed count was not written out: the decoder reads on into what follows
)

// count returns the number of points stroke i claims.
func (s strokeStream) count(i uint64) uint64 {
	if i < uint64(len(s.counts)) {
		return s.counts[i]
	}
	return 1
}

// strokes returns the number of strokes written: n, but no more than one
// past MaxStrokes (beyond that the decoder must stop at the count).
func (s strokeStream) strokes() uint64 { return min(s.n, MaxStrokes+1) }

// written returns the points written for each stroke: the claimed count,
// but no more than one past MaxPoints in all.
func (s strokeStream) written() []uint64 {
	var out []uint64
	budget := uint64(MaxPoints + 1)
	for i := uint64(0); i < s.strokes(); i++ {
		w := min(s.count(i), budget)
		budget -= w
		out = append(out, w)
	}
	return out
}

// delta returns the k-th quantised coordinate delta.
func (s strokeStream) delta(k int) int64 {
	if len(s.deltas) < 2 {
		return 0
	}
	j := 2 * (k % (len(s.deltas) / 2))
	return int64(int16(uint16(s.deltas[j]) | uint16(s.deltas[j+1])<<8))
}

// raw returns the uncompressed stream.
func (s strokeStream) raw() []byte {
	b := []byte{s.version}
	b = appendUvarint(b, s.size)
	b = appendUvarint(b, s.n)
	k := 0
	for i, w := range s.written() {
		b = appendUvarint(b, s.count(uint64(i)))
		for range w {
			b = appendUvarint(b, zigzag(s.delta(k)))
			b = appendUvarint(b, zigzag(s.delta(k+1)))
			k += 2
		}
	}
	if s.trailing {
		b = append(b, 0)
	}
	return b
}

// model returns the strokes the stream holds and its verdict.
func (s strokeStream) model() ([][]XY, int) {
	written := s.written()
	for i, w := range written {
		if w != s.count(uint64(i)) {
			return nil, streamUnclear
		}
	}
	if s.version != strokesVersion || s.size == 0 || s.size > maxStrokeSize || s.n > MaxStrokes || s.trailing {
		return nil, streamInvalid
	}
	lim := int64(s.size) * Quantum
	var out [][]XY
	total, k := uint64(0), 0
	for _, w := range written {
		total += w
		st := []XY{}
		var x, y int64
		for range w {
			x += s.delta(k)
			y += s.delta(k + 1)
			k += 2
			if x < 0 || y < 0 || x > lim || y > lim {
				return nil, streamInvalid
			}
			st = append(st, XY{float64(x) / Quantum, float64(y) / Quantum})
		}
		out = append(out, st)
	}
	if total > MaxPoints {
		return nil, streamInvalid
	}
	return out, streamValid
}

// deflated returns a drawing code holding raw as it is.
func deflated(raw []byte) string {
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestSpeed)
	zw.Write(raw)
	zw.Close()
	return base64.RawURLEncoding.EncodeToString(buf.Bytes())
}
