package geometry

import (
	"fmt"
	"math"
	"slices"

	"scalewise/engine/field"
)

// Limits on the size of drawings and masks.
const (
	DrawingMinSize = 16
	DrawingMaxSize = 256
)

// superSample is the number of sub-samples per pixel side used by
// BoundaryMask (superSample² sub-samples per pixel).
const superSample = 4

// tangentSpan is the arc length, in pixels, over which BoundaryMask measures
// the end directions of an open curve.
const tangentSpan = 2

// checkDrawingSize returns an error unless DrawingMinSize ≤ size ≤ DrawingMaxSize.
func checkDrawingSize(size int) error {
	if size < DrawingMinSize || size > DrawingMaxSize {
		return fmt.Errorf("geometry: drawing size %d outside [%d, %d]", size, DrawingMinSize, DrawingMaxSize)
	}
	return nil
}

// checkWidth returns an error unless 0 < width ≤ size.
func checkWidth(width float64, size int) error {
	if math.IsNaN(width) || !(width > 0 && width <= float64(size)) {
		return fmt.Errorf("geometry: stroke width %v outside (0, %d]", width, size)
	}
	return nil
}

// StrokeMask returns the anti-aliased coverage of the polyline pts thickened
// to the given width, on a size×size grid: with d the distance from the
// centre (i + ½, j + ½) of pixel (i, j) to the nearest segment of the
// polyline,
//
//	M(i, j) = clamp(width/2 + ½ − d, 0, 1),
//
// a linear ramp one pixel wide centred on the edge of the thick line. The
// profile across a straight stroke is a width-wide box convolved with a unit
// box, so for width ≥ 1 the coverage summed across the stroke equals width.
// A single point (or a polyline of coincident points) gives a round dot.
// The polyline is open; to stroke a closed curve, append pts[0].
//
// size must be in [DrawingMinSize, DrawingMaxSize], width in (0, size], and
// pts must satisfy the limits of MaxCurvePoints and MaxCoordinate.
func StrokeMask(size int, pts []Point, width float64) (*field.Field, error) {
	if err := checkDrawingSize(size); err != nil {
		return nil, err
	}
	if err := checkWidth(width, size); err != nil {
		return nil, err
	}
	if err := checkPoints(pts); err != nil {
		return nil, err
	}
	d2 := make([]float64, size*size)
	for i := range d2 {
		d2[i] = math.Inf(1)
	}
	reach := width/2 + 0.5 // coverage is zero at distance ≥ reach
	addSegment := func(a, b Point) {
		x0, x1 := math.Min(a.X, b.X)-reach, math.Max(a.X, b.X)+reach
		y0, y1 := math.Min(a.Y, b.Y)-reach, math.Max(a.Y, b.Y)+reach
		i0, i1 := pixelRange(x0, x1, size)
		j0, j1 := pixelRange(y0, y1, size)
		for j := j0; j <= j1; j++ {
			for i := i0; i <= i1; i++ {
				p := Point{float64(i) + 0.5, float64(j) + 0.5}
				if v := segmentDist2(p, a, b); v < d2[j*size+i] {
					d2[j*size+i] = v
				}
			}
		}
	}
	if len(pts) == 1 {
		addSegment(pts[0], pts[0])
	}
	for k := 1; k < len(pts); k++ {
		addSegment(pts[k-1], pts[k])
	}
	m := field.New(size, size)
	for i, v := range d2 {
		m.Data[i] = clamp01(reach - math.Sqrt(v))
	}
	return m, nil
}

// pixelRange returns the first and last index i ∈ [0, size) whose pixel
// centre i + ½ lies in [lo, hi]; i0 > i1 when there is none.
func pixelRange(lo, hi float64, size int) (i0, i1 int) {
	a := math.Max(math.Ceil(lo-0.5), 0)
	b := math.Min(math.Floor(hi-0.5), float64(size-1))
	if a > b {
		return 1, 0
	}
	return int(a), int(b)
}

// segmentDist2 returns the squared distance from p to the segment [a, b]
// (to the point a when a = b).
func segmentDist2(p, a, b Point) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	px, py := p.X-a.X, p.Y-a.Y
	l2 := dx*dx + dy*dy
	if l2 > 0 {
		t := math.Min(math.Max((px*dx+py*dy)/l2, 0), 1)
		px -= t * dx
		py -= t * dy
	}
	return px*px + py*py
}

// clamp01 returns v clamped to [0, 1].
func clamp01(v float64) float64 { return math.Min(math.Max(v, 0), 1) }

