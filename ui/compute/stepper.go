package compute

import (
	"errors"
	"fmt"
	"math"
	"time"

	"scalewise/ui/protocol"
)

// Iterative computations (a coarse-to-fine generation, a synthesis by
// optimisation) are served in bounded steps, so that the page animates
// them and never waits long on the worker: the page starts a run, asks for
// a step per animation frame (pausing is not asking), may cancel the run,
// and exports it.

// A Run is one run of an iterative computation, advanced an iteration at
// a time.
type Run interface {
	// Iterate does one iteration and reports whether the run has
	// finished. It is not called once the run has finished.
	Iterate() (finished bool, err error)
	// Finished reports whether the run has finished.
	Finished() bool
	// Frames returns the frames of the run after a step of n iterations
	// (n = 0: a step asked of a finished run).
	Frames(n int) (*Frames, error)
	// Export returns the run as a file in format: "gif" (animated), "png"
	// or "npy" (its field).
	Export(format string, progress Progress) (File, error)
}

// A Stepper serves the operations of an iterative computation whose runs
// start from a Req and export from an Exp (protocol.ExportRequest, or a
// scene's own request that says more): one run at a time, replaced by the
// next start.
type Stepper[Req, Exp any] interface {
	// Start starts a run from req, replacing any run, and returns its
	// first frames.
	Start(req Req, progress Progress) (*Frames, error)
	// Step advances the run within the request's budget.
	Step(r protocol.StepRequest) (*Frames, error)
	// Export exports the run.
	Export(r Exp, progress Progress) (*Frames, error)
	// Cancel ends the run.
	Cancel(r protocol.CancelRequest) (*Frames, error)
}

// StepperOps names a stepper's operations. An empty Export registers no
// export: the stepper of runs that have none.
type StepperOps struct {
	Start, Step, Export, Cancel string
}

// RegisterStepper registers s's operations under ops.
func RegisterStepper[Req, Exp any](r *Registry, ops StepperOps, s Stepper[Req, Exp]) error {
	errs := []error{
		Handle(r, ops.Start, s.Start),
		Handle(r, ops.Step, func(q protocol.StepRequest, _ Progress) (*Frames, error) { return s.Step(q) }),
	}
	if ops.Export != "" {
		errs = append(errs, Handle(r, ops.Export, s.Export))
	}
	errs = append(errs, Handle(r, ops.Cancel, func(q protocol.CancelRequest, _ Progress) (*Frames, error) { return s.Cancel(q) }))
	return errors.Join(errs...)
}

// WithExport returns s with its export served by export instead of
// Stepped.Export: the stepper of a scene whose export reads more than
// protocol.ExportRequest.
func WithExport[Req, Exp any](s *Stepped[Req], export func(Exp, Progress) (*Frames, error)) Stepper[Req, Exp] {
	return exportStepper[Req, Exp]{Stepped: s, export: export}
}

// exportStepper is a Stepped with another export (WithExport).
type exportStepper[Req, Exp any] struct {
	*Stepped[Req]
	export func(Exp, Progress) (*Frames, error)
}

// Export serves the export with the function given to WithExport.
func (s exportStepper[Req, Exp]) Export(r Exp, progress Progress) (*Frames, error) {
	return s.export(r, progress)
}

// StepLimits bound the step requests of a stepper.
type StepLimits struct {
	// MaxIters > 0 requires every step to ask for 1 to MaxIters
	// iterations; 0 makes the count optional (0: as many as the time
	// allows).
	MaxIters int
	// DefaultMs is the engine time of a step that asks for none; MaxMs
	// the most a step may take (at least one iteration is made).
	DefaultMs, MaxMs float64
}

// StepperConfig describes a Stepped: the scene of its frames, its step
// limits, and the errors for a step or an export without a run (which
// tell the person what to press).
type StepperConfig struct {
	Scene           string
	Limits          StepLimits
	NoRun, NoExport string
}

// Stepped is the Stepper, exporting from a protocol.ExportRequest, of runs
// started by a start function: it keeps the current run and serves its
// steps within their budget, its exports and its cancel.
type Stepped[Req any] struct {
	start func(Req, Progress) (Run, *Frames, error)
	cfg   StepperConfig
	run   Run
}

// NewStepped returns a Stepper whose runs start is given.
func NewStepped[Req any](start func(Req, Progress) (Run, *Frames, error), cfg StepperConfig) *Stepped[Req] {
	return &Stepped[Req]{start: start, cfg: cfg}
}

// Run returns the current run, or nil.
func (s *Stepped[Req]) Run() Run { return s.run }

// Start starts a run from req. A failed start keeps the run there was.
func (s *Stepped[Req]) Start(req Req, progress Progress) (*Frames, error) {
	run, fr, err := s.start(req, quiet(progress))
	if err != nil {
		return nil, err
	}
	s.run = run
	return fr, nil
}

// Step runs iterations until the run finishes, r.K iterations are done
// (when K > 0) or r.MaxMs milliseconds of engine time have passed (0: the
// default), at least one; a step of a finished run makes none.
func (s *Stepped[Req]) Step(r protocol.StepRequest) (*Frames, error) {
	if s.run == nil {
		return nil, errors.New(s.cfg.NoRun)
	}
	lim := s.cfg.Limits
	switch {
	case lim.MaxIters > 0 && (r.K < 1 || r.K > lim.MaxIters):
		return nil, fmt.Errorf("k=%d steps: ask for 1 to %d", r.K, lim.MaxIters)
	case lim.MaxIters == 0 && r.K < 0:
		return nil, fmt.Errorf("k=%d steps: ask for 0 (no bound) or more", r.K)
	case math.IsNaN(r.MaxMs) || r.MaxMs < 0:
		return nil, fmt.Errorf("max_ms=%v: want a time in milliseconds", r.MaxMs)
	}
	budget := r.MaxMs
	if budget == 0 {
		budget = lim.DefaultMs
	}
	deadline := time.Duration(min(budget, lim.MaxMs) * float64(time.Millisecond))
	t0 := time.Now()
	n := 0
	for (r.K == 0 || n < r.K) && !s.run.Finished() {
		done, err := s.run.Iterate()
		if err != nil {
			return nil, err
		}
		n++
		if done || time.Since(t0) >= deadline {
			break
		}
	}
	return s.run.Frames(n)
}

// Export returns the run as a file: the frames carry no images, their
// buffer is the file's bytes.
func (s *Stepped[Req]) Export(r protocol.ExportRequest, progress Progress) (*Frames, error) {
	if s.run == nil {
		return nil, errors.New(s.cfg.NoExport)
	}
	f, err := s.run.Export(r.Format, quiet(progress))
	if err != nil {
		return nil, err
	}
	fr := NewFrames(s.cfg.Scene, &protocol.ExportValues{
		Kind: protocol.KindExport, Format: r.Format, Mime: f.Mime, Filename: f.Name, Size: len(f.Data)})
	fr.buf = f.Data
	return fr, nil
}

// Cancel forgets the run: its steps and exports are refused until the
// next start. (Requests are served one at a time, so a cancel takes
// effect between steps.)
func (s *Stepped[Req]) Cancel(protocol.CancelRequest) (*Frames, error) {
	had := s.run != nil
	s.run = nil
	return NewFrames(s.cfg.Scene, &protocol.CancelValues{Kind: protocol.KindCancel, Cancelled: had}), nil
}
