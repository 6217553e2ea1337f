package compute

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"scalewise/assets"
	"scalewise/engine/field"
	"scalewise/engine/wavelet"
	"scalewise/ui/protocol"
)

func TestScalesFrames(t *testing.T) {
	for _, tc := range []ScalesRequest{
		{Image: "calpha", Seed: 1, Alpha: 2, Method: "code", Size: 64, Wavelet: "db4", J: 4},
		{Image: "calpha", Seed: 9, Alpha: 1, Method: "paper", Size: 32, Wavelet: "haar", J: 5},
		{Image: "mnist", Seed: 17, Wavelet: "db2", J: 3},
	} {
		t.Run(fmt.Sprintf("%s-%s-J%d", tc.Image, tc.Wavelet, tc.J), func(t *testing.T) {
			var calls, last int
			fr, err := Scales(tc, assets.MNISTDigits, func(done, total int, stage string) {
				calls++
				if done <= last || done > total {
					t.Errorf("progress %d/%d after %d", done, total, last)
				}
				last = done
			})
			if err != nil {
				t.Fatal(err)
			}
			if calls == 0 {
				t.Error("no progress reported")
			}
			if e := valuesOf[protocol.ScalesValues](t, fr).ReconRelErr; e > 1e-12 {
				t.Errorf("reconstruction error %g > 1e-12", e)
			}
			if e := valuesOf[protocol.ScalesValues](t, fr).EnergyRelErr; e > 1e-12 {
				t.Errorf("energy error %g > 1e-12", e)
			}
			share := valuesOf[protocol.ScalesValues](t, fr).ApproxShare
			for _, s := range valuesOf[protocol.ScalesValues](t, fr).DetailShare {
				share += s
			}
			if share < 1-1e-9 || share > 1+1e-9 {
				t.Errorf("energy shares sum to %v, want 1 (orthogonality)", share)
			}
			n := valuesOf[protocol.ScalesValues](t, fr).N
			want := []string{"x", "mallat"}
			for j := 0; j <= tc.J; j++ {
				want = append(want, fmt.Sprintf("proj/%d", j), fmt.Sprintf("coef/%d", j), fmt.Sprintf("fourier/%d", j))
				if j > 0 {
					want = append(want, fmt.Sprintf("H/%d", j), fmt.Sprintf("V/%d", j), fmt.Sprintf("D/%d", j))
				}
			}
			for _, name := range want {
				im, rgba, ok := fr.Image(name)
				if !ok {
					t.Fatalf("frame %s missing", name)
				}
				if len(rgba) != 4*im.W*im.H {
					t.Fatalf("frame %s: %d bytes for %dx%d", name, len(rgba), im.W, im.H)
				}
				if strings.HasPrefix(name, "coef/") {
					var j int
					fmt.Sscanf(name, "coef/%d", &j)
					if im.W != n>>j {
						t.Errorf("%s is %d wide, want %d", name, im.W, n>>j)
					}
				}
			}
			// The header and buffer survive the trip to the page.
			hdr, err := fr.Header()
			if err != nil {
				t.Fatal(err)
			}
			var back struct {
				Images []Image `json:"images"`
			}
			if err := json.Unmarshal(hdr, &back); err != nil {
				t.Fatal(err)
			}
			_, a, ok1 := protocol.Lookup(back.Images, fr.Bytes(), "proj/0")
			_, b, ok2 := fr.Image("x")
			if !ok1 || !ok2 || !bytes.Equal(a, b) {
				t.Error("P_{V_0} x is not rendered identically to x")
			}
		})
	}
}

func TestScalesProjectionCoarsens(t *testing.T) {
	// Each coarser projection loses detail energy: ‖P_{V_j}x‖ decreases in j.
	req := ScalesRequest{Image: "calpha", Seed: 4, Alpha: 2, Method: "code", Size: 64, Wavelet: "db4", J: 5}
	fr, err := Scales(req, assets.MNISTDigits, nil)
	if err != nil {
		t.Fatal(err)
	}
	shares := valuesOf[protocol.ScalesValues](t, fr).DetailShare
	for j := 1; j <= req.J; j++ {
		if shares[j] <= 0 {
			t.Errorf("scale %d has no detail energy", j)
		}
	}
	_, p0, _ := fr.Image("proj/0")
	_, p3, _ := fr.Image("proj/3")
	if bytes.Equal(p0, p3) {
		t.Error("x_3 at full size is identical to x")
	}
}

