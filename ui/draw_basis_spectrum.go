//go:build js

package ui

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"scalewise/ui/layout"
)

// The spectrum of the adapted basis, on one k axis: the eigenvalues λ_k,
// by which the denoiser shrinks each coefficient, and the coefficients
// |⟨x, e_k⟩| of the clean image and |⟨y, e_k⟩| of the noisy one. In the
// basis adapted to the image the clean image is sparse: a few large
// coefficients, the noise spread evenly over all of them (Kadkhodaie,
// Guth, Simoncelli and Mallat, ICLR 2024, §3, Fig. 4).

var (
	basisLambdaColour = color.RGBA{0x8c, 0xd2, 0x7d, 0xff}
	basisCleanColour  = color.RGBA{0xff, 0xc8, 0x3c, 0xff}
	basisNoisyColour  = color.RGBA{0x5a, 0xa0, 0xff, 0xff}
	basisShrunkColour = color.RGBA{0xc8, 0x8c, 0xff, 0xff}
)

// drawSpectrum plots λ_k against k (a linear axis from 0, or below, to 1,
// or above) over the coefficients against k (a log axis): the clean
// image's, the noisy image's and the noisy image's shrunk by λ_k, the
// denoised image's in this basis.
func (b *drawBasis) drawSpectrum(t *typeface, dst *ebiten.Image, r Rect) {
	lam := b.series("eigenvalues")
	k := b.result.K
	ks := make([]float64, k)
	for i := range ks {
		ks[i] = float64(i + 1)
	}
	x := layout.Lin(0.5, float64(k)+0.5)
	parts := r.SplitV(t.px(10), 2, 3)

	lo, hi := 0.0, 1.0
	for _, l := range lam {
		if !math.IsNaN(l) && !math.IsInf(l, 0) {
			lo, hi = math.Min(lo, l), math.Max(hi, l)
		}
	}
	p := t.plotIn(dst, parts[0], plotSpec{
		title: firstFitting(t, parts[0].W, titleStyle, "eigenvalues λ_k: how much of ⟨y, e_k⟩ the denoiser keeps", "eigenvalues λ_k"),
		x:     x, y: layout.Lin(lo, hi), yName: "λ_k",
	})
	p.line(dst, ks, lam, basisLambdaColour, 1.5)
	if k <= 32 {
		for i := range min(k, len(lam)) {
			p.dot(dst, ks[i], lam[i], basisLambdaColour)
		}
	}

	cx, cy := b.series("coefficients"), b.series("noisy_coefficients")
	shrunk := make([]float64, min(len(cy), len(lam)))
	for i := range shrunk {
		shrunk[i] = math.Abs(lam[i]) * cy[i]
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range [][]float64{cx, cy, shrunk} {
		for _, c := range s {
			if c > 0 && !math.IsInf(c, 0) {
				lo, hi = math.Min(lo, c), math.Max(hi, c)
			}
		}
	}
	title := []string{"coefficients in the basis: the clean image is sparse", "coefficients |⟨·, e_k⟩|", "|⟨·, e_k⟩|"}
	if math.IsInf(lo, 0) {
		t.frameOnly(dst, parts[1], firstFitting(t, parts[1].W, titleStyle, title...), "No coefficients.")
		return
	}
	lo = math.Max(lo, hi*1e-4)
	legend := []legendEntry{{"clean |⟨x, e_k⟩|", basisCleanColour}, {"noisy |⟨y, e_k⟩|", basisNoisyColour}, {"λ_k|⟨y, e_k⟩|", basisShrunkColour}}
	if t.legendWidth(legend) > 0.9*parts[1].W {
		legend = []legendEntry{{"x", basisCleanColour}, {"y", basisNoisyColour}, {"λ_k y", basisShrunkColour}}
	}
	q := t.plotIn(dst, parts[1], plotSpec{
		title: firstFitting(t, parts[1].W, titleStyle, title...), shorter: title,
		x: x, y: layout.Log10(lo/1.5, hi*1.5),
		xName: "k", legend: legend,
	})
	q.line(dst, ks, cy, basisNoisyColour, 1.5)
	q.dashed(dst, ks, shrunk, basisShrunkColour, 1.5, 4)
	q.line(dst, ks, cx, basisCleanColour, 1.5)
	if k <= 32 {
		for i := range min(k, len(cx)) {
			q.dot(dst, ks[i], cx[i], basisCleanColour)
		}
	}
}
