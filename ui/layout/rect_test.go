package layout

import (
	"fmt"
	"math"
	"testing"
)

func TestRectHelpers(t *testing.T) {
	r := Rect{10, 20, 100, 50}
	tests := []struct {
		name      string
		got, want Rect
	}{
		{"Inset", r.Inset(5), Rect{15, 25, 90, 40}},
		{"Shrink", r.Shrink(1, 2, 3, 4), Rect{11, 22, 96, 44}},
		{"Offset", r.Offset(-10, 5), Rect{0, 25, 100, 50}},
		{"WithSize", r.WithSize(7, 8), Rect{10, 20, 7, 8}},
		{"Row", r.Row(10, 5), Rect{10, 30, 100, 5}},
		{"Column", r.Column(10, 5), Rect{20, 20, 5, 50}},
		{"Centred", r.Centred(20, 10), Rect{50, 40, 20, 10}},
		{"Square", r.Square(), Rect{35, 20, 50, 50}},
		{"Canvas", Canvas(960, 540), Rect{0, 0, 960, 540}},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if r.Right() != 110 || r.Bottom() != 70 {
		t.Errorf("Right, Bottom = %v, %v", r.Right(), r.Bottom())
	}
}

func TestSplits(t *testing.T) {
	r := Rect{10, 20, 100, 50}
	tests := []struct {
		name string
		got  []Rect
		want []Rect
	}{
		{"SplitLeft", pair(r.SplitLeft(30, 10)), []Rect{{10, 20, 30, 50}, {50, 20, 60, 50}}},
		{"SplitTop", pair(r.SplitTop(20, 5)), []Rect{{10, 20, 100, 20}, {10, 45, 100, 25}}},
		{"SplitH thirds", r.SplitH(10, 1, 2), []Rect{{10, 20, 30, 50}, {50, 20, 60, 50}}},
		{"SplitH one", r.SplitH(10, 3), []Rect{r}},
		{"SplitV halves", r.SplitV(10, 1, 1), []Rect{{10, 20, 100, 20}, {10, 50, 100, 20}}},
		{"Grid 2x2", r.Grid(4, 2, 10), []Rect{{10, 20, 45, 20}, {65, 20, 45, 20}, {10, 50, 45, 20}, {65, 50, 45, 20}}},
		{"Grid partial row", r.Grid(3, 2, 10), []Rect{{10, 20, 45, 20}, {65, 20, 45, 20}, {10, 50, 45, 20}}},
		{"Grid none", r.Grid(0, 2, 10), nil},
	}
	for _, tt := range tests {
		if fmt.Sprint(tt.got) != fmt.Sprint(tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func pair(a, b Rect) []Rect { return []Rect{a, b} }

// TestGridCells checks that grid cells stay inside the parent, do not
// overlap, are equal, and fill the parent's width.
func TestGridCells(t *testing.T) {
	tests := []struct {
		r         Rect
		n, cols   int
		gap       float32
		wantRows  int
		wantWidth float32
	}{
		{Rect{0, 0, 960, 540}, 12, 4, 8, 3, 234},
		{Rect{12, 300, 536, 128}, 4, 4, 8, 1, 128},
		{Rect{3.5, 7.25, 333, 91}, 7, 3, 6.5, 3, (333.0 - 13) / 3},
		{Rect{0, 0, 100, 100}, 1, 1, 10, 1, 100},
	}
	for _, tt := range tests {
		cells := tt.r.Grid(tt.n, tt.cols, tt.gap)
		if len(cells) != tt.n {
			t.Fatalf("Grid(%d, %d) of %v: %d cells", tt.n, tt.cols, tt.r, len(cells))
		}
		rows := map[float32]bool{}
		for i, c := range cells {
			rows[c.Y] = true
			if !near(c.W, tt.wantWidth) || c.W != cells[0].W || c.H != cells[0].H {
				t.Errorf("cell %d of %v is %v, not %v wide like cell 0 (%v)", i, tt.r, c, tt.wantWidth, cells[0])
			}
			if !within(tt.r, c) {
				t.Errorf("cell %d %v is outside %v", i, c, tt.r)
			}
			for j := range i {
				if c.Overlaps(cells[j]) {
					t.Errorf("cells %d %v and %d %v overlap", i, c, j, cells[j])
				}
			}
		}
		if len(rows) != tt.wantRows {
			t.Errorf("Grid(%d, %d): %d rows, want %d", tt.n, tt.cols, len(rows), tt.wantRows)
		}
		if last := cells[min(tt.cols, tt.n)-1]; tt.n >= tt.cols && !near(last.Right(), tt.r.Right()) {
			t.Errorf("the first row ends at %v, not at the parent's right %v", last.Right(), tt.r.Right())
		}
	}
}

func TestSplitHV(t *testing.T) {
	r := Rect{5, 5, 301, 97}
	for _, weights := range [][]float32{{1}, {1, 1}, {1, 2, 3}, {0.2, 0.8}, {3, 0, 1}} {
		for _, parts := range [][]Rect{r.SplitH(7, weights...), r.SplitV(7, weights...)} {
			var sum float32
			for _, w := range weights {
				sum += w
			}
			for i, p := range parts {
				if !within(r, p) {
					t.Errorf("%v: part %d %v outside %v", weights, i, p, r)
				}
				if i > 0 && (p.Overlaps(parts[i-1]) || (p.X < parts[i-1].X || p.Y < parts[i-1].Y)) {
					t.Errorf("%v: part %d %v overlaps or precedes %v", weights, i, p, parts[i-1])
				}
			}
			last := parts[len(parts)-1]
			if !near(last.Right(), r.Right()) || !near(last.Bottom(), r.Bottom()) {
				t.Errorf("%v: the last part %v does not end at %v's edge", weights, last, r)
			}
		}
	}
}

func TestFit(t *testing.T) {
	tests := []struct {
		r         Rect
		w, h      float32
		want      Rect
		wantScale float32
	}{
		{Rect{276, 28, 460, 460}, 64, 64, Rect{276, 28, 460, 460}, 460.0 / 64},
		{Rect{0, 0, 200, 100}, 50, 50, Rect{50, 0, 100, 100}, 2},
		{Rect{0, 0, 1920, 1080}, 960, 540, Rect{0, 0, 1920, 1080}, 2},
		{Rect{0, 0, 360, 640}, 960, 540, Rect{0, 218.75, 360, 202.5}, 0.375},
	}
	for _, tt := range tests {
		got, s := tt.r.Fit(tt.w, tt.h)
		if got != tt.want || s != tt.wantScale {
			t.Errorf("%v.Fit(%v, %v) = %v, %v; want %v, %v", tt.r, tt.w, tt.h, got, s, tt.want, tt.wantScale)
		}
		if !within(tt.r, got) {
			t.Errorf("%v.Fit(%v, %v) = %v is outside", tt.r, tt.w, tt.h, got)
		}
	}
}

func TestFitSnap(t *testing.T) {
	tests := []struct {
		r         Rect
		w, h      float32
		want      Rect
		wantScale float32
	}{
		{Rect{12, 22, 300, 300}, 64, 64, Rect{34, 44, 256, 256}, 4},
		{Rect{12, 20, 256, 256}, 128, 128, Rect{12, 20, 256, 256}, 2},
		{Rect{334, 22, 200, 200}, 64, 64, Rect{338, 26, 192, 192}, 3},
		{Rect{0, 0, 30, 30}, 64, 64, Rect{0, 0, 30, 30}, 30.0 / 64}, // smaller: not snapped
		{Rect{0.4, 0.4, 101, 101}, 10, 10, Rect{1, 1, 100, 100}, 10},
		{Rect{0, 0, 190, 190}, 64, 64, Rect{10, 10, 64 * 8.0 / 3, 64 * 8.0 / 3}, 8.0 / 3}, // thirds below 4
		{Rect{0, 0, 100, 100}, 64, 64, Rect{7, 7, 64 * 4.0 / 3, 64 * 4.0 / 3}, 4.0 / 3},
	}
	for _, tt := range tests {
		got, s := tt.r.FitSnap(tt.w, tt.h)
		if got != tt.want || s != tt.wantScale {
			t.Errorf("%v.FitSnap(%v, %v) = %v, %v; want %v, %v", tt.r, tt.w, tt.h, got, s, tt.want, tt.wantScale)
		}
	}
}

func TestContainsOverlaps(t *testing.T) {
	a := Rect{0, 0, 10, 10}
	tests := []struct {
		b                  Rect
		contains, overlaps bool
	}{
		{Rect{0, 0, 10, 10}, true, true},
		{Rect{2, 2, 3, 3}, true, true},
		{Rect{10, 0, 5, 5}, false, false}, // touching
		{Rect{9, 9, 5, 5}, false, true},
		{Rect{-1, 2, 3, 3}, false, true},
		{Rect{20, 20, 1, 1}, false, false},
	}
	for _, tt := range tests {
		if got := a.Contains(tt.b); got != tt.contains {
			t.Errorf("%v.Contains(%v) = %v", a, tt.b, got)
		}
		if got := a.Overlaps(tt.b); got != tt.overlaps || tt.b.Overlaps(a) != tt.overlaps {
			t.Errorf("%v.Overlaps(%v) = %v", a, tt.b, got)
		}
	}
	if !a.ContainsPoint(10, 0) || a.ContainsPoint(10.5, 0) {
		t.Error("ContainsPoint is wrong at the edge")
	}
	if !(Rect{1, 1, 0, 5}).Empty() || a.Empty() {
		t.Error("Empty is wrong")
	}
}

// near reports whether a and b agree to float32 rounding of screen sizes.
func near(a, b float32) bool { return math.Abs(float64(a-b)) <= 1e-3 }

// within is Contains allowing float32 rounding.
func within(outer, r Rect) bool { return outer.Inset(-1e-3).Contains(r) }
