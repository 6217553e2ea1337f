package main

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/geometry"
)

func TestCAlphaNPY(t *testing.T) {
	cases := []struct {
		name   string
		flags  []string
		size   int
		alpha  float64
		seed   uint64
		method geometry.CAlphaMethod
	}{
		{"alpha 2 code", []string{"--alpha", "2", "--size", "64", "--seed", "1"}, 64, 2, 1, geometry.CAlphaCode},
		{"defaults", nil, 64, 2, 1, geometry.CAlphaCode},
		{"paper", []string{"--alpha", "2", "--size", "64", "--seed", "1", "--method", "paper"}, 64, 2, 1, geometry.CAlphaPaper},
		{"paper upper case", []string{"--method", "PAPER", "--seed", "9"}, 64, 2, 9, geometry.CAlphaPaper},
		{"alpha 6 size 32", []string{"--alpha", "6", "--size", "32", "--seed", "3"}, 32, 6, 3, geometry.CAlphaCode},
		{"alpha 0.5 odd size", []string{"--alpha", "0.5", "--size", "37", "--seed", "4"}, 37, 0.5, 4, geometry.CAlphaCode},
		{"smallest size", []string{"--size", "8", "--seed", "5"}, 8, 2, 5, geometry.CAlphaCode},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "x.npy")
			args := append([]string{"calpha"}, c.flags...)
			stdout, stderr := mustRun(t, append(args, out)...)
			if stdout != "" || stderr != "" {
				t.Errorf("calpha printed stdout %q, stderr %q; want nothing", stdout, stderr)
			}
			a := readArray(t, out)
			if len(a.Shape) != 2 || a.Shape[0] != c.size || a.Shape[1] != c.size {
				t.Fatalf("shape %v, want (%d, %d)", a.Shape, c.size, c.size)
			}
			if a.DType != field.Float32 {
				t.Errorf("dtype %v, want float32", a.DType)
			}
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, v := range a.Data {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			if !(lo >= 0 && hi <= 1 && lo < hi) {
				t.Errorf("values in [%v, %v], want a non-constant image in [0, 1]", lo, hi)
			}
			want, err := geometry.CAlpha(geometry.CAlphaOptions{Size: c.size, Alpha: c.alpha, Seed: c.seed, Method: c.method})
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range want.Data {
				if a.Data[i] != float64(float32(v)) {
					t.Fatalf("value %d is %v, want %v (geometry.CAlpha rounded to float32)", i, a.Data[i], float32(v))
				}
			}
		})
	}
}

func TestCAlphaDeterministic(t *testing.T) {
	dir := t.TempDir()
	gen := func(name string, seed int, method string) []byte {
		t.Helper()
		p := filepath.Join(dir, name)
		mustRun(t, "calpha", "--alpha", "2", "--size", "64", "--seed", strconv.Itoa(seed), "--method", method, p)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, method := range []string{"code", "paper"} {
		a, b, c := gen(method+"a.npy", 1, method), gen(method+"b.npy", 1, method), gen(method+"c.npy", 2, method)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: seed 1 twice gives different files", method)
		}
		if bytes.Equal(a, c) {
			t.Errorf("%s: seeds 1 and 2 give the same file", method)
		}
	}
	a, b := gen("a.png", 1, "code"), gen("b.png", 1, "code")
	if !bytes.Equal(a, b) {
		t.Errorf("png: seed 1 twice gives different files")
	}
}

func TestCAlphaPNG(t *testing.T) {
	for _, c := range []struct {
		name string
		size int
	}{{"x.png", 64}, {"upper.PNG", 64}, {"small.png", 17}} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), c.name)
			mustRun(t, "calpha", "--alpha", "2", "--size", strconv.Itoa(c.size), "--seed", "1", out)
			fd, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer fd.Close()
			img, err := png.Decode(fd)
			if err != nil {
				t.Fatalf("decoding %s: %v", out, err)
			}
			if b := img.Bounds(); b.Dx() != c.size || b.Dy() != c.size {
				t.Fatalf("image is %d×%d, want %d×%d", b.Dx(), b.Dy(), c.size, c.size)
			}
			distinct := map[uint32]bool{}
			for y := 0; y < c.size; y++ {
				for x := 0; x < c.size; x++ {
					r, g, b, _ := img.At(x, y).RGBA()
					if r != g || g != b {
						t.Fatalf("pixel (%d, %d) = (%d, %d, %d), want gray", x, y, r, g, b)
					}
					distinct[r] = true
				}
			}
			if len(distinct) < 2 {
				t.Errorf("image is constant")
			}
		})
	}
}

func TestCAlphaBadInput(t *testing.T) {
	cases := []struct {
		name  string
		flags []string
		out   string
		want  []string
	}{
		{"alpha 0", []string{"--alpha", "0"}, "x.npy", []string{"alpha 0 outside (0, 6]"}},
		{"alpha 7", []string{"--alpha", "7"}, "x.npy", []string{"alpha 7 outside (0, 6]"}},
		{"alpha NaN", []string{"--alpha", "NaN"}, "x.npy", []string{"--alpha NaN: not a finite number"}},
		{"alpha negative", []string{"--alpha", "-1"}, "x.npy", []string{"alpha -1 outside"}},
		{"alpha +Inf", []string{"--alpha", "+Inf"}, "x.npy", []string{"--alpha +Inf: not a finite number"}},
		{"alpha not a number", []string{"--alpha", "two"}, "x.npy", []string{`invalid value "two" for flag -alpha`}},
		{"size 4", []string{"--size", "4"}, "x.npy", []string{"size 4 outside [8, 1024]"}},
		{"size 2048", []string{"--size", "2048"}, "x.png", []string{"size 2048 outside [8, 1024]"}},
		{"negative seed", []string{"--seed", "-1"}, "x.npy", []string{"invalid value"}},
		{"method", []string{"--method", "magic"}, "x.npy", []string{`unknown C^α method "magic"`}},
		{"txt", nil, "x.txt", []string{`output "`, `x.txt" must end in .npy or .png`}},
		{"no extension", nil, "x", []string{"must end in .npy or .png"}},
		{"unknown flag", []string{"--beta", "2"}, "x.npy", []string{"flag provided but not defined: -beta"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), c.out)
			args := append(append([]string{"calpha"}, c.flags...), out)
			want := append([]string{"scalewise calpha: "}, c.want...)
			stdout, _ := wantFail(t, args, want...)
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			wantNoFile(t, out)
		})
	}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"no output", []string{"calpha", "--alpha", "2"}},
		{"two outputs", []string{"calpha", "a.npy", "b.npy"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			wantFail(t, c.args, "want OUT.npy or OUT.png, got")
			wantNoFile(t, "a.npy")
			wantNoFile(t, "b.npy")
		})
	}
}
