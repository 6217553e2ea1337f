package layout

import (
	"strings"
	"unicode/utf8"
)

// The canvas prints mathematical text with a small markup: _x and ^x make
// the rune x a subscript or a superscript, _{…} and ^{…} a group; a rune
// followed by U+0304 (a combining macron, as in "x̄") is drawn with a bar
// over it, one followed by U+0302 (a combining circumflex, as in "x̂") with
// a hat. A backslash makes the next rune literal ("\_"). Runes the Go
// fonts lack are written with the glyphs of Substitutes.

// Script is where a run of text sits: on the baseline, below it or above
// it (smaller).
type Script int8

// The scripts.
const (
	Base Script = iota
	Sub
	Sup
)

// Run is a piece of a line of text in one script.
type Run struct {
	Text   string
	Script Script
	Bar    bool // drawn with a bar over it (one rune)
	Hat    bool // drawn with a hat over it (one rune)
}

// macron is the combining macron, a bar over the rune before it, and
// circumflex the combining circumflex, a hat.
const (
	macron     = '\u0304'
	circumflex = '\u0302'
)

// isAccent reports whether r is a combining accent the markup draws.
func isAccent(r rune) bool { return r == macron || r == circumflex }

// accented returns the run of the rune r with the accent a over it.
func accented(r rune, s Script, a rune) Run {
	return Run{Text: substitute(r), Script: s, Bar: a == macron, Hat: a == circumflex}
}

// Substitutes are the glyphs that stand for runes the Go fonts lack.
var Substitutes = map[rune]string{
	'∗': "*", '⋆': "*", '∣': "|", '⟂': "⊥", '〈': "⟨", '〉': "⟩",
}

// Drawn are the runes no Go font has that the canvas draws itself, with
// lines: ⊥, ‖ and the angle brackets ⟨ ⟩.
const Drawn = "⊥‖⟨⟩"

// Markup splits a line of marked-up text into runs, with the runes of
// Substitutes replaced.
func Markup(line string) []Run {
	var out []Run
	var cur strings.Builder
	script := Base
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, Run{Text: cur.String(), Script: script})
			cur.Reset()
		}
	}
	for i := 0; i < len(line); {
		r, n := utf8.DecodeRuneInString(line[i:])
		i += n
		switch {
		case r == '\\' && i < len(line):
			r, n = utf8.DecodeRuneInString(line[i:])
			i += n
			cur.WriteRune(r)
		case (r == '_' || r == '^') && i < len(line):
			flush()
			s := Sub
			if r == '^' {
				s = Sup
			}
			var group string
			if line[i] == '{' {
				end := strings.IndexByte(line[i:], '}')
				if end < 0 {
					end = len(line) - i
				}
				group, i = line[i+1:i+end], min(len(line), i+end+1)
			} else {
				_, n = utf8.DecodeRuneInString(line[i:])
				group, i = line[i:i+n], i+n
				if i < len(line) {
					if r, n := utf8.DecodeRuneInString(line[i:]); isAccent(r) {
						group, i = group+string(r), i+n
					}
				}
			}
			out = append(out, plainRuns(group, s)...)
		default:
			if i < len(line) {
				if next, n := utf8.DecodeRuneInString(line[i:]); isAccent(next) {
					flush()
					out = append(out, accented(r, script, next))
					i += n
					continue
				}
			}
			cur.WriteString(substitute(r))
		}
	}
	flush()
	return out
}

// plainRuns splits text of one script into runs at its accented runes.
func plainRuns(text string, s Script) []Run {
	var out []Run
	var cur strings.Builder
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		if next, m := utf8.DecodeRuneInString(text[i:]); i < len(text) && isAccent(next) {
			if cur.Len() > 0 {
				out = append(out, Run{Text: cur.String(), Script: s})
				cur.Reset()
			}
			out = append(out, accented(r, s, next))
			i += m
			continue
		}
		cur.WriteString(substitute(r))
	}
	if cur.Len() > 0 {
		out = append(out, Run{Text: cur.String(), Script: s})
	}
	return out
}

func substitute(r rune) string {
	if s, ok := Substitutes[r]; ok {
		return s
	}
	return string(r)
}

// Plain returns text with its markup removed: what a reader of the
// canvas's words (a test, a screen reader) should find.
func Plain(text string) string {
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		for _, r := range Markup(line) {
			b.WriteString(r.Text)
			if r.Bar {
				b.WriteRune(macron)
			}
			if r.Hat {
				b.WriteRune(circumflex)
			}
		}
	}
	return b.String()
}

// Escape returns text with its markup characters escaped, so that Markup
// prints it as it is (an error message, a name from data).
func Escape(text string) string {
	return strings.NewReplacer(`\`, `\\`, "_", `\_`, "^", `\^`).Replace(text)
}

// TickMarkup writes a tick label of FormatTick as marked-up text: a true
// minus sign, and powers of ten as superscripts ("1e-5" → "10^{−5}",
// "2.5e6" → "2.5×10^{6}").
func TickMarkup(label string) string {
	mant, exp, ok := strings.Cut(label, "e")
	mant = strings.Replace(mant, "-", "−", 1)
	if !ok {
		return mant
	}
	exp = strings.Replace(exp, "-", "−", 1)
	if mant == "1" {
		return "10^{" + exp + "}"
	}
	if mant == "−1" {
		return "−10^{" + exp + "}"
	}
	return mant + "×10^{" + exp + "}"
}
