package nn

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// stManifestFile writes content to dir/name and returns the entry that
// describes it.
func stManifestFile(t *testing.T, dir, name string, content []byte) ManifestEntry {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := SHA256File(path)
	if err != nil {
		t.Fatal(err)
	}
	return ManifestEntry{
		File:    name,
		SHA256:  sum,
		Bytes:   int64(len(content)),
		Kind:    "unet-denoiser",
		Command: "scalewise train --seed 7 --out weights/" + name,
		Data:    "synthetic C-alpha fields, 64x64",
		Seed:    7,
		Steps:   1000,
	}
}

func TestReadManifestMissing(t *testing.T) {
	m, err := ReadManifest(filepath.Join(t.TempDir(), "manifest.json"))
	if err != nil {
		t.Fatalf("ReadManifest of a missing file: %v", err)
	}
	if m.Version != 1 || len(m.Entries) != 0 {
		t.Errorf("got %+v; want an empty manifest with version 1", m)
	}
}

func TestManifestUpsert(t *testing.T) {
	e := func(file string, seed uint64) ManifestEntry { return ManifestEntry{File: file, Seed: seed} }
	tests := []struct {
		name  string
		start []ManifestEntry
		add   ManifestEntry
		want  []ManifestEntry
	}{
		{name: "into empty", add: e("b", 1), want: []ManifestEntry{e("b", 1)}},
		{name: "append at end", start: []ManifestEntry{e("a", 1)}, add: e("c", 2), want: []ManifestEntry{e("a", 1), e("c", 2)}},
		{name: "insert sorted", start: []ManifestEntry{e("a", 1), e("c", 2)}, add: e("b", 3), want: []ManifestEntry{e("a", 1), e("b", 3), e("c", 2)}},
		{name: "insert first", start: []ManifestEntry{e("b", 1)}, add: e("a", 2), want: []ManifestEntry{e("a", 2), e("b", 1)}},
		{name: "replace", start: []ManifestEntry{e("a", 1), e("b", 2), e("c", 3)}, add: e("b", 9), want: []ManifestEntry{e("a", 1), e("b", 9), e("c", 3)}},
		{name: "sorts unsorted start", start: []ManifestEntry{e("c", 1), e("a", 2)}, add: e("a", 5), want: []ManifestEntry{e("a", 5), e("c", 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Manifest{Version: 1, Entries: tt.start}
			m.Upsert(tt.add)
			if !reflect.DeepEqual(m.Entries, tt.want) {
				t.Errorf("entries %+v\nwant %+v", m.Entries, tt.want)
			}
		})
	}
}

func TestManifestWriteRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "manifest.json")

	m, err := ReadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Write(path); err != nil {
		t.Fatalf("Write of an empty manifest: %v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"version\": 1,\n  \"entries\": []\n}\n"; string(b) != want {
		t.Errorf("empty manifest written as %q; want %q", b, want)
	}

	full := ManifestEntry{
		File:         "denoiser-calpha2.safetensors",
		SHA256:       strings.Repeat("ab", 32),
		Bytes:        123456,
		Kind:         "unet-denoiser",
		Command:      `scalewise train-denoiser --alpha 2 --seed 18446744073709551615 --out "weights/x y"`,
		Data:         "10000 synthetic fields",
		Seed:         1<<64 - 1,
		Steps:        20000,
		Params:       31337,
		Metrics:      map[string]float64{"val_mse": 0.0123, "psnr": 31.5},
		TrainSeconds: 812.25,
		Extra:        map[string]string{"arch": "unet-3"},
	}
	m.Upsert(ManifestEntry{File: "rg.safetensors", Kind: "rg-model", Seed: 1, Steps: 10})
	m.Upsert(full)
	if err := m.Write(path); err != nil {
		t.Fatalf("Write: %v", err)
	}
	got, err := ReadManifest(path)
	if err != nil {
		t.Fatalf("ReadManifest: %v", err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("round trip\n got %+v\nwant %+v", got, m)
	}

	b, err = os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(b, []byte("}\n")) || bytes.HasSuffix(b, []byte("\n\n")) {
		t.Errorf("manifest does not end in one newline: %q", b[max(0, len(b)-10):])
	}
	if !bytes.Contains(b, []byte("\n  \"entries\": [\n    {\n      \"file\": \"denoiser-calpha2.safetensors\",")) {
		t.Errorf("manifest is not indented as expected:\n%s", b)
	}
	if !bytes.Contains(b, []byte(`"seed": 18446744073709551615`)) {
		t.Errorf("uint64 seed not written exactly:\n%s", b)
	}
	// Optional fields of the second entry are omitted.
	var raw struct{ Entries []map[string]any }
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"params", "metrics", "train_seconds", "extra"} {
		if _, ok := raw.Entries[1][k]; ok {
			t.Errorf("empty optional field %q written", k)
		}
	}

	// Writing again replaces the file and leaves no temporary files behind.
	m.Upsert(ManifestEntry{File: "a.safetensors"})
	if err := m.Write(path); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadManifest(path); err != nil || len(got.Entries) != 3 || got.Entries[0].File != "a.safetensors" {
		t.Errorf("after rewrite: %+v, %v", got, err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v; want only manifest.json", names)
	}
	if err := m.Write(filepath.Join(dir, "no-such-dir", "manifest.json")); err == nil {
		t.Error("Write into a missing directory succeeded")
	}
	bad := &Manifest{Version: 1, Entries: []ManifestEntry{{File: "x", Metrics: map[string]float64{"nan": math.NaN()}}}}
	if err := bad.Write(path); err == nil {
		t.Error("Write of a NaN metric succeeded")
	}
	if got, err := ReadManifest(path); err != nil || len(got.Entries) != 3 {
		t.Errorf("failed Write damaged the manifest: %+v, %v", got, err)
	}
}

func TestReadManifestMalformed(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{name: "empty file", content: "", want: "unexpected end of JSON input"},
		{name: "invalid JSON", content: `{"version": 1, "entries": [`, want: "unexpected end of JSON input"},
		{name: "not an object", content: `[1]`, want: "cannot unmarshal"},
		{name: "wrong field type", content: `{"version": 1, "entries": [{"file": "a", "bytes": "big"}]}`, want: "cannot unmarshal"},
		{name: "trailing garbage", content: `{"version": 1, "entries": []} x`, want: "invalid character"},
		{name: "missing version", content: `{"entries": []}`, want: "version 0; want 1"},
		{name: "future version", content: `{"version": 2, "entries": []}`, want: "version 2; want 1"},
		{name: "empty file name", content: `{"version": 1, "entries": [{"file": ""}]}`, want: "entry 0: empty file name"},
		{name: "escaping path", content: `{"version": 1, "entries": [{"file": "../secret"}]}`, want: `entry 0: file "../secret" is not a local`},
		{name: "absolute path", content: `{"version": 1, "entries": [{"file": "/etc/passwd"}]}`, want: "is not a local"},
		{name: "duplicate file", content: `{"version": 1, "entries": [{"file": "a"}, {"file": "b"}, {"file": "a"}]}`, want: `duplicate entry for "a"`},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "manifest.json")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := ReadManifest(path)
			if err == nil {
				t.Fatalf("ReadManifest succeeded with %+v; want error containing %q", m, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "manifest: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q; want %q", err, tt.want)
			}
		})
	}
	if _, err := ReadManifest(dir); err == nil {
		t.Error("ReadManifest of a directory succeeded")
	}
}

