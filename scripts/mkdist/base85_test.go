package main

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// decodeBase85Go is the inverse of encodeBase85 for n bytes, the test's
// reference for the page's decoder.
func decodeBase85Go(t *testing.T, s string, n int) []byte {
	t.Helper()
	if len(s)%5 != 0 {
		t.Fatalf("%d characters, not a multiple of 5", len(s))
	}
	var out []byte
	for i := 0; i < len(s); i += 5 {
		var v uint64
		for k := range 5 {
			d := strings.IndexByte(base85Alphabet, s[i+k])
			if d < 0 {
				t.Fatalf("character %q is not a digit", s[i+k])
			}
			v = v*85 + uint64(d)
		}
		if v >= 1<<32 {
			t.Fatalf("group %d codes %d ≥ 2³²", i/5, v)
		}
		out = append(out, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return out[:n]
}

func TestBase85Alphabet(t *testing.T) {
	if len(base85Alphabet) != 85 {
		t.Fatalf("%d digits, want 85", len(base85Alphabet))
	}
	seen := map[rune]bool{}
	for _, c := range base85Alphabet {
		if seen[c] || c <= ' ' || c > '~' || c == '<' {
			t.Errorf("digit %q repeats, is not printable or is '<'", c)
		}
		seen[c] = true
	}
}

// Round trips of every length around the group size, the extreme groups
// (all zeros, all ones) and random bytes.
func TestBase85RoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := [][]byte{{}, {0}, {0, 0, 0, 0}, {255, 255, 255, 255}, {255, 255, 255, 255, 255}, []byte("</script><!--")}
	for n := 1; n <= 9; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		cases = append(cases, b)
	}
	big := make([]byte, 1<<16+3)
	for i := range big {
		big[i] = byte(r.Uint32())
	}
	cases = append(cases, big)
	for _, b := range cases {
		s := encodeBase85(b)
		if len(s) != (len(b)+3)/4*5 {
			t.Errorf("%d bytes give %d characters, want %d", len(b), len(s), (len(b)+3)/4*5)
		}
		if strings.Contains(s, "<") {
			t.Errorf("the code of %d bytes holds '<'", len(b))
		}
		if got := decodeBase85Go(t, s, len(b)); !bytes.Equal(got, b) {
			t.Errorf("%d bytes do not round-trip", len(b))
		}
	}
}

// The page's decoder (wasm/web/base85.js) under Node decodes what
// encodeBase85 writes, in slices as assets.js asks for them, and refuses a
// character outside the code.
func TestBase85DecodesInNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (make node installs it)")
	}
	src, err := os.ReadFile("../../wasm/web/base85.js")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "base85.mjs"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	b := make([]byte, 1000003)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	copy(b, []byte{255, 255, 255, 255, 0, 0, 0, 0})
	text := encodeBase85(b)
	if err := os.WriteFile(filepath.Join(dir, "in.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `
import { decodeBase85 } from "./base85.mjs";
import { readFileSync } from "node:fs";
const text = readFileSync("in.txt", "latin1");
const n = ` + strconv.Itoa(len(b)) + `, slice = 1 << 16;
const out = new Uint8Array(n);
for (let at = 0; at < n; at += slice) {
  const m = Math.min(slice, n - at);
  const got = decodeBase85(text, (at / 4) * 5, Math.ceil((at + m) / 4) * 5, out.subarray(at, at + m), 0);
  if (got !== m) throw new Error("slice at " + at + " wrote " + got);
}
let refused = false;
try { decodeBase85("!!!!<", 0, 5, new Uint8Array(4), 0); } catch { refused = true; }
if (!refused) throw new Error("'<' was accepted");
refused = false;
try { decodeBase85("vvvvv", 0, 5, new Uint8Array(4), 0); } catch { refused = true; }
if (!refused) throw new Error("a group over 32 bits was accepted");
process.stdout.write(Buffer.from(out).toString("hex"));
`
	if err := os.WriteFile(filepath.Join(dir, "run.mjs"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "run.mjs")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("node: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	if got := string(out); got != hex.EncodeToString(b) {
		t.Fatalf("node decoded %d hex digits that differ from the %d bytes encoded", len(got), len(b))
	}
}
