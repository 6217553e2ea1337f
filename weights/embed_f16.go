//go:build pagef16

package weights

import "embed"

// files holds the shipped weights as the page's worker embeds them (make
// dist builds it with -tags pagef16): the denoisers as their float16
// copies in f16/ (make weights-f16), half the bytes, at a measured PSNR
// cost under 0.05 dB (f16_test.go); everything else as in embed.go.
//
//go:embed manifest.json f16/*.safetensors rg-*.json rate-calpha*.json
var files embed.FS

// denoiserDir is the folder of the embedded denoisers within files.
const denoiserDir = "f16/"
