package field

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// npyFile assembles a .npy stream from its parts without padding, as a
// foreign writer might.
func npyFile(major byte, header string, data []byte) []byte {
	b := []byte(npyMagic)
	b = append(b, major, 0)
	if major == 1 {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(header)))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(header)))
	}
	b = append(b, header...)
	return append(b, data...)
}

// f64le encodes values as little-endian float64.
func f64le(vs ...float64) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

// sameBits reports whether a and b hold bitwise identical values, so that
// NaN equals NaN and -0 differs from +0.
func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// testValues returns n values including specials and float32-inexact ones.
func testValues(n int) []float64 {
	special := []float64{0, math.Copysign(0, -1), 1, -2.5, math.Pi, 1e-300, 1e300, math.NaN(), math.Inf(1), math.Inf(-1)}
	vs := make([]float64, n)
	for i := range vs {
		if i < len(special) {
			vs[i] = special[i]
		} else {
			vs[i] = math.Sin(float64(i)) * float64(i)
		}
	}
	return vs
}

func TestDTypeString(t *testing.T) {
	for _, tc := range []struct {
		d    DType
		want string
	}{
		{Float32, "<f4"},
		{Float64, "<f8"},
		{DType(0), "DType(0)"},
		{DType(9), "DType(9)"},
	} {
		if got := tc.d.String(); got != tc.want {
			t.Errorf("DType(%d).String() = %q, want %q", int(tc.d), got, tc.want)
		}
	}
}

func TestArrayRoundTrip(t *testing.T) {
	shapes := [][]int{{1}, {5}, {2, 3}, {4, 4}, {3, 1}, {2, 3, 4}, {1, 1, 1, 1}, {0}, {3, 0}, {1, 64, 64}, {1000}}
	for _, dt := range []DType{Float32, Float64} {
		for _, shape := range shapes {
			n := 1
			for _, d := range shape {
				n *= d
			}
			a := &Array{Shape: shape, Data: testValues(n)}
			var buf bytes.Buffer
			if err := WriteArray(&buf, a, dt); err != nil {
				t.Fatalf("%v %v: WriteArray: %v", dt, shape, err)
			}
			raw := buf.Bytes()
			hlen := len(raw) - n*dt.size()
			if hlen%64 != 0 || raw[hlen-1] != '\n' {
				t.Errorf("%v %v: header of %d bytes, want a multiple of 64 ending in newline", dt, shape, hlen)
			}
			got, err := ReadArray(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("%v %v: ReadArray: %v", dt, shape, err)
			}
			want := a.Data
			if dt == Float32 {
				want = make([]float64, n)
				for i, v := range a.Data {
					want[i] = float64(float32(v))
				}
			}
			if !sameShape(got.Shape, shape) || !sameBits(got.Data, want) {
				t.Errorf("%v %v: read back shape %v data %v, want %v", dt, shape, got.Shape, got.Data, want)
			}
		}
	}
}

// TestReadArrayStream checks that consecutive arrays can be read from one
// stream and that nothing past an array is consumed.
func TestReadArrayStream(t *testing.T) {
	var buf bytes.Buffer
	a := &Array{Shape: []int{2, 2}, Data: []float64{1, 2, 3, 4}}
	b := &Array{Shape: []int{3}, Data: []float64{5, 6, 7}}
	if err := WriteArray(&buf, a, Float64); err != nil {
		t.Fatal(err)
	}
	if err := WriteArray(&buf, b, Float32); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("tail")
	for _, want := range []*Array{a, b} {
		got, err := ReadArray(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if !sameShape(got.Shape, want.Shape) || !sameBits(got.Data, want.Data) {
			t.Errorf("got %v, want %v", got, want)
		}
	}
	if buf.String() != "tail" {
		t.Errorf("left %q in the stream, want \"tail\"", buf.String())
	}
}

// TestWriteArrayNumpyBytes compares WriteArray's output with the bytes
// numpy.save writes, constructed by hand from the format specification.
func TestWriteArrayNumpyBytes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		a     *Array
		dt    DType
		dict  string
		data  []byte
		total int // header length
	}{
		{
			name:  "2x3 float64",
			a:     &Array{Shape: []int{2, 3}, Data: []float64{0, 1, 2, 3, 4, 5}},
			dt:    Float64,
			dict:  "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
			data:  f64le(0, 1, 2, 3, 4, 5),
			total: 128,
		},
		{
			name:  "3 float32",
			a:     &Array{Shape: []int{3}, Data: []float64{1, -2, 0.5}},
			dt:    Float32,
			dict:  "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
			data:  []byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0, 0x3f},
			total: 128,
		},
	} {
		want := []byte("\x93NUMPY\x01\x00")
		pad := tc.total - 10 - len(tc.dict) - 1
		want = binary.LittleEndian.AppendUint16(want, uint16(tc.total-10))
		want = append(want, tc.dict...)
		want = append(want, strings.Repeat(" ", pad)...)
		want = append(want, '\n')
		if len(want) != tc.total {
			t.Fatalf("%s: test header is %d bytes, want %d", tc.name, len(want), tc.total)
		}
		want = append(want, tc.data...)
		var buf bytes.Buffer
		if err := WriteArray(&buf, tc.a, tc.dt); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: wrote\n%q\nwant\n%q", tc.name, buf.Bytes(), want)
		}
	}
}

