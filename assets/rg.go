package assets

import (
	_ "embed"

	"scalewise/engine/field"
)

//go:embed rg-turbulence-L64-heldout.npy
var rgTurbulenceHeldOut []byte

// RGTurbulenceHeldOut returns the held-out 64×64 turbulence vorticity
// snapshots that the Renormalise scene compares its turbulence samples
// with: the first 16 of the held-out half of make data's
// data/turbulence-64-n512.npy (snapshots 256…271, an independent run from
// the 256 the shipped model was fitted on), each standardised to mean 0
// and variance 1 as the fit sees them; made by
// `scalewise assets --rg-heldout data/turbulence-64-n512.npy`.
func RGTurbulenceHeldOut() ([]*field.Field, error) {
	return squareStack("rg-turbulence-L64-heldout.npy", rgTurbulenceHeldOut, 64)
}
