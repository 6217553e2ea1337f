package main

import (
	"slices"
	"strings"
	"testing"
)

// TestParseHeldOut checks the held-out set that denoise-eval and half
// share: the images per noise level bounded by their pixels, and the noise
// levels.
func TestParseHeldOut(t *testing.T) {
	ss, err := parseHeldOut(4096, 64, defaultEvalSigmas)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0.02, 0.05, 0.1, 0.2, 0.4}; !slices.Equal(ss, want) {
		t.Errorf("sigmas %v, want %v", ss, want)
	}
	if ss, err := parseHeldOut(1, 16, " 1, 0.5"); err != nil || !slices.Equal(ss, []float64{1, 0.5}) {
		t.Errorf("sigmas %v, %v: want 1 and 0.5", ss, err)
	}
	for _, c := range []struct {
		n, size int
		sigmas  string
		want    string
	}{
		{0, 64, "0.1", "--n 0: want 1 to 4096 held-out 64×64 images (at most 16777216 pixels per noise level)"},
		{4097, 64, "0.1", "--n 4097: want 1 to 4096"},
		{65537, 16, "0.1", "--n 65537: want 1 to 65536 held-out 16×16 images"},
		{8, 64, "0.1,2", `--sigmas "0.1,2": bad noise level "2" (want a number in (0, 1])`},
		{8, 64, "0", `bad noise level "0"`},
		{8, 64, "0.1,", `--sigmas "0.1,": "" is not a number`},
		{8, 64, "NaN", `"NaN" is not a finite number`},
	} {
		if _, err := parseHeldOut(c.n, c.size, c.sigmas); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("n=%d size=%d sigmas %q: error %v, want one containing %q", c.n, c.size, c.sigmas, err, c.want)
		}
	}
}
