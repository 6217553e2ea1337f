package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/engine/wavelet"
	"scalewise/ui/compute"
)

// benchCase is one timed operation of `scalewise bench`.
type benchCase struct {
	key string
	fn  func(b *testing.B)
}

func benchCases() []benchCase {
	dwt := func(inverse bool) func(b *testing.B) {
		return func(b *testing.B) {
			w, _ := wavelet.ByName("db4")
			t, err := wavelet.NewTransform(w, 256, 256, 5)
			if err != nil {
				b.Fatal(err)
			}
			r := rand.New(rand.NewPCG(1, 2))
			x := make([]float64, 256*256)
			for i := range x {
				x[i] = r.NormFloat64()
			}
			y := make([]float64, len(x))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if inverse {
					t.Inverse(y, x)
				} else {
					t.Forward(y, x)
				}
			}
		}
	}
	return []benchCase{
		{"dwt_forward_256_db4_J5_ms", dwt(false)},
		{"dwt_inverse_256_db4_J5_ms", dwt(true)},
		{"calpha_128_ms", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := geometry.CAlpha(geometry.CAlphaOptions{Size: 128, Alpha: 2, Seed: uint64(i)}); err != nil {
					b.Fatal(err)
				}
			}
		}},
		{"render_gray_256_ms", func(b *testing.B) {
			f := field.New(256, 256)
			for i := range f.Data {
				f.Data[i] = float64(i % 255)
			}
			buf := make([]byte, 4*256*256)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				field.RenderRGBA(buf, f, field.Gray, 0, 255)
			}
		}},
		{"scales_scene_128_db4_J4_ms", func(b *testing.B) {
			req := compute.ScalesRequest{Image: "calpha", Seed: 1, Alpha: 2, Method: "code", Size: 128, Wavelet: "db4", J: 4}
			for i := 0; i < b.N; i++ {
				if _, err := compute.Scales(req, nil); err != nil {
					b.Fatal(err)
				}
			}
		}},
	}
}

// runBench times the engine's kernels in this process and, with --wasm,
// the same kernels compiled to js/wasm under Node, reporting wasm/native
// ratios from the one run.
func runBench(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object")
	withWasm := fs.Bool("wasm", false, "also build this command for js/wasm and run the same benchmarks under Node (needs the Go toolchain, the source tree and node)")
	dist := fs.String("dist", "", "a built site folder whose sizes.json to include")
	if _, err := parse(fs, args, stderr, 0, "no arguments"); err != nil {
		return err
	}
	report := map[string]any{"platform": goVersion(), "cpus": runtime.NumCPU()}
	native := map[string]float64{}
	for _, c := range benchCases() {
		r := testing.Benchmark(c.fn)
		native[c.key] = float64(r.NsPerOp()) / 1e6
		if !*asJSON {
			fmt.Fprintf(stderr, "%-32s %10.3f ms/op\n", c.key, native[c.key])
		}
	}
	report["native"] = native
	if *withWasm {
		wasm, err := benchWasm(stderr)
		if err != nil {
			return fmt.Errorf("wasm benchmarks: %w", err)
		}
		report["wasm"] = wasm
		ratio := map[string]float64{}
		for k, v := range native {
			if w, ok := wasm[k]; ok && v > 0 {
				ratio[k] = w / v
			}
		}
		report["ratio_wasm_over_native"] = ratio
	}
	if *dist != "" {
		b, err := os.ReadFile(filepath.Join(*dist, "sizes.json"))
		if err != nil {
			return fmt.Errorf("%w (run make dist)", err)
		}
		var sizes any
		if err := json.Unmarshal(b, &sizes); err != nil {
			return err
		}
		report["dist"] = sizes
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	b, _ := json.MarshalIndent(report, "", "  ")
	fmt.Fprintln(stdout, string(b))
	return nil
}

// benchWasm builds this command for js/wasm and runs `bench --json` in Node.
func benchWasm(stderr io.Writer) (map[string]float64, error) {
	if runtime.GOOS == "js" {
		return nil, fmt.Errorf("already running in wasm")
	}
	dir, err := os.MkdirTemp("", "scalewise-bench")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "scalewise.wasm")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, "scalewise/scripts/scalewise")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	build.Stderr = stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("go build for js/wasm (run from the source tree): %w", err)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return nil, err
	}
	runner := filepath.Join(string(trimNL(goroot)), "lib", "wasm", "wasm_exec_node.js")
	cmd := exec.Command("node", runner, bin, "bench", "--json")
	cmd.Stderr = stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	var rep struct {
		Native map[string]float64 `json:"native"`
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		return nil, fmt.Errorf("wasm bench output: %w", err)
	}
	return rep.Native, nil
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
