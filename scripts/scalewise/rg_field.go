package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/engine/nn"
	"scalewise/engine/rg"
)

// Field types of "rg fit --field" and "rg validate --field" besides φ⁴:
// the fields of Lempereur and Mallat, "Hierarchic flows to estimate and
// sample high-dimensional probabilities", arXiv:2405.03468 (2024), for
// which the WC-RG energies get scattering interactions (engine/rg,
// "Scattering interactions").
const (
	rgFieldPhi4       = "phi4"
	rgFieldTurbulence = "turbulence"
	rgFieldCAlpha     = "calpha"
	rgFieldDrawings   = "drawings"
)

// rgTurbulenceData is the default data of --field turbulence (make data).
const rgTurbulenceData = "data/turbulence-64-n512.npy"

// rgImageFitN is the default number of training images of the image
// fields (C^α images and drawings), that of the shipped models (make
// rg-weights). Each image holds one contour, a single object at the scale
// of the image, so its statistics do not average within an image as those
// of the many vortices of a turbulence snapshot do: the coarse factors see
// few coefficients per image (x_J, the image mean, is one number), and two
// independent sets of 256 held-out C^α images already differ by 0.035 in
// marginal TV. 1024 images give the 1-D density of x_J 1024 values for its
// 13 parameters and the 32² factor (C^α: 1283 parameters with anisotropic
// scattering terms; drawings: 760 with isotropic ones) 7.9·10⁵ data
// coordinates. The images cost nothing to draw; a C^α fit of 2048 images
// took 27 minutes on a shared 2-core machine (about 9 CPU minutes, linear
// in the number of images but for the calibration), the drawings' fit of
// 1024 images 193 CPU seconds (7.3 minutes on the loaded machine).
const rgImageFitN = 1024

// rgImageCentre is the symmetry centre of the C^α images and of the
// drawings (see rgFieldSetupFor).
const rgImageCentre = 0.5

// rgFieldFlags are the flags of rg fit and rg validate that choose and
// parameterise a field type other than φ⁴.
type rgFieldFlags struct {
	// fs is the flag set, for the flags a field type refuses (check);
	// fitNName is the name of the fitN flag.
	fs         *flag.FlagSet
	fitNName   string
	field      *string
	scattering *bool
	alpha      *float64
	l          *int
	fitN       *int
	families   *string
	bandLimit  *int
	precond    *bool
	land       *string
	ridge      *float64
	smoothing  *float64
	shrink     *float64
	likelihood *int
	mleChains  *int
	mleSteps   *int
	mleMode    *string
}

