package nn

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// stF16 encodes halves (their bits) as little-endian bytes.
func stF16(hs ...uint16) []byte {
	b := make([]byte, 0, 2*len(hs))
	for _, h := range hs {
		b = append(b, byte(h), byte(h>>8))
	}
	return b
}

// TestSafetensorsF16Bytes checks an F16 file byte by byte.
func TestSafetensorsF16Bytes(t *testing.T) {
	var buf bytes.Buffer
	ts := []NamedTensor{{Name: "a", Shape: []int{2, 2}, Data: []float32{1, -2, 0.5, 65504}}}
	if err := WriteSafetensorsDtype(&buf, ts, nil, DtypeF16); err != nil {
		t.Fatal(err)
	}
	want := stFile(`{"a":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]}}`, stF16(0x3c00, 0xc000, 0x3800, 0x7bff))
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("got\n%q\nwant\n%q", buf.Bytes(), want)
	}
	// The F32 default is unchanged.
	buf.Reset()
	if err := WriteSafetensorsDtype(&buf, ts, nil, DtypeF32); err != nil {
		t.Fatal(err)
	}
	if f32 := stWrite(t, ts, nil); !bytes.Equal(buf.Bytes(), f32) {
		t.Error("WriteSafetensorsDtype(F32) differs from WriteSafetensors")
	}
}

// F16 data read back exactly as the halves they hold: signed zeros,
// subnormals, the extremes of the range; a file may mix F16 and F32.
func TestReadSafetensorsF16(t *testing.T) {
	file := stFile(`{"__metadata__":{"dtype":"F16"},`+
		`"h":{"dtype":"F16","shape":[7],"data_offsets":[0,14]},`+
		`"s":{"dtype":"F32","shape":[],"data_offsets":[14,18]}}`,
		append(stF16(0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0xfbff, 0x3555), stF32(0.1)...))
	ts, dtypes, md, err := readSafetensors(bytes.NewReader(file), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].Name != "h" || ts[1].Name != "s" {
		t.Fatalf("tensors %v", ts)
	}
	if !reflect.DeepEqual(dtypes, []string{DtypeF16, DtypeF32}) {
		t.Errorf("dtypes %v", dtypes)
	}
	if md["dtype"] != "F16" {
		t.Errorf("metadata %v", md)
	}
	want := []float32{0, float32(math.Copysign(0, -1)), 0x1p-24, 0x3ffp-24, 0x1p-14, -65504, 0.333251953125}
	for i, w := range want {
		if math.Float32bits(ts[0].Data[i]) != math.Float32bits(w) {
			t.Errorf("h[%d] = %v, want %v", i, ts[0].Data[i], w)
		}
	}
	if ts[1].Data[0] != 0.1 || len(ts[1].Shape) != 0 {
		t.Errorf("s = %v, shape %v", ts[1].Data, ts[1].Shape)
	}
}

// Values written as F16 read back as their nearest halves, within half an
// F16 ulp (2⁻¹¹ relative) of the originals; the output is deterministic.
func TestSafetensorsF16RoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	w := make([]float32, 1000)
	for i := range w {
		w[i] = float32(rng.NormFloat64() * math.Pow(10, rng.Float64()*6-4))
	}
	w = append(w, 0, float32(math.Copysign(0, -1)), 1e-9, -3e-6, 65519, -65504)
	ts := []NamedTensor{
		{Name: "w", Shape: []int{len(w)}, Data: w},
		{Name: "b", Shape: []int{1, 2}, Data: []float32{0.25, -0.1}},
		{Name: "empty", Shape: []int{0}, Data: []float32{}},
	}
	md := map[string]string{"seed": "1"}
	var buf bytes.Buffer
	if err := WriteSafetensorsDtype(&buf, ts, md, DtypeF16); err != nil {
		t.Fatal(err)
	}
	file := bytes.Clone(buf.Bytes())
	got, gmd, err := ReadSafetensors(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gmd, md) {
		t.Errorf("metadata %v, want %v", gmd, md)
	}
	byName := map[string]NamedTensor{}
	for _, g := range got {
		byName[g.Name] = g
	}
	for _, nt := range ts {
		g := byName[nt.Name]
		if !reflect.DeepEqual(g.Shape, nt.Shape) || len(g.Data) != len(nt.Data) {
			t.Fatalf("%s: shape %v (%d values), want %v", nt.Name, g.Shape, len(g.Data), nt.Shape)
		}
		for i, v := range nt.Data {
			h, _ := HalfFromFloat32(v)
			if math.Float32bits(g.Data[i]) != math.Float32bits(HalfToFloat32(h)) {
				t.Fatalf("%s[%d] = %v, want the half nearest %v", nt.Name, i, g.Data[i], v)
			}
			if a := math.Abs(float64(v)); a >= 0x1p-14 && math.Abs(float64(g.Data[i])-float64(v)) > a*0x1p-11 {
				t.Errorf("%s[%d] = %v, more than half an ulp from %v", nt.Name, i, g.Data[i], v)
			}
		}
	}
	buf.Reset()
	if err := WriteSafetensorsDtype(&buf, []NamedTensor{ts[2], ts[1], ts[0]}, md, DtypeF16); err != nil || !bytes.Equal(buf.Bytes(), file) {
		t.Errorf("output depends on the order of the tensors (err %v)", err)
	}
}

