package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/wavelet"
)

// engineMallat returns the Mallat layout of every field of a, computed by
// wavelet.Decompose(...).Mallat() (not the Transform the command uses),
// concatenated in a's order.
func engineMallat(t *testing.T, a *field.Array, name string, levels int) []float64 {
	t.Helper()
	w, err := wavelet.ByName(name)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := a.Fields()
	if err != nil {
		t.Fatal(err)
	}
	var out []float64
	for _, f := range fs {
		p, err := wavelet.Decompose(w, f.Clone(), levels)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Mallat().Data...)
	}
	return out
}

// checkClose fails unless got and want have the same length and
// |got_i − want_i| ≤ rel·|want_i| + abs for every i.
func checkClose(t *testing.T, what string, got, want []float64, rel, abs float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	worst, at := 0.0, -1
	for i := range got {
		d := math.Abs(got[i] - want[i])
		if !(d <= rel*math.Abs(want[i])+abs) && d-rel*math.Abs(want[i]) >= worst {
			worst, at = d, i
		}
	}
	if at >= 0 {
		t.Errorf("%s: value %d is %v, want %v (|diff| %.3g, tolerance %.3g relative + %.3g)", what, at, got[at], want[at], worst, rel, abs)
	}
}

func TestDWTRoundTrip(t *testing.T) {
	cases := []struct {
		shape   []int
		dt      field.DType
		wavelet string
		levels  int
	}{
		{[]int{64, 64}, field.Float64, "db4", 3},
		{[]int{64, 64}, field.Float32, "db4", 3},
		{[]int{3, 32, 32}, field.Float64, "db4", 3},
		{[]int{3, 32, 32}, field.Float32, "db4", 3},
		{[]int{1, 32, 32}, field.Float64, "db4", 3},
		{[]int{32, 64}, field.Float64, "db2", 4}, // H×W = 32×64, not square
		{[]int{2, 16, 8}, field.Float64, "haar", 3},
		{[]int{16, 16}, field.Float64, "db8", 4}, // filter longer than the coarsest level
		{[]int{16, 16}, field.Float64, "db4", 0}, // identity
	}
	for i, c := range cases {
		name := fmt.Sprintf("%v_%v_%s_J%d", c.shape, c.dt, c.wavelet, c.levels)
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			in := writeArray(t, dir, "in.npy", randomArray(uint64(i+1), c.shape...), c.dt)
			out := filepath.Join(dir, "out.npy")
			back := filepath.Join(dir, "back.npy")
			x := readArray(t, in) // the values as stored (rounded for float32)
			lv := strconv.Itoa(c.levels)

			stdout, stderr := mustRun(t, "dwt", "--wavelet", c.wavelet, "--levels", lv, in, out)
			if stdout != "" || stderr != "" {
				t.Errorf("dwt printed stdout %q, stderr %q; want nothing", stdout, stderr)
			}
			y := readArray(t, out)
			if y.DType != c.dt {
				t.Errorf("output dtype %v, want %v (the input's)", y.DType, c.dt)
			}
			if !reflect.DeepEqual(y.Shape, c.shape) {
				t.Errorf("output shape %v, want %v (the input's)", y.Shape, c.shape)
			}
			want := engineMallat(t, x, c.wavelet, c.levels)
			scale := maxAbs(want)
			if c.dt == field.Float64 {
				checkClose(t, "forward", y.Data, want, 1e-12, 1e-12*scale)
			} else {
				// The command computes in float64 and rounds once to float32.
				checkClose(t, "forward", y.Data, want, 2.4e-7, 1e-12*scale)
			}
			// Orthogonality, independently of the engine's layout:
			// ‖y‖ = ‖x‖ field by field.
			if ex, ey := energy(x.Data), energy(y.Data); math.Abs(ex-ey) > 1e-5*ex {
				t.Errorf("energy %v after the transform, %v before", ey, ex)
			}
			if c.levels == 0 && !reflect.DeepEqual(y.Data, x.Data) {
				t.Errorf("levels 0 changed the data")
			}

			mustRun(t, "dwt", "--inverse", "--wavelet", c.wavelet, "--levels", lv, out, back)
			z := readArray(t, back)
			if z.DType != c.dt || !reflect.DeepEqual(z.Shape, c.shape) {
				t.Errorf("inverse output is %v %v, want %v %v", z.DType, z.Shape, c.dt, c.shape)
			}
			tol := 1e-12
			if c.dt == field.Float32 {
				tol = 1e-6
			}
			checkClose(t, "inverse(forward(x))", z.Data, x.Data, 0, tol*maxAbs(x.Data))
		})
	}
}

