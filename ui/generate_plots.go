//go:build js

package ui

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"scalewise/ui/layout"
)

// The plots of the Generate scene: σ_t and the energy of each wavelet scale
// as the two nets run, and the measured sweep over the training-set size
// N (Kadkhodaie, Guth, Simoncelli and Mallat, ICLR 2024, §2, Fig. 2).

// iterations returns the iteration axis's end: the furthest run's t (at
// least 10).
func (s *Generate) iterations() float64 {
	tmax := 10.0
	for i := range s.runs {
		if s.runs[i].started() {
			tmax = math.Max(tmax, float64(s.runs[i].v.T))
		}
	}
	return tmax
}

// drawSigma plots σ_t against t for both nets, and the level σ_L at
// which they stop.
func (s *Generate) drawSigma(dst *ebiten.Image, r Rect) {
	const title = "noise level σ_t"
	lo, hi, stop := math.Inf(1), math.Inf(-1), 0.0
	var legend []legendEntry
	for i := range s.runs {
		run := &s.runs[i]
		if !run.started() {
			continue
		}
		legend = append(legend, legendEntry{genSets[i], genRoleColours[i]})
		for _, p := range run.points {
			if p.Sigma > 0 && !math.IsInf(p.Sigma, 0) {
				lo, hi = math.Min(lo, p.Sigma), math.Max(hi, p.Sigma)
			}
		}
		if run.v.SigmaL > 0 {
			stop = run.v.SigmaL
		}
	}
	if math.IsInf(lo, 0) {
		s.t.frameOnly(dst, r, title, "")
		return
	}
	// The stop level σ_L, dashed, in the legend where it fits, else
	// named with the axis.
	yName := "σ_t"
	if stop > 0 {
		lo = math.Min(lo, stop)
		if withStop := append(legend, legendEntry{"stop σ_L", boundColor}); s.t.legendWidth(withStop) <= 0.7*r.W {
			legend = withStop
		} else {
			yName = "σ_t (dashed: σ_L)"
		}
	}
	p := s.t.plotIn(dst, r, plotSpec{
		title: title, shorter: []string{"σ_t"},
		x: layout.Lin(0, s.iterations()), y: layout.Log10(lo/1.5, hi*1.5),
		xName: "iteration t", yName: yName,
		legend: legend,
	})
	if stop > 0 {
		p.dashed(dst, []float64{0, s.iterations()}, []float64{stop, stop}, boundColor, 1, 4)
	}
	for i := range s.runs {
		ts, sig := make([]float64, len(s.runs[i].points)), make([]float64, len(s.runs[i].points))
		for k, q := range s.runs[i].points {
			ts[k], sig[k] = float64(q.T), q.Sigma
		}
		p.line(dst, ts, sig, genRoleColours[i], 1.5)
	}
}

// drawEnergy plots the energy of each wavelet scale of each net's estimate
// against t, one colour per scale (the bank's), S1 solid and S2 dashed:
// generation runs coarse to fine, the coarse scales settle first.
func (s *Generate) drawEnergy(dst *ebiten.Image, r Rect) {
	t := s.t
	title := "energy per scale of " + genEstimate
	J := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range s.runs {
		for _, p := range s.runs[i].points {
			J = max(J, len(p.Energy)-1)
			for _, e := range p.Energy {
				if e > 0 && !math.IsInf(e, 0) {
					lo, hi = math.Min(lo, e), math.Max(hi, e)
				}
			}
		}
	}
	if math.IsInf(lo, 0) {
		t.frameOnly(dst, r, title, "")
		return
	}
	lo = math.Max(lo, hi*1e-6)
	// The details x̄_j at scale 2^j, then the coarse approximation x_J;
	// where the legend is too wide, the details by j alone.
	long, short := make([]legendEntry, J+1), make([]legendEntry, J+1)
	for j := range J + 1 {
		c := layout.BankColor(j, J+1)
		long[j], short[j] = legendEntry{fmt.Sprintf("x̄_%d", j+1), c}, legendEntry{fmt.Sprint(j + 1), c}
		if j == J {
			long[j], short[j] = legendEntry{fmt.Sprintf("x_%d", J), c}, legendEntry{"x_J", c}
		}
	}
	legend := long
	if t.legendWidth(long) > 0.7*r.W {
		legend = short
	}
	p := t.plotIn(dst, r, plotSpec{
		title: title, shorter: []string{"energy per scale", "energy"},
		x: layout.Lin(0, s.iterations()), y: layout.Log10(lo/1.5, hi*1.5),
		xName: firstFitting(t, 0.8*r.W, tickStyle, "iteration t;  S1 solid, S2 dashed", "t; S1 solid, S2 dashed", "t"), yName: "‖x̄_j‖^2/n",
		legend: legend,
	})
	for i := range s.runs {
		pts := s.runs[i].points
		ts := make([]float64, len(pts))
		for k, q := range pts {
			ts[k] = float64(q.T)
		}
		for j := range J + 1 {
			ys := make([]float64, len(pts))
			for k, q := range pts {
				ys[k] = math.NaN()
				if j < len(q.Energy) {
					ys[k] = q.Energy[j]
				}
			}
			if i == 0 {
				p.line(dst, ts, ys, layout.BankColor(j, J+1), 1.5)
			} else {
				p.dashed(dst, ts, ys, layout.BankColor(j, J+1), 1.5, 4)
			}
		}
	}
}

