package compute

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"scalewise/assets"
	"scalewise/engine/data"
	"scalewise/engine/nn"
	"scalewise/ui/protocol"
)

// The sweep nets of the tests, from weights/generalisation, and the blob
// of the test training set.
const (
	genNetS1     = "mnist-small-s1-n10"
	genNetS2     = "mnist-small-s2-n10"
	genTestTrain = protocol.BlobTrainPrefix + "test"
)

// genNetBytes reads the sweep net called name from the repository.
func genNetBytes(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "weights", "generalisation", name+".safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// genTrainBytes returns the first n digits of the shipped sprite of MNIST
// test digits as a training blob: each digit's 28×28 centre, in bytes.
func genTrainBytes(t testing.TB, n int) []byte {
	t.Helper()
	sp, err := data.DecodeSprite(assets.MNISTDigits())
	if err != nil {
		t.Fatal(err)
	}
	if sp.Size != GenTrainSize || n > sp.N {
		t.Fatalf("sprite of %d digits of %d×%d", sp.N, sp.Size, sp.Size)
	}
	var out []byte
	for i := range n {
		img := sp.Pixels[i*sp.Size*sp.Size:]
		for y := range genDigitSide {
			row := img[(y+genDigitPad)*sp.Size+genDigitPad:]
			out = append(out, row[:genDigitSide]...)
		}
	}
	return out
}

// genTestSession returns a session and its registry over blobs holding
// the sweep nets named and the test training set of 100 digits, with the
// nets on the scalar kernels and one goroutine, as in wasm.
func genTestSession(t testing.TB, nets ...string) (*GenSession, *Registry, *Blobs) {
	t.Helper()
	blobs := NewBlobs(0)
	for _, name := range nets {
		if err := blobs.Store(protocol.BlobNetPrefix+name+".safetensors", genNetBytes(t, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := blobs.Store(genTestTrain, genTrainBytes(t, 100)); err != nil {
		t.Fatal(err)
	}
	s := NewGenSession(NewNets(nil), blobs)
	s.kernels, s.workers = nn.KernelScalar, 1
	reg := NewRegistry()
	if err := s.Register(reg); err != nil {
		t.Fatal(err)
	}
	return s, reg, blobs
}

// genCall serves op with the request body v (JSON-encoded, as the page
// sends it) through the envelope.
func genCall(reg *Registry, op string, v any) (*Frames, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	env, err := json.Marshal(map[string]json.RawMessage{"op": json.RawMessage(`"` + op + `"`), op: body})
	if err != nil {
		return nil, err
	}
	return reg.Serve(env, nil)
}

// genRunToEnd starts req and steps it to its sample (max_ms each step),
// returning the values of every frame, the start's first.
func genRunToEnd(t testing.TB, reg *Registry, req GenStartRequest, maxMs float64) ([]*protocol.GenValues, *Frames) {
	t.Helper()
	fr, err := genCall(reg, protocol.OpGenStart, req)
	if err != nil {
		t.Fatal(err)
	}
	vs := []*protocol.GenValues{genValues(t, fr)}
	for i := 0; !vs[len(vs)-1].Done; i++ {
		if i > 20000 {
			t.Fatal("the run does not finish")
		}
		if fr, err = genCall(reg, protocol.OpGenStep, protocol.StepRequest{MaxMs: maxMs}); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, genValues(t, fr))
	}
	return vs, fr
}

// genValues returns the GenValues of fr, checked to survive the wire: the
// header decodes strictly into them.
func genValues(t testing.TB, fr *Frames) *protocol.GenValues {
	t.Helper()
	hdr, err := fr.Header()
	if err != nil {
		t.Fatal(err)
	}
	h, err := decodeStrict[protocol.GenValues](hdr)
	if err != nil {
		t.Fatalf("header: %v", err)
	}
	if h.Scene != GenScene {
		t.Fatalf("scene %q", h.Scene)
	}
	v, ok := fr.Values.(*protocol.GenValues)
	if !ok {
		t.Fatalf("values %T", fr.Values)
	}
	return v
}

// genExport exports the current run.
func genExport(t testing.TB, reg *Registry, req GenExportRequest) []byte {
	t.Helper()
	fr, err := genCall(reg, protocol.OpGenExport, req)
	if err != nil {
		t.Fatalf("export %+v: %v", req, err)
	}
	v, ok := fr.Values.(*protocol.ExportValues)
	if !ok || v.Kind != protocol.KindExport || v.Size != len(fr.Bytes()) || v.Format != req.Format || v.Filename == "" {
		t.Fatalf("export values %+v for %d bytes", v, len(fr.Bytes()))
	}
	return bytes.Clone(fr.Bytes())
}

// genJSON encodes v.
func genJSON(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
