package compute

import (
	"fmt"
	"slices"
	"strconv"

	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/engine/rg"
	"scalewise/ui/protocol"
)

// The field types of the Renormalise scene. Besides critical φ⁴ (PRX 13,
// 041038) it generates the two fields of Lempereur and Mallat,
// "Hierarchic flows to estimate and sample high-dimensional
// probabilities", arXiv:2405.03468, whose conditional energies hold
// scattering interactions: 2-D turbulence vorticity, C^α images and
// drawings of smooth curves (the talk's 32×32 geometric images).
const (
	RGFieldPhi4       = "phi4"
	RGFieldTurbulence = "turbulence"
	RGFieldCAlpha     = "calpha"
	RGFieldDrawings   = "drawings"
)

// RGCAlphaAlpha is the regularity α = β of the C^α images of the shipped
// model (geometry.CAlpha, code variant).
const RGCAlphaAlpha = 2.0

// RGCAlphaTruthN is the number of held-out C^α images the worker draws as
// the ground truth: seeds denoise.HeldOutSeed + 0…n−1, disjoint from the
// training seeds 0…n−1 of `scalewise rg fit --field calpha`.
const RGCAlphaTruthN = 64

// RGDrawingsTruthN is the number of held-out drawings the worker draws as
// the ground truth: seeds denoise.HeldOutSeed + 0…n−1, disjoint from the
// training seeds 0…n−1 of `scalewise rg fit --field drawings`.
const RGDrawingsTruthN = 64

// rgFieldSpec is how the scene shows a field type.
type rgFieldSpec struct {
	name, title string
	sides       []int
	cmap        field.Colormap
	// lo and hi are the fixed colour range of the field and of its local
	// averages x_j (in the units of the field).
	lo, hi float64
	// histLo and histHi bound the marginal histogram.
	histLo, histHi float64
	// truth names the true samples; xName the field's value in plots.
	truth string
	// noFit and noRace say why the page does not fit or race the field
	// (empty: it does).
	noFit, noRace string
}

// rgFieldSpecs lists the field types, φ⁴ first (the default).
//
// Turbulence vorticity is standardised (mean 0, variance 1) with heavy
// tails: a diverging map on ±3 and a histogram on ±6. C^α images lie in
// [0, 1], as do the drawings: grey on [0, 1], the histogram a little
// wider to show samples that leave it.
var rgFieldSpecs = [...]rgFieldSpec{
	{name: RGFieldPhi4, title: "critical φ⁴", sides: RGSizes[:], cmap: field.Diverging, lo: -RGLimit, hi: RGLimit,
		histLo: -rgHistMax, histHi: rgHistMax, truth: "FA-HMC samples"},
	{name: RGFieldTurbulence, title: "2-D turbulence (vorticity)", sides: []int{64}, cmap: field.Diverging, lo: -3, hi: 3,
		histLo: -6, histHi: 6, truth: "held-out snapshots",
		noFit:  "the turbulence fit (score matching over 256 snapshots with scattering terms) takes " + rgTurbulenceFitTime + " natively and several times that in the page, over its one-minute bound",
		noRace: "the race measures the Binder cumulant of critical φ⁴ against local MCMC: φ⁴ only"},
	{name: RGFieldCAlpha, title: "Cᵅ images (α = 2)", sides: []int{32}, cmap: field.Gray, lo: 0, hi: 1,
		histLo: -0.25, histHi: 1.25, truth: "held-out images",
		noFit:  "the Cᵅ fit (score matching with scattering terms, linear in the number of images) took " + rgCAlphaFitTime + " natively over 2048 images, about half that over the shipped model's 1024, and several times that in the page, over its one-minute bound",
		noRace: "the race measures the Binder cumulant of critical φ⁴ against local MCMC: φ⁴ only"},
	{name: RGFieldDrawings, title: "drawings of smooth curves (32²)", sides: []int{32}, cmap: field.Gray, lo: 0, hi: 1,
		histLo: -0.25, histHi: 1.25, truth: "held-out drawings",
		noFit:  "the drawings' fit (score matching with scattering terms over the shipped model's 1024 images) took " + rgDrawingsFitTime + " natively, and several times that in the page, over its one-minute bound",
		noRace: "the race measures the Binder cumulant of critical φ⁴ against local MCMC: φ⁴ only"},
}

// Measured native fit times, score matching only on one core as the page
// would run it (the page's wasm is several times slower still), on a
// shared 2-core machine: `scalewise rg fit --field turbulence
// --calibration -1 --workers 1` took 95 s of CPU (126 s wall) and
// `scalewise rg fit --field calpha --calibration -1 --workers 1` 443 s of
// CPU (1785 s wall under load). The drawings' full fit, score matching and
// the 3 calibration rounds, `scalewise rg fit --field drawings --L 32 --n
// 1024 --workers 1`, took 193 s of CPU (437 s wall under load).
const (
	rgTurbulenceFitTime = "95 s of one core"
	rgCAlphaFitTime     = "7.4 minutes of one core"
	rgDrawingsFitTime   = "3.2 minutes of one core"
)

// rgFieldOf returns the spec of field type name ("" is φ⁴).
func rgFieldOf(name string) (*rgFieldSpec, error) {
	if name == "" {
		name = RGFieldPhi4
	}
	for i := range rgFieldSpecs {
		if rgFieldSpecs[i].name == name {
			return &rgFieldSpecs[i], nil
		}
	}
	return nil, fmt.Errorf("field %q is not offered: the scene generates phi4, turbulence, calpha or drawings", name)
}

