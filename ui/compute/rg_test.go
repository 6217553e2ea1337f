package compute

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/gif"
	"image/png"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"scalewise/assets"
	"scalewise/engine/field"
	"scalewise/engine/rg"
	"scalewise/ui/protocol"
	"scalewise/weights"
)

// testRG is a source for the session tests: a model fitted here to
// smoothed Gaussian fields (the tests check the session's mechanics, not
// the physics, which engine/rg tests), served for every L the page offers.
var testRG = sync.OnceValues(func() (*testRGData, error) {
	d := &testRGData{models: map[int]*rg.Model{}, samples: map[int][]*field.Field{}}
	for _, L := range RGSizes {
		n := 40
		if L > 32 {
			n = 8 // only display samples; the model is fitted at L=32 below
		}
		d.samples[L] = smoothFields(L, n, uint64(L))
	}
	specs, J, err := rg.DefaultSpecs(32)
	if err != nil {
		return nil, err
	}
	for i := range specs {
		// A small model with short chains: the tests fit it twice and run
		// many generations, also in wasm.
		specs[i].Steps = 20 + 10*i
		specs[i].Sigmoids = 6
		specs[i].Stencil = min(specs[i].Stencil, 1)
	}
	m, err := rg.Fit(d.samples[32], rg.FitOptions{Beta: RGBeta, J: J, Specs: specs, Symmetric: true, Calibration: -1}, nil)
	if err != nil {
		return nil, err
	}
	d.models[32] = m
	return d, nil
})

type testRGData struct {
	models  map[int]*rg.Model
	samples map[int][]*field.Field
}

// smoothFields returns n fields of side L: white noise averaged with its
// four neighbours, scaled to unit variance.
func smoothFields(L, n int, seed uint64) []*field.Field {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]*field.Field, n)
	for k := range out {
		w := field.New(L, L)
		for i := range w.Data {
			w.Data[i] = rng.NormFloat64()
		}
		f := field.New(L, L)
		for y := 0; y < L; y++ {
			for x := 0; x < L; x++ {
				f.Data[y*L+x] = (w.At(x, y) + w.At((x+1)%L, y) + w.At((x+L-1)%L, y) + w.At(x, (y+1)%L) + w.At(x, (y+L-1)%L)) / math.Sqrt(5)
			}
		}
		out[k] = f
	}
	return out
}

func newTestSession(t *testing.T) *RGSession {
	t.Helper()
	d, err := testRG()
	if err != nil {
		t.Fatal(err)
	}
	return NewRGSession(RGEngineSource(func(L int) (*rg.Model, error) {
		m, ok := d.models[L]
		if !ok {
			return nil, fmt.Errorf("no test model for L=%d", L)
		}
		return m, nil
	}, nil, func(L int) ([]*field.Field, error) { return d.samples[L], nil }))
}

// generate runs a whole generation in requests of k steps and returns the
// final frames and the number of requests.
func generate(t *testing.T, s *RGSession, seed uint64, k int) (*Frames, int) {
	t.Helper()
	if _, err := s.Start(RGStartRequest{L: 32, Beta: RGBeta, Seed: seed}, nil); err != nil {
		t.Fatal(err)
	}
	for n := 1; n < 100000; n++ {
		fr, err := s.Step(RGStepRequest{K: k})
		if err != nil {
			t.Fatal(err)
		}
		if valuesOf[protocol.RGStepValues](t, fr).Done {
			return fr, n
		}
	}
	t.Fatal("the generation never finished")
	return nil, 0
}

