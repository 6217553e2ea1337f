package nn

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// stManifestVersion is the manifest format version that this package reads
// and writes.
const stManifestVersion = 1

// ManifestEntry describes one weights file: where it is, how to check it,
// and how it was produced.
type ManifestEntry struct {
	File         string             `json:"file"`    // path relative to the manifest, e.g. "denoiser-calpha2.safetensors"
	SHA256       string             `json:"sha256"`  // lowercase hex digest of the file
	Bytes        int64              `json:"bytes"`   // file size
	Kind         string             `json:"kind"`    // "unet-denoiser", "rg-model", ...
	Command      string             `json:"command"` // the exact command that reproduces the file
	Data         string             `json:"data"`    // description of the training data
	Seed         uint64             `json:"seed"`
	Steps        int                `json:"steps"`
	Params       int                `json:"params,omitempty"`
	Metrics      map[string]float64 `json:"metrics,omitempty"`
	TrainSeconds float64            `json:"train_seconds,omitempty"`
	Extra        map[string]string  `json:"extra,omitempty"`
}

// Manifest lists the weights files of a directory (weights/manifest.json),
// with entries sorted by File.
type Manifest struct {
	Version int             `json:"version"`
	Entries []ManifestEntry `json:"entries"`
}

// ReadManifest reads the manifest at path. A missing file gives an empty
// manifest with Version 1 and no error. A file that is not a valid manifest
// (bad JSON, a version other than 1, an entry whose File is empty, duplicated
// or not a local slash-separated path) gives an error. The entries are
// returned sorted by File.
func ReadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Manifest{Version: stManifestVersion}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	m, err := ParseManifest(b)
	if err != nil {
		return nil, fmt.Errorf("manifest: %s: %s", path, strings.TrimPrefix(err.Error(), "manifest: "))
	}
	return m, nil
}

// ParseManifest decodes and checks a manifest's JSON (see ReadManifest).
func ParseManifest(b []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if m.Version != stManifestVersion {
		return nil, fmt.Errorf("manifest: version %d; want %d", m.Version, stManifestVersion)
	}
	seen := make(map[string]bool, len(m.Entries))
	for i, e := range m.Entries {
		if err := stCheckManifestFile(e.File); err != nil {
			return nil, fmt.Errorf("manifest: entry %d: %w", i, err)
		}
		if seen[e.File] {
			return nil, fmt.Errorf("manifest: duplicate entry for %q", e.File)
		}
		seen[e.File] = true
	}
	stSortEntries(m.Entries)
	return &m, nil
}

// stCheckManifestFile reports whether file is a usable entry path: non-empty,
// slash-separated and inside the manifest's directory.
func stCheckManifestFile(file string) error {
	if file == "" {
		return errors.New("empty file name")
	}
	if !filepath.IsLocal(filepath.FromSlash(file)) || strings.Contains(file, `\`) {
		return fmt.Errorf("file %q is not a local slash-separated path", file)
	}
	return nil
}

// stSortEntries sorts entries by File.
func stSortEntries(entries []ManifestEntry) {
	slices.SortStableFunc(entries, func(a, b ManifestEntry) int { return strings.Compare(a.File, b.File) })
}

// Upsert replaces the entry with the same File as e, or else adds e, and
// keeps the entries sorted by File.
func (m *Manifest) Upsert(e ManifestEntry) {
	for i := range m.Entries {
		if m.Entries[i].File == e.File {
			m.Entries[i] = e
			stSortEntries(m.Entries)
			return
		}
	}
	m.Entries = append(m.Entries, e)
	stSortEntries(m.Entries)
}

// Write writes the manifest to path as indented JSON with a trailing
// newline, entries sorted by File; a zero Version is written as 1. The file
// is replaced atomically: the JSON goes to a temporary file in the same
// directory, which is then renamed over path, so readers see either the old
// or the new manifest, never a partial one.
func (m *Manifest) Write(path string) error {
	out := Manifest{Version: m.Version, Entries: slices.Clone(m.Entries)}
	if out.Version == 0 {
		out.Version = stManifestVersion
	}
	if out.Entries == nil {
		out.Entries = []ManifestEntry{}
	}
	stSortEntries(out.Entries)
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("manifest: encode: %w", err)
	}
	b = append(b, '\n')

	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	tmpName := tmp.Name()
	fail := func(err error) error {
		tmp.Close()
		os.Remove(tmpName)
		return fmt.Errorf("manifest: write %s: %w", path, err)
	}
	if _, err := tmp.Write(b); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		os.Remove(tmpName)
		return fmt.Errorf("manifest: write %s: %w", path, err)
	}
	return nil
}

// Verify checks every entry against the files in dir (the manifest's
// directory): the file must exist and its size and SHA-256 must match the
// entry. The error, nil when all match, lists every mismatch, one per line.
func (m *Manifest) Verify(dir string) error {
	var errs []error
	for _, e := range m.Entries {
		if err := stCheckManifestFile(e.File); err != nil {
			errs = append(errs, fmt.Errorf("manifest: %w", err))
			continue
		}
		if err := stVerifyEntry(dir, e); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// stVerifyEntry checks one entry's file size and digest in a single pass.
func stVerifyEntry(dir string, e ManifestEntry) error {
	path := filepath.Join(dir, filepath.FromSlash(e.File))
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("manifest: %s: file is missing", e.File)
		}
		return fmt.Errorf("manifest: %s: %w", e.File, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("manifest: %s: %w", e.File, err)
	}
	sum := fmt.Sprintf("%x", h.Sum(nil))
	var problems []string
	if n != e.Bytes {
		problems = append(problems, fmt.Sprintf("size is %d bytes, manifest says %d", n, e.Bytes))
	}
	if !strings.EqualFold(sum, e.SHA256) {
		problems = append(problems, fmt.Sprintf("sha256 is %s, manifest says %q", sum, e.SHA256))
	}
	if len(problems) > 0 {
		return fmt.Errorf("manifest: %s: %s", e.File, strings.Join(problems, "; "))
	}
	return nil
}
