package nn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// stFile assembles a safetensors file from a header (padded with spaces to a
// multiple of 8) and a data section.
func stFile(header string, data []byte) []byte {
	for len(header)%8 != 0 {
		header += " "
	}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(header)))
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

// stF32 encodes values as little-endian float32 bytes.
func stF32(vals ...float32) []byte {
	b := make([]byte, 4*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}

// stWrite writes tensors and metadata and fails the test on error.
func stWrite(t testing.TB, tensors []NamedTensor, metadata map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, tensors, metadata); err != nil {
		t.Fatalf("WriteSafetensors: %v", err)
	}
	return buf.Bytes()
}

func TestSafetensorsRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		tensors  []NamedTensor
		metadata map[string]string
	}{
		{name: "empty"},
		{
			name:     "metadata only",
			metadata: map[string]string{"format": "pt"},
		},
		{
			name: "several tensors with metadata",
			tensors: []NamedTensor{
				{Name: "enc0.conv1.weight", Shape: []int{2, 1, 3, 3}, Data: []float32{
					1, 2, 3, 4, 5, 6, 7, 8, 9,
					-1, -2, -3, -4, -5, -6, -7, -8, -9.5,
				}},
				{Name: "enc0.conv1.bias", Shape: []int{2}, Data: []float32{0.25, -1e-30}},
				{Name: "scale", Shape: []int{}, Data: []float32{math.MaxFloat32}},
				{Name: "empty", Shape: []int{0, 3}, Data: []float32{}},
				{Name: "dec.ünïcode \"quoted\" <tag>", Shape: []int{1, 2}, Data: []float32{math.SmallestNonzeroFloat32, -0}},
			},
			metadata: map[string]string{
				"seed":    "42",
				"kind":    "unet-denoiser",
				"quote":   `he said "hi" & left`,
				"":        "empty key",
				"unicode": "αβγ\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := stWrite(t, tt.tensors, tt.metadata)
			got, md, err := ReadSafetensors(bytes.NewReader(file), int64(len(file)))
			if err != nil {
				t.Fatalf("ReadSafetensors: %v", err)
			}
			want := make(map[string]NamedTensor)
			for _, nt := range tt.tensors {
				want[nt.Name] = nt
			}
			if len(got) != len(want) {
				t.Fatalf("got %d tensors, want %d", len(got), len(want))
			}
			for i, g := range got {
				if i > 0 && got[i-1].Name >= g.Name {
					t.Errorf("tensors not sorted by name: %q before %q", got[i-1].Name, g.Name)
				}
				w, ok := want[g.Name]
				if !ok {
					t.Fatalf("unexpected tensor %q", g.Name)
				}
				if !reflect.DeepEqual(g.Shape, w.Shape) && !(len(g.Shape) == 0 && len(w.Shape) == 0) {
					t.Errorf("%s: shape %v, want %v", g.Name, g.Shape, w.Shape)
				}
				if len(g.Data) != len(w.Data) {
					t.Fatalf("%s: %d values, want %d", g.Name, len(g.Data), len(w.Data))
				}
				for j := range g.Data {
					if math.Float32bits(g.Data[j]) != math.Float32bits(w.Data[j]) {
						t.Errorf("%s[%d] = %v, want %v", g.Name, j, g.Data[j], w.Data[j])
					}
				}
			}
			if len(tt.metadata) == 0 {
				if md != nil {
					t.Errorf("metadata = %v, want nil", md)
				}
			} else if !reflect.DeepEqual(md, tt.metadata) {
				t.Errorf("metadata = %v, want %v", md, tt.metadata)
			}
			// Writing is deterministic: the same input, reordered, gives the
			// same bytes.
			rev := make([]NamedTensor, len(tt.tensors))
			for i, nt := range tt.tensors {
				rev[len(rev)-1-i] = nt
			}
			if again := stWrite(t, rev, tt.metadata); !bytes.Equal(again, file) {
				t.Errorf("output depends on the order of the input tensors")
			}
		})
	}
}

