package compute

import (
	"fmt"
	"math"

	"scalewise/engine/field"
	"scalewise/engine/rg"
	"scalewise/ui/protocol"
)

// RGScatFamily is one family of the scattering coefficients θ of a
// conditional factor (Lempereur and Mallat, "Hierarchic flows to estimate
// and sample high-dimensional probabilities", arXiv:2405.03468; the
// features of engine/rg, "Scattering interactions", after the scattering
// spectra of Cheng et al., PNAS Nexus 3, pgae103 (2024)) laid out as a
// table: one row per combination of wavelet scales, one column per
// combination of orientations, Theta row-major (W columns, H rows).
//
//	s1   one row;                  columns ℓ1
//	s3   rows (k, re|im);          columns (ℓ1, ℓ2)
//	s4c  rows (k2, k3), k2 ≤ k3;   columns (ℓ1, ℓ2, ℓ3)
//	s4n  rows k3;                  columns (ℓ1 ≤ ℓ2, ℓ3)
//
// With isotropic terms the columns are the relative orientations left
// after summing over rotations (the least of each rotation class).
type RGScatFamily struct {
	Family string
	Rows   []string
	RowKey string
	Cols   string
	W, H   int
	Theta  []float64
}

// rgScatKeys returns the family, row and column keys of a term.
func rgScatKeys(t rg.ScatTerm) (fam, row, col string) {
	switch t.Family {
	case rg.ScatS1:
		return "s1", "", fmt.Sprint(t.L1)
	case rg.ScatS3Re:
		return "s3", fmt.Sprintf("k=%d re", t.K2), fmt.Sprint(t.L1, t.L2)
	case rg.ScatS3Im:
		return "s3", fmt.Sprintf("k=%d im", t.K2), fmt.Sprint(t.L1, t.L2)
	case rg.ScatS4C:
		return "s4c", fmt.Sprintf("k2=%d k3=%d", t.K2, t.K3), fmt.Sprint(t.L1, t.L2, t.L3)
	case rg.ScatS4N:
		return "s4n", fmt.Sprintf("k3=%d", t.K3), fmt.Sprint(t.L1, t.L2, t.L3)
	}
	return string(t.Family), "", fmt.Sprint(t.L1, t.K2, t.L2, t.K3, t.L3)
}

// rgScatCols and rgScatRows name the columns' orientation indices and the
// rows' scale indices of each family.
var (
	rgScatCols = map[string]string{"s1": "ℓ_1", "s3": "ℓ_1ℓ_2", "s4c": "ℓ_1ℓ_2ℓ_3", "s4n": "ℓ_1≤ℓ_2, ℓ_3"}
	rgScatRows = map[string]string{"s1": "", "s3": "k, re|im", "s4c": "k_2≤k_3", "s4n": "k_3"}
)

// scatTables lays out the scattering coefficients theta (one per term,
// in the order of terms) family by family, in the order the families
// first appear; a cell with no term is 0.
func scatTables(terms []rg.ScatTerm, theta []float64) ([]RGScatFamily, error) {
	if len(theta) != len(terms) {
		return nil, fmt.Errorf("%d scattering coefficients for %d terms", len(theta), len(terms))
	}
	type table struct {
		rows, cols map[string]int
		rowNames   []string
		nCols      int
		cells      map[[2]int]float64
	}
	var order []string
	tabs := map[string]*table{}
	for i, t := range terms {
		fam, row, col := rgScatKeys(t)
		tb := tabs[fam]
		if tb == nil {
			tb = &table{rows: map[string]int{}, cols: map[string]int{}, cells: map[[2]int]float64{}}
			tabs[fam] = tb
			order = append(order, fam)
		}
		r, ok := tb.rows[row]
		if !ok {
			r = len(tb.rowNames)
			tb.rows[row] = r
			tb.rowNames = append(tb.rowNames, row)
		}
		c, ok := tb.cols[col]
		if !ok {
			c = tb.nCols
			tb.cols[col] = c
			tb.nCols++
		}
		tb.cells[[2]int{r, c}] = theta[i]
	}
	out := make([]RGScatFamily, 0, len(order))
	for _, fam := range order {
		tb := tabs[fam]
		f := RGScatFamily{Family: fam, Rows: tb.rowNames, RowKey: rgScatRows[fam], Cols: rgScatCols[fam], W: tb.nCols, H: len(tb.rowNames)}
		f.Theta = make([]float64, f.W*f.H)
		for k, v := range tb.cells {
			f.Theta[k[0]*f.W+k[1]] = v
		}
		out = append(out, f)
	}
	return out, nil
}

// scaleScat returns the scattering tables of scale sc (nil without
// scattering terms): their coefficients end Theta.
func scaleScat(sc *rg.Scale) ([]RGScatFamily, bool, error) {
	b := sc.Scattering
	if b == nil {
		return nil, false, nil
	}
	n := len(b.Terms)
	if n > len(sc.Theta) {
		return nil, false, fmt.Errorf("%d scattering terms but %d coefficients", n, len(sc.Theta))
	}
	tabs, err := scatTables(b.Terms, sc.Theta[len(sc.Theta)-n:])
	return tabs, b.Isotropic, err
}

// rgScatZero is the relative size under which a family's coefficients
// count as zero: a symmetric fit (FitOptions.Symmetric) makes the odd s3
// coefficients vanish up to rounding, which a colour range of their own
// would blow up into a pattern.
const rgScatZero = 1e-8

// addScatFamilies adds the heat map of each family of stage st to fr as
// "scat/<st>/<family>" (diverging, on ±max|θ| of the family) and returns
// their descriptions. A family whose coefficients are all under
// rgScatZero times the largest of the stage is shown as zero (Max 0).
func addScatFamilies(fr *Frames, st int, fams []RGScatFamily) ([]protocol.RGScatInfo, error) {
	var out []protocol.RGScatInfo
	lims := make([]float64, len(fams))
	top := 0.0
	for i, f := range fams {
		for _, v := range f.Theta {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lims[i] = math.Max(lims[i], math.Abs(v))
			}
		}
		top = math.Max(top, lims[i])
	}
	for i, f := range fams {
		lim := lims[i]
		if lim <= rgScatZero*top {
			lim = 0
		}
		show := lim
		if show == 0 {
			show = 1
		}
		data := f.Theta
		if lim == 0 {
			data = make([]float64, len(f.Theta))
		}
		img, err := field.FromSlice(f.W, f.H, data)
		if err != nil {
			return nil, fmt.Errorf("scattering %s: %w", f.Family, err)
		}
		name := fmt.Sprintf("scat/%d/%s", st, f.Family)
		if err := fr.AddField(name, img, field.Diverging, -show, show); err != nil {
			return nil, err
		}
		terms := 0
		for _, v := range f.Theta {
			if v != 0 {
				terms++
			}
		}
		out = append(out, protocol.RGScatInfo{Family: f.Family, Image: name, Rows: f.Rows, RowKey: f.RowKey, Cols: f.Cols, Terms: terms, Max: sig([]float64{lim})[0]})
	}
	return out, nil
}
