package main

import (
	"fmt"
	"io"
	"sort"
)

// printRate writes the text table of rate: one line per noise level, then
// the fitted slopes beside α/(α+1) and the published one.
func printRate(w io.Writer, r *rateReport) {
	fmt.Fprintf(w, "%s on %s (%d images per σ; tr J over %d images × %d probes)\n", r.Net, r.Data, r.Images, r.TraceImages, r.Probes)
	fmt.Fprintln(w, "  sigma     PSNR_in  net     Gaussian  db4-soft  Wiener*   tr J ± SE")
	for _, row := range r.Rows {
		fmt.Fprintf(w, "  %-8.4g %7.2f  %6.2f   %6.2f    %6.2f    %6.2f   %8.1f ± %.1f", row.Sigma, row.PSNRIn, row.PSNROut, row.PSNRGaussian, row.PSNRWavelet, row.PSNRWienerOracle, row.Trace, row.TraceSE)
		if row.PSNRRoundoff != nil {
			fmt.Fprintf(w, "   round-off %.1f dB", *row.PSNRRoundoff)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "  * oracle Wiener filter (clean spectrum)")
	paper := "none published"
	if r.PaperSlope != nil {
		paper = fmt.Sprintf("%.2f", *r.PaperSlope)
	}
	fmt.Fprintf(w, "slope of PSNR_out against PSNR_in over %g–%g dB (%d levels):\n", r.FitRange[0], r.FitRange[1], r.FitPoints)
	fmt.Fprintf(w, "  net %.3f ± %.3f   theory α/(α+1) = %.3f   paper %s\n", r.Slope, r.SlopeSE, r.TheorySlope, paper)
	names := make([]string, 0, len(r.Baselines))
	for n := range r.Baselines {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b := r.Baselines[n]
		fmt.Fprintf(w, "  %-14s %.3f ± %.3f\n", n, b.Slope, b.SlopeSE)
	}
}
