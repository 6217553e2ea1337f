package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"scalewise/engine/nn"
)

const testTemplate = `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="__CSP__">
<style>body{margin:0}</style></head><body><p style="color:red">x</p>
<script type="module" src="main.js"></script>
</body></html>`

func testAssets() []asset {
	return []asset{
		{"app.wasm", []byte("\x00asm app")},
		{"worker.wasm", []byte("\x00asm worker")},
		{"wasm_exec.js", []byte("globalThis.Go = class {};\n")},
		{"worker.js", []byte("self.onmessage = () => {};\n")},
		{"index.html", []byte(testTemplate)},
	}
}

func hashSource(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

var (
	metaCSP = regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
	scripts = regexp.MustCompile(`(?s)<script([^>]*)>(.*?)</script>`)
)

// Each page carries one policy that allows its inline scripts by hash, the
// canvas frame's wasm_exec.js, wasm compilation and blob: workers, and
// nothing by default; the hosted page also allows its own files.
func TestPolicies(t *testing.T) {
	assets := testAssets()
	linked, _, err := linkModules("main.js", files{"main.js": "import { x } from \"./x.js\";\nwindow.x = x;\n", "x.js": "export const x = 1;\n"}.read)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string][]byte{}
	for _, a := range assets {
		byName[a.name] = a.data
	}
	hosted, err := withPolicy([]byte(testTemplate), policy(true, byName["wasm_exec.js"]))
	if err != nil {
		t.Fatal(err)
	}
	single, err := singleFile(assets, nil, []byte(testTemplate), linked)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		html     string
		want     []string // directives the policy must have
		wantNot  []string
		inlineJS int // executable inline scripts
	}{
		{"hosted", string(hosted),
			[]string{"default-src 'none'", "script-src 'self' 'wasm-unsafe-eval' " + hashSource(string(byName["wasm_exec.js"])), "worker-src 'self' blob:", "connect-src 'self'", "img-src data:", "style-src 'unsafe-inline'", "base-uri 'none'", "form-action 'none'"},
			[]string{"'unsafe-eval'", "frame-ancestors"}, 0},
		{"single file", string(single),
			[]string{"default-src 'none'", "script-src 'wasm-unsafe-eval' " + hashSource(string(byName["wasm_exec.js"])), "worker-src blob:", "img-src data:", "style-src 'unsafe-inline'"},
			[]string{"'self'", "'unsafe-eval'", "connect-src", "frame-ancestors"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := metaCSP.FindAllStringSubmatch(tc.html, -1)
			if len(m) != 1 {
				t.Fatalf("%d policies, want 1", len(m))
			}
			csp := m[0][1]
			directives := map[string]bool{}
			for _, d := range strings.Split(csp, "; ") {
				directives[d] = true
			}
			for _, w := range tc.want {
				found := false
				for d := range directives {
					found = found || strings.HasPrefix(d, w)
				}
				if !found {
					t.Errorf("policy %q lacks %q", csp, w)
				}
			}
			for d := range directives {
				if strings.HasPrefix(d, "script-src") && strings.Contains(d, "'unsafe-inline'") {
					t.Errorf("scripts may be inline: %q", d)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(csp, w) {
					t.Errorf("policy %q has %q", csp, w)
				}
			}
			if strings.Contains(tc.html, "__CSP__") {
				t.Error("placeholder left in the page")
			}
			if strings.Index(tc.html, "Content-Security-Policy") > strings.Index(tc.html, "<script") {
				t.Error("the policy comes after a script")
			}
			n := 0
			for _, s := range scripts.FindAllStringSubmatch(tc.html, -1) {
				// Scripts with a src, and data blocks (a type that is not
				// JavaScript), are not inline scripts.
				if strings.Contains(s[1], "src=") || strings.Contains(s[1], "type=") && !strings.Contains(s[1], `type="module"`) {
					continue
				}
				n++
				if !strings.Contains(csp, hashSource(s[2])) {
					t.Errorf("policy %q does not allow the inline script %.40q", csp, s[2])
				}
			}
			if n != tc.inlineJS {
				t.Errorf("%d executable inline scripts, want %d", n, tc.inlineJS)
			}
		})
	}
}

