package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// files is a module root in memory.
type files map[string]string

func (f files) read(p string) ([]byte, error) {
	s, ok := f[p]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return []byte(s), nil
}

func TestLinkOrderAndShape(t *testing.T) {
	root := files{
		"main.js": "// the entry\n\nimport { a, b as bee } from \"./x.js\";\nimport { c } from \"./sub/y.js\";\n\nconsole.log(a, bee, c);\n",
		"x.js":    "import { c } from \"./sub/y.js\";\nexport const a = c + 1;\nexport function b() { return a; }\nlet hidden = 2;\n",
		"sub/y.js": "// y\nimport { z } from \"../z.js\";\nexport const c = z;\nexport class K { }\nexport async function f() {}\n" +
			"export function* g() {}\n",
		"z.js": "export const z = 1;\n",
	}
	out, order, err := linkModules("main.js", root.read)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(order, " "), "z.js sub/y.js x.js main.js"; got != want {
		t.Errorf("order %q, want %q", got, want)
	}
	for _, want := range []string{
		"const __scalewise_mod_0 = (() => { // z.js\nconst z = 1;\nreturn { z };\n})();",
		"const { z } = __scalewise_mod_0;\n// y\nconst c = z;\nclass K { }\nasync function f() {}\nfunction* g() {}\nreturn { K, c, f, g };",
		"const { c } = __scalewise_mod_1;\nconst a = c + 1;\nfunction b() { return a; }\nlet hidden = 2;\nreturn { a, b };",
		"const __scalewise_mod_3 = (() => { // main.js\nconst { a, b: bee } = __scalewise_mod_2;\nconst { c } = __scalewise_mod_1;\n// the entry\n\n\nconsole.log(a, bee, c);\nreturn {  };",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("linked script lacks\n%s\n---- got:\n%s", want, out)
		}
	}
	if strings.Contains(out, "export ") || strings.Contains(out, "import ") {
		t.Errorf("an import or export is left:\n%s", out)
	}
}

