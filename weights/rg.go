package weights

import (
	"bytes"
	"fmt"
	"io/fs"

	"scalewise/engine/rg"
)

// rgModelFile is the file of the shipped RG model of the L×L φ⁴ lattice.
func rgModelFile(l int) string { return fmt.Sprintf("rg-phi4-L%d.json", l) }

// RGModel loads the shipped wavelet-conditional RG model of critical φ⁴
// (β = 0.68) on an L×L lattice, fitted by `scalewise rg fit` (see the
// manifest for the command, data and measured validation metrics).
func RGModel(l int) (*rg.Model, error) {
	b, err := files.ReadFile(rgModelFile(l))
	if err != nil {
		return nil, fmt.Errorf("weights: no RG model for L = %d (have %v)", l, RGSides())
	}
	m, err := rg.ReadModel(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("weights %s: %w", rgModelFile(l), err)
	}
	if m.L != l {
		return nil, fmt.Errorf("weights %s: a model of L = %d", rgModelFile(l), m.L)
	}
	return m, nil
}

// RGSides lists the lattice sides with a shipped RG model.
func RGSides() []int {
	var out []int
	for l := 8; l <= 256; l *= 2 {
		if _, err := fs.Stat(files, rgModelFile(l)); err == nil {
			out = append(out, l)
		}
	}
	return out
}