// drawSweep plots the measured similarities against N (a log axis) for
// each size of net: the pair similarity's median and its quartiles (the
// view's size; the other dashed) and the median similarity to the nearest
// training image; the pair shown is marked at its N. The command that
// measured them is printed below, in small type.
func (s *Generate) drawSweep(dst *ebiten.Image, r Rect) {
	t := s.t
	v := s.view
	if v.Command != "" {
		cmd := layout.Escape(v.Command)
		h := t.height(min(2, len(t.wrap(cmd, r.W, tickStyle, false))), tickStyle)
		t.paragraph(dst, cmd, Rect{X: r.X, Y: r.Bottom() - h, W: r.W, H: h + 1}, tickStyle)
		r = r.Shrink(0, 0, 0, h+t.px(4))
	}
	cur, other, otherName := v.Sweep.Small, v.Sweep.Large, "large"
	if v.Size == "large" {
		cur, other, otherName = v.Sweep.Large, v.Sweep.Small, "small"
	}
	pn := v.N
	if v.Pair != nil && v.Pair.N > 0 {
		pn = v.Pair.N
	}
	if len(cur) == 0 && len(other) == 0 && pn == 0 {
		t.frameOnly(dst, r, "generalisation against N", "No measured sweep.")
		return
	}
	// The axes: N from 1 to 30000 (or what the data need), the cosines
	// from 0 (or below) to 1.
	nlo, nhi, ylo := 1.0, 30000.0, 0.0
	for _, row := range append(append([]GenSweepRow(nil), cur...), other...) {
		nlo, nhi = math.Min(nlo, float64(row.N)), math.Max(nhi, float64(row.N))
		for _, c := range [...]float64{row.PairCosQ1, row.PairCosMedian, row.NearestTrainCosQ1, row.NearestTrainCosMedian} {
			if c < ylo {
				ylo = math.Floor(c*10) / 10
			}
		}
	}
	if pn > 0 {
		nhi = math.Max(nhi, float64(pn))
	}
	params := 0
	if len(cur) > 0 {
		params = cur[0].Params
	}
	title := []string{"cosine similarity against N", "similarity against N"}
	if params > 0 {
		title = append([]string{fmt.Sprintf("cosine similarity against N: %s nets, %s params", v.Size, paramCount(params)),
			fmt.Sprintf("similarity against N, %s nets", v.Size)}, title...)
	}
	legend := []legendEntry{{"S1 vs S2 samples", pairColour}, {"sample vs nearest training image", nearestColour}}
	if t.legendWidth(legend) > 0.8*r.W {
		legend = []legendEntry{{"S1 vs S2", pairColour}, {"vs nearest training", nearestColour}}
	}
	xName := []string{"N, training images per net"}
	if len(other) > 0 {
		xName = []string{fmt.Sprintf("N, training images per net;  dashed: %s nets", otherName), fmt.Sprintf("N;  dashed: %s nets", otherName), "N"}
	}
	p := t.plotIn(dst, r, plotSpec{
		title: firstFitting(t, r.W, titleStyle, title...), shorter: title,
		x: layout.Log10(nlo/1.4, nhi*1.4), y: layout.Lin(ylo, 1),
		xName: firstFitting(t, 0.9*r.W, tickStyle, xName...), yName: "cosine",
		legend: legend,
	})
	columns := func(rows []GenSweepRow, f func(GenSweepRow) float64) []float64 {
		out := make([]float64, len(rows))
		for i, row := range rows {
			out[i] = f(row)
		}
		return out
	}
	ns := columns(cur, func(row GenSweepRow) float64 { return float64(row.N) })
	pairMed := columns(cur, func(row GenSweepRow) float64 { return row.PairCosMedian })
	nearMed := columns(cur, func(row GenSweepRow) float64 { return row.NearestTrainCosMedian })
	p.area(dst, ns, columns(cur, func(row GenSweepRow) float64 { return row.PairCosQ1 }), columns(cur, func(row GenSweepRow) float64 { return row.PairCosQ3 }), pairBand)
	on := columns(other, func(row GenSweepRow) float64 { return float64(row.N) })
	p.dashed(dst, on, columns(other, func(row GenSweepRow) float64 { return row.PairCosMedian }), pairColour, 1, 4)
	p.dashed(dst, on, columns(other, func(row GenSweepRow) float64 { return row.NearestTrainCosMedian }), nearestColour, 1, 4)
	p.line(dst, ns, pairMed, pairColour, 2)
	p.line(dst, ns, nearMed, nearestColour, 2)
	for i := range ns {
		p.dot(dst, ns[i], pairMed[i], pairColour)
		p.dot(dst, ns[i], nearMed[i], nearestColour)
	}
	// The pair shown: its N, and its similarities once known.
	if pn > 0 {
		p.dashed(dst, []float64{float64(pn), float64(pn)}, []float64{ylo, 1}, styleColours[tickStyle], 1, 3)
	}
	if pr := v.Pair; pr != nil && pn > 0 {
		for _, m := range []struct {
			c   *float64
			col color.RGBA
		}{{pr.NearestS1, nearestColour}, {pr.NearestS2, nearestColour}, {pr.Cos, pairColour}} {
			if m.c != nil {
				p.mark(dst, float64(pn), *m.c, m.col)
			}
		}
	}
}
