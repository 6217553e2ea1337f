package compute

import (
	"math"
	"strconv"
)

// Numbers for the JSON header: JSON has no NaN or infinities, and the
// canvas app's wasm decodes it in time proportional to its length.

// sig returns xs rounded to 4 significant digits (NaN and ±Inf become 0),
// never nil: plot data for the canvas app.
func sig(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, v := range xs {
		if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
			continue
		}
		out[i], _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 4, 64), 64)
	}
	return out
}

// finiteOrNil returns &v, or nil (JSON null) when v is NaN or infinite.
func finiteOrNil(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
