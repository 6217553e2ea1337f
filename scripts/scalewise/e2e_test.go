package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"scalewise/engine/field"
)

// TestBinary builds the real command with `go build` and runs it as a
// process, checking exit statuses and the split between stdout and stderr.
func TestBinary(t *testing.T) {
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("cannot build or run processes on " + runtime.GOOS)
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "scalewise")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command(gobin, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	bad := filepath.Join(dir, "bad.npy")
	if err := os.WriteFile(bad, []byte("not numpy at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := writeArray(t, dir, "good.npy", randomArray(11, 32, 32), field.Float32)
	cases := []struct {
		name       string
		args       []string
		code       int
		wantStdout string
		wantStderr []string
		noFile     string
	}{
		{"dwt bad file", []string{"dwt", bad, filepath.Join(dir, "out1.npy")}, 2, "",
			[]string{"scalewise dwt: ", "bad.npy", "not a .npy file"}, filepath.Join(dir, "out1.npy")},
		{"dwt missing file", []string{"dwt", filepath.Join(dir, "none.npy"), filepath.Join(dir, "out2.npy")}, 2, "",
			[]string{"scalewise dwt: ", "none.npy"}, filepath.Join(dir, "out2.npy")},
		{"dwt good file", []string{"dwt", good, filepath.Join(dir, "out3.npy"), "--levels", "2"}, 0, "", nil, ""},
		{"no command", nil, 2, "", []string{"usage: scalewise"}, ""},
		{"unknown command", []string{"nope"}, 2, "", []string{`unknown command "nope"`}, ""},
		{"version", []string{"version"}, 0, "scalewise " + Version, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(bin, c.args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != c.code {
				t.Fatalf("exit status %d, want %d; stderr:\n%s", code, c.code, stderr.String())
			}
			if !strings.HasPrefix(stdout.String(), c.wantStdout) || (c.wantStdout == "" && stdout.Len() > 0) {
				t.Errorf("stdout %q, want %q", stdout.String(), c.wantStdout)
			}
			for _, w := range c.wantStderr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr does not contain %q:\n%s", w, stderr.String())
				}
			}
			if c.code == 0 && stderr.Len() > 0 {
				t.Errorf("stderr %q, want nothing", stderr.String())
			}
			if c.noFile != "" {
				wantNoFile(t, c.noFile)
			}
		})
	}
}
