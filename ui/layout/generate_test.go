package layout

import "testing"

// TestGeneratePhone checks the Generate scene's portrait designs on a phone
// canvas 396 CSS pixels wide (a 412-pixel phone less the page's margins),
// 9:16 and taller, at device scale factors 1 to 3: every panel lies inside
// the frame and the canvas and none overlaps another; every image is drawn
// at least 150 CSS pixels wide (a panel's image is square: it is as wide as
// the panel's shorter side); the plots are at least 140 CSS pixels wide and
// 100 high; the numbers have room for four lines; and the pair view spans
// the width of a 9:16 canvas (its Need is at most 704 CSS pixels).
func TestGeneratePhone(t *testing.T) {
	for _, hc := range []int{704, 800, 1200, 1600} {
		for _, dpr := range []float32{1, 2, 2.625, 3} {
			w, h := CanvasSize(396, float64(hc), float64(dpr), 1<<20)
			gen, grid := Generate(w, h), GenerateGrid(w, h)
			for name, v := range map[string]view{"pair": {gen.Frame, gen.Named()}, "grid": {grid.Frame, grid.Named()}} {
				at := func(format string, args ...any) {
					t.Helper()
					t.Errorf("396×%d (×%v) %s: "+format, append([]any{hc, dpr, name}, args...)...)
				}
				f := v.frame
				if !f.Portrait {
					at("not portrait")
				}
				if need := f.Need / dpr; need > 704.01 {
					at("Need %.1f CSS px, more than a 9:16 canvas", need)
				}
				if f.Scale*PortraitW < float32(w)-0.01 {
					at("the design is %.1f px wide on a %d px canvas", f.Scale*PortraitW, w)
				}
				for i, p := range v.panels {
					if p.Empty() || !within(f.Rect, p.Rect) || !within(Canvas(w, h), p.Rect) {
						at("%s %v is empty or outside the frame %v", p.Name, p.Rect, f.Rect)
					}
					for _, o := range v.panels[:i] {
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
						if cw < 140 || ch < 100 {
							at("plot %s is %.0f×%.0f CSS px", p.Name, cw, ch)
						}
					case TextPanel:
						// Four lines of the least text size, 11 CSS px,
						// 1.25 apart (rounded up to whole pixels).
						lh := float32(int(11*1.25*dpr+0.999)) / dpr
						if ch < 11*1.2+3*lh {
							at("text %s is %.1f CSS px high, under four lines", p.Name, ch)
						}
					}
				}
			}
			// The pair's images keep their size on a taller canvas; the
			// plots take the rest.
			if hc > 704 {
				short := Generate(CanvasSize(396, 704, float64(dpr), 1<<20))
				if gen.Nets[0].W < short.Nets[0].W-1e-3 || gen.Sweep.H < short.Sweep.H-1e-3 {
					t.Errorf("396×%d (×%v): the images or the sweep are smaller than at 396×704", hc, dpr)
				}
			}
		}
	}
}
