package weights

import (
	"bytes"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/nn"
)

// f16Images is the number of held-out images per noise level on which the
// float16 copies are measured.
const f16Images = 16

// The page embeds the denoisers' float16 copies (f16/, embed_f16.go): each
// is exactly nn.SafetensorsToF16 of the shipped float32 net (make
// weights-f16 writes them with scalewise half), and denoises held-out
// images of its own data at σ = 0.05 and 0.2 within halfMaxLossDB of the
// float32 net (mean PSNR over the same noisy images).
func TestDenoiserF16Copies(t *testing.T) {
	if testing.Short() {
		t.Skip("denoises held-out images with every shipped denoiser in float32 and float16")
	}
	m, err := Manifest()
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]string{}
	for _, e := range m.Entries {
		data[e.File] = e.Command
	}
	for _, name := range DenoiserNames() {
		t.Run(name, func(t *testing.T) {
			if denoiserDir != "" {
				t.Skip("built with -tags pagef16: the float32 masters are not embedded")
			}
			file := denoiserFile(name)
			master, err := files.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			half, err := os.ReadFile("f16/" + file)
			if err != nil {
				t.Fatalf("no float16 copy (make weights-f16): %v", err)
			}
			want, err := nn.SafetensorsToF16(master)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(half, want) {
				t.Fatalf("f16/%s is not the float16 conversion of %s (make weights-f16)", file, file)
			}
			u32, _, err := nn.LoadUNet(bytes.NewReader(master))
			if err != nil {
				t.Fatal(err)
			}
			u16, _, err := nn.LoadUNet(bytes.NewReader(half))
			if err != nil {
				t.Fatal(err)
			}
			ds, err := f16Dataset(data[file])
			if err != nil {
				t.Fatal(err)
			}
			for _, sigma := range []float64{0.05, 0.2} {
				var clean, noisy []*field.Field
				for i := range f16Images {
					x, err := ds.Image(denoise.HeldOutSeed + uint64(i))
					if err != nil {
						t.Fatal(err)
					}
					clean = append(clean, x)
					noisy = append(noisy, denoise.AddNoise(x, sigma, denoise.HeldOutSeed+uint64(i)+uint64(1e6*sigma)))
				}
				p32, err := meanPSNR(u32, clean, noisy)
				if err != nil {
					t.Fatal(err)
				}
				p16, err := meanPSNR(u16, clean, noisy)
				if err != nil {
					t.Fatal(err)
				}
				if loss := p32 - p16; !(math.Abs(loss) <= halfMaxLossDB) {
					t.Errorf("σ=%g: float16 loses %.4f dB (%.3f → %.3f dB), over %g dB", sigma, loss, p32, p16, halfMaxLossDB)
				}
			}
		})
	}
}

// f16Dataset returns the data a denoiser was trained on, at 32×32, from
// its training command (--data calpha --alpha A, or --data drawing).
func f16Dataset(command string) (denoise.Dataset, error) {
	f := strings.Fields(command)
	kind, alpha := "", 0.0
	for i := 0; i+1 < len(f); i++ {
		switch f[i] {
		case "--data":
			kind = f[i+1]
		case "--alpha":
			a, err := strconv.ParseFloat(f[i+1], 64)
			if err != nil {
				return denoise.Dataset{}, err
			}
			alpha = a
		}
	}
	return denoise.ParseDataset(kind, alpha, 32)
}
