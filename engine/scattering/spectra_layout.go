package scattering

import (
	"fmt"
	"strings"
)

// Form selects one of the two coefficient vectors of the scattering spectra
// (for_synthesis and for_synthesis_iso of the code of Cheng et al.,
// "Scattering Spectra Models for Physics", PNAS Nexus 3, pgae103 (2024)).
type Form int

const (
	// Full is every coefficient: mean, log S1 and log S2 (J·L each), then
	// Re S3 and Im S3 (P3·L² each), then Re S4 and Im S4 (P4·L³ each), with
	// P3 and P4 the numbers of scale pairs and triples of the ScaleRule.
	Full Form = iota + 1
	// Isotropic is the angle-reduced form: every orientation-dependent
	// quantity averaged over a global rotation ℓ → ℓ + r (mod L), keeping
	// the relative angles, and only real parts kept: mean, log of the
	// ℓ-averaged S1 and S2 (J each), Re S3(j1, j, δ) with δ = ℓ − ℓ1 mod L
	// (P3·L) and Re S4(j1, j2, j3, δ2, δ3) with δ2 = ℓ2 − ℓ1, δ3 = ℓ3 − ℓ1
	// mod L (P4·L²). It is invariant under the rotations of the grid that
	// permute the orientations (90° on square grids with L even).
	Isotropic
)

// String returns "full" or "iso".
func (f Form) String() string {
	switch f {
	case Full:
		return "full"
	case Isotropic:
		return "iso"
	}
	return fmt.Sprintf("Form(%d)", int(f))
}

// ParseForm returns the Form named s: "full", or "iso" (also "isotropic"),
// case-insensitive.
func ParseForm(s string) (Form, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "full":
		return Full, nil
	case "iso", "isotropic":
		return Isotropic, nil
	}
	return 0, fmt.Errorf("scattering: unknown spectra form %q (want full or iso)", s)
}

// ScaleRule selects the scale tuples of S3 and S4.
type ScaleRule int

const (
	// ScalesInclusive keeps S3(j1, j) for j1 ≤ j and S4(j1, j2, j3) for
	// j1 ≤ j2 ≤ j3: the index ranges and coefficient counts of the code
	// of Cheng et al. 2024 (scattering_cov):
	// P3 = J(J+1)/2, P4 = J(J+1)(J+2)/6.
	ScalesInclusive ScaleRule = iota
	// ScalesStrict keeps j1 < j in S3 and j1 ≤ j2 < j3 in S4 (the outer
	// wavelet strictly coarser than the modulus it filters):
	// P3 = J(J−1)/2, P4 = (J−1)J(J+1)/6.
	ScalesStrict
)

// String returns "inclusive" or "strict".
func (r ScaleRule) String() string {
	switch r {
	case ScalesInclusive:
		return "inclusive"
	case ScalesStrict:
		return "strict"
	}
	return fmt.Sprintf("ScaleRule(%d)", int(r))
}

// CoefficientCount returns the length of the Form f vector for J scales, L
// orientations and the scale rule r (see Form and the package
// documentation):
//
//	Full      1 + 2JL + 2·P3·L² + 2·P4·L³
//	Isotropic 1 + 2J  +   P3·L  +   P4·L²
//
// It returns 0 for an unknown form or rule or J, L < 1.
func CoefficientCount(f Form, J, L int, r ScaleRule) int {
	if J < 1 || L < 1 || (r != ScalesInclusive && r != ScalesStrict) {
		return 0
	}
	p3, p4 := J*(J+1)/2, J*(J+1)*(J+2)/6
	if r == ScalesStrict {
		p3, p4 = J*(J-1)/2, (J-1)*J*(J+1)/6
	}
	switch f {
	case Full:
		return 1 + 2*J*L + 2*p3*L*L + 2*p4*L*L*L
	case Isotropic:
		return 1 + 2*J + p3*L + p4*L*L
	}
	return 0
}

// spLayout indexes the coefficients of J scales, L orientations and a scale
// rule. S3 pairs (j1, j) and S4 triples (j1, j2, j3) are numbered in
// lexicographic order; the complex S3 of pair p and orientations (ℓ1, ℓ) is
// at p·L² + ℓ1·L + ℓ, the S4 of triple t and (ℓ1, ℓ2, ℓ3) at
// t·L³ + ℓ1·L² + ℓ2·L + ℓ3.
type spLayout struct {
	J, L int
	rule ScaleRule
	p3   [][2]int // (j1, j)
	p4   [][3]int // (j1, j2, j3)
	i3   []int    // [j1·J + j] → pair index, or −1
	i4   []int    // [(j1·J + j2)·J + j3] → triple index, or −1
}

