package compute

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"time"

	"scalewise/engine/basis"
	"scalewise/engine/field"
	"scalewise/ui/protocol"
	"scalewise/ui/strokes"
	"scalewise/weights"
)

// exampleDrawing returns the stroke code of the k-th example drawing.
func exampleDrawing(t *testing.T, k int) string {
	t.Helper()
	ex, err := strokes.Example(k, 0, DrawCanvas)
	if err != nil {
		t.Fatal(err)
	}
	code, err := strokes.Encode(ex, DrawCanvas)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// seriesOf decodes the float32 series called name.
func seriesOf(t *testing.T, fr *Frames, name string) []float32 {
	t.Helper()
	im, b, ok := fr.Image(name)
	if !ok || im.H != 1 {
		t.Fatalf("no series %s", name)
	}
	xs := make([]float32, im.W)
	for i := range xs {
		xs[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return xs
}

// stepBasis steps s with max_ms budget until the run is done, checking
// the frames of every step, and returns the last frames and the longest
// step.
func stepBasis(t *testing.T, s *Stepped[BasisStartRequest], budget float64) (*Frames, time.Duration) {
	t.Helper()
	last, longest := 0, time.Duration(0)
	for range 10000 {
		t0 := time.Now()
		fr, err := s.Step(protocol.StepRequest{MaxMs: budget})
		if err != nil {
			t.Fatal(err)
		}
		longest = max(longest, time.Since(t0))
		v := valuesOf[protocol.BasisValues](t, fr)
		if v.Step < last || v.Step > v.Krylov {
			t.Fatalf("step %d after %d (cap %d)", v.Step, last, v.Krylov)
		}
		last = v.Step
		if v.Done {
			if v.Kind != protocol.KindDone {
				t.Fatalf("done frames of kind %q", v.Kind)
			}
			return fr, longest
		}
		if v.Kind != protocol.KindStep || len(fr.Images) != 0 {
			t.Fatalf("step frames of kind %q with %d images", v.Kind, len(fr.Images))
		}
	}
	t.Fatal("the run did not finish")
	return nil, 0
}

// TestBasisRun runs basis_start → basis_step … → done on shipped nets and
// checks the result against engine/basis run directly on the image
// OpDenoise makes: the same noisy image (its panel), the eigenvalues
// (descending) and coefficients of basis.Lanczos, the trace and
// antisymmetry of basis.TraceAndAntisymmetry with 16 probes, and the
// tiles' layout.
func TestBasisRun(t *testing.T) {
	tests := []struct {
		name string
		req  BasisStartRequest
	}{
		{"drawing net, 4 pairs", BasisStartRequest{DenoiseRequest: DenoiseRequest{D: exampleDrawing(t, 0), Mode: "boundary", BG: 1, Sigma: 0.1, NSeed: 2, Net: "drawing"},
			K: 4, Krylov: 40, Seed: 1}},
		{"calpha4 net, 5 pairs, stroke", BasisStartRequest{DenoiseRequest: DenoiseRequest{D: exampleDrawing(t, 1), Mode: "stroke", Width: 3, BG: 2, Sigma: 0.2, NSeed: 3, Net: "calpha4"},
			K: 5, Krylov: 30, Seed: 2}},
	}
	nets := NewNets(weights.Denoiser)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewBasisSession(nets).Stepper()
			fr, err := s.Start(tc.req, nil)
			if err != nil {
				t.Fatal(err)
			}
			v := valuesOf[protocol.BasisValues](t, fr)
			if v.Kind != protocol.KindStart || v.Step != 0 || v.Krylov != tc.req.Krylov || v.Residual != -1 || v.K != tc.req.K || v.Done {
				t.Errorf("start values %+v", v)
			}
			if fr.Scene != protocol.BasisScene {
				t.Errorf("scene %q", fr.Scene)
			}
			fr, _ = stepBasis(t, s, 40)
			v = valuesOf[protocol.BasisValues](t, fr)

			// The direct computation on the image OpDenoise renders.
			img, err := renderDrawn(tc.req.DenoiseRequest)
			if err != nil {
				t.Fatal(err)
			}
			checkSameAsDenoise(t, tc.req.DenoiseRequest, nets, img)
			u, _, err := nets.Get(tc.req.Net)
			if err != nil {
				t.Fatal(err)
			}
			j, err := basis.NewNetJacobian(u, img.y.Data, DrawCanvas, DrawCanvas)
			if err != nil {
				t.Fatal(err)
			}
			e, err := basis.Lanczos(context.Background(), basis.SymmetricPart(j), tc.req.K, basis.LanczosOptions{Krylov: tc.req.Krylov, Seed: tc.req.Seed})
			if err != nil {
				t.Fatal(err)
			}
			tr, as, err := basis.TraceAndAntisymmetry(context.Background(), j, BasisProbes, tc.req.Seed, nil)
			if err != nil {
				t.Fatal(err)
			}
			if v.Step != e.Krylov || v.Converged != e.Converged {
				t.Errorf("%d steps, converged %v; Lanczos: %d, %v", v.Step, v.Converged, e.Krylov, e.Converged)
			}
			if v.Trace != tr.Value || v.TraceErr != tr.StdErr || v.Antisymmetry != as.Value || v.AntisymmetryErr != as.StdErr {
				t.Errorf("trace %g ± %g, antisymmetry %g ± %g; want %+v %+v", v.Trace, v.TraceErr, v.Antisymmetry, v.AntisymmetryErr, tr, as)
			}
			vals := seriesOf(t, fr, "eigenvalues")
			clean, noisy := seriesOf(t, fr, "coefficients"), seriesOf(t, fr, "noisy_coefficients")
			if len(vals) != tc.req.K || len(clean) != tc.req.K || len(noisy) != tc.req.K {
				t.Fatalf("series of %d, %d, %d values", len(vals), len(clean), len(noisy))
			}
			for i, l := range vals {
				if l != float32(e.Values[i]) || (i > 0 && l > vals[i-1]) {
					t.Errorf("λ_%d = %g (after %g), Lanczos %g", i+1, l, vals[max(i-1, 0)], e.Values[i])
				}
				if c := float32(math.Abs(inner(img.x.Data, e.Vectors[i]))); clean[i] != c {
					t.Errorf("|⟨x, e_%d⟩| = %g, want %g", i+1, clean[i], c)
				}
				if c := float32(math.Abs(inner(img.y.Data, e.Vectors[i]))); noisy[i] != c {
					t.Errorf("|⟨y, e_%d⟩| = %g, want %g", i+1, noisy[i], c)
				}
			}
			cols := v.Cols
			if cols*cols < tc.req.K || (cols-1)*(cols-1) >= tc.req.K {
				t.Errorf("%d columns for %d tiles", cols, tc.req.K)
			}
			im, _, ok := fr.Image("tiles")
			rows := (tc.req.K + cols - 1) / cols
			if !ok || im.W != cols*DrawCanvas || im.H != rows*DrawCanvas || v.Size != DrawCanvas {
				t.Errorf("tiles %+v (%v), want %d×%d", im, ok, cols*DrawCanvas, rows*DrawCanvas)
			}
			t.Logf("%d Lanczos steps, converged %v, residual %.2g, λ = %v, tr J = %.1f ± %.1f, antisymmetry %.3f ± %.3f, %.2f s",
				v.Step, v.Converged, v.Residual, vals, v.Trace, v.TraceErr, v.Antisymmetry, v.AntisymmetryErr, v.Seconds)

			// A finished run answers its steps with the same frames.
			again, err := s.Step(protocol.StepRequest{})
			if err != nil || again != fr {
				t.Errorf("step after the end: %v, same frames %v", err, again == fr)
			}
			if _, err := again.Header(); err != nil {
				t.Errorf("header does not encode: %v", err)
			}
		})
	}
}

