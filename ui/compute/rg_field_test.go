package compute

import (
	"bytes"
	"fmt"
	"image/gif"
	"image/png"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"scalewise/assets"
	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/engine/rg"
	"scalewise/ui/protocol"
	"scalewise/weights"
)

// skipLongOnWasm skips an end-to-end test under js/wasm, where Node runs
// it several times slower than native code (as engine/internal/testenv's
// SkipStatisticalOnWasm, which packages outside engine cannot import).
func skipLongOnWasm(t testing.TB) {
	t.Helper()
	if runtime.GOARCH == "wasm" {
		t.Skip("an end-to-end generation with the shipped models: it runs natively")
	}
}

// newFieldSession returns a session over the shipped models and truths,
// as the worker builds it.
func newFieldSession() *RGSession {
	return NewRGSession(RGEngineSource(weights.RGModel, weights.RGSides, assets.Phi4Samples).
		WithFields(weights.RGFieldModel, assets.RGTurbulenceHeldOut))
}

// The turbulence, C^α and drawings sessions generate coarse to fine with the
// shipped models: the current field grows 1 → 2 → … → L stage by stage,
// the finished hierarchy has J+1 levels of sides L/2^j, the truth is the
// held-out data, the scattering coefficients of every factor with
// scattering terms arrive as one table per family, and the exports are
// named after the field.
func TestRGFieldGenerates(t *testing.T) {
	skipLongOnWasm(t)
	for _, tc := range []struct {
		field    string
		L, J     int
		truthN   int
		cmap     string
		lo, hi   float64
		families []string
		// zero is the family that vanishes by symmetry: C^α and the
		// drawings are fitted symmetric under x ↦ 1 − x, which zeroes
		// the odd s3 terms.
		zero string
	}{
		{RGFieldTurbulence, 64, 6, 16, "diverging", -3, 3, []string{"s1", "s3", "s4c"}, ""},
		{RGFieldCAlpha, 32, 5, RGCAlphaTruthN, "gray", 0, 1, []string{"s1", "s3", "s4c"}, "s3"},
		{RGFieldDrawings, 32, 5, RGDrawingsTruthN, "gray", 0, 1, []string{"s1", "s3", "s4c"}, "s3"},
	} {
		t.Run(tc.field, func(t *testing.T) {
			s := newFieldSession()
			t0 := time.Now()
			start, err := s.Start(RGStartRequest{Field: tc.field, L: tc.L, Seed: 5}, nil)
			if err != nil {
				t.Fatal(err)
			}
			sv := valuesOf[protocol.RGStartValues](t, start)
			if sv.Field != tc.field || sv.L != tc.L || sv.J != tc.J || len(sv.Stages) != tc.J+1 || len(sv.Energy) != tc.J+1 {
				t.Fatalf("start: field %q L=%d J=%d, %d stages, %d energies", sv.Field, sv.L, sv.J, len(sv.Stages), len(sv.Energy))
			}
			if sv.Colormap != tc.cmap || sv.Range != [2]float64{tc.lo, tc.hi} || sv.Truth.N != tc.truthN {
				t.Errorf("start: colormap %q range %v truth %+v", sv.Colormap, sv.Range, sv.Truth)
			}
			for st, e := range sv.Energy {
				grid := sv.Stages[st].Size
				wantScat := st > 0 && grid >= rg.ScatMinGrid
				if got := len(e.Scattering) > 0; got != wantScat {
					t.Errorf("stage %d (%d×%d): scattering tables %v, want %v", st, grid, grid, got, wantScat)
				}
				if !wantScat {
					continue
				}
				var fams []string
				for _, f := range e.Scattering {
					fams = append(fams, f.Family)
					im, _, ok := start.Image(f.Image)
					if !ok || im.H != len(f.Rows) || (f.Max <= 0) != (f.Family == tc.zero) {
						t.Errorf("stage %d %s: image %v (%d rows), max %v", st, f.Family, im, len(f.Rows), f.Max)
					}
				}
				if !slices.Equal(fams, tc.families) {
					t.Errorf("stage %d: families %v, want %v", st, fams, tc.families)
				}
			}
			// Coarse to fine: the side of the current field runs through
			// every L/2^j (requests of 50 steps, fewer than any stage has).
			sizes := []int{valuesOf[protocol.RGStartValues](t, start).Phase.Size}
			var done *Frames
			for n := 0; n < 100000 && done == nil; n++ {
				fr, err := s.Step(RGStepRequest{K: 50, MaxMs: MaxRGStepMs})
				if err != nil {
					t.Fatal(err)
				}
				v := valuesOf[protocol.RGStepValues](t, fr)
				if sz := v.Phase.Size; sz != sizes[len(sizes)-1] {
					sizes = append(sizes, sz)
				}
				if v.Done {
					done = fr
				}
			}
			if done == nil {
				t.Fatal("the generation never finished")
			}
			t.Logf("%s %d×%d: generated natively in %.2f s", tc.field, tc.L, tc.L, time.Since(t0).Seconds())
			var want []int
			for j := tc.J; j >= 0; j-- {
				want = append(want, tc.L>>j)
			}
			if !slices.Equal(sizes, want) {
				t.Errorf("the current field's sides ran %v, want %v", sizes, want)
			}
			dv := valuesOf[protocol.RGStepValues](t, done)
			if len(dv.Sizes) != tc.J+1 {
				t.Fatalf("hierarchy of %d levels, want %d", len(dv.Sizes), tc.J+1)
			}
			for j, n := range dv.Sizes {
				if n != tc.L>>j {
					t.Errorf("x_%d is %d×%d, want %d", j, n, n, tc.L>>j)
				}
				if _, _, ok := done.Image(fmt.Sprintf("x/%d", j)); !ok {
					t.Errorf("no image of x_%d", j)
				}
			}
			if !(dv.HistTV >= 0 && dv.HistTV <= 1) || math.IsNaN(dv.SpectrumLogRatio) {
				t.Errorf("TV %v, log ratio %v", dv.HistTV, dv.SpectrumLogRatio)
			}
			for _, f := range []string{"gif", "png", "npy"} {
				fr, err := s.Export(RGExportRequest{Format: f}, nil)
				if err != nil {
					t.Fatal(err)
				}
				v := valuesOf[protocol.ExportValues](t, fr)
				if want := fmt.Sprintf("scalewise-rg-%s-L%d-seed5.%s", tc.field, tc.L, f); v.Filename != want {
					t.Errorf("export name %q, want %q", v.Filename, want)
				}
				b := fr.Bytes()
				switch f {
				case "gif":
					g, err := gif.DecodeAll(bytes.NewReader(b))
					if err != nil || len(g.Image) < tc.J+1 {
						t.Errorf("gif: %v (%d frames)", err, len(g.Image))
					}
				case "png":
					if _, err := png.Decode(bytes.NewReader(b)); err != nil {
						t.Error(err)
					}
				case "npy":
					arr, err := field.ReadArray(bytes.NewReader(b))
					if err != nil || len(arr.Shape) != 2 || arr.Shape[0] != tc.L {
						t.Errorf("npy: %v %v", err, arr)
					}
				}
			}
		})
	}
}

