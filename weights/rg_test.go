package weights

import (
	"math"
	"testing"

	"scalewise/assets"
	"scalewise/engine/phi4"
)

// Every shipped RG model loads and validates; sampling the L = 32 model
// gives critical φ⁴ fields whose ⟨φ²⟩ matches the shipped MCMC samples.
func TestShippedRGModels(t *testing.T) {
	sides := RGSides()
	if len(sides) == 0 {
		t.Fatal("no RG model shipped")
	}
	for _, l := range sides {
		m, err := RGModel(l)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Validate(); err != nil {
			t.Errorf("L=%d: %v", l, err)
		}
		if m.Provenance["command"] == "" || m.Provenance["data_sha256"] == "" {
			t.Errorf("L=%d: provenance %v", l, m.Provenance)
		}
	}
	if _, err := RGModel(48); err == nil {
		t.Error("L=48: want an error")
	}
	m, err := RGModel(32)
	if err != nil {
		t.Fatal(err)
	}
	gen, _, err := m.Sample(24, 7, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	truth, err := assets.Phi4Samples(32)
	if err != nil {
		t.Fatal(err)
	}
	var a, b phi4.Moments
	for _, f := range gen {
		if err := f.CheckFinite(); err != nil {
			t.Fatal(err)
		}
		a.Add(f)
	}
	for _, f := range truth {
		b.Add(f)
	}
	if r := math.Abs(a.Phi2()/b.Phi2() - 1); r > 0.05 {
		t.Errorf("⟨φ²⟩ %.4f from the model vs %.4f from MCMC (%.1f%%)", a.Phi2(), b.Phi2(), 100*r)
	}
}
