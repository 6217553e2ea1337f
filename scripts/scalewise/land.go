package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"scalewise/engine/nn"
)

// runLand moves a finished training output into a weights folder: it copies
// SRC.safetensors into DIR (atomically) and adds its entry from the
// manifest beside SRC to DIR/manifest.json, after checking the file against
// that entry. Background runs write to build/ and land their results only
// when complete, so no half-written file ever reaches weights/.
func runLand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("land", flag.ContinueOnError)
	pos, err := parse(fs, args, stderr, 2, "SRC.safetensors DIR")
	if err != nil {
		return err
	}
	src, dir := pos[0], pos[1]
	if !strings.HasSuffix(src, ".safetensors") {
		return fmt.Errorf("%s: want a .safetensors file", src)
	}
	if err := landFile(src, dir, nn.MaxWeightsBytes); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "landed %s in %s\n", filepath.Base(src), dir)
	return nil
}

// landFile copies src into dir atomically and upserts its entry from the
// manifest beside src into dir/manifest.json, after checking the file
// (at most maxBytes) against that entry. Landing a file onto itself does
// nothing.
func landFile(src, dir string, maxBytes int64) error {
	m, err := nn.ReadManifest(filepath.Join(filepath.Dir(src), "manifest.json"))
	if err != nil {
		return err
	}
	var entry *nn.ManifestEntry
	for i := range m.Entries {
		if m.Entries[i].File == filepath.Base(src) {
			entry = &m.Entries[i]
		}
	}
	if entry == nil {
		return fmt.Errorf("%s has no entry in the manifest beside it (is its run finished?)", src)
	}
	// The file is read whole: check its size first.
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	if st.Size() != entry.Bytes || st.Size() > maxBytes {
		return fmt.Errorf("%s does not match its manifest entry (%d bytes; the file has %d, and such files hold at most %d)", src, entry.Bytes, st.Size(), maxBytes)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != entry.SHA256 || int64(len(b)) != entry.Bytes {
		return fmt.Errorf("%s does not match its manifest entry (sha256 %s, %d bytes)", src, entry.SHA256, entry.Bytes)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	dst := filepath.Join(dir, filepath.Base(src))
	if filepath.Clean(dst) == filepath.Clean(src) {
		return nil
	}
	if err := writeFileAtomic(dst, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}); err != nil {
		return err
	}
	return upsertManifestEntry(dst, func(*nn.Manifest, string, int64) nn.ManifestEntry { return *entry })
}
