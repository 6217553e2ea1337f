package main

import (
	"io"
	"os"
	"path/filepath"

	"scalewise/engine/nn"
)

// upsertManifestEntry adds or replaces the entry of the file out in the
// manifest.json beside it, under the manifest's lock: entry receives the
// current manifest (to read an older entry), the file's sha256 and size.
func upsertManifestEntry(out string, entry func(m *nn.Manifest, sha256 string, bytes int64) nn.ManifestEntry) error {
	mpath := filepath.Join(filepath.Dir(out), "manifest.json")
	unlock, err := lockFile(mpath + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	m, err := nn.ReadManifest(mpath)
	if err != nil {
		return err
	}
	sum, err := nn.SHA256File(out)
	if err != nil {
		return err
	}
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	m.Upsert(entry(m, sum, st.Size()))
	return m.Write(mpath)
}

// writeFileAtomic writes path through write into path.tmp and renames it
// into place, so a crash never leaves a half-written file at path.
func writeFileAtomic(path string, write func(w io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
