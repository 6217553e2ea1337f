//go:build !pagef16

package weights

import "embed"

// files holds the shipped weights: the denoisers in float32, as trained.
//
//go:embed manifest.json *.safetensors rg-*.json rate-calpha*.json
var files embed.FS

// denoiserDir is the folder of the embedded denoisers within files.
const denoiserDir = ""