// addRGFieldFlags defines the field flags on fs; fitN names the flag of
// the number of C^α training images ("n" for fit, "fit-n" for validate,
// whose --n is the number of RG samples); l is the --L flag when fs has
// one (rg validate's, for φ⁴), else nil to define it; scat defines
// --scattering (rg fit: validate fits both models).
func addRGFieldFlags(fs *flag.FlagSet, fitN string, l *int, scat bool) rgFieldFlags {
	ff := rgFieldFlags{
		fs:         fs,
		fitNName:   fitN,
		field:      fs.String("field", rgFieldPhi4, "field: phi4 (--data, φ⁴ samples), turbulence (--data, default "+rgTurbulenceData+": the first half fits, the second is held out), calpha (C^α images drawn here) or drawings (drawings of smooth curves drawn here)"),
		alpha:      fs.Float64("alpha", calphaAlpha, "with --field calpha: the contour and background regularity α = β"),
		l:          l,
		fitN:       fs.Int(fitN, rgImageFitN, "with --field calpha|drawings: the number of training images (seeds 0..n−1)"),
		families:   fs.String("families", "", "with --field turbulence|calpha|drawings: the scattering families of the fitted model, comma-separated among s1, s3, s4c, s4n, or all (empty: the default "+strings.Join(rgDefaultFamilies, ",")+")"),
		bandLimit:  fs.Int("band-limit", -1, "with --field turbulence|calpha|drawings: the data's Fourier band limit max(|kx|,|ky|) ≤ K; the modes beyond are filled with noise before the fit and the samples projected back (-1: detected, 0: none)"),
		land:       fs.String("land", "", "rg validate --field with --record, --model and --ablation: once validated and recorded, copy both models with their manifest entries into this folder (e.g. weights)"),
		ridge:      fs.Float64("ridge", rgFieldRidge, "with --field turbulence|calpha|drawings: the relative ridge of the score-matching solve (FitOptions.Ridge)"),
		shrink:     fs.Float64("scat-shrink", rgFieldScatShrink, "with --field turbulence|calpha|drawings: λ_s, a Gaussian prior shrinking the scattering coefficients towards the local model (FitOptions.ScatShrink; 0: none)"),
		smoothing:  fs.Float64("smoothing", 0, "with --field turbulence|calpha|drawings: ε of the smoothed modulus (|z|² + ε²)^½ of the new-scale coefficients in the scattering terms, in units of their renormalised rms (0: |z|)"),
		likelihood: fs.Int("likelihood", 0, "with --field turbulence|calpha|drawings: rounds of maximum-likelihood refinement of every conditional factor after score matching (persistent MALA chains and Newton steps on the moment mismatch; FitOptions.Likelihood; 0: none)"),
		mleChains:  fs.Int("likelihood-chains", 0, "with --likelihood: persistent chains per factor, one per training field (0: every field, at most 1024)"),
		mleSteps:   fs.Int("likelihood-steps", 0, "with --likelihood: MALA steps per chain and round (0: half the factor's sampling steps)"),
		mleMode:    fs.String("likelihood-mode", rg.LikelihoodPersistent, "with --likelihood: the chains of each round: persistent (from the data's details given the data's coarse field, the likelihood's maximum), short-run (the sampler's own, from 0, given the data's coarse field) or ancestral (the sampler's own given the coarse fields the model draws, factor by factor coarse to fine, after the fit)"),
		precond:    fs.Bool("precondition", true, "with --field turbulence|calpha|drawings: preconditioned MALA per factor (mass matrix from the quadratic kernels; false: plain MALA)"),
	}
	if l == nil {
		ff.l = fs.Int("L", 32, "with --field calpha|drawings: the image side")
	}
	if scat {
		ff.scattering = fs.Bool("scattering", true, "with --field turbulence|calpha|drawings: scattering-interaction terms in every conditional factor whose field is at least 8×8 (false: the ablation, local quadratic terms and the potential only)")
	}
	return ff
}

// check refuses the flags set on the command line that do not apply to
// the chosen field type: turbulence has no --alpha, --L or number of
// training images (its data are --data), drawings no --alpha (their
// regularities are drawn per image by geometry.RandomDrawing).
func (ff rgFieldFlags) check() error {
	if err := checkIntFlag("likelihood", *ff.likelihood, 0, maxLikelihoodRounds, "maximum-likelihood rounds"); err != nil {
		return err
	}
	if err := checkIntFlag("likelihood-chains", *ff.mleChains, 0, maxLikelihoodChains, "persistent chains"); err != nil {
		return err
	}
	if err := checkIntFlag("likelihood-steps", *ff.mleSteps, 0, maxLikelihoodSteps, "MALA steps per round"); err != nil {
		return err
	}
	switch *ff.mleMode {
	case rg.LikelihoodPersistent, rg.LikelihoodShortRun, rg.LikelihoodAncestral:
	default:
		return fmt.Errorf("--likelihood-mode %q: want %s, %s or %s", *ff.mleMode, rg.LikelihoodPersistent, rg.LikelihoodShortRun, rg.LikelihoodAncestral)
	}
	if *ff.likelihood == 0 && (*ff.mleChains != 0 || *ff.mleSteps != 0 || *ff.mleMode != rg.LikelihoodPersistent) {
		return errors.New("--likelihood-chains, --likelihood-steps and --likelihood-mode need --likelihood N")
	}
	if *ff.mleMode != rg.LikelihoodPersistent && *ff.mleSteps != 0 {
		return fmt.Errorf("--likelihood-mode %s runs the factor's own steps: drop --likelihood-steps", *ff.mleMode)
	}
	switch *ff.field {
	case rgFieldTurbulence:
		return fieldOnly(ff.fs, "apply to --field calpha|drawings only (turbulence fits the snapshots of --data)", "alpha", "L", ff.fitNName)
	case rgFieldDrawings:
		return fieldOnly(ff.fs, "applies to --field calpha only (the drawings draw their background regularity per image, α ~ U[1, 4])", "alpha")
	}
	return nil
}

// rgDefaultFamilies are the scattering families of --field models. s4n,
// ⟨U ⋆ ψ, U ⋆ ψ⟩ quadratic in the new-scale moduli, is left out: fitted by
// score matching on turbulence it makes the 32² factor barely confining
// (its energy along rays t·x̄ rises by 90 between t = 3 and 6, against
// 1100 without scattering terms) and the samples spiky (increment
// flatness 48 against 3.9 in the data; trispectrum error 1.25 against
// 0.077 without s4n, all else equal).
var rgDefaultFamilies = []string{"s1", "s3", "s4c"}

