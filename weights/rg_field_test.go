package weights

import (
	"slices"
	"testing"
)

// The field types' models load by name and side (rg-<field>-L<L>.json),
// φ⁴ through RGModel as before, and names that are not field types or
// sides without a model are refused.
func TestRGFieldModels(t *testing.T) {
	for _, tc := range []struct {
		field string
		sides []int
	}{{"phi4", []int{32, 64, 128}}, {"turbulence", []int{64}}, {"calpha", []int{32}}} {
		sides := RGFieldSides(tc.field)
		if !slices.Equal(sides, tc.sides) {
			t.Errorf("%s: sides %v, want %v", tc.field, sides, tc.sides)
		}
		for _, l := range sides {
			m, err := RGFieldModel(tc.field, l)
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Validate(); err != nil || m.L != l {
				t.Errorf("%s L=%d: %v (L=%d)", tc.field, l, err, m.L)
			}
		}
	}
	if !slices.Equal(RGSides(), RGFieldSides("phi4")) {
		t.Errorf("RGSides %v differs from the φ⁴ sides %v", RGSides(), RGFieldSides("phi4"))
	}
	for _, bad := range []struct {
		field string
		l     int
	}{{"turbulence", 32}, {"calpha", 64}, {"nonesuch", 32}, {"../manifest", 32}, {"", 32}, {"Phi4", 32}} {
		if _, err := RGFieldModel(bad.field, bad.l); err == nil {
			t.Errorf("%q L=%d: want an error", bad.field, bad.l)
		}
	}
	if RGFieldSides("../x") != nil {
		t.Error("a path as a field type has sides")
	}
}
