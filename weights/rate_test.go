package weights

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestRateReports checks the shipped rate curves: one per shipped C^α
// denoiser, measured on that net, with the theory α/(α+1) and a slope that
// agrees with the least-squares fit of its own points over its range.
func TestRateReports(t *testing.T) {
	rs, err := RateReports()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 {
		t.Fatalf("%d rate reports, want 3 (α = 1, 2, 4)", len(rs))
	}
	for _, r := range rs {
		want := fmt.Sprintf("denoiser-calpha%g.safetensors", r.Alpha)
		if !strings.HasSuffix(r.Net, want) {
			t.Errorf("α = %g: measured on %s, want weights/%s", r.Alpha, r.Net, want)
		}
		if th := r.Alpha / (r.Alpha + 1); math.Abs(r.TheorySlope-th) > 1e-12 {
			t.Errorf("α = %g: theory %g, want %g", r.Alpha, r.TheorySlope, th)
		}
		if !strings.HasPrefix(r.Command, "scalewise rate ") {
			t.Errorf("α = %g: command %q", r.Alpha, r.Command)
		}
		// Refit the slope from the rows in the fit range.
		var xs, ys []float64
		for _, row := range r.Rows {
			nominal := -20 * math.Log10(row.Sigma)
			if nominal >= r.FitRange[0]-1e-9 && nominal <= r.FitRange[1]+1e-9 {
				xs, ys = append(xs, row.PSNRIn), append(ys, row.PSNROut)
			}
		}
		if len(xs) != r.FitPoints {
			t.Fatalf("α = %g: %d points in the fit range, report says %d", r.Alpha, len(xs), r.FitPoints)
		}
		var mx, my float64
		for i := range xs {
			mx, my = mx+xs[i], my+ys[i]
		}
		mx, my = mx/float64(len(xs)), my/float64(len(xs))
		var sxy, sxx float64
		for i := range xs {
			sxy += (xs[i] - mx) * (ys[i] - my)
			sxx += (xs[i] - mx) * (xs[i] - mx)
		}
		b := sxy / sxx
		if math.Abs(b-r.Slope) > 1e-9 || math.Abs(my-b*mx-r.Intercept) > 1e-6 {
			t.Errorf("α = %g: slope %g and intercept %g, its points fit %g and %g", r.Alpha, r.Slope, r.Intercept, b, my-b*mx)
		}
	}
}
