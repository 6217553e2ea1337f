package compute

import (
	"bytes"
	"strings"
	"testing"

	"scalewise/engine/nn"
	"scalewise/ui/protocol"
)

// Bad requests are refused with a message that names what is wrong, and a
// refused start keeps the run there was.
func TestGenBadRequests(t *testing.T) {
	_, reg, blobs := genTestSession(t, genNetS1)
	if err := blobs.Store(protocol.BlobTrainPrefix+"five", genTrainBytes(t, 5)); err != nil {
		t.Fatal(err)
	}
	if err := blobs.Store(protocol.BlobTrainPrefix+"ragged", make([]byte, 784*3+5)); err != nil {
		t.Fatal(err)
	}
	if err := blobs.Store(protocol.BlobNetPrefix+"junk.safetensors", []byte("not a net")); err != nil {
		t.Fatal(err)
	}
	if _, err := genCall(reg, protocol.OpGenStep, protocol.StepRequest{}); err == nil || !strings.Contains(err.Error(), "start one") {
		t.Errorf("a step without a run: %v", err)
	}
	ok := GenStartRequest{Net: genNetS1, Train: genTestTrain}
	with := func(f func(*GenStartRequest)) GenStartRequest {
		r := ok
		f(&r)
		return r
	}
	tests := []struct {
		name string
		req  GenStartRequest
		want string
	}{
		{"no net", with(func(r *GenStartRequest) { r.Net = "" }), "no net"},
		{"unknown net", with(func(r *GenStartRequest) { r.Net = "mnist-small-s3-n10" }), "gen/mnist-small-s3-n10.safetensors"},
		{"corrupt net", with(func(r *GenStartRequest) { r.Net = "junk" }), "net junk"},
		{"unknown sampler", with(func(r *GenStartRequest) { r.Sampler = "ddpm" }), "unknown sampler"},
		{"unknown preset", with(func(r *GenStartRequest) { r.Preset = "fast" }), "unknown preset"},
		{"preset of the SDE", with(func(r *GenStartRequest) { r.Sampler, r.Preset = GenReverseSDE, "fast" }), "unknown preset"},
		{"negative steps", with(func(r *GenStartRequest) { r.Steps = -1 }), "steps=-1"},
		{"too many steps", with(func(r *GenStartRequest) { r.Sampler, r.Steps = GenReverseSDE, MaxGenSteps+1 }), "steps="},
		{"size too small", with(func(r *GenStartRequest) { r.Size = 8 }), "size=8"},
		{"size too large", with(func(r *GenStartRequest) { r.Size = 136 }), "size=136"},
		{"size not a multiple of 8", with(func(r *GenStartRequest) { r.Size = 36 }), "size=36"},
		{"negative size", with(func(r *GenStartRequest) { r.Size = -32 }), "size=-32"},
		{"training set at another size", with(func(r *GenStartRequest) { r.Size = 64 }), "size=64"},
		{"missing training set", with(func(r *GenStartRequest) { r.Train = "train/s9" }), "was not put"},
		{"ragged training set", with(func(r *GenStartRequest) { r.Train = "train/ragged" }), "not a whole number"},
		{"training set smaller than N", with(func(r *GenStartRequest) { r.Train = "train/five" }), "holds 5 digits, but the net was trained on N=10"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := genCall(reg, protocol.OpGenStart, tc.req)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	// The body must be JSON of the request (NaN is not JSON), and the
	// step's time a number of milliseconds.
	for _, env := range []string{
		`{"op":"gen_start","gen_start":{"net":"x","seed":-1}}`,
		`{"op":"gen_start","gen_start":{"net":NaN}}`,
		`{"op":"gen_step","gen_step":{"max_ms":-5}}`,
		`{"op":"gen_step","gen_step":{"k":-1}}`,
		`{"op":"gen_grid","gen_grid":{"net":"` + genNetS1 + `","n":0}}`,
		`{"op":"gen_grid","gen_grid":{"net":"` + genNetS1 + `","n":65}}`,
		`{"op":"gen_grid","gen_grid":{"net":"` + genNetS1 + `","n":4,"size":20}}`,
		`{"op":"gen_grid","gen_grid":{"net":"nothing","n":4}}`,
	} {
		if _, err := reg.Serve([]byte(env), nil); err == nil {
			t.Errorf("%s: accepted", env)
		}
	}
	// A refused start keeps the run there was.
	if _, err := genCall(reg, protocol.OpGenStart, ok); err != nil {
		t.Fatal(err)
	}
	if _, err := genCall(reg, protocol.OpGenStart, tests[0].req); err == nil {
		t.Fatal("accepted")
	}
	if _, err := genCall(reg, protocol.OpGenStep, protocol.StepRequest{K: 1}); err != nil {
		t.Errorf("the run did not survive a refused start: %v", err)
	}
	// Cancel forgets it.
	fr, err := genCall(reg, protocol.OpGenCancel, protocol.CancelRequest{})
	if err != nil || !valuesOf[protocol.CancelValues](t, fr).Cancelled {
		t.Fatalf("cancel: %v", err)
	}
	if _, err := genCall(reg, protocol.OpGenStep, protocol.StepRequest{}); err == nil {
		t.Error("a step after cancel accepted")
	}
}

// blowUpNet returns the weights of a sweep-shaped net whose output layer
// is scaled by 1000: its residual, and so σ_t, is far too large.
func blowUpNet(t *testing.T) []byte {
	t.Helper()
	u, _, err := nn.LoadUNet(bytes.NewReader(genNetBytes(t, genNetS1)))
	if err != nil {
		t.Fatal(err)
	}
	ps := u.Params()
	last := ps[len(ps)-1]
	for i := range last.Data {
		last.Data[i] *= 1000
	}
	var b bytes.Buffer
	if err := nn.SaveUNet(&b, u, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A sampler that does not converge ends the run with a clear error: the
// code preset's bound σ_t ≤ 2, and a blow-up to non-finite values for the
// paper preset, which has none. The run then refuses steps and exports
// with the reason; a grid names the sample that failed.
func TestGenNotConverging(t *testing.T) {
	_, reg, blobs := genTestSession(t)
	if err := blobs.Store(protocol.BlobNetPrefix+"wild.safetensors", blowUpNet(t)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		preset string
		want   string
	}{
		{"code", "not converging"},
		{"paper", "generation with net wild (kadkhodaie-paper) failed"},
	}
	for _, tc := range tests {
		t.Run(tc.preset, func(t *testing.T) {
			if _, err := genCall(reg, protocol.OpGenStart, GenStartRequest{Net: "wild", Preset: tc.preset}); err != nil {
				t.Fatal(err)
			}
			var err error
			for i := 0; i < 1000 && err == nil; i++ {
				_, err = genCall(reg, protocol.OpGenStep, protocol.StepRequest{})
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			t.Log(err)
			if _, again := genCall(reg, protocol.OpGenStep, protocol.StepRequest{}); again == nil || again.Error() != err.Error() {
				t.Errorf("a step after the failure: %v", again)
			}
			if _, ex := genCall(reg, protocol.OpGenExport, GenExportRequest{Format: "npy"}); ex == nil || !strings.Contains(ex.Error(), "failed") {
				t.Errorf("an export after the failure: %v", ex)
			}
			_, grid := genCall(reg, protocol.OpGenGrid, GenGridRequest{Net: "wild", N: 2, Preset: tc.preset})
			if grid == nil || !strings.Contains(grid.Error(), "sample 0 of net wild") {
				t.Errorf("grid: %v", grid)
			}
		})
	}
}