// checkSameAsDenoise checks that renderDrawn makes OpDenoise's clean and
// noisy panels.
func checkSameAsDenoise(t *testing.T, r DenoiseRequest, nets *Nets, img *drawnImage) {
	t.Helper()
	fr, err := Denoise(r, nets)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		name string
		f    *field.Field
	}{{"clean", img.x}, {"noisy", img.y}} {
		_, want, _ := fr.Image(p.name)
		got := make([]byte, 4*DrawCanvas*DrawCanvas)
		if err := field.RenderRGBA(got, p.f, field.Gray, 0, 1); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("the %s image differs from OpDenoise's panel", p.name)
		}
	}
}

// TestBasisSteps checks the step budget: a step of max_ms 1 makes one
// iteration (one Lanczos step), and a step of max_ms b ends within b plus
// one iteration (the longest of the one-iteration steps, with slack for a
// loaded machine).
func TestBasisSteps(t *testing.T) {
	nets := NewNets(weights.Denoiser)
	s := NewBasisSession(nets).Stepper()
	req := BasisStartRequest{DenoiseRequest: DenoiseRequest{D: exampleDrawing(t, 2), Mode: "boundary", BG: 3, Sigma: 0.1, Net: "drawing"}, K: 3, Krylov: 24}
	if _, err := s.Start(req, nil); err != nil {
		t.Fatal(err)
	}
	one := time.Duration(0)
	for i := range 4 {
		t0 := time.Now()
		fr, err := s.Step(protocol.StepRequest{MaxMs: 1e-3})
		if err != nil {
			t.Fatal(err)
		}
		one = max(one, time.Since(t0))
		if v := valuesOf[protocol.BasisValues](t, fr); v.Step != i+1 {
			t.Fatalf("after %d one-iteration steps, %d Lanczos steps", i+1, v.Step)
		}
	}
	const budget = 30
	_, longest := stepBasis(t, s, budget)
	if limit := budget*time.Millisecond + 2*one + 50*time.Millisecond; longest > limit {
		t.Errorf("a step of %d ms took %v (one iteration: %v)", budget, longest, one)
	}
	t.Logf("one iteration: %v; longest step of %d ms: %v", one, budget, longest)
	for _, q := range []protocol.StepRequest{{MaxMs: -1}, {MaxMs: math.NaN()}, {K: -1}} {
		if _, err := s.Step(q); err == nil {
			t.Errorf("step %+v: no error", q)
		}
	}
}

