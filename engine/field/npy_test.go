package field

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
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
		{"fortran order", npyFile(1, hdr("<f8", "True", "(2, 3)"), f64le(1, 2, 3, 4, 5, 6)), "fortran_order True is not supported"},
		{"int64", npyFile(1, hdr("<i8", "False", "(1,)"), f64le(1)), "npy: unsupported dtype '<i8' (want float32 or float64)"},
		{"complex", npyFile(1, hdr("<c16", "False", "(1,)"), nil), "unsupported dtype '<c16'"},
		{"float16", npyFile(1, hdr("<f2", "False", "(1,)"), nil), "unsupported dtype '<f2'"},
		{"bool dtype", npyFile(1, hdr("|b1", "False", "(1,)"), nil), "unsupported dtype '|b1'"},
		{"no byte order", npyFile(1, hdr("f8", "False", "(1,)"), nil), "unsupported dtype 'f8'"},
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
