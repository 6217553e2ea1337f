package rg

import "fmt"

// Term is one quadratic interaction of a scale's energy (Marchand et al.,
// "Multiscale data-driven energy estimation and generation", PRX 13,
// 041038 (2023), §4.3), the feature
//
//	Φ_t(u) = ½ Σ_p u_C(p) u_D(p+s),   s = (SX, SY),
//
// where p+s is taken periodically on the coarse grid (x = column, y = row)
// and u are the channels of the scale: for a conditional scale u_0 = x_j
// (conditioning) and u_1, u_2, u_3 = H_j, V_j, D_j (the varying details
// x̄_j); for the unconditional coarsest scale u_1 = x_J is the only channel.
// C ≤ D always; C = 0 only for conditioning × varying terms (there is no
// conditioning × conditioning term, which would not depend on x̄_j).
type Term struct {
	C  int `json:"c"`
	D  int `json:"d"`
	SX int `json:"sx"`
	SY int `json:"sy"`
}

// comp is one component of the gradient of a term: ∂Φ_t/∂u_A(q) contains
// Alpha·u_B(q+r), r = (RX, RY).
type comp struct {
	A, B   int
	Alpha  float64
	RX, RY int
}

// mod returns a mod n in [0, n).
func mod(a, n int) int {
	a %= n
	if a < 0 {
		a += n
	}
	return a
}

// stencilShifts lists the shifts of the (2S+1)² stencil: (0, 0) first, then
// the "positive half" (sy > 0, or sy = 0 and sx > 0) in raster order, then
// the negative half in raster order.
func stencilShifts(s int) [][2]int {
	out := [][2]int{{0, 0}}
	for sy := 0; sy <= s; sy++ {
		for sx := -s; sx <= s; sx++ {
			if sy == 0 && sx <= 0 {
				continue
			}
			out = append(out, [2]int{sx, sy})
		}
	}
	for sy := -s; sy <= 0; sy++ {
		for sx := -s; sx <= s; sx++ {
			if sy == 0 && sx >= 0 {
				continue
			}
			out = append(out, [2]int{sx, sy})
		}
	}
	return out
}

// varyingChannels returns the varying channels of a scale.
func varyingChannels(conditional bool) []int {
	if conditional {
		return []int{1, 2, 3}
	}
	return []int{1}
}

// sourceChannels returns every channel of a scale (the sources of gradient
// components).
func sourceChannels(conditional bool) []int {
	if conditional {
		return []int{0, 1, 2, 3}
	}
	return []int{1}
}

// buildTerms returns the quadratic terms of a scale with coarse grid n and
// stencil half-width s, in the documented order of Scale.Theta:
//
//  1. each varying channel c with itself (c = 1..3, or 1), over shift 0 and
//     the positive half of the stencil (s and −s give the same feature);
//  2. each pair c < d of distinct varying channels ((1,2), (1,3), (2,3)),
//     over every shift of the stencil;
//  3. (conditional scales only) conditioning × each varying channel d
//     ((0,1), (0,2), (0,3)), over every shift of the stencil.
//
// Shifts are periodic on the n×n grid, so shifts equal modulo n give the
// same feature; only the first one of each class (in the order of
// stencilShifts) is kept, which keeps the score-matching matrix
// non-singular when the stencil is wider than the grid. For a 9×9 stencil
// on a grid of at least 9 this gives 3·41 + 3·81 + 3·81 = 609 terms.
func buildTerms(conditional bool, n, s int) []Term {
	shifts := stencilShifts(s)
	vary := varyingChannels(conditional)
	var out []Term
	key := func(sx, sy int) int { return mod(sy, n)*n + mod(sx, n) }
	for _, c := range vary {
		seen := map[int]bool{}
		for _, sh := range shifts {
			k1, k2 := key(sh[0], sh[1]), key(-sh[0], -sh[1])
			k := min(k1, k2)
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, Term{C: c, D: c, SX: sh[0], SY: sh[1]})
		}
	}
	pair := func(c, d int) {
		seen := map[int]bool{}
		for _, sh := range shifts {
			k := key(sh[0], sh[1])
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, Term{C: c, D: d, SX: sh[0], SY: sh[1]})
		}
	}
	for i, c := range vary {
		for _, d := range vary[i+1:] {
			pair(c, d)
		}
	}
	if conditional {
		for _, d := range vary {
			pair(0, d)
		}
	}
	return out
}

// components returns the gradient components of t:
//
//	∂Φ_t/∂u_a(q) = ½ [δ_{a,C} u_D(q+s) + δ_{a,D} u_C(q−s)],
//
// keeping only the varying channels a (channel 0 is fixed).
func (t Term) components() []comp {
	var out []comp
	if t.C != 0 {
		out = append(out, comp{A: t.C, B: t.D, Alpha: 0.5, RX: t.SX, RY: t.SY})
	}
	if t.D != 0 {
		out = append(out, comp{A: t.D, B: t.C, Alpha: 0.5, RX: -t.SX, RY: -t.SY})
	}
	return out
}

// laplacian returns Δ_x̄ Φ_t on an n×n grid: n² for a self term at shift 0
// (Φ = ½Σu_c², ∂²Φ/∂u_c(q)² = 1), 0 otherwise (every other term is bilinear
// in distinct coordinates).
func (t Term) laplacian(n int) float64 {
	if t.C == t.D && t.C != 0 && mod(t.SX, n) == 0 && mod(t.SY, n) == 0 {
		return float64(n * n)
	}
	return 0
}

// String names the term as "c×d@(sx,sy)".
func (t Term) String() string { return fmt.Sprintf("%d×%d@(%d,%d)", t.C, t.D, t.SX, t.SY) }
