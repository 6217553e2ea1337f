package compute

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"scalewise/ui/strokes"
	"slices"
	"sort"
	"strings"
	"testing"

	"scalewise/assets"
	"scalewise/engine/field"
	"scalewise/engine/rg"
	"scalewise/ui/protocol"
	"scalewise/weights"
)

// testEngine returns the registry over the test sources.
func testEngine(t *testing.T) *Registry {
	t.Helper()
	d, err := testRG()
	if err != nil {
		t.Fatal(err)
	}
	reg, err := NewEngine(Sources{
		MNIST: assets.MNISTDigits,
		Nets:  testNets().load,
		RG: RGEngineSource(func(L int) (*rg.Model, error) {
			m, ok := d.models[L]
			if !ok {
				return nil, fmt.Errorf("no test model for L=%d", L)
			}
			return m, nil
		}, nil, func(L int) ([]*field.Field, error) { return d.samples[L], nil }).WithFields(weights.RGFieldModel, assets.RGTurbulenceHeldOut),
		Scat: testScatSource(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// call serves op with body through the envelope the page sends and
// returns the header.
func call(t *testing.T, reg *Registry, op, body string) []byte {
	t.Helper()
	fr, err := reg.Serve([]byte(`{"op":"`+op+`","`+op+`":`+body+`}`), nil)
	if err != nil {
		t.Fatalf("%s %s: %v", op, body, err)
	}
	hdr, err := fr.Header()
	if err != nil {
		t.Fatalf("%s: header: %v", op, err)
	}
	return hdr
}

// decodeStrict decodes hdr into a protocol.Header[V], refusing keys that
// V does not declare.
func decodeStrict[V any](hdr []byte) (protocol.Header[V], error) {
	var h protocol.Header[V]
	dec := json.NewDecoder(bytes.NewReader(hdr))
	dec.DisallowUnknownFields()
	err := dec.Decode(&h)
	return h, err
}

// decoder checks that a header decodes strictly into one values type.
type decoder struct {
	name   string
	decode func([]byte) error
}

func strict[V any]() decoder {
	var v V
	return decoder{fmt.Sprintf("%T", v), func(hdr []byte) error { _, err := decodeStrict[V](hdr); return err }}
}

// Every operation's header decodes into the protocol's values type of the
// operation with unknown fields refused, and, where the canvas app merges
// several kinds, into its view (RGValues, ScatSynthesis): producer and
// consumers cannot drift apart. Every key the views declare is sent by some
// kind (no field the engine never fills).
func TestProtocolValues(t *testing.T) {
	reg := testEngine(t)
	ex, err := strokes.Example(0, 0, DrawCanvas)
	if err != nil {
		t.Fatal(err)
	}
	code, err := strokes.Encode(ex, DrawCanvas)
	if err != nil {
		t.Fatal(err)
	}
	rgView, scatView := strict[protocol.RGValues](), strict[protocol.ScatSynthesis]()
	sent := map[string][]any{} // view → values sent of its kinds
	type step struct {
		op, body string
		kind     string // the values' kind, "" for none
		into     []decoder
		view     string // the view the values feed, if any
		repeat   bool   // repeat until the kind is seen
	}
	for _, c := range []step{
		{protocol.OpScales, `{"image":"calpha","seed":1,"alpha":2,"method":"code","size":64,"wavelet":"db4","J":3}`, "", []decoder{strict[protocol.ScalesValues]()}, "", false},
		{protocol.OpScales, `{"image":"mnist","seed":1,"wavelet":"haar","J":2}`, "", []decoder{strict[protocol.ScalesValues]()}, "", false},
		{protocol.OpDenoise, `{"d":"` + code + `","mode":"boundary","bg":1,"sigma":0.1,"nseed":1,"net":"drawing"}`, "", []decoder{strict[protocol.DenoiseValues]()}, "", false},
		{protocol.OpRGInfo, `{}`, protocol.KindInfo, []decoder{strict[protocol.RGInfoValues]()}, "", false},
		{protocol.OpRGStart, `{"L":32,"seed":3}`, protocol.KindStart, []decoder{strict[protocol.RGStartValues](), rgView}, "rg", false},
		{protocol.OpRGStep, `{"k":7}`, protocol.KindStep, []decoder{strict[protocol.RGStepValues](), rgView}, "rg", false},
		{protocol.OpRGStep, `{"k":100000,"max_ms":100}`, protocol.KindDone, []decoder{strict[protocol.RGStepValues](), rgView}, "rg", true},
		{protocol.OpRGExport, `{"format":"png"}`, protocol.KindExport, []decoder{strict[protocol.ExportValues]()}, "", false},
		{protocol.OpRGFit, `{"L":32}`, protocol.KindFit, []decoder{strict[protocol.RGFitValues]()}, "", false},
		{protocol.OpRGRace, `{"L":32,"seed":2,"reset":true,"ms":20}`, protocol.KindRace, []decoder{strict[protocol.RGRaceValues](), rgView}, "rg", false},
		{protocol.OpRGCancel, ``, protocol.KindCancel, []decoder{strict[protocol.CancelValues]()}, "", false},
		// A model with scattering interactions sends their coefficients.
		{protocol.OpRGStart, `{"field":"turbulence","L":64,"seed":1}`, protocol.KindStart, []decoder{strict[protocol.RGStartValues](), rgView}, "rg", false},
		{protocol.OpRGCancel, ``, protocol.KindCancel, []decoder{strict[protocol.CancelValues]()}, "", false},
		{protocol.OpScatInfo, `{}`, protocol.KindInfo, []decoder{strict[protocol.ScatInfoValues]()}, "", false},
		{protocol.OpScatAnalyse, `{"field":"phi4","size":64,"seed":3,"J":4,"L":4,"j":1,"k":0}`, protocol.KindAnalysis, []decoder{strict[protocol.ScatAnalyseValues]()}, "", false},
		{protocol.OpScatAnalyse, `{"field":"drawing","size":64,"J":4,"L":4,"j":3,"k":1}`, protocol.KindAnalysis, []decoder{strict[protocol.ScatAnalyseValues]()}, "", false},
		{protocol.OpScatSynthStart, `{"field":"phi4","size":64,"seed":3,"J":3,"L":4,"max_iter":4}`, protocol.KindSynthStart, []decoder{strict[protocol.ScatSynthStartValues](), scatView}, "scat", false},
		{protocol.OpScatSynthStep, `{"max_ms":1}`, protocol.KindSynthStep, []decoder{strict[protocol.ScatSynthStepValues](), scatView}, "scat", false},
		{protocol.OpScatExport, `{"format":"npy"}`, protocol.KindExport, []decoder{strict[protocol.ExportValues]()}, "", false},
		{protocol.OpScatSynthCancel, `{}`, protocol.KindCancel, []decoder{strict[protocol.CancelValues]()}, "", false},
		{protocol.OpAbout, `{}`, protocol.KindAbout, []decoder{strict[protocol.AboutValues]()}, "", false},
	} {
		t.Run(c.op+"/"+c.kind, func(t *testing.T) {
			body := c.body
			if body == "" {
				body = "null"
			}
			var hdr []byte
			var kind struct {
				Values struct {
					Kind string `json:"kind"`
				} `json:"values"`
			}
			for i := 0; ; i++ {
				hdr = call(t, reg, c.op, body)
				if err := json.Unmarshal(hdr, &kind); err != nil {
					t.Fatal(err)
				}
				if kind.Values.Kind == c.kind || !c.repeat || i > 1000 {
					break
				}
			}
			if kind.Values.Kind != c.kind {
				t.Fatalf("kind %q, want %q", kind.Values.Kind, c.kind)
			}
			for _, d := range c.into {
				if err := d.decode(hdr); err != nil {
					t.Errorf("into %s: %v", d.name, err)
				}
			}
			if c.view != "" {
				var v struct {
					Values any `json:"values"`
				}
				if err := json.Unmarshal(hdr, &v); err != nil {
					t.Fatal(err)
				}
				sent[c.view] = append(sent[c.view], v.Values)
			}
		})
	}
	// stop_reason is sent only when a synthesis stops early, which these
	// short runs do not.
	for view, want := range map[string]any{"rg": protocol.RGValues{}, "scat": protocol.ScatSynthesis{}} {
		got := map[string]bool{"stop_reason": true}
		for _, v := range sent[view] {
			jsonKeys(v, "", got)
		}
		for _, k := range typeKeys(reflect.TypeOf(want), "") {
			if !got[k] {
				t.Errorf("%T declares %q, which no frames send", want, k)
			}
		}
	}
}

// jsonKeys adds the key paths of a decoded JSON value to keys.
func jsonKeys(v any, prefix string, keys map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			keys[prefix+k] = true
			jsonKeys(e, prefix+k+".", keys)
		}
	case []any:
		for _, e := range x {
			jsonKeys(e, prefix, keys)
		}
	}
}

// typeKeys returns the JSON key paths a struct type declares (maps' keys
// left out).
func typeKeys(t reflect.Type, prefix string) []string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			out = append(out, typeKeys(f.Type, prefix)...)
			continue
		}
		out = append(out, prefix+name)
		out = append(out, typeKeys(f.Type, prefix+name+".")...)
	}
	sort.Strings(out)
	return out
}

