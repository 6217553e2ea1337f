// Package assets holds the small data files that the page ships inside its
// wasm: today a sprite of MNIST test digits (regenerate with `make assets`).
package assets

import (
	_ "embed"
	"io"
	"strings"
)

//go:embed mnist-digits.bin
var mnistDigits string

// MNISTDigits returns a reader over the embedded digit sprite
// (format: engine/data.DecodeSprite): 10 test digits of each class, 32×32.
func MNISTDigits() io.Reader { return strings.NewReader(mnistDigits) }
