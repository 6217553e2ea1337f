package geometry

import (
	"math"
	"slices"
	"testing"

	"scalewise/engine/field"
)

func TestMaskErrors(t *testing.T) {
	line := []Point{{0, 10}, {64, 10}}
	tests := []struct {
		name  string
		size  int
		pts   []Point
		width float64
	}{
		{"size 15", 15, line, 2},
		{"size 257", 257, line, 2},
		{"size 0", 0, line, 2},
		{"no points", 64, nil, 2},
		{"NaN X", 64, []Point{{0, 1}, {math.NaN(), 2}}, 2},
		{"NaN Y", 64, []Point{{math.NaN(), 2}}, 2},
		{"+Inf", 64, []Point{{0, 1}, {math.Inf(1), 2}}, 2},
		{"too far", 64, []Point{{0, 1}, {0, -2 * MaxCoordinate}}, 2},
		{"too many points", 64, make([]Point, MaxCurvePoints+1), 2},
	}
	for _, tt := range tests {
		if m, err := StrokeMask(tt.size, tt.pts, tt.width); err == nil || m != nil {
			t.Errorf("%s: StrokeMask returned %v, %v; want an error", tt.name, m != nil, err)
		}
		for _, closed := range []bool{false, true} {
			if m, err := BoundaryMask(tt.size, tt.pts, closed); err == nil || m != nil {
				t.Errorf("%s: BoundaryMask(closed %v) returned %v, %v; want an error", tt.name, closed, m != nil, err)
			}
		}
	}
	for _, w := range []float64{0, -1, math.NaN(), math.Inf(1), 64.5} {
		if m, err := StrokeMask(64, line, w); err == nil || m != nil {
			t.Errorf("StrokeMask(width %v) returned %v, %v; want an error", w, m != nil, err)
		}
	}
}

// checkUnit fails unless every value of m lies in [0, 1].
func checkUnit(t *testing.T, name string, m *field.Field) {
	t.Helper()
	for i, v := range m.Data {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("%s: value %v at %d outside [0, 1]", name, v, i)
		}
	}
}

// sum returns Σ f.
func sum(f *field.Field) float64 {
	s := 0.0
	for _, v := range f.Data {
		s += v
	}
	return s
}

// mirrorX returns f mirrored left–right.
func mirrorX(f *field.Field) *field.Field {
	g := field.New(f.W, f.H)
	for y := 0; y < f.H; y++ {
		for x := 0; x < f.W; x++ {
			g.Set(f.W-1-x, y, f.At(x, y))
		}
	}
	return g
}

// reversed returns pts in reverse order.
func reversed(pts []Point) []Point {
	out := slices.Clone(pts)
	slices.Reverse(out)
	return out
}

// mirrorPoints returns pts mirrored about the vertical line X = size/2.
func mirrorPoints(pts []Point, size int) []Point {
	out := make([]Point, len(pts))
	for i, p := range pts {
		out[i] = Point{float64(size) - p.X, p.Y}
	}
	return out
}

// assertFieldsClose fails unless a and b agree to tol everywhere.
func assertFieldsClose(t *testing.T, name string, a, b *field.Field, tol float64) {
	t.Helper()
	for i := range a.Data {
		if math.Abs(a.Data[i]-b.Data[i]) > tol {
			t.Fatalf("%s: values %v and %v differ at (%d, %d)", name, a.Data[i], b.Data[i], i%a.W, i/a.W)
		}
	}
}

func TestStrokeMaskWidth(t *testing.T) {
	const size = 64
	for _, width := range []float64{1, 1.5, 2, 3, 4.7, 6, 11} {
		for _, y := range []float64{32, 31.3, 20.5} {
			m, err := StrokeMask(size, []Point{{-10, y}, {30, y}, {74, y}}, width)
			if err != nil {
				t.Fatal(err)
			}
			checkUnit(t, "stroke", m)
			for x := 0; x < size; x++ {
				col := 0.0
				for j := 0; j < size; j++ {
					col += m.At(x, j)
				}
				if math.Abs(col-width) > 1e-9 {
					t.Fatalf("width %v at y = %v: column %d covers %v", width, y, x, col)
				}
			}
		}
	}
}

