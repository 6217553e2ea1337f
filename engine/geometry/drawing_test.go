package geometry

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestParseDrawingMode(t *testing.T) {
	tests := []struct {
		in      string
		want    DrawingMode
		wantErr bool
	}{
		{"boundary", DrawingBoundary, false},
		{"stroke", DrawingStroke, false},
		{" Stroke\n", DrawingStroke, false},
		{"BOUNDARY", DrawingBoundary, false},
		{"", 0, true},
		{"line", 0, true},
		{"0", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseDrawingMode(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseDrawingMode(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDrawingMode(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if back, err := ParseDrawingMode(got.String()); err != nil || back != got {
			t.Errorf("ParseDrawingMode(%v.String()) = %v, %v", got, back, err)
		}
	}
	if s := DrawingMode(5).String(); !strings.Contains(s, "5") {
		t.Errorf("DrawingMode(5).String() = %q", s)
	}
}

func TestRenderDrawingErrors(t *testing.T) {
	line := []Point{{0, 30}, {64, 34}}
	ok := DrawingOptions{Size: 64, Mode: DrawingStroke, Width: 3, Alpha: 2}
	tests := []struct {
		name string
		mod  func(o *DrawingOptions)
		pts  []Point
		want string
	}{
		{"size 8", func(o *DrawingOptions) { o.Size = 8 }, line, "size"},
		{"size 512", func(o *DrawingOptions) { o.Size = 512 }, line, "size"},
		{"mode", func(o *DrawingOptions) { o.Mode = 2 }, line, "mode"},
		{"negative mode", func(o *DrawingOptions) { o.Mode = -1 }, line, "mode"},
		{"alpha 0", func(o *DrawingOptions) { o.Alpha = 0 }, line, "alpha"},
		{"alpha NaN", func(o *DrawingOptions) { o.Alpha = math.NaN() }, line, "alpha"},
		{"alpha 9", func(o *DrawingOptions) { o.Alpha = 9 }, line, "alpha"},
		{"width 0", func(o *DrawingOptions) { o.Width = 0 }, line, "width"},
		{"width NaN", func(o *DrawingOptions) { o.Width = math.NaN() }, line, "width"},
		{"width above size", func(o *DrawingOptions) { o.Width = 65 }, line, "width"},
		{"no points", func(o *DrawingOptions) {}, nil, "points"},
		{"NaN point", func(o *DrawingOptions) {}, []Point{{1, 2}, {math.NaN(), 3}}, "point"},
		{"boundary NaN point", func(o *DrawingOptions) { o.Mode = DrawingBoundary }, []Point{{math.Inf(-1), 3}}, "point"},
	}
	for _, tt := range tests {
		o := ok
		tt.mod(&o)
		for _, closed := range []bool{false, true} {
			img, err := RenderDrawing(tt.pts, closed, o)
			if err == nil || img != nil {
				t.Errorf("%s: RenderDrawing returned %v, %v; want an error", tt.name, img != nil, err)
				continue
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: error %q does not mention %q", tt.name, err, tt.want)
			}
		}
	}
	// The width is not used by boundary drawings.
	o := ok
	o.Mode, o.Width = DrawingBoundary, 0
	if _, err := RenderDrawing(line, false, o); err != nil {
		t.Errorf("boundary drawing with width 0: %v", err)
	}
}

// TestRenderDrawingBlend checks x = M·B1 + (1 − M)·B2 and x = M·S + (1 − M)·B,
// obtaining B1 and B2 from curves outside the image (M ≡ 1 and M ≡ 0).
func TestRenderDrawingBlend(t *testing.T) {
	const size = 64
	left := []Point{{80, -5}, {-20, -5}}  // image on the left: M ≡ 1
	right := []Point{{-20, -5}, {80, -5}} // image on the right: M ≡ 0
	for seed := uint64(0); seed < 6; seed++ {
		for _, alpha := range []float64{1, 2.5, 4} {
			o := DrawingOptions{Size: size, Mode: DrawingBoundary, Alpha: alpha, Seed: seed}
			b1, err := RenderDrawing(left, false, o)
			if err != nil {
				t.Fatal(err)
			}
			b2, _ := RenderDrawing(right, false, o)
			checkUnit(t, "B1", b1)
			checkUnit(t, "B2", b2)
			if slices.Equal(b1.Data, b2.Data) {
				t.Fatalf("seed %d: B1 = B2", seed)
			}
			for _, closed := range []bool{false, true} {
				pts, _ := SmoothCurve(seed+100, 400, size, closed)
				img, mask, err := renderDrawing([]Stroke{{pts, closed}}, o)
				if err != nil {
					t.Fatal(err)
				}
				checkUnit(t, "boundary drawing", img)
				for i, m := range mask.Data {
					if want := m*b1.Data[i] + (1-m)*b2.Data[i]; math.Abs(img.Data[i]-want) > 1e-12 {
						t.Fatalf("seed %d: boundary drawing %v at %d, want %v", seed, img.Data[i], i, want)
					}
				}
				again, _ := RenderDrawing(pts, closed, o)
				if !slices.Equal(img.Data, again.Data) {
					t.Errorf("seed %d: RenderDrawing is not deterministic", seed)
				}

				so := o
				so.Mode, so.Width = DrawingStroke, 3.5
				simg, smask, err := renderDrawing([]Stroke{{pts, closed}}, so)
				if err != nil {
					t.Fatal(err)
				}
				checkUnit(t, "stroke drawing", simg)
				mean := sum(b2) / float64(len(b2.Data))
				s := 0.0
				if mean <= 0.5 {
					s = 1
				}
				for i, m := range smask.Data {
					if want := m*s + (1-m)*b2.Data[i]; math.Abs(simg.Data[i]-want) > 1e-12 {
						t.Fatalf("seed %d: stroke drawing %v at %d, want %v", seed, simg.Data[i], i, want)
					}
				}
			}
		}
	}
}

func TestRenderDrawingStrokeClosed(t *testing.T) {
	tri := []Point{{10, 10}, {50, 10}, {30, 50}}
	o := DrawingOptions{Size: 64, Mode: DrawingStroke, Width: 2, Alpha: 2}
	_, open, err := renderDrawing([]Stroke{{tri, false}}, o)
	if err != nil {
		t.Fatal(err)
	}
	_, closed, err := renderDrawing([]Stroke{{tri, true}}, o)
	if err != nil {
		t.Fatal(err)
	}
	// The closing edge from (30, 50) to (10, 10) passes through (20, 30).
	if open.At(19, 29) > 0.1 || closed.At(19, 29) < 0.9 {
		t.Errorf("closing edge: open %v, closed %v", open.At(19, 29), closed.At(19, 29))
	}
	if tri[len(tri)-1] != (Point{30, 50}) || len(tri) != 3 {
		t.Errorf("RenderDrawing modified its points: %v", tri)
	}
}

func TestRandomDrawingErrors(t *testing.T) {
	for _, o := range []DrawingOptions{
		{Size: 15},
		{Size: 300},
		{Size: 32, Mode: 3},
		{Size: 32, Mode: DrawingStroke, Width: -1},
		{Size: 32, Mode: DrawingStroke, Width: 40},
		{Size: 32, Alpha: math.NaN()},
		{Size: 32, Alpha: -2},
	} {
		if img, err := RandomDrawing(1, o); err == nil || img != nil {
			t.Errorf("RandomDrawing(%+v) returned %v, %v; want an error", o, img != nil, err)
		}
	}
}

func TestRandomDrawing(t *testing.T) {
	const seeds = 200
	for _, size := range []int{16, 64} {
		for _, mode := range []DrawingMode{DrawingBoundary, DrawingStroke} {
			o := DrawingOptions{Size: size, Mode: mode}
			total := 0.0
			for seed := uint64(0); seed < seeds; seed++ {
				img, mask, err := randomDrawing(seed, o)
				if err != nil {
					t.Fatalf("RandomDrawing(%d, %+v): %v", seed, o, err)
				}
				checkUnit(t, "random drawing", img)
				if seed < 5 {
					again, _ := RandomDrawing(seed, o)
					if !slices.Equal(img.Data, again.Data) {
						t.Errorf("RandomDrawing(%d, %+v) is not deterministic", seed, o)
					}
					other, _ := RandomDrawing(seed+seeds, o)
					if slices.Equal(img.Data, other.Data) {
						t.Errorf("RandomDrawing: seeds %d and %d agree", seed, seed+seeds)
					}
					o2 := o
					o2.Seed = 99
					same, _ := RandomDrawing(seed, o2)
					if !slices.Equal(img.Data, same.Data) {
						t.Errorf("RandomDrawing depends on o.Seed")
					}
				}
				total += sum(img) / float64(size*size)
				// Both sides present: some pixels mostly in, some mostly out.
				in := 0
				for _, m := range mask.Data {
					if m > 0.5 {
						in++
					}
				}
				if in == 0 || in == size*size {
					t.Errorf("RandomDrawing(%d, %+v): %d of %d pixels inside", seed, o, in, size*size)
				}
				// (At size 16 a 6-pixel stroke may cover most of the image.)
				if mode == DrawingStroke && size >= 64 && in > size*size/2 {
					t.Errorf("RandomDrawing(%d, %+v): the stroke covers %d of %d pixels", seed, o, in, size*size)
				}
			}
			if mean := total / seeds; mean <= 0.1 || mean >= 0.9 {
				t.Errorf("RandomDrawing(%+v): mean intensity %v, want within (0.1, 0.9)", o, mean)
			}
		}
	}
}

// TestRandomDrawingOptions checks that a given Width or Alpha is used.
func TestRandomDrawingOptions(t *testing.T) {
	o := DrawingOptions{Size: 32, Mode: DrawingStroke}
	a, _ := RandomDrawing(7, o)
	o.Width = 1
	b, _ := RandomDrawing(7, o)
	o.Alpha = 8
	c, _ := RandomDrawing(7, o)
	if slices.Equal(a.Data, b.Data) || slices.Equal(b.Data, c.Data) {
		t.Errorf("RandomDrawing ignores Width or Alpha")
	}
	// The boundary mode does not use the width.
	ob := DrawingOptions{Size: 32, Mode: DrawingBoundary}
	d, _ := RandomDrawing(7, ob)
	ob.Width = 2
	e, _ := RandomDrawing(7, ob)
	if !slices.Equal(d.Data, e.Data) {
		t.Errorf("boundary RandomDrawing depends on Width")
	}
}

func TestRenderStrokesCombinesMasks(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) Stroke {
		return Stroke{Points: []Point{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, Closed: true}
	}
	o := DrawingOptions{Size: 32, Mode: DrawingBoundary, Alpha: 2, Seed: 3}
	// Two nested squares: parity makes a ring, the centre back outside.
	mask, err := drawingMask([]Stroke{sq(4, 4, 28, 28), sq(12, 12, 20, 20)}, o)
	if err != nil {
		t.Fatal(err)
	}
	if c, r, out := mask.At(16, 16), mask.At(8, 8), mask.At(1, 1); c > 0.01 || r < 0.99 || out > 0.01 {
		t.Errorf("nested boundaries: centre %.2f ring %.2f outside %.2f, want 0 1 0", c, r, out)
	}
	// Strokes combine by union.
	o.Mode, o.Width = DrawingStroke, 2
	a := Stroke{Points: []Point{{2, 10.5}, {30, 10.5}}}
	b := Stroke{Points: []Point{{2, 20.5}, {30, 20.5}}}
	mask, err = drawingMask([]Stroke{a, b}, o)
	if err != nil {
		t.Fatal(err)
	}
	if mask.At(16, 10) < 0.99 || mask.At(16, 20) < 0.99 || mask.At(16, 15) > 0.01 {
		t.Error("two strokes do not combine by union")
	}
	// No stroke: the background alone, values in [0, 1].
	img, err := RenderStrokes(nil, o)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := img.MinMax()
	if lo < 0 || hi > 1 || lo == hi {
		t.Errorf("empty drawing range [%v, %v]", lo, hi)
	}
}
