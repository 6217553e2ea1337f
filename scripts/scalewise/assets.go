package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"scalewise/engine/data"
)

// runAssets regenerates the data files the page ships: the MNIST digit
// sprite (10 test digits per class, padded to 32×32) from the GoMNIST
// module's data files.
func runAssets(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("assets", flag.ContinueOnError)
	out := fs.String("out", "assets", "output folder")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	dir, err := data.MNISTDataDir()
	if err != nil {
		return err
	}
	_, test, err := data.LoadMNIST(dir)
	if err != nil {
		return err
	}
	s, err := data.MakeSprite(test, 10)
	if err != nil {
		return err
	}
	path := filepath.Join(*out, "mnist-digits.bin")
	if err := data.WriteSpriteFile(path, s); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d digits of %d×%d\n", path, s.N, s.Size, s.Size)
	return nil
}
