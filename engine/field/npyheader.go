package field

import (
	"fmt"
	"strconv"
	"strings"
)

// npyHeader is the decoded header dictionary of a .npy file.
type npyHeader struct {
	descr        string
	fortranOrder bool
	shape        []int
}

// parseHeader decodes the Python dict literal of a .npy header, such as
//
//	{'descr': '<f8', 'fortran_order': False, 'shape': (64, 64), }
//
// followed by optional padding spaces and a newline. It accepts single or
// double quoted strings, arbitrary whitespace, trailing commas, shapes written
// as tuples ((64, 64), (64,), ()) and Python 2 long suffixes (64L). It checks
// the syntax and the presence of the three keys, and rejects negative or
// oversized dimensions; the meaning of the values is checked by the caller.
func parseHeader(b []byte) (npyHeader, error) {
	p := headerParser{s: b}
	var h npyHeader
	var haveDescr, haveOrder, haveShape bool

	p.skipSpace()
	if !p.consume('{') {
		return h, p.errorf("expected '{'")
	}
	for {
		p.skipSpace()
		if p.consume('}') {
			break
		}
		key, err := p.str()
		if err != nil {
			return h, err
		}
		p.skipSpace()
		if !p.consume(':') {
			return h, p.errorf("expected ':' after key '%s'", key)
		}
		p.skipSpace()
		switch key {
		case "descr":
			if haveDescr {
				return h, p.errorf("duplicate key 'descr'")
			}
			if p.peek() == '[' {
				return h, fmt.Errorf("npy: unsupported dtype: structured arrays are not supported (want a real number type such as '<f8')")
			}
			if h.descr, err = p.str(); err != nil {
				return h, err
			}
			haveDescr = true
		case "fortran_order":
			if haveOrder {
				return h, p.errorf("duplicate key 'fortran_order'")
			}
			if h.fortranOrder, err = p.boolean(); err != nil {
				return h, err
			}
			haveOrder = true
		case "shape":
			if haveShape {
				return h, p.errorf("duplicate key 'shape'")
			}
			if h.shape, err = p.tuple(); err != nil {
				return h, err
			}
			haveShape = true
		default:
			return h, p.errorf("unexpected key %s (want 'descr', 'fortran_order' and 'shape')", quoted(key))
		}
		p.skipSpace()
		if p.consume(',') {
			continue
		}
		if p.consume('}') {
			break
		}
		return h, p.errorf("expected ',' or '}'")
	}
	p.skipSpace()
	if p.i != len(p.s) {
		return h, p.errorf("unexpected characters after '}'")
	}
	switch {
	case !haveDescr:
		return h, fmt.Errorf("npy: header dict is missing key 'descr'")
	case !haveOrder:
		return h, fmt.Errorf("npy: header dict is missing key 'fortran_order'")
	case !haveShape:
		return h, fmt.Errorf("npy: header dict is missing key 'shape'")
	}
	return h, nil
}

// headerParser is a cursor over the bytes of a header dict.
type headerParser struct {
	s []byte
	i int
}

// errorf returns a "malformed header dict" error located at the cursor.
func (p *headerParser) errorf(format string, args ...any) error {
	return fmt.Errorf("npy: malformed header dict at byte %d: %s; header %s",
		p.i, fmt.Sprintf(format, args...), excerpt(string(p.s)))
}

// peek returns the byte at the cursor, or 0 at the end.
func (p *headerParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

// consume advances past c if it is the byte at the cursor.
func (p *headerParser) consume(c byte) bool {
	if p.peek() == c && p.i < len(p.s) {
		p.i++
		return true
	}
	return false
}

// skipSpace advances past ASCII white space.
func (p *headerParser) skipSpace() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			p.i++
		default:
			return
		}
	}
}

// str parses a single- or double-quoted string without escape sequences.
func (p *headerParser) str() (string, error) {
	q := p.peek()
	if q != '\'' && q != '"' {
		return "", p.errorf("expected a quoted string")
	}
	start := p.i + 1
	for j := start; j < len(p.s); j++ {
		switch p.s[j] {
		case q:
			p.i = j + 1
			return string(p.s[start:j]), nil
		case '\\', '\n':
			p.i = j
			return "", p.errorf("unsupported character in string")
		}
	}
	return "", p.errorf("unterminated string")
}

// boolean parses the Python literals True and False.
func (p *headerParser) boolean() (bool, error) {
	rest := p.s[p.i:]
	for _, lit := range [...]string{"True", "False"} {
		if len(rest) >= len(lit) && string(rest[:len(lit)]) == lit && !isIdentByte(rest, len(lit)) {
			p.i += len(lit)
			return lit == "True", nil
		}
	}
	return false, p.errorf("expected True or False")
}

// isIdentByte reports whether b[i] exists and could continue an identifier.
func isIdentByte(b []byte, i int) bool {
	if i >= len(b) {
		return false
	}
	c := b[i]
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// tuple parses a tuple of non-negative integers: (), (n,), (n, m), ...
// A parenthesised single integer without a comma, (n), is accepted as (n,).
func (p *headerParser) tuple() ([]int, error) {
	if !p.consume('(') {
		return nil, p.errorf("expected a shape tuple")
	}
	shape := []int{}
	for {
		p.skipSpace()
		if p.consume(')') {
			return shape, nil
		}
		d, err := p.dim()
		if err != nil {
			return nil, err
		}
		shape = append(shape, d)
		p.skipSpace()
		if p.consume(',') {
			continue
		}
		if p.consume(')') {
			return shape, nil
		}
		return nil, p.errorf("expected ',' or ')' in shape")
	}
}

// dim parses one shape dimension: decimal digits with an optional Python 2
// long suffix. Negative and oversized values are errors.
func (p *headerParser) dim() (int, error) {
	neg := p.consume('-')
	start := p.i
	for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
		p.i++
	}
	digits := string(p.s[start:p.i])
	if digits == "" {
		return 0, p.errorf("expected an integer in shape")
	}
	if p.peek() == 'L' || p.peek() == 'l' {
		p.i++
	}
	if neg {
		return 0, fmt.Errorf("npy: negative dimension -%s in shape", excerpt(digits))
	}
	d, err := strconv.Atoi(digits)
	if err != nil || d > maxElements {
		return 0, fmt.Errorf("npy: shape dimension %s exceeds the limit of %d elements", excerpt(digits), maxElements)
	}
	return d, nil
}

// excerpt shortens s for an error message: it drops trailing padding and
// keeps at most 60 bytes, marking a cut with "…". Unless the result is
// printable ASCII it is quoted with strconv.Quote.
func excerpt(s string) string {
	const max = 60
	s = strings.TrimRight(s, " \n")
	cut := len(s) > max
	if cut {
		s = s[:max]
	}
	if !printable(s) {
		s = strconv.Quote(s)
	}
	if cut {
		s += "…"
	}
	return s
}

// quoted returns s for an error message as a Python string literal: in
// single quotes if it is short printable ASCII without a single quote,
// otherwise as excerpt gives it.
func quoted(s string) string {
	if len(s) <= 60 && printable(s) && !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	return excerpt(s)
}

// printable reports whether s is all printable ASCII.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
