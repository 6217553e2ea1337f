package layout

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

func TestMarkup(t *testing.T) {
	tests := []struct {
		in   string
		want []Run
	}{
		{"plain text", []Run{{"plain text", Base, false, false}}},
		{"x_j", []Run{{"x", Base, false, false}, {"j", Sub, false, false}}},
		{"ψ_{j,k} = 1", []Run{{"ψ", Base, false, false}, {"j,k", Sub, false, false}, {" = 1", Base, false, false}}},
		{"‖x‖^2", []Run{{"‖x‖", Base, false, false}, {"2", Sup, false, false}}},
		{"x̄_j", []Run{{"x", Base, true, false}, {"j", Sub, false, false}}},
		{"⟨φ^2⟩", []Run{{"⟨φ", Base, false, false}, {"2", Sup, false, false}, {"⟩", Base, false, false}}},
		{"a ∗ b", []Run{{"a * b", Base, false, false}}},
		{"10^{−5}", []Run{{"10", Base, false, false}, {"−5", Sup, false, false}}},
		{"a\\_b", []Run{{"a_b", Base, false, false}}},
		{"end_", []Run{{"end_", Base, false, false}}},
		{"open_{ab", []Run{{"open", Base, false, false}, {"ab", Sub, false, false}}},
		{"k_⊥", []Run{{"k", Base, false, false}, {"⊥", Sub, false, false}}},
		{"W^{-1}x̄", []Run{{"W", Base, false, false}, {"-1", Sup, false, false}, {"x", Base, true, false}}},
		{"x̂(y_t)", []Run{{"x", Base, false, true}, {"(y", Base, false, false}, {"t", Sub, false, false}, {")", Base, false, false}}},
		{"E[x̂_j]", []Run{{"E[", Base, false, false}, {"x", Base, false, true}, {"j", Sub, false, false}, {"]", Base, false, false}}},
		{"y_{x̂}", []Run{{"y", Base, false, false}, {"x", Sub, false, true}}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Markup(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Markup(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if s := `a_b^c\d`; Plain(Escape(s)) != s {
		t.Errorf("Plain(Escape(%q)) = %q", s, Plain(Escape(s)))
	}
	if got := Plain("x̄_j and ψ_{j,k}\nφ^4 x̂"); got != "x̄j and ψj,k\nφ4 x̂" {
		t.Errorf("Plain = %q", got)
	}
}

func TestTickMarkup(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0", "0"}, {"-0.5", "−0.5"}, {"1e5", "10^{5}"}, {"1e-4", "10^{−4}"},
		{"2.5e6", "2.5×10^{6}"}, {"-3e9", "−3×10^{9}"}, {"-1e-3", "−10^{−3}"}, {"2000", "2000"},
	}
	for _, tt := range tests {
		if got := TickMarkup(tt.in); got != tt.want {
			t.Errorf("TickMarkup(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFontCoverage checks that the Go fonts have a glyph for every rune
// the canvas app prints: the non-ASCII runes of the string literals of
// package ui, after markup (substitutes replaced; the Drawn runes aside),
// and those of tick labels.
func TestFontCoverage(t *testing.T) {
	files, err := filepath.Glob("../*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sources of package ui: %v", err)
	}
	runes := map[rune]bool{'−': true, '×': true}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			for _, line := range strings.Split(s, "\n") {
				for _, run := range Markup(line) {
					for _, r := range run.Text {
						if r > 0x7e && !strings.ContainsRune(Drawn, r) {
							runes[r] = true
						}
					}
				}
			}
			return true
		})
	}
	for name, ttf := range map[string][]byte{"Go Regular": goregular.TTF, "Go Medium": gomedium.TTF} {
		font, err := sfnt.Parse(ttf)
		if err != nil {
			t.Fatal(err)
		}
		var buf sfnt.Buffer
		for r := range runes {
			if g, err := font.GlyphIndex(&buf, r); err != nil || g == 0 {
				t.Errorf("%s has no glyph for %q (%U): add a substitute", name, r, r)
			}
		}
	}
	if len(runes) < 5 {
		t.Errorf("only %d non-ASCII runes found: is the source scan broken?", len(runes))
	}
	for r, sub := range Substitutes {
		if strings.ContainsRune(sub, r) {
			t.Errorf("substitute of %q is itself", r)
		}
	}
}