func TestRGSessionGenerates(t *testing.T) {
	s := newTestSession(t)
	start, err := s.Start(RGStartRequest{L: 32, Beta: RGBeta, Seed: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	J := valuesOf[protocol.RGStartValues](t, start).J
	if J != 5 {
		t.Errorf("J = %d, want 5 for L = 32", J)
	}
	for _, name := range []string{"current", "truth", "kernel/0/0", fmt.Sprintf("kernel/%d/8", J)} {
		if _, _, ok := start.Image(name); !ok {
			t.Errorf("start frames lack %s", name)
		}
	}
	hdr, err := start.Header()
	if err != nil {
		t.Fatalf("start header does not encode: %v", err)
	}
	// The plots' numbers travel in the buffer: the JSON stays small (the
	// canvas app decodes it in wasm).
	if len(hdr) > 8000 {
		t.Errorf("start header of %d bytes", len(hdr))
	}
	for _, name := range []string{"series/truth/edges", "series/truth/density", "series/truth/k", "series/truth/power", "series/energy/0/t", fmt.Sprintf("series/energy/%d/v", J)} {
		xs, ok := protocol.Series(start.Images, start.Bytes(), name)
		if !ok || len(xs) < 2 {
			t.Errorf("series %s: %v", name, xs)
		}
	}
	if e, _ := protocol.Series(start.Images, start.Bytes(), "series/truth/edges"); len(e) > 0 && (e[0] != -rgHistMax || e[len(e)-1] != rgHistMax) {
		t.Errorf("histogram edges %v … %v", e[0], e[len(e)-1])
	}
	im, _, _ := start.Image("current")
	if im.W != 1 {
		t.Errorf("the first field is %d×%d, want x_J, 1×1", im.W, im.H)
	}
	steps := 0
	for {
		fr, err := s.Step(RGStepRequest{K: 7})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fr.Header(); err != nil {
			t.Fatalf("step header does not encode: %v", err)
		}
		v := valuesOf[protocol.RGStepValues](t, fr)
		steps += v.Steps
		if v.Done {
			if v.Kind != "done" || v.RGResult == nil {
				t.Errorf("kind %v (result %v), want done", v.Kind, v.RGResult)
			}
			im, rgba, ok := fr.Image("final")
			if !ok || im.W != 32 || im.H != 32 || len(rgba) != 4*32*32 {
				t.Fatalf("final field %+v, want 32×32", im)
			}
			for j := 0; j <= J; j++ {
				if _, _, ok := fr.Image(fmt.Sprintf("x/%d", j)); !ok {
					t.Errorf("no x/%d", j)
				}
				if j > 0 {
					for _, b := range []string{"H", "V", "D"} {
						if im, _, ok := fr.Image(fmt.Sprintf("%s/%d", b, j)); !ok || im.W != 32>>j {
							t.Errorf("%s/%d: %+v", b, j, im)
						}
					}
				}
			}
			if tot := v.TotalSteps; steps != tot {
				t.Errorf("ran %d steps, the model has %d", steps, tot)
			}
			for key, x := range map[string]float64{"hist_tv": v.HistTV, "spectrum_log_ratio": v.SpectrumLogRatio} {
				if math.IsNaN(x) || x < 0 {
					t.Errorf("%s = %v", key, x)
				}
			}
			hdr, err := fr.Header()
			if err != nil {
				t.Fatal(err)
			}
			var back struct {
				Values struct {
					Acceptance []float64 `json:"acceptance"`
				} `json:"values"`
			}
			if err := json.Unmarshal(hdr, &back); err != nil {
				t.Fatal(err)
			}
			if len(back.Values.Acceptance) != J+1 {
				t.Fatalf("acceptance for %d stages", len(back.Values.Acceptance))
			}
			for i, a := range back.Values.Acceptance {
				if a <= 0 || a > 1 {
					t.Errorf("stage %d acceptance %v", i, a)
				}
			}
			break
		}
		im, _, ok := fr.Image("current")
		if !ok {
			t.Fatal("step frames lack the current field")
		}
		if ph := v.Phase; im.W != ph.Size {
			t.Errorf("current field %d wide at a stage of size %v", im.W, ph.Size)
		}
	}
	// After the end, further steps resend the finished frames.
	fr, err := s.Step(RGStepRequest{K: 1})
	if err != nil || !valuesOf[protocol.RGStepValues](t, fr).Done {
		t.Errorf("step after the end: %v, %v", fr, err)
	}
}

// The generation depends on the seed only, not on how it is sliced.
func TestRGSessionDeterministic(t *testing.T) {
	s := newTestSession(t)
	a, na := generate(t, s, 11, 1)
	b, nb := generate(t, s, 11, 1000)
	c, _ := generate(t, s, 12, 1000)
	_, pa, _ := a.Image("final")
	_, pb, _ := b.Image("final")
	_, pc, _ := c.Image("final")
	if !bytes.Equal(pa, pb) {
		t.Errorf("the same seed in %d and %d requests gives different fields", na, nb)
	}
	if bytes.Equal(pa, pc) {
		t.Error("seeds 11 and 12 give the same field")
	}
}

// A request stops at its time budget, however many steps it asks for.
func TestRGStepBounded(t *testing.T) {
	s := newTestSession(t)
	if _, err := s.Start(RGStartRequest{L: 32, Seed: 1}, nil); err != nil {
		t.Fatal(err)
	}
	// The budget, not the count, ends the request: it runs at least one
	// step and stops long before MaxRGStepK (no wall-clock bound is
	// asserted; a loaded machine only runs fewer steps).
	fr, err := s.Step(RGStepRequest{K: MaxRGStepK, MaxMs: 5})
	if err != nil {
		t.Fatal(err)
	}
	if n := valuesOf[protocol.RGStepValues](t, fr).Steps; n < 1 || n >= MaxRGStepK {
		t.Errorf("a 5 ms request of %d steps ran %d", MaxRGStepK, n)
	}
}

func TestRGBadInput(t *testing.T) {
	s := newTestSession(t)
	if _, err := s.Step(RGStepRequest{K: 1}); err == nil || !strings.Contains(err.Error(), "start") {
		t.Errorf("step before start: %v", err)
	}
	if _, err := s.Export(RGExportRequest{Format: "png"}, nil); err == nil {
		t.Error("export before a generation: no error")
	}
	for _, r := range []RGStartRequest{{L: 16}, {L: 48}, {L: 256}, {L: 0}, {L: 32, Beta: 0.5}, {L: 32, Beta: math.NaN()}, {L: 32, Model: "fitted"}, {L: 32, Model: "nope"}} {
		if _, err := s.Start(r, nil); err == nil {
			t.Errorf("start %+v: no error", r)
		} else {
			t.Logf("start %+v: %v", r, err)
		}
	}
	if _, err := s.Start(RGStartRequest{L: 32, Seed: 1}, nil); err != nil {
		t.Fatal(err)
	}
	for _, r := range []RGStepRequest{{K: 0}, {K: -3}, {K: MaxRGStepK + 1}, {K: 1, MaxMs: math.NaN()}, {K: 1, MaxMs: -1}} {
		if _, err := s.Step(r); err == nil {
			t.Errorf("step %+v: no error", r)
		}
	}
	if _, err := s.Export(RGExportRequest{Format: "gif"}, nil); err == nil {
		t.Error("export of an unfinished generation: no error")
	}
	for _, r := range []RGRaceRequest{{L: 12}, {L: 32, Ms: math.NaN()}, {L: 32, Beta: 1}} {
		if _, err := s.Race(r); err == nil {
			t.Errorf("race %+v: no error", r)
		}
	}
	if _, err := s.Fit(RGFitRequest{L: 64}, nil); err == nil {
		t.Error("fit at L=64: no error")
	}
	// JSON cannot carry NaN: a request with one fails to decode.
	var r RGStepRequest
	if err := json.Unmarshal([]byte(`{"k": NaN}`), &r); err == nil {
		t.Error("NaN decoded")
	}
}

func TestRGExports(t *testing.T) {
	s := newTestSession(t)
	generate(t, s, 5, 50)
	g, err := s.Export(RGExportRequest{Format: "gif"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	anim, err := gif.DecodeAll(bytes.NewReader(g.Bytes()))
	if err != nil {
		t.Fatalf("GIF does not decode: %v", err)
	}
	if len(anim.Image) < 6 || anim.Config.Width != rgGIFSide {
		t.Errorf("GIF: %d frames of width %d", len(anim.Image), anim.Config.Width)
	}
	if !bytes.Equal(anim.Image[0].Pix[:10], anim.Image[0].Pix[10:20]) {
		t.Error("the first GIF frame (x_J, one value) is not uniform")
	}
	if v := valuesOf[protocol.ExportValues](t, g); v.Mime != "image/gif" || !strings.HasSuffix(v.Filename, ".gif") || v.Size != len(g.Bytes()) {
		t.Errorf("GIF values %v", g.Values)
	}
	p, err := s.Export(RGExportRequest{Format: "png"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(p.Bytes()))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 32 || b.Dy() != 32 {
		t.Errorf("PNG is %v", b)
	}
	n, err := s.Export(RGExportRequest{Format: "npy"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := field.ReadNPY(bytes.NewReader(n.Bytes()))
	if err != nil {
		t.Fatalf(".npy does not decode: %v", err)
	}
	want := s.gen.Run().(*rgGen).s.Field()
	if f.W != 32 || f.H != 32 {
		t.Fatalf(".npy is %d×%d", f.W, f.H)
	}
	for i, v := range f.Data {
		if math.Abs(v-want.Data[i]) > 1e-6*math.Max(1, math.Abs(want.Data[i])) {
			t.Fatalf(".npy value %d: %v, want %v", i, v, want.Data[i])
		}
	}
	if _, err := s.Export(RGExportRequest{Format: "jpeg"}, nil); err == nil {
		t.Error("jpeg export: no error")
	}
}

func TestRGRace(t *testing.T) {
	s := newTestSession(t)
	var fr *Frames
	var err error
	for i := 0; i < 40; i++ {
		fr, err = s.Race(RGRaceRequest{L: 32, Seed: 2, Reset: i == 0, Ms: 20})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := fr.Header(); err != nil {
		t.Fatal(err)
	}
	v := valuesOf[protocol.RGRaceValues](t, fr)
	r, m := v.RG, v.MCMC
	t.Logf("RG %+v; MCMC %+v", r, m)
	if r.Samples < 2 || m.Sweeps < 10 {
		t.Errorf("the race made %v RG samples and %v sweeps", r.Samples, m.Sweeps)
	}
	if r.Binder == nil || m.Binder == nil {
		t.Error("no Binder cumulant")
	}
	for _, name := range []string{"race/rg", "race/mcmc"} {
		if im, _, ok := fr.Image(name); !ok || im.W != 32 {
			t.Errorf("race image %s: %+v", name, im)
		}
	}
}

func TestRGFit(t *testing.T) {
	s := newTestSession(t)
	calls := 0
	fr, err := s.Fit(RGFitRequest{L: 32, Beta: RGBeta}, func(done, total int, stage string) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 {
		t.Error("no progress")
	}
	t.Logf("fit: %+v", valuesOf[protocol.RGFitValues](t, fr))
	if _, err := s.Start(RGStartRequest{L: 32, Seed: 1, Model: "fitted"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start(RGStartRequest{L: 64, Seed: 1, Model: "fitted"}, nil); err == nil {
		t.Error("the L=32 fit used at L=64")
	}
}

// The shipped models and samples work in the session: every shipped L
// starts, and the L = 32 model generates a whole field.
func TestRGShipped(t *testing.T) {
	s := NewRGSession(RGEngineSource(weights.RGModel, weights.RGSides, assets.Phi4Samples))
	sides := weights.RGSides()
	if got := valuesOf[protocol.RGInfoValues](t, s.Info()).Sides; !slices.Contains(got, 32) || len(got) > len(RGSizes) {
		t.Errorf("info lists sides %v (shipped %v)", got, sides)
	}
	if !slices.Contains(sides, 32) {
		t.Fatalf("no shipped L=32 model (have %v)", sides)
	}
	for _, L := range sides {
		if !slices.Contains(RGSizes[:], L) {
			continue
		}
		fr, err := s.Start(RGStartRequest{L: L, Beta: RGBeta, Seed: 1}, nil)
		if err != nil {
			t.Fatalf("L=%d: %v", L, err)
		}
		if _, err := fr.Header(); err != nil {
			t.Fatal(err)
		}
		v := valuesOf[protocol.RGStartValues](t, fr)
		t.Logf("L=%d: J=%v, %v MALA steps; %s", L, v.J, v.TotalSteps, v.Provenance)
	}
	fr, n := generate(t, s, 7, 100)
	im, _, ok := fr.Image("final")
	if !ok || im.W != 32 {
		t.Fatalf("final %+v", im)
	}
	v := valuesOf[protocol.RGStepValues](t, fr)
	t.Logf("L=32 in %d requests: <phi^2> = %.3f, hist TV %.3f, spectrum mean |log ratio| %.3f, cost %+v",
		n, v.Generated.Phi2, v.HistTV, v.SpectrumLogRatio, v.Cost)
}