// TestDWTNumPyInputs transforms what NumPy users save (uint8 and int16
// images, big-endian floats, Fortran-ordered arrays): the output equals the
// transform of the same values given as a C-ordered float64 array, in the
// narrower float type that holds the input's values exactly.
func TestDWTNumPyInputs(t *testing.T) {
	const h, w = 16, 32
	val := func(k, y, x int) int { return (37*x + 11*y*y + 101*k) % 256 } // 0…255
	for _, c := range []struct {
		name    string
		descr   string
		fortran bool
		stack   int // 0: an (H, W) image, else (stack, H, W)
		dt      field.DType
	}{
		{"uint8 image", "|u1", false, 0, field.Float32},
		{"uint8 image, Fortran order", "|u1", true, 0, field.Float32},
		{"int16 stack, big endian, Fortran order", ">i2", true, 2, field.Float32},
		{"int32 image", "<i4", false, 0, field.Float64},
		{"float64 stack, big endian, Fortran order", ">f8", true, 3, field.Float64},
	} {
		t.Run(c.name, func(t *testing.T) {
			shape, k := []int{h, w}, 1
			if c.stack > 0 {
				shape, k = []int{c.stack, h, w}, c.stack
			}
			// The values in C order, and the bytes in the file's order.
			x := &field.Array{Shape: shape}
			for i := range k {
				for y := range h {
					for xx := range w {
						x.Data = append(x.Data, float64(val(i, y, xx)))
					}
				}
			}
			var order binary.AppendByteOrder = binary.LittleEndian
			if c.descr[0] == '>' {
				order = binary.BigEndian
			}
			var data []byte
			put := func(v int) {
				switch c.descr[1:] {
				case "u1":
					data = append(data, byte(v))
				case "i2":
					data = order.AppendUint16(data, uint16(int16(v-128)))
				case "i4":
					data = order.AppendUint32(data, uint32(int32(v-128)))
				default:
					data = order.AppendUint64(data, math.Float64bits(float64(v)))
				}
			}
			if c.fortran { // first index fastest
				for xx := range w {
					for y := range h {
						for i := range k {
							put(val(i, y, xx))
						}
					}
				}
			} else {
				for j := range x.Data {
					put(val(j/(h*w), j/w%h, j%w))
				}
			}
			if c.descr[1] == 'i' {
				for j := range x.Data {
					x.Data[j] -= 128
				}
			}
			dims := make([]string, len(shape))
			for i, d := range shape {
				dims[i] = strconv.Itoa(d)
			}
			dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }", c.descr, map[bool]string{false: "False", true: "True"}[c.fortran], strings.Join(dims, ", "))
			dir := t.TempDir()
			in := filepath.Join(dir, "in.npy")
			if err := os.WriteFile(in, rawNPY(dict, data), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out.npy")
			mustRun(t, "dwt", "--levels", "3", in, out)
			y := readArray(t, out)
			if y.DType != c.dt || !reflect.DeepEqual(y.Shape, shape) {
				t.Errorf("output is %v %v, want %v %v", y.DType, y.Shape, c.dt, shape)
			}
			want := engineMallat(t, x, "db4", 3)
			rel := 1e-12
			if c.dt == field.Float32 {
				rel = 2.4e-7
			}
			checkClose(t, "forward", y.Data, want, rel, 1e-12*maxAbs(want))
		})
	}
}

func energy(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return s
}

