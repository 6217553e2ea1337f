package geometry

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"scalewise/engine/field"
)

// DrawingMode selects how a drawn curve enters a drawing.
type DrawingMode int

const (
	// DrawingBoundary makes the curve the boundary between two smooth
	// regions (see BoundaryMask).
	DrawingBoundary DrawingMode = iota
	// DrawingStroke makes the curve a line of a given width over one smooth
	// background (see StrokeMask).
	DrawingStroke
)

// String returns "boundary" or "stroke" (the names accepted by
// ParseDrawingMode).
func (m DrawingMode) String() string {
	switch m {
	case DrawingBoundary:
		return "boundary"
	case DrawingStroke:
		return "stroke"
	}
	return fmt.Sprintf("DrawingMode(%d)", int(m))
}

// ParseDrawingMode parses "boundary" (DrawingBoundary) or "stroke"
// (DrawingStroke), ignoring case and surrounding space.
func ParseDrawingMode(s string) (DrawingMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "boundary":
		return DrawingBoundary, nil
	case "stroke":
		return DrawingStroke, nil
	}
	return 0, fmt.Errorf("geometry: unknown drawing mode %q (want \"boundary\" or \"stroke\")", s)
}

// DrawingOptions configures RenderDrawing and RandomDrawing.
type DrawingOptions struct {
	// Size is the side N of the N×N image, DrawingMinSize ≤ N ≤ DrawingMaxSize.
	Size int
	// Mode is DrawingBoundary or DrawingStroke.
	Mode DrawingMode
	// Width is the stroke width in pixels, in (0, Size]; used by
	// DrawingStroke only. RandomDrawing draws it when it is 0.
	Width float64
	// Alpha is the regularity β ∈ (0, CAlphaMaxBeta] of the backgrounds.
	// RandomDrawing draws it when it is 0.
	Alpha float64
	// Seed seeds the backgrounds of RenderDrawing (RandomDrawing derives
	// them from its own seed and ignores this field).
	Seed uint64
}

// Streams (second PCG seed words) of RenderDrawing and RandomDrawing.
const (
	drawingStream       = 0x44726177696e6742 // "DrawingB"
	randomDrawingStream = 0x52616e6444726177 // "RandDraw"
)

// Parameters of RandomDrawing.
const (
	randomMinWidth, randomMaxWidth = 1.5, 6
	randomMinAlpha, randomMaxAlpha = 1, 4
	// randomPointsPerPixel is the number of curve points per image side.
	randomPointsPerPixel = 8
)

// validate checks the options used by RenderDrawing.
func (o DrawingOptions) validate() error {
	if err := checkDrawingSize(o.Size); err != nil {
		return err
	}
	if o.Mode != DrawingBoundary && o.Mode != DrawingStroke {
		return fmt.Errorf("geometry: unknown drawing mode %v", o.Mode)
	}
	if math.IsNaN(o.Alpha) || !(o.Alpha > 0 && o.Alpha <= CAlphaMaxBeta) {
		return fmt.Errorf("geometry: drawing alpha %v outside (0, %d]", o.Alpha, CAlphaMaxBeta)
	}
	if o.Mode == DrawingStroke {
		return checkWidth(o.Width, o.Size)
	}
	return nil
}

// RenderDrawing returns the clean N×N image, with values in [0, 1], of the
// curve pts drawn with options o; the web page renders a person's drawing
// with it and RandomDrawing uses it for training data.
//
// Two backgrounds are synthesised exactly as in the CAlphaCode variant of
// CAlpha, with β = o.Alpha: b_i ~ U[−1, 1]^(N×N), B_i = Re IDFT₂(w·DFT₂(b_i))
// with w(k1, k2) = (k1² + k2²)^(−β/2), w(0, 0) = 1; with u1, u2 ~ U(0, 1), B1
// is min-max rescaled to [u1, 1] and B2 to [0, u2], or, with probability ½,
// B1 to [0, u2] and B2 to [u1, 1]. The draws come from a PCG generator
// seeded with (o.Seed, drawingStream), so the backgrounds depend on o.Size,
// o.Alpha and o.Seed only, not on the curve or the mode.
//
// DrawingBoundary: with M = BoundaryMask(N, pts, closed),
//
//	x = M·B1 + (1 − M)·B2.
//
// DrawingStroke: with M = StrokeMask(N, pts, o.Width) (pts followed by pts[0]
// when closed), B = B2 and S = 1 if mean(B) ≤ ½ and S = 0 otherwise (the end
// of [0, 1] farther from the background mean),
//
//	x = M·S + (1 − M)·B.
//
// Errors: see DrawingOptions, StrokeMask and BoundaryMask.
func RenderDrawing(pts []Point, closed bool, o DrawingOptions) (*field.Field, error) {
	img, _, err := renderDrawing([]Stroke{{pts, closed}}, o)
	return img, err
}

// Stroke is one curve of a drawing: a polyline, closed or open.
type Stroke struct {
	Points []Point
	Closed bool
}

