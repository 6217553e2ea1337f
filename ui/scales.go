//go:build js

package ui

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

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
	t    *typeface
	view ScalesView
	vals scalesValues
	imgs imageCache
}

// NewScales returns an empty scene (it shows a waiting message) that
// prints with t.
func NewScales(t *typeface) *Scales {
	return &Scales{t: t, view: ScalesView{Show: "approx"}}
}

// Load replaces the scene's frames with those of a compute.Scales result.
func (s *Scales) Load(header, buf []byte) error {
	h, err := decodeFrameHeader("scales", header)
	if err != nil {
		return err
	}
	var v scalesValues
	if err := json.Unmarshal(h.Values, &v); err != nil {
		return fmt.Errorf("scales: bad values: %w", err)
	}
	if v.J < 1 || len(v.DetailShare) != v.J+1 || len(v.Sizes) != v.J+1 {
		return fmt.Errorf("scales: inconsistent frame header (J=%d)", v.J)
	}
	s.vals = v
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
	t := s.t
	if !s.imgs.loaded() {
		t.message(dst, "Computing the wavelet pyramid…")
		return
	}
	v, j := s.vals, s.view.J
	l := layout.Scales(size(dst))
	// The input and the energy per scale.
	t.title(dst, "image x = x_0", l.Input)
	if im := s.imgs.image("x"); im != nil {
		strokeRect(dst, drawImageIn(dst, im, l.Input), t.lw(1), frameColor)
	}
	s.drawEnergy(dst, l.Energy)

	// The chosen view.
	main := l.Main
	switch s.view.Show {
	case "approx":
		t.title(dst, fmt.Sprintf("x_%d at full size: projection on V_%d (%d×%d coefficients)", j, j, v.Sizes[j], v.Sizes[j]), main)
		if im := s.imgs.image(fmt.Sprintf("proj/%d", j)); im != nil {
			strokeRect(dst, drawImageIn(dst, im, main), t.lw(1), frameColor)
		}
	case "details":
		s.drawDetails(dst, main)
	case "mallat":
		t.title(dst, fmt.Sprintf("Mallat layout, J = %d; outlined: scale j = %d", v.J, j), main)
		if im := s.imgs.image("mallat"); im != nil {
			r := drawImageIn(dst, im, main)
			strokeRect(dst, r, t.lw(1), frameColor)
			if j >= 1 {
				f := float32(1) / float32(int(1)<<(j-1))
				strokeRect(dst, r.WithSize(r.W*f, r.H*f), t.lw(2), highlightColor)
			}
		}
	case "fourier":
		t.title(dst, fmt.Sprintf("Fourier plane [−π, π]^2: bright = bands of j = %d", j), main)
		if im := s.imgs.image(fmt.Sprintf("fourier/%d", j)); im != nil {
			r := drawImageIn(dst, im, main)
			strokeRect(dst, r, t.lw(1), frameColor)
			if j >= 1 {
				// The square |ω| < π/2^j that x_j keeps.
				f := float32(1) / float32(int(1)<<j)
				strokeRect(dst, r.Centred(r.W*f, r.H*f), t.lw(1), highlightColor)
			}
		}
	}

	// The coefficients x_j and the numbers.
	side := l.Side
	t.title(dst, fmt.Sprintf("coefficients x_%d", j), side)
	if im := s.imgs.image(fmt.Sprintf("coef/%d", j)); im != nil {
		strokeRect(dst, drawImageIn(dst, im, side), t.lw(1), frameColor)
	}
	info := fmt.Sprintf("scale j = %d of J = %d\nwavelet %s: %d taps, %d vanishing moments\nimage %d×%d\n\n"+
		"‖x − W^{−1}Wx‖ / ‖x‖ = %.2e\n|‖Wx‖^2 − ‖x‖^2| / ‖x‖^2 = %.2e",
		j, v.J, v.Wavelet, v.Taps, v.Moments, v.N, v.N, v.ReconRelErr, v.EnergyRelErr)
	t.paragraph(dst, info, l.Info, labelStyle)
}

// Panels returns the scene's panels on a w×h canvas.
func (s *Scales) Panels(w, h int) (layout.Frame, []layout.Panel) {
	l := layout.Scales(w, h)
	return l.Frame, l.Named()
}

func (s *Scales) drawDetails(dst *ebiten.Image, r Rect) {
	t := s.t
	j := s.view.J
	if j == 0 {
		t.paragraph(dst, "x_0 is the image itself: its details appear at j = 1. Step j up to see the details (H, V, D).", r.Inset(t.px(20)), labelStyle)
		return
	}
	t.title(dst, fmt.Sprintf("details x̄_%d (%d×%d each) and x_%d: one DWT step of x_%d", j, s.vals.Sizes[j], s.vals.Sizes[j], j, j-1), r)
	cells := []struct{ name, caption string }{
		{fmt.Sprintf("coef/%d", j), "x_j (low-pass)"},
		{fmt.Sprintf("V/%d", j), "V: vertical edges"},
		{fmt.Sprintf("H/%d", j), "H: horizontal edges"},
		{fmt.Sprintf("D/%d", j), "D: diagonal"},
	}
	capH := t.height(1, labelStyle) + t.px(2)
	for i, cell := range r.Grid(len(cells), 2, t.px(8)) {
		c := cells[i]
		if im := s.imgs.image(c.name); im != nil {
			strokeRect(dst, drawImageIn(dst, im, cell.Shrink(0, capH, 0, 0)), t.lw(1), frameColor)
		}
		t.draw(dst, c.caption, cell.X, cell.Y, labelStyle, styleColours[numStyle])
	}
}

// drawEnergy plots the share of ‖x‖² in the details of each scale and in
// x_J, on a log axis.
func (s *Scales) drawEnergy(dst *ebiten.Image, r Rect) {
	v := s.vals
	n := v.J + 1
	ticks := make([]layout.Tick, n)
	for l := 1; l <= n; l++ {
		ticks[l-1] = layout.Tick{Value: float64(l), Label: fmt.Sprint(l)}
	}
	ticks[n-1].Label = fmt.Sprintf("x_%d", v.J)
	p := s.t.plotIn(dst, r, plotSpec{
		title: "energy per scale",
		x:     layout.Lin(0.5, float64(n)+0.5), y: layout.Log10(1e-6, 1),
		xName: "scale j: details x̄_j, then x_J", yName: "share of ‖x‖^2",
		xTicks: ticks,
	})
	for l := 1; l <= n; l++ {
		share := v.ApproxShare
		if l <= v.J {
			share = v.DetailShare[l]
		}
		c := barColor
		if l == s.view.J || (l == n && s.view.J == v.J) {
			c = highlightColor
		}
		p.bar(dst, float64(l)-0.38, float64(l)+0.38, math.Max(share, 1e-6), c)
	}
}