// TestWriteArrayHeaderLength checks numpy's padding rules where they matter:
// numpy reserves 21 − len(str(shape[0])) spaces for growing the first axis,
// and pads by a full 64 bytes when the header is already aligned.
func TestWriteArrayHeaderLength(t *testing.T) {
	ones := func(k int, last ...int) []int {
		s := make([]int, k)
		for i := range s {
			s[i] = 1
		}
		return append(s, last...)
	}
	for _, tc := range []struct {
		shape []int
		want  int
	}{
		{[]int{2, 3}, 128},
		{[]int{5}, 128},
		{ones(15), 192},          // 128 without the growth spaces
		{ones(13, 100), 192},     // 10 + dict + growth + '\n' is exactly 128
		{[]int{1 << 28, 0}, 128}, // widest first axis
		{ones(40), 256},          // long header
		{[]int{12345, 1}, 128},   // fewer growth spaces
	} {
		n := 1
		for _, d := range tc.shape {
			n *= d
		}
		var buf bytes.Buffer
		if err := WriteArray(&buf, &Array{Shape: tc.shape, Data: make([]float64, n)}, Float64); err != nil {
			t.Fatal(err)
		}
		got := buf.Len() - 8*n
		if got != tc.want {
			t.Errorf("shape %v: header of %d bytes, want %d", tc.shape, got, tc.want)
		}
		if h := buf.Bytes(); int(binary.LittleEndian.Uint16(h[8:])) != got-10 {
			t.Errorf("shape %v: header length field %d, want %d", tc.shape, binary.LittleEndian.Uint16(h[8:]), got-10)
		}
	}
}

