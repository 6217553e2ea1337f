package main

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"scalewise/engine/field"
)

// Hostile inputs: sizes far beyond any use asked for by a flag or claimed
// by a file, and finite values whose results overflow. Each must fail with
// exit status 2 and a message naming the limit or the input out of range,
// write nothing, and allocate little (no stack trace, no out-of-memory).

// hostileAllocBound bounds what a rejected hostile command may allocate:
// TotalAlloc over the in-process run counts every allocation, freed or
// not, so it bounds the peak.
const hostileAllocBound = 64 << 20

// hostileCase is one hostile command line. In args, a prefix "DIR/" names
// a file of the test's folder; outs are the files (in that folder) it must
// not write.
type hostileCase struct {
	name string
	args []string
	want []string
	outs []string
}

// allocDuring returns the bytes allocated while f runs.
func allocDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// runHostile runs each case in dir and checks exit status 2, the message,
// the absence of a stack trace and of the outputs, and the allocation.
func runHostile(t *testing.T, dir string, cases []hostileCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := make([]string, len(c.args))
			for i, a := range c.args {
				if rest, ok := strings.CutPrefix(a, "DIR/"); ok {
					a = filepath.Join(dir, rest)
				}
				args[i] = a
			}
			var code int
			var stdout, stderr string
			n := allocDuring(func() { code, stdout, stderr = runCLI(t, args...) })
			if code != 2 {
				t.Fatalf("scalewise %s: exit %d, want 2; stderr:\n%s", strings.Join(args, " "), code, stderr)
			}
			last := stderr[strings.LastIndex(strings.TrimSuffix(stderr, "\n"), "\n")+1:]
			if !strings.HasPrefix(last, "scalewise ") {
				t.Errorf("the last line of stderr is not a scalewise error:\n%s", stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(last, w) {
					t.Errorf("error does not mention %q:\n%s", w, last)
				}
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
				t.Errorf("stack trace in stderr:\n%s", stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			for _, o := range c.outs {
				wantNoFile(t, filepath.Join(dir, o))
			}
			if n > hostileAllocBound {
				t.Errorf("allocated %d MiB, want at most %d MiB", n>>20, hostileAllocBound>>20)
			}
		})
	}
}

// hugeArray returns an n×n array of values uniform in ±scale (seeded).
func hugeArray(n int, scale float64, shape ...int) *field.Array {
	if shape == nil {
		shape = []int{n, n}
	}
	size := 1
	for _, d := range shape {
		size *= d
	}
	r := rand.New(rand.NewPCG(3, 5))
	a := &field.Array{Shape: shape, Data: make([]float64, size)}
	for i := range a.Data {
		a.Data[i] = scale * (2*r.Float64() - 1)
	}
	return a
}

// lyingSafetensors returns a safetensors file of a few bytes whose header
// claims one F32 tensor "w" of claim bytes, with the metadata entries md.
func lyingSafetensors(claim int64, md string) []byte {
	hdr := `{"w":{"dtype":"F32","shape":[` + strconv.FormatInt(claim/4, 10) + `],"data_offsets":[0,` + strconv.FormatInt(claim, 10) + `]}`
	if md != "" {
		hdr += `,"__metadata__":{` + md + `}`
	}
	hdr += "}"
	for len(hdr)%8 != 0 {
		hdr += " "
	}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(hdr)))
	b.WriteString(hdr)
	b.Write(make([]byte, 16)) // four zeros: all the data there is
	return b.Bytes()
}

// hugeConfigWeights returns a small, well-formed weights file whose
// metadata names the largest U-Net (8 blocks, base 1024: 2·10¹² values).
func hugeConfigWeights() []byte {
	hdr := `{"__metadata__":{"architecture":"scalewise-bias-free-unet-v1","blocks":"8","base":"1024"},"enc0.conv1.weight":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`
	for len(hdr)%8 != 0 {
		hdr += " "
	}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(hdr)))
	b.WriteString(hdr)
	b.Write([]byte{0, 0, 0x80, 0x3f}) // 1.0
	return b.Bytes()
}