func TestLinkErrors(t *testing.T) {
	ok := "export const ok = 1;\n"
	for _, tc := range []struct {
		name string
		root files
		want string
	}{
		{"missing entry", files{}, "module main.js"},
		{"missing module", files{"main.js": `import { a } from "./nope.js";` + "\n"}, `main.js:1 imports nope.js, which cannot be read`},
		{"cycle", files{"main.js": `import { a } from "./a.js";` + "\n", "a.js": `import { b } from "./b.js";` + "\nexport const a = 1;\n", "b.js": `import { a } from "./a.js";` + "\nexport const b = 1;\n"},
			"import cycle: a.js → b.js → a.js"},
		{"self cycle", files{"main.js": `import { b } from "./main.js";` + "\nexport const a = 1;\n"}, "import cycle: main.js → main.js"},
		{"not exported", files{"main.js": `import { ok, nope } from "./x.js";` + "\n", "x.js": ok}, "main.js:1 imports nope from x.js, which does not export it"},
		{"default import", files{"main.js": `import { default as x } from "./x.js";` + "\n", "x.js": ok}, "default imports"},
		{"default import clause", files{"main.js": `import x from "./x.js";` + "\n", "x.js": ok}, "unsupported import"},
		{"namespace import", files{"main.js": `import * as x from "./x.js";` + "\n", "x.js": ok}, "unsupported import"},
		{"side-effect import", files{"main.js": `import "./x.js";` + "\n", "x.js": ok}, "unsupported import"},
		{"multi-line import", files{"main.js": "import {\n  ok,\n} from \"./x.js\";\n", "x.js": ok}, "unsupported import"},
		{"bare specifier", files{"main.js": `import { a } from "lib";` + "\n"}, "only relative"},
		{"no .js", files{"main.js": `import { a } from "./x";` + "\n"}, "only relative"},
		{"outside root", files{"main.js": `import { a } from "../x.js";` + "\n"}, "outside the modules' root"},
		{"late import", files{"main.js": "const x = 1;\n" + `import { ok } from "./x.js";` + "\n", "x.js": ok}, "after the module's first statement"},
		{"indented import", files{"main.js": "if (1) {\n  import { ok } from \"./x.js\";\n}\n", "x.js": ok}, "column 0"},
		{"dynamic import", files{"main.js": "const m = import(\"./x.js\");\n"}, "dynamic import"},
		{"import.meta", files{"main.js": "const u = import.meta.url;\n"}, "import.meta"},
		{"twice", files{"main.js": `import { ok } from "./x.js";` + "\n" + `import { ok } from "./y.js";` + "\n", "x.js": ok, "y.js": ok}, "ok is imported twice"},
		{"default export", files{"main.js": "export default 1;\n"}, "default exports"},
		{"export list", files{"main.js": "const a = 1;\nexport { a };\n"}, "export lists and re-exports"},
		{"re-export all", files{"main.js": `export * from "./x.js";` + "\n"}, "export lists and re-exports"},
		{"re-export import", files{"main.js": `import { ok } from "./x.js";` + "\nexport const ok = 2;\n", "x.js": ok}, "both imported and exported"},
		{"export let", files{"main.js": "export let n = 1;\n"}, "exported let"},
		{"export var", files{"main.js": "export var n = 1;\n"}, "exported var"},
		{"export destructuring", files{"main.js": "export const { a, b } = o;\n"}, "one name"},
		{"indented export", files{"main.js": "{\n  export const a = 1;\n}\n"}, "column 0"},
		{"exported twice", files{"main.js": "export const a = 1;\nexport function a() {}\n"}, "a is exported twice"},
		{"script end tag", files{"main.js": "const s = \"</SCRIPT>\";\n"}, `main.js:1: contains "</script"`},
		{"html comment", files{"main.js": "// x\nconst s = \"<!--\";\n"}, `main.js:2: contains "<!--"`},
		{"carriage return", files{"main.js": "const a = 1;\r\n"}, "carriage return"},
		{"reserved prefix", files{"main.js": "const __scalewise_mod_0 = 1;\n"}, "reserved prefix"},
		{"error in an import", files{"main.js": `import { ok } from "./x.js";` + "\n", "x.js": "export let ok = 1;\n"}, "x.js:1: exported let"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := linkModules("main.js", tc.root.read)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// The page's own modules link, and the linked script runs in Node when it
// is installed: the modules are evaluated in order and their exports
// reach their importers.
func TestLinkPageModules(t *testing.T) {
	root := filepath.Join("..", "..", "wasm", "web")
	read := func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(root, filepath.FromSlash(p))) }
	out, order, err := linkModules("main.js", read)
	if err != nil {
		t.Fatal(err)
	}
	if order[len(order)-1] != "main.js" {
		t.Errorf("the entry is not last: %v", order)
	}
	t.Logf("%d modules, %d bytes linked: %v", len(order), len(out), order)

	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the linked script is not run")
	}
	// A linked set of small modules whose evaluation order and bindings
	// Node checks (the page's modules need a browser).
	probe := files{
		"main.js": "import { log } from \"./log.js\";\nimport { twice as tw, K } from \"./b.js\";\nlog(\"main \" + tw(21) + \" \" + new K().v);\n",
		"log.js":  "const seen = [];\nexport function log(s) { seen.push(s); }\nexport const done = () => seen.join(\",\");\n",
		"b.js":    "import { log } from \"./log.js\";\nlog(\"b\");\nexport const twice = (x) => 2 * x;\nexport class K { constructor() { this.v = 7; } }\n",
	}
	linked, _, err := linkModules("main.js", probe.read)
	if err != nil {
		t.Fatal(err)
	}
	script := linked + "console.log(" + linkPrefix + "0.done());\n"
	dir := t.TempDir()
	f := filepath.Join(dir, "linked.mjs")
	if err := os.WriteFile(f, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := exec.Command(node, f).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, b)
	}
	if got := strings.TrimSpace(string(b)); got != "b,main 42 7" {
		t.Errorf("node printed %q", got)
	}
	// The page's linked script parses as a module.
	page := filepath.Join(dir, "page.mjs")
	if err := os.WriteFile(page, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(node, "--check", page).CombinedOutput(); err != nil {
		t.Errorf("node --check on the linked page script: %v\n%s", err, b)
	}
}
