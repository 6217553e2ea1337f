package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"

	"scalewise/engine/denoise"
	"scalewise/engine/geometry"
	"scalewise/engine/nn"
	"scalewise/engine/wavelet"
)

// rate measures the optimal-rate law of Kadkhodaie, Guth, Simoncelli and
// Mallat (ICLR 2024, §3): on C^α images the best MSE decays like
// σ^{2α/(α+1)}, so PSNR_out rises against PSNR_in = −20·log10 σ with slope
// α/(α+1) at small noise. It evaluates a net and the classical baselines
// of denoise-eval on a grid of σ, fits the slopes, and estimates the
// effective dimension tr ∇x̂(y) at each σ.

const rateUsage = "rate --weights W --alpha A [--n 128] [--size 64] [--levels 12] [--psnr-lo 0] [--psnr-hi 34] [--fit-lo 20] [--fit-hi 34] [--trace-images 8] [--probes 16] [--seed 1] [--roundoff] [--json]"

const (
	// maxRateLevels bounds rate --levels.
	maxRateLevels = 200
	// maxRatePSNR bounds rate --psnr-hi: 80 dB is σ = 10⁻⁴, far below
	// any training noise and near float32 resolution of the images.
	maxRatePSNR = 80
	// maxRateProbes bounds rate --probes.
	maxRateProbes = 10_000
	// roundoffScale is the factor λ of the round-off check: not a power
	// of two, so that x̂(λy)/λ and x̂(y) round differently.
	roundoffScale = 3
)

// rateConfig is what the flags of rate ask for.
type rateConfig struct {
	weights              string
	alpha                float64
	n, size, levels      int
	psnrLo, psnrHi       float64
	fitLo, fitHi         float64
	traceImages, probes  int
	seed                 uint64
	roundoff, asJSON     bool
	sigmas, nominalPSNRs []float64
}

// The report's types live in engine/denoise, which the page reads too.
type (
	rateRow    = denoise.RateRow
	rateReport = denoise.RateReport
)

// runRate is the rate command: see rate's doc and rateUsage.
func runRate(args []string, stdout, stderr io.Writer) error {
	c, err := parseRate(args, stderr)
	if err != nil {
		return err
	}
	ds, err := denoise.ParseDataset("calpha", c.alpha, c.size)
	if err != nil {
		return err
	}
	u, md, err := nn.LoadUNetFile(c.weights)
	if err != nil {
		return err
	}
	if m := u.Config().Multiple(); c.size%m != 0 {
		return fmt.Errorf("--size %d: %s has %d blocks and takes sizes that are multiples of %d", c.size, c.weights, u.Config().Blocks, m)
	}
	rows, err := rateRows(c, u, ds, stderr)
	if err != nil {
		return err
	}
	rep, err := rateFits(c, rows)
	if err != nil {
		return err
	}
	rep.Data, rep.TrainedOn = ds.String(), md["data"]
	rep.Command = strings.Join(append([]string{"scalewise", "rate"}, args...), " ")
	if c.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printRate(stdout, rep)
	return nil
}