// checkSide checks that the field is offered at side L.
func (f *rgFieldSpec) checkSide(L int) error {
	if slices.Contains(f.sides, L) {
		return nil
	}
	if f.name == RGFieldPhi4 {
		return checkRGSize(L)
	}
	return fmt.Errorf("L=%d is not offered for %s: the page ships a model for L = %d only", L, f.name, f.sides[0])
}

// colormapName names c for the page.
func colormapName(c field.Colormap) string {
	if c == field.Gray {
		return "gray"
	}
	return "diverging"
}

// RGFieldSource gives the session the field types other than φ⁴: Model
// loads the shipped model of a field type at side L (weights.RGFieldModel
// in the page) and Truth returns its held-out samples.
type RGFieldSource struct {
	Model func(field string, L int) (rgModel, error)
	Truth func(field string, L int) ([]*field.Field, error)
}

// WithFields returns src with the field types turbulence, C^α and
// drawings: model loads their shipped models (weights.RGFieldModel),
// turbulence the held-out turbulence snapshots
// (assets.RGTurbulenceHeldOut); the C^α and drawings truths are drawn
// here (RGCAlphaTruth, RGDrawingsTruth).
func (src RGSource) WithFields(model func(field string, L int) (*rg.Model, error), turbulence func() ([]*field.Field, error)) RGSource {
	src.Fields = &RGFieldSource{
		Model: func(name string, L int) (rgModel, error) {
			if model == nil {
				return nil, fmt.Errorf("no shipped %s models in this build", name)
			}
			m, err := model(name, L)
			if err != nil {
				return nil, err
			}
			if f := m.Provenance["field"]; f != "" && f != name && f != "experiment" {
				return nil, fmt.Errorf("the shipped %s model is a model of %q", name, f)
			}
			return newEngineModel(m, "shipped")
		},
		Truth: func(name string, L int) ([]*field.Field, error) {
			switch name {
			case RGFieldTurbulence:
				if turbulence == nil {
					return nil, fmt.Errorf("no held-out turbulence snapshots in this build")
				}
				return turbulence()
			case RGFieldCAlpha:
				return RGCAlphaTruth(L, RGCAlphaTruthN)
			case RGFieldDrawings:
				return RGDrawingsTruth(L, RGDrawingsTruthN)
			}
			return nil, fmt.Errorf("no held-out samples of %q", name)
		},
	}
	return src
}

// RGCAlphaTruth draws n held-out C^α images of side L exactly as
// `scalewise rg validate --field calpha` draws its held-out set:
// geometry.CAlpha, code variant, α = β = RGCAlphaAlpha, seeds
// denoise.HeldOutSeed + 0…n−1 (the fit draws seeds 0…n−1).
func RGCAlphaTruth(L, n int) ([]*field.Field, error) {
	out := make([]*field.Field, n)
	for i := range out {
		f, err := geometry.CAlpha(geometry.CAlphaOptions{Size: L, Alpha: RGCAlphaAlpha, Method: geometry.CAlphaCode, Seed: denoise.HeldOutSeed + uint64(i)})
		if err != nil {
			return nil, fmt.Errorf("held-out C^α image %d: %w", i, err)
		}
		out[i] = f
	}
	return out, nil
}

// RGDrawingsTruth draws n held-out drawings of side L exactly as
// `scalewise rg validate --field drawings` draws its held-out set: the
// images of denoise.Dataset of kind "drawing" (the Draw & denoise net's
// data: geometry.RandomDrawing of seed s/2, a boundary between two C^β
// backgrounds for even s, a stroke for odd s), seeds
// denoise.HeldOutSeed + 0…n−1 (the fit draws seeds 0…n−1).
func RGDrawingsTruth(L, n int) ([]*field.Field, error) {
	ds, err := denoise.ParseDataset("drawing", 0, L)
	if err != nil {
		return nil, err
	}
	out := make([]*field.Field, n)
	for i := range out {
		f, err := ds.Image(denoise.HeldOutSeed + uint64(i))
		if err != nil {
			return nil, fmt.Errorf("held-out drawing %d: %w", i, err)
		}
		out[i] = f
	}
	return out, nil
}

// fieldInfo describes the field types for rg_info: the sides with a
// shipped model and how the page shows each.
func (s *RGSession) fieldInfo() []protocol.RGFieldInfo {
	var out []protocol.RGFieldInfo
	for i := range rgFieldSpecs {
		f := &rgFieldSpecs[i]
		sides := []int{}
		if f.name == RGFieldPhi4 {
			sides = s.sides()
		} else if s.src.Fields != nil {
			for _, L := range f.sides {
				if _, err := s.fieldModel(f.name, L); err == nil {
					sides = append(sides, L)
				}
			}
		}
		out = append(out, protocol.RGFieldInfo{Name: f.name, Title: f.title, Sides: sides, Range: [2]float64{f.lo, f.hi},
			Colormap: colormapName(f.cmap), Truth: f.truth, NoFit: f.noFit, NoRace: f.noRace})
	}
	return out
}

// fieldModel returns the shipped model of a field type other than φ⁴.
func (s *RGSession) fieldModel(name string, L int) (rgModel, error) {
	key := name + "/" + strconv.Itoa(L)
	if m, ok := s.fieldModels[key]; ok {
		return m, nil
	}
	if s.src.Fields == nil || s.src.Fields.Model == nil {
		return nil, fmt.Errorf("no shipped %s model in this build", name)
	}
	m, err := s.src.Fields.Model(name, L)
	if err != nil {
		return nil, err
	}
	if info := m.Info(); info.L != L {
		return nil, fmt.Errorf("the shipped %s model for L=%d is for L=%d", name, L, info.L)
	}
	s.fieldModels[key] = m
	return m, nil
}
