package compute

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"scalewise/ui/protocol"
)

// countRun counts to n, one iteration at a time, each taking about d.
type countRun struct {
	n, i int
	d    time.Duration
	fail int // fail at this iteration (0: never)
}

func (c *countRun) Iterate() (bool, error) {
	if c.fail > 0 && c.i+1 == c.fail {
		return false, errors.New("iteration failed")
	}
	time.Sleep(c.d)
	c.i++
	return c.i >= c.n, nil
}

func (c *countRun) Finished() bool { return c.i >= c.n }

func (c *countRun) Frames(n int) (*Frames, error) {
	return NewFrames("test", &protocol.ScatSynthStepValues{Kind: protocol.KindSynthStep, Steps: n}), nil
}

func (c *countRun) Export(format string, _ Progress) (File, error) {
	if format != "txt" {
		return File{}, errors.New("unknown format")
	}
	return File{Name: "count.txt", Mime: "text/plain", Data: []byte(strings.Repeat("x", c.i))}, nil
}

func newCountStepper(limits StepLimits) *Stepped[countRun] {
	return NewStepped(func(r countRun, _ Progress) (Run, *Frames, error) {
		if r.n < 0 {
			return nil, nil, errors.New("negative count")
		}
		run := r
		fr, err := run.Frames(0)
		return &run, fr, err
	}, StepperConfig{Scene: "test", Limits: limits, NoRun: "no count: start one", NoExport: "nothing to export"})
}

func stepsOf(t *testing.T, fr *Frames) int {
	t.Helper()
	return valuesOf[protocol.ScatSynthStepValues](t, fr).Steps
}

// A step runs until the count, the time budget or the end of the run,
// at least one iteration.
func TestSteppedStep(t *testing.T) {
	for _, c := range []struct {
		name   string
		limits StepLimits
		run    countRun
		req    protocol.StepRequest
		steps  int    // iterations of the first step; -1: at least one
		err    string // "" for none
	}{
		{"count", StepLimits{MaxIters: 10, DefaultMs: 1000, MaxMs: 1000}, countRun{n: 100}, protocol.StepRequest{K: 7}, 7, ""},
		{"to the end", StepLimits{MaxIters: 10, DefaultMs: 1000, MaxMs: 1000}, countRun{n: 3}, protocol.StepRequest{K: 7}, 3, ""},
		{"time", StepLimits{DefaultMs: 1000, MaxMs: 1000}, countRun{n: 1000, d: time.Millisecond}, protocol.StepRequest{MaxMs: 5}, -1, ""},
		{"time capped", StepLimits{DefaultMs: 5, MaxMs: 5}, countRun{n: 1000, d: time.Millisecond}, protocol.StepRequest{MaxMs: 1e6}, -1, ""},
		{"at least one", StepLimits{DefaultMs: 0, MaxMs: 0}, countRun{n: 1000, d: time.Millisecond}, protocol.StepRequest{}, 1, ""},
		{"k required", StepLimits{MaxIters: 10, DefaultMs: 40, MaxMs: 100}, countRun{n: 5}, protocol.StepRequest{}, 0, "k=0"},
		{"k too large", StepLimits{MaxIters: 10, DefaultMs: 40, MaxMs: 100}, countRun{n: 5}, protocol.StepRequest{K: 11}, 0, "k=11"},
		{"negative k", StepLimits{DefaultMs: 40, MaxMs: 100}, countRun{n: 5}, protocol.StepRequest{K: -1}, 0, "k=-1"},
		{"NaN time", StepLimits{DefaultMs: 40, MaxMs: 100}, countRun{n: 5}, protocol.StepRequest{MaxMs: math.NaN()}, 0, "max_ms"},
		{"negative time", StepLimits{DefaultMs: 40, MaxMs: 100}, countRun{n: 5}, protocol.StepRequest{MaxMs: -1}, 0, "max_ms"},
		{"failing", StepLimits{DefaultMs: 40, MaxMs: 100}, countRun{n: 5, fail: 2}, protocol.StepRequest{}, 0, "iteration failed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newCountStepper(c.limits)
			if _, err := s.Step(c.req); err == nil || !strings.Contains(err.Error(), "start one") {
				t.Errorf("step before start: %v", err)
			}
			if _, err := s.Start(c.run, nil); err != nil {
				t.Fatal(err)
			}
			fr, err := s.Step(c.req)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			n := stepsOf(t, fr)
			if c.steps >= 0 && n != c.steps || n < 1 {
				t.Errorf("%d iterations, want %d", n, c.steps)
			}
			// A time budget, not the count, ends a step of -1 steps.
			if c.steps < 0 && n >= c.run.n {
				t.Errorf("%d of %d iterations: the time budget did not end the step", n, c.run.n)
			}
		})
	}
}

