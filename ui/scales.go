//go:build js

package ui

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"scalewise/ui/layout"
	"scalewise/ui/protocol"
)

// ScalesView is what the page asks the Scales scene to show.
type ScalesView struct {
	J    int    `json:"j"`    // scale, 0 (finest: the image) … J (coarsest)
	Show string `json:"show"` // "approx", "details", "mallat" or "fourier"
}

// scalesValues are the numbers compute.Scales reports.
type scalesValues = protocol.ScalesValues

// Scales shows an image and its orthogonal wavelet pyramid, one scale j at a
// time: x_j at full size, the detail bands x̄_j, the Mallat layout or the
// bands' place in the Fourier plane.
type Scales struct {
	view ScalesView
	vals scalesValues
	imgs imageCache
}

// NewScales returns an empty scene (it shows a waiting message).
func NewScales() *Scales {
	return &Scales{view: ScalesView{Show: "approx"}}
}

// Load replaces the scene's frames with those of a compute.Scales result.
func (s *Scales) Load(header, buf []byte) error {
	var h struct {
		Scene  string           `json:"scene"`
		Images []protocol.Image `json:"images"`
		Values scalesValues     `json:"values"`
	}
	if err := json.Unmarshal(header, &h); err != nil {
		return fmt.Errorf("scales: bad frame header: %w", err)
	}
	if h.Scene != "scales" {
		return fmt.Errorf("scales: frames are for scene %q", h.Scene)
	}
	if h.Values.J < 1 || len(h.Values.DetailShare) != h.Values.J+1 || len(h.Values.Sizes) != h.Values.J+1 {
		return fmt.Errorf("scales: inconsistent frame header (J=%d)", h.Values.J)
	}
	s.vals = h.Values
	s.imgs.clear() // a new pyramid: release every GPU image
	s.imgs.replace(h.Images, buf)
	if s.view.J > s.vals.J {
		s.view.J = s.vals.J
	}
	return nil
}

// Update has no input to handle: the page's controls drive this scene.
func (s *Scales) Update() error { return nil }

// SetView decodes and applies a ScalesView.
func (s *Scales) SetView(js []byte) error {
	var v ScalesView
	if err := json.Unmarshal(js, &v); err != nil {
		return fmt.Errorf("scales: bad view: %w", err)
	}
	switch v.Show {
	case "approx", "details", "mallat", "fourier":
	default:
		return fmt.Errorf("scales: unknown view %q", v.Show)
	}
	if v.J < 0 || (s.vals.J > 0 && v.J > s.vals.J) {
		return fmt.Errorf("scales: j=%d out of range 0…%d", v.J, s.vals.J)
	}
	s.view = v
	return nil
}

