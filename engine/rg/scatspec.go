package rg

import (
	"errors"
	"fmt"
	"slices"

	"scalewise/engine/wavelet"
)

// ScatSpec asks for scattering-interaction terms in a conditional factor
// (see the package documentation, "Scattering interactions"; Lempereur and
// Mallat, arXiv:2405.03468). The zero value is valid: bump-steerable
// wavelets, 4 orientations, every family, not isotropic, exact
// Laplacians; DefaultScatSpec is the recommended setting.
type ScatSpec struct {
	// Kind is the directional wavelet, "bump" (pywph's bump-steerable,
	// the default when empty) or "morlet" (kymatio's).
	Kind string `json:"kind,omitempty"`
	// Orientations is L, the number of orientations in [0, π) (0: 4).
	Orientations int `json:"orientations,omitempty"`
	// Isotropic sums each feature over the L global rotations.
	Isotropic bool `json:"isotropic,omitempty"`
	// Families lists the families to include among "s1", "s3", "s4c" and
	// "s4n" (nil or empty: all).
	Families []string `json:"families,omitempty"`
	// Probes is the number of Rademacher probes per field of the
	// Hutchinson estimate of the s4n Laplacians; 0 uses the 3n² coordinate
	// vectors (exact).
	Probes int `json:"probes,omitempty"`
	// Smoothing is ε ≥ 0 of the smoothed modulus U = (|z|² + ε²)^{1/2}
	// of the new-scale coefficients z (in the renormalised units of x̃,
	// whose details have unit rms); 0 is the modulus |z|. With ε = 0 the
	// Laplacian Δ_x̄U ∝ 1/|z| is unbounded near z = 0 and the Hyvärinen
	// loss's E[ΔĒ] is dominated by the smallest coefficients; ε > 0
	// bounds it by ‖∇z‖²/ε (see ScatBlock.Smoothing).
	Smoothing float64 `json:"smoothing,omitempty"`
}

// scatFamilies returns the families of ScatSpec.Families in term order.
func scatFamilies() []string { return []string{"s1", "s3", "s4c", "s4n"} }

// DefaultScatSpec returns bump-steerable wavelets with 4 orientations,
// isotropic, every family, and exact Laplacians up to a 16×16 field (3·8²
// probes) and 4 Rademacher probes beyond.
func DefaultScatSpec(grid int) ScatSpec {
	p := 0
	if grid > 16 {
		p = 4
	}
	return ScatSpec{Kind: "bump", Orientations: 4, Isotropic: true, Probes: p}
}

// ScatMinGrid is the smallest field x_{j−1} (Scale.Grid) that can carry
// scattering terms (wavelet.MinDirectionalSize).
const ScatMinGrid = wavelet.MinDirectionalSize

// maxProbes bounds ScatSpec.Probes.
const maxProbes = 4096

// maxSmoothing bounds ScatSpec.Smoothing: the renormalised coefficients
// have unit rms, so beyond a few units U is nearly quadratic in z.
const maxSmoothing = 100

// ScatFamily names a family of scattering features (see ScatTerm).
type ScatFamily string

// The scattering feature families.
const (
	ScatS1   ScatFamily = "s1"
	ScatS3Re ScatFamily = "s3re"
	ScatS3Im ScatFamily = "s3im"
	ScatS4C  ScatFamily = "s4c"
	ScatS4N  ScatFamily = "s4n"
)

// ScatTerm is one scattering feature of a conditional factor (package
// documentation, "Scattering interactions"). With U_ℓ the new-scale
// moduli, y_{k,ℓ} and M_{k,ℓ} the coarse coefficients and moduli and ψ_{k,ℓ}
// the directional wavelets on the factor's Grid:
//
//	s1   Σ_u U_L1(u)
//	s3re Re⟨U_L1 ⋆ ψ_{K2,L2}, y_{K2,L2}⟩         (K3 = L3 = 0)
//	s3im Im⟨U_L1 ⋆ ψ_{K2,L2}, y_{K2,L2}⟩
//	s4c  Re⟨U_L1 ⋆ ψ_{K3,L3}, M_{K2,L2} ⋆ ψ_{K3,L3}⟩
//	s4n  Re⟨U_L1 ⋆ ψ_{K3,L3}, U_L2 ⋆ ψ_{K3,L3}⟩   (K2 = 0, L1 ≤ L2)
//
// unused indices being 0. In an isotropic block the feature is the sum of
// these over the rotations ℓ → ℓ + r (mod L) of L1, L2 and L3.
type ScatTerm struct {
	Family ScatFamily `json:"f"`
	L1     int        `json:"l1"`
	K2     int        `json:"k2"`
	L2     int        `json:"l2"`
	K3     int        `json:"k3"`
	L3     int        `json:"l3"`
}

