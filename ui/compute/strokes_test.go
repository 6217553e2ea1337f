package compute

import (
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
			code, err := EncodeStrokes(tc.strokes, 64)
			if err != nil {
				t.Fatal(err)
			}
			got, size, err := DecodeStrokes(code)
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
					if math.Abs(p.X-q.X) > 0.5/StrokeQuantum+1e-12 || math.Abs(p.Y-q.Y) > 0.5/StrokeQuantum+1e-12 {
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
	code, err := EncodeStrokes([][]XY{s}, 64)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) > 600 {
		t.Errorf("200 smooth points take %d characters", len(code))
	}
	t.Logf("200 points → %d characters", len(code))
}

func TestDecodeStrokesErrors(t *testing.T) {
	good, _ := EncodeStrokes([][]XY{{{1, 1}, {2, 2}}}, 64)
	for _, tc := range []struct{ code, want string }{
		{"", "empty"},
		{"!!!", "base64"},
		{"AAAA", "deflate"},
		{good[:len(good)-3], ""},
		{good + "AA", ""},
	} {
		if _, _, err := DecodeStrokes(tc.code); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("DecodeStrokes(%q) = %v, want an error mentioning %q", tc.code, err, tc.want)
		}
	}
	if _, err := EncodeStrokes(make([][]XY, MaxStrokes+1), 64); err == nil {
		t.Error("too many strokes encoded")
	}
}

func FuzzDecodeStrokes(f *testing.F) {
	good, _ := EncodeStrokes([][]XY{{{1, 1}, {2, 2}, {60, 3}}}, 64)
	f.Add(good)
	f.Add("")
	f.Add("AAAA")
	f.Fuzz(func(t *testing.T, code string) {
		strokes, size, err := DecodeStrokes(code)
		if err != nil {
			return
		}
		again, err := EncodeStrokes(strokes, size)
		if err != nil {
			t.Fatalf("decoded drawing does not re-encode: %v", err)
		}
		back, _, err := DecodeStrokes(again)
		if err != nil || len(back) != len(strokes) {
			t.Fatalf("re-encoded drawing does not decode: %v", err)
		}
	})
}
