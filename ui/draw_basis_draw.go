//go:build js

package ui

import (
	"fmt"
	"image"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"scalewise/ui/layout"
	"scalewise/ui/protocol"
)

// The adapted-basis view of the Draw & denoise scene: the eigenvectors
// e_k of the symmetric part of the denoiser's Jacobian at the noisy image,
// as tiles with their eigenvalues λ_k, their spectrum, and the numbers of
// the run: K, the effective dimension tr J, the antisymmetry of J and the
// engine time (Kadkhodaie, Guth, Simoncelli and Mallat, ICLR 2024, §3).

// basisDim is the opacity of a result drawn greyed: it is of another
// noisy image or net, or a new run is on its way.
const basisDim = 0.3

// drawBasisView draws the view's basis panels. The tiles and the spectrum,
// which change only with a result, are drawn into an offscreen layer
// (antialiased plots and dozens of labels cost much on a software-rendered
// WebGL, and the scene draws every frame for the strokes); each frame
// draws the layer, greyed when it is not the current noisy image's, the
// messages over it and the numbers, which follow the run's progress.
func (d *Draw) drawBasisView(dst *ebiten.Image, l layout.DrawBasisRects) {
	t := d.t
	b := &d.basis
	if b.has() {
		if layer, fresh := layerFor(d.layer, dst); fresh {
			d.layer, d.layerOK = layer, false
		}
		if !d.layerOK || d.layerKey != b.version {
			d.layer.Clear()
			b.drawTiles(t, d.layer, l.Basis)
			b.drawSpectrum(t, d.layer, l.Spectrum)
			d.layerKey, d.layerOK = b.version, true
		}
		op := &ebiten.DrawImageOptions{}
		stale := b.stale(d.noisyKey)
		if stale || b.running {
			op.ColorScale.ScaleAlpha(basisDim)
		}
		dst.DrawImage(d.layer, op)
		switch {
		case b.running:
			d.basisNote(dst, "Greyed: the previous result. Computing the basis of the noisy image shown…", l.Basis)
		case stale:
			d.basisNote(dst, "Greyed: computed for an earlier drawing, σ, noise or net.", l.Basis)
		}
	} else {
		t.title(dst, firstFitting(t, l.Basis.W, titleStyle, basisTitles(0)...), l.Basis)
		strokeRect(dst, l.Basis, t.lw(1), axisColor)
		note := "The eigenvectors appear here once the page has computed them."
		if b.running {
			note = "Lanczos is running: the eigenvectors appear here when it has converged."
		}
		t.paragraph(dst, note, l.Basis.Inset(t.px(8)), labelStyle)
		t.frameOnly(dst, l.Spectrum, firstFitting(t, l.Spectrum.W, titleStyle, "spectrum: λ_k and the coefficients against k", "spectrum against k"), "")
	}
	d.drawBasisInfo(dst, l.Info)
}

// basisTitles are the tiles' titles for K eigenvectors (0: K unknown),
// longest first.
func basisTitles(k int) []string {
	ks := "K"
	if k > 0 {
		ks = fmt.Sprint(k)
	}
	return []string{
		fmt.Sprintf("eigenvectors e_k of the Jacobian's symmetric part at y (k = 1 … %s)", ks),
		fmt.Sprintf("eigenvectors e_k of (J + J^T)/2 at y, k = 1 … %s", ks),
		fmt.Sprintf("eigenvectors e_k, k = 1 … %s", ks),
	}
}

// basisNote prints a note over the top of r on a dark band, legible over
// the greyed tiles.
func (d *Draw) basisNote(dst *ebiten.Image, s string, r Rect) {
	t := d.t
	in := r.Inset(t.px(6))
	n := len(t.wrap(s, in.W, labelStyle, false))
	h := t.height(n, labelStyle)
	vector.DrawFilledRect(dst, r.X, r.Y, r.W, h+2*t.px(6), legendBack, false)
	t.paragraph(dst, s, in, labelStyle)
}

