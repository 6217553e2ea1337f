package denoise

import (
	"fmt"
	"math"
	"strings"

	"scalewise/engine/field"
	"scalewise/engine/geometry"
)

// HeldOutSeed is the first image seed of held-out data: training draws
// image seeds below it, evaluation at or above it, so the two never share
// an image.
const HeldOutSeed uint64 = 1 << 40

// Dataset is an endless, seeded family of clean training images in [0, 1].
type Dataset struct {
	Kind  string  // "calpha", "drawing" or "mnist"
	Alpha float64 // C^alpha regularity (calpha only)
	Size  int     // image side
	// MNIST only (NewMNISTDataset): the training subset, its size, and the
	// subset's and the test set's digits.
	Subset      string
	N           int
	train, test []*field.Field
}

// ParseDataset checks a dataset description.
func ParseDataset(kind string, alpha float64, size int) (Dataset, error) {
	d := Dataset{Kind: kind, Alpha: alpha, Size: size}
	switch kind {
	case "calpha":
		if math.IsNaN(alpha) || alpha <= 0 || alpha > geometry.CAlphaMaxAlpha {
			return d, fmt.Errorf("dataset: alpha %v outside (0, %d]", alpha, geometry.CAlphaMaxAlpha)
		}
	case "drawing":
		d.Alpha = 0
	case "mnist":
		return d, fmt.Errorf("dataset: MNIST needs its digits loaded (NewMNISTDataset)")
	default:
		return d, fmt.Errorf("dataset: unknown data %q (want calpha, drawing or mnist)", kind)
	}
	if size < geometry.DrawingMinSize || size > geometry.DrawingMaxSize {
		return d, fmt.Errorf("dataset: size %d outside [%d, %d]", size, geometry.DrawingMinSize, geometry.DrawingMaxSize)
	}
	return d, nil
}

// Image returns image number seed of the dataset: for "calpha",
// geometry.CAlpha with the authors' code variant (Kadkhodaie et al. 2024,
// App. E); for "drawing", geometry.RandomDrawing, a random smooth curve
// drawn as a boundary between two smooth regions (even seeds) or as a
// stroke (odd seeds), the two kinds of drawing the page offers.
func (d Dataset) Image(seed uint64) (*field.Field, error) {
	switch d.Kind {
	case "calpha":
		return geometry.CAlpha(geometry.CAlphaOptions{Size: d.Size, Alpha: d.Alpha, Method: geometry.CAlphaCode, Seed: seed})
	case "drawing":
		mode := geometry.DrawingBoundary
		if seed%2 == 1 {
			mode = geometry.DrawingStroke
		}
		return geometry.RandomDrawing(seed/2, geometry.DrawingOptions{Size: d.Size, Mode: mode})
	case "mnist":
		return d.mnistImage(seed)
	}
	return nil, fmt.Errorf("dataset: unknown data %q", d.Kind)
}

// String describes the dataset for manifests and reports.
func (d Dataset) String() string {
	if d.Kind == "mnist" {
		first := 0
		if d.Subset == MNISTSubsetS2 {
			first = MNISTMaxSubset
		}
		return fmt.Sprintf("MNIST %s: training digits %d..%d (N=%d) of 60000, padded to 32x32, intensities in [0,1], drawn uniformly with replacement; held out: the 10000 test digits",
			strings.ToUpper(d.Subset), first, first+d.N-1, d.N)
	}
	if d.Kind == "calpha" {
		return fmt.Sprintf("C^alpha images (authors' code variant), alpha=beta=%g, %dx%d, fresh images per step (seeds < 2^40)", d.Alpha, d.Size, d.Size)
	}
	return fmt.Sprintf("random drawings: smooth random curves as boundaries (1/2) or strokes of width U[1.5,6] (1/2) over C^alpha-like backgrounds with alpha U[1,4], %dx%d, fresh images per step (seeds < 2^40)", d.Size, d.Size)
}

// TrainingSigma maps u ~ U[0, 1] to the training noise level σ = u², the
// authors' quadratic draw over [0, 1] (Kadkhodaie et al. 2024, A.1; density
// ∝ σ^(−1/2), favouring small σ).
func TrainingSigma(u float64) float64 { return u * u }