// BoundaryMask returns the anti-aliased indicator, on a size×size grid, of
// one side of the curve pts: each pixel holds the fraction of its 4×4
// sub-samples, at (i + (a + ½)/4, j + (b + ½)/4) for a, b = 0..3, that lie
// inside a polygon P, by the even-odd rule (a sub-sample is inside when a
// ray from it crosses the boundary of P an odd number of times).
//
// For a closed curve P is the polygon pts[0], …, pts[n−1] (closed by the
// segment back to pts[0]); its orientation does not matter.
//
// For an open curve P is the region to the left of the path when walking
// from pts[0] to pts[n−1] as seen on screen (Y pointing down, so walking in
// +X the left side is −Y). It is built by this rule:
//  1. the path is extended at both ends along straight rays until they reach
//     the square box B of half-side R about the image centre, where R is the
//     largest |X − size/2| or |Y − size/2| over pts and the image, plus size;
//     the start ray leaves pts[0] in the direction from the point at arc
//     length min(2, length) back towards pts[0], and the end ray leaves
//     pts[n−1] in the direction from the point at arc length
//     length − min(2, length) towards pts[n−1] (consecutive duplicate
//     points are ignored; where such a point coincides with the end, the
//     direction of the end segment is used);
//  2. the extended path, from the start ray's point E₀ on B to the end ray's
//     point E₁ on B, is closed along the boundary of B from E₁ back to E₀,
//     turning counter-clockwise as seen on screen (right side upwards, top
//     side leftwards, left side downwards, bottom side rightwards).
//
// For a simple path with rays that do not cross it, P is exactly the part of
// the box left of the path, and reversing the path gives 1 − M. A path that
// does not reach the image gives all ones or all zeros, according to whether
// the image lies left or right of the extended path. A path of zero length
// (all points equal) has no side and gives all zeros.
//
// size must be in [DrawingMinSize, DrawingMaxSize] and pts must satisfy the
// limits of MaxCurvePoints and MaxCoordinate.
func BoundaryMask(size int, pts []Point, closed bool) (*field.Field, error) {
	if err := checkDrawingSize(size); err != nil {
		return nil, err
	}
	if err := checkPoints(pts); err != nil {
		return nil, err
	}
	poly := pts
	if !closed {
		poly = closeOpenPath(pts, float64(size))
	}
	return evenOddCoverage(size, poly), nil
}

// closeOpenPath returns the polygon of the open-curve rule of BoundaryMask
// (nil for a path of zero length).
func closeOpenPath(pts []Point, size float64) []Point {
	path := dedup(pts)
	if len(path) < 2 {
		return nil
	}
	c := size / 2
	r := c
	for _, p := range path {
		r = math.Max(r, math.Max(math.Abs(p.X-c), math.Abs(p.Y-c)))
	}
	r += size
	box := [4]float64{c - r, c - r, c + r, c + r} // x0, y0, x1, y1

	n := len(path)
	start := pointAt(path, math.Min(tangentSpan, arcLength(path)))
	end := pointAt(path, math.Max(arcLength(path)-tangentSpan, 0))
	u0 := endDirection(path[0], start, path[1])
	u1 := endDirection(path[n-1], end, path[n-2])
	e0 := rayToBox(path[0], u0, box)
	e1 := rayToBox(path[n-1], u1, box)

	poly := make([]Point, 0, n+6)
	poly = append(poly, e0)
	poly = append(poly, path...)
	poly = append(poly, e1)
	l0, l1 := boxPosition(e0, box, r), boxPosition(e1, box, r)
	if l0 < l1 {
		l0 += 8 * r
	}
	corners := [4]Point{{box[2], box[3]}, {box[2], box[1]}, {box[0], box[1]}, {box[0], box[3]}}
	for k := 0; k < 8; k++ {
		lc := float64(k) * 2 * r // corner k mod 4 at position lc (mod 8R)
		if lc > l1 && lc < l0 {
			poly = append(poly, corners[k%4])
		}
	}
	return poly
}

// dedup returns pts without consecutive duplicate points.
func dedup(pts []Point) []Point {
	out := make([]Point, 0, len(pts))
	for i, p := range pts {
		if i == 0 || p != pts[i-1] {
			out = append(out, p)
		}
	}
	return out
}

// arcLength returns the length of the polyline pts.
func arcLength(pts []Point) float64 {
	s := 0.0
	for i := 1; i < len(pts); i++ {
		s += dist(pts[i-1], pts[i])
	}
	return s
}

