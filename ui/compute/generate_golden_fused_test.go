//go:build !((amd64 && !amd64.v3) || wasm)

package compute

// genExactArith reports that this build may fuse x·y + z into one
// rounding (GOAMD64=v3 and above, arm64, …), which changes the bits of a
// trajectory: the checksums of js/wasm's are not compared.
const genExactArith = false
