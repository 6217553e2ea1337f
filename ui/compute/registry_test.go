package compute

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

type echoRequest struct {
	N int `json:"n"`
}

type echoValues struct {
	N int `json:"n"`
}

// testRegistry serves "echo" (its body's n), "fail", "panic" and
// "progress".
func testRegistry(t *testing.T) *Registry {
	t.Helper()
	r := NewRegistry()
	err := errors.Join(
		Handle(r, "echo", func(q echoRequest, _ Progress) (*Frames, error) {
			return NewFrames("test", &echoValues{N: q.N}), nil
		}),
		Handle(r, "fail", func(echoRequest, Progress) (*Frames, error) { return nil, errors.New("refused") }),
		Handle(r, "panic", func(echoRequest, Progress) (*Frames, error) { panic("boom") }),
		Handle(r, "nil", func(echoRequest, Progress) (*Frames, error) { return nil, nil }),
		Handle(r, "progress", func(_ echoRequest, p Progress) (*Frames, error) {
			for i := range 3 {
				p(i+1, 3, "stage")
			}
			return NewFrames("test", &echoValues{}), nil
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The registry decodes the page's envelope, dispatches on op, and turns
// unknown operations, bad bodies and panics into errors.
func TestRegistryServe(t *testing.T) {
	r := testRegistry(t)
	for _, c := range []struct {
		name, envelope string
		n              int    // the echoed n
		err            string // "" for none
	}{
		{"body", `{"op":"echo","echo":{"n":3}}`, 3, ""},
		{"no body", `{"op":"echo"}`, 0, ""},
		{"null body", `{"op":"echo","echo":null}`, 0, ""},
		{"other bodies ignored", `{"op":"echo","echo":{"n":2},"fail":{"n":"x"}}`, 2, ""},
		{"unknown fields ignored", `{"op":"echo","echo":{"n":1,"m":2}}`, 1, ""},
		{"unknown op", `{"op":"nope"}`, 0, `unknown operation "nope"`},
		{"no op", `{"echo":{}}`, 0, `unknown operation ""`},
		{"op not a string", `{"op":3}`, 0, "bad request"},
		{"not JSON", `{"op":`, 0, "bad request"},
		{"bad body", `{"op":"echo","echo":{"n":"x"}}`, 0, "bad request: echo"},
		{"handler error", `{"op":"fail"}`, 0, "refused"},
		{"panic", `{"op":"panic"}`, 0, "engine panic: boom"},
		{"no frames", `{"op":"nil"}`, 0, "no frames"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fr, err := r.Serve([]byte(c.envelope), nil)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := fr.Values.(*echoValues).N; got != c.n {
				t.Errorf("n = %d, want %d", got, c.n)
			}
		})
	}
	// The registry still serves after a panic.
	if _, err := r.Serve([]byte(`{"op":"echo"}`), nil); err != nil {
		t.Errorf("after a panic: %v", err)
	}
}

// Progress reports reach the caller while the handler runs.
func TestRegistryProgress(t *testing.T) {
	r := testRegistry(t)
	var got []int
	if _, err := r.Call("progress", nil, func(done, total int, stage string) { got = append(got, done) }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []int{1, 2, 3}) {
		t.Errorf("progress %v", got)
	}
	if _, err := r.Call("progress", nil, nil); err != nil {
		t.Errorf("nil progress: %v", err)
	}
}

// Registering twice, an empty name or a nil handler is an error; Ops lists
// the names sorted.
func TestRegistryRegister(t *testing.T) {
	r := testRegistry(t)
	ok := func(json.RawMessage, Progress) (*Frames, error) { return nil, nil }
	for _, c := range []struct {
		op string
		h  Handler
	}{{"echo", ok}, {"", ok}, {"new", nil}} {
		if err := r.Register(c.op, c.h); err == nil {
			t.Errorf("Register(%q, %v): no error", c.op, c.h != nil)
		}
	}
	if err := Handle[echoRequest](r, "new", nil); err == nil {
		t.Error("Handle with a nil function: no error")
	}
	if got := r.Ops(); !slices.Equal(got, []string{"echo", "fail", "nil", "panic", "progress"}) {
		t.Errorf("ops %v", got)
	}
}

// Every operation of the engine is registered, the page's and the new.
func TestNewEngineOps(t *testing.T) {
	reg, err := NewEngine(Sources{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"about", "basis_cancel", "basis_start", "basis_step", "denoise", "gen_cancel", "gen_export", "gen_grid", "gen_start", "gen_step", "geom_cancel", "geom_rate", "geom_start", "geom_step", "panic", "rg_cancel", "rg_export", "rg_fit", "rg_info", "rg_race", "rg_start", "rg_step",
		"scales", "scat_analyse", "scat_export", "scat_info", "scat_synth_cancel", "scat_synth_start", "scat_synth_step"}
	if got := reg.Ops(); !slices.Equal(got, want) {
		t.Errorf("ops %v, want %v", got, want)
	}
	// Without sources, the operations that need them say so.
	for _, env := range []string{
		`{"op":"scales","scales":{"image":"mnist","wavelet":"haar","J":2}}`,
		`{"op":"denoise","denoise":{"net":"drawing","mode":"boundary"}}`,
		`{"op":"rg_start","rg_start":{"L":32}}`,
		`{"op":"scat_analyse","scat_analyse":{"field":"phi4","size":64,"J":3,"L":4}}`,
	} {
		if _, err := reg.Serve([]byte(env), nil); err == nil {
			t.Errorf("%s: no error without sources", env)
		}
	}
	if _, err := reg.Serve([]byte(`{"op":"panic","panic":{}}`), nil); err == nil || !strings.Contains(err.Error(), "engine panic") {
		t.Errorf("panic self-test: %v", err)
	}
}