func TestScalesRejectsBadRequests(t *testing.T) {
	ok := ScalesRequest{Image: "calpha", Seed: 1, Alpha: 2, Method: "code", Size: 64, Wavelet: "db4", J: 3}
	for _, tc := range []struct {
		name string
		edit func(r *ScalesRequest)
		want string
	}{
		{"image", func(r *ScalesRequest) { r.Image = "cat" }, "unknown image"},
		{"size", func(r *ScalesRequest) { r.Size = 100 }, "size 100"},
		{"alpha", func(r *ScalesRequest) { r.Alpha = 9 }, "alpha"},
		{"method", func(r *ScalesRequest) { r.Method = "magic" }, "magic"},
		{"wavelet", func(r *ScalesRequest) { r.Wavelet = "db99" }, "db99"},
		{"J too large", func(r *ScalesRequest) { r.J = 7 }, "J=7"},
		{"J zero", func(r *ScalesRequest) { r.J = 0 }, "J=0"},
		{"mnist J", func(r *ScalesRequest) { r.Image, r.J = "mnist", 6 }, "J=6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ok
			tc.edit(&r)
			_, err := Scales(r, assets.MNISTDigits, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestMallatRGBAMatchesLayout(t *testing.T) {
	// Every pixel of the rendered layout lies in the block whose
	// coefficient the engine's Mallat layout puts there: check by rendering
	// the layout of a pyramid whose coefficients encode their own band.
	w, _ := wavelet.ByName("haar")
	x := field.New(32, 32)
	p, err := wavelet.Decompose(w, x, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Mark each detail band with a sign: H = -1, V = +1, D = +0.5; x_J = 7.
	for j := 1; j <= 3; j++ {
		for b, v := range []float64{-1, 1, 0.5} {
			for i := range p.Details[j][b].Data {
				p.Details[j][b].Data[i] = v
			}
		}
	}
	for i := range p.Approx[3].Data {
		p.Approx[3].Data[i] = 7
	}
	m := p.Mallat()
	limits := []float64{1, 1, 1, 1}
	rgba, err := MallatRGBA(p, 0, 1, limits)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range m.Data {
		r, g, b := rgba[4*i], rgba[4*i+1], rgba[4*i+2]
		switch v {
		case -1: // blue side of the diverging map
			if b <= r {
				t.Fatalf("pixel %d holds H (-1) but is not blue: %d %d %d", i, r, g, b)
			}
		case 1, 0.5: // red side
			if r <= b {
				t.Fatalf("pixel %d holds %v but is not red: %d %d %d", i, v, r, g, b)
			}
		case 7: // gray
			if r != g || g != b {
				t.Fatalf("pixel %d holds x_J but is not gray: %d %d %d", i, r, g, b)
			}
		}
	}
}

func TestFourierRGBAHighlightsScale(t *testing.T) {
	w, _ := wavelet.ByName("db4")
	bm, err := wavelet.BandSpectrum(w, 64, 4)
	if err != nil {
		t.Fatal(err)
	}
	lum := func(img []byte, px, py int) int {
		o := 4 * (py*64 + px)
		return int(img[o]) + int(img[o+1]) + int(img[o+2])
	}
	// Near Nyquist (a corner of the shifted plane) lives level 1: bright at
	// j = 1, dark at j = 3 where x_3 has dropped it.
	at1, at3 := FourierRGBA(bm, 1), FourierRGBA(bm, 3)
	if lum(at1, 1, 1) <= 2*lum(at3, 1, 1) {
		t.Errorf("level-1 corner: luminance %d at j=1 vs %d at j=3", lum(at1, 1, 1), lum(at3, 1, 1))
	}
	// The centre (low frequencies, kept by x_3) is not darkened at j = 3.
	if lum(at3, 32, 32) < lum(at1, 32, 32) {
		t.Errorf("centre darker at j=3 (%d) than at j=1 (%d)", lum(at3, 32, 32), lum(at1, 32, 32))
	}
}

// BenchmarkScales times the whole Scales scene at 128², db4, J = 4 (every
// panel), as the page asks for it.
func BenchmarkScales(b *testing.B) {
	req := ScalesRequest{Image: "calpha", Seed: 1, Alpha: 2, Method: "code", Size: 128, Wavelet: "db4", J: 4}
	for b.Loop() {
		if _, err := Scales(req, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}
