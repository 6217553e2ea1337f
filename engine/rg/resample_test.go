package rg

import (
	"math"
	"strings"
	"testing"

	"scalewise/engine/field"
)

// TestResampleFactor checks that ResampleFactor redraws exactly the details
// x̄_j of the chosen factor: analysed again, each output keeps its field's
// coarse x_j and every finer detail (to rounding) while x̄_j changes; the
// same seed gives the same fields whatever the number of workers.
func TestResampleFactor(t *testing.T) {
	const L = 16
	specs, J, err := DefaultSpecs(L)
	if err != nil {
		t.Fatal(err)
	}
	for i := range specs {
		specs[i].Steps = 20
	}
	m, err := Fit(smoothFields(64, L, 5), FitOptions{Specs: specs, Calibration: -1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	fs := smoothFields(3, L, 6)
	// levels returns the channels of every level of the field's pyramid,
	// in the model's normalisation: levels[l] has grid L>>l.
	levels := func(f *field.Field) [][4][]float64 {
		x := make([]float64, len(f.Data))
		for p, v := range f.Data {
			x[p] = (v - m.Mean) / m.Std
		}
		var out [][4][]float64
		for N := L; N > L>>J; N /= 2 {
			lev, _ := newLevel(db4(t), N)
			var u [4][]float64
			for c := range 4 {
				u[c] = make([]float64, N*N/4)
			}
			lev.analyse(x, &u)
			out = append(out, u)
			x = u[0]
		}
		return out
	}
	for i := 1; i <= J; i++ {
		j := J + 1 - i
		out, acc, err := m.ResampleFactor(fs, i, ResampleOptions{Seed: 3}, 1)
		if err != nil {
			t.Fatal(err)
		}
		again, _, err := m.ResampleFactor(fs, i, ResampleOptions{Seed: 3}, 2)
		if err != nil {
			t.Fatal(err)
		}
		for k := range fs {
			for p := range out[k].Data {
				if out[k].Data[p] != again[k].Data[p] {
					t.Fatalf("factor %d, field %d: 1 and 2 workers differ at %d", i, k, p)
				}
			}
			a, b := levels(fs[k]), levels(out[k])
			var keep, changed float64
			for l := range a {
				for c := range 4 {
					if c == 0 && l != j-1 {
						continue
					}
					for q := range a[l][c] {
						d := math.Abs(a[l][c][q] - b[l][c][q])
						switch {
						case l == j-1 && c > 0:
							changed = max(changed, d)
						case l < j-1 || c == 0:
							keep = max(keep, d)
						}
					}
				}
			}
			if keep > 1e-9 || changed < 1e-3 {
				t.Errorf("factor %d (j = %d), field %d: kept channels moved by %.3g, x̄_j by %.3g", i, j, k, keep, changed)
			}
			if !(acc[k] > 0 && acc[k] <= 1) {
				t.Errorf("factor %d, field %d: acceptance %v", i, k, acc[k])
			}
		}
	}
	nan := smoothFields(1, L, 7)
	nan[0].Data[3] = math.NaN()
	for _, tc := range []struct {
		name   string
		fields []*field.Field
		i      int
		o      ResampleOptions
		want   string
	}{
		{"unconditional", fs, 0, ResampleOptions{}, "not conditional"},
		{"beyond", fs, J + 1, ResampleOptions{}, "not conditional"},
		{"none", nil, 1, ResampleOptions{}, "no fields"},
		{"size", smoothFields(1, 8, 1), 1, ResampleOptions{}, "is not 16×16"},
		{"NaN", nan, 1, ResampleOptions{}, "not finite"},
		{"steps", fs, 1, ResampleOptions{Steps: -1}, "steps"},
	} {
		if _, _, err := m.ResampleFactor(tc.fields, tc.i, tc.o, 1); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
