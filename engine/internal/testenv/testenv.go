// Package testenv holds what the engine's tests share about where they
// run.
package testenv

import (
	"runtime"
	"testing"
)

// SkipStatisticalOnWasm skips a long statistical or end-to-end test under
// js/wasm, where Node runs it several times slower than native code: the
// same portable code runs natively (make test-native), and each package's
// exactness tests (gradients, invariants, small exact cases) run on both.
func SkipStatisticalOnWasm(t testing.TB) {
	t.Helper()
	if runtime.GOARCH == "wasm" {
		t.Skip("a long statistical test: it runs natively; the exactness tests run under wasm too")
	}
}
