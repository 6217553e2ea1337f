package main

// The single file's inline data blocks carry the gzipped assets as text in
// a base-85 code: 4 bytes to 5 characters, 25 % larger than the bytes
// against base64's 33 %, which saves a sixteenth of the file.
//
// Each group of 4 bytes, read as a big-endian unsigned 32-bit number v, is
// written as its 5 base-85 digits, most significant first (v < 2³² ≤ 85⁵).
// The digits are the characters base85Alphabet[d]: the printable ASCII
// characters from '!' (33) to 'v' (118) without '<' (60), so that a block
// can hold neither "</script" nor "<!--", which would end or escape an
// HTML script data block (HTML Standard, "script data state"). A last
// group of fewer than 4 bytes is padded with zeros and written whole; the
// block's data-bytes attribute gives the length to keep. The page decodes
// it in wasm/web/base85.js.

// base85Alphabet lists the 85 digit characters in digit order.
var base85Alphabet = func() string {
	b := make([]byte, 0, 85)
	for c := byte('!'); c <= 'v'; c++ {
		if c != '<' {
			b = append(b, c)
		}
	}
	return string(b)
}()

// encodeBase85 returns the base-85 text of b (see above): 5·⌈len(b)/4⌉
// characters.
func encodeBase85(b []byte) string {
	out := make([]byte, 0, (len(b)+3)/4*5)
	var d [5]byte
	for i := 0; i < len(b); i += 4 {
		var g [4]byte
		copy(g[:], b[i:])
		v := uint32(g[0])<<24 | uint32(g[1])<<16 | uint32(g[2])<<8 | uint32(g[3])
		for k := 4; k >= 0; k-- {
			d[k] = base85Alphabet[v%85]
			v /= 85
		}
		out = append(out, d[:]...)
	}
	return string(out)
}
