//go:build js

package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
)

// GenerateView is what the page asks the Generate scene to show. Keys it
// leaves out keep their defaults (pair, y, small, no sweep, no pair);
// unknown keys are an error.
type GenerateView struct {
	// Mode is "pair" (two nets generating from the same noise) or "grid"
	// (many samples of one net).
	Mode string `json:"mode"`
	// Show is what a running net's panel shows: "y" (its iterate y_t) or
	// "xhat" (its estimate x̂(y_t)); a finished net shows its sample.
	Show string `json:"show"`
	// Size ("small" or "large") and N are the pair's nets' size and
	// training-set size, marked on the sweep.
	Size string `json:"size"`
	N    int    `json:"n"`
	// Sweep is the measured generalisation test of each size of net, and
	// Command the command that measured it (shown under the plot).
	Sweep   GenSweep `json:"sweep"`
	Command string   `json:"command"`
	// Pair is the pair's own similarities, once the page has them.
	Pair *GenPair `json:"pair"`
}

// GenSweep is the generalisation test of each size of net: the results of
// `scalewise generalise --size small|large --json` (either may be absent).
type GenSweep struct {
	Small []GenSweepRow `json:"small"`
	Large []GenSweepRow `json:"large"`
}

// GenSweepRow is the test at one training-set size N: cosine similarities
// of the two nets' samples from the same noise (pair_cos_*), and of each
// sample to the nearest image of its net's training set
// (nearest_train_cos_*), their medians and quartiles over the samples. A
// row is a row of the command's JSON, whose other keys are ignored; a
// similarity it lacks is not drawn.
type GenSweepRow struct {
	N                     int     `json:"N"`
	Params                int     `json:"params"`
	PairCosMedian         float64 `json:"pair_cos_median"`
	PairCosQ1             float64 `json:"pair_cos_q1"`
	PairCosQ3             float64 `json:"pair_cos_q3"`
	NearestTrainCosMedian float64 `json:"nearest_train_cos_median"`
	NearestTrainCosQ1     float64 `json:"nearest_train_cos_q1"`
	NearestTrainCosQ3     float64 `json:"nearest_train_cos_q3"`
}

// UnmarshalJSON decodes a row, its missing similarities NaN.
func (r *GenSweepRow) UnmarshalJSON(b []byte) error {
	type plain GenSweepRow
	nan := math.NaN()
	p := plain{PairCosMedian: nan, PairCosQ1: nan, PairCosQ3: nan, NearestTrainCosMedian: nan, NearestTrainCosQ1: nan, NearestTrainCosQ3: nan}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*r = GenSweepRow(p)
	return nil
}

// GenPair is the similarities of the pair shown: of its two samples, and
// of each to its nearest training image (null until known). N is the
// pair's training-set size (0: the view's N).
type GenPair struct {
	N         int      `json:"n"`
	Cos       *float64 `json:"cos"`
	NearestS1 *float64 `json:"nearest_s1"`
	NearestS2 *float64 `json:"nearest_s2"`
}

// defaultGenerateView is the view before the page sets one, and what a
// view's missing keys keep.
func defaultGenerateView() GenerateView { return GenerateView{Mode: "pair", Show: "y", Size: "small"} }

// decodeGenerateView decodes and checks a GenerateView.
func decodeGenerateView(js []byte) (GenerateView, error) {
	v := defaultGenerateView()
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return v, errors.New("data after the view")
	}
	switch {
	case v.Mode != "pair" && v.Mode != "grid":
		return v, fmt.Errorf("unknown mode %q", v.Mode)
	case v.Show != "y" && v.Show != "xhat":
		return v, fmt.Errorf("unknown show %q", v.Show)
	case v.Size != "small" && v.Size != "large":
		return v, fmt.Errorf("unknown size %q", v.Size)
	case v.N < 0:
		return v, fmt.Errorf("n = %d", v.N)
	}
	cosOK := func(c float64) bool { return math.IsNaN(c) || math.Abs(c) <= 1+1e-6 }
	for _, rows := range [][]GenSweepRow{v.Sweep.Small, v.Sweep.Large} {
		for _, r := range rows {
			if r.N < 1 || r.Params < 0 {
				return v, fmt.Errorf("sweep row with N = %d, %d params", r.N, r.Params)
			}
			for _, c := range [...]float64{r.PairCosMedian, r.PairCosQ1, r.PairCosQ3, r.NearestTrainCosMedian, r.NearestTrainCosQ1, r.NearestTrainCosQ3} {
				if !cosOK(c) {
					return v, fmt.Errorf("sweep row at N = %d: cosine %g", r.N, c)
				}
			}
		}
	}
	if p := v.Pair; p != nil {
		if p.N < 0 {
			return v, fmt.Errorf("pair n = %d", p.N)
		}
		for _, c := range [...]*float64{p.Cos, p.NearestS1, p.NearestS2} {
			if c != nil && !cosOK(*c) {
				return v, fmt.Errorf("pair cosine %g", *c)
			}
		}
	}
	byN := func(rows []GenSweepRow) []GenSweepRow {
		rows = append([]GenSweepRow(nil), rows...)
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].N < rows[j].N })
		return rows
	}
	v.Sweep.Small, v.Sweep.Large = byN(v.Sweep.Small), byN(v.Sweep.Large)
	return v, nil
}