func TestReadArrayHeaders(t *testing.T) {
	be := func(size int, vs ...float64) []byte {
		var b []byte
		for _, v := range vs {
			if size == 4 {
				b = binary.BigEndian.AppendUint32(b, math.Float32bits(float32(v)))
			} else {
				b = binary.BigEndian.AppendUint64(b, math.Float64bits(v))
			}
		}
		return b
	}
	le32 := func(vs ...float64) []byte {
		var b []byte
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(v)))
		}
		return b
	}
	for _, tc := range []struct {
		name  string
		in    []byte
		shape []int
		data  []float64
	}{
		{"big-endian f8", npyFile(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }\n", be(8, 1.5, -3)), []int{2}, []float64{1.5, -3}},
		{"big-endian f4", npyFile(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1, 3), }\n", be(4, 1, 2, 0.25)), []int{1, 3}, []float64{1, 2, 0.25}},
		{"native f8", npyFile(1, "{'descr': '=f8', 'fortran_order': False, 'shape': (1,), }", f64le(7)), []int{1}, []float64{7}},
		{"not applicable f4", npyFile(1, "{'descr': '|f4', 'fortran_order': False, 'shape': (2,), }", le32(7, 8)), []int{2}, []float64{7, 8}},
		{"double quotes, any key order", npyFile(1, `{"shape": (1, 1), "fortran_order": False, "descr": "<f8"}`, f64le(2)), []int{1, 1}, []float64{2}},
		{"no trailing comma, extra space", npyFile(1, " { 'descr' : '<f8' ,\t'fortran_order':False,'shape':( 2 , 1 ) }  \n", f64le(1, 2)), []int{2, 1}, []float64{1, 2}},
		{"python 2 longs", npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1L, 2L), }", f64le(1, 2)), []int{1, 2}, []float64{1, 2}},
		{"parenthesised int", npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2), }", f64le(1, 2)), []int{2}, []float64{1, 2}},
		{"zero-size", npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 5), }", nil), []int{0, 5}, []float64{}},
		{"version 2.0", npyFile(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n", f64le(3, 4)), []int{2}, []float64{3, 4}},
		{"version 3.0", npyFile(3, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n", f64le(3, 4)), []int{2}, []float64{3, 4}},
	} {
		a, err := ReadArray(bytes.NewReader(tc.in))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !sameShape(a.Shape, tc.shape) || !sameBits(a.Data, tc.data) {
			t.Errorf("%s: got shape %v data %v, want %v %v", tc.name, a.Shape, a.Data, tc.shape, tc.data)
		}
	}
}

func TestReadArrayErrors(t *testing.T) {
	hdr := func(descr, order, shape string) string {
		return "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + shape + ", }\n"
	}
	good := hdr("<f8", "False", "(2, 3)")
	longV2 := []byte(npyMagic + "\x02\x00")
	longV2 = binary.LittleEndian.AppendUint32(longV2, 2<<20)
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "empty input"},
		{"bad magic", []byte("PK\x03\x04 this is a zip file"), "bad magic"},
		{"bad magic short", []byte("\x93NUMPX"), "bad magic"},
		{"short magic", []byte("\x93NUM"), "truncated header"},
		{"no version", []byte("\x93NUMPY\x01"), "truncated header"},
		{"magic only", npyFile(1, good, nil)[:6], "truncated header"},
		{"unsupported version", append([]byte(npyMagic+"\x04\x00"), 10, 0), "unsupported format version 4.0"},
		{"unsupported minor", append([]byte(npyMagic+"\x01\x01"), 10, 0), "unsupported format version 1.1"},
		{"no header length", []byte(npyMagic + "\x02\x00\x10"), "truncated header length"},
		{"header too long", longV2, "header too long"},
		{"truncated header", npyFile(1, good, nil)[:20], "truncated header: got 10 of"},
		{"empty header", npyFile(1, "", nil), "malformed header dict"},
		{"not a dict", npyFile(1, "descr=<f8", nil), "malformed header dict"},
		{"unterminated dict", npyFile(1, "{'descr': '<f8', ", nil), "malformed header dict"},
		{"missing colon", npyFile(1, "{'descr' '<f8'}", nil), "expected ':'"},
		{"missing comma", npyFile(1, "{'descr': '<f8' 'shape': (1,)}", nil), "expected ',' or '}'"},
		{"unterminated string", npyFile(1, "{'descr: '<f8'}", nil), "malformed header dict"},
		{"escape in string", npyFile(1, `{'des\'cr': 1}`, nil), "unsupported character"},
		{"trailing junk", npyFile(1, good[:len(good)-1]+" x", nil), "unexpected characters after '}'"},
		{"missing descr", npyFile(1, "{'fortran_order': False, 'shape': (1,)}", nil), "missing key 'descr'"},
		{"missing fortran_order", npyFile(1, "{'descr': '<f8', 'shape': (1,)}", nil), "missing key 'fortran_order'"},
		{"missing shape", npyFile(1, "{'descr': '<f8', 'fortran_order': False}", nil), "missing key 'shape'"},
		{"duplicate key", npyFile(1, "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", nil), "duplicate key 'descr'"},
		{"unknown key", npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", nil), "unexpected key 'x'"},
		{"bad bool", npyFile(1, hdr("<f8", "0", "(1,)"), nil), "expected True or False"},
		{"bool prefix", npyFile(1, hdr("<f8", "Falsey", "(1,)"), nil), "expected True or False"},
		{"complex", npyFile(1, hdr("<c16", "False", "(1,)"), nil), "npy: unsupported dtype '<c16' (want a real number type"},
		{"complex64", npyFile(1, hdr("<c8", "False", "(1,)"), nil), "unsupported dtype '<c8'"},
		{"long double", npyFile(1, hdr("<f16", "False", "(1,)"), nil), "unsupported dtype '<f16'"},
		{"float96", npyFile(1, hdr("<f12", "False", "(1,)"), nil), "unsupported dtype '<f12'"},
		{"odd float size", npyFile(1, hdr("<f3", "False", "(1,)"), nil), "unsupported dtype '<f3'"},
		{"odd int size", npyFile(1, hdr("<i3", "False", "(1,)"), nil), "unsupported dtype '<i3'"},
		{"int128", npyFile(1, hdr("<i16", "False", "(1,)"), nil), "unsupported dtype '<i16'"},
		{"zero size", npyFile(1, hdr("<u0", "False", "(1,)"), nil), "unsupported dtype '<u0'"},
		{"wide bool", npyFile(1, hdr("|b2", "False", "(1,)"), nil), "unsupported dtype '|b2'"},
		{"object", npyFile(1, hdr("|O", "False", "(1,)"), nil), "unsupported dtype '|O'"},
		{"bytes", npyFile(1, hdr("|S8", "False", "(1,)"), nil), "unsupported dtype '|S8'"},
		{"unicode", npyFile(1, hdr("<U8", "False", "(1,)"), nil), "unsupported dtype '<U8'"},
		{"void", npyFile(1, hdr("|V8", "False", "(1,)"), nil), "unsupported dtype '|V8'"},
		{"datetime", npyFile(1, hdr("<M8[ns]", "False", "(1,)"), nil), "unsupported dtype '<M8[ns]'"},
		{"timedelta", npyFile(1, hdr("<m8", "False", "(1,)"), nil), "unsupported dtype '<m8'"},
		{"bad byte order", npyFile(1, hdr("!f8", "False", "(1,)"), nil), "unsupported dtype '!f8'"},
		{"no byte order", npyFile(1, hdr("f8", "False", "(1,)"), nil), "unsupported dtype 'f8'"},
		{"type char", npyFile(1, hdr("d", "False", "(1,)"), nil), "unsupported dtype 'd'"},
		{"empty descr", npyFile(1, hdr("", "False", "(1,)"), nil), "unsupported dtype ''"},
		{"structured", npyFile(1, "{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (1,)}", nil), "structured arrays are not supported"},
		{"shape not a tuple", npyFile(1, hdr("<f8", "False", "[2, 3]"), nil), "expected a shape tuple"},
		{"shape not ints", npyFile(1, hdr("<f8", "False", "(2, x)"), nil), "expected an integer"},
		{"shape unclosed", npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2 3)}", nil), "expected ',' or ')'"},
		{"negative shape", npyFile(1, hdr("<f8", "False", "(-3, 4)"), nil), "negative dimension"},
		{"huge dimension", npyFile(1, hdr("<f8", "False", "(99999999999999999999999999,)"), nil), "exceeds the limit"},
		{"too many elements", npyFile(1, hdr("<f8", "False", "(16384, 16384, 2)"), nil), "more than 268435456 elements"},
		{"overflowing product", npyFile(1, hdr("<f8", "False", "(268435456, 268435456, 268435456)"), nil), "more than 268435456 elements"},
		{"scalar", npyFile(1, hdr("<f8", "False", "()"), f64le(1)), "0-d (scalar) arrays are not supported"},
		{"truncated data", npyFile(1, good, f64le(1, 2, 3, 4, 5)), "npy: truncated data: got 40 of 48 bytes"},
		{"no data", npyFile(1, good, nil), "npy: truncated data: got 0 of 48 bytes"},
		{"truncated f4 data", npyFile(1, hdr("<f4", "False", "(100000,)"), make([]byte, 70000)), "npy: truncated data: got 70000 of 400000 bytes"},
		{"truncated u1 data", npyFile(1, hdr("|u1", "False", "(64, 64)"), make([]byte, 4000)), "npy: truncated data: got 4000 of 4096 bytes"},
		{"truncated i2 data", npyFile(1, hdr(">i2", "False", "(3,)"), make([]byte, 5)), "npy: truncated data: got 5 of 6 bytes"},
		{"truncated f2 data", npyFile(1, hdr("<f2", "True", "(2, 2)"), make([]byte, 7)), "npy: truncated data: got 7 of 8 bytes"},
		{"truncated Fortran data", npyFile(1, hdr("<f8", "True", "(2, 3)"), f64le(1, 2, 3)), "npy: truncated data: got 24 of 48 bytes"},
		{"huge Fortran i8 stack, no data", npyFile(1, hdr("<i8", "True", "(64, 2048, 2048)"), make([]byte, 100)), "npy: truncated data: got 100 of 2147483648 bytes"},
		{"too many u1 elements", npyFile(1, hdr("|u1", "False", "(16384, 16385)"), nil), "more than 268435456 elements"},
	} {
		_, err := ReadArray(bytes.NewReader(tc.in))
		if err == nil {
			t.Errorf("%s: no error, want one containing %q", tc.name, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "npy: ") {
			t.Errorf("%s: error %q, want one starting with \"npy: \" and containing %q", tc.name, err, tc.want)
		}
	}
}

