package main

import (
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
