package main

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
)

// The page's JavaScript is a set of ES modules (wasm/web: main.js and what
// it imports). The hosted site serves them as they are; the single file
// cannot (a module script from file:// is refused, and blob: URLs would
// need a looser Content-Security-Policy), so link joins them into one
// script, in the order a browser evaluates them: each module's body in a
// function scope that returns its exports, each import a const
// destructuring of those exports.
//
// link supports a constrained module style and rejects anything else:
//
//   - imports: `import { a, b as c } from "./x.js";`, one per line, at
//     column 0, before the module's first statement (only blank and //
//     comment lines may come before or between them); the specifier is
//     relative ("./" or "../", inside the root) and ends in ".js";
//   - exports: `export function f`, `export async function f`,
//     `export const x = …` (one name per declaration), `export class C`,
//     each at column 0;
//   - no default exports, no export lists or re-exports (`export {…}`,
//     `export * from`), no exported let or var (importers would not see a
//     reassignment), no dynamic import() or import.meta, no import or
//     export statement elsewhere, no top-level await;
//   - no import cycles, no missing modules, no name imported that its
//     module does not export, no name imported twice;
//   - no "</script" or "<!--" (the linked text is inlined in HTML), no
//     carriage return (it would change the inline script's CSP hash), and
//     no identifier starting with the linker's prefix linkPrefix.
//
// Imports become consts, not live bindings: with no exported let and no
// cycles, every import is bound once its module has run, so the two agree.

// linkPrefix starts the names of the linked modules' export objects.
const linkPrefix = "__scalewise_mod_"

var (
	reImport      = regexp.MustCompile(`^import\s*\{([^}]*)\}\s*from\s*"([^"]+)"\s*;?\s*(//.*)?$`)
	reIdent       = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)
	reExportFunc  = regexp.MustCompile(`^export\s+(?:async\s+)?function\s*\*?\s*([A-Za-z_$][A-Za-z0-9_$]*)\s*\(`)
	reExportConst = regexp.MustCompile(`^export\s+const\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*=`)
	reExportClass = regexp.MustCompile(`^export\s+class\s+([A-Za-z_$][A-Za-z0-9_$]*)[\s{]`)
	reDynImport   = regexp.MustCompile(`\bimport\s*\(|\bimport\s*\.\s*meta\b`)
	reIndented    = regexp.MustCompile(`^\s+(import|export)\s*[{*"'A-Za-z]`)
)

// jsModule is one parsed module.
type jsModule struct {
	path    string // relative to the root, e.g. "scenes/rg.js"
	imports []jsImport
	exports []string
	body    []string // its lines, imports removed and export keywords dropped
}

type jsImport struct {
	from  string      // the imported module's path
	names [][2]string // {exported name, local name}
	line  int
}

