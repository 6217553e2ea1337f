package compute

import (
	"fmt"
	"math"

	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/ui/strokes"
)

// drawnImage is the Draw & denoise scene's image of one request: the clean
// drawing x over its smooth backgrounds and the noisy y = x + σz.
type drawnImage struct {
	x, y    *field.Field
	strokes int
	mode    geometry.DrawingMode
}

// renderDrawn renders r as OpDenoise does: the drawing's strokes (a
// DrawCanvas×DrawCanvas code, "" for none) in r.Mode over the backgrounds
// of seed r.BG (regularity DrawBackgroundAlpha), then Gaussian noise of
// standard deviation r.Sigma ∈ [0, 1] from r.NSeed (denoise.AddNoise), so
// that the basis operations analyse the very image the scene denoised.
// Denoise renders its image with it too.
func renderDrawn(r DenoiseRequest) (*drawnImage, error) {
	var drawing [][]strokes.XY
	if r.D != "" {
		s, size, err := strokes.Decode(r.D)
		if err != nil {
			return nil, err
		}
		if size != DrawCanvas {
			return nil, fmt.Errorf("the drawing is for a %d×%d canvas, not %d×%d", size, size, DrawCanvas, DrawCanvas)
		}
		drawing = s
	}
	mode, err := geometry.ParseDrawingMode(r.Mode)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(r.Sigma) || r.Sigma < 0 || r.Sigma > 1 {
		return nil, fmt.Errorf("noise level σ=%v outside [0, 1]", r.Sigma)
	}
	x, err := geometry.RenderStrokes(DrawingStrokes(drawing), geometry.DrawingOptions{
		Size: DrawCanvas, Mode: mode, Width: r.Width, Alpha: DrawBackgroundAlpha, Seed: r.BG})
	if err != nil {
		return nil, err
	}
	return &drawnImage{x: x, y: denoise.AddNoise(x, r.Sigma, r.NSeed), strokes: len(drawing), mode: mode}, nil
}
