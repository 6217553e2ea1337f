package assets

import (
	"embed"
	"fmt"

	"scalewise/engine/field"
)

//go:embed turbulence-*.npy
var turbulenceFiles embed.FS

// TurbulenceSnapshots returns the shipped snapshots of stationary 2-D
// forced turbulence at n×n (n = 64 or 128): vorticity fields of
// engine/turbulence with its default parameters, spun up to a statistically
// stationary state, taken one eddy turnover apart and each standardised to
// mean 0 and variance 1 (field.Standardise); made by
// `scalewise assets --turbulence` (make assets).
func TurbulenceSnapshots(n int) ([]*field.Field, error) {
	name := fmt.Sprintf("turbulence-%d.npy", n)
	b, err := turbulenceFiles.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("assets: no turbulence snapshots at %d×%d (64 and 128 ship)", n, n)
	}
	return squareStack(name, b, n)
}
