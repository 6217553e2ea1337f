// Command mkdist assembles the site from the built wasm binaries:
//
//	dist/                hosted: index.html, page.js, worker.js, wasm_exec.js,
//	                     app.wasm, worker.wasm, sw.js (cache-first)
//	dist/scalewise.html  one self-contained file (gzip+base64 assets inline)
//	                     that works from file:// with no network
//	dist/sizes.json      raw and gzip sizes of each artifact
//
// Usage: go run ./scripts/mkdist -app build/app.wasm -worker build/worker.wasm -out dist
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

func main() {
	app := flag.String("app", "build/app.wasm", "the Ebiten canvas app wasm")
	worker := flag.String("worker", "build/worker.wasm", "the compute worker wasm")
	out := flag.String("out", "dist", "output folder")
	flag.Parse()
	if err := run(*app, *worker, *out); err != nil {
		fmt.Fprintln(os.Stderr, "mkdist:", err)
		os.Exit(2)
	}
}

// asset is one file of the site.
type asset struct {
	name string
	data []byte
}

func run(appPath, workerPath, out string) error {
	read := func(name, path string) (asset, error) {
		b, err := os.ReadFile(path)
		return asset{name, b}, err
	}
	var assets []asset
	for _, f := range [][2]string{
		{"app.wasm", appPath},
		{"worker.wasm", workerPath},
		{"wasm_exec.js", filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js")},
		{"worker.js", "wasm/web/worker.js"},
		{"page.js", "wasm/web/page.js"},
		{"index.html", "index.html"},
	} {
		a, err := read(f[0], f[1])
		if err != nil {
			return err
		}
		assets = append(assets, a)
	}
	swTmpl, err := os.ReadFile("wasm/web/sw.js")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}

	h := sha256.New()
	names := []string{"./"}
	for _, a := range assets {
		h.Write([]byte(a.name))
		h.Write(a.data)
		names = append(names, a.name)
		if err := os.WriteFile(filepath.Join(out, a.name), a.data, 0o644); err != nil {
			return err
		}
	}
	version := hex.EncodeToString(h.Sum(nil))[:12]
	list, _ := json.Marshal(names)
	sw := strings.Replace(string(swTmpl), "__CACHE__", "scalewise-"+version, 1)
	sw = strings.Replace(sw, "__FILES__", string(list), 1)
	if err := os.WriteFile(filepath.Join(out, "sw.js"), []byte(sw), 0o644); err != nil {
		return err
	}

	single, err := singleFile(assets)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "scalewise.html"), single, 0o644); err != nil {
		return err
	}

	sizes := map[string]map[string]int{}
	for _, a := range append(assets, asset{"scalewise.html", single}) {
		sizes[a.name] = map[string]int{"bytes": len(a.data), "gzip_bytes": len(gz(a.data))}
	}
	js, _ := json.MarshalIndent(map[string]any{"version": version, "sizes": sizes}, "", "  ")
	return os.WriteFile(filepath.Join(out, "sizes.json"), append(js, '\n'), 0o644)
}

// singleFile inlines every asset into index.html: page.js as a script, the
// rest as gzip+base64 blocks that page.js decodes with DecompressionStream.
func singleFile(assets []asset) ([]byte, error) {
	byName := map[string][]byte{}
	for _, a := range assets {
		byName[a.name] = a.data
	}
	page := string(byName["page.js"])
	if strings.Contains(strings.ToLower(page), "</script") {
		return nil, fmt.Errorf("page.js contains </script and cannot be inlined")
	}
	const tag = `<script src="page.js"></script>`
	html := string(byName["index.html"])
	if strings.Count(html, tag) != 1 {
		return nil, fmt.Errorf("index.html must contain %s exactly once", tag)
	}
	var b strings.Builder
	for _, name := range []string{"app.wasm", "worker.wasm", "wasm_exec.js", "worker.js"} {
		fmt.Fprintf(&b, "<script type=\"application/x-scalewise-asset\" data-name=\"%s\">\n%s\n</script>\n",
			name, base64.StdEncoding.EncodeToString(gz(byName[name])))
	}
	b.WriteString("<script>\n" + page + "\n</script>")
	return []byte(strings.Replace(html, tag, b.String(), 1)), nil
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}