// writeFile writes b to dir/name.
func writeFile(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// hugeRGModel writes the shipped L = 32 model with mean and std 1e300 to
// dir/name; it skips the test when the model is not there.
func hugeRGModel(t *testing.T, dir, name string) {
	t.Helper()
	m, err := readModelFile(filepath.Join("..", "..", "weights", "rg-phi4-L32.json"))
	if err != nil {
		t.Skipf("no shipped rg model: %v", err)
	}
	m.Mean, m.Std = 1e300, 1e300
	if err := writeModel(filepath.Join(dir, name), m); err != nil {
		t.Fatal(err)
	}
}

func TestHostileDWT(t *testing.T) {
	dir := t.TempDir()
	writeArray(t, dir, "big64.npy", hugeArray(32, 1.5e308), field.Float64)
	writeArray(t, dir, "big32.npy", hugeArray(32, 3e38), field.Float32)
	writeArray(t, dir, "stack.npy", hugeArray(0, 1.7e308, 2, 16, 16), field.Float64)
	runHostile(t, dir, []hostileCase{
		{"float64 near ±1.5e308", []string{"dwt", "--levels", "2", "DIR/big64.npy", "DIR/out.npy"},
			[]string{"big64.npy (values up to 1.4", "is out of range", "output value", "nothing written"}, []string{"out.npy"}},
		{"float64 near ±1.5e308, inverse", []string{"dwt", "--inverse", "--levels", "2", "DIR/big64.npy", "DIR/out.npy"},
			[]string{"big64.npy", "out of range"}, []string{"out.npy"}},
		{"float32 near ±3e38", []string{"dwt", "--levels", "2", "DIR/big32.npy", "DIR/out.npy"},
			[]string{"big32.npy (values up to 2.9", "is out of range", "beyond float32"}, []string{"out.npy"}},
		{"float32 near ±3e38, haar", []string{"dwt", "--wavelet", "haar", "--levels", "3", "DIR/big32.npy", "DIR/out.npy"},
			[]string{"big32.npy", "beyond float32"}, []string{"out.npy"}},
		{"stack near ±1.7e308", []string{"dwt", "--levels", "1", "DIR/stack.npy", "DIR/out.npy"},
			[]string{"stack.npy", "out of range"}, []string{"out.npy"}},
		{"levels 1e9", []string{"dwt", "--levels", "1000000000", "DIR/big64.npy", "DIR/out.npy"},
			[]string{"1000000000 levels is too many"}, []string{"out.npy"}},
	})
}

func TestHostileCAlpha(t *testing.T) {
	dir := t.TempDir()
	runHostile(t, dir, []hostileCase{
		{"size 1e9", []string{"calpha", "--size", "1000000000", "DIR/out.npy"}, []string{"size 1000000000 outside [8, 1024]"}, []string{"out.npy"}},
		{"alpha NaN", []string{"calpha", "--alpha", "NaN", "DIR/out.png"}, []string{"--alpha NaN: not a finite number"}, []string{"out.png"}},
		{"alpha -Inf", []string{"calpha", "--alpha=-Inf", "DIR/out.npy"}, []string{"--alpha -Inf: not a finite number"}, []string{"out.npy"}},
	})
}

func TestHostileTrain(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "lying.safetensors", lyingSafetensors(250_000_000, ""))
	writeFile(t, dir, "huge.safetensors", hugeConfigWeights())
	writeFile(t, dir, "w.ckpt", lyingSafetensors(1_000_000_000, ""))
	tiny := func(extra ...string) []string {
		return append([]string{"train", "--data", "drawing", "--size", "16", "--blocks", "1", "--base", "2", "--steps", "2",
			"--batch", "1", "--val", "0", "--workers", "1", "--out", "DIR/net.safetensors"}, extra...)
	}
	out := []string{"net.safetensors", "net.ckpt", "manifest.json"}
	runHostile(t, dir, []hostileCase{
		{"batch 1e8", tiny("--batch", "100000000"), []string{"--batch 100000000: want 1 to 4096"}, out},
		{"val 1e8", tiny("--val", "100000000"), []string{"--val 100000000: want 0 to 100000"}, out},
		{"steps 1e12", tiny("--steps", "1000000000000"), []string{"--steps 1000000000000: want 1 to 10000000"}, out},
		{"workers 1e9", tiny("--workers", "1000000000"), []string{"--workers 1000000000: want 1 to 1024"}, out},
		{"checkpoint-every 0", tiny("--checkpoint-every", "0"), []string{"--checkpoint-every 0: want 1 to"}, out},
		{"blocks 9", tiny("--blocks", "9"), []string{"--blocks 9", "Blocks = 9, want 1..8"}, out},
		{"base 1e6", tiny("--base", "1000000"), []string{"Base = 1000000, want 1..1024"}, out},
		{"largest net", tiny("--blocks", "4", "--base", "1024"), []string{"--blocks 4 --base 1024", "the limit is 16 GiB"}, out},
		{"batch of large images", tiny("--size", "256", "--base", "64", "--batch", "4096"), []string{"--batch 4096 --size 256", "GiB; the limit is 16 GiB"}, out},
		{"size 1e9", tiny("--size", "1000000000"), []string{"size 1000000000 outside [16, 256]"}, out},
		{"lr NaN", tiny("--lr", "NaN"), []string{"--lr NaN: not a finite number"}, out},
		{"lr +Inf", tiny("--lr", "+Inf"), []string{"--lr +Inf: not a finite number"}, out},
		{"weight-floor NaN", tiny("--weight-floor", "NaN"), []string{"--weight-floor NaN"}, out},
		{"alpha Inf", tiny("--alpha", "Inf"), []string{"--alpha +Inf"}, out},
		{"init claims 250 MB", tiny("--init", "DIR/lying.safetensors"), []string{"lying.safetensors", "truncated file", "250000000 data bytes but only 16"}, out},
		{"init claims the largest net", tiny("--init", "DIR/huge.safetensors"), []string{"huge.safetensors", "lack tensors of the 8-block, base-1024 U-Net"}, out},
		{"checkpoint claims 1 GB", tiny("--out", "DIR/w.safetensors"), []string{"checkpoint", "w.ckpt", "truncated file", "1000000000 data bytes but only 16", "--fresh"},
			[]string{"w.safetensors", "manifest.json"}},
	})
}

