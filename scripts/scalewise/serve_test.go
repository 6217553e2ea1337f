package main

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// siteDir returns a temporary folder holding index.html and x.wasm.
func siteDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html": "<!doctype html><title>Scalewise</title>",
		"x.wasm":     "\x00asm\x01\x00\x00\x00",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestServeBadInput(t *testing.T) {
	empty := t.TempDir()
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"empty dir", []string{"serve", "--dir", empty}, []string{"scalewise serve: ", empty, "has no index.html", "make dist"}},
		{"missing dir", []string{"serve", "--dir", filepath.Join(empty, "nope")}, []string{"has no index.html", "make dist"}},
		{"positional", []string{"serve", "dist"}, []string{"want no arguments, got 1 argument(s): dist"}},
		{"unknown flag", []string{"serve", "--port", "80"}, []string{"flag provided but not defined: -port"}},
		{"bad address", []string{"serve", "--dir", siteDir(t), "--addr", "127.0.0.1:99999"}, []string{"scalewise serve: ", "99999"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdout, _ := wantFail(t, c.args, c.want...)
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func TestSiteHandler(t *testing.T) {
	h := SiteHandler(siteDir(t))
	cases := []struct {
		path        string
		status      int
		contentType string // prefix
		body        string // prefix
	}{
		{"/", http.StatusOK, "text/html", "<!doctype html>"},
		{"/index.html", http.StatusMovedPermanently, "", ""}, // FileServer redirects to "./"
		{"/x.wasm", http.StatusOK, "application/wasm", "\x00asm"},
		{"/missing.js", http.StatusNotFound, "", ""},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, c.path, nil))
			res := rec.Result()
			if res.StatusCode != c.status {
				t.Fatalf("GET %s: status %d, want %d", c.path, res.StatusCode, c.status)
			}
			// net/http drops Cache-Control from error responses (Go 1.23),
			// which is fine: errors are not cached either way.
			if got := res.Header.Get("Cache-Control"); got != "no-cache" && res.StatusCode < 400 {
				t.Errorf("GET %s: Cache-Control %q, want no-cache", c.path, got)
			}
			if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, c.contentType) {
				t.Errorf("GET %s: Content-Type %q, want %s", c.path, got, c.contentType)
			}
			if body := rec.Body.String(); !strings.HasPrefix(body, c.body) {
				t.Errorf("GET %s: body %q, want it to start with %q", c.path, body, c.body)
			}
		})
	}
}

// TestServeListens runs `serve` on a free loopback port, reads the URL it
// prints and fetches the wasm file from it. The server keeps running until
// the test binary exits.
func TestServeListens(t *testing.T) {
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no TCP listener on " + runtime.GOOS)
	}
	dir := siteDir(t)
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"serve", "--addr", "127.0.0.1:0", "--dir", dir}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed %q, then %v; exit %d", line, err, <-done)
	}
	url := regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+/`).FindString(line)
	if url == "" || !strings.Contains(line, "scalewise.html") {
		t.Fatalf("serve printed %q, want its URL and the single-file page", line)
	}
	go io.Copy(io.Discard, pr) // never block the server on stdout
	res, err := http.Get(url + "x.wasm")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/wasm" || res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("GET %sx.wasm: %s, Content-Type %q, Cache-Control %q", url, res.Status, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
	}
}
