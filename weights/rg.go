package weights

import (
	"bytes"
	"fmt"
	"io/fs"
	"regexp"

	"scalewise/engine/rg"
)

// rgFieldFile is the file of the shipped RG model of a field type on an
// L×L lattice: rg-<field>-L<L>.json ("phi4", "turbulence", "calpha",
// "drawings").
func rgFieldFile(field string, l int) string { return fmt.Sprintf("rg-%s-L%d.json", field, l) }

// rgFieldName is what a field type may be called in a file name.
var rgFieldName = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// RGModel loads the shipped wavelet-conditional RG model of critical φ⁴
// (β = 0.68) on an L×L lattice, fitted by `scalewise rg fit` (see the
// manifest for the command, data and measured validation metrics).
func RGModel(l int) (*rg.Model, error) { return RGFieldModel("phi4", l) }

// RGSides lists the lattice sides with a shipped φ⁴ RG model.
func RGSides() []int { return RGFieldSides("phi4") }

// RGFieldModel loads the shipped RG model of field type field on an L×L
// lattice: "phi4" (Marchand, Ozawa, Biroli, Mallat, PRX 13, 041038
// (2023)), or "turbulence", "calpha" and "drawings", whose conditional
// factors hold scattering interactions (Lempereur and Mallat, "Hierarchic
// flows to estimate and sample high-dimensional probabilities",
// arXiv:2405.03468), fitted by `scalewise rg fit --field …`.
func RGFieldModel(field string, l int) (*rg.Model, error) {
	if !rgFieldName.MatchString(field) {
		return nil, fmt.Errorf("weights: %q is not a field type", field)
	}
	name := rgFieldFile(field, l)
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("weights: no RG model of %s for L = %d (have %v)", field, l, RGFieldSides(field))
	}
	m, err := rg.ReadModel(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("weights %s: %w", name, err)
	}
	if m.L != l {
		return nil, fmt.Errorf("weights %s: a model of L = %d", name, m.L)
	}
	return m, nil
}

// RGFieldSides lists the lattice sides with a shipped RG model of field
// type field.
func RGFieldSides(field string) []int {
	if !rgFieldName.MatchString(field) {
		return nil
	}
	var out []int
	for l := 8; l <= 256; l *= 2 {
		if _, err := fs.Stat(files, rgFieldFile(field, l)); err == nil {
			out = append(out, l)
		}
	}
	return out
}
