package compute

import (
	"errors"
	"math"
	"scalewise/ui/strokes"
	"strings"
	"testing"

	"scalewise/engine/nn"
	"scalewise/ui/protocol"
)

// testNets loads a small untrained bias-free U-Net under any name but "missing".
func testNets() *Nets {
	return NewNets(func(name string) (*nn.UNet, map[string]string, error) {
		if name == "missing" {
			return nil, nil, errors.New("no such net")
		}
		u, err := nn.NewUNet(nn.UNetConfig{Blocks: 2, Base: 4}, 1)
		return u, map[string]string{"steps": "0", "data": "none"}, err
	})
}

func TestDenoiseFrames(t *testing.T) {
	ex, _ := strokes.Example(0, 0, DrawCanvas)
	code, err := strokes.Encode(ex, DrawCanvas)
	if err != nil {
		t.Fatal(err)
	}
	nets := testNets()
	for _, tc := range []DenoiseRequest{
		{D: code, Mode: "boundary", BG: 1, Sigma: 0.1, NSeed: 1, Net: "drawing"},
		{D: code, Mode: "stroke", Width: 3, BG: 2, Sigma: 0.3, NSeed: 2, Net: "calpha2"},
		{D: "", Mode: "boundary", BG: 3, Sigma: 0, NSeed: 3, Net: "drawing"},
	} {
		fr, err := Denoise(tc, nets)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"clean", "noisy", "denoised", "residual"} {
			im, _, ok := fr.Image(name)
			if !ok || im.W != DrawCanvas || im.H != DrawCanvas {
				t.Fatalf("panel %s missing or of the wrong size", name)
			}
		}
		v := valuesOf[protocol.DenoiseValues](t, fr)
		in, out := v.PSNRIn, v.PSNROut
		if math.IsNaN(in) || math.IsInf(in, 0) || math.IsNaN(out) || math.IsInf(out, 0) {
			t.Errorf("PSNRs must be finite numbers for JSON: %v %v", in, out)
		}
		if tc.Sigma == 0 && in != 100 {
			t.Errorf("σ=0: input PSNR %v, want the 100 dB cap", in)
		}
		if tc.Sigma > 0 && math.Abs(in-(-20*math.Log10(tc.Sigma))) > 1 {
			t.Errorf("σ=%v: input PSNR %.2f far from −20 log10 σ", tc.Sigma, in)
		}
		if _, err := fr.Header(); err != nil {
			t.Errorf("header does not encode: %v", err)
		}
	}
	// The drawing shows: the clean panel with the blob differs from the
	// one without.
	a, _ := Denoise(DenoiseRequest{D: code, Mode: "boundary", BG: 1, Sigma: 0.1, Net: "drawing"}, nets)
	b, _ := Denoise(DenoiseRequest{Mode: "boundary", BG: 1, Sigma: 0.1, Net: "drawing"}, nets)
	_, pa, _ := a.Image("clean")
	_, pb, _ := b.Image("clean")
	if string(pa) == string(pb) {
		t.Error("the drawing does not change the clean image")
	}
}

func TestDenoiseRejectsBadRequests(t *testing.T) {
	nets := testNets()
	ok := DenoiseRequest{Mode: "boundary", BG: 1, Sigma: 0.1, Net: "drawing"}
	for _, tc := range []struct {
		name string
		edit func(r *DenoiseRequest)
		want string
	}{
		{"drawing code", func(r *DenoiseRequest) { r.D = "!!" }, "strokes"},
		{"mode", func(r *DenoiseRequest) { r.Mode = "spray" }, "spray"},
		{"sigma", func(r *DenoiseRequest) { r.Sigma = 2 }, "σ"},
		{"NaN sigma", func(r *DenoiseRequest) { r.Sigma = math.NaN() }, "σ"},
		{"net", func(r *DenoiseRequest) { r.Net = "missing" }, "no such net"},
		{"width", func(r *DenoiseRequest) { r.Mode, r.Width = "stroke", -1 }, "width"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ok
			tc.edit(&r)
			if _, err := Denoise(r, nets); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestDrawingStrokesClosesLoops(t *testing.T) {
	ex, _ := strokes.Example(0, 0, DrawCanvas) // ends where it starts
	wave, _ := strokes.Example(1, 0, DrawCanvas)
	s := DrawingStrokes(append(ex, wave...))
	if len(s) != 2 || !s[0].Closed || s[1].Closed {
		t.Errorf("closed flags: %+v", []bool{s[0].Closed, s[1].Closed})
	}
}
