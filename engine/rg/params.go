package rg

import (
	"errors"
	"fmt"
)

// ScaleParams counts the parameters of one factor of a Model.
type ScaleParams struct {
	// Index is the factor's index in Model.Scales, J its level and Grid
	// the side of its potential field (x_{j−1}, or x_J).
	Index int `json:"index"`
	J     int `json:"j"`
	Grid  int `json:"grid"`
	// Sigmoids, Quadratic and Scattering count the coefficients of the
	// potential, of the quadratic terms and of the scattering terms;
	// Total is their sum.
	Sigmoids   int `json:"sigmoids"`
	Quadratic  int `json:"quadratic"`
	Scattering int `json:"scattering"`
	Total      int `json:"total"`
}

// ParamCounts counts the parameters of a Model beside the dimension
// d = L² of its fields (Lempereur and Mallat, arXiv:2405.03468, count
// O(log³ d) scattering-interaction coefficients).
type ParamCounts struct {
	L int `json:"l"`
	D int `json:"d"`
	// Scales holds one count per factor, in the order of Model.Scales.
	Scales []ScaleParams `json:"scales"`
	// Sigmoids, Quadratic, Scattering and Total are summed over factors.
	Sigmoids   int `json:"sigmoids"`
	Quadratic  int `json:"quadratic"`
	Scattering int `json:"scattering"`
	Total      int `json:"total"`
}

func (pc *ParamCounts) add(sp ScaleParams) {
	sp.Total = sp.Sigmoids + sp.Quadratic + sp.Scattering
	pc.Scales = append(pc.Scales, sp)
	pc.Sigmoids += sp.Sigmoids
	pc.Quadratic += sp.Quadratic
	pc.Scattering += sp.Scattering
	pc.Total += sp.Total
}

// Params returns the parameter counts of m, per factor and in total,
// with d = L².
func (m *Model) Params() (ParamCounts, error) {
	if err := m.Validate(); err != nil {
		return ParamCounts{}, err
	}
	pc := ParamCounts{L: m.L, D: m.L * m.L}
	for i := range m.Scales {
		sc := &m.Scales[i]
		sp := ScaleParams{Index: i, J: sc.J, Grid: sc.Grid, Sigmoids: len(sc.Centres), Quadratic: len(sc.Terms)}
		if sc.Scattering != nil {
			sp.Scattering = len(sc.Scattering.Terms)
		}
		pc.add(sp)
	}
	return pc, nil
}

// SpecParams returns the parameter counts of the model Fit would make for
// L×L fields with J levels and the given specs (one per factor, in the
// order of Model.Scales), without data.
func SpecParams(L, J int, specs []ScaleSpec) (ParamCounts, error) {
	if !isPow2(L) || L < 2 || L > MaxL {
		return ParamCounts{}, fmt.Errorf("rg: L = %d must be a power of two from 2 to %d", L, MaxL)
	}
	if J < 1 || J > log2(L) {
		return ParamCounts{}, fmt.Errorf("rg: J = %d must be in [1, %d] for L = %d", J, log2(L), L)
	}
	if len(specs) != J+1 {
		return ParamCounts{}, fmt.Errorf("rg: %d scale specs, want J+1 = %d", len(specs), J+1)
	}
	pc := ParamCounts{L: L, D: L * L}
	for i, s := range specs {
		if err := checkSpec(s); err != nil {
			return ParamCounts{}, fmt.Errorf("rg: spec %d: %w", i, err)
		}
		j, cond, grid, coarse := scaleLevel(L, J, i)
		sp := ScaleParams{Index: i, J: j, Grid: grid, Sigmoids: s.Sigmoids, Quadratic: len(buildTerms(cond, coarse, s.Stencil))}
		if s.Scattering != nil {
			if !cond {
				return ParamCounts{}, fmt.Errorf("rg: spec %d: scattering terms need a conditional factor", i)
			}
			b, err := s.Scattering.resolve(grid)
			if err != nil {
				return ParamCounts{}, fmt.Errorf("rg: spec %d: %w", i, err)
			}
			sp.Scattering = len(b.Terms)
		}
		pc.add(sp)
	}
	return pc, nil
}

// WithScattering returns a copy of specs (one per factor for L×L fields
// and J levels) in which every conditional factor whose field is at least
// ScatMinGrid wide has scattering terms: spec, or DefaultScatSpec of its
// grid when spec is nil.
func WithScattering(L, J int, specs []ScaleSpec, spec *ScatSpec) ([]ScaleSpec, error) {
	if !isPow2(L) || L < 2 || L > MaxL {
		return nil, fmt.Errorf("rg: L = %d must be a power of two from 2 to %d", L, MaxL)
	}
	if J < 1 || J > log2(L) || len(specs) != J+1 {
		return nil, errors.New("rg: WithScattering needs 1 ≤ J ≤ log₂L and J+1 specs")
	}
	out := append([]ScaleSpec(nil), specs...)
	for i := range out {
		_, cond, grid, _ := scaleLevel(L, J, i)
		if !cond || grid < ScatMinGrid {
			continue
		}
		s := DefaultScatSpec(grid)
		if spec != nil {
			s = *spec
			s.Families = append([]string(nil), spec.Families...)
		}
		out[i].Scattering = &s
	}
	return out, nil
}
