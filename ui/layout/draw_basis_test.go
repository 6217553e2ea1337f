package layout

import "testing"

// TestDrawBasisPhone checks the adapted-basis view's portrait design on a
// phone canvas 396 CSS pixels wide (a 412-pixel phone less the page's
// margins), 9:16 and taller (up to the height the page gives a drawing
// view), at device scale factors 1 to 3: every panel lies inside the frame
// and the canvas and none overlaps another; every image, the drawing
// included, is a square at least 150 CSS pixels wide; the spectrum (two
// plots) is at least 140 CSS pixels wide and 200 high; the numbers have
// room for four lines; the view spans the width of a 9:16 canvas; and a
// taller canvas gives the images and the basis at least as much room.
func TestDrawBasisPhone(t *testing.T) {
	for _, dpr := range []float32{1, 2, 2.625, 3} {
		var prev DrawBasisRects
		for i, hc := range []int{704, 760, 836, 1200, 1600} {
			w, h := CanvasSize(396, float64(hc), float64(dpr), 1<<20)
			l := DrawBasis(w, h)
			at := func(format string, args ...any) {
				t.Helper()
				t.Errorf("396×%d (×%v): "+format, append([]any{hc, dpr}, args...)...)
			}
			f := l.Frame
			if !f.Portrait {
				at("not portrait")
			}
			if need := f.Need / dpr; need > 704.01 {
				at("Need %.1f CSS px, more than a 9:16 canvas", need)
			}
			if f.Scale*PortraitW < float32(w)-0.01 {
				at("the design is %.1f px wide on a %d px canvas", f.Scale*PortraitW, w)
			}
			ps := l.Named()
			for j, p := range ps {
				if p.Empty() || !within(f.Rect, p.Rect) || !within(Canvas(w, h), p.Rect) {
					at("%s %v is empty or outside the frame %v", p.Name, p.Rect, f.Rect)
				}
				for _, o := range ps[:j] {
					if p.Overlaps(o.Rect) {
						at("%s %v overlaps %s %v", p.Name, p.Rect, o.Name, o.Rect)
					}
				}
				cw, ch := p.W/dpr, p.H/dpr
				switch p.Kind {
				case ImagePanel:
					if min(cw, ch) < 150 {
						at("image %s is %.0f×%.0f CSS px", p.Name, cw, ch)
					}
				case PlotPanel:
					if cw < 140 || ch < 200 {
						at("plot %s is %.0f×%.0f CSS px", p.Name, cw, ch)
					}
				case TextPanel:
					lh := float32(int(11*1.25*dpr+0.999)) / dpr
					if ch < 11*1.2+3*lh {
						at("text %s is %.1f CSS px high, under four lines", p.Name, ch)
					}
				}
			}
			for _, r := range []Rect{l.Drawing, l.Panels[0], l.Panels[1], l.Panels[2]} {
				if !near(r.W, r.H) {
					at("image %v is not square", r)
				}
			}
			if i > 0 && (l.Drawing.W < prev.Drawing.W-1e-3 || l.Basis.H < prev.Basis.H-1e-3 || l.Spectrum.H < prev.Spectrum.H-1e-3) {
				at("the drawing, the tiles or the spectrum are smaller than on a shorter canvas")
			}
			prev = l
		}
	}
}

// TestDrawBasisLandscape checks that the landscape design keeps the
// drawing large enough to draw on and gives the tiles the most room, at
// the design size and at desktop sizes.
func TestDrawBasisLandscape(t *testing.T) {
	for _, sz := range [][2]int{{DesignW, DesignH}, {1052, 592}, {1920, 1080}, {800, 600}} {
		l := DrawBasis(sz[0], sz[1])
		s := l.Scale
		if l.Portrait {
			t.Fatalf("%v: portrait", sz)
		}
		if l.Drawing.W < 200*s || !near(l.Drawing.W, l.Drawing.H) {
			t.Errorf("%v: the drawing is %v", sz, l.Drawing)
		}
		if l.Basis.W < 340*s || l.Basis.H < 480*s || l.Basis.W*l.Basis.H < 1.5*l.Drawing.W*l.Drawing.H {
			t.Errorf("%v: the tiles have %v, the drawing %v", sz, l.Basis, l.Drawing)
		}
		if l.Spectrum.H < 240*s {
			t.Errorf("%v: the spectrum is %v", sz, l.Spectrum)
		}
		if n := l.Named(); len(n) != 7 || n[5].Name != "basis" || n[5].Kind != ImagePanel || n[6].Name != "spectrum" || n[6].Kind != PlotPanel {
			t.Errorf("%v: panels %v", sz, n)
		}
	}
}

