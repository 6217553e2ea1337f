package phi4

import (
	"math"
	"math/rand/v2"
	"testing"

	"scalewise/engine/field"
)

func TestMoments(t *testing.T) {
	constant := func(c float64) *field.Field {
		f := field.New(8, 8)
		for i := range f.Data {
			f.Data[i] = c
		}
		return f
	}
	tests := []struct {
		name             string
		fields           []float64 // constant fields
		phi2, m2, binder float64
	}{
		{"two ordered states", []float64{0.9, -0.9}, 0.81, 0.81, 2.0 / 3},
		{"three levels", []float64{1, -1, 2}, 2, 2, 1 - 6.0/(3*4)},
	}
	for _, tc := range tests {
		var a Moments
		for _, c := range tc.fields {
			if err := a.Add(constant(c)); err != nil {
				t.Fatal(err)
			}
		}
		if math.Abs(a.Phi2()-tc.phi2) > 1e-12 || math.Abs(a.M2()-tc.m2) > 1e-12 || math.Abs(a.Binder()-tc.binder) > 1e-12 {
			t.Errorf("%s: ⟨φ²⟩ %v ⟨m²⟩ %v U %v, want %v %v %v", tc.name, a.Phi2(), a.M2(), a.Binder(), tc.phi2, tc.m2, tc.binder)
		}
	}
	// A Gaussian magnetisation has U = 0.
	rng := rand.New(rand.NewPCG(1, 1))
	var g Moments
	for i := 0; i < 200000; i++ {
		g.Add(constant(rng.NormFloat64()))
	}
	if u := g.Binder(); math.Abs(u) > 0.02 {
		t.Errorf("Gaussian m: U = %v, want 0", u)
	}
	var empty Moments
	if !math.IsNaN(empty.Binder()) || !math.IsNaN(empty.Phi2()) {
		t.Error("empty Moments should give NaN")
	}
	if empty.Add(nil) == nil {
		t.Error("Add(nil) gave no error")
	}
	if !math.IsNaN(Magnetisation(nil)) || !math.IsNaN(MeanSquare(&field.Field{})) {
		t.Error("Magnetisation/MeanSquare of nil or empty fields should be NaN")
	}
}
