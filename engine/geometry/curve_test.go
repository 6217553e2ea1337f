package geometry

import (
	"math"
	"slices"
	"testing"
)

func TestSmoothCurveErrors(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		size   float64
		closed bool
	}{
		{"closed n 2", 2, 64, true},
		{"open n 1", 1, 64, false},
		{"n too large", MaxCurvePoints + 1, 64, false},
		{"size 0", 100, 0, false},
		{"size negative", 100, -4, true},
		{"size NaN", 100, math.NaN(), false},
		{"size +Inf", 100, math.Inf(1), true},
		{"size too large", 100, 2 * MaxCoordinate, false},
	}
	for _, tt := range tests {
		pts, err := SmoothCurve(1, tt.n, tt.size, tt.closed)
		if err == nil || pts != nil {
			t.Errorf("%s: SmoothCurve(1, %d, %v, %v) = %d points, %v; want an error", tt.name, tt.n, tt.size, tt.closed, len(pts), err)
		}
	}
}

func TestSmoothCurve(t *testing.T) {
	for _, closed := range []bool{true, false} {
		for _, size := range []float64{16, 64, 256} {
			for seed := uint64(0); seed < 20; seed++ {
				n := int(8 * size)
				pts, err := SmoothCurve(seed, n, size, closed)
				if err != nil {
					t.Fatalf("SmoothCurve(%d, %d, %v, %v): %v", seed, n, size, closed, err)
				}
				if len(pts) != n {
					t.Fatalf("SmoothCurve: %d points, want %d", len(pts), n)
				}
				if err := checkPoints(pts); err != nil {
					t.Fatalf("SmoothCurve(%d, %d, %v, %v): %v", seed, n, size, closed, err)
				}
				again, _ := SmoothCurve(seed, n, size, closed)
				if !slices.Equal(pts, again) {
					t.Errorf("SmoothCurve(%d, …): two calls differ", seed)
				}
				other, _ := SmoothCurve(seed+1000, n, size, closed)
				if slices.Equal(pts, other) {
					t.Errorf("SmoothCurve: seeds %d and %d agree", seed, seed+1000)
				}
				// Dense: no gap larger than a few pixels.
				maxGap := 0.0
				for i := 1; i < n; i++ {
					maxGap = math.Max(maxGap, dist(pts[i-1], pts[i]))
				}
				if maxGap > 2 {
					t.Errorf("SmoothCurve(%d, %d, %v, %v): gap %.3g px", seed, n, size, closed, maxGap)
				}
				if closed {
					for _, p := range pts {
						if p.X <= 0 || p.Y <= 0 || p.X >= size || p.Y >= size {
							t.Fatalf("closed SmoothCurve(%d, %d, %v): point %v outside the image", seed, n, size, p)
						}
					}
					continue
				}
				// Open: both ends outside the image, and some point inside.
				for _, p := range []Point{pts[0], pts[n-1]} {
					if p.X > 0 && p.Y > 0 && p.X < size && p.Y < size {
						t.Errorf("open SmoothCurve(%d, %d, %v): end %v inside the image", seed, n, size, p)
					}
				}
				inside := false
				for _, p := range pts {
					inside = inside || (p.X > 0 && p.Y > 0 && p.X < size && p.Y < size)
				}
				if !inside {
					t.Errorf("open SmoothCurve(%d, %d, %v) misses the image", seed, n, size)
				}
			}
		}
	}
}

func TestResample(t *testing.T) {
	circle := make([]Point, 200)
	for i := range circle {
		th := 2 * math.Pi * float64(i) / float64(len(circle)-1)
		circle[i] = Point{32 + 20*math.Cos(th), 32 + 20*math.Sin(th)}
	}
	tests := []struct {
		name string
		pts  []Point
		step float64
		// straight: the polyline is a straight line, so consecutive
		// points must be exactly step apart (otherwise chords are ≤ step).
		straight bool
	}{
		{"segment", []Point{{0, 0}, {10, 0}}, 1, true},
		{"segment non-integer", []Point{{1, 2}, {8, 9}}, 0.7, true},
		{"collinear with duplicates", []Point{{0, 5}, {3, 5}, {3, 5}, {3.5, 5}, {20, 5}}, 2.5, true},
		{"mouse jump", []Point{{0, 0}, {0, 0.2}, {30, 0.2}}, 1, false},
		{"circle", circle, 0.5, false},
		{"polyline with corner", []Point{{0, 0}, {10, 0}, {10, 10}}, 3, false},
	}
	for _, tt := range tests {
		out := Resample(tt.pts, tt.step)
		if out[0] != tt.pts[0] || out[len(out)-1] != tt.pts[len(tt.pts)-1] {
			t.Errorf("%s: ends %v, %v; want %v, %v", tt.name, out[0], out[len(out)-1], tt.pts[0], tt.pts[len(tt.pts)-1])
		}
		length := arcLength(tt.pts)
		want := int(math.Ceil(length/tt.step-1e-9)) + 1
		if len(out) != want {
			t.Errorf("%s: %d points for length %v and step %v, want %d", tt.name, len(out), length, tt.step, want)
		}
		for i := 1; i < len(out); i++ {
			d := dist(out[i-1], out[i])
			if i == len(out)-1 {
				if d > tt.step+1e-9 {
					t.Errorf("%s: last gap %v > step %v", tt.name, d, tt.step)
				}
				continue
			}
			switch {
			case tt.straight && math.Abs(d-tt.step) > 1e-9:
				t.Errorf("%s: gap %d is %v, want %v", tt.name, i, d, tt.step)
			case !tt.straight && (d > tt.step+1e-9 || d < 0.7*tt.step):
				t.Errorf("%s: chord %d is %v for step %v", tt.name, i, d, tt.step)
			}
		}
	}
}

func TestResampleSpecialCases(t *testing.T) {
	if got := Resample(nil, 1); got != nil {
		t.Errorf("Resample(nil) = %v", got)
	}
	one := []Point{{3, 4}}
	if got := Resample(one, 1); !slices.Equal(got, one) {
		t.Errorf("Resample(one point) = %v", got)
	}
	same := []Point{{3, 4}, {3, 4}, {3, 4}}
	if got := Resample(same, 1); !slices.Equal(got, one) {
		t.Errorf("Resample(coincident points) = %v, want %v", got, one)
	}
	pts := []Point{{0, 0}, {5, 5}}
	for _, step := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		got := Resample(pts, step)
		if !slices.Equal(got, pts) {
			t.Errorf("Resample(step %v) = %v, want a copy", step, got)
		}
		got[0].X = 9
		if pts[0].X != 0 {
			t.Errorf("Resample(step %v) aliases its input", step)
		}
	}
	if got := Resample([]Point{{0, 0}, {1e6, 0}}, 1e-9); len(got) > MaxCurvePoints {
		t.Errorf("Resample with a tiny step returned %d points", len(got))
	}
}