// TestBasisErrors checks that bad requests are refused (and leave no
// run), and cancel.
func TestBasisErrors(t *testing.T) {
	nets := NewNets(weights.Denoiser)
	ok := BasisStartRequest{DenoiseRequest: DenoiseRequest{Mode: "boundary", BG: 1, Sigma: 0.1, Net: "drawing"}, K: 2, Krylov: 8}
	for _, tc := range []struct {
		name string
		edit func(r *BasisStartRequest)
		want string
	}{
		{"negative k", func(r *BasisStartRequest) { r.K = -1 }, "k=-1"},
		{"k too large", func(r *BasisStartRequest) { r.K = MaxBasisK + 1 }, "k=65"},
		{"krylov below k", func(r *BasisStartRequest) { r.Krylov = 1 }, "krylov=1"},
		{"krylov above n", func(r *BasisStartRequest) { r.Krylov = DrawCanvas*DrawCanvas + 1 }, "krylov="},
		{"NaN σ", func(r *BasisStartRequest) { r.Sigma = math.NaN() }, "σ=NaN"},
		{"σ above 1", func(r *BasisStartRequest) { r.Sigma = 2 }, "σ=2"},
		{"unknown net", func(r *BasisStartRequest) { r.Net = "nope" }, "nope"},
		{"bad mode", func(r *BasisStartRequest) { r.Mode = "blur" }, "blur"},
		{"bad drawing", func(r *BasisStartRequest) { r.D = "!!" }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewBasisSession(nets).Stepper()
			r := ok
			tc.edit(&r)
			_, err := s.Start(r, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if _, err := s.Step(protocol.StepRequest{}); err == nil {
				t.Error("a step after a refused start: no error")
			}
		})
	}
	if _, err := NewBasisSession(nil).Stepper().Start(ok, nil); err == nil {
		t.Error("no nets: no error")
	}

	s := NewBasisSession(nets).Stepper()
	if _, err := s.Start(ok, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Step(protocol.StepRequest{K: 2}); err != nil {
		t.Fatal(err)
	}
	for _, had := range []bool{true, false} {
		fr, err := s.Cancel(protocol.CancelRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if v := valuesOf[protocol.CancelValues](t, fr); v.Cancelled != had || fr.Scene != protocol.BasisScene {
			t.Errorf("cancel: %+v in scene %q, want cancelled %v", v, fr.Scene, had)
		}
	}
	if _, err := s.Step(protocol.StepRequest{}); err == nil {
		t.Error("a step after cancel: no error")
	}
}

// TestBasisOps serves the basis operations through the engine's registry.
func TestBasisOps(t *testing.T) {
	reg, err := NewEngine(Sources{Nets: weights.Denoiser})
	if err != nil {
		t.Fatal(err)
	}
	start := `{"op":"basis_start","basis_start":{"mode":"boundary","bg":1,"sigma":0.1,"net":"drawing","k":2,"krylov":6}}`
	for _, env := range []string{start, `{"op":"basis_step","basis_step":{"k":3}}`, `{"op":"basis_cancel"}`} {
		fr, err := reg.Serve([]byte(env), nil)
		if err != nil {
			t.Fatalf("%s: %v", env, err)
		}
		if fr.Scene != protocol.BasisScene {
			t.Errorf("%s: scene %q", env, fr.Scene)
		}
	}
	if _, err := reg.Serve([]byte(`{"op":"basis_step"}`), nil); err == nil {
		t.Error("step after cancel: no error")
	}
}

// TestBasisTiles checks the layout of the tiles and the colour of zero.
func TestBasisTiles(t *testing.T) {
	for _, tc := range []struct{ k, cols int }{{1, 1}, {2, 2}, {4, 2}, {5, 3}, {9, 3}, {10, 4}, {32, 6}, {64, 8}} {
		if c := basisCols(tc.k); c != tc.cols {
			t.Errorf("basisCols(%d) = %d, want %d", tc.k, c, tc.cols)
		}
	}
	const side = 4
	vs := [][]float64{make([]float64, side*side), make([]float64, side*side), make([]float64, side*side)}
	vs[0][5] = 2
	vs[1][0] = -0.5
	fr := NewFrames("test", nil)
	if err := addBasisTiles(fr, "tiles", vs, side, 2); err != nil {
		t.Fatal(err)
	}
	im, b, _ := fr.Image("tiles")
	if im.W != 2*side || im.H != 2*side {
		t.Fatalf("tiles %d×%d", im.W, im.H)
	}
	px := func(x, y int) []byte { return b[4*(y*im.W+x) : 4*(y*im.W+x)+4] }
	white := px(side+1, side+1) // the empty cell
	if !bytes.Equal(px(0, 0), white) || !bytes.Equal(px(1, side), white) {
		t.Error("zero is not the colour of the empty cell")
	}
	if bytes.Equal(px(1, 1), white) || bytes.Equal(px(side, 0), white) || bytes.Equal(px(1, 1), px(side, 0)) {
		t.Error("the extremes ±max|e| are not the colormap's ends")
	}
	if err := addBasisTiles(fr, "bad", [][]float64{{1}}, side, 1); err == nil {
		t.Error("a tile of the wrong size: no error")
	}
}