func TestHostileDenoiseEval(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "lying.safetensors", lyingSafetensors(250_000_000, ""))
	writeFile(t, dir, "huge.safetensors", hugeConfigWeights())
	eval := func(extra ...string) []string {
		return append([]string{"denoise-eval", "--weights", "DIR/lying.safetensors", "--data", "drawing", "--size", "16", "--n", "2"}, extra...)
	}
	runHostile(t, dir, []hostileCase{
		{"n 1e9", eval("--n", "1000000000"), []string{"--n 1000000000: want 1 to 65536 held-out 16×16 images"}, nil},
		{"n 1e9 at 64×64", eval("--size", "64", "--n", "1000000000"), []string{"want 1 to 4096 held-out 64×64 images", "16777216 pixels"}, nil},
		{"size 1e9", eval("--size", "1000000000"), []string{"--size 1000000000: want 16 to 256"}, nil},
		{"weights claim 250 MB", eval(), []string{"lying.safetensors", "truncated file", "250000000 data bytes but only 16"}, nil},
		{"weights claim the largest net", eval("--weights", "DIR/huge.safetensors"), []string{"huge.safetensors", "lack tensors"}, nil},
		{"sigmas NaN", eval("--sigmas", "0.1,NaN"), []string{`--sigmas "0.1,NaN": "NaN" is not a finite number`}, nil},
		{"sigmas Inf", eval("--sigmas", "Inf"), []string{`"Inf" is not a finite number`}, nil},
		{"alpha NaN", eval("--alpha", "NaN"), []string{"--alpha NaN: not a finite number"}, nil},
	})
}

func TestHostilePhi4(t *testing.T) {
	dir := t.TempDir()
	writeArray(t, dir, "e76.npy", hugeArray(0, 3e76, 2, 8, 8), field.Float64)
	writeArray(t, dir, "e300.npy", hugeArray(0, 1e300, 2, 8, 8), field.Float64)
	runHostile(t, dir, []hostileCase{
		{"cost start near ±3e76 (the chain stalls)", []string{"phi4", "cost", "--L", "8", "--start", "DIR/e76.npy", "--seconds", "1", "--out", "DIR/c.json"},
			[]string{"--start", "e76.npy (values up to 2.", "is out of range", "±1e+30"}, []string{"c.json"}},
		{"cost start near ±1e300", []string{"phi4", "cost", "--L", "8", "--start", "DIR/e300.npy", "--seconds", "1", "--out", "DIR/c.json"},
			[]string{"e300.npy", "is out of range"}, []string{"c.json"}},
		{"sample n 1e9", []string{"phi4", "sample", "--L", "8", "--n", "1000000000", "--out", "DIR/p.npy"},
			[]string{"--n 1000000000", "at most 1048576 samples"}, []string{"p.npy", "p.json"}},
		{"sample n 1e5 at L 256", []string{"phi4", "sample", "--L", "256", "--n", "100000", "--out", "DIR/p.npy"},
			[]string{"--n 100000", "at most 1024 samples"}, []string{"p.npy", "p.json"}},
		{"sample beta Inf", []string{"phi4", "sample", "--beta", "Inf", "--out", "DIR/p.npy"}, []string{"--beta +Inf: not a finite number"}, []string{"p.npy"}},
		{"cost max-steps 1e12", []string{"phi4", "cost", "--L", "8", "--max-steps", "1000000000000", "--out", "DIR/c.json"},
			[]string{"--max-steps 1000000000000: want 16 to 100000000"}, []string{"c.json"}},
		{"cost burn-in 1e15", []string{"phi4", "cost", "--L", "8", "--burn-in", "1000000000000000", "--out", "DIR/c.json"},
			[]string{"--burn-in 1000000000000000"}, []string{"c.json"}},
		{"cost seconds 1e300", []string{"phi4", "cost", "--L", "8", "--seconds", "1e300", "--out", "DIR/c.json"},
			[]string{"--seconds 1e+300 must be positive and at most 2592000"}, []string{"c.json"}},
		{"cost seconds NaN", []string{"phi4", "cost", "--L", "8", "--seconds", "NaN", "--out", "DIR/c.json"},
			[]string{"--seconds NaN: not a finite number"}, []string{"c.json"}},
	})
}