// Requests the scene refuses for the other field types, each with an
// error: an unknown field, a side without a model, a coupling, the page's
// fitted model, "Fit from data" and the race.
func TestRGFieldBadInput(t *testing.T) {
	s := newFieldSession()
	for _, r := range []RGStartRequest{
		{Field: "cosmic", L: 64},
		{Field: "Turbulence", L: 64},
		{Field: RGFieldTurbulence, L: 32},
		{Field: RGFieldTurbulence, L: 128},
		{Field: RGFieldCAlpha, L: 64},
		{Field: RGFieldCAlpha, L: 0},
		{Field: RGFieldTurbulence, L: 64, Beta: RGBeta},
		{Field: RGFieldCAlpha, L: 32, Model: "fitted"},
		{Field: RGFieldCAlpha, L: 32, Model: "other"},
		{Field: RGFieldDrawings, L: 64},
		{Field: RGFieldDrawings, L: 16},
		{Field: RGFieldDrawings, L: 32, Model: "fitted"},
		{Field: "drawing", L: 32},
	} {
		if _, err := s.Start(r, nil); err == nil {
			t.Errorf("%+v: want an error", r)
		}
	}
	for _, r := range []RGFitRequest{{Field: RGFieldTurbulence, L: 64}, {Field: RGFieldCAlpha}, {Field: RGFieldDrawings, L: 32}, {Field: "x"}} {
		_, err := s.Fit(r, nil)
		if err == nil {
			t.Errorf("fit %+v: want an error", r)
		} else if r.Field != "x" && !strings.Contains(err.Error(), "one-minute") {
			t.Errorf("fit %+v: %v does not say why", r, err)
		}
	}
	for _, r := range []RGRaceRequest{{Field: RGFieldTurbulence, L: 64}, {Field: RGFieldCAlpha, L: 32}, {Field: RGFieldDrawings, L: 32}} {
		if _, err := s.Race(r); err == nil || !strings.Contains(err.Error(), "φ⁴ only") {
			t.Errorf("race %+v: %v, want an error saying φ⁴ only", r, err)
		}
	}
	// Without the other fields' source the session offers φ⁴ alone.
	d, err := testRG()
	if err != nil {
		t.Fatal(err)
	}
	phi := NewRGSession(RGEngineSource(func(L int) (*rg.Model, error) { return d.models[32], nil }, nil,
		func(L int) ([]*field.Field, error) { return d.samples[L], nil }))
	if _, err := phi.Start(RGStartRequest{Field: RGFieldTurbulence, L: 64}, nil); err == nil {
		t.Error("turbulence without its source: want an error")
	}
	for _, f := range valuesOf[protocol.RGInfoValues](t, phi.Info()).Fields {
		if f.Name != RGFieldPhi4 && len(f.Sides) != 0 {
			t.Errorf("without its source, %s offers sides %v", f.Name, f.Sides)
		}
	}
}