// parseFamilies splits a --families value (empty: rgDefaultFamilies;
// "all": nil, every family).
func parseFamilies(v string) ([]string, error) {
	switch strings.TrimSpace(v) {
	case "":
		return slices.Clone(rgDefaultFamilies), nil
	case "all":
		return nil, nil
	}
	var out []string
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if !slices.Contains([]string{"s1", "s3", "s4c", "s4n"}, f) {
			return nil, fmt.Errorf("--families %q: unknown family %q (want s1, s3, s4c or s4n)", v, f)
		}
		out = append(out, f)
	}
	return out, nil
}

// fieldOnly returns an error naming the first flag of names that was set
// on the command line, for commands where they do not apply.
func fieldOnly(fs *flag.FlagSet, what string, names ...string) error {
	var set []string
	fs.Visit(func(f *flag.Flag) {
		for _, n := range names {
			if f.Name == n {
				set = append(set, "--"+n)
			}
		}
	})
	if len(set) > 0 {
		return fmt.Errorf("%s %s", strings.Join(set, ", "), what)
	}
	return nil
}

// rgFieldSetup is a field type's data and the choices of its model.
type rgFieldSetup struct {
	name string
	L    int
	// fit and held are the training and the held-out fields.
	fit, held []*field.Field
	// desc describes the data; prov holds their provenance entries.
	desc string
	prov map[string]string
	// centre is subtracted from the fields before fitting and is the
	// model's Mean (a symmetric fit takes the mean as 0).
	centre float64
	// opts are the fit options (without Specs and Workers).
	opts rg.FitOptions
	// scatIso is ScatSpec.Isotropic of the scattering terms, families
	// their ScatSpec.Families (nil: all).
	scatIso  bool
	families []string
	// bandLimit is FitOptions.BandLimit (-1: detect it with
	// rgBandTolerance), precond FitOptions.Precondition.
	bandLimit int
	precond   bool
	ridge     float64
	// smoothing is ScatSpec.Smoothing of the scattering terms.
	smoothing float64
	// shrink is FitOptions.ScatShrink.
	shrink float64
	// likelihood, mleChains and mleSteps are FitOptions.Likelihood,
	// LikelihoodChains and LikelihoodSteps.
	likelihood, mleChains, mleSteps int
	mleMode                         string
}

// Bounds of the --likelihood flags.
const (
	maxLikelihoodRounds = 1000
	maxLikelihoodChains = 1 << 16
	maxLikelihoodSteps  = 100000
)

// setFitFlags copies the fit flags shared by rg fit and rg validate into su.
func (su *rgFieldSetup) setFitFlags(ff rgFieldFlags, fams []string) {
	su.families, su.bandLimit, su.precond, su.ridge, su.smoothing, su.shrink = fams, *ff.bandLimit, *ff.precond, *ff.ridge, *ff.smoothing, *ff.shrink
	su.likelihood, su.mleChains, su.mleSteps, su.mleMode = *ff.likelihood, *ff.mleChains, *ff.mleSteps, *ff.mleMode
}

// rgFieldRidge is FitOptions.Ridge of --field models. With the default
// 10⁻¹² the score-matching matrix of the 8² turbulence factor (singular to
// working precision) gives |θ| up to 5·10⁷ and an energy whose equilibrium
// its chains never reach: the band std of 64 chains from x̄ = 0, over the
// data's, is 0.62, 1.06 and 1.48 after 150, 600 and 2400 steps. A ridge
// of 10⁻⁴ (relative to the largest eigenvalue of the diagonally
// preconditioned matrix) gives |θ| ≤ 58 and 1.024, 1.013, 1.013 and 1.000
// after 150, 600, 2400 and 9600 steps (10⁻⁶: 1.04 to 1.11; 10⁻⁵: 1.03 to
// 1.23, still drifting).
const rgFieldRidge = 1e-4