// TestSafetensorsBytes checks a tiny file byte by byte against the spec.
func TestSafetensorsBytes(t *testing.T) {
	tests := []struct {
		name     string
		tensors  []NamedTensor
		metadata map[string]string
		header   string // unpadded
		data     []byte
	}{
		{
			name:    "one vector",
			tensors: []NamedTensor{{Name: "a", Shape: []int{2}, Data: []float32{1, -2}}},
			header:  `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`,
			data:    []byte{0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0},
		},
		{
			name: "sorted by name with metadata",
			tensors: []NamedTensor{
				{Name: "w", Shape: []int{1, 2}, Data: []float32{0.5, 2}},
				{Name: "b", Shape: []int{}, Data: []float32{3}},
			},
			metadata: map[string]string{"z": "1", "a": "x"},
			header: `{"__metadata__":{"a":"x","z":"1"},` +
				`"b":{"dtype":"F32","shape":[],"data_offsets":[0,4]},` +
				`"w":{"dtype":"F32","shape":[1,2],"data_offsets":[4,12]}}`,
			data: []byte{
				0x00, 0x00, 0x40, 0x40, // 3
				0x00, 0x00, 0x00, 0x3f, // 0.5
				0x00, 0x00, 0x00, 0x40, // 2
			},
		},
		{
			name:   "no tensors",
			header: `{}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := stWrite(t, tt.tensors, tt.metadata)
			if len(file) < 8 {
				t.Fatalf("file of %d bytes", len(file))
			}
			n := binary.LittleEndian.Uint64(file[:8])
			if n%8 != 0 {
				t.Errorf("header length %d is not a multiple of 8", n)
			}
			if uint64(len(file)) != 8+n+uint64(len(tt.data)) {
				t.Fatalf("file is %d bytes; want 8 + %d + %d", len(file), n, len(tt.data))
			}
			hdr := file[8 : 8+n]
			trimmed := bytes.TrimRight(hdr, " ")
			if len(hdr)-len(trimmed) >= 8 {
				t.Errorf("header padded with %d spaces; want fewer than 8", len(hdr)-len(trimmed))
			}
			if !json.Valid(hdr) {
				t.Errorf("header is not valid JSON: %q", hdr)
			}
			if string(trimmed) != tt.header {
				t.Errorf("header\n got %s\nwant %s", trimmed, tt.header)
			}
			var parsed map[string]json.RawMessage
			if err := json.Unmarshal(hdr, &parsed); err != nil {
				t.Fatalf("header: %v", err)
			}
			if got := file[8+n:]; !bytes.Equal(got, tt.data) {
				t.Errorf("data = % x, want % x", got, tt.data)
			}
		})
	}
}

func TestWriteSafetensorsErrors(t *testing.T) {
	tests := []struct {
		name     string
		tensors  []NamedTensor
		metadata map[string]string
		want     string
	}{
		{
			name:    "empty name",
			tensors: []NamedTensor{{Name: "", Shape: []int{1}, Data: []float32{1}}},
			want:    "empty name",
		},
		{
			name: "duplicate name",
			tensors: []NamedTensor{
				{Name: "x", Shape: []int{1}, Data: []float32{1}},
				{Name: "y", Shape: []int{1}, Data: []float32{1}},
				{Name: "x", Shape: []int{1}, Data: []float32{2}},
			},
			want: `duplicate tensor name "x"`,
		},
		{
			name:    "reserved name",
			tensors: []NamedTensor{{Name: "__metadata__", Shape: []int{1}, Data: []float32{1}}},
			want:    "reserved",
		},
		{
			name:    "invalid UTF-8 name",
			tensors: []NamedTensor{{Name: "a\xffb", Shape: []int{1}, Data: []float32{1}}},
			want:    "not valid UTF-8",
		},
		{
			name:     "invalid UTF-8 metadata",
			metadata: map[string]string{"k": "\xfe"},
			want:     "not valid UTF-8",
		},
		{
			name:    "too few values",
			tensors: []NamedTensor{{Name: "w", Shape: []int{2, 3}, Data: make([]float32, 5)}},
			want:    "tensor w: shape [2 3] has 6 elements but data has 5",
		},
		{
			name:    "too many values",
			tensors: []NamedTensor{{Name: "w", Shape: []int{}, Data: make([]float32, 2)}},
			want:    "tensor w: shape [] has 1 elements but data has 2",
		},
		{
			name:    "negative dimension",
			tensors: []NamedTensor{{Name: "w", Shape: []int{-1, -2}, Data: make([]float32, 2)}},
			want:    "tensor w: negative dimension",
		},
		{
			name:    "shape overflow",
			tensors: []NamedTensor{{Name: "w", Shape: []int{1 << 40, 1 << 40}}},
			want:    "tensor w: shape [1099511627776 1099511627776] has too many elements",
		},
		{
			name:    "NaN",
			tensors: []NamedTensor{{Name: "dec.w", Shape: []int{3}, Data: []float32{1, float32(math.NaN()), 2}}},
			want:    "tensor dec.w: element 1 is NaN; weights must be finite",
		},
		{
			name:    "+Inf",
			tensors: []NamedTensor{{Name: "w", Shape: []int{1}, Data: []float32{float32(math.Inf(1))}}},
			want:    "tensor w: element 0 is +Inf",
		},
		{
			name:    "-Inf",
			tensors: []NamedTensor{{Name: "w", Shape: []int{1}, Data: []float32{float32(math.Inf(-1))}}},
			want:    "tensor w: element 0 is -Inf",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := WriteSafetensors(&buf, tt.tensors, tt.metadata)
			if err == nil {
				t.Fatalf("WriteSafetensors succeeded; want error containing %q", tt.want)
			}
			if !strings.HasPrefix(err.Error(), "safetensors: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q; want prefix %q and %q", err, "safetensors: ", tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes for rejected input", buf.Len())
			}
		})
	}
}

// stErrWriter fails every write.
type stErrWriter struct{}

func (stErrWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteSafetensorsWriterError(t *testing.T) {
	err := WriteSafetensors(stErrWriter{}, []NamedTensor{{Name: "a", Shape: []int{1}, Data: []float32{1}}}, nil)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error %v; want the writer's error", err)
	}
}

// stErrReader returns its data, then a non-EOF error.
type stErrReader struct {
	data []byte
}

func (r *stErrReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, errors.New("device unplugged")
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadSafetensorsErrors(t *testing.T) {
	valid := stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, stF32(1, 2))
	lenOnly := func(n uint64) []byte {
		return binary.LittleEndian.AppendUint64(nil, n)
	}
	entry := func(name, dtype, shape string, begin, end int) string {
		return `"` + name + `":{"dtype":"` + dtype + `","shape":` + shape +
			`,"data_offsets":[` + strconv.Itoa(begin) + `,` + strconv.Itoa(end) + `]}`
	}
	tests := []struct {
		name     string
		file     []byte
		maxBytes int64
		want     string
	}{
		{name: "empty input", file: nil, want: "truncated file: 0 bytes"},
		{name: "short length prefix", file: []byte{8, 0, 0, 0}, want: "truncated file: 4 bytes"},
		{name: "header longer than file", file: valid[:20], want: "truncated file: header length is 56 but only 12 header bytes follow"},
		{name: "header length absurd", file: lenOnly(1 << 62), want: "header length 4611686018427387904 exceeds the limit of 100000000 bytes"},
		{name: "header length just over 100 MB", file: lenOnly(100_000_001), want: "exceeds the limit of 100000000"},
		{name: "header length over maxBytes", file: lenOnly(4096), maxBytes: 1024, want: "header length 4096 exceeds the file size limit of 1024 bytes"},
		{name: "file over maxBytes", file: valid, maxBytes: int64(len(valid)) - 1, want: "file of 72 bytes exceeds the limit of 71 bytes"},
		{name: "empty header", file: stFile("", nil), want: "invalid JSON header"},
		{name: "invalid JSON", file: stFile(`{"a":`, nil), want: "invalid JSON header"},
		{name: "invalid JSON token", file: stFile(`{"a" 1}`, nil), want: "invalid JSON header"},
		{name: "header is array", file: stFile(`[1,2]`, nil), want: "header is not a JSON object"},
		{name: "header is string", file: stFile(`"hi"`, nil), want: "header is not a JSON object"},
		{name: "header is null", file: stFile(`null`, nil), want: "header is not a JSON object"},
		{name: "data after header object", file: stFile(`{} {}`, nil), want: "data after the header object"},
		{name: "NUL padding", file: stFile("{}\x00\x00", nil), want: "invalid JSON header"},
		{name: "duplicate key", file: stFile(`{`+entry("a", "F32", "[1]", 0, 4)+`,`+entry("a", "F32", "[1]", 4, 8)+`}`, stF32(1, 2)), want: `duplicate header key "a"`},
		{name: "entry not object", file: stFile(`{"a":[1]}`, nil), want: "tensor a: entry is not a JSON object"},
		{name: "entry null", file: stFile(`{"a":null}`, nil), want: "tensor a: entry is not a JSON object"},
		{name: "empty tensor name", file: stFile(`{`+entry("", "F32", "[1]", 0, 4)+`}`, stF32(1)), want: "tensor with empty name"},
		{name: "missing dtype", file: stFile(`{"a":{"shape":[1],"data_offsets":[0,4]}}`, stF32(1)), want: "tensor a: missing dtype"},
		{name: "missing shape", file: stFile(`{"a":{"dtype":"F32","data_offsets":[0,4]}}`, stF32(1)), want: "tensor a: missing shape"},
		{name: "missing offsets", file: stFile(`{"a":{"dtype":"F32","shape":[1]}}`, stF32(1)), want: "tensor a: missing data_offsets"},
		{name: "dtype not a string", file: stFile(`{"a":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}`, stF32(1)), want: "tensor a: invalid entry"},
		{name: "dtype BF16", file: stFile(`{`+entry("enc0.conv1.weight", "BF16", "[2]", 0, 4)+`}`, make([]byte, 4)), want: "safetensors: tensor enc0.conv1.weight has dtype BF16; want F32 or F16"},
		{name: "dtype F64", file: stFile(`{`+entry("w", "F64", "[1]", 0, 8)+`}`, make([]byte, 8)), want: "tensor w has dtype F64; want F32 or F16"},
		{name: "dtype f16 lower case", file: stFile(`{`+entry("w", "f16", "[1]", 0, 2)+`}`, make([]byte, 2)), want: "tensor w has dtype f16; want F32 or F16"},
		{name: "F16 with F32 offsets", file: stFile(`{`+entry("w", "F16", "[2]", 0, 8)+`}`, make([]byte, 8)), want: "tensor w: shape [2] needs 4 bytes of F16 but data_offsets [0, 8] span 8"},
		{name: "F16 NaN", file: stFile(`{`+entry("w", "F16", "[2]", 0, 4)+`}`, []byte{0, 0x3c, 0x01, 0x7e}), want: "tensor w is corrupted: element 1 is NaN"},
		{name: "F16 +Inf", file: stFile(`{`+entry("w", "F16", "[1]", 0, 2)+`}`, []byte{0x00, 0x7c}), want: "tensor w is corrupted: element 0 is +Inf"},
		{name: "F16 -Inf", file: stFile(`{`+entry("w", "F16", "[1]", 0, 2)+`}`, []byte{0x00, 0xfc}), want: "tensor w is corrupted: element 0 is -Inf"},
		{name: "F16 odd data length", file: stFile(`{`+entry("w", "F16", "[1]", 0, 2)+`}`, []byte{0x00, 0x3c, 0x00}), want: "trailing garbage"},
		{name: "negative dimension", file: stFile(`{`+entry("w", "F32", "[-1]", 0, 4)+`}`, stF32(1)), want: "tensor w: invalid dimension -1 in shape"},
		{name: "fractional dimension", file: stFile(`{`+entry("w", "F32", "[1.5]", 0, 4)+`}`, stF32(1)), want: "tensor w: invalid dimension 1.5 in shape"},
		{name: "huge dimension", file: stFile(`{`+entry("w", "F32", "[99999999999999999999]", 0, 4)+`}`, stF32(1)), want: "invalid dimension 99999999999999999999"},
		{name: "string dimension", file: stFile(`{`+entry("w", "F32", `["1"]`, 0, 4)+`}`, stF32(1)), want: `tensor w: invalid dimension "1" in shape`},
		{name: "exponent dimension", file: stFile(`{`+entry("w", "F32", "[1e0]", 0, 4)+`}`, stF32(1)), want: "tensor w: invalid dimension 1e0 in shape"},
		{name: "null dimension", file: stFile(`{`+entry("w", "F32", "[null]", 0, 4)+`}`, stF32(1)), want: "tensor w: invalid dimension null in shape"},
		{name: "shape not array", file: stFile(`{`+entry("w", "F32", "1", 0, 4)+`}`, stF32(1)), want: "tensor w: invalid entry"},
		{name: "string offset", file: stFile(`{"w":{"dtype":"F32","shape":[1],"data_offsets":["0",4]}}`, stF32(1)), want: `tensor w: invalid data offset "0"`},
		{name: "shape product overflow", file: stFile(`{`+entry("w", "F32", "[4294967296,4294967296]", 0, 4)+`}`, stF32(1)), want: "tensor w: shape [4294967296 4294967296] has too many elements"},
		{name: "shape product overflow before zero", file: stFile(`{`+entry("w", "F32", "[4294967296,4294967296,0]", 0, 0)+`}`, nil), want: "has too many elements"},
		{name: "shape mismatch with offsets", file: stFile(`{`+entry("w", "F32", "[3]", 0, 8)+`}`, stF32(1, 2)), want: "tensor w: shape [3] needs 12 bytes of F32 but data_offsets [0, 8] span 8"},
		{name: "one offset", file: stFile(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[4]}}`, stF32(1)), want: "tensor w: data_offsets has 1 values; want 2"},
		{name: "negative offset", file: stFile(`{`+entry("w", "F32", "[1]", -4, 0)+`}`, stF32(1)), want: "tensor w: invalid data offset -4"},
		{name: "huge offset", file: stFile(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551615]}}`, stF32(1)), want: "invalid data offset 18446744073709551615"},
		{name: "offsets reversed", file: stFile(`{`+entry("w", "F32", "[1]", 4, 0)+`}`, stF32(1)), want: "tensor w: data_offsets [4, 0] end before they begin"},
		{name: "first tensor not at 0", file: stFile(`{`+entry("w", "F32", "[1]", 4, 8)+`}`, stF32(1, 2)), want: "tensor w starts at data offset 4; the first tensor must start at 0"},
		{
			name: "overlapping",
			file: stFile(`{`+entry("a", "F32", "[2]", 0, 8)+`,`+entry("b", "F32", "[2]", 4, 12)+`}`, stF32(1, 2, 3)),
			want: "tensor b (data offsets [4, 12]) overlaps tensor a, whose data ends at 8",
		},
		{
			name: "same region twice",
			file: stFile(`{`+entry("a", "F32", "[2]", 0, 8)+`,`+entry("b", "F32", "[2]", 0, 8)+`}`, stF32(1, 2)),
			want: "overlaps tensor a",
		},
		{
			name: "hole",
			file: stFile(`{`+entry("a", "F32", "[1]", 0, 4)+`,`+entry("b", "F32", "[1]", 8, 12)+`}`, stF32(1, 2, 3)),
			want: "hole in data section: bytes [4, 8) before tensor b belong to no tensor",
		},
		{
			name: "offsets beyond data",
			file: stFile(`{`+entry("a", "F32", "[1]", 0, 4)+`,`+entry("b", "F32", "[2]", 4, 12)+`}`, stF32(1, 2)),
			want: "truncated file: tensors need 12 data bytes but only 8 follow the header",
		},
		{name: "data truncated", file: valid[:len(valid)-1], want: "truncated file: tensors need 8 data bytes but only 7 follow the header"},
		{name: "no data at all", file: valid[:len(valid)-8], want: "truncated file: tensors need 8 data bytes but only 0 follow"},
		{name: "trailing garbage", file: append(bytes.Clone(valid), 0), want: "trailing garbage after the last tensor"},
		{name: "trailing garbage without tensors", file: stFile(`{}`, []byte("junk")), want: "trailing garbage"},
		{name: "NaN in data", file: stFile(`{`+entry("enc.w", "F32", "[2]", 0, 8)+`}`, stF32(1, float32(math.NaN()))), want: "tensor enc.w is corrupted: element 1 is NaN"},
		{name: "Inf in data", file: stFile(`{`+entry("w", "F32", "[1]", 0, 4)+`}`, stF32(float32(math.Inf(-1)))), want: "tensor w is corrupted: element 0 is -Inf"},
		{name: "metadata number", file: stFile(`{"__metadata__":{"seed":42}}`, nil), want: `__metadata__ value for key "seed" is 42; want a string`},
		{name: "metadata null value", file: stFile(`{"__metadata__":{"k":null}}`, nil), want: `__metadata__ value for key "k" is null; want a string`},
		{name: "metadata nested", file: stFile(`{"__metadata__":{"k":{"a":"b"}}}`, nil), want: `value for key "k"`},
		{name: "metadata not object", file: stFile(`{"__metadata__":"x"}`, nil), want: "__metadata__ is not a JSON object"},
		{name: "metadata null", file: stFile(`{"__metadata__":null}`, nil), want: "__metadata__ is not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tensors, md, err := ReadSafetensors(bytes.NewReader(tt.file), tt.maxBytes)
			if err == nil {
				t.Fatalf("ReadSafetensors succeeded (%d tensors, metadata %v); want error containing %q", len(tensors), md, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "safetensors: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant prefix %q and %q", err, "safetensors: ", tt.want)
			}
			if tensors != nil || md != nil {
				t.Errorf("got tensors %v and metadata %v with an error", tensors, md)
			}
		})
	}
}

func TestReadSafetensorsReaderError(t *testing.T) {
	file := stWrite(t, []NamedTensor{{Name: "a", Shape: []int{4}, Data: []float32{1, 2, 3, 4}}}, nil)
	for _, cut := range []int{0, 4, 12, len(file) - 3, len(file)} {
		_, _, err := ReadSafetensors(&stErrReader{data: file[:cut]}, 0)
		if err == nil || !strings.HasPrefix(err.Error(), "safetensors: ") || !strings.Contains(err.Error(), "device unplugged") {
			t.Errorf("cut %d: error %v; want the reader's error", cut, err)
		}
	}
}

func TestReadSafetensorsLimits(t *testing.T) {
	file := stWrite(t, []NamedTensor{{Name: "a", Shape: []int{3}, Data: []float32{1, 2, 3}}}, map[string]string{"k": "v"})
	for _, max := range []int64{0, -1, int64(len(file)), 1 << 40} {
		if _, _, err := ReadSafetensors(bytes.NewReader(file), max); err != nil {
			t.Errorf("maxBytes %d: %v", max, err)
		}
	}
	for _, max := range []int64{1, 8, int64(len(file)) - 1} {
		if _, _, err := ReadSafetensors(bytes.NewReader(file), max); err == nil {
			t.Errorf("maxBytes %d: file of %d bytes accepted", max, len(file))
		}
	}
}

func TestSHA256File(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		content string
		want    string
	}{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	}
	for i, tt := range tests {
		path := filepath.Join(dir, strconv.Itoa(i))
		if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := SHA256File(path)
		if err != nil || got != tt.want {
			t.Errorf("SHA256File(%q) = %q, %v; want %q", tt.content, got, err, tt.want)
		}
	}
	if _, err := SHA256File(filepath.Join(dir, "missing")); err == nil {
		t.Error("SHA256File of a missing file succeeded")
	}
}

func FuzzReadSafetensors(f *testing.F) {
	valid := stFile(`{"__metadata__":{"k":"v"},`+
		`"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},`+
		`"b":{"dtype":"F32","shape":[],"data_offsets":[8,12]},`+
		`"c":{"dtype":"F32","shape":[0,2],"data_offsets":[12,12]}}`, stF32(1, -2, 3))
	f.Add(valid)
	for _, cut := range []int{0, 1, 7, 8, 9, 40, len(valid) - 5, len(valid) - 1} {
		f.Add(valid[:cut])
	}
	f.Add(append(bytes.Clone(valid), 0))
	f.Add(stFile(`{}`, nil))
	f.Add(stFile(`{"x":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}`, []byte{0, 0}))
	f.Add(stFile(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, stF32(float32(math.NaN()))))
	f.Fuzz(func(t *testing.T, file []byte) {
		tensors, md, err := ReadSafetensors(bytes.NewReader(file), 1<<20)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "safetensors: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		// Whatever was accepted must be writable and read back identically.
		var buf bytes.Buffer
		if err := WriteSafetensors(&buf, tensors, md); err != nil {
			t.Fatalf("accepted file does not rewrite: %v", err)
		}
		again, md2, err := ReadSafetensors(&buf, 0)
		if err != nil {
			t.Fatalf("rewritten file does not read: %v", err)
		}
		if len(md) == 0 {
			md = nil
		}
		if !reflect.DeepEqual(md, md2) {
			t.Fatalf("metadata %v became %v", md, md2)
		}
		if len(again) != len(tensors) {
			t.Fatalf("%d tensors became %d", len(tensors), len(again))
		}
		for i := range tensors {
			a, b := tensors[i], again[i]
			if a.Name != b.Name || !reflect.DeepEqual(a.Shape, b.Shape) || !reflect.DeepEqual(a.Data, b.Data) {
				t.Fatalf("tensor %q changed in the round trip", a.Name)
			}
		}
	})
}

