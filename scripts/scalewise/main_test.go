package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"scalewise/engine/field"
)

// runCLI runs the command line in-process and returns its exit status and
// what it wrote to stdout and stderr.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// mustRun runs the command line and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("scalewise %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, stderr)
	}
	return stdout, stderr
}

// wantFail runs the command line and fails the test unless it exits 2 with
// every one of want in stderr.
func wantFail(t *testing.T, args []string, want ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, args...)
	if code != 2 {
		t.Fatalf("scalewise %s: exit %d, want 2; stderr:\n%s", strings.Join(args, " "), code, stderr)
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("scalewise %s: stderr does not mention %q:\n%s", strings.Join(args, " "), w, stderr)
		}
	}
	return stdout, stderr
}

// wantNoFile fails the test if path exists.
func wantNoFile(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s: want no file, Stat gives %v", path, err)
	}
}

// randomArray returns an array of the given shape with standard normal
// values from a fixed seed.
func randomArray(seed uint64, shape ...int) *field.Array {
	n := 1
	for _, d := range shape {
		n *= d
	}
	r := rand.New(rand.NewPCG(seed, 0x5ca1e))
	data := make([]float64, n)
	for i := range data {
		data[i] = r.NormFloat64()
	}
	return &field.Array{Shape: shape, Data: data}
}

// writeArray writes a to dir/name as dt and returns the path.
func writeArray(t *testing.T, dir, name string, a *field.Array, dt field.DType) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := field.WriteArrayFile(path, a, dt); err != nil {
		t.Fatal(err)
	}
	return path
}

// readArray reads the .npy file at path.
func readArray(t *testing.T, path string) *field.Array {
	t.Helper()
	a, err := field.ReadArrayFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// rawNPY returns a version 1.0 .npy file with the given header dict (padded
// as numpy pads it) followed by data, for dtypes and layouts the field
// package does not write.
func rawNPY(dict string, data []byte) []byte {
	hlen := len(dict) + 1
	pad := (64 - (10+hlen)%64) % 64
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(hlen+pad))
	b.WriteString(dict)
	b.WriteString(strings.Repeat(" ", pad))
	b.WriteByte('\n')
	b.Write(data)
	return b.Bytes()
}

// maxAbs returns max |x_i|.
func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

func TestVersion(t *testing.T) {
	stdout, stderr := mustRun(t, "version")
	if !strings.HasPrefix(stdout, "scalewise ") || !strings.Contains(stdout, Version) {
		t.Errorf("version printed %q, want \"scalewise %s …\"", stdout, Version)
	}
	if stderr != "" {
		t.Errorf("version wrote to stderr: %q", stderr)
	}
}

// TestDispatch covers the command dispatch of run: usage, help, unknown
// commands and the flag.ErrHelp path.
func TestDispatch(t *testing.T) {
	cases := []struct {
		name       string
		args       []string
		code       int
		wantStderr []string
	}{
		{"no command", nil, 2, []string{"usage: scalewise COMMAND", "scalewise dwt", "scalewise calpha", "scalewise version"}},
		{"empty args", []string{}, 2, []string{"usage: scalewise COMMAND"}},
		{"unknown command", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`, "usage: scalewise COMMAND"}},
		{"flag as command", []string{"--levels", "3"}, 2, []string{`unknown command "--levels"`}},
		{"help", []string{"help"}, 0, []string{"usage: scalewise COMMAND"}},
		{"-h", []string{"-h"}, 0, []string{"usage: scalewise COMMAND"}},
		{"--help", []string{"--help"}, 0, []string{"usage: scalewise COMMAND"}},
		{"dwt -h", []string{"dwt", "-h"}, 0, []string{"-wavelet", "-levels", "-inverse"}},
		{"calpha --help", []string{"calpha", "--help"}, 0, []string{"-alpha", "-method"}},
		{"version with argument", []string{"version", "extra"}, 2, []string{"scalewise version:", "want no arguments, got 1 argument(s): extra"}},
		{"version unknown flag", []string{"version", "--json"}, 2, []string{"flag provided but not defined: -json"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, c.code, stderr)
			}
			for _, w := range c.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not contain %q:\n%s", w, stderr)
				}
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func flagSet() *flag.FlagSet { return flag.NewFlagSet("test", flag.ContinueOnError) }

// TestParse checks that flags may come before, between or after the
// positional arguments, and that "--" ends the flags.
func TestParse(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		npos    int
		pos     []string
		levels  int
		inverse bool
		wantErr string
	}{
		{"flags first", []string{"--levels", "2", "--inverse", "a", "b"}, 2, []string{"a", "b"}, 2, true, ""},
		{"flags last", []string{"a", "b", "--levels", "2"}, 2, []string{"a", "b"}, 2, false, ""},
		{"flags between", []string{"a", "-levels=4", "b", "-inverse"}, 2, []string{"a", "b"}, 4, true, ""},
		{"no flags", []string{"a", "b"}, 2, []string{"a", "b"}, 3, false, ""},
		{"dash dash", []string{"--levels", "1", "--", "-a", "-b"}, 2, []string{"-a", "-b"}, 1, false, ""},
		{"dash dash after positional", []string{"a", "--", "-b"}, 2, []string{"a", "-b"}, 3, false, ""},
		{"dash dash keeps flags positional", []string{"a", "--", "--levels", "2"}, 2, nil, 3, false, "got 3 argument(s): a --levels 2"},
		{"too few", []string{"a"}, 2, nil, 3, false, "want A B, got 1 argument(s): a"},
		{"too many", []string{"a", "b", "c"}, 2, nil, 3, false, "got 3 argument(s): a b c"},
		{"none wanted", []string{"x"}, 0, nil, 3, false, "got 1 argument(s): x"},
		{"unknown flag", []string{"a", "--nope", "b"}, 2, nil, 3, false, "flag provided but not defined: -nope"},
		{"bad value", []string{"--levels", "many", "a", "b"}, 2, nil, 3, false, "invalid value"},
		{"missing value", []string{"a", "b", "--levels"}, 2, nil, 3, false, "flag needs an argument"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := flagSet()
			levels := fs.Int("levels", 3, "")
			inverse := fs.Bool("inverse", false, "")
			var stderr bytes.Buffer
			pos, err := parse(fs, c.args, &stderr, c.npos, "A B")
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("parse(%q) = %q, %v; want error containing %q", c.args, pos, err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse(%q): %v", c.args, err)
			}
			if !reflect.DeepEqual(pos, c.pos) || *levels != c.levels || *inverse != c.inverse {
				t.Errorf("parse(%q) = %q, levels %d, inverse %v; want %q, %d, %v", c.args, pos, *levels, *inverse, c.pos, c.levels, c.inverse)
			}
		})
	}
}

// A panic in a command (a bug) ends with one line and status 2, not a
// stack trace.
func TestRunRecoversPanic(t *testing.T) {
	cmds := map[string]command{"boom": {"boom", func([]string, io.Writer, io.Writer) error { panic("boom") }}}
	var out, errb bytes.Buffer
	code := runCommands(cmds, []string{"boom"}, &out, &errb)
	if code != 2 || !strings.Contains(errb.String(), "scalewise boom: internal error") || !strings.Contains(errb.String(), "panic: boom") || strings.Contains(errb.String(), "goroutine") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}