// drawTiles draws the eigenvectors, each tile on its own in a grid cols
// across with its eigenvalue under it where the labels are legible, and
// the panel's title; tiles whose grid the scene cannot read are drawn as
// the one image they come in.
func (b *drawBasis) drawTiles(t *typeface, dst *ebiten.Image, r Rect) {
	v := b.result
	t.title(dst, firstFitting(t, r.W, titleStyle, basisTitles(v.K)...), r)
	im := b.imgs.image("tiles")
	if im == nil {
		return
	}
	w, h := size(im)
	grid, ok := layout.TileGridOf(w, h, v.K, v.Cols, v.Size)
	if !ok {
		strokeRect(dst, drawImageIn(dst, im, r), t.lw(1), frameColor)
		return
	}
	lam := b.series("eigenvalues")
	labels := make([]string, grid.N)
	var widest float32
	for i := range labels {
		if i < len(lam) {
			labels[i] = fmt.Sprintf("%.3f", lam[i])
			widest = max(widest, t.width(labels[i], tickStyle))
		}
	}
	gap := t.px(4)
	lineT := t.height(1, tickStyle)
	noteH := lineT + gap
	tl := layout.Tiles(r, grid.N, grid.Cols, gap, lineT, noteH)
	notes := []string{"under each e_k its eigenvalue λ_k; white = 0, limits ±max|e_k|", "λ_k under each tile; white = 0", "white = 0"}
	if len(tl.Tiles) == 0 || widest > tl.Tiles[0].W+gap {
		// Too small for the labels: larger tiles without them (λ_k is
		// in the spectrum).
		tl = layout.Tiles(r, grid.N, grid.Cols, gap, 0, noteH)
		labels = nil
		notes = []string{"white = 0, limits ±max|e_k|; λ_k in the spectrum", "white = 0"}
	}
	for i, tr := range tl.Tiles {
		x, y := grid.Src(i)
		sub := im.SubImage(image.Rect(x, y, x+grid.Cell, y+grid.Cell)).(*ebiten.Image)
		drawTile(dst, sub, tr, grid.Cell)
		if labels != nil && labels[i] != "" {
			t.drawAt(dst, labels[i], tr.X+tr.W/2, tl.Labels[i].Y, 0.5, 0, tickStyle, styleColours[tickStyle])
		}
	}
	if !tl.Note.Empty() {
		t.draw(dst, firstFitting(t, tl.Note.W, tickStyle, notes...), tl.Note.X, tl.Note.Bottom()-lineT, tickStyle, styleColours[tickStyle])
	}
}

// drawTile draws a tile cell pixels square into r: enlarged like
// drawImageSnap (whole texels, nearest neighbour), or reduced with linear
// filtering, which keeps the oscillations rather than dropping pixels.
func drawTile(dst, tile *ebiten.Image, r Rect, cell int) {
	out, s := r.FitSnap(float32(cell), float32(cell))
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Scale(float64(s), float64(s))
	op.GeoM.Translate(float64(out.X), float64(out.Y))
	op.Filter = ebiten.FilterNearest
	if s < 1 {
		op.Filter = ebiten.FilterLinear
	}
	dst.DrawImage(tile, op)
}

// residualText writes a Lanczos residual (negative: not checked yet).
func residualText(r float64) string {
	if r < 0 {
		return "–"
	}
	return fmt.Sprintf("%.1e", r)
}

// basisProgress is the progress line of a run.
func basisProgress(v protocol.BasisValues) string {
	return fmt.Sprintf("Lanczos step %d of at most %d, residual %s", v.Step, v.Krylov, residualText(v.Residual))
}

// drawBasisInfo prints the run's progress or the result's numbers: K and
// the Lanczos steps, the effective dimension tr J and the antisymmetry
// ‖(J − Jᵀ)/2‖_F / ‖J‖_F with their standard errors, the engine time and
// the largest residual ‖S e_k − λ_k e_k‖.
func (d *Draw) drawBasisInfo(dst *ebiten.Image, r Rect) {
	b := &d.basis
	var lines []string
	switch {
	case b.running:
		lines = append(lines, basisProgress(b.run))
		if b.has() {
			lines = append(lines, fmt.Sprintf("previous result (greyed): K = %d, tr J = %.1f", b.result.K, b.result.Trace))
		}
	case b.has():
		v := b.result
		steps := fmt.Sprintf("K = %d: converged in %d Lanczos steps", v.K, v.Step)
		if !v.Converged {
			steps = fmt.Sprintf("K = %d: not converged after %d Lanczos steps", v.K, v.Step)
		}
		lines = append(lines, steps,
			fmt.Sprintf("tr J = %.1f ± %.1f (effective dimension)", v.Trace, v.TraceErr),
			fmt.Sprintf("antisymmetry of J: %.3f ± %.3f", v.Antisymmetry, v.AntisymmetryErr),
			fmt.Sprintf("%.2f s in the engine; residual %s", v.Seconds, residualText(v.Residual)))
	default:
		lines = append(lines, "A bias-free denoiser is locally linear: y − f(y) = J(y)·y = Σ_k λ_k ⟨y, e_k⟩ e_k.")
	}
	d.t.paragraph(dst, strings.Join(lines, "\n"), r, labelStyle)
}
