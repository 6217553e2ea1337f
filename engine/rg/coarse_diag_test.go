package rg

import (
	"math"
	"os"
	"testing"
)

// TestMeasureCoarse samples only the two coarsest factors of a model
// (RG_MEASURE=5, RG_MODEL: a model file, RG_N chains, default 8192) and
// prints the stds of x_J and of the bands of x̄_J in φ units, which
// Compare can only estimate from as many values as fields.
func TestMeasureCoarse(t *testing.T) {
	if os.Getenv("RG_MEASURE") != "5" {
		t.Skip("set RG_MEASURE=5")
	}
	f, err := os.Open(os.Getenv("RG_MODEL"))
	if err != nil {
		t.Skip(err)
	}
	m, err := ReadModel(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	cm, err := m.compileAll(SampleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := envInt("RG_N", 8192)
	var s [4]float64
	for i := range n {
		s1, err := cm.newSampler(chainSeed(uint64(envInt("RG_SEED", 77)), i))
		if err != nil {
			t.Fatal(err)
		}
		for {
			if k, _, _ := s1.Phase(); k >= 2 {
				break
			}
			s1.Step(1)
		}
		J := m.J
		s[0] += s1.pyr.Approx[J].Data[0] * s1.pyr.Approx[J].Data[0]
		for b := range 3 {
			s[b+1] += s1.pyr.Details[J][b].Data[0] * s1.pyr.Details[J][b].Data[0]
		}
	}
	for b, name := range []string{"x", "H", "V", "D"} {
		t.Logf("%s_%d: std %.4f (φ units)", name, m.J, m.Std*math.Sqrt(s[b]/float64(n)))
	}
}