// TestDWTFlagPlacement checks that flags work after and between the
// positional arguments, and that "--" lets file names start with "-".
func TestDWTFlagPlacement(t *testing.T) {
	dir := t.TempDir()
	x := randomArray(7, 64, 64)
	in := writeArray(t, dir, "in.npy", x, field.Float64)
	cases := []struct {
		name    string
		args    func(out string) []string
		wavelet string
		levels  int
	}{
		{"levels after", func(out string) []string { return []string{"dwt", in, out, "--levels", "2"} }, "db4", 2},
		{"levels after, = form", func(out string) []string { return []string{"dwt", in, out, "-levels=1"} }, "db4", 1},
		{"interleaved", func(out string) []string { return []string{"dwt", "--wavelet", "haar", in, "--levels", "4", out} }, "haar", 4},
		{"all after", func(out string) []string { return []string{"dwt", in, out, "--wavelet", "db2", "--levels", "5"} }, "db2", 5},
		{"defaults", func(out string) []string { return []string{"dwt", in, out} }, "db4", 3},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, fmt.Sprintf("out%d.npy", i))
			mustRun(t, c.args(out)...)
			checkClose(t, "forward", readArray(t, out).Data, engineMallat(t, x, c.wavelet, c.levels), 1e-12, 1e-12*maxAbs(x.Data))
		})
	}

	t.Run("dash dash", func(t *testing.T) {
		t.Chdir(dir)
		if err := os.Rename("in.npy", "-in.npy"); err != nil {
			t.Fatal(err)
		}
		mustRun(t, "dwt", "--levels", "2", "--", "-in.npy", "-out.npy")
		checkClose(t, "forward", readArray(t, "-out.npy").Data, engineMallat(t, x, "db4", 2), 1e-12, 1e-12*maxAbs(x.Data))
	})
}

