package compute

import (
	"errors"
	"io"

	"scalewise/engine/denoise"

	"scalewise/ui/protocol"
)

// Sources are the engine's inputs that a seed alone cannot make: shipped
// data and models. In the page the worker passes those embedded in it
// (packages assets and weights); a nil source leaves its inputs out of the
// build, and the operations that need them answer with an error.
type Sources struct {
	// MNIST returns the sprite of MNIST test digits (assets.MNISTDigits).
	MNIST func() io.Reader
	// Nets loads the denoisers (weights.Denoiser).
	Nets NetLoader
	// RG gives the Renormalise scene its models and samples
	// (RGEngineSource over weights.RGModel, weights.RGSides and
	// assets.Phi4Samples).
	RG RGSource
	// Scat gives the Scattering scene the fields it cannot draw from a
	// seed.
	Scat ScatSource
	// Rates returns the measured rate curves of the shipped C^α
	// denoisers (weights.RateReports) for the Geometry scene.
	Rates func() ([]*denoise.RateReport, error)
	// Blobs is the store of the bytes the page puts (protocol.PutRequest:
	// the Generate scene's nets and training sets); the worker serves the
	// puts with Blobs.Put. nil: an empty store of the engine's own, which
	// nothing can fill.
	Blobs *Blobs
}

// NewEngine returns the registry of every operation of package protocol
// over src, with the sessions that keep the scenes' state between
// requests.
func NewEngine(src Sources) (*Registry, error) {
	r := NewRegistry()
	nets := NewNets(src.Nets)
	rgs := NewRGSession(src.RG)
	scs := NewScatSession(src.Scat)
	gens := NewGenSession(nets, src.Blobs)
	bases := NewBasisSession(nets)
	geos := NewGeometrySession(nets, src.Blobs, src.Rates)
	err := errors.Join(
		Handle(r, protocol.OpScales, func(q ScalesRequest, p Progress) (*Frames, error) { return Scales(q, src.MNIST, p) }),
		Handle(r, protocol.OpDenoise, func(q DenoiseRequest, _ Progress) (*Frames, error) { return Denoise(q, nets) }),
		// The Draw scene's adapted basis: a stepper without an export.
		bases.Register(r),

		Handle(r, protocol.OpRGInfo, func(protocol.InfoRequest, Progress) (*Frames, error) { return rgs.Info(), nil }),
		RegisterStepper(r, StepperOps{Start: protocol.OpRGStart, Step: protocol.OpRGStep, Export: protocol.OpRGExport, Cancel: protocol.OpRGCancel}, rgs.Generation()),
		Handle(r, protocol.OpRGFit, rgs.Fit),
		Handle(r, protocol.OpRGRace, func(q RGRaceRequest, _ Progress) (*Frames, error) { return rgs.Race(q) }),

		Handle(r, protocol.OpScatInfo, func(protocol.InfoRequest, Progress) (*Frames, error) { return scs.Info(), nil }),
		Handle(r, protocol.OpScatAnalyse, scs.Analyse),
		RegisterStepper(r, StepperOps{Start: protocol.OpScatSynthStart, Step: protocol.OpScatSynthStep, Export: protocol.OpScatExport, Cancel: protocol.OpScatSynthCancel}, scs.Synthesis()),

		// The Generate scene: its run is a stepper whose export reads more
		// than protocol.ExportRequest, and its grid.
		gens.Register(r),

		// The Geometry scene: the rate curves and the eigen-analysis of
		// C^α images and MNIST digits (a stepper without an export).
		geos.Register(r),

		Handle(r, protocol.OpAbout, aboutHandler(r, rgs, scs)),
		// A self-test of the recovery boundary, used by the browser tests.
		Handle(r, protocol.OpPanic, func(struct{}, Progress) (*Frames, error) { panic("self-test panic requested") }),
	)
	if err != nil {
		return nil, err
	}
	return r, nil
}