func TestManifestVerify(t *testing.T) {
	dir := t.TempDir()
	a := stManifestFile(t, dir, "a.safetensors", []byte("weights of a"))
	b := stManifestFile(t, dir, "sub/b.safetensors", []byte("weights of b"))
	c := stManifestFile(t, dir, "c.safetensors", []byte("weights of c"))
	upper := a
	upper.SHA256 = strings.ToUpper(a.SHA256)

	tests := []struct {
		name    string
		entries []ManifestEntry
		tamper  func(t *testing.T)
		want    []string // substrings of the error; nil means no error
	}{
		{name: "empty manifest"},
		{name: "all match", entries: []ManifestEntry{a, b, c}},
		{name: "upper-case digest", entries: []ManifestEntry{upper}},
		{
			name:    "tampered file, same size",
			entries: []ManifestEntry{a, b, c},
			tamper: func(t *testing.T) {
				stManifestFile(t, dir, "sub/b.safetensors", []byte("weights of B"))
			},
			want: []string{"manifest: sub/b.safetensors: sha256 is "},
		},
		{
			name:    "every mismatch listed",
			entries: []ManifestEntry{a, b, c, {File: "gone.safetensors", SHA256: a.SHA256, Bytes: 1}},
			tamper: func(t *testing.T) {
				stManifestFile(t, dir, "a.safetensors", []byte("weights of a, longer"))
				stManifestFile(t, dir, "sub/b.safetensors", []byte("weights of B"))
			},
			want: []string{
				"manifest: a.safetensors: size is 20 bytes, manifest says 12; sha256 is ",
				"manifest: sub/b.safetensors: sha256 is ",
				"manifest: gone.safetensors: file is missing",
			},
		},
		{
			name:    "wrong size only",
			entries: []ManifestEntry{func() ManifestEntry { e := c; e.Bytes = 99; return e }()},
			want:    []string{"manifest: c.safetensors: size is 12 bytes, manifest says 99"},
		},
		{
			name:    "empty digest",
			entries: []ManifestEntry{func() ManifestEntry { e := c; e.SHA256 = ""; return e }()},
			want:    []string{`manifest says ""`},
		},
		{
			name:    "path outside dir",
			entries: []ManifestEntry{{File: "../x"}},
			want:    []string{`manifest: file "../x" is not a local`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Restore the pristine files before each case.
			stManifestFile(t, dir, "a.safetensors", []byte("weights of a"))
			stManifestFile(t, dir, "sub/b.safetensors", []byte("weights of b"))
			if tt.tamper != nil {
				tt.tamper(t)
			}
			m := &Manifest{Version: 1, Entries: tt.entries}
			err := m.Verify(dir)
			if tt.want == nil {
				if err != nil {
					t.Errorf("Verify: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Verify succeeded; want errors %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
			if n := strings.Count(err.Error(), "\n") + 1; n != len(tt.want) {
				t.Errorf("error has %d lines; want %d:\n%v", n, len(tt.want), err)
			}
		})
	}
}

// TestManifestWithSafetensors is the intended workflow: write weights, record
// them in the manifest, read both back and verify.
func TestManifestWithSafetensors(t *testing.T) {
	dir := t.TempDir()
	name := "denoiser-calpha2.safetensors"
	var buf bytes.Buffer
	tensors := []NamedTensor{{Name: "w", Shape: []int{2, 2}, Data: []float32{1, 2, 3, 4}}}
	if err := WriteSafetensors(&buf, tensors, map[string]string{"kind": "unet-denoiser"}); err != nil {
		t.Fatal(err)
	}
	e := stManifestFile(t, dir, name, buf.Bytes())
	mpath := filepath.Join(dir, "manifest.json")
	m, err := ReadManifest(mpath)
	if err != nil {
		t.Fatal(err)
	}
	m.Upsert(e)
	if err := m.Write(mpath); err != nil {
		t.Fatal(err)
	}
	m2, err := ReadManifest(mpath)
	if err != nil {
		t.Fatal(err)
	}
	if err := m2.Verify(dir); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	f, err := os.Open(filepath.Join(dir, m2.Entries[0].File))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, _, err := ReadSafetensors(f, m2.Entries[0].Bytes)
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0].Data, tensors[0].Data) {
		t.Errorf("ReadSafetensors = %v, %v", got, err)
	}
}
