package assets

import (
	"math"
	"testing"

	"scalewise/engine/phi4"
)

// The shipped samples are critical φ⁴ fields: ⟨φ²⟩ ≈ 0.83 at β = 0.68
// (engine/phi4 reference values), finite, of the right size.
func TestPhi4Samples(t *testing.T) {
	sides := Phi4Sides()
	if len(sides) == 0 || sides[0] != 32 {
		t.Fatalf("shipped sides %v, want 32 first", sides)
	}
	for _, l := range sides {
		fs, err := Phi4Samples(l)
		if err != nil {
			t.Fatal(err)
		}
		var m phi4.Moments
		for _, f := range fs {
			if f.W != l || f.H != l {
				t.Fatalf("L=%d: a %d×%d field", l, f.W, f.H)
			}
			if err := m.Add(f); err != nil {
				t.Fatal(err)
			}
		}
		tol := 0.02 + 0.3/math.Sqrt(float64(len(fs)*l*l/64))
		if math.Abs(m.Phi2()-0.83) > tol {
			t.Errorf("L=%d: ⟨φ²⟩ = %.4f over %d samples, want 0.83 ± %.3f", l, m.Phi2(), len(fs), tol)
		}
	}
	if _, err := Phi4Samples(48); err == nil {
		t.Error("L=48: want an error")
	}
}