// errReader returns some bytes and then a non-EOF error.
type errReader struct {
	data []byte
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadArrayIOError(t *testing.T) {
	boom := errors.New("boom")
	var buf bytes.Buffer
	if err := WriteArray(&buf, &Array{Shape: []int{4}, Data: make([]float64, 4)}, Float64); err != nil {
		t.Fatal(err)
	}
	full := buf.Bytes()
	for _, n := range []int{0, 3, 9, 20, len(full) - 5} {
		_, err := ReadArray(&errReader{data: full[:n], err: boom})
		if !errors.Is(err, boom) {
			t.Errorf("cut at %d: error %v, want one wrapping %v", n, err, boom)
		}
	}
}

// errWriter fails after accepting n bytes.
type errWriter struct{ n int }

var errWrite = errors.New("write failed")

func (w *errWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errWrite
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteArrayErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    *Array
		dt   DType
		want string
	}{
		{"nil", nil, Float64, "nil array"},
		{"bad dtype", &Array{Shape: []int{1}, Data: []float64{1}}, DType(0), "unsupported dtype DType(0)"},
		{"mismatch", &Array{Shape: []int{2, 3}, Data: make([]float64, 5)}, Float64, "shape (2, 3) holds 6 values but Data has 5"},
		{"scalar", &Array{Shape: []int{}, Data: []float64{1}}, Float64, "0-d"},
		{"nil shape", &Array{Data: []float64{1}}, Float32, "0-d"},
		{"negative", &Array{Shape: []int{-1, -2}, Data: make([]float64, 2)}, Float64, "negative dimension"},
		{"too large", &Array{Shape: []int{1 << 30, 1 << 30}}, Float64, "more than 268435456 elements"},
	} {
		var buf bytes.Buffer
		err := WriteArray(&buf, tc.a, tc.dt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before failing", tc.name, buf.Len())
		}
	}
	a := &Array{Shape: []int{10000}, Data: make([]float64, 10000)}
	for _, n := range []int{0, 50, 128, 5000} {
		if err := WriteArray(&errWriter{n: n}, a, Float64); !errors.Is(err, errWrite) {
			t.Errorf("writer failing after %d bytes: error %v, want %v", n, err, errWrite)
		}
	}
}

