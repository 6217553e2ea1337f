package weights

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"scalewise/assets"
	"scalewise/engine/data"
	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/nn"
)

// halfMaxLossDB is the largest PSNR loss, in dB at any noise level, that
// float16 storage may cost a net of the sweep (scalewise half --max-loss
// has the same default).
const halfMaxLossDB = 0.05

// halfDigits are the MNIST test digits of the embedded sprite on which the
// float16 copies are measured: 16 of its 100, spread over the classes.
const halfDigits = 16

// denoiseBatch returns the net's estimates x̂ = y − f(y) of the noisy images
// ys (all the same size), as one batch.
func denoiseBatch(u *nn.UNet, ys []*field.Field) ([]*field.Field, error) {
	w, h := ys[0].W, ys[0].H
	t := nn.NewTensor(len(ys), 1, h, w)
	for k, y := range ys {
		for p, v := range y.Data {
			t.Data[k*w*h+p] = float32(v)
		}
	}
	r := nn.NewTensor(len(ys), 1, h, w)
	if err := u.Residual(r, t); err != nil {
		return nil, err
	}
	out := make([]*field.Field, len(ys))
	for k := range ys {
		out[k] = field.New(w, h)
		for p := range out[k].Data {
			out[k].Data[p] = float64(t.Data[k*w*h+p] - r.Data[k*w*h+p])
		}
	}
	return out, nil
}

// meanPSNR returns the mean PSNR of the net's estimates of clean from noisy.
func meanPSNR(u *nn.UNet, clean, noisy []*field.Field) (float64, error) {
	den, err := denoiseBatch(u, noisy)
	if err != nil {
		return 0, err
	}
	var sum float64
	for i := range clean {
		p, err := denoise.PSNR(clean[i], den[i])
		if err != nil {
			return 0, err
		}
		sum += p
	}
	return sum / float64(len(clean)), nil
}

// The page downloads the sweep's nets as float16 (scripts/mkdist converts
// them with nn.SafetensorsToF16): for every net of the sweep's manifest,
// the float16 copy denoises 16 MNIST test digits at σ = 0.05 and 0.2 within
// halfMaxLossDB of the float32 original (mean PSNR over the same noisy
// images). Natively it takes about a second with 13 nets (~3 s with all
// 24); in wasm it measures one net of each size.
func TestSweepHalfPSNRLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("denoises MNIST digits with every net of the sweep, in float32 and float16")
	}
	m, err := nn.ReadManifest("generalisation/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Entries) == 0 {
		t.Skip("no generalisation nets have landed yet")
	}
	sp, err := data.DecodeSprite(assets.MNISTDigits())
	if err != nil {
		t.Fatal(err)
	}
	sigmas := []float64{0.05, 0.2}
	clean := make([]*field.Field, halfDigits)
	noisy := make([][]*field.Field, len(sigmas))
	for i := range clean {
		if clean[i], _, err = sp.Digit(i * sp.N / halfDigits); err != nil {
			t.Fatal(err)
		}
		for k, s := range sigmas {
			noisy[k] = append(noisy[k], denoise.AddNoise(clean[i], s, uint64(1000*k+i)))
		}
	}
	// In wasm (make test-wasm, under Node) a large net takes ~3 s here,
	// so all 24 would take about a minute: there, one net of each size is
	// measured. The float16 bits are the same on every platform, and the
	// conversion is tested on both in engine/nn.
	sizes := map[int]bool{}
	for _, e := range m.Entries {
		if runtime.GOOS == "js" && sizes[e.Params] {
			continue
		}
		sizes[e.Params] = true
		t.Run(e.File, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("generalisation", e.File))
			if err != nil {
				t.Fatal(err)
			}
			u32, _, err := nn.LoadUNet(bytes.NewReader(src))
			if err != nil {
				t.Fatal(err)
			}
			half, err := nn.SafetensorsToF16(src)
			if err != nil {
				t.Fatal(err)
			}
			u16, md, err := nn.LoadUNet(bytes.NewReader(half))
			if err != nil {
				t.Fatal(err)
			}
			if md["dtype"] != "F16" || md["from"] != e.SHA256 {
				t.Errorf("float16 copy's metadata: dtype %q, from %q; want F16, %s", md["dtype"], md["from"], e.SHA256)
			}
			var report string
			for k, s := range sigmas {
				p32, err := meanPSNR(u32, clean, noisy[k])
				if err != nil {
					t.Fatal(err)
				}
				p16, err := meanPSNR(u16, clean, noisy[k])
				if err != nil {
					t.Fatal(err)
				}
				loss := p32 - p16
				report += fmt.Sprintf("  σ=%g: %.3f → %.3f dB (loss %+.4f)", s, p32, p16, loss)
				if !(math.Abs(loss) <= halfMaxLossDB) {
					t.Errorf("σ=%g: float16 loses %.4f dB (float32 %.3f dB, float16 %.3f dB), over %g dB", s, loss, p32, p16, halfMaxLossDB)
				}
			}
			t.Logf("%d → %d bytes;%s", len(src), len(half), report)
		})
	}
}
