package layout

import "testing"

// TestGeometryLayout: at every canvas the panels lie inside the frame
// and do not overlap, landscape and portrait.
func TestGeometryLayout(t *testing.T) {
	for _, c := range []struct{ w, h int }{{DesignW, DesignH}, {1920, 1080}, {1280, 900}, {412 * 2, 1532 * 2}, {360, 640}, {768, 1400}} {
		r := Geometry(c.w, c.h)
		ps := r.Named()
		for i, p := range ps {
			if p.Empty() || !r.Frame.Rect.Contains(p.Rect) {
				t.Errorf("%d×%d: %s %+v is empty or outside the frame %+v", c.w, c.h, p.Name, p.Rect, r.Frame.Rect)
			}
			for _, q := range ps[i+1:] {
				if p.Overlaps(q.Rect) {
					t.Errorf("%d×%d: %s %+v overlaps %s %+v", c.w, c.h, p.Name, p.Rect, q.Name, q.Rect)
				}
			}
		}
		if r.Portrait != (c.h > c.w) {
			t.Errorf("%d×%d: portrait %v", c.w, c.h, r.Portrait)
		}
	}
}