func TestReadNPY(t *testing.T) {
	for _, tc := range []struct {
		shape []int
		w, h  int
		want  string // error, if any
	}{
		{shape: []int{3, 4}, w: 4, h: 3},
		{shape: []int{1, 2, 5}, w: 5, h: 2},
		{shape: []int{1, 1}, w: 1, h: 1},
		{shape: []int{2, 3, 4}, want: "shape (2, 3, 4) is not a 2-D field"},
		{shape: []int{6}, want: "shape (6,) is not a 2-D field"},
		{shape: []int{1, 1, 2, 2}, want: "not a 2-D field"},
		{shape: []int{0, 3}, want: "shape (0, 3) is an empty field"},
		{shape: []int{1, 3, 0}, want: "empty field"},
	} {
		n := 1
		for _, d := range tc.shape {
			n *= d
		}
		a := &Array{Shape: tc.shape, Data: testValues(n)}
		var buf bytes.Buffer
		if err := WriteArray(&buf, a, Float64); err != nil {
			t.Fatal(err)
		}
		f, err := ReadNPY(&buf)
		if tc.want != "" {
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("shape %v: error %v, want one containing %q", tc.shape, err, tc.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("shape %v: %v", tc.shape, err)
			continue
		}
		if f.W != tc.w || f.H != tc.h || !sameBits(f.Data, a.Data) {
			t.Errorf("shape %v: got %d×%d field %v, want %d×%d %v", tc.shape, f.W, f.H, f.Data, tc.w, tc.h, a.Data)
		}
	}
}

func TestWriteNPY(t *testing.T) {
	f := New(3, 2)
	for i := range f.Data {
		f.Data[i] = float64(i) + 0.5
	}
	var buf bytes.Buffer
	if err := WriteNPY(&buf, f, Float32); err != nil {
		t.Fatal(err)
	}
	a, err := ReadArray(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !sameShape(a.Shape, []int{2, 3}) || !sameBits(a.Data, f.Data) {
		t.Errorf("got %v %v, want shape (2, 3) and %v", a.Shape, a.Data, f.Data)
	}
	g, err := ReadNPY(bytes.NewReader(buf.Bytes()))
	if err != nil || g.W != 3 || g.H != 2 || g.At(2, 1) != 5.5 {
		t.Errorf("ReadNPY = %v, %v; want the 3×2 field back", g, err)
	}
	for _, bad := range []*Field{nil, {W: 2, H: 2, Data: make([]float64, 3)}, {W: 0, H: 1}, {W: -1, H: -1, Data: make([]float64, 1)}} {
		var buf bytes.Buffer
		if err := WriteNPY(&buf, bad, Float64); err == nil || buf.Len() != 0 {
			t.Errorf("WriteNPY(%v) = %v after %d bytes, want an error before writing", bad, err, buf.Len())
		}
	}
}

func TestNPYFiles(t *testing.T) {
	dir := t.TempDir()
	f := New(4, 3)
	for i := range f.Data {
		f.Data[i] = math.Cos(float64(i))
	}
	path := filepath.Join(dir, "f.npy")
	if err := WriteNPYFile(path, f, Float64); err != nil {
		t.Fatal(err)
	}
	g, err := ReadNPYFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if g.W != 4 || g.H != 3 || !sameBits(g.Data, f.Data) {
		t.Errorf("ReadNPYFile = %v, want %v", g, f)
	}

	stack := &Array{Shape: []int{2, 1, 3}, Data: []float64{1, 2, 3, 4, 5, 6}}
	apath := filepath.Join(dir, "a.npy")
	if err := WriteArrayFile(apath, stack, Float32); err != nil {
		t.Fatal(err)
	}
	a, err := ReadArrayFile(apath)
	if err != nil || !sameShape(a.Shape, stack.Shape) || !sameBits(a.Data, stack.Data) {
		t.Errorf("ReadArrayFile = %v, %v; want %v", a, err, stack)
	}
	if _, err := ReadNPYFile(apath); err == nil || !strings.Contains(err.Error(), apath) || !strings.Contains(err.Error(), "not a 2-D field") {
		t.Errorf("ReadNPYFile of a stack: error %v, want one naming the file and the shape", err)
	}

	if _, err := ReadNPYFile(filepath.Join(dir, "missing.npy")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: error %v, want os.ErrNotExist", err)
	}
	junk := filepath.Join(dir, "junk.npy")
	if err := os.WriteFile(junk, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadArrayFile(junk); err == nil || !strings.Contains(err.Error(), junk) || !strings.Contains(err.Error(), "bad magic") {
		t.Errorf("junk file: error %v, want one naming the file and the bad magic", err)
	}

	bad := filepath.Join(dir, "bad.npy")
	if err := WriteNPYFile(bad, &Field{W: 2, H: 2}, Float64); err == nil {
		t.Error("WriteNPYFile of an invalid field: no error")
	}
	if err := WriteArrayFile(bad, &Array{Shape: []int{3}}, Float64); err == nil {
		t.Error("WriteArrayFile of an invalid array: no error")
	}
	if _, err := os.Stat(bad); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("invalid input created %s (stat: %v)", bad, err)
	}
	if err := WriteNPYFile(filepath.Join(dir, "no", "such", "dir.npy"), f, Float64); err == nil {
		t.Error("WriteNPYFile into a missing directory: no error")
	}
}

// FuzzReadArray checks that ReadArray never panics, that what it accepts is
// consistent, and that it survives a write and read round trip.
func FuzzReadArray(f *testing.F) {
	for _, a := range []*Array{
		{Shape: []int{2, 3}, Data: []float64{0, 1, 2, 3, 4, 5}},
		{Shape: []int{1}, Data: []float64{math.NaN()}},
		{Shape: []int{1, 2, 2}, Data: []float64{1, -1, math.Inf(1), 0}},
		{Shape: []int{0, 4}, Data: []float64{}},
	} {
		for _, dt := range []DType{Float32, Float64} {
			var buf bytes.Buffer
			if err := WriteArray(&buf, a, dt); err != nil {
				f.Fatal(err)
			}
			f.Add(buf.Bytes())
		}
	}
	f.Add(npyFile(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }\n", f64le(1, 2)))
	f.Add(npyFile(2, `{"descr": "<f4", "fortran_order": False, "shape": (1L, 1L)}`, []byte{0, 0, 0x80, 0x3f}))
	f.Add(npyFile(3, "{'descr': '<f8', 'fortran_order': True, 'shape': (1,)}", f64le(1)))
	f.Add(npyFile(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (-1,)}", nil))
	f.Add(npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (268435456,)}", f64le(1)))
	f.Add(npyFile(1, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': ()}", nil))
	f.Add([]byte("\x93NUMPY\x01\x00\xff\xff{"))
	f.Add([]byte{})
	// numpy.save's output for the other real dtypes, both byte orders, C
	// and Fortran order, 2-D and 3-D, versions 1.0 to 3.0.
	for i, descr := range []string{"|b1", "|i1", "|u1", "<i2", ">u2", ">i4", "<u4", "<i8", ">u8", "<f2", ">f2", ">f4", ">f8"} {
		shape := [][]int{{2, 3}, {2, 2, 3}}[i%2]
		n := 1
		for _, d := range shape {
			n *= d
		}
		data := make([]byte, n*int(descr[2]-'0'))
		for j := range data {
			data[j] = byte(j*37 + i)
		}
		f.Add(append(numpyHeader(byte(1+i%3), descr, i%4 < 2, shape), data...))
	}
	f.Add(npyFile(1, "{'descr': '<c16', 'fortran_order': True, 'shape': (1, 1)}", nil))
	f.Add(npyFile(2, "{'descr': '<u1', 'fortran_order': True, 'shape': (3, 0, 2)}", nil))

	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := ReadArray(bytes.NewReader(in))
		if err != nil {
			if a != nil {
				t.Fatalf("ReadArray returned %v with error %v", a, err)
			}
			if !strings.HasPrefix(err.Error(), "npy: ") {
				t.Fatalf("error %q does not start with \"npy: \"", err)
			}
			return
		}
		n, err := shapeLen(a.Shape)
		if err != nil || n != len(a.Data) {
			t.Fatalf("accepted shape %v with %d values (%v)", a.Shape, len(a.Data), err)
		}
		if a.DType != Float32 && a.DType != Float64 {
			t.Fatalf("accepted an array with dtype %v", a.DType)
		}
		var buf bytes.Buffer
		if err := WriteArray(&buf, a, Float64); err != nil {
			t.Fatalf("WriteArray of an accepted array: %v", err)
		}
		b, err := ReadArray(&buf)
		if err != nil {
			t.Fatalf("reading back: %v", err)
		}
		if !sameShape(a.Shape, b.Shape) || !sameBits(a.Data, b.Data) {
			t.Fatalf("round trip changed %v to %v", a, b)
		}
	})
}

// numpyHeader returns the header numpy.save writes (numpy.lib.format,
// _write_array_header and _wrap_header): the magic string, the version,
// the header length (uint16 little endian in 1.0, uint32 in 2.0 and 3.0)
// and the dict with its keys sorted, followed by numpy's spare room for
// growing the array (21 − len(str(n)) spaces, n the first axis in C order
// and the last in Fortran order), spaces and a newline so that the whole
// header is a multiple of 64 bytes.
func numpyHeader(major byte, descr string, fortran bool, shape []int) []byte {
	order, grow := "False", shape[0]
	if fortran {
		order, grow = "True", shape[len(shape)-1]
	}
	dict := "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + formatShape(shape) + ", }"
	dict += strings.Repeat(" ", 21-len(strconv.Itoa(grow)))
	lenSize := 2
	if major > 1 {
		lenSize = 4
	}
	hlen := len(dict) + 1
	pad := 64 - (6+2+lenSize+hlen)%64
	b := []byte("\x93NUMPY")
	b = append(b, major, 0)
	if lenSize == 2 {
		b = binary.LittleEndian.AppendUint16(b, uint16(hlen+pad))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(hlen+pad))
	}
	b = append(b, dict...)
	b = append(b, strings.Repeat(" ", pad)...)
	return append(b, '\n')
}

// npyElem is one element of a test array: the bits numpy stores for it
// (the low size bytes) and the value ReadArray must give.
type npyElem struct {
	bits uint64
	want float64
}

// npyElems returns n elements of the dtype kind and size, including the
// type's extremes and, for floats, signed zeros, subnormals, infinities and
// NaN; elements past the special ones are distinct.
func npyElems(kind byte, size, n int) []npyElem {
	var special []npyElem
	switch {
	case kind == 'b':
		special = []npyElem{{1, 1}, {0, 0}}
	case kind == 'i':
		lo := -int64(1) << (8*size - 1)
		hi := -(lo + 1)
		special = []npyElem{{uint64(lo), float64(lo)}, {uint64(hi), float64(hi)}, {uint64(^uint64(0)), -1}, {0, 0}, {1, 1}}
	case kind == 'u':
		hi := ^uint64(0) >> (64 - 8*size)
		special = []npyElem{{hi, float64(hi)}, {0, 0}, {hi - 1, float64(hi - 1)}, {1, 1}}
	case kind == 'f' && size == 2:
		special = []npyElem{
			{0x3c00, 1}, {0xc000, -2}, {0x7bff, 65504}, {0x0001, 0x1p-24}, {0x03ff, 1023 * 0x1p-24},
			{0x0400, 0x1p-14}, {0x3555, 0x1.554p-2}, {0x8000, math.Copysign(0, -1)}, {0x7c00, math.Inf(1)},
			{0xfc00, math.Inf(-1)}, {0x7e00, math.NaN()}, {0xfe01, math.NaN()},
		}
	case kind == 'f' && size == 4:
		for _, v := range []float32{1, -2.5, math.MaxFloat32, math.SmallestNonzeroFloat32, 0.1, float32(math.Copysign(0, -1)), float32(math.Inf(-1)), float32(math.NaN())} {
			special = append(special, npyElem{uint64(math.Float32bits(v)), float64(v)})
		}
	case kind == 'f':
		for _, v := range []float64{1, -2.5, math.MaxFloat64, math.SmallestNonzeroFloat64, 0.1, math.Copysign(0, -1), math.Inf(1), math.NaN()} {
			special = append(special, npyElem{math.Float64bits(v), v})
		}
	}
	es := make([]npyElem, n)
	for i := range es {
		switch {
		case i < len(special):
			es[i] = special[i]
		case kind == 'b':
			es[i] = npyElem{uint64(i % 2), float64(i % 2)}
		case kind == 'i':
			v := int64(i*5 - 60)
			es[i] = npyElem{uint64(v), float64(v)}
		case kind == 'u':
			es[i] = npyElem{uint64(i * 7), float64(i * 7)}
		case size == 2: // 1 + i/1024
			es[i] = npyElem{0x3c00 + uint64(i), math.Ldexp(float64(1024+i), -10)}
		case size == 4:
			v := float32(i)*0.37 - 2
			es[i] = npyElem{uint64(math.Float32bits(v)), float64(v)}
		default:
			v := float64(i)*0.37 - 2
			es[i] = npyElem{math.Float64bits(v), v}
		}
	}
	return es
}

// sameValues reports whether a and b are equal element by element, NaN
// matching any NaN and −0 only −0.
func sameValues(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.IsNaN(a[i]) && math.IsNaN(b[i]) {
			continue
		}
		if a[i] != b[i] || math.Signbit(a[i]) != math.Signbit(b[i]) {
			return false
		}
	}
	return true
}

// TestReadArrayNumPyDTypes reads every accepted dtype in both byte orders,
// C and Fortran order, 2-D and 3-D, in format versions 1.0, 2.0 and 3.0,
// from byte streams laid out exactly as numpy.save writes them.
func TestReadArrayNumPyDTypes(t *testing.T) {
	for _, tc := range []struct {
		descr string
		dt    DType
	}{
		{"|b1", Float32}, {"|i1", Float32}, {"|u1", Float32},
		{"<i2", Float32}, {">i2", Float32}, {"<u2", Float32}, {">u2", Float32},
		{"<i4", Float64}, {">i4", Float64}, {"<u4", Float64}, {">u4", Float64},
		{"<i8", Float64}, {">i8", Float64}, {"<u8", Float64}, {">u8", Float64},
		{"<f2", Float32}, {">f2", Float32}, {"<f4", Float32}, {">f4", Float32},
		{"<f8", Float64}, {">f8", Float64},
	} {
		kind, size := tc.descr[1], int(tc.descr[2]-'0')
		var order binary.AppendByteOrder = binary.LittleEndian
		if tc.descr[0] == '>' {
			order = binary.BigEndian
		}
		for _, shape := range [][]int{{2, 3}, {4, 5}, {2, 3, 4}, {3, 1, 5}, {1, 6, 2}} {
			n := 1
			for _, d := range shape {
				n *= d
			}
			es := npyElems(kind, size, n)
			want := make([]float64, n)
			for i, e := range es {
				want[i] = e.want
			}
			for _, fortran := range []bool{false, true} {
				// The data in file order: element (i0, …, ik) in C order is
				// es[C index]; in Fortran order the first index varies
				// fastest.
				var data []byte
				for _, c := range fileOrder(shape, fortran) {
					switch b := es[c].bits; size {
					case 1:
						data = append(data, byte(b))
					case 2:
						data = order.AppendUint16(data, uint16(b))
					case 4:
						data = order.AppendUint32(data, uint32(b))
					default:
						data = order.AppendUint64(data, b)
					}
				}
				for _, major := range []byte{1, 2, 3} {
					name := fmt.Sprintf("%s %v fortran %v v%d.0", tc.descr, shape, fortran, major)
					hdr := numpyHeader(major, tc.descr, fortran, shape)
					if len(hdr)%64 != 0 || hdr[len(hdr)-1] != '\n' {
						t.Fatalf("%s: test header of %d bytes", name, len(hdr))
					}
					in := append(hdr, data...)
					a, err := ReadArray(bytes.NewReader(append(in, "next"...)))
					if err != nil {
						t.Errorf("%s: %v", name, err)
						continue
					}
					if !sameShape(a.Shape, shape) || !sameValues(a.Data, want) || a.DType != tc.dt {
						t.Errorf("%s: got shape %v dtype %v data %v, want %v %v %v", name, a.Shape, a.DType, a.Data, shape, tc.dt, want)
					}
					r := bytes.NewReader(in[:len(in)-1])
					if _, err := ReadArray(r); err == nil || !strings.Contains(err.Error(), "npy: truncated data") {
						t.Errorf("%s: one byte short: error %v, want truncated data", name, err)
					}
				}
			}
		}
	}
}

// fileOrder returns, for each element in the order a file stores it, its
// index in C order: the identity for C order, and for Fortran order the C
// indices visited with the first index varying fastest.
func fileOrder(shape []int, fortran bool) []int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	out := make([]int, 0, n)
	if !fortran {
		for i := range n {
			out = append(out, i)
		}
		return out
	}
	idx := make([]int, len(shape))
	for range n {
		c := 0
		for a, d := range shape {
			c = c*d + idx[a]
		}
		out = append(out, c)
		for a := range idx {
			if idx[a]++; idx[a] < shape[a] {
				break
			}
			idx[a] = 0
		}
	}
	return out
}

