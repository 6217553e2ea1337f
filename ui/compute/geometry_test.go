package compute

import (
	"math"
	"os"
	"strings"
	"testing"

	"scalewise/engine/basis"
	"scalewise/engine/denoise"
	"scalewise/engine/nn"
	"scalewise/ui/protocol"
	"scalewise/weights"
)

// stepGeometry steps s until its run is done and returns the done frames.
func stepGeometry(t *testing.T, s *Stepped[GeometryStartRequest]) *Frames {
	t.Helper()
	for range 100000 {
		fr, err := s.Step(protocol.StepRequest{MaxMs: 200})
		if err != nil {
			t.Fatal(err)
		}
		if v := valuesOf[protocol.GeometryValues](t, fr); v.Done {
			return fr
		}
	}
	t.Fatal("the analysis never finished")
	return nil
}

// TestGeometryCAlphaBasis runs the analysis of a held-out C^α image with
// the α = 2 net and checks it against a direct Lanczos of the same
// Jacobian: the same eigenvalues, the images, the slot and PSNRs.
func TestGeometryCAlphaBasis(t *testing.T) {
	s := NewGeometrySession(NewNets(weights.Denoiser), nil, nil)
	req := GeometryStartRequest{Slot: "b", Image: "calpha", Alpha: 2, Seed: 3, Net: "calpha2", Sigma: 0.1, NSeed: 5, K: 4, LanczosSeed: 1}
	fr, err := s.Stepper().Start(req, func(int, int, string) {})
	if err != nil {
		t.Fatal(err)
	}
	if v := valuesOf[protocol.GeometryValues](t, fr); v.Kind != protocol.KindStart || v.Slot != "b" || v.Size != 32 || v.K != 4 {
		t.Fatalf("start values %+v", v)
	}
	fr = stepGeometry(t, s.Stepper())
	v := valuesOf[protocol.GeometryValues](t, fr)
	if v.Slot != "b" || v.Image != "calpha" || v.Alpha != 2 || v.Net != "calpha2" || v.Sigma != 0.1 {
		t.Fatalf("done values %+v", v)
	}
	if v.PSNROut <= v.PSNRIn+3 {
		t.Errorf("PSNR %.2f → %.2f dB: the net should gain several dB at σ = 0.1", v.PSNRIn, v.PSNROut)
	}
	for _, name := range []string{"clean", "noisy", "denoised", "tiles"} {
		if _, _, ok := fr.Image(name); !ok {
			t.Errorf("no image %s", name)
		}
	}
	// The oracle: Lanczos on the same Jacobian, run to the end.
	x, err := geometryImage(req)
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := weights.Denoiser("calpha2")
	if err != nil {
		t.Fatal(err)
	}
	y := denoise.AddNoise(x, req.Sigma, req.NSeed)
	j, err := basis.NewNetJacobian(u, y.Data, 32, 32)
	if err != nil {
		t.Fatal(err)
	}
	e, err := basis.Lanczos(t.Context(), basis.SymmetricPart(j), 4, basis.LanczosOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	lam := seriesOf(t, fr, "eigenvalues")
	for i, l := range e.Values {
		if math.Abs(float64(lam[i])-l) > 1e-4*math.Abs(l) {
			t.Errorf("λ_%d = %g, direct Lanczos %g", i+1, lam[i], l)
		}
	}
}

// TestGeometryMNISTDigit analyses a digit the page sends with a sweep net
// it put: the digit lands padded and scaled, the net comes from the blob.
func TestGeometryMNISTDigit(t *testing.T) {
	data, err := os.ReadFile("../../weights/generalisation/mnist-small-s1-n1000.safetensors")
	if err != nil {
		t.Skip("no sweep net:", err)
	}
	blobs := NewBlobs(0)
	if err := blobs.Store(protocol.BlobNetPrefix+"mnist-small-s1-n1000.safetensors", data); err != nil {
		t.Fatal(err)
	}
	digit := make([]int, 28*28)
	for i := range digit {
		r, c := i/28, i%28
		if c >= 12 && c <= 15 && r >= 4 && r <= 23 {
			digit[i] = 255 // a "1"
		}
	}
	s := NewGeometrySession(nil, blobs, nil)
	req := GeometryStartRequest{Slot: "a", Image: "mnist", Digit: digit, DigitIndex: 7, Net: "mnist-small-s1-n1000", Sigma: 0.2, K: 4, LanczosSeed: 1}
	if _, err := s.Stepper().Start(req, func(int, int, string) {}); err != nil {
		t.Fatal(err)
	}
	fr := stepGeometry(t, s.Stepper())
	v := valuesOf[protocol.GeometryValues](t, fr)
	if v.Size != 32 || v.DigitIndex != 7 || v.Image != "mnist" || v.Params == 0 {
		t.Fatalf("values %+v", v)
	}
	x, err := geometryImage(req)
	if err != nil {
		t.Fatal(err)
	}
	if x.Data[2*32+2] != 0 || x.Data[(4+2)*32+12+2] != 1 {
		t.Errorf("the digit is not padded by 2 and scaled to [0, 1]")
	}
	u, _, err := nn.LoadUNet(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	if v.Params != u.NumParams() {
		t.Errorf("%d parameters, the blob's net has %d", v.Params, u.NumParams())
	}
}

// TestGeometryBadRequests: every bad request is an error that says what
// is wrong, and leaves the previous run.
func TestGeometryBadRequests(t *testing.T) {
	s := NewGeometrySession(NewNets(weights.Denoiser), nil, nil)
	good := GeometryStartRequest{Slot: "a", Image: "calpha", Alpha: 2, Net: "calpha2", Sigma: 0.1, K: 4}
	cases := []struct {
		name string
		mod  func(*GeometryStartRequest)
		want string
	}{
		{"slot", func(r *GeometryStartRequest) { r.Slot = "c" }, "analysis"},
		{"sigma 0", func(r *GeometryStartRequest) { r.Sigma = 0 }, "σ"},
		{"sigma NaN", func(r *GeometryStartRequest) { r.Sigma = math.NaN() }, "σ"},
		{"sigma 2", func(r *GeometryStartRequest) { r.Sigma = 2 }, "σ"},
		{"k", func(r *GeometryStartRequest) { r.K = 65 }, "k=65"},
		{"image", func(r *GeometryStartRequest) { r.Image = "faces" }, "image"},
		{"alpha", func(r *GeometryStartRequest) { r.Alpha = -1 }, "α"},
		{"alpha NaN", func(r *GeometryStartRequest) { r.Alpha = math.NaN() }, "α"},
		{"size", func(r *GeometryStartRequest) { r.Size = 48 }, "size"},
		{"seed", func(r *GeometryStartRequest) { r.Seed = denoise.HeldOutSeed }, "seed"},
		{"net", func(r *GeometryStartRequest) { r.Net = "nope" }, "nope"},
		{"no net", func(r *GeometryStartRequest) { r.Net = "" }, "no net"},
		{"digit short", func(r *GeometryStartRequest) { r.Image, r.Digit = "mnist", make([]int, 10) }, "784"},
		{"digit value", func(r *GeometryStartRequest) { r.Image, r.Digit = "mnist", append(make([]int, 783), 256) }, "pixel 783"},
		{"krylov", func(r *GeometryStartRequest) { r.Krylov = 2 }, "krylov=2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := good
			c.mod(&r)
			_, err := s.Stepper().Start(r, func(int, int, string) {})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one that says %q", err, c.want)
			}
		})
	}
}

// TestGeometryRates: geom_rate carries the shipped curves, one per α, with
// the theory α/(α+1); without reports it is an error.
func TestGeometryRates(t *testing.T) {
	if _, err := NewGeometrySession(nil, nil, nil).Rates(); err == nil {
		t.Error("rates without reports: no error")
	}
	fr, err := NewGeometrySession(nil, nil, weights.RateReports).Rates()
	if err != nil {
		t.Fatal(err)
	}
	v := valuesOf[protocol.GeometryRateValues](t, fr)
	if v.Kind != protocol.KindRate || len(v.Curves) != 3 {
		t.Fatalf("%d curves, kind %q", len(v.Curves), v.Kind)
	}
	for _, c := range v.Curves {
		if math.Abs(c.Theory-c.Alpha/(c.Alpha+1)) > 1e-12 || len(c.PSNRIn) != len(c.PSNROut) || len(c.PSNRIn) < 3 || !strings.HasPrefix(c.Command, "scalewise rate") {
			t.Errorf("curve α = %g: %+v", c.Alpha, c)
		}
	}
}
