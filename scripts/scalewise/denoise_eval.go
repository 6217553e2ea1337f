package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"

	"scalewise/engine/data"
	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/engine/nn"
	"scalewise/engine/wavelet"
)

// evalReport is one noise level of denoise-eval.
type evalReport struct {
	Sigma            float64 `json:"sigma"`
	PSNRIn           float64 `json:"psnr_in"`
	PSNROut          float64 `json:"psnr_out"`
	PSNRGaussian     float64 `json:"psnr_gaussian"`
	GaussianStd      float64 `json:"gaussian_std_px"`
	PSNRWavelet      float64 `json:"psnr_db4_soft"`
	WaveletThreshold float64 `json:"db4_threshold"`
	WaveletLevels    int     `json:"db4_levels"`
	PSNRBaselineBest float64 `json:"psnr_baseline_best"`
	Margin           float64 `json:"margin_db"`
	// PSNRWienerOracle is the PSNR of denoise.OracleWiener, the Wiener
	// filter built from the clean images' mean power spectrum: an upper
	// reference for linear shift-invariant denoisers, informational only
	// (not part of PSNRBaselineBest or Margin).
	PSNRWienerOracle float64 `json:"psnr_wiener_oracle"`
}

// defaultEvalSigmas are the noise levels of denoise-eval and half.
const defaultEvalSigmas = "0.02,0.05,0.1,0.2,0.4"

// parseHeldOut checks and parses the held-out set of an evaluation, the
// setup denoise-eval and half share: n images of size×size per noise
// level (--n, at most maxEvalPixels pixels) and the noise levels (--sigmas,
// a comma-separated list of numbers in (0, 1]).
func parseHeldOut(n, size int, sigmas string) ([]float64, error) {
	if err := checkIntFlag("n", n, 1, maxEvalPixels/(size*size), fmt.Sprintf("held-out %d×%d images (at most %d pixels per noise level)", size, size, maxEvalPixels)); err != nil {
		return nil, err
	}
	var ss []float64
	for _, f := range strings.Split(sigmas, ",") {
		s, err := parseFiniteFloat("sigmas", sigmas, f)
		if err != nil {
			return nil, err
		}
		if s <= 0 || s > 1 {
			return nil, fmt.Errorf("--sigmas %q: bad noise level %q (want a number in (0, 1])", sigmas, f)
		}
		ss = append(ss, s)
	}
	return ss, nil
}