// rgFieldScatShrink is FitOptions.ScatShrink of --field models. Score
// matching alone (λ_s = 0) makes the 16² and 32² turbulence factors too
// wide at equilibrium: chains started from the training data widen their
// band std 1.5–2.5× (Scale.CalibrationStdRatio); λ_s = 1 leaves 1.15–1.29
// and λ_s = 10 0.98–1.03, the first of 0, 1, 10 within 5 % on every band.
// On 64 held-out samples (rg validate --n 64 --seed 1) the spectrum error
// goes 0.227 (n = 256), 0.124, 0.019 and the marginal TV 0.075, 0.046,
// 0.007 for λ_s = 0, 1, 10, against 0.038 and 0.016 for the local model
// (λ_s → ∞). On drawings λ_s = 10 takes the spectrum error from 1.49 to
// 0.66 and on C^α from 0.82 to 0.60 (both still far from their bars).
const rgFieldScatShrink = 10

// rgBandTolerance is the power fraction beyond a band limit below which
// DetectBandLimit takes the data as band-limited: the turbulence solver's
// 2/3 rule leaves 3.5·10⁻¹⁶ of the power in the truncated modes (55 % of
// them at 64²), C^α images hold 10⁻³ or more at every shell.
const rgBandTolerance = 1e-10

