package compute

import (
	"errors"

	"scalewise/ui/protocol"
)

// The Generate scene: images drawn from the prior implicit in a bias-free
// denoiser by score diffusion — the stochastic coarse-to-fine gradient
// ascent of Kadkhodaie and Simoncelli ("Solving linear inverse problems
// using the prior implicit in a denoiser", NeurIPS 2021, Alg. 1) or the
// reverse-time SDE — for the memorisation → generalisation experiment of
// Kadkhodaie, Guth, Simoncelli and Mallat ("Generalization in diffusion
// models arises from geometry-adaptive harmonic representations", ICLR
// 2024, §2): two nets trained on disjoint sets S1 and S2 run in two
// engines from the same noise (diffusion.NewNoise(seed, sample)), and each
// sample is compared with its nearest training image. The page puts the
// nets and training sets into the engine (Blobs), then starts a run
// (gen_start), steps it per animation frame (gen_step), exports it
// (gen_export) or cancels it (gen_cancel); gen_grid draws many samples of
// one net at once.

// GenScene is the scene of the Generate frames.
const GenScene = "generate"

// Request types of the scene (package protocol).
type (
	// GenStartRequest starts a run.
	GenStartRequest = protocol.GenStartRequest
	// GenExportRequest exports the run.
	GenExportRequest = protocol.GenExportRequest
	// GenGridRequest draws a grid of samples.
	GenGridRequest = protocol.GenGridRequest
)

const (
	// DefaultGenStepMs and MaxGenStepMs bound the engine time of one
	// gen_step: the page asks for one per animation frame.
	DefaultGenStepMs = 30
	MaxGenStepMs     = 200
	// MaxGenGrid bounds the samples of a grid.
	MaxGenGrid = 64
)

// GenSession keeps the Generate scene's state between requests: the nets
// loaded from the blobs the page put, the galleries of training images,
// and the current run. Like the other sessions it is served by a Registry,
// one request at a time, and holds no locks.
type GenSession struct {
	blobs *Blobs
	nets  *Nets
	cache genCache
	gen   *Stepped[GenStartRequest]
	// kernels and workers, when set (tests), select the nets' convolution
	// kernels (nn.KernelScalar: the kernels of wasm) and goroutines.
	kernels string
	workers int
}

// NewGenSession returns a session over the page's blobs and the shipped
// denoisers (nets); nil blobs is an empty store.
func NewGenSession(nets *Nets, blobs *Blobs) *GenSession {
	if blobs == nil {
		blobs = NewBlobs(0)
	}
	if nets == nil {
		nets = NewNets(nil)
	}
	s := &GenSession{blobs: blobs, nets: nets}
	s.gen = NewStepped(s.start, StepperConfig{
		Scene:    GenScene,
		Limits:   StepLimits{MaxIters: 0, DefaultMs: DefaultGenStepMs, MaxMs: MaxGenStepMs},
		NoRun:    "no generation to step: start one first",
		NoExport: "nothing to export: generate an image first",
	})
	return s
}

// Generation returns the stepper of the runs (gen_start, gen_step,
// gen_cancel; gen_export is Export).
func (s *GenSession) Generation() *Stepped[GenStartRequest] { return s.gen }

// Register registers the scene's operations on r: the run's stepper,
// whose export is Export — it reads GenExportRequest, the stepper's export
// request plus the partner and what to show — and the grid.
func (s *GenSession) Register(r *Registry) error {
	return errors.Join(
		RegisterStepper(r, StepperOps{Start: protocol.OpGenStart, Step: protocol.OpGenStep, Export: protocol.OpGenExport, Cancel: protocol.OpGenCancel},
			WithExport(s.gen, s.Export)),
		Handle(r, protocol.OpGenGrid, s.Grid),
	)
}
