package denoise

import (
	"encoding/json"
	"fmt"
	"math"
)

// RateRow is one noise level of a RateReport: mean PSNRs (dB) over the held-out
// images of the net and of the baselines, and tr ∇x̂(y), mean ± standard
// error over the first trace images.
type RateRow struct {
	Sigma            float64 `json:"sigma"`
	PSNRIn           float64 `json:"psnr_in"`
	PSNROut          float64 `json:"psnr_out"`
	PSNRGaussian     float64 `json:"psnr_gaussian"`
	PSNRWavelet      float64 `json:"psnr_db4_soft"`
	PSNRWienerOracle float64 `json:"psnr_wiener_oracle"`
	Trace            float64 `json:"trace"`
	TraceSE          float64 `json:"trace_se"`
	// PSNRRoundoff (with --roundoff) is the mean PSNR of x̂(λy)/λ against
	// x̂(y), λ = 3: equal in exact arithmetic for a bias-free net, so it
	// measures the float32 round-off of the net; round-off limits PSNROut
	// only where PSNRRoundoff is not well above it.
	PSNRRoundoff *float64 `json:"psnr_roundoff,omitempty"`
}

// RateReport is the measurement of the optimal-rate law on C^α images
// (Kadkhodaie, Guth, Simoncelli and Mallat, "Generalization in diffusion
// models arises from geometry-adaptive harmonic representations", ICLR
// 2024, §3 and App. D): PSNR_out of a denoiser against PSNR_in =
// −20·log10 σ on held-out images, with least-squares slopes over the small-
// noise end beside the theory α/(α+1) of the minimax rate
// MSE ~ σ^{2α/(α+1)} (Dossal, Le Pennec, Peyré and Mallat 2005). The
// scalewise rate command writes it as JSON; the page shows it.
type RateReport struct {
	// Command is the command line that measured it.
	Command     string   `json:"command,omitempty"`
	Net         string   `json:"net"`
	Alpha       float64  `json:"alpha"`
	Data        string   `json:"data"`
	Size        int      `json:"size"`
	Images      int      `json:"images"`
	TrainedOn   string   `json:"trained_on"`
	TheorySlope float64  `json:"theory_slope"`
	PaperSlope  *float64 `json:"paper_slope"`
	// FitRange is the range of nominal PSNR_in = −20·log10 σ (dB) whose
	// levels enter the fits; FitPoints counts them.
	FitRange  [2]float64 `json:"fit_range_db"`
	FitPoints int        `json:"fit_points"`
	Slope     float64    `json:"slope"`
	SlopeSE   float64    `json:"slope_se"`
	// Intercept is the fitted line's PSNR_out at PSNR_in = 0.
	Intercept   float64             `json:"intercept"`
	Baselines   map[string]SlopeFit `json:"baseline_slopes"`
	TraceImages int                 `json:"trace_images"`
	Probes      int                 `json:"probes"`
	Rows        []RateRow           `json:"per_sigma"`
}

// SlopeFit is an ordinary least-squares line y ≈ a + b·x through points
// (x_k, y_k), with the standard error of the slope b.
type SlopeFit struct {
	Slope     float64 `json:"slope"`
	SlopeSE   float64 `json:"slope_se"`
	Intercept float64 `json:"intercept"`
	Points    int     `json:"points"`
}

// ParseRateReport reads a RateReport written by scalewise rate, checking
// that it holds at least three noise levels with finite PSNRs in
// increasing PSNR_in, and a finite slope.
func ParseRateReport(b []byte) (*RateReport, error) {
	var r RateReport
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("rate report: %w", err)
	}
	if len(r.Rows) < 3 {
		return nil, fmt.Errorf("rate report: %d noise levels, want at least 3", len(r.Rows))
	}
	for i, row := range r.Rows {
		for _, v := range []float64{row.Sigma, row.PSNRIn, row.PSNROut, row.Trace, row.TraceSE} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("rate report: level %d (σ = %v) has a value that is not finite", i, row.Sigma)
			}
		}
		if i > 0 && row.PSNRIn <= r.Rows[i-1].PSNRIn {
			return nil, fmt.Errorf("rate report: PSNR_in not increasing at level %d", i)
		}
	}
	for _, v := range []float64{r.Alpha, r.Slope, r.SlopeSE, r.TheorySlope} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("rate report: α, the slope or the theory is not finite")
		}
	}
	return &r, nil
}
