package compute

import (
	"testing"

	"scalewise/ui/protocol"
)

// valuesOf returns the values of fr, which must be a *V.
func valuesOf[V any](t *testing.T, fr *Frames) *V {
	t.Helper()
	v, ok := fr.Values.(*V)
	if !ok {
		t.Fatalf("values %T, want %T", fr.Values, v)
	}
	return v
}

// scatProgress returns the progress of synthesis start or step values.
func scatProgress(t *testing.T, fr *Frames) *protocol.ScatProgress {
	t.Helper()
	switch v := fr.Values.(type) {
	case *protocol.ScatSynthStartValues:
		return &v.ScatProgress
	case *protocol.ScatSynthStepValues:
		return &v.ScatProgress
	}
	t.Fatalf("values %T are not a synthesis's", fr.Values)
	return nil
}