// parseRate parses and checks the flags of rate, before anything is
// loaded or allocated.
func parseRate(args []string, stderr io.Writer) (rateConfig, error) {
	var c rateConfig
	fs := flag.NewFlagSet("rate", flag.ContinueOnError)
	fs.StringVar(&c.weights, "weights", "", "a .safetensors net written by scalewise train")
	fs.Float64Var(&c.alpha, "alpha", 2, "C^alpha regularity of the held-out images")
	fs.IntVar(&c.n, "n", 128, "held-out images per noise level")
	fs.IntVar(&c.size, "size", 64, "image size")
	fs.IntVar(&c.levels, "levels", 12, "noise levels, equally spaced in PSNR_in")
	fs.Float64Var(&c.psnrLo, "psnr-lo", 0, "lowest nominal PSNR_in = -20 log10 sigma (dB), at least 0 (sigma <= 1)")
	fs.Float64Var(&c.psnrHi, "psnr-hi", 34, fmt.Sprintf("highest nominal PSNR_in (dB), at most %d", maxRatePSNR))
	fs.Float64Var(&c.fitLo, "fit-lo", 20, "the slopes are fitted over levels with nominal PSNR_in from fit-lo ...")
	fs.Float64Var(&c.fitHi, "fit-hi", 34, "... to fit-hi (dB)")
	fs.IntVar(&c.traceImages, "trace-images", 8, "images per noise level for tr J (the first of the held-out ones)")
	fs.IntVar(&c.probes, "probes", 16, "Rademacher probes per image of the Hutchinson estimate of tr J")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the probes (the images and the noise are the held-out ones of denoise-eval)")
	fs.BoolVar(&c.roundoff, "roundoff", false, "also report psnr_roundoff, the float32 round-off of the net (x̂(3y)/3 against x̂(y))")
	fs.BoolVar(&c.asJSON, "json", false, "print one JSON object")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return c, err
	}
	if c.weights == "" {
		return c, fmt.Errorf("--weights is required")
	}
	if err := c.check(); err != nil {
		return c, err
	}
	c.sigmas, c.nominalPSNRs = rateGrid(c.psnrLo, c.psnrHi, c.levels)
	if k := len(c.fitIndices()); k < 3 {
		return c, fmt.Errorf("--fit-lo %g --fit-hi %g: %d of the %d levels (PSNR_in %g to %g dB) lie in the fit range, want at least 3", c.fitLo, c.fitHi, k, c.levels, c.psnrLo, c.psnrHi)
	}
	return c, nil
}

// check checks the ranges of the flags (all floats are finite: parse
// rejects NaN and ±Inf).
func (c rateConfig) check() error {
	if c.alpha <= 0 || c.alpha > geometry.CAlphaMaxAlpha {
		return fmt.Errorf("--alpha %g: want a number in (0, %d]", c.alpha, geometry.CAlphaMaxAlpha)
	}
	if err := checkIntFlag("size", c.size, geometry.DrawingMinSize, geometry.DrawingMaxSize, "pixels"); err != nil {
		return err
	}
	if err := checkIntFlag("n", c.n, 1, maxEvalPixels/(c.size*c.size), fmt.Sprintf("held-out %d×%d images (at most %d pixels per noise level)", c.size, c.size, maxEvalPixels)); err != nil {
		return err
	}
	if err := checkIntFlag("levels", c.levels, 3, maxRateLevels, "noise levels (a fit needs 3)"); err != nil {
		return err
	}
	if c.psnrLo < 0 || c.psnrHi > maxRatePSNR || c.psnrLo >= c.psnrHi {
		return fmt.Errorf("--psnr-lo %g --psnr-hi %g: want 0 ≤ psnr-lo < psnr-hi ≤ %d dB (sigma from 1 down to 1e-4)", c.psnrLo, c.psnrHi, maxRatePSNR)
	}
	if c.fitLo >= c.fitHi {
		return fmt.Errorf("--fit-lo %g --fit-hi %g: want fit-lo < fit-hi", c.fitLo, c.fitHi)
	}
	if err := checkIntFlag("trace-images", c.traceImages, 1, c.n, "images (at most --n)"); err != nil {
		return err
	}
	return checkIntFlag("probes", c.probes, 2, maxRateProbes, "probes (a standard error needs two)")
}

// rateGrid returns levels noise levels σ_k = 10^(−p_k/20), with p_k
// equally spaced from lo to hi dB, and the p_k.
func rateGrid(lo, hi float64, levels int) (sigmas, psnrs []float64) {
	for k := range levels {
		p := lo + (hi-lo)*float64(k)/float64(levels-1)
		psnrs = append(psnrs, p)
		sigmas = append(sigmas, math.Pow(10, -p/20))
	}
	return sigmas, psnrs
}