func TestTileGridOf(t *testing.T) {
	tests := []struct {
		w, h, n, cols, size int
		want                TileGrid
		ok                  bool
	}{
		{4*64 + 3*2, 4*64 + 3*2, 16, 4, 64, TileGrid{16, 4, 4, 64, 2}, true},
		{8*64 + 7, 8*64 + 7, 64, 8, 64, TileGrid{64, 8, 8, 64, 1}, true},
		{8 * 64, 4 * 64, 32, 8, 64, TileGrid{32, 8, 4, 64, 0}, true},
		{6*64 + 5*2, 6*64 + 5*2, 32, 6, 64, TileGrid{32, 6, 6, 64, 2}, true}, // a last row not full
		{64, 64, 1, 1, 64, TileGrid{1, 1, 1, 64, 0}, true},
		{64, 3*64 + 2*2, 3, 1, 64, TileGrid{3, 1, 3, 64, 2}, true},
		// Tiles enlarged or reduced: the largest cells with a small gap.
		{4*32 + 3*2, 4*32 + 3*2, 16, 4, 64, TileGrid{16, 4, 4, 32, 2}, true},
		{4 * 100, 4 * 100, 16, 4, 64, TileGrid{16, 4, 4, 100, 0}, true},
		// Sides that do not agree with any grid.
		{4*64 + 3*2, 3*64 + 2*2, 16, 4, 64, TileGrid{}, false},
		{0, 10, 16, 4, 64, TileGrid{}, false},
		{100, 100, 0, 4, 64, TileGrid{}, false},
	}
	for _, tt := range tests {
		g, ok := TileGridOf(tt.w, tt.h, tt.n, tt.cols, tt.size)
		if ok != tt.ok || g != tt.want {
			t.Errorf("TileGridOf(%d, %d, %d, %d, %d) = %+v, %v; want %+v, %v", tt.w, tt.h, tt.n, tt.cols, tt.size, g, ok, tt.want, tt.ok)
		}
	}
	g := TileGrid{N: 16, Cols: 4, Rows: 4, Cell: 64, Gap: 2}
	if x, y := g.Src(6); x != 2*66 || y != 66 {
		t.Errorf("tile 6 at (%d, %d)", x, y)
	}
}

func TestTiles(t *testing.T) {
	r := Rect{X: 10, Y: 20, W: 360, H: 498}
	for _, tc := range []struct {
		n, cols     int
		label, note float32
	}{{16, 4, 14, 15}, {32, 8, 14, 15}, {64, 8, 14, 15}, {64, 8, 0, 0}, {5, 4, 14, 0}} {
		l := Tiles(r, tc.n, tc.cols, 4, tc.label, tc.note)
		if len(l.Tiles) != tc.n {
			t.Fatalf("%+v: %d tiles", tc, len(l.Tiles))
		}
		all := append([]Rect(nil), l.Tiles...)
		if tc.label > 0 {
			all = append(all, l.Labels...)
		}
		if tc.note > 0 {
			all = append(all, l.Note)
		}
		for i, a := range all {
			if a.Empty() || !within(r, a) {
				t.Errorf("%+v: rectangle %d %v is empty or outside %v", tc, i, a, r)
			}
			for _, b := range all[:i] {
				if a.Overlaps(b) {
					t.Errorf("%+v: %v overlaps %v", tc, a, b)
				}
			}
		}
		if tc.label == 0 && !l.Labels[0].Empty() {
			t.Errorf("%+v: a label with no room for it", tc)
		}
		// Centred across, touching the top, and as large as fits one way.
		first, last := l.Tiles[0], l.Tiles[min(tc.cols, tc.n)-1]
		if !near(first.X-r.X, r.Right()-last.Right()) || first.Y != r.Y {
			t.Errorf("%+v: the grid %v … %v is not centred at the top of %v", tc, first, last, r)
		}
		rows := float32((tc.n + tc.cols - 1) / tc.cols)
		bottom := r.Y + rows*(first.W+tc.label+4) - 4 + tc.note
		if !near(last.Right()-first.X, r.W) && !near(bottom, r.Bottom()) {
			t.Errorf("%+v: tiles of %v fill neither side of %v", tc, first.W, r)
		}
	}
	if l := Tiles(Rect{W: 10, H: 10}, 64, 8, 4, 14, 15); len(l.Tiles) != 0 {
		t.Errorf("tiles in a 10×10 rectangle: %v", l.Tiles)
	}
}
