package compute

import (
	"fmt"
	"slices"

	"scalewise/engine/field"
	"scalewise/ui/protocol"
)

// The Renormalise scene: wavelet-conditional renormalisation-group
// generation of critical φ⁴ fields (Marchand, Ozawa, Biroli, Mallat,
// "Multiscale Data-Driven Energy Estimation and Generation", PRX 13,
// 041038 (2023)), and of 2-D turbulence and C^α images by hierarchic
// models with scattering interactions (Lempereur and Mallat, "Hierarchic
// flows to estimate and sample high-dimensional probabilities",
// arXiv:2405.03468; rg_field.go). The worker keeps one RGSession between requests; the
// generation is a stepper (rg_start, rg_step, rg_export, rg_cancel), so
// the page animates the coarse-to-fine generation, pauses and
// single-steps without ever waiting long on the worker.

// RGSizes are the lattice sides the page offers (the shipped models).
var RGSizes = [...]int{32, 64, 128}

// RGBeta is the coupling of the shipped models (the critical point).
const RGBeta = 0.68

// RGFitL is the lattice side of the shipped samples that "Fit from data"
// refits from.
const RGFitL = 32

// DefaultRGFitN is the number of shipped samples the page fits from by
// default: the fit's time grows in proportion (about 15 s for 64 fields
// in the page), and 128 is well above the least the coarsest scale needs.
const DefaultRGFitN = 128

const (
	// MaxRGStepK bounds the steps one "rg_step" request may ask for.
	MaxRGStepK = 100000
	// DefaultRGStepMs and MaxRGStepMs bound the engine time of one step or
	// race request: the page asks for one per animation frame.
	DefaultRGStepMs = 40
	MaxRGStepMs     = 100
	// RGLimit is the fixed symmetric range of the diverging colormap of φ,
	// in the units of the field (the same for every frame, scale and L).
	RGLimit = 2.0
	// rgHistBins and rgHistMax set the marginal histogram, [−max, max].
	rgHistBins = 48
	rgHistMax  = 3.0
	// rgMALAStep is the fixed Langevin step h of the race's local MALA:
	// the value its warm-up adapts to at β = 0.68 for L = 32…128
	// (acceptance ≈ 0.58), fixed so that the race needs no warm-up.
	rgMALAStep = 0.61
)

// Request types of the scene (package protocol).
type (
	// RGStartRequest starts a generation.
	RGStartRequest = protocol.RGStartRequest
	// RGStepRequest advances the generation.
	RGStepRequest = protocol.RGStepRequest
	// RGFitRequest refits the model in the page.
	RGFitRequest = protocol.RGFitRequest
	// RGRaceRequest advances the race.
	RGRaceRequest = protocol.RGRaceRequest
	// RGExportRequest exports the finished generation.
	RGExportRequest = protocol.RGExportRequest
	// RGStage is one stage of the coarse-to-fine generation.
	RGStage = protocol.RGStage
)

// RGSource gives the session its models and data.
type RGSource struct {
	// Model loads the shipped model for L.
	Model func(L int) (rgModel, error)
	// Samples returns the shipped ground-truth samples for L.
	Samples func(L int) ([]*field.Field, error)
	// Fit fits a model from samples by score matching.
	Fit func(data []*field.Field, beta float64, progress Progress) (rgModel, error)
	// Sides lists the lattice sides with a shipped model (nil: all of
	// RGSizes).
	Sides func() []int
	// Fields gives the field types other than φ⁴ (nil: φ⁴ only; see
	// WithFields).
	Fields *RGFieldSource
}

// RGSession is the worker's state of the Renormalise scene: the models
// loaded so far, the model fitted in the page, the current generation and
// the current race. It is not safe for concurrent use: the Registry
// serves one request at a time.
type RGSession struct {
	src    RGSource
	models map[int]rgModel
	// fieldModels holds the models of the other field types loaded so
	// far, by "field/L".
	fieldModels map[string]rgModel
	fitted      rgModel
	truth       map[string]*rgTruth // by "field/L"
	gen         *Stepped[RGStartRequest]
	race        *rgRace
}

// NewRGSession returns an empty session over src.
func NewRGSession(src RGSource) *RGSession {
	s := &RGSession{src: src, models: map[int]rgModel{}, fieldModels: map[string]rgModel{}, truth: map[string]*rgTruth{}}
	s.gen = NewStepped(s.startGen, StepperConfig{
		Scene:    "renormalise",
		Limits:   StepLimits{MaxIters: MaxRGStepK, DefaultMs: DefaultRGStepMs, MaxMs: MaxRGStepMs},
		NoRun:    "no generation in progress: start one first",
		NoExport: "nothing to export: generate a field first and let it finish",
	})
	return s
}