// The about operation lists the registry's operations and the engine's
// build, with no images.
func TestAbout(t *testing.T) {
	reg := testEngine(t)
	h, err := decodeStrict[protocol.AboutValues](call(t, reg, protocol.OpAbout, `{}`))
	if err != nil {
		t.Fatal(err)
	}
	v := h.Values
	if h.Scene != "about" || len(h.Images) != 0 || v.Kind != protocol.KindAbout {
		t.Errorf("scene %q, %d images, kind %q", h.Scene, len(h.Images), v.Kind)
	}
	if !strings.HasPrefix(v.GoVersion, "go") || v.GOOS == "" || v.GOARCH == "" {
		t.Errorf("build %q %s/%s", v.GoVersion, v.GOOS, v.GOARCH)
	}
	if !slices.IsSorted(v.Ops) || !slices.Equal(v.Ops, reg.Ops()) {
		t.Errorf("ops %v, registry %v", v.Ops, reg.Ops())
	}
	for _, op := range []string{protocol.OpScales, protocol.OpRGStep, protocol.OpRGCancel, protocol.OpScatSynthCancel, protocol.OpAbout, protocol.OpPanic} {
		if !slices.Contains(v.Ops, op) {
			t.Errorf("about does not list %s", op)
		}
	}
	if v.RGSides != len(RGSizes) || v.ScatFields != 4 {
		t.Errorf("%d RG sides, %d scattering fields", v.RGSides, v.ScatFields)
	}
}