// String names the term, e.g. "s4c(0;1,2;3,1)".
func (t ScatTerm) String() string {
	switch t.Family {
	case ScatS1:
		return fmt.Sprintf("s1(%d)", t.L1)
	case ScatS3Re, ScatS3Im:
		return fmt.Sprintf("%s(%d;%d,%d)", t.Family, t.L1, t.K2, t.L2)
	case ScatS4N:
		return fmt.Sprintf("s4n(%d,%d;%d,%d)", t.L1, t.L2, t.K3, t.L3)
	}
	return fmt.Sprintf("%s(%d;%d,%d;%d,%d)", t.Family, t.L1, t.K2, t.L2, t.K3, t.L3)
}

// ScatBlock holds the scattering terms of a fitted conditional factor
// (Scale.Scattering); their coefficients follow the quadratic ones in
// Scale.Theta.
type ScatBlock struct {
	// Kind, Orientations, Isotropic, Families and Probes are those of the
	// ScatSpec, resolved (Families in the order s1, s3, s4c, s4n).
	Kind         string   `json:"kind"`
	Orientations int      `json:"orientations"`
	Isotropic    bool     `json:"isotropic"`
	Families     []string `json:"families"`
	Probes       int      `json:"probes"`
	// Smoothing is ε of the smoothed modulus U = (|z|² + ε²)^{1/2} of
	// the new-scale coefficients (ScatSpec.Smoothing; 0: |z|).
	Smoothing float64 `json:"smoothing,omitempty"`
	// Scales is K = log₂Grid − 1, the scales of the directional bank.
	Scales int `json:"scales"`
	// Norm is σ: the features see x̃ = x_{j−1}/σ (the rms of the training
	// x̄_j).
	Norm float64 `json:"norm"`
	// Terms lists the features in the order of their coefficients.
	Terms []ScatTerm `json:"terms"`
}

// resolve checks s for a factor whose field is grid×grid and returns the
// block it describes (without Norm).
func (s ScatSpec) resolve(grid int) (*ScatBlock, error) {
	kind := s.Kind
	if kind == "" {
		kind = "bump"
	}
	if _, err := wavelet.ParseDirectionalKind(kind); err != nil {
		return nil, fmt.Errorf("scattering: %w", err)
	}
	L := s.Orientations
	if L == 0 {
		L = 4
	}
	if L < 1 || L > wavelet.MaxOrientations {
		return nil, fmt.Errorf("scattering: %d orientations (want 1..%d)", L, wavelet.MaxOrientations)
	}
	if grid < ScatMinGrid || !isPow2(grid) {
		return nil, fmt.Errorf("scattering: a %d×%d field cannot carry scattering terms (need a power of two ≥ %d)", grid, grid, ScatMinGrid)
	}
	if s.Probes < 0 || s.Probes > maxProbes {
		return nil, fmt.Errorf("scattering: %d probes (want 0..%d)", s.Probes, maxProbes)
	}
	if !(s.Smoothing >= 0) || s.Smoothing > maxSmoothing {
		return nil, fmt.Errorf("scattering: smoothing %v (want 0 ≤ ε ≤ %g)", s.Smoothing, float64(maxSmoothing))
	}
	fams := []string{}
	for _, f := range scatFamilies() {
		if len(s.Families) == 0 || slices.Contains(s.Families, f) {
			fams = append(fams, f)
		}
	}
	for _, f := range s.Families {
		if !slices.Contains(scatFamilies(), f) {
			return nil, fmt.Errorf("scattering: unknown family %q (want s1, s3, s4c or s4n)", f)
		}
	}
	b := &ScatBlock{Kind: kind, Orientations: L, Isotropic: s.Isotropic, Families: fams, Probes: s.Probes, Smoothing: s.Smoothing,
		Scales: wavelet.MaxDirectionalScales(grid, grid)}
	b.Terms = buildScatTerms(b.Scales, L, b.Isotropic, fams)
	if len(b.Terms) == 0 {
		return nil, errors.New("scattering: no terms")
	}
	return b, nil
}