// Draw implements the scene.
func (s *Scales) Draw(dst *ebiten.Image) {
	if !s.imgs.loaded() {
		message(dst, "Computing the wavelet pyramid...")
		return
	}
	v, j := s.vals, s.view.J
	l := layout.Scales(size(dst))
	// The input and the energy per scale.
	label(dst, "x = x_0, the image", l.Input.X, l.Input.Y-20)
	if im := s.imgs.image("x"); im != nil {
		strokeRect(dst, drawImageIn(dst, im, l.Input), 1, frameColor)
	}
	s.drawEnergy(dst, l.Energy)

	// The chosen view.
	main := l.Main
	switch s.view.Show {
	case "approx":
		label(dst, fmt.Sprintf("x_%d at full size: projection on V_%d (%dx%d coefficients)", j, j, v.Sizes[j], v.Sizes[j]), main.X, main.Y-20)
		if im := s.imgs.image(fmt.Sprintf("proj/%d", j)); im != nil {
			strokeRect(dst, drawImageIn(dst, im, main), 1, frameColor)
		}
	case "details":
		s.drawDetails(dst, main)
	case "mallat":
		label(dst, fmt.Sprintf("Mallat layout, J=%d; box: scale j=%d", v.J, j), main.X, main.Y-20)
		if im := s.imgs.image("mallat"); im != nil {
			r := drawImageIn(dst, im, main)
			strokeRect(dst, r, 1, frameColor)
			if j >= 1 {
				f := float32(1) / float32(int(1)<<(j-1))
				strokeRect(dst, r.WithSize(r.W*f, r.H*f), 2, highlightColor)
			}
		}
	case "fourier":
		label(dst, fmt.Sprintf("Fourier plane [-pi,pi]^2: bright = bands of j=%d, dark = dropped", j), main.X, main.Y-20)
		if im := s.imgs.image(fmt.Sprintf("fourier/%d", j)); im != nil {
			r := drawImageIn(dst, im, main)
			strokeRect(dst, r, 1, frameColor)
			if j >= 1 {
				// The square |w| < pi/2^j that x_j keeps.
				f := float32(1) / float32(int(1)<<j)
				strokeRect(dst, r.Centred(r.W*f, r.H*f), 1, highlightColor)
			}
		}
	}

	// The coefficients x_j and the numbers.
	side := l.Side
	label(dst, fmt.Sprintf("x_%d coefficients", j), side.X, side.Y-20)
	if im := s.imgs.image(fmt.Sprintf("coef/%d", j)); im != nil {
		strokeRect(dst, drawImageIn(dst, im, side), 1, frameColor)
	}
	info := fmt.Sprintf("scale j = %d of J = %d\nwavelet %s (%d taps,\n %d vanishing moments)\nimage %dx%d\n\n||x - W^-1 W x|| / ||x||\n = %.2e\n| ||Wx||^2 - ||x||^2 | / ||x||^2\n = %.2e",
		j, v.J, v.Wavelet, v.Taps, v.Moments, v.N, v.N, v.ReconRelErr, v.EnergyRelErr)
	label(dst, info, l.Info.X, l.Info.Y)
}

func (s *Scales) drawDetails(dst *ebiten.Image, r Rect) {
	j := s.view.J
	if j == 0 {
		label(dst, "x_0 is the image itself: its details appear at j = 1.\nStep j up to see the details (H, V, D).", r.X, r.Y+20)
		return
	}
	label(dst, fmt.Sprintf("details xbar_%d (%dx%d each) and x_%d: one DWT step of x_%d", j, s.vals.Sizes[j], s.vals.Sizes[j], j, j-1), r.X, r.Y-20)
	cells := []struct{ name, caption string }{
		{fmt.Sprintf("coef/%d", j), "x_j (low-pass)"},
		{fmt.Sprintf("V/%d", j), "V: vertical edges"},
		{fmt.Sprintf("H/%d", j), "H: horizontal edges"},
		{fmt.Sprintf("D/%d", j), "D: diagonal"},
	}
	for i, cell := range r.Grid(len(cells), 2, 8) {
		c := cells[i]
		if im := s.imgs.image(c.name); im != nil {
			strokeRect(dst, drawImageIn(dst, im, cell.Shrink(0, 14, 0, 0)), 1, frameColor)
		}
		label(dst, c.caption, cell.X, cell.Y)
	}
}

// drawEnergy draws the share of ‖x‖² in the details of each scale and in x_J.
func (s *Scales) drawEnergy(dst *ebiten.Image, r Rect) {
	v := s.vals
	label(dst, "share of ||x||^2 per scale (log)", r.X, r.Y-16)
	n := v.J + 1
	bw := r.W / float32(n)
	for l := 1; l <= n; l++ {
		share := v.ApproxShare
		name := fmt.Sprintf("x_%d", v.J)
		if l <= v.J {
			share, name = v.DetailShare[l], fmt.Sprintf("%d", l)
		}
		h := logBar(share) * (r.H - 30)
		x := r.X + float32(l-1)*bw
		c := frameColor
		if l == s.view.J || (l == n && s.view.J == v.J) {
			c = highlightColor
		}
		vector.DrawFilledRect(dst, x+2, r.Y+r.H-20-h, bw-4, h, c, false)
		label(dst, name, x+2, r.Y+r.H-16)
	}
}

// logBar maps an energy share in [1e-6, 1] to a bar height in [0, 1].
func logBar(share float64) float32 {
	if share <= 1e-6 {
		return 0
	}
	l := 1 + math.Log10(share)/6
	return float32(max(0, min(1, l)))
}
