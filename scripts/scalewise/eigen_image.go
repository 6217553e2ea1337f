package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"scalewise/engine/field"
)

// maxEigenSide bounds the height and width of eigen --image.
const maxEigenSide = 256

// readEigenImage reads a clean image with values in [0, 1]: a .npy array of
// shape (H, W) or (1, H, W), or a .png read as grey (luminance
// 0.299R + 0.587G + 0.114B, 16-bit, divided by 65535). Its sides must be
// positive multiples of multiple, at most maxEigenSide.
func readEigenImage(path string, multiple int) (*field.Field, error) {
	var x *field.Field
	var err error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npy":
		x, err = field.ReadNPYFile(path)
	case ".png":
		x, err = readGreyPNG(path)
	default:
		return nil, fmt.Errorf("--image %q must end in .npy or .png", path)
	}
	if err != nil {
		return nil, err
	}
	if err := checkEigenSize(path, x.W, x.H, multiple); err != nil {
		return nil, err
	}
	for i, v := range x.Data {
		if !isFinite(v) || v < 0 || v > 1 {
			return nil, fmt.Errorf("%s: value %v at row %d, column %d is outside [0, 1] (the nets denoise intensities in [0, 1])", path, v, i/x.W, i%x.W)
		}
	}
	return x, nil
}

// checkEigenSize returns an error unless w and h are positive multiples of
// multiple, at most maxEigenSide.
func checkEigenSize(path string, w, h, multiple int) error {
	if w < multiple || h < multiple || w > maxEigenSide || h > maxEigenSide || w%multiple != 0 || h%multiple != 0 {
		return fmt.Errorf("%s: a %d×%d image; the net takes sides that are multiples of %d, up to %d", path, w, h, multiple, maxEigenSide)
	}
	return nil
}

// readGreyPNG decodes a PNG as a grey field in [0, 1], checking its size
// before decoding the pixels.
func readGreyPNG(path string) (*field.Field, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if cfg.Width > maxEigenSide || cfg.Height > maxEigenSide {
		return nil, fmt.Errorf("%s: a %d×%d image, larger than %d×%d", path, cfg.Width, cfg.Height, maxEigenSide, maxEigenSide)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, err
	}
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return greyField(img), nil
}

// greyField converts img to a field of its 16-bit luminance in [0, 1].
func greyField(img image.Image) *field.Field {
	b := img.Bounds()
	x := field.New(b.Dx(), b.Dy())
	for r := 0; r < b.Dy(); r++ {
		for c := 0; c < b.Dx(); c++ {
			g := color.Gray16Model.Convert(img.At(b.Min.X+c, b.Min.Y+r)).(color.Gray16)
			x.Data[r*x.W+c] = float64(g.Y) / 0xffff
		}
	}
	return x
}
