package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"

	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/engine/wavelet"
)

func goVersion() string { return runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH }

// runDWT applies the periodic 2-D orthogonal wavelet transform (or its
// inverse) to a .npy field, writing the Mallat layout in the input's dtype.
func runDWT(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dwt", flag.ContinueOnError)
	name := fs.String("wavelet", "db4", "wavelet: "+strings.Join(wavelet.Names(), ", "))
	levels := fs.Int("levels", 3, "number of levels J")
	inverse := fs.Bool("inverse", false, "go back from the Mallat layout to the field")
	pos, err := parse(fs, args, stderr, 2, "IN.npy OUT.npy")
	if err != nil {
		return err
	}
	w, err := wavelet.ByName(*name)
	if err != nil {
		return err
	}
	arr, err := field.ReadArrayFile(pos[0])
	if err != nil {
		return err // already names the file
	}
	fs2, err := arr.Fields()
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	src := valuesUpTo(pos[0], arr.Data) // before the transform overwrites them
	for i, f := range fs2 {
		if err := f.CheckFinite(); err != nil {
			return fmt.Errorf("%s (field %d): %w", pos[0], i, err)
		}
		t, err := wavelet.NewTransform(w, f.W, f.H, *levels)
		if err != nil {
			return err
		}
		if *inverse {
			err = t.Inverse(f.Data, f.Data)
		} else {
			err = t.Forward(f.Data, f.Data)
		}
		if err != nil {
			return err
		}
	}
	out, err := field.StackArray(fs2)
	if err != nil {
		return err
	}
	out.Shape = arr.Shape
	// Finite input can overflow: the transform's gain is about 2 per level.
	if err := checkWritable(out.Data, arr.DType, src, "output value"); err != nil {
		return err
	}
	return field.WriteArrayFile(pos[1], out, arr.DType)
}

// runCAlpha writes a C^alpha image (Kadkhodaie et al. 2024, App. E) as .npy
// or, for a .png name, as a gray image.
func runCAlpha(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("calpha", flag.ContinueOnError)
	alpha := fs.Float64("alpha", 2, "regularity alpha in (0, 6]")
	size := fs.Int("size", 64, "image size")
	seed := fs.Uint64("seed", 1, "random seed")
	method := fs.String("method", "code", "generator: code (the authors' code) or paper (Algorithm 2)")
	pos, err := parse(fs, args, stderr, 1, "OUT.npy or OUT.png")
	if err != nil {
		return err
	}
	m, err := geometry.ParseCAlphaMethod(*method)
	if err != nil {
		return err
	}
	x, err := geometry.CAlpha(geometry.CAlphaOptions{Size: *size, Alpha: *alpha, Method: m, Seed: *seed})
	if err != nil {
		return err
	}
	if err := checkWritable(x.Data, field.Float32, fmt.Sprintf("--alpha %g --size %d", *alpha, *size), "pixel"); err != nil {
		return err
	}
	switch strings.ToLower(filepath.Ext(pos[0])) {
	case ".npy":
		return field.WriteNPYFile(pos[0], x, field.Float32)
	case ".png":
		return field.WritePNGFile(pos[0], x, field.Gray, 0, 1)
	}
	return fmt.Errorf("output %q must end in .npy or .png", pos[0])
}
