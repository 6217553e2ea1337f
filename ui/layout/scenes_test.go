package layout

import (
	"testing"
)

// TestScenesAtDesignSize checks some of every scene's rectangles at the
// landscape design size, where they are whole pixels.
func TestScenesAtDesignSize(t *testing.T) {
	sc := Scales(DesignW, DesignH)
	dr := Draw(DesignW, DesignH)
	db := DrawBasis(DesignW, DesignH)
	rg := Renormalise(DesignW, DesignH)
	race := Race(DesignW, DesignH)
	ana := ScatAnalysis(DesignW, DesignH)
	syn := ScatSynthesis(DesignW, DesignH)
	gen := Generate(DesignW, DesignH)
	grid := GenerateGrid(DesignW, DesignH)
	tests := []struct {
		name      string
		got, want Rect
	}{
		{"scales input", sc.Input, Rect{16, 30, 240, 240}},
		{"scales energy", sc.Energy, Rect{16, 286, 240, 242}},
		{"scales main", sc.Main, Rect{276, 30, 460, 460}},
		{"scales side", sc.Side, Rect{752, 30, 192, 192}},
		{"scales info", sc.Info, Rect{752, 238, 192, 290}},

		{"draw drawing", dr.Drawing, Rect{16, 40, 432, 432}},
		{"draw noisy", dr.Panels[0], Rect{472, 40, 152, 152}},
		{"draw denoised", dr.Panels[1], Rect{634, 40, 152, 152}},
		{"draw residual", dr.Panels[2], Rect{796, 40, 152, 152}},
		{"draw info", dr.Info, Rect{472, 260, 476, 272}},
		{"draw basis drawing", db.Drawing, Rect{16, 36, 208, 208}},
		{"draw basis noisy", db.Panels[0], Rect{240, 36, 96, 96}},
		{"draw basis denoised", db.Panels[1], Rect{352, 36, 96, 96}},
		{"draw basis residual", db.Panels[2], Rect{464, 36, 96, 96}},
		{"draw basis info", db.Info, Rect{240, 176, 320, 68}},
		{"draw basis spectrum", db.Spectrum, Rect{16, 262, 544, 272}},
		{"draw basis tiles", db.Basis, Rect{584, 36, 360, 498}},

		{"rg field", rg.Field, Rect{12, 24, 300, 300}},
		{"rg hierarchy", rg.Hierarchy, Rect{12, 334, 300, 200}},
		{"rg stages", rg.Stages, Rect{12, 342, 300, 184}},
		{"rg truth", rg.Truth, Rect{334, 24, 200, 200}},
		{"rg acceptance", rg.Acceptance, Rect{334, 234, 200, 150}},
		{"rg info", rg.Info, Rect{334, 392, 200, 142}},
		{"rg histogram", rg.Histogram, Rect{562, 6, 384, 150}},
		{"rg spectrum", rg.Spectrum, Rect{562, 165, 384, 150}},
		{"rg energy", rg.Energy, Rect{562, 324, 384, 210}},

		{"race title", race.Title, Rect{12, 4, 932, 20}},
		{"race rg", race.RG, Rect{12, 50, 220, 220}},
		{"race mcmc", race.MCMC, Rect{246, 50, 220, 220}},
		{"race rg text", race.RGText, Rect{12, 282, 220, 120}},
		{"race note", race.Note, Rect{12, 410, 454, 122}},
		{"race time", race.Time, Rect{500, 28, 444, 246}},
		{"race grad", race.Grad, Rect{500, 286, 444, 246}},

		{"scat field", ana.Field, Rect{12, 24, 256, 256}},
		{"scat modulus", ana.Modulus, Rect{280, 24, 256, 256}},
		{"scat second 0", ana.Second[0], Rect{12, 304, 128, 128}},
		{"scat second 2", ana.Second[2], Rect{284, 304, 128, 128}},
		{"scat bank", ana.Bank, Rect{420, 304, 128, 128}},
		{"scat info", ana.Info, Rect{12, 460, 524, 74}},
		{"scat regularity", ana.Regularity, Rect{556, 4, 388, 130}},
		{"scat S1", ana.PerScale[0], Rect{556, 142, 186, 130}},
		{"scat S2", ana.PerScale[1], Rect{758, 142, 186, 130}},
		{"scat S3", ana.S3, Rect{556, 280, 388, 123}},
		{"scat S4", ana.S4, Rect{556, 411, 388, 123}},
		{"synth target", syn.Target, ana.Field},
		{"synth synthesis", syn.Synthesis, ana.Modulus},
		{"synth phi", syn.Phi, Rect{12, 290, 524, 150}},
		{"synth info", syn.Info, Rect{12, 450, 524, 84}},
		{"synth loss", syn.Loss, Rect{556, 4, 388, 145}},
		{"synth spectrum", syn.Spectrum, Rect{556, 157, 388, 145}},
		{"synth histogram", syn.Histogram, Rect{556, 310, 388, 145}},
		{"synth stats", syn.Stats, Rect{556, 463, 388, 71}},

		{"gen s1", gen.Nets[0], Rect{12, 24, 228, 228}},
		{"gen s2", gen.Nets[1], Rect{256, 24, 228, 228}},
		{"gen nearest s1", gen.Nearest[0], Rect{12, 300, 128, 128}},
		{"gen nearest s2", gen.Nearest[1], Rect{256, 300, 128, 128}},
		{"gen info", gen.Info, Rect{12, 454, 472, 80}},
		{"gen sigma", gen.Sigma, Rect{508, 6, 438, 140}},
		{"gen energy", gen.Energy, Rect{508, 156, 438, 170}},
		{"gen sweep", gen.Sweep, Rect{508, 336, 438, 198}},
		{"gen grid", grid.Grid, Rect{12, 24, 510, 510}},
		{"gen grid info", grid.Info, Rect{546, 24, 400, 510}},
	}
	for _, tt := range tests {
		// Exact: at the design size every rectangle is in whole pixels.
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if len(ana.Second) != scatSeconds {
		t.Errorf("%d second transforms, want %d", len(ana.Second), scatSeconds)
	}
}

// view is a scene view's layout at one canvas size.
type view struct {
	frame  Frame
	panels []Panel
}

// views returns the panels each scene view draws together on a w×h
// canvas, by view.
func views(w, h int) map[string]view {
	sc, dr, rg, race, ana, syn := Scales(w, h), Draw(w, h), Renormalise(w, h), Race(w, h), ScatAnalysis(w, h), ScatSynthesis(w, h)
	db := DrawBasis(w, h)
	gen, grid := Generate(w, h), GenerateGrid(w, h)
	return map[string]view{
		"scales":     {sc.Frame, sc.Named()},
		"draw":       {dr.Frame, dr.Named()},
		"draw basis": {db.Frame, db.Named()},
		"generating": {rg.Frame, rg.Named(true)},
		"generated":  {rg.Frame, rg.Named(false)},
		"race":       {race.Frame, race.Named()},
		"analysis":   {ana.Frame, ana.Named()},
		"synthesis":  {syn.Frame, syn.Named()},
		"gen pair":   {gen.Frame, gen.Named()},
		"gen grid":   {grid.Frame, grid.Named()},
	}
}

// TestScenesAtOtherSizes checks at phone, tablet, desktop and odd sizes
// that every rectangle has area, lies inside the canvas, and that the
// panels a view draws together do not overlap.
func TestScenesAtOtherSizes(t *testing.T) {
	sizes := [][2]int{
		{DesignW, DesignH},
		{360, 640}, {390, 844}, {320, 480}, {540, 960}, {768, 1024}, {412, 500}, {412, 732}, {412, 1300}, {412, 2400},
		{824, 1800}, {700, 701}, // portrait
		{640, 360}, {800, 600}, {1000, 1000}, {1052, 592}, {1280, 720}, {1920, 1080}, {2560, 1080}, // landscape
	}
	for _, sz := range sizes {
		canvas := Canvas(sz[0], sz[1])
		for name, v := range views(sz[0], sz[1]) {
			if v.frame.Portrait != (sz[1] > sz[0]) {
				t.Errorf("%dx%d %s: portrait is %v", sz[0], sz[1], name, v.frame.Portrait)
			}
			seen := map[string]bool{}
			for i, p := range v.panels {
				if seen[p.Name] {
					t.Errorf("%dx%d %s: two panels called %s", sz[0], sz[1], name, p.Name)
				}
				seen[p.Name] = true
				if p.Empty() || !within(canvas, p.Rect) {
					t.Errorf("%dx%d %s: %s %v is empty or outside the canvas", sz[0], sz[1], name, p.Name, p.Rect)
				}
				for _, o := range v.panels[:i] {
					if p.Overlaps(o.Rect) {
						t.Errorf("%dx%d %s: %s %v overlaps %s %v", sz[0], sz[1], name, p.Name, p.Rect, o.Name, o.Rect)
					}
				}
			}
		}
	}
}

// TestScenesScale checks that a landscape canvas twice the design size
// doubles every rectangle.
func TestScenesScale(t *testing.T) {
	small, big := views(DesignW, DesignH), views(2*DesignW, 2*DesignH)
	for name, v := range small {
		for i, p := range v.panels {
			b := big[name].panels[i]
			if (Rect{2 * p.X, 2 * p.Y, 2 * p.W, 2 * p.H}) != b.Rect {
				t.Errorf("%s %s: %v at twice the size is %v", name, p.Name, p.Rect, b.Rect)
			}
		}
	}
}

// TestPortraitReadable checks that on a phone 412 CSS pixels wide (at
// device scale factors 1 to 3) every image panel is at least 150 CSS
// pixels wide whenever the canvas is at least 500 pixels high, or for the
// views that need more (the scattering views: the analysis shows six
// images two abreast, and five plots) at least their frame's Need; and
// that Need is what the scenes say.
func TestPortraitReadable(t *testing.T) {
	const w412 = float32(412) / PortraitW
	needs := map[string]float32{ // the least CSS height at 412 wide
		"scales": w412 * scalesMinH, "draw": w412 * drawMinH, "draw basis": w412 * drawBasisMinH,
		"generating": w412 * renormaliseMinH, "generated": w412 * renormaliseMinH,
		"race": w412 * raceMinH, "synthesis": w412 * scatSynthesisMinH,
		"analysis": w412 * scatAnalysisMinH,
		"gen pair": w412 * generateMinH, "gen grid": w412 * generateGridMinH,
	}
	for name, need := range needs {
		if name != "analysis" && need > 732 {
			t.Errorf("%s needs a canvas %.0f CSS px high at 412 wide, more than 9:16", name, need)
		}
	}
	for _, dpr := range []int{1, 2, 3} {
		for hc := 500; hc <= 2400; hc += 7 {
			w, h := 412*dpr, hc*dpr
			for name, v := range views(w, h) {
				if !v.frame.Portrait {
					t.Fatalf("412x%d: %s is not portrait", hc, name)
				}
				if got := v.frame.Need / float32(dpr); !near(got, needs[name]) {
					t.Errorf("412x%d %s: Need %v CSS px, want %v", hc, name, got, needs[name])
				}
				if name == "analysis" && float32(hc) < needs[name] && float32(hc) >= 412.0*16/9 {
					// The compact analysis, on a 9:16 canvas or taller: its
					// big images readable, its plots at least 85 px high.
					for _, p := range v.panels {
						if (p.Name == "field" || p.Name == "modulus") && p.W/float32(dpr) < 150 ||
							p.Kind == PlotPanel && p.H/float32(dpr) < 85 {
							t.Errorf("412x%d (x%d) analysis: %s is %.0f×%.0f CSS px", hc, dpr, p.Name, p.W/float32(dpr), p.H/float32(dpr))
						}
					}
				}
				if needs[name] > 650 && float32(hc) < needs[name] {
					continue // checked from its Need on
				}
				for _, p := range v.panels {
					if p.Kind == ImagePanel && p.W/float32(dpr) < 150 {
						t.Errorf("412x%d (x%d) %s: image %s is %.0f CSS px wide", hc, dpr, name, p.Name, p.W/float32(dpr))
					}
					if p.Kind == PlotPanel && p.W/float32(dpr) < 140 {
						t.Errorf("412x%d (x%d) %s: plot %s is %.0f CSS px wide", hc, dpr, name, p.Name, p.W/float32(dpr))
					}
				}
			}
		}
	}
}

// TestPortraitUsesHeight checks that a taller phone canvas gives the main
// image of each scene at least as much room, and that every panel stays
// inside the canvas.
func TestPortraitUsesHeight(t *testing.T) {
	prev := map[string]float32{}
	for h := 500; h <= 2400; h += 50 {
		v := views(412, h)
		for name, p := range map[string]Panel{"scales": v["scales"].panels[2], "draw": v["draw"].panels[0],
			"energy": v["generated"].panels[len(v["generated"].panels)-1], "loss": v["synthesis"].panels[4]} {
			if p.H < prev[name]-1e-3 {
				t.Errorf("412x%d: %s is %v high, less than %v at a shorter canvas", h, name, p.H, prev[name])
			}
			prev[name] = p.H
		}
	}
}

func TestTextSize(t *testing.T) {
	// Monotone in the canvas's size, and never under the least size.
	prev := float32(0)
	for w := 200; w <= 4000; w += 10 {
		for _, aspect := range []float32{9.0 / 16, 0.75, 16.0 / 9} {
			h := int(float32(w) / aspect)
			s := TextScale(w, h)
			for _, size := range []float32{11, 12, 13} {
				if got := TextSize(size, s, 11); got < 11 || got < size*s-1e-4 {
					t.Errorf("TextSize(%v, %v, 11) = %v", size, s, got)
				}
			}
		}
		s := TextScale(w, w*9/16)
		if got := TextSize(12, s, 11); got < prev {
			t.Errorf("at %d px wide text is %v px, smaller than at a narrower canvas (%v)", w, got, prev)
		} else {
			prev = got
		}
	}
	if s := TextScale(DesignW, DesignH); s != 1 {
		t.Errorf("TextScale at the design size = %v", s)
	}
	if s := TextScale(PortraitW*2, 3000); s != 2 {
		t.Errorf("TextScale of a portrait canvas twice the design width = %v", s)
	}
}

func TestCanvasSize(t *testing.T) {
	tests := []struct {
		outW, outH, dsf float64
		w, h            int
	}{
		{1052, 591.75, 1, 1052, 592},
		{396, 704, 2.625, 1040, 1848},
		{1920, 1080, 2, 2560, 1440}, // capped on the long side
		{400, 3000, 1, 341, 2560},
		{0, 0, 1, 1, 1},
		{800, 600, 0, 800, 600}, // no scale factor: 1
	}
	for _, tt := range tests {
		if w, h := CanvasSize(tt.outW, tt.outH, tt.dsf, 2560); w != tt.w || h != tt.h {
			t.Errorf("CanvasSize(%v, %v, %v) = %d×%d, want %d×%d", tt.outW, tt.outH, tt.dsf, w, h, tt.w, tt.h)
		}
	}
}