func spNewLayout(J, L int, rule ScaleRule) *spLayout {
	ly := &spLayout{J: J, L: L, rule: rule, i3: make([]int, J*J), i4: make([]int, J*J*J)}
	for i := range ly.i3 {
		ly.i3[i] = -1
	}
	for i := range ly.i4 {
		ly.i4[i] = -1
	}
	for j1 := range J {
		for j := j1; j < J; j++ {
			if j1 <= ly.inner(j) {
				ly.i3[j1*J+j] = len(ly.p3)
				ly.p3 = append(ly.p3, [2]int{j1, j})
			}
		}
	}
	for j1 := range J {
		for j2 := j1; j2 < J; j2++ {
			for j3 := j2; j3 < J; j3++ {
				if j2 <= ly.inner(j3) {
					ly.i4[(j1*J+j2)*J+j3] = len(ly.p4)
					ly.p4 = append(ly.p4, [3]int{j1, j2, j3})
				}
			}
		}
	}
	return ly
}

// inner returns the largest modulus scale j1 paired with the outer scale j:
// j (inclusive) or j − 1 (strict; −1 when there is none).
func (ly *spLayout) inner(j int) int {
	if ly.rule == ScalesStrict {
		return j - 1
	}
	return j
}

func (ly *spLayout) n3() int { return len(ly.p3) * ly.L * ly.L }
func (ly *spLayout) n4() int { return len(ly.p4) * ly.L * ly.L * ly.L }

func (ly *spLayout) count(f Form) int { return CoefficientCount(f, ly.J, ly.L, ly.rule) }

// CoefGroup is a contiguous range [Start, End) of a coefficient vector holding
// one statistic: "mean", "S1", "S2", "S3" or "S4" (real and imaginary parts
// together).
type CoefGroup struct {
	Name       string
	Start, End int
}

// groups returns the five groups of the Form f vector.
func (ly *spLayout) groups(f Form) []CoefGroup {
	J, L := ly.J, ly.L
	var s12, s3, s4 int
	switch f {
	case Full:
		s12, s3, s4 = J*L, 2*ly.n3(), 2*ly.n4()
	case Isotropic:
		s12, s3, s4 = J, len(ly.p3)*L, len(ly.p4)*L*L
	default:
		return nil
	}
	sizes := []int{1, s12, s12, s3, s4}
	names := []string{"mean", "S1", "S2", "S3", "S4"}
	g := make([]CoefGroup, len(sizes))
	at := 0
	for i, s := range sizes {
		g[i] = CoefGroup{Name: names[i], Start: at, End: at + s}
		at += s
	}
	return g
}

// labels returns one label per coefficient of the Form f vector, e.g.
// "logS1[j=0,l=1]", "ImS3[j1=0,l1=1,j=2,l=3]",
// "ReS4[j1=0,l1=0,j2=1,l2=2,j3=2,l3=3]" (Full) or "ReS3[j1=0,j=2,dl=1]",
// "ReS4[j1=0,j2=1,j3=2,dl2=0,dl3=3]" (Isotropic; dl = ℓ − ℓ1 mod L).
func (ly *spLayout) labels(f Form) []string {
	J, L := ly.J, ly.L
	out := make([]string, 0, ly.count(f))
	out = append(out, "mean")
	switch f {
	case Full:
		for _, name := range []string{"logS1", "logS2"} {
			for j := range J {
				for l := range L {
					out = append(out, fmt.Sprintf("%s[j=%d,l=%d]", name, j, l))
				}
			}
		}
		for _, part := range []string{"Re", "Im"} {
			for _, p := range ly.p3 {
				for l1 := range L {
					for l := range L {
						out = append(out, fmt.Sprintf("%sS3[j1=%d,l1=%d,j=%d,l=%d]", part, p[0], l1, p[1], l))
					}
				}
			}
		}
		for _, part := range []string{"Re", "Im"} {
			for _, t := range ly.p4 {
				for l1 := range L {
					for l2 := range L {
						for l3 := range L {
							out = append(out, fmt.Sprintf("%sS4[j1=%d,l1=%d,j2=%d,l2=%d,j3=%d,l3=%d]",
								part, t[0], l1, t[1], l2, t[2], l3))
						}
					}
				}
			}
		}
	case Isotropic:
		for _, name := range []string{"logS1", "logS2"} {
			for j := range J {
				out = append(out, fmt.Sprintf("%s[j=%d]", name, j))
			}
		}
		for _, p := range ly.p3 {
			for d := range L {
				out = append(out, fmt.Sprintf("ReS3[j1=%d,j=%d,dl=%d]", p[0], p[1], d))
			}
		}
		for _, t := range ly.p4 {
			for d2 := range L {
				for d3 := range L {
					out = append(out, fmt.Sprintf("ReS4[j1=%d,j2=%d,j3=%d,dl2=%d,dl3=%d]", t[0], t[1], t[2], d2, d3))
				}
			}
		}
	default:
		return nil
	}
	return out
}
