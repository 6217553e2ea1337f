// Package weights holds the networks we trained ourselves (make weights)
// and their manifest, embedded so that the page and the CLI ship them.
package weights

import (
	"embed"
	"fmt"
	"sort"
	"strings"

	"scalewise/engine/nn"
)

//go:embed manifest.json *.safetensors
var files embed.FS

// denoisers maps the short names the page uses to the weight files.
var denoisers = map[string]string{
	"drawing": "denoiser-drawing.safetensors",
	"calpha1": "denoiser-calpha1.safetensors",
	"calpha2": "denoiser-calpha2.safetensors",
	"calpha4": "denoiser-calpha4.safetensors",
}

// DenoiserNames lists the short names of the shipped denoisers.
func DenoiserNames() []string {
	var out []string
	for k := range denoisers {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Denoiser loads the shipped denoiser called name ("drawing", "calpha1",
// "calpha2" or "calpha4") and its metadata.
func Denoiser(name string) (*nn.UNet, map[string]string, error) {
	file, ok := denoisers[name]
	if !ok {
		return nil, nil, fmt.Errorf("weights: no denoiser %q (have %s)", name, strings.Join(DenoiserNames(), ", "))
	}
	f, err := files.Open(file)
	if err != nil {
		return nil, nil, fmt.Errorf("weights: %w", err)
	}
	defer f.Close()
	u, md, err := nn.LoadUNet(f)
	if err != nil {
		return nil, nil, fmt.Errorf("weights %s: %w", file, err)
	}
	return u, md, nil
}

// Manifest returns the embedded manifest.
func Manifest() (*nn.Manifest, error) {
	b, err := files.ReadFile("manifest.json")
	if err != nil {
		return nil, err
	}
	return nn.ParseManifest(b)
}

// File returns the bytes of an embedded file.
func File(name string) ([]byte, error) { return files.ReadFile(name) }