func TestHostileRG(t *testing.T) {
	dir := t.TempDir()
	hugeRGModel(t, dir, "huge.json")
	writeArray(t, dir, "e300.npy", hugeArray(0, 1e300, 4, 8, 8), field.Float64)
	runHostile(t, dir, []hostileCase{
		{"sample model mean and std 1e300", []string{"rg", "sample", "--model", "DIR/huge.json", "--n", "1", "--workers", "1", "--out", "DIR/s.npy"},
			[]string{"model", "huge.json (mean 1e+300, std 1e+300) is out of range", "beyond float32", "nothing written"}, []string{"s.npy"}},
		{"sample n 2^20", []string{"rg", "sample", "--model", "DIR/huge.json", "--n", "1048576", "--out", "DIR/s.npy"},
			[]string{"--n 1048576", "32×32", "at most 65536 samples"}, []string{"s.npy"}},
		{"sample n 1e9", []string{"rg", "sample", "--model", "DIR/huge.json", "--n", "1000000000", "--out", "DIR/s.npy"},
			[]string{"--n 1000000000"}, []string{"s.npy"}},
		{"sample workers 1e9", []string{"rg", "sample", "--model", "DIR/huge.json", "--workers", "1000000000", "--out", "DIR/s.npy"},
			[]string{"--workers 1000000000: want 0 to 1024"}, []string{"s.npy"}},
		{"fit data near ±1e300", []string{"rg", "fit", "--data", "DIR/e300.npy", "--out", "DIR/m.json"},
			[]string{"e300.npy (values up to", "is out of range", "overflow", "nothing written"}, []string{"m.json", "manifest.json"}},
		{"fit workers 1e9", []string{"rg", "fit", "--data", "DIR/e300.npy", "--workers", "1000000000", "--out", "DIR/m.json"},
			[]string{"--workers 1000000000"}, []string{"m.json"}},
		{"fit calibration 1e9", []string{"rg", "fit", "--data", "DIR/e300.npy", "--calibration", "1000000000", "--out", "DIR/m.json"},
			[]string{"--calibration 1000000000: want -1 to 100"}, []string{"m.json"}},
		{"fit beta NaN", []string{"rg", "fit", "--data", "DIR/e300.npy", "--beta", "NaN", "--out", "DIR/m.json"},
			[]string{"--beta NaN: not a finite number"}, []string{"m.json"}},
		{"validate n 2^16 at L 1024", []string{"rg", "validate", "--L", "1024", "--n", "65536"},
			[]string{"--n 65536", "at most 64 samples"}, nil},
		{"validate workers 1e9", []string{"rg", "validate", "--workers", "1000000000"}, []string{"--workers 1000000000"}, nil},
	})
}