// Generation returns the session's generation, a stepper: rg_start,
// rg_step, rg_export and rg_cancel.
func (s *RGSession) Generation() Stepper[RGStartRequest, RGExportRequest] { return s.gen }

// Start starts a generation (see startGen).
func (s *RGSession) Start(r RGStartRequest, progress Progress) (*Frames, error) {
	return s.gen.Start(r, progress)
}

// Step advances the generation by at most r.K MALA steps and at most
// r.MaxMs milliseconds, and returns the current field and progress; when
// the generation finishes it adds the finished hierarchy and statistics.
func (s *RGSession) Step(r RGStepRequest) (*Frames, error) { return s.gen.Step(r) }

// Export returns the finished generation as a file: the Frames carry no
// images, their buffer is the file's bytes.
func (s *RGSession) Export(r RGExportRequest, progress Progress) (*Frames, error) {
	return s.gen.Export(r, progress)
}

func checkRGSize(L int) error {
	for _, s := range RGSizes {
		if L == s {
			return nil
		}
	}
	return fmt.Errorf("L=%d is not offered: the page ships models for L = 32, 64 and 128", L)
}

// checkRGLattice checks a requested field type, lattice side and coupling
// (β applies to φ⁴ only: 0 for the other fields), and returns the field's
// spec.
func checkRGLattice(name string, L int, beta float64) (*rgFieldSpec, error) {
	f, err := rgFieldOf(name)
	if err != nil {
		return nil, err
	}
	if err := f.checkSide(L); err != nil {
		return nil, err
	}
	if f.name != RGFieldPhi4 {
		if beta != 0 {
			return nil, fmt.Errorf("β=%v applies to φ⁴ only, not to %s", beta, f.name)
		}
		return f, nil
	}
	return f, checkRGBeta(beta)
}

// checkRGBeta accepts 0 (the default) and RGBeta, the coupling of the
// shipped models; anything else, NaN included, is refused.
func checkRGBeta(beta float64) error {
	if beta == 0 || beta == RGBeta {
		return nil
	}
	return fmt.Errorf("β=%v is not offered: the page ships models fitted at β = %v only", beta, RGBeta)
}

// sides returns the sides of RGSizes with a shipped model.
func (s *RGSession) sides() []int {
	var sides []int
	for _, L := range RGSizes {
		if s.src.Sides == nil || slices.Contains(s.src.Sides(), L) {
			sides = append(sides, L)
		}
	}
	return sides
}

// Info returns the sides of RGSizes with a shipped model and the coupling,
// for the page to offer only what it can generate.
func (s *RGSession) Info() *Frames {
	return NewFrames("renormalise", &protocol.RGInfoValues{
		Kind: protocol.KindInfo, Sides: s.sides(), Beta: RGBeta, FitL: RGFitL, Fields: s.fieldInfo()})
}

// model returns the model of a field type for L: the shipped one, or,
// for φ⁴, the one fitted in the page when which is "fitted".
func (s *RGSession) model(f *rgFieldSpec, L int, which string) (rgModel, string, error) {
	if f.name != RGFieldPhi4 {
		if which != "" && which != "shipped" {
			return nil, "", fmt.Errorf("model %q: the page fits φ⁴ only, %s has its shipped model", which, f.name)
		}
		m, err := s.fieldModel(f.name, L)
		return m, "shipped", err
	}
	switch which {
	case "", "shipped":
		if m, ok := s.models[L]; ok {
			return m, "shipped", nil
		}
		if s.src.Model == nil {
			return nil, "", fmt.Errorf("no shipped RG models in this build")
		}
		m, err := s.src.Model(L)
		if err != nil {
			return nil, "", err
		}
		if info := m.Info(); info.L != L {
			return nil, "", fmt.Errorf("the shipped model for L=%d is for L=%d", L, info.L)
		}
		s.models[L] = m
		return m, "shipped", nil
	case "fitted":
		if s.fitted == nil {
			return nil, "", fmt.Errorf("no model has been fitted in this page yet (press Fit from data)")
		}
		if L != s.fitted.Info().L {
			return nil, "", fmt.Errorf("the model fitted in the page is for L=%d, not %d", s.fitted.Info().L, L)
		}
		return s.fitted, "fitted", nil
	}
	return nil, "", fmt.Errorf("unknown model %q (shipped or fitted)", which)
}