// A finished run makes no more iterations; export and cancel work on the
// current run, and a failed start keeps it.
func TestSteppedLifecycle(t *testing.T) {
	s := newCountStepper(StepLimits{DefaultMs: 40, MaxMs: 100})
	if _, err := s.Export(protocol.ExportRequest{Format: "txt"}, nil); err == nil || err.Error() != "nothing to export" {
		t.Errorf("export before start: %v", err)
	}
	if _, err := s.Start(countRun{n: 4}, nil); err != nil {
		t.Fatal(err)
	}
	fr, err := s.Step(protocol.StepRequest{})
	if err != nil || stepsOf(t, fr) != 4 {
		t.Fatalf("first step: %v", err)
	}
	if fr, err := s.Step(protocol.StepRequest{}); err != nil || stepsOf(t, fr) != 0 {
		t.Errorf("step after the end: %v", err)
	}
	if _, err := s.Start(countRun{n: -1}, nil); err == nil {
		t.Error("a bad start: no error")
	}
	e, err := s.Export(protocol.ExportRequest{Format: "txt"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v := valuesOf[protocol.ExportValues](t, e); v.Kind != protocol.KindExport || v.Filename != "count.txt" || v.Size != 4 || string(e.Bytes()) != "xxxx" || v.Format != "txt" {
		t.Errorf("export %+v, %q", v, e.Bytes())
	}
	if _, err := s.Export(protocol.ExportRequest{Format: "bmp"}, nil); err == nil {
		t.Error("unknown format exported")
	}
	for _, want := range []bool{true, false} {
		fr, err := s.Cancel(protocol.CancelRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if v := valuesOf[protocol.CancelValues](t, fr); v.Kind != protocol.KindCancel || v.Cancelled != want || fr.Scene != "test" {
			t.Errorf("cancel: %+v, want cancelled %v", v, want)
		}
	}
	if _, err := s.Step(protocol.StepRequest{}); err == nil {
		t.Error("step after cancel: no error")
	}
}

// RegisterStepper registers the four operations of a stepper.
func TestRegisterStepper(t *testing.T) {
	r := NewRegistry()
	s := newCountStepper(StepLimits{DefaultMs: 40, MaxMs: 100})
	if err := RegisterStepper(r, StepperOps{Start: "c_start", Step: "c_step", Export: "c_export", Cancel: "c_cancel"}, s); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Serve([]byte(`{"op":"c_start"}`), nil); err != nil {
		t.Fatal(err)
	}
	if s.Run() == nil {
		t.Fatal("no run after start")
	}
	if _, err := r.Serve([]byte(`{"op":"c_step","c_step":{"k":1}}`), nil); err != nil {
		t.Fatal(err)
	}
	if e, err := r.Serve([]byte(`{"op":"c_export","c_export":{"format":"txt"}}`), nil); err != nil || valuesOf[protocol.ExportValues](t, e).Filename != "count.txt" {
		t.Errorf("export: %v", err)
	}
	if _, err := r.Serve([]byte(`{"op":"c_cancel"}`), nil); err != nil || s.Run() != nil {
		t.Errorf("cancel: %v, run %v", err, s.Run())
	}
	if err := RegisterStepper(r, StepperOps{Start: "c_start", Step: "c_step2", Export: "c_export2", Cancel: "c_cancel2"}, s); err == nil {
		t.Error("registering an operation twice: no error")
	}
}

// countExportRequest is an export request that says more than
// protocol.ExportRequest.
type countExportRequest struct {
	Format string `json:"format"`
	Times  int    `json:"times"`
}

// A stepper with its own export request (WithExport) registers through
// RegisterStepper, and one without an export registers none.
func TestRegisterStepperExport(t *testing.T) {
	r := NewRegistry()
	s := newCountStepper(StepLimits{DefaultMs: 40, MaxMs: 100})
	export := func(q countExportRequest, p Progress) (*Frames, error) {
		if s.Run() == nil {
			return nil, errors.New("no run to export")
		}
		f, err := s.Run().Export(q.Format, p)
		if err != nil {
			return nil, err
		}
		fr := NewFrames("test", &protocol.ExportValues{Kind: protocol.KindExport, Format: q.Format, Filename: f.Name, Size: q.Times * len(f.Data)})
		fr.buf = []byte(strings.Repeat(string(f.Data), q.Times))
		return fr, nil
	}
	ops := StepperOps{Start: "c_start", Step: "c_step", Export: "c_export", Cancel: "c_cancel"}
	if err := RegisterStepper(r, ops, WithExport(s, export)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Serve([]byte(`{"op":"c_export","c_export":{"format":"txt","times":2}}`), nil); err == nil || err.Error() != "no run to export" {
		t.Errorf("export before start: %v", err)
	}
	// (A count cannot be sent: the start's countRun counts to 0.)
	if _, err := r.Serve([]byte(`{"op":"c_start"}`), nil); err != nil {
		t.Fatal(err)
	}
	s.run.(*countRun).n = 2
	if _, err := r.Serve([]byte(`{"op":"c_step"}`), nil); err != nil {
		t.Fatal(err)
	}
	e, err := r.Serve([]byte(`{"op":"c_export","c_export":{"format":"txt","times":3}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if v := valuesOf[protocol.ExportValues](t, e); v.Size != 6 || string(e.Bytes()) != "xxxxxx" {
		t.Errorf("export %+v, %q: want the run's export three times", v, e.Bytes())
	}
	if _, err := r.Serve([]byte(`{"op":"c_cancel"}`), nil); err != nil || s.Run() != nil {
		t.Errorf("cancel: %v, run %v", err, s.Run())
	}

	// No export name: no export operation.
	r = NewRegistry()
	if err := RegisterStepper(r, StepperOps{Start: "b_start", Step: "b_step", Cancel: "b_cancel"}, newCountStepper(StepLimits{DefaultMs: 40, MaxMs: 100})); err != nil {
		t.Fatal(err)
	}
	if ops := r.Ops(); !slices.Equal(ops, []string{"b_cancel", "b_start", "b_step"}) {
		t.Errorf("operations %q, want b_cancel, b_start and b_step", ops)
	}
}
