package main

import (
	"fmt"

	"scalewise/engine/data"
	"scalewise/engine/denoise"
)

// openDataset returns the denoising dataset kind: the generated calpha and
// drawing images (denoise.ParseDataset), or an MNIST training subset
// (subset s1 or s2 of n digits, 32×32), read from the GoMNIST module's data
// folder in the module cache.
func openDataset(kind string, alpha float64, size int, subset string, n int) (denoise.Dataset, error) {
	if kind != "mnist" {
		return denoise.ParseDataset(kind, alpha, size)
	}
	if size != data.MNISTSize {
		return denoise.Dataset{}, fmt.Errorf("--size %d: MNIST digits are %d×%d", size, data.MNISTSize, data.MNISTSize)
	}
	if n < 1 || n > denoise.MNISTMaxSubset {
		return denoise.Dataset{}, fmt.Errorf("--n %d: an MNIST subset holds 1 to %d digits", n, denoise.MNISTMaxSubset)
	}
	if subset != denoise.MNISTSubsetS1 && subset != denoise.MNISTSubsetS2 {
		return denoise.Dataset{}, fmt.Errorf("--subset %q: want %s or %s", subset, denoise.MNISTSubsetS1, denoise.MNISTSubsetS2)
	}
	dir, err := data.MNISTDataDir()
	if err != nil {
		return denoise.Dataset{}, err
	}
	train, test, err := data.LoadMNIST(dir)
	if err != nil {
		return denoise.Dataset{}, err
	}
	return denoise.NewMNISTDataset(train, test, subset, n)
}