// TestReadFortranFields checks that Fortran-ordered images and stacks, as
// numpy.save writes np.asfortranarray(x), come out as the fields of x:
// pixel (x, y) of field k is x[k, y, x].
func TestReadFortranFields(t *testing.T) {
	const k, h, w = 2, 3, 4
	val := func(i, y, x int) float64 { return float64(100*i + 10*y + x) }
	// The 2-D image x[y, x] = val(0, y, x), column by column.
	var img []byte
	for x := range w {
		for y := range h {
			img = binary.LittleEndian.AppendUint64(img, math.Float64bits(val(0, y, x)))
		}
	}
	f, err := ReadNPY(bytes.NewReader(append(numpyHeader(1, "<f8", true, []int{h, w}), img...)))
	if err != nil {
		t.Fatal(err)
	}
	for y := range h {
		for x := range w {
			if f.W != w || f.H != h || f.At(x, y) != val(0, y, x) {
				t.Fatalf("2-D Fortran image: %d×%d field, pixel (%d, %d) = %v, want a %d×%d field with %v", f.W, f.H, x, y, f.At(x, y), w, h, val(0, y, x))
			}
		}
	}
	// The stack x[i, y, x] as big-endian uint8, first index fastest.
	var stack []byte
	for x := range w {
		for y := range h {
			for i := range k {
				stack = append(stack, byte(val(i, y, x)))
			}
		}
	}
	a, err := ReadArray(bytes.NewReader(append(numpyHeader(3, "|u1", true, []int{k, h, w}), stack...)))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := a.Fields()
	if err != nil || len(fs) != k {
		t.Fatalf("Fields: %d fields, %v", len(fs), err)
	}
	for i, f := range fs {
		for y := range h {
			for x := range w {
				if f.At(x, y) != val(i, y, x) {
					t.Errorf("field %d pixel (%d, %d) = %v, want %v", i, x, y, f.At(x, y), val(i, y, x))
				}
			}
		}
	}
}

