//go:build (amd64 && !amd64.v3) || wasm

package compute

// genExactArith reports that this build rounds every float operation as
// written, as js/wasm does: amd64 below GOAMD64=v3, where the compiler
// fuses no multiply-add, and wasm itself. The trajectory checksums are
// compared only on such builds.
const genExactArith = true