func TestWriteSafetensorsDtypeErrors(t *testing.T) {
	one := func(v float32) []NamedTensor {
		return []NamedTensor{{Name: "ok", Shape: []int{1}, Data: []float32{1}}, {Name: "w", Shape: []int{3}, Data: []float32{0, 1, v}}}
	}
	tests := []struct {
		name    string
		tensors []NamedTensor
		dtype   string
		want    string
	}{
		{"unknown dtype", one(1), "BF16", `cannot write dtype "BF16" (want F32 or F16)`},
		{"empty dtype", one(1), "", `cannot write dtype ""`},
		{"beyond the half range", one(65520), DtypeF16, "tensor w: element 2 is 65520, beyond the F16 range (largest finite ±65504)"},
		{"far beyond the half range", one(-1e6), DtypeF16, "tensor w: element 2 is -1e+06, beyond the F16 range"},
		{"NaN", one(float32(math.NaN())), DtypeF16, "tensor w: element 2 is NaN; weights must be finite"},
		{"Inf", one(float32(math.Inf(1))), DtypeF16, "tensor w: element 2 is +Inf; weights must be finite"},
		{"shape mismatch", []NamedTensor{{Name: "w", Shape: []int{2}, Data: []float32{1}}}, DtypeF16, "tensor w: shape [2] has 2 elements but data has 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := WriteSafetensorsDtype(&buf, tt.tensors, nil, tt.dtype)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "safetensors: ") {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written for a rejected input", buf.Len())
			}
		})
	}
	// The same values are fine as F32.
	var buf bytes.Buffer
	if err := WriteSafetensorsDtype(&buf, one(1e6), nil, DtypeF32); err != nil {
		t.Errorf("F32 of 1e6: %v", err)
	}
}

func TestSafetensorsToF16(t *testing.T) {
	ts := []NamedTensor{
		{Name: "a", Shape: []int{3}, Data: []float32{0.1, -2.5, 1e-7}},
		{Name: "b", Shape: []int{}, Data: []float32{3}},
	}
	src := stWrite(t, ts, map[string]string{"architecture": "x", "dtype": "old"})
	half, err := SafetensorsToF16(src)
	if err != nil {
		t.Fatal(err)
	}
	got, dtypes, md, err := readSafetensors(bytes.NewReader(half), 0)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(src)
	if want := map[string]string{"architecture": "x", "dtype": "F16", "from": hex.EncodeToString(sum[:])}; !reflect.DeepEqual(md, want) {
		t.Errorf("metadata %v, want %v", md, want)
	}
	if !reflect.DeepEqual(dtypes, []string{DtypeF16, DtypeF16}) {
		t.Errorf("dtypes %v", dtypes)
	}
	for i, nt := range ts {
		for j, v := range nt.Data {
			h, _ := HalfFromFloat32(v)
			if got[i].Data[j] != HalfToFloat32(h) {
				t.Errorf("%s[%d] = %v from %v", nt.Name, j, got[i].Data[j], v)
			}
		}
	}
	if _, err := SafetensorsToF16(half); err == nil || !strings.Contains(err.Error(), "tensor a is already F16") {
		t.Errorf("converting an F16 file: %v", err)
	}
	big := stWrite(t, []NamedTensor{{Name: "w", Shape: []int{1}, Data: []float32{1e5}}}, nil)
	if _, err := SafetensorsToF16(big); err == nil || !strings.Contains(err.Error(), "beyond the F16 range") {
		t.Errorf("converting 1e5: %v", err)
	}
	if _, err := SafetensorsToF16(src[:len(src)-1]); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("converting a truncated file: %v", err)
	}
	// No metadata in the source: the copy still says what it is.
	bare, err := SafetensorsToF16(stWrite(t, ts, nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, md, _ := ReadSafetensors(bytes.NewReader(bare), 0); md["dtype"] != "F16" || len(md["from"]) != 64 {
		t.Errorf("metadata %v", md)
	}
}