func TestPolicyErrors(t *testing.T) {
	for _, tc := range []struct {
		name, html, want string
	}{
		{"no placeholder", "<!doctype html><script type=\"module\" src=\"main.js\"></script>", "exactly once (found 0)"},
		{"two placeholders", testTemplate + cspPlaceholder, "exactly once (found 2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := withPolicy([]byte(tc.html), policy(true)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("withPolicy: %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
	if _, err := withPolicy([]byte(testTemplate), `default-src "x"`); err == nil {
		t.Error("a policy with a quote was written into the attribute")
	}
	if _, err := singleFile(testAssets(), nil, []byte(testTemplate), "a = '</script>'"); err == nil {
		t.Error("a script with </script was inlined")
	}
	if _, err := singleFile(testAssets(), nil, []byte(strings.Replace(testTemplate, moduleTag, `<script src="page.js"></script>`, 1)), "a = 1"); err == nil {
		t.Error("a template without the module tag was accepted")
	}
	hosted, err := hostedPage([]byte(testTemplate), []string{"ui.js", "scenes/a.js", "main.js"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "<link rel=\"modulepreload\" href=\"ui.js\">\n<link rel=\"modulepreload\" href=\"scenes/a.js\">\n" + moduleTag; !strings.Contains(string(hosted), want) {
		t.Errorf("hosted page lacks the module preloads:\n%s", hosted)
	}
}

// The IDX reader accepts a well-formed file and refuses a wrong header or
// a short body.
func TestIDXImages(t *testing.T) {
	idx := func(magic, n, side uint32, body int) []byte {
		var b bytes.Buffer
		binary.Write(&b, binary.BigEndian, [4]uint32{magic, n, side, side})
		b.Write(bytes.Repeat([]byte{7}, body))
		return gz(b.Bytes())
	}
	for _, tc := range []struct {
		name string
		file []byte
		ok   bool
	}{
		{"good", idx(0x803, 3, 4, 48), true},
		{"labels magic", idx(0x801, 3, 4, 48), false},
		{"wrong count", idx(0x803, 2, 4, 32), false},
		{"short", idx(0x803, 3, 4, 47), false},
		{"not gzip", []byte("hello"), false},
	} {
		px, err := idxImages(bytes.NewReader(tc.file), 3, 4)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v", tc.name, err)
		}
		if tc.ok && (len(px) != 48 || px[0] != 7) {
			t.Errorf("%s: %d pixel bytes", tc.name, len(px))
		}
	}
}

// checkHalfNet checks that half, the page's copy of the float32 net src, is
// its float16 version: it loads, says so in its metadata with the hash of
// src, and is at most ratio times the size of src.
func checkHalfNet(t *testing.T, name string, src, half []byte, ratio float64) {
	t.Helper()
	u, md, err := nn.LoadUNet(bytes.NewReader(half))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sum := sha256.Sum256(src)
	if md["dtype"] != "F16" || md["from"] != hex.EncodeToString(sum[:]) {
		t.Errorf("%s: metadata dtype %q, from %q; want F16 and the sha256 of the original", name, md["dtype"], md["from"])
	}
	if float64(len(half)) > ratio*float64(len(src)) {
		t.Errorf("%s: %d bytes from %d, want at most %.2f times", name, len(half), len(src), ratio)
	}
	u32, _, err := nn.LoadUNet(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if u.NumParams() != u32.NumParams() {
		t.Errorf("%s: %d params, the original %d", name, u.NumParams(), u32.NumParams())
	}
}

// The sweep's nets go into gen/ as float16 under their own names; the
// manifest and tables as they are; bad inputs fail.
func TestSweepAssetsHalf(t *testing.T) {
	dir := t.TempDir()
	u, err := nn.NewUNet(nn.UNetConfig{Blocks: 2, Base: 8}, 1)
	if err != nil {
		t.Fatal(err)
	}
	net := filepath.Join(dir, "mnist-small-s1-n1.safetensors")
	if err := nn.SaveUNetFile(net, u, map[string]string{"subset": "s1", "n": "1"}); err != nil {
		t.Fatal(err)
	}
	man := []byte(`{"version":1,"entries":[{"file":"mnist-small-s1-n1.safetensors"}]}`)
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("manifest.json", man)
	write("sweep-small.json", []byte(`{"results":[]}`))
	got, err := sweepAssets(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	byName := map[string][]byte{}
	for _, a := range got {
		names = append(names, a.name)
		byName[a.name] = a.data
	}
	if want := "gen/manifest.json gen/mnist-small-s1-n1.safetensors gen/sweep-small.json"; strings.Join(names, " ") != want {
		t.Errorf("assets %v, want %s", names, want)
	}
	if !bytes.Equal(byName["gen/manifest.json"], man) || string(byName["gen/sweep-small.json"]) != `{"results":[]}` {
		t.Error("manifest or table changed")
	}
	src, _ := os.ReadFile(net)
	checkHalfNet(t, "tiny net", src, byName["gen/mnist-small-s1-n1.safetensors"], 0.55)

	// A net that is already float16, a bad name, a table that is not JSON.
	for _, tc := range []struct {
		name  string
		setup func()
		want  string
	}{
		{"float16 net", func() { write("mnist-small-s1-n1.safetensors", byName["gen/mnist-small-s1-n1.safetensors"]) }, "is already F16: convert the F32 original"},
		{"bad name", func() { write("manifest.json", []byte(`{"entries":[{"file":"../x.safetensors"}]}`)) }, `bad file name "../x.safetensors"`},
		{"bad table", func() { write("manifest.json", []byte(`{"entries":[]}`)); write("sweep-large.json", []byte("{")) }, "sweep-large.json: not JSON"},
	} {
		tc.setup()
		if _, err := sweepAssets(dir); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

// Every landed net of the sweep converts, to about half its size.
func TestSweepAssetsLanded(t *testing.T) {
	dir := filepath.Join("..", "..", sweepDir)
	m, err := nn.ReadManifest(filepath.Join(dir, "manifest.json"))
	if err != nil || len(m.Entries) == 0 {
		t.Skipf("no landed sweep nets (%v)", err)
	}
	got, err := sweepAssets(dir)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string][]byte{}
	for _, a := range got {
		byName[a.name] = a.data
	}
	for _, e := range m.Entries {
		src, err := os.ReadFile(filepath.Join(dir, e.File))
		if err != nil {
			t.Fatal(err)
		}
		checkHalfNet(t, e.File, src, byName["gen/"+e.File], 0.52)
	}
}
