package rg

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestSampleTiming times single samples of the model named by
// RG_TIME_MODEL (skipped without it), on one goroutine, as the page draws
// them: natively, or under js/wasm with
// GOOS=js GOARCH=wasm go test -run TestSampleTiming (Node). RG_TIME_N sets
// the number of samples (default 2).
func TestSampleTiming(t *testing.T) {
	path := os.Getenv("RG_TIME_MODEL")
	if path == "" {
		t.Skip("RG_TIME_MODEL not set")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ReadModel(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	n := 2
	if v := os.Getenv("RG_TIME_N"); v != "" {
		if _, err := fmt.Sscan(v, &n); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		t0 := time.Now()
		s, err := m.NewSampler(SampleOptions{Seed: uint64(i + 1)})
		if err != nil {
			t.Fatal(err)
		}
		per := make([]time.Duration, len(m.Scales))
		for !s.Done() {
			k, _, _ := s.Phase()
			t1 := time.Now()
			s.Step(25)
			if k < len(per) {
				per[k] += time.Since(t1)
			}
		}
		if s.Err() != nil {
			t.Fatal(s.Err())
		}
		var line string
		for k, d := range per {
			line += " " + strconv.Itoa(m.Scales[k].Grid) + "²:" + strconv.Itoa(m.Scales[k].Steps) + "/" + d.Round(time.Millisecond).String()
		}
		t.Logf("sample %d: %.2f s (grid: steps/time%s)", i, time.Since(t0).Seconds(), line)
	}
}
