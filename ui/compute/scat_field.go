package compute

import (
	"errors"
	"fmt"
	"math"
	"scalewise/ui/strokes"
	"slices"

	"scalewise/engine/field"
	"scalewise/engine/geometry"
)

// scatField is an analysed (or target) field and how to show it.
type scatField struct {
	f    *field.Field
	name string
	desc string
	note string // what had to be substituted, for the page to say
	cmap field.Colormap
	// log shows log₁₀ max(x, scatLogFloor) instead of x (a skewed
	// positive density).
	log    bool
	lo, hi float64 // colour range, in the shown units
}

// scatLogFloor is the floor of the log display of densities.
const scatLogFloor = 1e-2

// shown returns v in the units the colours use.
func (f *scatField) shown(v float64) float64 {
	if f.log {
		return math.Log10(math.Max(v, scatLogFloor))
	}
	return v
}

// render returns x (n·n values) in the field's colours.
func (f *scatField) render(x []float64, n int) (*field.Field, error) {
	out, err := field.FromSlice(n, n, slices.Clone(x))
	if err != nil {
		return nil, err
	}
	if f.log {
		for i, v := range out.Data {
			out.Data[i] = f.shown(v)
		}
	}
	return out, nil
}

// makeField builds the field of r (checked).
func (s *ScatSession) makeField(r ScatRequest) (*scatField, error) {
	n := r.Size
	out := &scatField{name: r.Field}
	var f *field.Field
	var err error
	switch r.Field {
	case "phi4":
		if s.src.Phi4 == nil {
			return nil, errors.New("this build ships no φ⁴ samples")
		}
		fs, err := s.src.Phi4(n)
		if err != nil {
			return nil, err
		}
		if len(fs) == 0 {
			return nil, fmt.Errorf("no φ⁴ samples for L=%d", n)
		}
		i := int(r.Seed % uint64(len(fs)))
		f = fs[i].Clone()
		out.desc = fmt.Sprintf("φ⁴ at β = 0.68, %d×%d, shipped MCMC sample %d of %d", n, n, i, len(fs))
		out.cmap = field.Diverging
	case "calpha":
		f, err = geometry.CAlpha(geometry.CAlphaOptions{Size: n, Alpha: r.Alpha, Method: geometry.CAlphaCode, Seed: r.Seed})
		if err != nil {
			return nil, err
		}
		out.desc = fmt.Sprintf("C^α image, α = %g, %d×%d, seed %d", r.Alpha, n, n, r.Seed)
		out.cmap = field.Gray
	case "drawing":
		drawing, note, err := scatDrawing(r.D)
		if err != nil {
			return nil, err
		}
		out.note = note
		mode, err := geometry.ParseDrawingMode(r.Mode)
		if err != nil {
			return nil, err
		}
		// The drawing's canvas is DrawCanvas²: scale it to n².
		c := float64(n) / DrawCanvas
		for _, st := range drawing {
			for i := range st {
				st[i].X *= c
				st[i].Y *= c
			}
		}
		f, err = geometry.RenderStrokes(DrawingStrokes(drawing), geometry.DrawingOptions{
			Size: n, Mode: mode, Width: r.Width * c, Alpha: DrawBackgroundAlpha, Seed: r.BG})
		if err != nil {
			return nil, err
		}
		out.desc = fmt.Sprintf("the drawing (%s), %d×%d", r.Mode, n, n)
		if note != "" {
			out.desc = fmt.Sprintf("an example drawing (%s), %d×%d", r.Mode, n, n)
		}
		out.cmap = field.Gray
	case "cosmic":
		if s.src.Cosmic == nil {
			return nil, errors.New("this build has no cosmic-web generator")
		}
		f, err = s.src.Cosmic(n, r.Seed)
		if err != nil {
			return nil, err
		}
		out.desc = fmt.Sprintf("cosmic-web-like density (Zel'dovich), %d×%d, seed %d; colours: log₁₀ ρ", n, n, r.Seed)
		out.cmap = field.Perceptual
		out.log = true
	case "turbulence":
		if s.src.Turbulence == nil {
			return nil, errors.New("no 2-D turbulence snapshots ship with this build yet")
		}
		fs, err := s.src.Turbulence(n)
		if err != nil {
			return nil, err
		}
		if len(fs) == 0 {
			return nil, fmt.Errorf("no turbulence snapshots at %d×%d", n, n)
		}
		i := int(r.Seed % uint64(len(fs)))
		f = fs[i].Clone()
		out.desc = fmt.Sprintf("2-D turbulence vorticity, %d×%d, snapshot %d of %d", n, n, i, len(fs))
		out.cmap = field.Diverging
	}
	if f == nil || f.W != n || f.H != n {
		return nil, fmt.Errorf("the %s field is not %d×%d", r.Field, n, n)
	}
	if err := f.CheckFinite(); err != nil {
		return nil, fmt.Errorf("the %s field: %w", r.Field, err)
	}
	out.f = f
	shown := slices.Clone(f.Data)
	for i, v := range shown {
		shown[i] = out.shown(v)
	}
	switch out.cmap {
	case field.Diverging:
		abs := make([]float64, len(shown))
		for i, v := range shown {
			abs[i] = math.Abs(v)
		}
		m := percentile(abs, 0.995)
		if m == 0 {
			m = 1
		}
		out.lo, out.hi = -m, m
	default:
		out.lo, out.hi = percentile(shown, 0.002), percentile(shown, 0.998)
		if out.hi <= out.lo {
			out.lo, out.hi = out.lo-0.5, out.lo+0.5
		}
	}
	return out, nil
}

// scatDrawing decodes the drawing, or returns the Draw & denoise scene's
// first example (with a note) when there is none.
func scatDrawing(d string) ([][]strokes.XY, string, error) {
	if d != "" {
		s, size, err := strokes.Decode(d)
		if err != nil {
			return nil, "", err
		}
		if size != DrawCanvas {
			return nil, "", fmt.Errorf("the drawing is for a %d×%d canvas, not %d×%d", size, size, DrawCanvas, DrawCanvas)
		}
		if len(s) > 0 {
			return s, "", nil
		}
	}
	s, err := strokes.Example(0, 0, DrawCanvas)
	if err != nil {
		return nil, "", err
	}
	return s, "no drawing yet: using the Draw & denoise scene's first example (draw there to use your own)", nil
}