// RenderStrokes is RenderDrawing for a drawing of several curves (none
// gives the background B2 alone). Their masks combine as a person expects:
// boundaries by parity, M = M1 ⊕ M2 = M1 + M2 − 2·M1·M2 (crossing a curve
// switches region), strokes by union, M = max(M1, M2).
func RenderStrokes(strokes []Stroke, o DrawingOptions) (*field.Field, error) {
	img, _, err := renderDrawing(strokes, o)
	return img, err
}

// drawingMask combines the masks of strokes (see RenderStrokes).
func drawingMask(strokes []Stroke, o DrawingOptions) (*field.Field, error) {
	n := o.Size
	mask := field.New(n, n)
	for _, st := range strokes {
		pts := st.Points
		var m *field.Field
		var err error
		if o.Mode == DrawingStroke {
			if st.Closed && len(pts) > 1 {
				pts = append(pts[:len(pts):len(pts)], pts[0])
			}
			m, err = StrokeMask(n, pts, o.Width)
		} else {
			m, err = BoundaryMask(n, pts, st.Closed)
		}
		if err != nil {
			return nil, err
		}
		for i, v := range m.Data {
			if o.Mode == DrawingStroke {
				mask.Data[i] = math.Max(mask.Data[i], v)
			} else {
				mask.Data[i] += v - 2*mask.Data[i]*v
			}
		}
	}
	return mask, nil
}

// renderDrawing is RenderStrokes that also returns the mask M.
func renderDrawing(strokes []Stroke, o DrawingOptions) (img, mask *field.Field, err error) {
	if err := o.validate(); err != nil {
		return nil, nil, err
	}
	n := o.Size
	if mask, err = drawingMask(strokes, o); err != nil {
		return nil, nil, err
	}

	rng := rand.New(rand.NewPCG(o.Seed, drawingStream))
	b1 := codeBackground(rng, n, o.Alpha)
	b2 := codeBackground(rng, n, o.Alpha)
	u1, u2 := rng.Float64(), rng.Float64()
	if rng.IntN(2) == 0 {
		rescale(b1, u1, 1)
		rescale(b2, 0, u2)
	} else {
		rescale(b1, 0, u2)
		rescale(b2, u1, 1)
	}

	img = field.New(n, n)
	if o.Mode == DrawingBoundary {
		for i, m := range mask.Data {
			img.Data[i] = clamp01(m*b1[i] + (1-m)*b2[i])
		}
		return img, mask, nil
	}
	mean := 0.0
	for _, v := range b2 {
		mean += v
	}
	mean /= float64(len(b2))
	s := 0.0
	if mean <= 0.5 {
		s = 1
	}
	for i, m := range mask.Data {
		img.Data[i] = clamp01(m*s + (1-m)*b2[i])
	}
	return img, mask, nil
}

// RandomDrawing returns a random drawing for training a denoiser on what the
// drawing tool makes: RenderDrawing of a random curve with mode o.Mode.
//
// From a PCG generator seeded with (seed, randomDrawingStream) it draws, in
// this order: closed (probability ½), the seed of the curve, whether to keep
// only part of an open curve (probability ½) and which part, the stroke
// width W ~ U[1.5, 6], the background regularity α ~ U[1, 4] and the
// background seed. The curve is SmoothCurve(curveSeed, 8N, N, closed); a
// partial open curve keeps the points with index in [a·n, b·n], a ~ U(0.15,
// 0.45), b ~ U(0.55, 0.85), a piece through the middle part of the image that
// ends inside it, so that stroke ends and the tangent extension of
// BoundaryMask are represented. The drawn W (α) is used only when o.Width
// (o.Alpha) is 0; o.Seed is ignored. All draws are made whatever the
// options, so a seed gives the same curve in both modes.
func RandomDrawing(seed uint64, o DrawingOptions) (*field.Field, error) {
	img, _, err := randomDrawing(seed, o)
	return img, err
}

// randomDrawing is RandomDrawing that also returns the mask.
func randomDrawing(seed uint64, o DrawingOptions) (img, mask *field.Field, err error) {
	if err := checkDrawingSize(o.Size); err != nil {
		return nil, nil, err
	}
	rng := rand.New(rand.NewPCG(seed, randomDrawingStream))
	closed := rng.IntN(2) == 0
	curveSeed := rng.Uint64()
	partial := rng.IntN(2) == 0
	a := 0.15 + 0.3*rng.Float64()
	b := 0.55 + 0.3*rng.Float64()
	width := randomMinWidth + (randomMaxWidth-randomMinWidth)*rng.Float64()
	alpha := randomMinAlpha + (randomMaxAlpha-randomMinAlpha)*rng.Float64()
	bgSeed := rng.Uint64()

	n := randomPointsPerPixel * o.Size
	pts, err := SmoothCurve(curveSeed, n, float64(o.Size), closed)
	if err != nil {
		return nil, nil, err
	}
	if !closed && partial {
		pts = pts[int(a*float64(n)) : int(b*float64(n))+1]
	}
	if o.Width == 0 {
		o.Width = width
	}
	if o.Alpha == 0 {
		o.Alpha = alpha
	}
	o.Seed = bgSeed
	return renderDrawing([]Stroke{{pts, closed}}, o)
}
