package compute

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"scalewise/ui/protocol"
)

// The store keeps, replaces and forgets blobs, counts their bytes, and
// refuses bad names and a put past its limit, leaving itself as it was.
func TestBlobs(t *testing.T) {
	b := NewBlobs(100)
	steps := []struct {
		name  string
		size  int
		want  string // "" for no error
		total int    // bytes stored after the put
	}{
		{"a", 40, "", 40},
		{"b", 50, "", 90},
		{"c", 11, "over its limit", 90},
		{"a", 50, "", 100}, // a replace counts the difference
		{"a", 51, "over its limit", 100},
		{"", 1, "needs a name", 100},
		{strings.Repeat("x", MaxBlobName+1), 1, "blob name", 100},
		{"a", 0, "", 50},
	}
	for i, s := range steps {
		err := b.Store(s.name, bytes.Repeat([]byte{byte(i)}, s.size))
		if (err == nil) != (s.want == "") || err != nil && !strings.Contains(err.Error(), s.want) {
			t.Errorf("step %d: put %q of %d: %v, want %q", i, s.name, s.size, err, s.want)
		}
		if b.Size() != s.total {
			t.Errorf("step %d: %d bytes stored, want %d", i, b.Size(), s.total)
		}
	}
	if got, ok := b.Get("b"); !ok || len(got) != 50 || got[0] != 1 {
		t.Errorf("get b: %d bytes, %v", len(got), ok)
	}
	if !b.Delete("b") || b.Delete("b") || b.Size() != 0 {
		t.Errorf("delete: %d bytes left", b.Size())
	}
	if _, ok := b.Get("b"); ok {
		t.Error("a deleted blob is still there")
	}
	if n := NewBlobs(0).limit; n != MaxBlobBytes {
		t.Errorf("default limit %d", n)
	}
}

// A put answers with PutValues in frames of the Generate scene; the
// engine's registry serves the Generate operations over the blobs of its
// sources, and without them says what is missing.
func TestGenEngine(t *testing.T) {
	blobs := NewBlobs(0)
	reg, err := NewEngine(Sources{Blobs: blobs})
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range []string{protocol.OpGenStart, protocol.OpGenStep, protocol.OpGenExport, protocol.OpGenCancel, protocol.OpGenGrid} {
		if !slices.Contains(reg.Ops(), op) {
			t.Errorf("the engine does not serve %s", op)
		}
	}
	start := `{"op":"gen_start","gen_start":{"net":"` + genNetS1 + `","seed":1}}`
	if _, err := reg.Serve([]byte(start), nil); err == nil || !strings.Contains(err.Error(), "no blob") {
		t.Errorf("start before the put: %v", err)
	}
	name := protocol.BlobNetPrefix + genNetS1 + ".safetensors"
	net := genNetBytes(t, genNetS1)
	fr, err := blobs.Put(protocol.PutRequest{Name: name, Bytes: net})
	if err != nil {
		t.Fatal(err)
	}
	hdr, err := fr.Header()
	if err != nil {
		t.Fatal(err)
	}
	h, err := decodeStrict[protocol.PutValues](hdr)
	if err != nil || h.Scene != GenScene || len(h.Images) != 0 || h.Values != (protocol.PutValues{Kind: protocol.KindPut, Name: name, Size: len(net)}) {
		t.Errorf("put answer %s (%v)", hdr, err)
	}
	if _, err := blobs.Put(protocol.PutRequest{Bytes: net}); err == nil {
		t.Error("a put without a name accepted")
	}
	fr, err = reg.Serve([]byte(start), nil)
	if err != nil {
		t.Fatal(err)
	}
	if v := genValues(t, fr); v.Kind != protocol.KindStart || v.Net.Name != genNetS1 {
		t.Errorf("start values %+v", v)
	}
	// Without sources the shipped denoisers are missing too.
	if _, err := reg.Serve([]byte(`{"op":"gen_grid","gen_grid":{"net":"drawing","n":1}}`), nil); err == nil {
		t.Error("a shipped net served without sources")
	}
}

// The shipped denoisers generate too, through the engine's net loader.
func TestGenShippedNet(t *testing.T) {
	s := NewGenSession(testNets(), nil)
	s.kernels, s.workers = "scalar", 1
	fr, err := s.Grid(GenGridRequest{Net: "drawing", N: 2, Sampler: GenReverseSDE, Steps: 3, Size: 16}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v := valuesOf[protocol.GenGridValues](t, fr); v.Net.Name != "drawing" || v.Net.Set != "" || v.Net.Params == 0 {
		t.Errorf("net %+v", v.Net)
	}
}
