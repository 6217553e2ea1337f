package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"scalewise/engine/basis"
	"scalewise/engine/nn"
	"scalewise/weights"
)

const eigenUsage = "eigen --weights W|--net NAME --image IN.png|IN.npy [--sigma 0.1] [--seed 1] [--k 64] [--krylov M] [--tol 1e-6] [--probes 32] [--workers 1] [--explicit-residuals] --out basis.npy [--json]"

// Limits of eigen.
const (
	// maxEigenProbes bounds --probes.
	maxEigenProbes = 100_000
)

// eigenConfig is a checked eigen command line.
type eigenConfig struct {
	weights, net   string // one of them
	image, out     string
	sigma, tol     float64
	seed           uint64
	k, krylov      int
	probes         int
	explicit, json bool
}

// runEigen computes the geometry-adaptive harmonic basis of a denoiser at
// a noisy image (Kadkhodaie et al., ICLR 2024, §3): it adds Gaussian noise
// of σ to the clean image, finds the top k eigenpairs of the symmetric part
// of the denoiser's Jacobian at it by Lanczos (engine/basis), writes the
// eigenvectors as a float32 .npy of shape (k, H, W), and reports the
// eigenvalues and residuals, Hutchinson's tr J and the antisymmetry ratio
// (with standard errors), SURE against the true MSE, and the clean image's
// coefficients ⟨x, e_k⟩.
func runEigen(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eigen", flag.ContinueOnError)
	var c eigenConfig
	fs.StringVar(&c.weights, "weights", "", "a .safetensors net written by scalewise train")
	fs.StringVar(&c.net, "net", "", "a shipped denoiser: "+strings.Join(weights.DenoiserNames(), ", "))
	fs.StringVar(&c.image, "image", "", "the clean image: .png (read as grey) or .npy (H, W), values in [0, 1]")
	fs.Float64Var(&c.sigma, "sigma", 0.1, "noise level σ in (0, 1]")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the noise, the Lanczos start vector and the probes")
	fs.IntVar(&c.k, "k", 64, "eigenpairs (the largest eigenvalues)")
	fs.IntVar(&c.krylov, "krylov", 0, "largest Krylov dimension, k to H·W (0: min(H·W, 2k+400))")
	fs.Float64Var(&c.tol, "tol", basis.DefaultTol, "Lanczos stops once every residual is below tol·|λ|max (negative: run all --krylov steps)")
	fs.IntVar(&c.probes, "probes", 32, "Rademacher probes of the trace and antisymmetry estimates")
	workers := fs.Int("workers", 1, "goroutines per net (0: all cores)")
	fs.BoolVar(&c.explicit, "explicit-residuals", false, "compute ‖Se − λe‖ by k more products (default: the Lanczos estimate)")
	fs.StringVar(&c.out, "out", "", "output .npy of the eigenvectors, float32 (k, H, W)")
	fs.BoolVar(&c.json, "json", false, "print one JSON object")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	if err := checkWorkers(*workers); err != nil {
		return err
	}
	u, err := c.loadNet()
	if err != nil {
		return err
	}
	u.SetWorkers(*workers)
	x, err := readEigenImage(c.image, u.Config().Multiple())
	if err != nil {
		return err
	}
	n := x.W * x.H
	if err := checkIntFlag("k", c.k, 1, n, fmt.Sprintf("eigenpairs of a %d×%d image", x.H, x.W)); err != nil {
		return err
	}
	if c.krylov != 0 {
		if err := checkIntFlag("krylov", c.krylov, c.k, n, "Lanczos steps (k to H·W), or 0"); err != nil {
			return err
		}
	}
	m := c.krylov
	if m == 0 {
		m = basis.DefaultKrylov(n, c.k)
	}
	if m > basis.MaxKrylovValues/n {
		return fmt.Errorf("--krylov %d: %d Lanczos vectors of %d values are more than %d values; give a smaller --krylov", m, m, n, basis.MaxKrylovValues)
	}
	rep, vecs, err := computeEigen(c, u, x, m, stderr)
	if err != nil {
		return err
	}
	if err := writeEigenvectors(c.out, vecs, x.W, x.H); err != nil {
		return err
	}
	return printEigen(stdout, c, rep)
}

// check validates the flags that do not depend on the net or the image.
func (c eigenConfig) check() error {
	switch {
	case c.weights == "" && c.net == "":
		return errors.New("give --weights W.safetensors or --net NAME")
	case c.weights != "" && c.net != "":
		return errors.New("give --weights or --net, not both")
	case c.image == "":
		return errors.New("--image is required")
	case !(c.sigma > 0 && c.sigma <= 1):
		return fmt.Errorf("--sigma %v: want a noise level in (0, 1]", c.sigma)
	}
	if err := checkIntFlag("probes", c.probes, 2, maxEigenProbes, "probes (a standard error needs two)"); err != nil {
		return err
	}
	if c.krylov < 0 {
		return fmt.Errorf("--krylov %d: want 0 (the default) or k to H·W", c.krylov)
	}
	if c.k < 1 {
		return fmt.Errorf("--k %d: want at least 1 eigenpair", c.k)
	}
	return checkOut(c.out, ".npy")
}

// loadNet loads --weights or the shipped --net.
func (c eigenConfig) loadNet() (*nn.UNet, error) {
	if c.net != "" {
		u, _, err := weights.Denoiser(c.net)
		if err != nil {
			return nil, fmt.Errorf("--net %q: %w", c.net, err)
		}
		return u, nil
	}
	u, _, err := nn.LoadUNetFile(c.weights)
	return u, err
}