// TestDWTBadInput checks that bad input exits 2, names the problem on stderr
// and writes nothing to the output path.
func TestDWTBadInput(t *testing.T) {
	good := func(t *testing.T, dir string) string {
		return writeArray(t, dir, "in.npy", randomArray(3, 64, 64), field.Float64)
	}
	file := func(name string, content []byte) func(t *testing.T, dir string) string {
		return func(t *testing.T, dir string) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, content, 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	f64 := func(vals ...float64) []byte {
		var b bytes.Buffer
		binary.Write(&b, binary.LittleEndian, vals)
		return b.Bytes()
	}
	nan := randomArray(4, 3, 16, 16)
	nan.Data[16*16+3*16+5] = math.NaN() // field 1, x=5, y=3
	inf := randomArray(5, 16, 16)
	inf.Data[2*16+7] = math.Inf(-1) // x=7, y=2
	var valid bytes.Buffer
	if err := field.WriteArray(&valid, randomArray(6, 8, 8), field.Float64); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name  string
		input func(t *testing.T, dir string) string // writes the input, returns its path
		flags []string
		want  []string
	}{
		{"missing file", func(t *testing.T, dir string) string { return filepath.Join(dir, "missing.npy") }, nil,
			[]string{"missing.npy", "open"}},
		{"empty file", file("empty.npy", nil), nil, []string{"empty.npy", "empty input, not a .npy file"}},
		{"not npy", file("text.npy", []byte("x,y\n1,2\n")), nil, []string{"text.npy", "bad magic string", "not a .npy file"}},
		{"truncated data", file("short.npy", valid.Bytes()[:valid.Len()-9]), nil, []string{"short.npy", "truncated data", "of 512 bytes"}},
		{"truncated header", file("head.npy", valid.Bytes()[:30]), nil, []string{"head.npy", "truncated header"}},
		{"datetime", file("t.npy", rawNPY("{'descr': '<M8[s]', 'fortran_order': False, 'shape': (2, 2), }", make([]byte, 32))), nil,
			[]string{"t.npy", "unsupported dtype", "<M8[s]", "want a real number type"}},
		{"complex", file("c.npy", rawNPY("{'descr': '<c16', 'fortran_order': False, 'shape': (2, 2), }", make([]byte, 64))), nil,
			[]string{"unsupported dtype", "<c16"}},
		{"truncated Fortran data", file("f.npy", rawNPY("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", f64(1, 2, 3))), nil,
			[]string{"f.npy", "truncated data", "of 32 bytes"}},
		{"1-D", func(t *testing.T, dir string) string {
			return writeArray(t, dir, "vec.npy", randomArray(1, 64), field.Float64)
		}, nil, []string{"vec.npy", "(64,)", "not a stack of fields"}},
		{"4-D", func(t *testing.T, dir string) string {
			return writeArray(t, dir, "4d.npy", randomArray(1, 1, 2, 8, 8), field.Float64)
		}, nil, []string{"(1, 2, 8, 8)", "not a stack of fields"}},
		{"empty field", file("zero.npy", rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 8), }", nil)), nil,
			[]string{"(0, 8)", "empty"}},
		{"not divisible", func(t *testing.T, dir string) string {
			return writeArray(t, dir, "odd.npy", randomArray(1, 48, 50), field.Float64)
		}, []string{"--levels", "3"}, []string{"50×48", "not divisible by 2^3", "at most 1"}},
		{"too many levels", good, []string{"--levels", "7"}, []string{"not divisible by 2^7", "at most 6"}},
		{"negative levels", good, []string{"--levels", "-1"}, []string{"levels -1 must not be negative"}},
		{"unknown wavelet", good, []string{"--wavelet", "db99"}, []string{`unknown wavelet "db99"`, "haar"}},
		{"NaN", func(t *testing.T, dir string) string { return writeArray(t, dir, "nan.npy", nan, field.Float64) }, nil,
			[]string{"nan.npy (field 1)", "NaN or infinite", "x=5, y=3", "NaN"}},
		{"NaN inverse", func(t *testing.T, dir string) string { return writeArray(t, dir, "nan.npy", nan, field.Float32) }, []string{"--inverse"},
			[]string{"NaN or infinite", "x=5, y=3"}},
		{"-Inf", func(t *testing.T, dir string) string { return writeArray(t, dir, "inf.npy", inf, field.Float64) }, nil,
			[]string{"inf.npy (field 0)", "x=7, y=2", "-Inf"}},
		{"unknown flag", good, []string{"--bogus"}, []string{"flag provided but not defined: -bogus"}},
		{"bad flag value", good, []string{"--levels", "three"}, []string{`invalid value "three" for flag -levels`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			in := c.input(t, dir)
			out := filepath.Join(dir, "out.npy")
			args := append([]string{"dwt"}, c.flags...)
			args = append(args, in, out)
			stdout, stderr := wantFail(t, args, c.want...)
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if !strings.Contains(stderr, "scalewise dwt: ") {
				t.Errorf("stderr has no \"scalewise dwt: \" message:\n%s", stderr)
			}
			// The input file is named once, not repeated.
			if base := filepath.Base(in); strings.Count(stderr, base) > 1 {
				t.Errorf("stderr names %s more than once:\n%s", base, stderr)
			}
			wantNoFile(t, out)
		})
	}

	// Wrong number of positionals: nothing is read or written.
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no positionals", []string{"dwt"}, "want IN.npy OUT.npy, got 0 argument(s)"},
		{"one positional", []string{"dwt", "IN.npy"}, "want IN.npy OUT.npy, got 1 argument(s): IN.npy"},
		{"three positionals", []string{"dwt", "IN.npy", "OUT.npy", "EXTRA.npy"}, "got 3 argument(s): IN.npy OUT.npy EXTRA.npy"},
		{"one positional and flags", []string{"dwt", "--levels", "2", "IN.npy"}, "got 1 argument(s): IN.npy"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			wantFail(t, c.args, c.want)
			wantNoFile(t, "OUT.npy")
		})
	}

	t.Run("output directory missing", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "no", "such", "out.npy")
		wantFail(t, []string{"dwt", good(t, dir), out}, "out.npy")
		wantNoFile(t, out)
	})

	t.Run("existing output kept on error", func(t *testing.T) {
		dir := t.TempDir()
		in := writeArray(t, dir, "nan.npy", nan, field.Float64)
		out := filepath.Join(dir, "out.npy")
		if err := os.WriteFile(out, []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
		wantFail(t, []string{"dwt", in, out}, "NaN")
		if b, err := os.ReadFile(out); err != nil || string(b) != "keep" {
			t.Errorf("output file is %q, %v after a failed run; want it untouched", b, err)
		}
	})
}
