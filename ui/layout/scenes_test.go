package layout

import (
	"fmt"
	"testing"
)

// TestScenesAtDesignSize checks every scene's rectangles at the app's
// canvas (960×540, what Game.Layout returns whatever the iframe's size)
// against the literal rectangles the scenes drew before this package.
func TestScenesAtDesignSize(t *testing.T) {
	sc := Scales(DesignW, DesignH)
	dr := Draw(DesignW, DesignH)
	rg := Renormalise(DesignW, DesignH)
	race := Race(DesignW, DesignH)
	scat := Scattering(DesignW, DesignH)
	tests := []struct {
		name      string
		got, want Rect
	}{
		{"scales input", sc.Input, Rect{16, 28, 240, 240}},
		{"scales energy", sc.Energy, Rect{16, 300, 240, 200}},
		{"scales main", sc.Main, Rect{276, 28, 460, 460}},
		{"scales side", sc.Side, Rect{752, 28, 192, 192}},
		{"scales info", sc.Info.WithSize(0, 0), Rect{752, 236, 0, 0}},

		{"draw drawing", dr.Drawing, Rect{16, 40, 432, 432}},
		{"draw noisy", dr.Panels[0], Rect{472, 40, 152, 152}},
		{"draw denoised", dr.Panels[1], Rect{634, 40, 152, 152}},
		{"draw residual", dr.Panels[2], Rect{796, 40, 152, 152}},
		{"draw info", dr.Info.WithSize(0, 0), Rect{472, 260, 0, 0}},

		{"rg field", rg.Field, Rect{12, 22, 300, 300}},
		{"rg hierarchy", rg.Hierarchy, Rect{12, 332, 300, 206}},
		{"rg stages", rg.Stages, Rect{12, 340, 300, 190}},
		{"rg truth", rg.Truth, Rect{334, 22, 200, 200}},
		{"rg acceptance", rg.Acceptance, Rect{334, 252, 200, 110}},
		{"rg info", rg.Info.WithSize(0, 0), Rect{334, 392, 0, 0}},
		{"rg histogram", rg.Histogram, Rect{562, 22, 384, 120}},
		{"rg spectrum", rg.Spectrum, Rect{562, 176, 384, 120}},
		{"rg energy", rg.Energy, Rect{562, 324, 384, 210}},

		{"race title", race.Title.WithSize(0, 0), Rect{12, 4, 0, 0}},
		{"race rg", race.RG, Rect{12, 40, 220, 220}},
		{"race mcmc", race.MCMC, Rect{246, 40, 220, 220}},
		{"race rg text", race.RGText.WithSize(0, 0), Rect{12, 272, 0, 0}},
		{"race mcmc text", race.MCText.WithSize(0, 0), Rect{246, 272, 0, 0}},
		{"race note", race.Note.WithSize(0, 0), Rect{12, 410, 0, 0}},
		{"race time", race.Time, Rect{500, 40, 444, 200}},
		{"race grad", race.Grad, Rect{500, 290, 444, 200}},

		{"scat field", scat.Big[0], Rect{12, 20, 256, 256}},
		{"scat modulus", scat.Big[1], Rect{280, 20, 256, 256}},
		{"scat second 0", scat.Second[0], Rect{12, 300, 128, 128}},
		{"scat second 1", scat.Second[1], Rect{148, 300, 128, 128}},
		{"scat second 2", scat.Second[2], Rect{284, 300, 128, 128}},
		{"scat bank", scat.Bank, Rect{420, 300, 128, 128}},
		{"scat info", scat.Info.WithSize(0, 0), Rect{12, 460, 0, 0}},
		{"scat regularity", scat.Regularity, Rect{604, 22, 340, 104}},
		{"scat S1", scat.PerScale[0], Rect{604, 164, 152, 96}},
		{"scat S2", scat.PerScale[1], Rect{792, 164, 152, 96}},
		{"scat S3", scat.S3, Rect{604, 300, 340, 84}},
		{"scat S4", scat.S4, Rect{604, 428, 340, 84}},
		{"scat phi", scat.Phi, Rect{40, 300, 496, 110}},
		{"scat synth info", scat.SynthInfo.WithSize(0, 0), Rect{12, 446, 0, 0}},
		{"scat loss", scat.Loss, Rect{604, 22, 340, 104}},
		{"scat spectrum", scat.Spectrum, Rect{604, 170, 340, 104}},
		{"scat histogram", scat.Histogram, Rect{604, 318, 340, 104}},
		{"scat stats", scat.Stats.WithSize(0, 0), Rect{576, 446, 0, 0}},
	}
	for _, tt := range tests {
		// Exact: at the design size every rectangle is in whole pixels.
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if len(scat.Second) != scatSeconds {
		t.Errorf("%d second transforms, want %d", len(scat.Second), scatSeconds)
	}
}

// panelSets returns each set of rectangles a scene view draws together on
// a w×h canvas, by name.
func panelSets(w, h int) map[string]map[string]Rect {
	sc := Scales(w, h)
	dr := Draw(w, h)
	rg := Renormalise(w, h)
	race := Race(w, h)
	scat := Scattering(w, h)
	analysis := map[string]Rect{
		"field": scat.Big[0], "modulus": scat.Big[1], "bank": scat.Bank, "info": scat.Info,
		"regularity": scat.Regularity, "S1": scat.PerScale[0], "S2": scat.PerScale[1], "S3": scat.S3, "S4": scat.S4,
	}
	for i, r := range scat.Second {
		analysis[fmt.Sprint("second ", i)] = r
	}
	return map[string]map[string]Rect{
		"scales": {"input": sc.Input, "energy": sc.Energy, "main": sc.Main, "side": sc.Side, "info": sc.Info},
		"draw": {"drawing": dr.Drawing, "noisy": dr.Panels[0], "denoised": dr.Panels[1], "residual": dr.Panels[2],
			"info": dr.Info},
		"generating": {"field": rg.Field, "stages": rg.Stages, "truth": rg.Truth, "acceptance": rg.Acceptance,
			"info": rg.Info, "histogram": rg.Histogram, "spectrum": rg.Spectrum, "energy": rg.Energy},
		"generated": {"field": rg.Field, "hierarchy": rg.Hierarchy, "truth": rg.Truth, "acceptance": rg.Acceptance,
			"info": rg.Info, "histogram": rg.Histogram, "spectrum": rg.Spectrum, "energy": rg.Energy},
		"race": {"title": race.Title, "rg": race.RG, "mcmc": race.MCMC, "rg text": race.RGText,
			"mcmc text": race.MCText, "note": race.Note, "time": race.Time, "grad": race.Grad},
		"analysis": analysis,
		"synthesis": {"target": scat.Big[0], "synthesis": scat.Big[1], "phi": scat.Phi, "info": scat.SynthInfo,
			"loss": scat.Loss, "spectrum": scat.Spectrum, "histogram": scat.Histogram, "stats": scat.Stats},
	}
}

// TestScenesAtOtherSizes checks at phone, tablet, desktop and odd sizes
// that every rectangle has area, lies inside the canvas, and that the
// panels a view draws together do not overlap.
func TestScenesAtOtherSizes(t *testing.T) {
	sizes := [][2]int{
		{DesignW, DesignH},
		{360, 640}, {390, 844}, {320, 480}, {540, 960}, {768, 1024}, // portrait
		{640, 360}, {800, 600}, {1000, 1000}, {1052, 592}, {1280, 720}, {1920, 1080}, {2560, 1080}, // landscape
	}
	for _, sz := range sizes {
		canvas := Canvas(sz[0], sz[1])
		for view, set := range panelSets(sz[0], sz[1]) {
			var names []string
			for name, r := range set {
				if r.Empty() || !within(canvas, r) {
					t.Errorf("%dx%d %s: %s %v is empty or outside the canvas", sz[0], sz[1], view, name, r)
				}
				for _, other := range names {
					if o := set[other]; r.Overlaps(o) {
						t.Errorf("%dx%d %s: %s %v overlaps %s %v", sz[0], sz[1], view, name, r, other, o)
					}
				}
				names = append(names, name)
			}
		}
	}
}

// TestScenesScale checks that a canvas twice the design size doubles
// every rectangle.
func TestScenesScale(t *testing.T) {
	small, big := panelSets(DesignW, DesignH), panelSets(2*DesignW, 2*DesignH)
	for view, set := range small {
		for name, r := range set {
			b := big[view][name]
			if (Rect{2 * r.X, 2 * r.Y, 2 * r.W, 2 * r.H}) != b {
				t.Errorf("%s %s: %v at twice the size is %v", view, name, r, b)
			}
		}
	}
}
