package weights

import (
	"fmt"
	"io/fs"
	"sort"

	"scalewise/engine/denoise"
)

// RateReports returns the measured optimal-rate curves of the shipped C^α
// denoisers (make rate-tables: scalewise rate on held-out C^α images), in
// increasing α.
func RateReports() ([]*denoise.RateReport, error) {
	names, err := fs.Glob(files, "rate-calpha*.json")
	if err != nil {
		return nil, err
	}
	var out []*denoise.RateReport
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		r, err := denoise.ParseRateReport(b)
		if err != nil {
			return nil, fmt.Errorf("weights %s: %w", n, err)
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Alpha < out[j].Alpha })
	return out, nil
}
