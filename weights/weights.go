// Package weights holds the networks we trained ourselves (make weights)
// and their manifest, embedded so that the page and the CLI ship them.
package weights

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"scalewise/engine/nn"
)

// denoiserFile is the file of the denoiser with short name name (the page
// offers "drawing", "calpha1", "calpha2" and "calpha4").
func denoiserFile(name string) string { return "denoiser-" + name + ".safetensors" }

// DenoiserNames lists the short names of the shipped denoisers: the
// manifest's unet-denoiser entries.
func DenoiserNames() []string {
	m, err := Manifest()
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range m.Entries {
		if e.Kind == "unet-denoiser" && strings.HasPrefix(e.File, "denoiser-") && strings.HasSuffix(e.File, ".safetensors") {
			out = append(out, strings.TrimSuffix(strings.TrimPrefix(e.File, "denoiser-"), ".safetensors"))
		}
	}
	sort.Strings(out)
	return out
}

// Denoiser loads the shipped denoiser called name and its metadata.
func Denoiser(name string) (*nn.UNet, map[string]string, error) {
	file := denoiserDir + denoiserFile(name)
	if !slices.Contains(DenoiserNames(), name) {
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