func TestStrokeMaskDiagonalAndDot(t *testing.T) {
	const size = 64
	// An oblique stroke crossing two opposite sides away from the corners
	// covers width × (length of its centre line inside the image).
	width := 3.0
	m, err := StrokeMask(size, []Point{{-20, 0}, {84, 52}}, width)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sum(m), width*size*math.Sqrt(1.25); math.Abs(got-want) > 0.02*want { // 2 %: sampling of the oblique ramp
		t.Errorf("diagonal stroke covers %v, want ≈ %v", got, want)
	}
	// A dot of radius R covers π R² + π/12 in the continuum.
	for _, width := range []float64{3, 6, 10} {
		r := width / 2
		want := math.Pi*r*r + math.Pi/12
		for _, pts := range [][]Point{{{32.2, 31.7}}, {{32.2, 31.7}, {32.2, 31.7}}} {
			m, err := StrokeMask(size, pts, width)
			if err != nil {
				t.Fatal(err)
			}
			checkUnit(t, "dot", m)
			if got := sum(m); math.Abs(got-want) > 0.03*want {
				t.Errorf("dot of width %v (%d points) covers %v, want ≈ %v", width, len(pts), got, want)
			}
		}
	}
	// Far outside: nothing.
	m, err = StrokeMask(size, []Point{{-100, -100}, {-100, 200}}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if s := sum(m); s != 0 {
		t.Errorf("stroke outside the image covers %v", s)
	}
}

func TestStrokeMaskSymmetry(t *testing.T) {
	const size = 48
	pts, err := SmoothCurve(3, 400, size, true)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := StrokeMask(size, pts, 2.5)
	b, _ := StrokeMask(size, mirrorPoints(pts, size), 2.5)
	assertFieldsClose(t, "mirrored stroke", mirrorX(a), b, 1e-9)
	c, _ := StrokeMask(size, reversed(pts), 2.5)
	assertFieldsClose(t, "reversed stroke", a, c, 1e-12)
	again, _ := StrokeMask(size, pts, 2.5)
	assertFieldsClose(t, "repeated stroke", a, again, 0)
}

func TestBoundaryMaskSquare(t *testing.T) {
	const size = 64
	tests := []struct {
		x0, y0, x1, y1 float64
	}{
		{10, 12, 40, 50}, // integer corners: exact
		{10.3, 5.7, 33.1, 44.9},
		{-5, -5, 20.2, 70},   // partly outside
		{0, 0, 64, 64},       // the whole image
		{20, 20, 20.1, 20.1}, // tiny
	}
	for _, tt := range tests {
		sq := []Point{{tt.x0, tt.y0}, {tt.x1, tt.y0}, {tt.x1, tt.y1}, {tt.x0, tt.y1}}
		m, err := BoundaryMask(size, sq, true)
		if err != nil {
			t.Fatal(err)
		}
		checkUnit(t, "square", m)
		cx0, cy0 := math.Max(tt.x0, 0), math.Max(tt.y0, 0)
		cx1, cy1 := math.Min(tt.x1, size), math.Min(tt.y1, size)
		area := (cx1 - cx0) * (cy1 - cy0)
		perimeter := 2 * ((cx1 - cx0) + (cy1 - cy0))
		got := sum(m)
		if math.Abs(got-area) > perimeter/2 {
			t.Errorf("square %+v: mask sums to %v, area %v", tt, got, area)
		}
		// With 4×4 sub-samples the error per unit of boundary is at most 1/8.
		if math.Abs(got-area) > perimeter/8+1e-9 {
			t.Errorf("square %+v: mask sums to %v, area %v (perimeter %v)", tt, got, area, perimeter)
		}
		// Orientation does not matter for a closed curve.
		r, _ := BoundaryMask(size, reversed(sq), true)
		assertFieldsClose(t, "reversed square", m, r, 0)
	}
	// Integer corners: 0 or 1 exactly.
	m, _ := BoundaryMask(size, []Point{{10, 12}, {40, 12}, {40, 50}, {10, 50}}, true)
	for i, v := range m.Data {
		x, y := i%size, i/size
		want := 0.0
		if x >= 10 && x < 40 && y >= 12 && y < 50 {
			want = 1
		}
		if v != want {
			t.Fatalf("integer square: M(%d, %d) = %v, want %v", x, y, v, want)
		}
	}
}

func TestBoundaryMaskDisk(t *testing.T) {
	const size = 64
	circle := make([]Point, 720)
	for i := range circle {
		th := 2 * math.Pi * float64(i) / float64(len(circle))
		circle[i] = Point{31.3 + 17*math.Cos(th), 33.6 + 17*math.Sin(th)}
	}
	m, err := BoundaryMask(size, circle, true)
	if err != nil {
		t.Fatal(err)
	}
	checkUnit(t, "disk", m)
	if got, want := sum(m), math.Pi*17*17; math.Abs(got-want) > 2*math.Pi*17/8 {
		t.Errorf("disk covers %v, want ≈ %v", got, want)
	}
	// The same circle, mirrored.
	mm, _ := BoundaryMask(size, mirrorPoints(circle, size), true)
	assertFieldsClose(t, "mirrored disk", mirrorX(m), mm, 0)
}

// halfPlane returns the fraction of the sub-samples of pixel (x, y) with
// inside(px, py) true, on the 4×4 sub-sample grid of BoundaryMask.
func halfPlane(x, y int, inside func(px, py float64) bool) float64 {
	c := 0
	for b := 0; b < superSample; b++ {
		for a := 0; a < superSample; a++ {
			if inside(float64(x)+(float64(a)+0.5)/superSample, float64(y)+(float64(b)+0.5)/superSample) {
				c++
			}
		}
	}
	return float64(c) / (superSample * superSample)
}

func TestBoundaryMaskOpenHalfPlanes(t *testing.T) {
	const size = 32
	tests := []struct {
		name   string
		pts    []Point
		inside func(px, py float64) bool // the expected left side
	}{
		{"eastwards: left is up", []Point{{-3, 20.3}, {40, 20.3}}, func(_, py float64) bool { return py < 20.3 }},
		{"westwards: left is down", []Point{{40, 20.3}, {-3, 20.3}}, func(_, py float64) bool { return py > 20.3 }},
		{"southwards: left is east", []Point{{11.6, -1}, {11.6, 33}}, func(px, _ float64) bool { return px > 11.6 }},
		{"northwards: left is west", []Point{{11.6, 33}, {11.6, -1}}, func(px, _ float64) bool { return px < 11.6 }},
		{"short segment, extended", []Point{{12, 20.3}, {14, 20.3}, {20, 20.3}}, func(_, py float64) bool { return py < 20.3 }},
		{"short diagonal, extended", []Point{{10, 10.3}, {11, 11.3}}, func(px, py float64) bool { return py < px+0.3 }},
		{"anti-diagonal near the corner", []Point{{0, 32.1}, {32.1, 0}}, func(px, py float64) bool { return px+py < 32.1 }},
		{"outside, image on the right", []Point{{-10, -5}, {50, -5}}, func(_, _ float64) bool { return false }},
		{"outside, image on the left", []Point{{50, -5}, {-10, -5}}, func(_, _ float64) bool { return true }},
		{"outside, short, far", []Point{{100, 300}, {101, 300}}, func(_, _ float64) bool { return true }},
		{"zero length", []Point{{5, 5}, {5, 5}}, func(_, _ float64) bool { return false }},
		{"single point", []Point{{5, 5}}, func(_, _ float64) bool { return false }},
	}
	for _, tt := range tests {
		m, err := BoundaryMask(size, tt.pts, false)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for y := 0; y < size; y++ {
			for x := 0; x < size; x++ {
				if got, want := m.At(x, y), halfPlane(x, y, tt.inside); math.Abs(got-want) > 1e-12 {
					t.Fatalf("%s: M(%d, %d) = %v, want %v", tt.name, x, y, got, want)
				}
			}
		}
	}
}

func TestBoundaryMaskOpenSymmetry(t *testing.T) {
	const size = 64
	for seed := uint64(0); seed < 10; seed++ {
		pts, err := SmoothCurve(seed, 512, size, false)
		if err != nil {
			t.Fatal(err)
		}
		// Also a piece that ends inside the image.
		for _, p := range [][]Point{pts, pts[150:360]} {
			m, err := BoundaryMask(size, p, false)
			if err != nil {
				t.Fatal(err)
			}
			checkUnit(t, "open boundary", m)
			if s := sum(m); s <= 0 || s >= size*size {
				t.Errorf("seed %d: open boundary covers %v of %d pixels", seed, s, size*size)
			}
			// Reversing the path swaps the sides.
			r, _ := BoundaryMask(size, reversed(p), false)
			for i := range m.Data {
				if math.Abs(m.Data[i]+r.Data[i]-1) > 1e-12 {
					t.Fatalf("seed %d: M + M_reversed = %v at %d", seed, m.Data[i]+r.Data[i], i)
				}
			}
			// Mirroring the path swaps the sides and mirrors the mask.
			mm, _ := BoundaryMask(size, mirrorPoints(p, size), false)
			mr := mirrorX(m)
			for i := range mr.Data {
				if math.Abs(mr.Data[i]+mm.Data[i]-1) > 1e-12 {
					t.Fatalf("seed %d: mirrored mask is not the mirrored complement at %d", seed, i)
				}
			}
		}
	}
}

// TestBoundaryMaskDoublingBack checks paths whose tangent points coincide
// with their ends, and near-horizontal edges.
func TestBoundaryMaskDoublingBack(t *testing.T) {
	tests := []struct {
		name string
		pts  []Point
	}{
		{"there and back", []Point{{10, 10}, {11, 10}, {10, 10}}},
		{"there and back, long", []Point{{5, 20.3}, {6, 20.3}, {5, 20.3}, {30, 20.3}}},
		{"tiny segment", []Point{{3, 4}, {3 + 1e-300, 4}}},
		{"nearly horizontal", []Point{{-50, 20}, {100, 20 + 1e-12}, {100, 80}}},
	}
	for _, tt := range tests {
		for _, closed := range []bool{false, true} {
			m, err := BoundaryMask(32, tt.pts, closed)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			checkUnit(t, tt.name, m)
		}
	}
}
