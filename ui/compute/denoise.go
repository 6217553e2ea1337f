package compute

import (
	"fmt"
	"math"
	"scalewise/ui/strokes"
	"time"

	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/engine/nn"
	"scalewise/ui/protocol"
)

// DrawBackgroundAlpha is the regularity of the smooth backgrounds behind a
// drawing.
const DrawBackgroundAlpha = 2

// DenoiseRequest is what the Draw & denoise scene asks the worker
// (package protocol).
type DenoiseRequest = protocol.DenoiseRequest

// NetLoader loads the denoiser called name and its metadata (in the page:
// weights.Denoiser, the nets embedded in the worker).
type NetLoader func(name string) (*nn.UNet, map[string]string, error)

// Nets loads denoisers once and keeps them.
type Nets struct {
	load NetLoader
	nets map[string]*nn.UNet
	meta map[string]map[string]string
}

// NewNets returns an empty cache over load.
func NewNets(load NetLoader) *Nets {
	return &Nets{load: load, nets: map[string]*nn.UNet{}, meta: map[string]map[string]string{}}
}

// Get returns the denoiser called name and its metadata.
func (c *Nets) Get(name string) (*nn.UNet, map[string]string, error) {
	if u, ok := c.nets[name]; ok {
		return u, c.meta[name], nil
	}
	if c.load == nil {
		return nil, nil, fmt.Errorf("this build ships no denoisers (asked for %q)", name)
	}
	u, md, err := c.load(name)
	if err != nil {
		return nil, nil, err
	}
	c.nets[name], c.meta[name] = u, md
	return u, md, nil
}

// DrawingStrokes turns a decoded drawing into geometry strokes: a stroke
// whose ends lie within 3 pixels of each other is closed.
func DrawingStrokes(drawing [][]strokes.XY) []geometry.Stroke {
	var out []geometry.Stroke
	for _, s := range drawing {
		if len(s) == 0 {
			continue
		}
		pts := make([]geometry.Point, len(s))
		for i, p := range s {
			pts[i] = geometry.Point{X: p.X, Y: p.Y}
		}
		a, b := s[0], s[len(s)-1]
		closed := len(s) > 8 && math.Hypot(a.X-b.X, a.Y-b.Y) <= 3
		out = append(out, geometry.Stroke{Points: pts, Closed: closed})
	}
	return out
}

// Denoise renders the drawing over smooth backgrounds (the clean x), adds
// Gaussian noise y = x + σz, and denoises with the bias-free U-Net,
// x̂ = y − f(y), whose residual f(y) estimates σz and, by Tweedie–Miyasawa,
// −σ²∇log p_σ(y) (Kadkhodaie et al., ICLR 2024, §2). It returns the clean,
// noisy, denoised and residual panels with their PSNRs.
func Denoise(r DenoiseRequest, nets *Nets) (*Frames, error) {
	img, err := renderDrawn(r)
	if err != nil {
		return nil, err
	}
	u, md, err := nets.Get(r.Net)
	if err != nil {
		return nil, err
	}
	x, y := img.x, img.y
	t0 := time.Now()
	den, resid, err := denoiseField(u, y)
	if err != nil {
		return nil, err
	}
	ms := float64(time.Since(t0).Microseconds()) / 1000
	lim := 0.0
	for _, r := range resid.Data {
		lim = math.Max(lim, math.Abs(r))
	}
	if lim == 0 {
		lim = 1
	}
	v := &protocol.DenoiseValues{}
	fr := NewFrames("draw", v)
	for _, p := range []struct {
		name string
		f    *field.Field
	}{{"clean", x}, {"noisy", y}, {"denoised", den}} {
		if err := fr.AddField(p.name, p.f, field.Gray, 0, 1); err != nil {
			return nil, err
		}
	}
	if err := fr.AddField("residual", resid, field.Diverging, -lim, lim); err != nil {
		return nil, err
	}
	psnrIn, _ := denoise.PSNR(x, y)
	psnrOut, _ := denoise.PSNR(x, den)
	*v = protocol.DenoiseValues{
		Sigma: r.Sigma, PSNRIn: finitePSNR(psnrIn), PSNROut: finitePSNR(psnrOut),
		Net: r.Net, Params: u.NumParams(), Millis: ms, ResLimit: lim, Strokes: img.strokes, Mode: img.mode.String(),
		NetDetail: fmt.Sprintf("The %s net: %d parameters, trained %s steps on %s.", r.Net, u.NumParams(), md["steps"], md["data"]),
	}
	return fr, nil
}

// DrawCanvas is the side of the drawing in pixels.
const DrawCanvas = strokes.Canvas

// finitePSNR caps the PSNR of an exact estimate (+Inf) at 100 dB so that it
// can travel as JSON.
func finitePSNR(p float64) float64 { return math.Min(p, 100) }