// linkModules links the module entry (a path relative to the root) and
// every module it imports, read by read, into one script. It returns the
// script and the paths of the modules in evaluation order (entry last).
func linkModules(entry string, read func(path string) ([]byte, error)) (string, []string, error) {
	mods := map[string]*jsModule{}
	var order []string
	state := map[string]int{} // 1: being visited, 2: done
	var stack []string
	var visit func(p, from string, line int) error
	visit = func(p, from string, line int) error {
		switch state[p] {
		case 2:
			return nil
		case 1:
			i := 0
			for stack[i] != p {
				i++
			}
			return fmt.Errorf("import cycle: %s", strings.Join(append(append([]string{}, stack[i:]...), p), " → "))
		}
		src, err := read(p)
		if err != nil {
			if from == "" {
				return fmt.Errorf("module %s: %w", p, err)
			}
			return fmt.Errorf("%s:%d imports %s, which cannot be read: %w", from, line, p, err)
		}
		m, err := parseModule(p, string(src))
		if err != nil {
			return err
		}
		mods[p] = m
		state[p] = 1
		stack = append(stack, p)
		for _, im := range m.imports {
			if err := visit(im.from, p, im.line); err != nil {
				return err
			}
		}
		stack = stack[:len(stack)-1]
		state[p] = 2
		order = append(order, p)
		return nil
	}
	entry = path.Clean(entry)
	if err := visit(entry, "", 0); err != nil {
		return "", nil, err
	}

	index := map[string]int{}
	for i, p := range order {
		index[p] = i
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// The page's ES modules, linked by scripts/mkdist (%s and its imports, in evaluation order).\n", entry)
	for i, p := range order {
		m := mods[p]
		fmt.Fprintf(&b, "const %s%d = (() => { // %s\n", linkPrefix, i, p)
		for _, im := range m.imports {
			exp := mods[im.from]
			var parts []string
			for _, n := range im.names {
				if !contains(exp.exports, n[0]) {
					return "", nil, fmt.Errorf("%s:%d imports %s from %s, which does not export it (it exports %s)",
						p, im.line, n[0], im.from, strings.Join(exp.exports, ", "))
				}
				if n[0] == n[1] {
					parts = append(parts, n[0])
				} else {
					parts = append(parts, n[0]+": "+n[1])
				}
			}
			fmt.Fprintf(&b, "const { %s } = %s%d;\n", strings.Join(parts, ", "), linkPrefix, index[im.from])
		}
		for _, l := range m.body {
			b.WriteString(l)
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "return { %s };\n})();\n", strings.Join(m.exports, ", "))
	}
	return b.String(), order, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// parseModule checks that src is in the supported style and splits it
// into imports, exports and body.
func parseModule(p, src string) (*jsModule, error) {
	m := &jsModule{path: p}
	fail := func(line int, format string, args ...any) error {
		if line > 0 {
			return fmt.Errorf("%s:%d: %s", p, line, fmt.Sprintf(format, args...))
		}
		return fmt.Errorf("%s: %s", p, fmt.Sprintf(format, args...))
	}
	low := strings.ToLower(src)
	switch {
	case strings.Contains(low, "</script"):
		return nil, fail(lineOf(low, "</script"), `contains "</script": it cannot be inlined in HTML`)
	case strings.Contains(src, "<!--"):
		return nil, fail(lineOf(src, "<!--"), `contains "<!--": it cannot be inlined in HTML`)
	case strings.ContainsRune(src, '\r'):
		return nil, fail(0, "contains a carriage return: its inline copy would not match its CSP hash")
	case strings.Contains(src, linkPrefix):
		return nil, fail(lineOf(src, linkPrefix), "uses the linker's reserved prefix %s", linkPrefix)
	}
	locals := map[string]bool{}
	header := true
	for i, l := range strings.Split(strings.TrimSuffix(src, "\n"), "\n") {
		n := i + 1
		t := strings.TrimSpace(l)
		if reDynImport.MatchString(l) {
			return nil, fail(n, "dynamic import() and import.meta are not supported")
		}
		if strings.HasPrefix(l, "import") && (len(l) == 6 || strings.ContainsAny(l[6:7], " \t{*\"'")) {
			if !header {
				return nil, fail(n, "an import after the module's first statement (imports go at the top)")
			}
			im, err := parseImport(p, l)
			if err != nil {
				return nil, fail(n, "%v", err)
			}
			im.line = n
			for _, nm := range im.names {
				if locals[nm[1]] {
					return nil, fail(n, "%s is imported twice", nm[1])
				}
				locals[nm[1]] = true
			}
			m.imports = append(m.imports, im)
			continue
		}
		if t != "" && !strings.HasPrefix(t, "//") {
			header = false
		}
		if reIndented.MatchString(l) {
			return nil, fail(n, "import and export statements start at column 0")
		}
		if strings.HasPrefix(l, "export") && (len(l) == 6 || strings.ContainsAny(l[6:7], " \t{*")) {
			name, err := parseExport(l)
			if err != nil {
				return nil, fail(n, "%v", err)
			}
			if contains(m.exports, name) {
				return nil, fail(n, "%s is exported twice", name)
			}
			m.exports = append(m.exports, name)
			l = strings.TrimLeft(strings.TrimPrefix(l, "export"), " \t")
		}
		m.body = append(m.body, l)
	}
	for _, e := range m.exports {
		if locals[e] {
			return nil, fail(0, "%s is both imported and exported (re-exports are not supported)", e)
		}
	}
	sort.Strings(m.exports)
	return m, nil
}

// parseImport parses one import line of module p.
func parseImport(p, l string) (jsImport, error) {
	g := reImport.FindStringSubmatch(l)
	if g == nil {
		return jsImport{}, fmt.Errorf(`unsupported import %q: write import { a, b as c } from "./x.js"; on one line`, l)
	}
	spec := g[2]
	if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") || !strings.HasSuffix(spec, ".js") {
		return jsImport{}, fmt.Errorf(`import from %q: only relative ".js" modules ("./x.js") are supported`, spec)
	}
	from := path.Clean(path.Join(path.Dir(p), spec))
	if from == ".." || strings.HasPrefix(from, "../") {
		return jsImport{}, fmt.Errorf("import from %q: outside the modules' root", spec)
	}
	im := jsImport{from: from}
	for _, part := range strings.Split(g[1], ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		f := strings.Fields(part)
		switch {
		case len(f) == 1 && reIdent.MatchString(f[0]):
			im.names = append(im.names, [2]string{f[0], f[0]})
		case len(f) == 3 && f[1] == "as" && reIdent.MatchString(f[0]) && reIdent.MatchString(f[2]):
			im.names = append(im.names, [2]string{f[0], f[2]})
		default:
			return jsImport{}, fmt.Errorf("unsupported import name %q", part)
		}
		if n := im.names[len(im.names)-1][0]; n == "default" {
			return jsImport{}, fmt.Errorf("default imports are not supported")
		}
	}
	if len(im.names) == 0 {
		return jsImport{}, fmt.Errorf("an import of no names")
	}
	return im, nil
}

// parseExport returns the name an export line declares.
func parseExport(l string) (string, error) {
	for _, re := range []*regexp.Regexp{reExportFunc, reExportConst, reExportClass} {
		if g := re.FindStringSubmatch(l); g != nil {
			return g[1], nil
		}
	}
	f := strings.Fields(strings.NewReplacer("{", " { ", "*", " * ").Replace(l))
	what := ""
	if len(f) > 1 {
		what = f[1]
	}
	switch what {
	case "default":
		return "", fmt.Errorf("default exports are not supported")
	case "{", "*":
		return "", fmt.Errorf("export lists and re-exports are not supported: export each declaration")
	case "let", "var":
		return "", fmt.Errorf("exported %s is not supported (a reassignment would not reach importers): export a const or a function", what)
	case "const":
		return "", fmt.Errorf("unsupported export %q: export const takes one name (no destructuring)", l)
	}
	return "", fmt.Errorf("unsupported export %q", l)
}

// lineOf returns the line number of the first s in src.
func lineOf(src, s string) int {
	return strings.Count(src[:strings.Index(src, s)], "\n") + 1
}