func TestHostileScat(t *testing.T) {
	dir := t.TempDir()
	writeArray(t, dir, "e300.npy", hugeArray(32, 1e300), field.Float64)
	writeArray(t, dir, "e160.npy", hugeArray(0, 1e160, 2, 16, 16), field.Float64)
	writeArray(t, dir, "f512.npy", randomArray(2, 512, 512), field.Float32)
	writeArray(t, dir, "good.npy", scatTarget(1, 16), field.Float64)
	synth := func(extra ...string) []string {
		return append([]string{"scat", "synth", "--target", "DIR/good.npy", "--iters", "2", "--out", "DIR/s.npy"}, extra...)
	}
	out := []string{"s.npy", "s.json"}
	runHostile(t, dir, []hostileCase{
		{"stats near ±1e300", []string{"scat", "stats", "DIR/e300.npy"},
			[]string{"e300.npy field 0 (values up to", "is out of range", "standard deviation would be +Inf"}, nil},
		{"stats near ±1e160, every field", []string{"scat", "stats", "--all", "--J", "2", "DIR/e160.npy"},
			[]string{"e160.npy field 0", "out of range"}, nil},
		{"synth target near ±1e300", synth("--target", "DIR/e300.npy"), []string{"e300.npy field 0", "out of range"}, out},
		{"synth memory 1e9", synth("--memory", "1000000000"), []string{"--memory 1000000000: want 1 to 1000", "1073741824 bytes"}, out},
		{"synth memory × 512² over 1 GiB", synth("--target", "DIR/f512.npy", "--memory", "1000"),
			[]string{"--memory 1000", "512×512", "4194304000 bytes", "the limit is 1073741824 bytes, at most 256 pairs"}, out},
		{"synth iters 1e12", synth("--iters", "1000000000000"), []string{"--iters 1000000000000: want 1 to 1000000"}, out},
		{"synth tol Inf", synth("--tol", "Inf"), []string{"--tol +Inf: not a finite number"}, out},
		{"synth histogram NaN", synth("--histogram", "NaN"), []string{"--histogram NaN"}, out},
		{"synth low-pass -Inf", synth("--low-pass=-Inf"), []string{"--low-pass -Inf"}, out},
		{"validate iters 1e12", []string{"scat", "validate", "--iters", "1000000000000", "--out-dir", "DIR/"}, []string{"--iters 1000000000000: want 1 to 1000000"}, nil},
		{"validate weights NaN", []string{"scat", "validate", "--weights", "1,1,NaN,1,1"}, []string{`--weights "1,1,NaN,1,1": "NaN" is not a finite number`}, nil},
		{"regularity seeds 1e9", []string{"scat", "regularity", "--seeds", "1000000000"}, []string{"--seeds 1000000000: want 1 to 10000"}, nil},
	})
}

// TestFloatFlagsFinite sets every float flag of every command (found in
// its -h output) to NaN and to -Inf: each is rejected by name.
func TestFloatFlagsFinite(t *testing.T) {
	floatFlag := regexp.MustCompile(`(?m)^\s+-(\S+) float\b`)
	total := 0
	for _, cmd := range [][]string{
		{"dwt"}, {"calpha"}, {"train"}, {"denoise-eval"}, {"land"}, {"assets"}, {"bench"},
		{"phi4", "sample"}, {"phi4", "cost"}, {"rg", "fit"}, {"rg", "sample"}, {"rg", "validate"},
		{"scat", "stats"}, {"scat", "synth"}, {"scat", "validate"}, {"scat", "regularity"},
	} {
		code, _, help := runCLI(t, append(cmd, "-h")...)
		if code != 0 {
			t.Fatalf("%s -h: exit %d", cmd, code)
		}
		for _, m := range floatFlag.FindAllStringSubmatch(help, -1) {
			for _, v := range []string{"NaN", "-Inf"} {
				total++
				args := append(append([]string{}, cmd...), "--"+m[1]+"="+v)
				wantFail(t, args, "--"+m[1]+" "+v+": not a finite number")
			}
		}
	}
	t.Logf("%d float flags, each set to NaN and to -Inf", total/2)
	if total < 2*15 {
		t.Errorf("found %d float flags × values, want at least 30", total)
	}
}

// The time left is estimated from the rate since the bar started (a
// resumed run starts part of the way), and written for people.
func TestProgressETA(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, 10_000_000).startAt(5_000_000)
	p.start = p.start.Add(-100 * time.Second)
	p.update(5_000_100, "steps", true)
	// 100 steps in 100 s: 4,999,900 s left, 57 days 20 h.
	if !strings.Contains(b.String(), "eta 57d20h") {
		t.Errorf("progress line %q, want eta 57d20h", b.String())
	}
	for _, c := range []struct {
		s    float64
		want string
	}{{0, "0s"}, {59.4, "59s"}, {61, "1m01s"}, {3 * 3600, "3h00m"}, {47*3600 + 59*60, "47h59m"}, {49 * 3600, "2d01h"}, {1e9, "11574d01h"}} {
		if got := formatETA(time.Duration(c.s * float64(time.Second))); got != c.want {
			t.Errorf("formatETA(%v s) = %q, want %q", c.s, got, c.want)
		}
	}
	b.Reset()
	newProgress(&b, 3).update(0, "x", true)
	if !strings.Contains(b.String(), "eta ?") {
		t.Errorf("no rate yet: %q, want eta ?", b.String())
	}
}
