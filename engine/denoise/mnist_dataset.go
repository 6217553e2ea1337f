package denoise

import (
	"fmt"

	"scalewise/engine/data"
	"scalewise/engine/field"
)

// MNIST training subsets for the memorisation → generalisation experiment
// (Kadkhodaie, Guth, Simoncelli & Mallat, "Generalization in diffusion
// models arises from geometry-adaptive harmonic representations", ICLR
// 2024, §2.2): two nets are trained on disjoint sets S1 and S2 of N images
// each. S1 is the first N digits of the first half of the MNIST training
// set, S2 the first N digits of the second half, so the sets are disjoint
// for every N ≤ MNISTMaxSubset and nested as N grows. The 10,000 test digits
// are held out.
const (
	MNISTSubsetS1  = "s1"
	MNISTSubsetS2  = "s2"
	MNISTMaxSubset = 30000
)

// NewMNISTDataset returns the training subset subset ("s1" or "s2") of n
// digits of train (the 60,000 MNIST training digits, 32×32 in [0, 1], from
// data.LoadMNIST) with test as the held-out set. Image(seed) for seed <
// HeldOutSeed draws a digit of the subset uniformly, as a hash of the seed
// (so a training run samples with replacement, reproducibly); for seed ≥
// HeldOutSeed it returns test digit (seed − HeldOutSeed) mod len(test).
func NewMNISTDataset(train, test *data.Digits, subset string, n int) (Dataset, error) {
	d := Dataset{Kind: "mnist", Size: data.MNISTSize, Subset: subset, N: n}
	if train == nil || test == nil || train.Len() < 2*MNISTMaxSubset || test.Len() == 0 {
		return d, fmt.Errorf("dataset: MNIST needs the %d training digits and the test digits", 2*MNISTMaxSubset)
	}
	if n < 1 || n > MNISTMaxSubset {
		return d, fmt.Errorf("dataset: MNIST subset size %d outside [1, %d]", n, MNISTMaxSubset)
	}
	switch subset {
	case MNISTSubsetS1:
		d.train = train.Images[:n]
	case MNISTSubsetS2:
		d.train = train.Images[MNISTMaxSubset : MNISTMaxSubset+n]
	default:
		return d, fmt.Errorf("dataset: MNIST subset %q (want %s or %s)", subset, MNISTSubsetS1, MNISTSubsetS2)
	}
	d.test = test.Images
	return d, nil
}

// TrainingImages returns the training subset of an MNIST dataset (nil for
// the generated datasets, which have no fixed training set).
func (d Dataset) TrainingImages() []*field.Field { return d.train }

// mnistImage is Image for Kind "mnist".
func (d Dataset) mnistImage(seed uint64) (*field.Field, error) {
	if len(d.train) == 0 {
		return nil, fmt.Errorf("dataset: MNIST subset not loaded (use NewMNISTDataset)")
	}
	if seed >= HeldOutSeed {
		return d.test[(seed-HeldOutSeed)%uint64(len(d.test))].Clone(), nil
	}
	return d.train[mix64(seed)%uint64(len(d.train))].Clone(), nil
}

// mix64 is the SplitMix64 finaliser (Steele, Lea & Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014), a bijection of uint64 that
// spreads consecutive seeds over the subset.
func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