// rgFieldSetupFor loads or draws the data of a field type and sets its
// model's symmetries:
//
// Turbulence: the vorticity of the forced Navier–Stokes equations is not
// symmetric in law under ω → −ω, nor under a reflection such as x ↔ y:
// with ψ the stream function and J(ψ, ω) = u·∇ω the advection, a
// reflection R maps solutions to solutions only with a change of sign,
// ω ↦ −ω∘R (ω is a pseudoscalar), and the enstrophy flux through
// wavenumber k, Π(k) = Σ_{|q|<k} Re ω̂*(q) (u·∇ω)^(q), is odd under each of
// ω ↦ −ω and ω ↦ ω∘R alone (u·∇ω is even in ω and odd under R). The
// forward enstrophy cascade makes Π ≠ 0: on the 256 fitted snapshots of
// data/turbulence-64-n512.npy Π(8) = 0.0224 ± 0.0004 and Π(16) = 0.0169 ±
// 0.0002 (enstrophyFlux; the held-out half agrees), so neither
// FitOptions.Symmetric (φ → −φ) nor
// FitOptions.Isotropic (x ↔ y, a reflection) holds. Rotations do: the
// scattering terms are isotropic (ScatSpec.Isotropic sums them over the
// global rotations, keeping relative orientations, so chiral terms stay).
//
// C^α images (geometry.CAlpha, code variant, α = β): the law is exactly
// symmetric under x ↦ 1 − x (the two backgrounds' noises are symmetric,
// the ranges [u1, 1] and [0, u2] swap with probability ½, and 1 − u_i is
// uniform), so the fields are centred on ½ and fitted with Symmetric. The
// contour is the graph of a function of the column, about the middle row:
// the images are anisotropic (their edges are nearly horizontal), so
// neither FitOptions.Isotropic nor isotropic scattering terms hold.
//
// Drawings of smooth curves (denoise.Dataset of kind "drawing", the data
// of the Draw & denoise net: geometry.RandomDrawing of seed s/2, a
// boundary between two C^β backgrounds for even s and a stroke for odd s,
// the curve closed or open, partial or whole): the law is exactly
// symmetric under x ↦ 1 − x. A boundary image is M·B1 + (1 − M)·B2 with
// (B1, B2) rescaled to ([u1, 1], [0, u2]) or, with probability ½,
// ([0, u2], [u1, 1]): the background noises U[−1, 1] are symmetric, so
// 1 − B_i has the law of B_i with the other range and 1 − u_i is uniform;
// a stroke image takes S = 1 where the background mean is ≤ ½ and 0
// otherwise, which 1 − x exchanges (mean ½ has probability 0), and the
// clamp to [0, 1] commutes with 1 − x. So the fields are centred on ½ and
// fitted with Symmetric. Measured over seeds 0..2047 at 32² (per-image
// means as samples): mean x − ½ = −0.0008 ± 0.0042 and ⟨(x − ½)³⟩ =
// −0.0004 ± 0.0008. The law is also invariant under the symmetries of the
// square: SmoothCurve draws a closed curve's centre uniformly in the
// middle 30 % of each axis and its radius as i.i.d. N(0, k^(−2γ))
// harmonics in θ, an open curve through a point uniform in the middle
// half at a uniform angle, the backgrounds' filter (k1² + k2²)^(−β/2) is
// radial, pixel centres are at (i + ½, j + ½), and a reflection that
// reverses an open curve swaps M and 1 − M, which the exchangeable
// backgrounds absorb. Measured as the relative asymmetry Σ|P(k) −
// P(gk)|/ΣP(k) of the mean power spectrum over 2048 images against its
// null distribution (each image mapped by g with probability ½, 40
// draws): transposition 0.0067 against 0.0063 ± 0.0022, the flip
// k1 ↦ −k1 0.0032 against 0.0040 ± 0.0012, the rotation by 90° 0.0073
// against 0.0075 ± 0.0027; the map of pixel variances ⟨(x(p) − ½)²⟩ alike
// (|z| ≤ 0.7), while the C^α images give z = 80 for the transposition of
// the spectrum. So FitOptions.Isotropic (x ↔ y) and isotropic scattering
// terms (summed over the global rotations) are used. The law is not
// stationary (closed curves lie about the middle), which the
// translation-invariant energies do not represent, as for C^α.
func rgFieldSetupFor(name, data string, alpha float64, l, fitN, workers int) (*rgFieldSetup, error) {
	switch name {
	case rgFieldTurbulence:
		if data == "" {
			data = rgTurbulenceData
		}
		fit, held, split, err := readTurbulenceSplit(data)
		if err != nil {
			return nil, err
		}
		sum, err := nn.SHA256File(data)
		if err != nil {
			return nil, err
		}
		L := fit[0].W
		return &rgFieldSetup{
			name: name, L: L, fit: fit, held: held,
			desc: fmt.Sprintf("2-D turbulence vorticity %d×%d (engine/turbulence, make data): %d snapshots of %s to fit, %d held out (%s), each standardised",
				L, L, len(fit), data, len(held), split),
			prov: map[string]string{"data": filepath.ToSlash(data), "data_sha256": sum, "data_samples": strconv.Itoa(len(fit) + len(held)),
				"fit_samples": strconv.Itoa(len(fit)), "holdout": strconv.Itoa(len(held)), "split": split},
			scatIso: true,
		}, nil
	case rgFieldCAlpha:
		if data != "" {
			return nil, errors.New("--data does not apply to --field calpha: the images are drawn by seed (geometry.CAlpha)")
		}
		if !(alpha > 0) || alpha > geometry.CAlphaMaxAlpha {
			return nil, fmt.Errorf("--alpha %v: want 0 < α ≤ %d", alpha, geometry.CAlphaMaxAlpha)
		}
		if l < geometry.CAlphaMinSize || l > geometry.CAlphaMaxSize || l&(l-1) != 0 {
			return nil, fmt.Errorf("--L %d: want a power of two from %d to %d", l, max(geometry.CAlphaMinSize, 4), geometry.CAlphaMaxSize)
		}
		if err := checkIntFlag("n", fitN, 2, 1<<16, "training images"); err != nil {
			return nil, err
		}
		if err := checkStackSize(fitN, l); err != nil {
			return nil, err
		}
		fit, err := calphaImages(l, alpha, 0, fitN, workers)
		if err != nil {
			return nil, err
		}
		return &rgFieldSetup{
			name: name, L: l, fit: fit,
			desc: fmt.Sprintf("C^α images, α = β = %g, %d×%d (geometry.CAlpha, code variant, as denoise.Dataset): seeds 0..%d to fit; held out: seeds from 2^40 (denoise.HeldOutSeed)",
				alpha, l, l, fitN-1),
			prov: map[string]string{"data": fmt.Sprintf("geometry.CAlpha code variant, alpha=beta=%g, size %d, seeds 0..%d", alpha, l, fitN-1),
				"alpha": strconv.FormatFloat(alpha, 'g', -1, 64), "fit_samples": strconv.Itoa(fitN), "holdout_seed": strconv.FormatUint(denoise.HeldOutSeed, 10)},
			centre: rgImageCentre,
			opts:   rg.FitOptions{Symmetric: true},
		}, nil
	case rgFieldDrawings:
		if data != "" {
			return nil, errors.New("--data does not apply to --field drawings: the images are drawn by seed (denoise.Dataset, geometry.RandomDrawing)")
		}
		if l < geometry.DrawingMinSize || l > geometry.DrawingMaxSize || l&(l-1) != 0 {
			return nil, fmt.Errorf("--L %d: want a power of two from %d to %d", l, geometry.DrawingMinSize, geometry.DrawingMaxSize)
		}
		if err := checkIntFlag("n", fitN, 2, 1<<16, "training images"); err != nil {
			return nil, err
		}
		if err := checkStackSize(fitN, l); err != nil {
			return nil, err
		}
		fit, err := drawingImages(l, 0, fitN, workers)
		if err != nil {
			return nil, err
		}
		return &rgFieldSetup{
			name: name, L: l, fit: fit,
			desc: fmt.Sprintf("drawings of smooth curves, %d×%d (denoise.Dataset \"drawing\": geometry.RandomDrawing, boundaries for even seeds, strokes for odd): seeds 0..%d to fit; held out: seeds from 2^40 (denoise.HeldOutSeed)",
				l, l, fitN-1),
			prov: map[string]string{"data": fmt.Sprintf("denoise.Dataset drawing (geometry.RandomDrawing of seed s/2: boundary for even s, stroke for odd s), size %d, seeds 0..%d", l, fitN-1),
				"fit_samples": strconv.Itoa(fitN), "holdout_seed": strconv.FormatUint(denoise.HeldOutSeed, 10)},
			centre:  rgImageCentre,
			opts:    rg.FitOptions{Symmetric: true, Isotropic: true},
			scatIso: true,
		}, nil
	}
	return nil, fmt.Errorf("--field %q: want %s, %s, %s or %s", name, rgFieldPhi4, rgFieldTurbulence, rgFieldCAlpha, rgFieldDrawings)
}