// TestReadArrayBoolBytes: numpy writes bool as the bytes 0 and 1; any
// other byte reads as true, as numpy's bool-to-float cast gives.
func TestReadArrayBoolBytes(t *testing.T) {
	in := append(numpyHeader(1, "|b1", false, []int{1, 4}), 0, 1, 2, 255)
	a, err := ReadArray(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0, 1, 1, 1}; !sameBits(a.Data, want) {
		t.Errorf("bool bytes 0, 1, 2, 255 read as %v, want %v", a.Data, want)
	}
}

// TestFloat16 checks the binary16 decoder against float32 for every bit
// pattern: a binary16 value widens exactly to binary32, whose fields are
// those of binary16 with the exponent rebiased (127 − 15) and the fraction
// shifted by 13 bits; subnormals are normalised.
func TestFloat16(t *testing.T) {
	for h := range 1 << 16 {
		sign, exp, frac := uint32(h>>15), uint32(h>>10&0x1f), uint32(h&0x3ff)
		var bits uint32
		switch {
		case exp == 0x1f:
			bits = sign<<31 | 0xff<<23 | frac<<13
		case exp == 0 && frac == 0:
			bits = sign << 31
		case exp == 0:
			e := uint32(127 - 14)
			for frac&0x400 == 0 {
				frac <<= 1
				e--
			}
			bits = sign<<31 | e<<23 | (frac&0x3ff)<<13
		default:
			bits = sign<<31 | (exp+127-15)<<23 | frac<<13
		}
		want := float64(math.Float32frombits(bits))
		if got := float16(uint16(h)); !sameValues([]float64{got}, []float64{want}) {
			t.Fatalf("float16(%#04x) = %v, want %v", h, got, want)
		}
	}
}
