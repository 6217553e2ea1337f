package compute

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// Handler serves one operation: body is the operation's JSON request (an
// empty object when the envelope carries none); progress reports to the
// page while the handler runs.
type Handler func(body json.RawMessage, progress Progress) (*Frames, error)

// Registry maps operation names to their handlers, and serves requests
// one at a time: a call waits for the call before it to return, so the
// sessions behind the handlers need no locks. The worker feeds it from a
// Queue, in arrival order.
type Registry struct {
	mu       sync.Mutex // held while a handler runs
	handlers map[string]Handler
}

// NewRegistry returns a registry with no operations.
func NewRegistry() *Registry {
	return &Registry{handlers: map[string]Handler{}}
}

// Register adds the operation op served by h. An empty name, a nil
// handler or a name already registered is an error.
func (r *Registry) Register(op string, h Handler) error {
	switch {
	case op == "":
		return errors.New("register: empty operation name")
	case h == nil:
		return fmt.Errorf("register %q: nil handler", op)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.handlers[op]; ok {
		return fmt.Errorf("register %q: operation registered twice", op)
	}
	r.handlers[op] = h
	return nil
}

// Handle registers op with a handler that decodes the body into a Req
// (unknown fields are ignored, as the page may send more than an
// operation reads) and calls f.
func Handle[Req any](r *Registry, op string, f func(Req, Progress) (*Frames, error)) error {
	if f == nil {
		return fmt.Errorf("register %q: nil handler", op)
	}
	return r.Register(op, func(body json.RawMessage, progress Progress) (*Frames, error) {
		var req Req
		if err := json.Unmarshal(body, &req); err != nil {
			return nil, fmt.Errorf("bad request: %s: %w", op, err)
		}
		return f(req, progress)
	})
}

// Ops returns the names of the registered operations, sorted.
func (r *Registry) Ops() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ops()
}

func (r *Registry) ops() []string {
	ops := make([]string, 0, len(r.handlers))
	for op := range r.handlers {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	return ops
}

// Call serves op with body (nil or JSON null: an empty object). An
// unknown operation is an error, and so is a handler's panic, recovered.
func (r *Registry) Call(op string, body json.RawMessage, progress Progress) (fr *Frames, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h, ok := r.handlers[op]
	if !ok {
		return nil, fmt.Errorf("unknown operation %q", op)
	}
	if len(body) == 0 || string(body) == "null" {
		body = json.RawMessage("{}")
	}
	defer func() {
		if p := recover(); p != nil {
			fr, err = nil, fmt.Errorf("engine panic: %v", p)
		}
	}()
	fr, err = h(body, quiet(progress))
	if err == nil && fr == nil {
		err = fmt.Errorf("%s: no frames", op)
	}
	return fr, err
}

// Serve serves one request envelope as the page sends it: the
// operation's name under "op" and its body under that name,
//
//	{"op": "rg_step", "rg_step": {"k": 10}}
func (r *Registry) Serve(envelope []byte, progress Progress) (*Frames, error) {
	var env map[string]json.RawMessage
	if err := json.Unmarshal(envelope, &env); err != nil {
		return nil, fmt.Errorf("bad request: %w", err)
	}
	var op string
	if raw, ok := env["op"]; ok {
		if err := json.Unmarshal(raw, &op); err != nil {
			return nil, fmt.Errorf("bad request: op: %w", err)
		}
	}
	return r.Call(op, env[op], progress)
}