// rg_info lists the four field types with the sides of their shipped
// models,
// their display ranges, and why the page neither fits nor races the
// fields other than φ⁴.
func TestRGFieldInfo(t *testing.T) {
	v := valuesOf[protocol.RGInfoValues](t, newFieldSession().Info())
	want := map[string][]int{RGFieldPhi4: {32, 64, 128}, RGFieldTurbulence: {64}, RGFieldCAlpha: {32}, RGFieldDrawings: {32}}
	if len(v.Fields) != 4 {
		t.Fatalf("%d fields, want 4", len(v.Fields))
	}
	for _, f := range v.Fields {
		if !slices.Equal(f.Sides, want[f.Name]) {
			t.Errorf("%s: sides %v, want %v", f.Name, f.Sides, want[f.Name])
		}
		other := f.Name != RGFieldPhi4
		if (f.NoFit != "") != other || (f.NoRace != "") != other || f.Range[0] >= f.Range[1] || f.Truth == "" {
			t.Errorf("%s: %+v", f.Name, f)
		}
	}
}

// The held-out truths: the 16 shipped turbulence snapshots are
// standardised one by one (mean 0, variance 1, as the fit sees them) and
// differ from the training half; the C^α images are drawn from the
// held-out seeds, lie in [0, 1] and are not the training images (seeds
// 0…n−1).
func TestRGFieldTruth(t *testing.T) {
	turb, err := assets.RGTurbulenceHeldOut()
	if err != nil {
		t.Fatal(err)
	}
	if len(turb) != 16 {
		t.Fatalf("%d held-out snapshots, want 16", len(turb))
	}
	for i, f := range turb {
		var m, v float64
		for _, x := range f.Data {
			m += x
		}
		m /= float64(len(f.Data))
		for _, x := range f.Data {
			v += (x - m) * (x - m)
		}
		v /= float64(len(f.Data))
		if math.Abs(m) > 1e-5 || math.Abs(v-1) > 1e-4 {
			t.Errorf("snapshot %d: mean %.2g, variance %.6f", i, m, v)
		}
	}
	imgs, err := RGCAlphaTruth(32, 4)
	if err != nil {
		t.Fatal(err)
	}
	train, err := geometry.CAlpha(geometry.CAlphaOptions{Size: 32, Alpha: RGCAlphaAlpha, Method: geometry.CAlphaCode, Seed: 0})
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range imgs {
		lo, hi := f.MinMax()
		if lo < 0 || hi > 1 || hi-lo < 0.1 {
			t.Errorf("image %d: range [%v, %v]", i, lo, hi)
		}
		if slices.Equal(f.Data, train.Data) {
			t.Errorf("held-out image %d is training image 0", i)
		}
	}
	again, err := RGCAlphaTruth(32, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i := range imgs {
		if !slices.Equal(imgs[i].Data, again[i].Data) {
			t.Errorf("held-out image %d differs between draws", i)
		}
	}
}

// The held-out drawings are the images of denoise.Dataset "drawing" at
// seeds denoise.HeldOutSeed + i, as rg validate --field drawings draws
// them: in [0, 1], boundaries and strokes alternating, none a training
// image (seeds 0…n−1).
func TestRGDrawingsTruth(t *testing.T) {
	const n = 6
	imgs, err := RGDrawingsTruth(32, n)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := denoise.ParseDataset("drawing", 0, 32)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range imgs {
		if f.W != 32 || f.H != 32 {
			t.Fatalf("image %d is %d×%d", i, f.W, f.H)
		}
		want, err := ds.Image(denoise.HeldOutSeed + uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(f.Data, want.Data) {
			t.Errorf("held-out drawing %d is not denoise.Dataset drawing seed 2^40 + %d", i, i)
		}
		lo, hi := f.MinMax()
		if lo < 0 || hi > 1 || hi-lo < 0.1 {
			t.Errorf("drawing %d: range [%v, %v]", i, lo, hi)
		}
		for s := range uint64(n) {
			train, err := ds.Image(s)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Equal(f.Data, train.Data) {
				t.Errorf("held-out drawing %d is training drawing %d", i, s)
			}
		}
	}
	if _, err := RGDrawingsTruth(8, 1); err == nil {
		t.Error("side 8: want an error")
	}
}

// scatTables puts every coefficient in exactly one cell, and the tables of
// a block of 4 orientations and K scales have the documented shapes: s1
// one row, s3 2(K−1) rows, s4c K(K−1)/2 rows, s4n K rows; columns L, L²,
// L³ and L²(L+1)/2 anisotropic, and 1, L, L², 10 isotropic (engine/rg,
// "Scattering interactions", Counts). The blocks are the shipped models'
// (turbulence and drawings: isotropic; C^α: anisotropic).
func TestRGScatTables(t *testing.T) {
	for _, tc := range []struct {
		field string
		L     int
	}{{RGFieldTurbulence, 64}, {RGFieldCAlpha, 32}, {RGFieldDrawings, 32}} {
		m, err := weights.RGFieldModel(tc.field, tc.L)
		if err != nil {
			t.Fatal(err)
		}
		for i := range m.Scales {
			sc := &m.Scales[i]
			b := sc.Scattering
			if b == nil {
				continue
			}
			t.Run(fmt.Sprintf("%s/%d", tc.field, sc.Grid), func(t *testing.T) {
				theta := make([]float64, len(b.Terms))
				for i := range theta {
					theta[i] = float64(i + 1)
				}
				tabs, err := scatTables(b.Terms, theta)
				if err != nil {
					t.Fatal(err)
				}
				K, L := b.Scales, b.Orientations
				rows := map[string]int{"s1": 1, "s3": 2 * (K - 1), "s4c": K * (K - 1) / 2, "s4n": K}
				cols := map[string]int{"s1": L, "s3": L * L, "s4c": L * L * L, "s4n": L * L * (L + 1) / 2}
				if b.Isotropic {
					cols = map[string]int{"s1": 1, "s3": L, "s4c": L * L, "s4n": L * (L + 1) / 2}
				}
				if len(tabs) != len(b.Families) {
					t.Errorf("%d tables for families %v", len(tabs), b.Families)
				}
				seen := make([]int, len(theta)+1)
				for _, f := range tabs {
					if f.H != rows[f.Family] || f.W != cols[f.Family] || len(f.Rows) != f.H || len(f.Theta) != f.W*f.H {
						t.Errorf("%s: %d×%d (%d row names), want %d rows × %d columns", f.Family, f.H, f.W, len(f.Rows), rows[f.Family], cols[f.Family])
					}
					for _, v := range f.Theta {
						seen[int(v)]++
					}
				}
				for i := 1; i < len(seen); i++ {
					if seen[i] != 1 {
						t.Errorf("coefficient %d appears %d times", i, seen[i])
					}
				}
				if seen[0] != 0 {
					t.Errorf("%d empty cells", seen[0])
				}
				if _, err := scatTables(b.Terms, theta[1:]); err == nil {
					t.Error("a coefficient short: want an error")
				}
			})
		}
	}
}
