package field

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pixel returns the colour of pixel i of an RGBA byte buffer.
func pixel(b []byte, i int) color.RGBA {
	return color.RGBA{R: b[4*i], G: b[4*i+1], B: b[4*i+2], A: b[4*i+3]}
}

func TestRenderRGBA(t *testing.T) {
	f := &Field{W: 3, H: 2, Data: []float64{0, 0.5, 1, -1, 2, math.NaN()}}
	mid := func(c Colormap) color.RGBA { return c.Color(0.5) }
	magenta := rgb(255, 0, 255)
	for _, tc := range []struct {
		name   string
		c      Colormap
		lo, hi float64
		want   []color.RGBA
	}{
		{"gray", Gray, 0, 1, []color.RGBA{rgb(0, 0, 0), rgb(128, 128, 128), rgb(255, 255, 255), rgb(0, 0, 0), rgb(255, 255, 255), magenta}},
		{"gray shifted", Gray, -1, 1, []color.RGBA{rgb(128, 128, 128), Gray.Color(0.75), rgb(255, 255, 255), rgb(0, 0, 0), rgb(255, 255, 255), magenta}},
		{"diverging", Diverging, -2, 2, []color.RGBA{rgb(255, 255, 255), Diverging.Color(0.625), Diverging.Color(0.75), Diverging.Color(0.25), Diverging.Color(1), magenta}},
		{"perceptual", Perceptual, 0, 2, []color.RGBA{Perceptual.Color(0), Perceptual.Color(0.25), Perceptual.Color(0.5), Perceptual.Color(0), Perceptual.Color(1), magenta}},
		{"empty range", Perceptual, 1, 1, []color.RGBA{mid(Perceptual), mid(Perceptual), mid(Perceptual), mid(Perceptual), mid(Perceptual), magenta}},
		{"reversed range", Gray, 1, 0, []color.RGBA{mid(Gray), mid(Gray), mid(Gray), mid(Gray), mid(Gray), magenta}},
		{"NaN range", Diverging, math.NaN(), 1, []color.RGBA{mid(Diverging), mid(Diverging), mid(Diverging), mid(Diverging), mid(Diverging), magenta}},
		{"infinite range", Gray, math.Inf(-1), 0, []color.RGBA{mid(Gray), mid(Gray), mid(Gray), mid(Gray), mid(Gray), magenta}},
	} {
		dst := make([]byte, 4*6+3)
		dst[24], dst[25], dst[26] = 7, 8, 9
		if err := RenderRGBA(dst, f, tc.c, tc.lo, tc.hi); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for i, want := range tc.want {
			if got := pixel(dst, i); got != want {
				t.Errorf("%s: pixel %d (value %v) = %v, want %v", tc.name, i, f.Data[i], got, want)
			}
		}
		if dst[24] != 7 || dst[25] != 8 || dst[26] != 9 {
			t.Errorf("%s: bytes past 4·W·H changed: %v", tc.name, dst[24:])
		}
	}
}

func TestRenderRGBAErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		dst  []byte
		f    *Field
		want string
	}{
		{"small buffer", make([]byte, 23), New(3, 2), "buffer of 23 bytes is too small for a 3×2 field (need 24)"},
		{"nil buffer", nil, New(1, 1), "too small"},
		{"nil field", make([]byte, 4), nil, "nil field"},
		{"bad field", make([]byte, 64), &Field{W: 2, H: 2, Data: make([]float64, 3)}, "3 values for a 2×2 field"},
		{"zero size", make([]byte, 64), &Field{}, "must be positive"},
		{"huge field", make([]byte, 64), &Field{W: 1 << 40, H: 1 << 40}, "exceeds"},
	} {
		if err := RenderRGBA(tc.dst, tc.f, Gray, 0, 1); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestRenderRGBANoAlloc(t *testing.T) {
	f := New(64, 32)
	for i := range f.Data {
		f.Data[i] = math.Sin(float64(i))
	}
	f.Data[5] = math.NaN()
	dst := make([]byte, 4*64*32)
	for _, c := range []Colormap{Gray, Diverging, Perceptual} {
		lo, hi := c.Limits(f)
		allocs := testing.AllocsPerRun(20, func() {
			if err := RenderRGBA(dst, f, c, lo, hi); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%v: RenderRGBA made %v allocations, want 0", c, allocs)
		}
	}
}

func TestRender(t *testing.T) {
	f := New(5, 3)
	for i := range f.Data {
		f.Data[i] = float64(i) - 7
	}
	lo, hi := Diverging.Limits(f)
	img := Render(f, Diverging, lo, hi)
	if img.Bounds() != image.Rect(0, 0, 5, 3) {
		t.Fatalf("bounds %v, want 5×3", img.Bounds())
	}
	for y := 0; y < 3; y++ {
		for x := 0; x < 5; x++ {
			want := Diverging.Color((f.At(x, y) - lo) / (hi - lo))
			if got := img.RGBAAt(x, y); got != want {
				t.Errorf("pixel (%d, %d) = %v, want %v", x, y, got, want)
			}
		}
	}
	if got := img.RGBAAt(2, 1); got != rgb(255, 255, 255) {
		t.Errorf("zero at (2, 1) is %v, want white", got)
	}
	for _, bad := range []*Field{nil, {W: 3, H: 3}} {
		if img := Render(bad, Gray, 0, 1); !img.Bounds().Empty() {
			t.Errorf("Render(%v) has bounds %v, want empty", bad, img.Bounds())
		}
	}
}

// checkPNG decodes a PNG and compares it with Render's output for f.
func checkPNG(t *testing.T, data []byte, f *Field, c Colormap, lo, hi float64) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decoding PNG: %v", err)
	}
	if img.Bounds() != image.Rect(0, 0, f.W, f.H) {
		t.Fatalf("PNG bounds %v, want %d×%d", img.Bounds(), f.W, f.H)
	}
	want := Render(f, c, lo, hi)
	for y := 0; y < f.H; y++ {
		for x := 0; x < f.W; x++ {
			got := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			if got != want.RGBAAt(x, y) {
				t.Fatalf("PNG pixel (%d, %d) = %v, want %v", x, y, got, want.RGBAAt(x, y))
			}
		}
	}
}

func TestWritePNG(t *testing.T) {
	f := New(7, 4)
	for i := range f.Data {
		f.Data[i] = math.Cos(float64(i) / 3)
	}
	f.Data[3] = math.NaN()
	for _, c := range []Colormap{Gray, Diverging, Perceptual} {
		lo, hi := c.Limits(f)
		var buf bytes.Buffer
		if err := WritePNG(&buf, f, c, lo, hi); err != nil {
			t.Fatalf("%v: %v", c, err)
		}
		checkPNG(t, buf.Bytes(), f, c, lo, hi)
	}
	img, _ := png.Decode(bytes.NewReader(func() []byte {
		var buf bytes.Buffer
		WritePNG(&buf, f, Gray, 0, 1)
		return buf.Bytes()
	}()))
	if got := color.RGBAModel.Convert(img.At(3, 0)).(color.RGBA); got != rgb(255, 0, 255) {
		t.Errorf("NaN pixel is %v, want magenta", got)
	}
	if err := WritePNG(&bytes.Buffer{}, nil, Gray, 0, 1); err == nil {
		t.Error("WritePNG(nil field): no error")
	}
	if err := WritePNG(&errWriter{n: 10}, f, Gray, 0, 1); !errors.Is(err, errWrite) {
		t.Errorf("failing writer: error %v, want %v", err, errWrite)
	}
}

func TestWritePNGFile(t *testing.T) {
	dir := t.TempDir()
	f := Upsample(&Field{W: 2, H: 2, Data: []float64{-1, 0, 0.5, 1}}, 4)
	path := filepath.Join(dir, "f.png")
	if err := WritePNGFile(path, f, Diverging, -1, 1); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, data, f, Diverging, -1, 1)

	bad := filepath.Join(dir, "bad.png")
	if err := WritePNGFile(bad, &Field{W: 1, H: 1}, Gray, 0, 1); err == nil {
		t.Error("WritePNGFile of an invalid field: no error")
	}
	if _, err := os.Stat(bad); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("invalid field created %s (stat: %v)", bad, err)
	}
}

func BenchmarkRenderRGBA(b *testing.B) {
	f := New(512, 512)
	for i := range f.Data {
		f.Data[i] = math.Sin(float64(i) / 100)
	}
	dst := make([]byte, 4*512*512)
	for _, c := range []Colormap{Gray, Diverging, Perceptual} {
		b.Run(c.String(), func(b *testing.B) {
			lo, hi := c.Limits(f)
			b.SetBytes(int64(len(f.Data)))
			for b.Loop() {
				RenderRGBA(dst, f, c, lo, hi)
			}
		})
	}
}