// drawingImages draws the drawings of seeds first..first+n−1
// (denoise.Dataset of kind "drawing", the Draw & denoise net's data) on
// up to workers goroutines.
func drawingImages(l int, first uint64, n, workers int) ([]*field.Field, error) {
	ds, err := denoise.ParseDataset("drawing", 0, l)
	if err != nil {
		return nil, err
	}
	out := make([]*field.Field, n)
	errs := make([]error, n)
	runParallel(n, workers, func(i int) {
		out[i], errs[i] = ds.Image(first + uint64(i))
	})
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("drawing %d: %w", first+uint64(i), err)
		}
	}
	return out, nil
}

// calphaImages draws the C^α images of seeds first..first+n−1 (the code
// variant, as denoise.Dataset.Image) on up to workers goroutines.
func calphaImages(l int, alpha float64, first uint64, n, workers int) ([]*field.Field, error) {
	out := make([]*field.Field, n)
	errs := make([]error, n)
	runParallel(n, workers, func(i int) {
		out[i], errs[i] = geometry.CAlpha(geometry.CAlphaOptions{Size: l, Alpha: alpha, Method: geometry.CAlphaCode, Seed: first + uint64(i)})
	})
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("C^α image %d: %w", first+uint64(i), err)
		}
	}
	return out, nil
}

