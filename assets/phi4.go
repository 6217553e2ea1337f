package assets

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"

	"scalewise/engine/field"
)

//go:embed phi4-L*.npy
var phi4Files embed.FS

// Phi4Samples returns the shipped ground-truth samples of the lattice φ⁴
// theory at β = 0.68 on an L×L periodic lattice (decorrelated, spacing
// 2τ_int: Fourier-accelerated HMC at L = 32 and 64, the embedded-Ising
// cluster sampler at L = 128; see engine/phi4 and `make data`): 256 at
// L = 32 (enough for the page's "Fit from data"), a few at L = 64 and 128
// for display. It fails for a side that is not shipped.
func Phi4Samples(l int) ([]*field.Field, error) {
	name := fmt.Sprintf("phi4-L%d.npy", l)
	b, err := phi4Files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("assets: no φ⁴ samples for L = %d (have %v)", l, Phi4Sides())
	}
	return squareStack(name, b, l)
}

// Phi4Sides lists the lattice sides L with shipped φ⁴ samples.
func Phi4Sides() []int {
	var out []int
	for _, l := range []int{8, 16, 32, 64, 128, 256} {
		if _, err := fs.Stat(phi4Files, fmt.Sprintf("phi4-L%d.npy", l)); err == nil {
			out = append(out, l)
		}
	}
	return out
}

// squareStack decodes the embedded .npy stack name (bytes b) and checks
// that it holds at least one n×n field.
func squareStack(name string, b []byte, n int) ([]*field.Field, error) {
	arr, err := field.ReadArray(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("assets: %s: %w", name, err)
	}
	fs, err := arr.Fields()
	if err != nil {
		return nil, fmt.Errorf("assets: %s: %w", name, err)
	}
	if len(fs) == 0 || fs[0].W != n || fs[0].H != n {
		return nil, fmt.Errorf("assets: %s does not hold %d×%d fields", name, n, n)
	}
	return fs, nil
}