// allocated returns the bytes allocated while f runs (TotalAlloc, which
// counts every allocation, freed or not: an upper bound of the peak).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// unsizedReader hides the Len method of the reader it wraps, so that
// ReadSafetensors cannot tell the size of the input.
type unsizedReader struct{ r io.Reader }

func (u unsizedReader) Read(p []byte) (int, error) { return u.r.Read(p) }

// A short file whose header claims a huge tensor must fail at once with a
// "truncated" error, allocating in proportion to the bytes present, not to
// the claim: from a file (its size is known), from a *bytes.Reader (its Len)
// and from a reader that cannot tell its size (read in bounded chunks).
func TestReadSafetensorsLyingHeader(t *testing.T) {
	const claim = 1 << 30 // 1 GiB of F32
	lying := stFile(`{"w":{"dtype":"F32","shape":[`+strconv.Itoa(claim/4)+`],"data_offsets":[0,`+strconv.Itoa(claim)+`]}}`, stF32(1, 2, 3, 4))
	hugeHeader := binary.LittleEndian.AppendUint64(nil, stMaxHeaderBytes) // claims 100 MB of header
	hugeHeader = append(hugeHeader, `{"w":`...)
	path := filepath.Join(t.TempDir(), "lying.safetensors")
	if err := os.WriteFile(path, lying, 0o644); err != nil {
		t.Fatal(err)
	}
	headerPath := filepath.Join(t.TempDir(), "header.safetensors")
	if err := os.WriteFile(headerPath, hugeHeader, 0o644); err != nil {
		t.Fatal(err)
	}
	open := func(p string) func(t *testing.T) io.Reader {
		return func(t *testing.T) io.Reader {
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		}
	}
	mem := func(b []byte) func(*testing.T) io.Reader {
		return func(*testing.T) io.Reader { return bytes.NewReader(b) }
	}
	unsized := func(b []byte) func(*testing.T) io.Reader {
		return func(*testing.T) io.Reader { return unsizedReader{bytes.NewReader(b)} }
	}
	const bound = 4 << 20 // bytes allocated, against a claim of 1 GiB or 100 MB
	tests := []struct {
		name     string
		reader   func(*testing.T) io.Reader
		maxBytes int64
		want     string
	}{
		{"data claim, file", open(path), 2 << 30, "truncated file: tensors need 1073741824 data bytes but only 16 follow the header"},
		{"data claim, file, no limit", open(path), 0, "truncated file: tensors need 1073741824 data bytes but only 16 follow"},
		{"data claim, bytes.Reader", mem(lying), 2 << 30, "only 16 follow the header"},
		{"data claim, unsized reader", unsized(lying), 2 << 30, "only 16 follow the header"},
		{"data claim, unsized reader, no limit", unsized(lying), 0, "only 16 follow the header"},
		{"header claim, file", open(headerPath), 0, "truncated file: header length is 100000000 but only 5 header bytes follow"},
		{"header claim, unsized reader", unsized(hugeHeader), 0, "header length is 100000000 but only 5 header bytes follow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.reader(t)
			var err error
			n := allocated(func() { _, _, err = ReadSafetensors(r, tt.maxBytes) })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ReadSafetensors: %v, want an error containing %q", err, tt.want)
			}
			if n > bound {
				t.Errorf("allocated %d bytes for a %d-byte input, want at most %d", n, len(lying), bound)
			}
		})
	}
}

// stReadData grows its buffer with the bytes read: a genuine data section
// of several chunks from an unsized reader reads back exactly.
func TestReadSafetensorsChunkedData(t *testing.T) {
	vals := make([]float32, 3*stChunk/4+5) // three chunks and a bit
	for i := range vals {
		vals[i] = float32(i%1000) / 7
	}
	file := stWrite(t, []NamedTensor{{Name: "v", Shape: []int{len(vals)}, Data: vals}}, nil)
	for _, tc := range []struct {
		name string
		r    io.Reader
	}{{"sized", bytes.NewReader(file)}, {"unsized", unsizedReader{bytes.NewReader(file)}}} {
		ts, _, err := ReadSafetensors(tc.r, 0)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(ts) != 1 || !reflect.DeepEqual(ts[0].Data, vals) {
			t.Errorf("%s: data differ after reading back", tc.name)
		}
	}
}