// pointAt returns the point at arc length s ∈ [0, length] along pts.
func pointAt(pts []Point, s float64) Point {
	for i := 1; i < len(pts); i++ {
		seg := dist(pts[i-1], pts[i])
		if s <= seg && seg > 0 {
			f := s / seg
			a, b := pts[i-1], pts[i]
			return Point{a.X + f*(b.X-a.X), a.Y + f*(b.Y-a.Y)}
		}
		s -= seg
	}
	return pts[len(pts)-1]
}

// endDirection returns the unit vector from q to the path end p or, when q
// coincides with p (a path that doubles back), from the end's neighbour
// next (≠ p) to p.
func endDirection(p, q, next Point) Point {
	if d := dist(q, p); d > 0 && !math.IsInf(d, 0) {
		return Point{(p.X - q.X) / d, (p.Y - q.Y) / d}
	}
	d := dist(next, p)
	return Point{(p.X - next.X) / d, (p.Y - next.Y) / d}
}

// rayToBox returns the point where the ray from p (inside box = x0, y0, x1,
// y1) in the unit direction u leaves the box.
func rayToBox(p, u Point, box [4]float64) Point {
	t := math.Inf(1)
	if u.X > 0 {
		t = math.Min(t, (box[2]-p.X)/u.X)
	} else if u.X < 0 {
		t = math.Min(t, (box[0]-p.X)/u.X)
	}
	if u.Y > 0 {
		t = math.Min(t, (box[3]-p.Y)/u.Y)
	} else if u.Y < 0 {
		t = math.Min(t, (box[1]-p.Y)/u.Y)
	}
	q := Point{p.X + t*u.X, p.Y + t*u.Y}
	// Snap to the box to absorb rounding.
	q.X = math.Min(math.Max(q.X, box[0]), box[2])
	q.Y = math.Min(math.Max(q.Y, box[1]), box[3])
	return q
}

// boxPosition returns the position λ ∈ [0, 8R) of the point q of the
// boundary of box (half-side r) along its screen-counter-clockwise traversal
// starting at the bottom-right corner: right side upwards λ ∈ [0, 2R), top
// side leftwards [2R, 4R), left side downwards [4R, 6R), bottom side
// rightwards [6R, 8R).
func boxPosition(q Point, box [4]float64, r float64) float64 {
	x0, y0, x1, y1 := box[0], box[1], box[2], box[3]
	// Distances to the four sides; the nearest decides the side.
	dr, dt, dl, db := math.Abs(q.X-x1), math.Abs(q.Y-y0), math.Abs(q.X-x0), math.Abs(q.Y-y1)
	switch m := min(dr, dt, dl, db); m {
	case dr:
		return y1 - q.Y
	case dt:
		return 2*r + (x1 - q.X)
	case dl:
		return 4*r + (q.Y - y0)
	default:
		return math.Mod(6*r+(q.X-x0), 8*r)
	}
}

// evenOddCoverage returns the fraction of the superSample² sub-samples of
// every pixel of a size×size grid that lie inside the closed polygon poly by
// the even-odd rule. Each sub-sample row is a scan line: the crossings of the
// polygon edges with it are sorted and the sub-samples between crossings
// 2m and 2m + 1 are inside. An edge covers the scan lines y with
// min(y_a, y_b) ≤ y < max(y_a, y_b), so vertices are counted once.
func evenOddCoverage(size int, poly []Point) *field.Field {
	const s = superSample
	rows := s * size
	xs := make([][]float64, rows)
	for k := range poly {
		a, b := poly[k], poly[(k+1)%len(poly)]
		if a.Y == b.Y {
			continue
		}
		lo, hi := math.Min(a.Y, b.Y), math.Max(a.Y, b.Y)
		r0 := int(math.Max(math.Ceil(s*lo-0.5), 0))
		r1 := int(math.Min(math.Ceil(s*hi-0.5), float64(rows))) // exclusive
		for r := r0; r < r1; r++ {
			y := (float64(r) + 0.5) / s
			f := clamp01((y - a.Y) / (b.Y - a.Y))
			xs[r] = append(xs[r], a.X+f*(b.X-a.X))
		}
	}
	count := make([]int, size*size)
	cols := s * size
	for r, row := range xs {
		slices.Sort(row)
		for m := 0; m+1 < len(row); m += 2 {
			c0 := int(math.Max(math.Ceil(s*row[m]-0.5), 0))
			c1 := int(math.Min(math.Ceil(s*row[m+1]-0.5), float64(cols))) // exclusive
			base := (r / s) * size
			for c := c0; c < c1; c++ {
				count[base+c/s]++
			}
		}
	}
	m := field.New(size, size)
	for i, c := range count {
		m.Data[i] = float64(c) / (s * s)
	}
	return m
}
