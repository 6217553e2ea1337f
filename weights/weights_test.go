package weights

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"scalewise/engine/nn"
)

// Every shipped file is listed in the manifest with its size and hash, and
// every entry is shipped: no weight without provenance.
func TestManifestMatchesFiles(t *testing.T) {
	m, err := Manifest()
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]nn.ManifestEntry{}
	for _, e := range m.Entries {
		listed[e.File] = e
	}
	shipped, _ := fs.Glob(files, "*.safetensors")
	rgs, _ := fs.Glob(files, "rg-*.json")
	shipped = append(shipped, rgs...)
	if len(shipped) == 0 {
		t.Fatal("no weights shipped")
	}
	for _, name := range shipped {
		e, ok := listed[name]
		if !ok {
			t.Errorf("%s is not in manifest.json", name)
			continue
		}
		b, _ := files.ReadFile(name)
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != e.SHA256 || int64(len(b)) != e.Bytes {
			t.Errorf("%s does not match its manifest entry (sha256 or size)", name)
		}
		switch e.Kind {
		case "unet-denoiser":
			if !strings.HasPrefix(e.Command, "scalewise train ") || e.Steps <= 0 || e.Data == "" {
				t.Errorf("%s: incomplete provenance: %+v", name, e)
			}
		case "rg-model":
			if !strings.HasPrefix(e.Command, "scalewise rg fit ") || e.Params <= 0 || e.Data == "" || len(e.Metrics) == 0 {
				t.Errorf("%s: incomplete provenance (a fit command, data, parameters and validation metrics): %+v", name, e)
			}
		default:
			t.Errorf("%s: unknown kind %q", name, e.Kind)
		}
		delete(listed, name)
	}
	for name := range listed {
		t.Errorf("manifest lists %s, which is not shipped", name)
	}
}

// Every shipped denoiser loads, improves PSNR at every validated noise level
// (as measured by its training run), and is homogeneous of degree one.
func TestShippedDenoisers(t *testing.T) {
	m, err := Manifest()
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string]nn.ManifestEntry{}
	for _, e := range m.Entries {
		byFile[e.File] = e
	}
	if len(DenoiserNames()) == 0 {
		t.Fatal("no denoiser shipped")
	}
	if _, _, err := Denoiser("nonesuch"); err == nil {
		t.Error("an unknown denoiser loaded")
	}
	for _, name := range DenoiserNames() {
		t.Run(name, func(t *testing.T) {
			u, md, err := Denoiser(name)
			if err != nil {
				t.Fatal(err)
			}
			e := byFile[denoiserFile(name)]
			if e.Params != u.NumParams() {
				t.Errorf("manifest says %d parameters, net has %d", e.Params, u.NumParams())
			}
			for _, s := range []string{"0.02", "0.05", "0.1", "0.2", "0.4"} {
				in, out := e.Metrics["val_psnr_in_sigma_"+s], e.Metrics["val_psnr_out_sigma_"+s]
				if in == 0 || out <= in {
					t.Errorf("σ=%s: validation PSNR %.2f → %.2f dB", s, in, out)
				}
			}
			if md["data"] == "" {
				t.Error("weights metadata lacks the training data")
			}
			y := nn.NewTensor(1, 1, 64, 64)
			for i := range y.Data {
				y.Data[i] = float32(0.5 + 0.4*math.Sin(float64(i)*0.37))
			}
			ay := nn.NewTensor(1, 1, 64, 64)
			for i, v := range y.Data {
				ay.Data[i] = 3 * v
			}
			f, fa := nn.NewTensor(1, 1, 64, 64), nn.NewTensor(1, 1, 64, 64)
			if err := u.Residual(f, y); err != nil {
				t.Fatal(err)
			}
			if err := u.Residual(fa, ay); err != nil {
				t.Fatal(err)
			}
			var num, den float64
			for i := range f.Data {
				d := float64(fa.Data[i] - 3*f.Data[i])
				num += d * d
				den += float64(3*f.Data[i]) * float64(3*f.Data[i])
			}
			if math.Sqrt(num/den) > 1e-5 {
				t.Errorf("f(3y) ≠ 3f(y): relative error %.2g", math.Sqrt(num/den))
			}
		})
	}
}

// The generalisation sweep's nets (make generalisation-weights) land in
// generalisation/ with a manifest of their own: every file there is listed
// with its size and hash and a training command on an MNIST subset, and
// every entry's file is there. The folder is not embedded.
func TestGeneralisationManifest(t *testing.T) {
	m, err := nn.ReadManifest("generalisation/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Entries) == 0 {
		t.Skip("no generalisation nets have landed yet")
	}
	if err := m.Verify("generalisation"); err != nil {
		t.Error(err)
	}
	onDisk, _ := filepath.Glob("generalisation/*.safetensors")
	if len(onDisk) != len(m.Entries) {
		t.Errorf("%d nets in generalisation/, %d manifest entries", len(onDisk), len(m.Entries))
	}
	for _, e := range m.Entries {
		if !strings.Contains(e.Command, "--data mnist --subset s") || e.Extra["kernels"] == "" || e.Metrics["train_psnr_out_sigma_0.1"] == 0 {
			t.Errorf("%s: incomplete provenance: %+v", e.File, e)
		}
	}
}