// runParallel calls f(i) for i = 0..n−1 on up to workers goroutines (0:
// all cores).
func runParallel(n, workers int, f func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan int)
	done := make(chan struct{})
	for range min(workers, max(n, 1)) {
		go func() {
			for i := range next {
				f(i)
			}
			done <- struct{}{}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	for range min(workers, max(n, 1)) {
		<-done
	}
}

// turbulenceSidecar is the part of the sidecar of "scalewise turbulence"
// that rg uses: which snapshots fit and which are held out.
type turbulenceSidecar struct {
	Split struct {
		Fit     [2]int `json:"fit"`
		HeldOut [2]int `json:"held_out"`
	} `json:"split"`
}

// readTurbulenceSplit reads a stack of vorticity snapshots and splits it
// as its sidecar says (split.fit and split.held_out, half-open index
// ranges), or, without a sidecar, into the first and the second half.
func readTurbulenceSplit(path string) (fit, held []*field.Field, split string, err error) {
	fs, err := readStack(path)
	if err != nil {
		return nil, nil, "", fmt.Errorf("%w (make data draws the turbulence snapshots)", err)
	}
	n := len(fs)
	a, b := [2]int{0, n / 2}, [2]int{n / 2, n}
	split = "first half fits, second half held out (no sidecar)"
	side := strings.TrimSuffix(path, filepath.Ext(path)) + ".json"
	if raw, err := os.ReadFile(side); err == nil {
		var sc turbulenceSidecar
		if err := json.Unmarshal(raw, &sc); err != nil {
			return nil, nil, "", fmt.Errorf("%s: %w", side, err)
		}
		if sc.Split.Fit != [2]int{} {
			a, b = sc.Split.Fit, sc.Split.HeldOut
			split = fmt.Sprintf("snapshots [%d, %d) fit, [%d, %d) held out (%s)", a[0], a[1], b[0], b[1], filepath.Base(side))
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, nil, "", err
	}
	for _, r := range [][2]int{a, b} {
		if r[0] < 0 || r[1] > n || r[1]-r[0] < 2 {
			return nil, nil, "", fmt.Errorf("%s: split [%d, %d) of %d snapshots: want at least 2 fields in range", path, r[0], r[1], n)
		}
	}
	if a[1] > b[0] && b[1] > a[0] {
		return nil, nil, "", fmt.Errorf("%s: the fit [%d, %d) and held-out [%d, %d) snapshots overlap", path, a[0], a[1], b[0], b[1])
	}
	return fs[a[0]:a[1]], fs[b[0]:b[1]], split, nil
}

// rgFieldSpecs returns the specs of a field type's model for L×L fields:
// DefaultSpecs, with, when scat is true, the scattering terms of
// DefaultScatSpec (bump-steerable wavelets, 4 orientations, exact s4n
// Laplacians up to 16×16 and 4 Rademacher probes beyond) in every
// conditional factor whose field is at least ScatMinGrid wide, isotropic
// or not as iso says, of the given families (nil: all). Without scat it is
// the ablation: the same hierarchy
// with local quadratic terms and the potential only.
func rgFieldSpecs(L int, scat, iso bool, families []string, smoothing float64) ([]rg.ScaleSpec, int, error) {
	specs, J, err := rg.DefaultSpecs(L)
	if err != nil {
		return nil, 0, err
	}
	if !scat {
		return specs, J, nil
	}
	specs, err = rg.WithScattering(L, J, specs, nil)
	if err != nil {
		return nil, 0, err
	}
	for i := range specs {
		if s := specs[i].Scattering; s != nil {
			s.Isotropic = iso
			s.Families = families
			s.Smoothing = smoothing
		}
	}
	return specs, J, nil
}

// fitField fits the model of a field type (scattering terms or the
// ablation) with a progress bar on stderr, and returns it with its
// provenance (the command is args).
func fitField(su *rgFieldSetup, scat bool, calib, workers int, command string, stderr io.Writer) (*rg.Model, float64, error) {
	specs, _, err := rgFieldSpecs(su.L, scat, su.scatIso, su.families, su.smoothing)
	if err != nil {
		return nil, 0, err
	}
	data := su.fit
	if su.centre != 0 {
		data = make([]*field.Field, len(su.fit))
		for i, f := range su.fit {
			g := f.Clone()
			for k := range g.Data {
				g.Data[k] -= su.centre
			}
			data[i] = g
		}
	}
	opts := su.opts
	opts.Specs, opts.Workers, opts.Calibration = specs, workers, calib
	opts.Precondition, opts.Ridge, opts.ScatShrink = su.precond, su.ridge, su.shrink
	opts.Likelihood, opts.LikelihoodChains, opts.LikelihoodSteps = su.likelihood, su.mleChains, su.mleSteps
	opts.LikelihoodMode = su.mleMode
	switch {
	case su.bandLimit > 0:
		opts.BandLimit = su.bandLimit
	case su.bandLimit < 0:
		k, err := rg.DetectBandLimit(data, rgBandTolerance)
		if err != nil {
			return nil, 0, err
		}
		opts.BandLimit = k
	}
	kind := "scattering"
	if !scat {
		kind = "local (ablation)"
	}
	fmt.Fprintf(stderr, "rg fit: %s model of %s\n", kind, su.desc)
	var bar *progress
	stage := ""
	t0 := time.Now()
	m, err := rg.Fit(data, opts, func(s string, done, total int) {
		if s != stage || bar == nil {
			bar, stage = newProgress(stderr, total), s
		}
		bar.update(done, s, done == total)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("fitting the %s model: %w", su.name, err)
	}
	secs := time.Since(t0).Seconds()
	m.Mean += su.centre
	for k, v := range su.prov {
		m.Provenance[k] = v
	}
	m.Provenance["field"] = su.name
	m.Provenance["command"] = command
	m.Provenance["scattering_terms"] = strconv.FormatBool(scat)
	m.Provenance["centre"] = strconv.FormatFloat(su.centre, 'g', -1, 64)
	m.Provenance["scattering_isotropic"] = strconv.FormatBool(scat && su.scatIso)
	if scat {
		fams := su.families
		if fams == nil {
			fams = []string{"s1", "s3", "s4c", "s4n"}
		}
		m.Provenance["scattering_families"] = strings.Join(fams, ",")
		m.Provenance["scattering_smoothing"] = strconv.FormatFloat(su.smoothing, 'g', -1, 64)
		m.Provenance["scattering_shrink"] = strconv.FormatFloat(su.shrink, 'g', -1, 64)
	}
	m.Provenance["preconditioned_mala"] = strconv.FormatBool(opts.Precondition)
	if opts.Likelihood > 0 {
		m.Provenance["likelihood"] = fmt.Sprintf("%s, %d rounds, %d chains (0: 1024, at most one per training field unless ancestral), %d steps (0: half the factor's)",
			opts.LikelihoodMode, opts.Likelihood, opts.LikelihoodChains, opts.LikelihoodSteps)
	}
	m.Provenance["ridge"] = strconv.FormatFloat(opts.Ridge, 'g', -1, 64)
	if b := m.BandLimit; b != nil {
		m.Provenance["band_limit"] = fmt.Sprintf("max|k| ≤ %d; truncated modes filled with noise of power %.3g per mode (%.2g of the power) before the fit, samples projected back",
			b.MaxK, b.NoisePower, b.PowerFraction)
	}
	m.Provenance["fit_seconds"] = strconv.FormatFloat(math.Round(secs*10)/10, 'f', -1, 64)
	m.Provenance["version"] = Version
	return m, secs, nil
}

// checkFieldModel checks that m is a model of field type name, L×L, with
// scattering terms or without as scat says.
func checkFieldModel(path string, m *rg.Model, name string, L int, scat bool) error {
	if f := m.Provenance["field"]; f != name {
		return fmt.Errorf("%s is a model of field %q, not %q", path, f, name)
	}
	if m.L != L {
		return fmt.Errorf("%s is a model of %d×%d fields, not %d×%d", path, m.L, m.L, L, L)
	}
	has := false
	for _, sc := range m.Scales {
		has = has || sc.Scattering != nil
	}
	if has != scat {
		if scat {
			return fmt.Errorf("%s has no scattering terms: give it as --ablation", path)
		}
		return fmt.Errorf("%s has scattering terms: give it as --model", path)
	}
	return nil
}

// printParams writes the parameter counts of a model per factor and in
// total beside d = L².
func printParams(w io.Writer, pc rg.ParamCounts) {
	fmt.Fprintf(w, "%-6s %-3s %-5s %8s %9s %10s %7s\n", "factor", "j", "grid", "sigmoids", "quadratic", "scattering", "total")
	for _, s := range pc.Scales {
		fmt.Fprintf(w, "%-6d %-3d %-5d %8d %9d %10d %7d\n", s.Index, s.J, s.Grid, s.Sigmoids, s.Quadratic, s.Scattering, s.Total)
	}
	fmt.Fprintf(w, "%-16s %8d %9d %10d %7d   (d = %d)\n", "total", pc.Sigmoids, pc.Quadratic, pc.Scattering, pc.Total, pc.D)
}

// runRGFitField is "scalewise rg fit --field turbulence|calpha|drawings".
func runRGFitField(ff rgFieldFlags, data, out string, levels, calib, workers int, args []string, stdout, stderr io.Writer) error {
	if levels != 0 {
		return errors.New("--J applies to φ⁴ only: --field turbulence|calpha|drawings use J = log₂L")
	}
	if err := ff.check(); err != nil {
		return err
	}
	if *ff.land != "" {
		return errors.New("--land applies to rg validate --field --record")
	}
	if err := checkOut(out, ".json"); err != nil {
		return err
	}
	fams, err := parseFamilies(*ff.families)
	if err != nil {
		return err
	}
	if strings.TrimSpace(*ff.families) != "" && !*ff.scattering {
		return errors.New("--families needs scattering terms: drop --scattering=false")
	}
	su, err := rgFieldSetupFor(*ff.field, data, *ff.alpha, *ff.l, *ff.fitN, workers)
	if err != nil {
		return err
	}
	su.setFitFlags(ff, fams)
	m, secs, err := fitField(su, *ff.scattering, calib, workers, "scalewise rg fit "+strings.Join(args, " "), stderr)
	if err != nil {
		return err
	}
	pc, err := m.Params()
	if err != nil {
		return err
	}
	if err := writeModel(out, m); err != nil {
		return err
	}
	if err := recordRGFieldModel(out, m, nil); err != nil {
		return err
	}
	printParams(stdout, pc)
	fmt.Fprintf(stdout, "wrote %s: %s, L=%d, J=%d, scattering terms %v, %d parameters (d = %d), fitted in %.1f s\n",
		out, su.name, m.L, m.J, *ff.scattering, pc.Total, pc.D, secs)
	return nil
}