// runDenoiseEval measures a trained net on held-out images against two
// classical denoisers tuned per σ with the clean images as oracle: the best
// Gaussian filter and the best db4 soft wavelet threshold (over 2 … 4 levels).
// It also reports psnr_wiener_oracle, the oracle Wiener filter of
// denoise.OracleWiener (the best linear shift-invariant filter for the
// clean images' mean spectrum), as an upper reference for linear denoisers;
// it is informational and enters neither psnr_baseline_best nor the margin.
func runDenoiseEval(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("denoise-eval", flag.ContinueOnError)
	weights := fs.String("weights", "", "a .safetensors net written by scalewise train")
	dataKind := fs.String("data", "calpha", "held-out data: calpha, drawing or mnist (the MNIST test digits)")
	alpha := fs.Float64("alpha", 2, "C^alpha regularity (calpha data)")
	n := fs.Int("n", 256, "held-out images per noise level")
	size := fs.Int("size", 64, "image size (MNIST: always 32)")
	sigmas := fs.String("sigmas", defaultEvalSigmas, "noise levels (intensities in [0,1])")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	if *weights == "" {
		return fmt.Errorf("--weights is required")
	}
	if *dataKind == "mnist" {
		*size = data.MNISTSize
	}
	if *size < geometry.DrawingMinSize || *size > geometry.DrawingMaxSize {
		return fmt.Errorf("--size %d: want %d to %d", *size, geometry.DrawingMinSize, geometry.DrawingMaxSize)
	}
	// The baselines are tuned on the whole set at once: bound its pixels.
	ss, err := parseHeldOut(*n, *size, *sigmas)
	if err != nil {
		return err
	}
	u, md, err := nn.LoadUNetFile(*weights)
	if err != nil {
		return err
	}
	ds, err := openDataset(*dataKind, *alpha, *size, denoise.MNISTSubsetS1, denoise.MNISTMaxSubset)
	if err != nil {
		return err
	}
	db4, err := wavelet.ByName("db4")
	if err != nil {
		return err
	}
	var rows []evalReport
	bar := newProgress(stderr, len(ss))
	for k, s := range ss {
		clean, noisy, err := heldOut(ds, *n, s)
		if err != nil {
			return err
		}
		r, err := evalSigma(u, clean, noisy, s, db4)
		if err != nil {
			return err
		}
		rows = append(rows, r)
		bar.update(k+1, fmt.Sprintf("σ=%g", s), true)
	}
	minMargin := math.Inf(1)
	for _, r := range rows {
		minMargin = math.Min(minMargin, r.Margin)
	}
	report := map[string]any{
		"weights": *weights, "data": ds.String(), "images": *n, "params": u.NumParams(),
		"trained_on": md["data"], "steps": md["steps"], "per_sigma": rows, "min_margin_db": minMargin,
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	fmt.Fprintf(stdout, "%s on %s (%d images)\n", *weights, ds, *n)
	fmt.Fprintln(stdout, "  sigma   input   net    Gaussian  db4-soft  best-base  margin  Wiener*")
	for _, r := range rows {
		fmt.Fprintf(stdout, "  %-6g %6.2f  %6.2f  %6.2f   %6.2f    %6.2f    %+5.2f  %6.2f\n", r.Sigma, r.PSNRIn, r.PSNROut, r.PSNRGaussian, r.PSNRWavelet, r.PSNRBaselineBest, r.Margin, r.PSNRWienerOracle)
	}
	fmt.Fprintln(stdout, "  * oracle Wiener filter (clean spectrum), informational: not in best-base or margin")
	return nil
}

// evalSigma measures the net u on the held-out pairs (clean[i], noisy[i])
// at noise level s (heldOut), against the oracle-tuned Gaussian filter
// (denoise.BestGaussian), the best db4 soft threshold over 2 … 4 levels
// (denoise.BestWaveletThreshold) and the oracle Wiener filter
// (denoise.OracleWiener). PSNRs are means over the images of
// 10·log10(1/MSE_i). It is one row of denoise-eval and of rate.
func evalSigma(u *nn.UNet, clean, noisy []*field.Field, s float64, db4 *wavelet.Wavelet) (evalReport, error) {
	r := evalReport{Sigma: s}
	den, err := denoiseAll(u, noisy)
	if err != nil {
		return r, err
	}
	n := float64(len(clean))
	for i := range clean {
		pi, _ := denoise.PSNR(clean[i], noisy[i])
		po, _ := denoise.PSNR(clean[i], den[i])
		r.PSNRIn += pi / n
		r.PSNROut += po / n
	}
	g, err := denoise.BestGaussian(clean, noisy)
	if err != nil {
		return r, err
	}
	r.PSNRGaussian, r.GaussianStd = g.PSNR, g.Param
	r.PSNRWavelet = math.Inf(-1)
	for levels := 2; levels <= 4; levels++ {
		b, err := denoise.BestWaveletThreshold(clean, noisy, db4, levels)
		if err != nil {
			return r, err
		}
		if b.PSNR > r.PSNRWavelet {
			r.PSNRWavelet, r.WaveletThreshold, r.WaveletLevels = b.PSNR, b.Param, levels
		}
	}
	r.PSNRBaselineBest = math.Max(r.PSNRGaussian, r.PSNRWavelet)
	r.Margin = r.PSNROut - r.PSNRBaselineBest
	wf, err := denoise.OracleWiener(clean, noisy, s)
	if err != nil {
		return r, err
	}
	r.PSNRWienerOracle = wf.PSNR
	return r, nil
}
