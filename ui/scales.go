//go:build js

package ui

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"scalewise/ui/compute"
)

// ScalesView is what the page asks the Scales scene to show.
type ScalesView struct {
	J    int    `json:"j"`    // scale, 0 (finest: the image) … J (coarsest)
	Show string `json:"show"` // "approx", "details", "mallat" or "fourier"
}

// scalesValues are the numbers compute.Scales reports.
type scalesValues struct {
	Description  string    `json:"description"`
	N            int       `json:"n"`
	J            int       `json:"J"`
	Wavelet      string    `json:"wavelet"`
	Taps         int       `json:"taps"`
	Moments      int       `json:"vanishing_moments"`
	ReconRelErr  float64   `json:"recon_rel_err"`
	EnergyRelErr float64   `json:"energy_rel_err"`
	DetailShare  []float64 `json:"detail_energy_share"`
	ApproxShare  float64   `json:"approx_energy_share"`
	Sizes        []int     `json:"sizes"`
}

// Scales shows an image and its orthogonal wavelet pyramid, one scale j at a
// time: x_j at full size, the detail bands x̄_j, the Mallat layout or the
// bands' place in the Fourier plane.
type Scales struct {
	view ScalesView
	vals scalesValues
	frameImages
}

// NewScales returns an empty scene (it shows a waiting message).
func NewScales() *Scales {
	return &Scales{view: ScalesView{Show: "approx"}}
}

// Load replaces the scene's frames with those of a compute.Scales result.
func (s *Scales) Load(header, buf []byte) error {
	var h struct {
		Scene  string          `json:"scene"`
		Images []compute.Image `json:"images"`
		Values scalesValues    `json:"values"`
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
	s.set(h.Images, buf)
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
	if !s.loaded() {
		label(dst, "Computing the wavelet pyramid...", 40, 40)
		return
	}
	v, j := s.vals, s.view.J
	// Left: the input and the energy per scale.
	in := Rect{16, 28, 240, 240}
	label(dst, "x = x_0, the image", in.X, 8)
	if im := s.image("x"); im != nil {
		strokeRect(dst, drawImageIn(dst, im, in), 1, frameColor)
	}
	s.drawEnergy(dst, Rect{16, 300, 240, 200})

	// Centre: the chosen view.
	main := Rect{276, 28, 460, 460}
	switch s.view.Show {
	case "approx":
		label(dst, fmt.Sprintf("x_%d at full size: projection on V_%d (%dx%d coefficients)", j, j, v.Sizes[j], v.Sizes[j]), main.X, 8)
		if im := s.image(fmt.Sprintf("proj/%d", j)); im != nil {
			strokeRect(dst, drawImageIn(dst, im, main), 1, frameColor)
		}
	case "details":
		s.drawDetails(dst, main)
	case "mallat":
		label(dst, fmt.Sprintf("Mallat layout, J=%d; box: scale j=%d", v.J, j), main.X, 8)
		if im := s.image("mallat"); im != nil {
			r := drawImageIn(dst, im, main)
			strokeRect(dst, r, 1, frameColor)
			if j >= 1 {
				f := float32(1) / float32(int(1)<<(j-1))
				strokeRect(dst, Rect{r.X, r.Y, r.W * f, r.H * f}, 2, highlightColor)
			}
		}
	case "fourier":
		label(dst, fmt.Sprintf("Fourier plane [-pi,pi]^2: bright = bands of j=%d, dark = dropped", j), main.X, 8)
		if im := s.image(fmt.Sprintf("fourier/%d", j)); im != nil {
			r := drawImageIn(dst, im, main)
			strokeRect(dst, r, 1, frameColor)
			if j >= 1 {
				// The square |w| < pi/2^j that x_j keeps.
				f := float32(1) / float32(int(1)<<j)
				strokeRect(dst, Rect{r.X + r.W*(1-f)/2, r.Y + r.H*(1-f)/2, r.W * f, r.H * f}, 1, highlightColor)
			}
		}
	}

	// Right: the coefficients x_j and the numbers.
	side := Rect{752, 28, 192, 192}
	label(dst, fmt.Sprintf("x_%d coefficients", j), side.X, 8)
	if im := s.image(fmt.Sprintf("coef/%d", j)); im != nil {
		strokeRect(dst, drawImageIn(dst, im, side), 1, frameColor)
	}
	info := fmt.Sprintf("scale j = %d of J = %d\nwavelet %s (%d taps,\n %d vanishing moments)\nimage %dx%d\n\n||x - W^-1 W x|| / ||x||\n = %.2e\n| ||Wx||^2 - ||x||^2 | / ||x||^2\n = %.2e",
		j, v.J, v.Wavelet, v.Taps, v.Moments, v.N, v.N, v.ReconRelErr, v.EnergyRelErr)
	label(dst, info, side.X, 236)
}

func (s *Scales) drawDetails(dst *ebiten.Image, r Rect) {
	j := s.view.J
	if j == 0 {
		label(dst, "x_0 is the image itself: its details appear at j = 1.\nStep j up to see the details (H, V, D).", r.X, r.Y+20)
		return
	}
	label(dst, fmt.Sprintf("details xbar_%d (%dx%d each) and x_%d: one DWT step of x_%d", j, s.vals.Sizes[j], s.vals.Sizes[j], j, j-1), r.X, 8)
	half := (r.W - 8) / 2
	cells := []struct {
		name, caption string
		x, y          float32
	}{
		{fmt.Sprintf("coef/%d", j), "x_j (low-pass)", r.X, r.Y},
		{fmt.Sprintf("V/%d", j), "V: vertical edges", r.X + half + 8, r.Y},
		{fmt.Sprintf("H/%d", j), "H: horizontal edges", r.X, r.Y + half + 8},
		{fmt.Sprintf("D/%d", j), "D: diagonal", r.X + half + 8, r.Y + half + 8},
	}
	for _, c := range cells {
		if im := s.image(c.name); im != nil {
			strokeRect(dst, drawImageIn(dst, im, Rect{c.x, c.y + 14, half, half - 14}), 1, frameColor)
		}
		label(dst, c.caption, c.x, c.y)
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