// validate checks a block against the factor's grid.
func (b *ScatBlock) validate(grid int) error {
	if b.Norm <= 0 || !finite(b.Norm) {
		return fmt.Errorf("scattering: norm %v must be positive and finite", b.Norm)
	}
	want, err := ScatSpec{Kind: b.Kind, Orientations: b.Orientations, Isotropic: b.Isotropic,
		Families: b.Families, Probes: b.Probes, Smoothing: b.Smoothing}.resolve(grid)
	if err != nil {
		return err
	}
	switch {
	case b.Kind != want.Kind || b.Orientations != want.Orientations:
		return fmt.Errorf("scattering: kind %q with %d orientations is not resolved (want %q, %d)", b.Kind, b.Orientations, want.Kind, want.Orientations)
	case !slices.Equal(b.Families, want.Families):
		return fmt.Errorf("scattering: families %v are not in canonical order %v", b.Families, want.Families)
	case b.Scales != want.Scales:
		return fmt.Errorf("scattering: %d scales, want %d for a %d×%d field", b.Scales, want.Scales, grid, grid)
	case !slices.Equal(b.Terms, want.Terms):
		return fmt.Errorf("scattering: term list (%d terms) differs from the one built (%d terms)", len(b.Terms), len(want.Terms))
	}
	return nil
}

// rotate returns t with its orientations turned by r (mod L), normalised
// (L1 ≤ L2 for s4n, whose feature is symmetric in them).
func (t ScatTerm) rotate(r, L int) ScatTerm {
	t.L1 = mod(t.L1+r, L)
	switch t.Family {
	case ScatS1:
	case ScatS3Re, ScatS3Im:
		t.L2 = mod(t.L2+r, L)
	default:
		t.L2 = mod(t.L2+r, L)
		t.L3 = mod(t.L3+r, L)
	}
	if t.Family == ScatS4N && t.L1 > t.L2 {
		t.L1, t.L2 = t.L2, t.L1
	}
	return t
}

// less orders terms of one family by (L1, L2, L3).
func (t ScatTerm) less(o ScatTerm) bool {
	if t.L1 != o.L1 {
		return t.L1 < o.L1
	}
	if t.L2 != o.L2 {
		return t.L2 < o.L2
	}
	return t.L3 < o.L3
}

// canonical reports whether t is the least of its rotations.
func (t ScatTerm) canonical(L int) bool {
	for r := 1; r < L; r++ {
		if t.rotate(r, L).less(t) {
			return false
		}
	}
	return true
}

// buildScatTerms lists the features of a block with K bank scales and L
// orientations, family by family (s1, s3re/s3im, s4c, s4n), scales
// outermost and orientations innermost:
//
//	s1:   ℓ1
//	s3:   k = 1..K−1, ℓ1, ℓ2, then re before im
//	s4c:  k2 = 1..K−1, k3 = k2..K−1, ℓ1, ℓ2, ℓ3
//	s4n:  k3 = 0..K−1, ℓ1 ≤ ℓ2, ℓ3
//
// keeping, when isotropic, only the least term of each rotation class.
func buildScatTerms(K, L int, iso bool, fams []string) []ScatTerm {
	var out []ScatTerm
	add := func(t ScatTerm) {
		if !iso || t.canonical(L) {
			out = append(out, t)
		}
	}
	for _, f := range fams {
		switch f {
		case "s1":
			for l1 := range L {
				add(ScatTerm{Family: ScatS1, L1: l1})
			}
		case "s3":
			for k := 1; k < K; k++ {
				for l1 := range L {
					for l2 := range L {
						add(ScatTerm{Family: ScatS3Re, L1: l1, K2: k, L2: l2})
						add(ScatTerm{Family: ScatS3Im, L1: l1, K2: k, L2: l2})
					}
				}
			}
		case "s4c":
			for k2 := 1; k2 < K; k2++ {
				for k3 := k2; k3 < K; k3++ {
					for l1 := range L {
						for l2 := range L {
							for l3 := range L {
								add(ScatTerm{Family: ScatS4C, L1: l1, K2: k2, L2: l2, K3: k3, L3: l3})
							}
						}
					}
				}
			}
		case "s4n":
			for k3 := range K {
				for l1 := range L {
					for l2 := l1; l2 < L; l2++ {
						for l3 := range L {
							add(ScatTerm{Family: ScatS4N, L1: l1, L2: l2, K3: k3, L3: l3})
						}
					}
				}
			}
		}
	}
	return out
}