// fitIndices returns the levels whose nominal PSNR_in lies in the fit
// range (with a tolerance of 1e-9 dB for the grid's rounding).
func (c rateConfig) fitIndices() []int {
	var ks []int
	for k, p := range c.nominalPSNRs {
		if p >= c.fitLo-1e-9 && p <= c.fitHi+1e-9 {
			ks = append(ks, k)
		}
	}
	return ks
}

// rateRows evaluates the net and the baselines at every σ of c on the
// held-out images of denoise-eval (heldOut: image seeds from
// denoise.HeldOutSeed on, never drawn by training), and tr J on the first
// c.traceImages of them.
func rateRows(c rateConfig, u *nn.UNet, ds denoise.Dataset, stderr io.Writer) ([]rateRow, error) {
	db4, err := wavelet.ByName("db4")
	if err != nil {
		return nil, err
	}
	bar := newProgress(stderr, len(c.sigmas)*(1+c.traceImages))
	done := 0
	var rows []rateRow
	for _, s := range c.sigmas {
		clean, noisy, err := heldOut(ds, c.n, s)
		if err != nil {
			return nil, err
		}
		e, err := evalSigma(u, clean, noisy, s, db4)
		if err != nil {
			return nil, err
		}
		done++
		bar.update(done, fmt.Sprintf("σ=%.3g PSNRs", s), false)
		r := rateRow{Sigma: s, PSNRIn: e.PSNRIn, PSNROut: e.PSNROut, PSNRGaussian: e.PSNRGaussian,
			PSNRWavelet: e.PSNRWavelet, PSNRWienerOracle: e.PSNRWienerOracle}
		r.Trace, r.TraceSE, err = traceOver(u, noisy[:c.traceImages], c.probes, c.seed, func() {
			done++
			bar.update(done, fmt.Sprintf("σ=%.3g tr J", s), false)
		})
		if err != nil {
			return nil, err
		}
		if c.roundoff {
			p, err := roundoffPSNR(u, noisy)
			if err != nil {
				return nil, err
			}
			r.PSNRRoundoff = &p
		}
		vals := []float64{r.PSNRIn, r.PSNROut, r.PSNRGaussian, r.PSNRWavelet, r.PSNRWienerOracle, r.Trace, r.TraceSE}
		if err := checkFiniteValues(vals, fmt.Sprintf("%s at σ = %g", c.weights, s), "reported value"); err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// rateFits fits PSNR_out against the measured PSNR_in over the fit range,
// for the net and each baseline, into a report.
func rateFits(c rateConfig, rows []rateRow) (*rateReport, error) {
	rep := &rateReport{Net: c.weights, Alpha: c.alpha, Size: c.size, Images: c.n,
		TheorySlope: theorySlope(c.alpha), PaperSlope: paperSlope(c.alpha),
		FitRange: [2]float64{c.fitLo, c.fitHi}, TraceImages: c.traceImages, Probes: c.probes,
		Baselines: map[string]slopeFit{}, Rows: rows}
	ks := c.fitIndices()
	rep.FitPoints = len(ks)
	fit := func(out func(rateRow) float64) (slopeFit, error) {
		var xs, ys []float64
		for _, k := range ks {
			xs = append(xs, rows[k].PSNRIn)
			ys = append(ys, out(rows[k]))
		}
		return fitSlope(xs, ys)
	}
	net, err := fit(func(r rateRow) float64 { return r.PSNROut })
	if err != nil {
		return nil, err
	}
	rep.Slope, rep.SlopeSE, rep.Intercept = net.Slope, net.SlopeSE, net.Intercept
	for name, out := range map[string]func(rateRow) float64{
		"gaussian":      func(r rateRow) float64 { return r.PSNRGaussian },
		"db4_soft":      func(r rateRow) float64 { return r.PSNRWavelet },
		"wiener_oracle": func(r rateRow) float64 { return r.PSNRWienerOracle },
	} {
		if rep.Baselines[name], err = fit(out); err != nil {
			return nil, err
		}
	}
	return rep, nil
}
