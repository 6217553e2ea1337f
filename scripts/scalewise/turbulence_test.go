package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"scalewise/engine/field"
)

// turbTestArgs is a small run: 4 snapshots of 32² from two runs, a short
// pilot and a fixed spacing of 2 turnovers (the measured one at 32² is
// about 4.4 T and needs a longer pilot).
func turbTestArgs(out, work string) []string {
	return []string{"turbulence", "--size", "32", "--n", "4", "--seed", "3", "--pilot", "4", "--spacing", "2",
		"--work", work, "--out", out}
}

// TestTurbulenceResume: an uninterrupted run writes a (4, 32, 32) float32
// stack of standardised snapshots and a sidecar, and leaves nothing in the
// work folder; a run stopped after its first spin-up, after its first
// snapshot and in its second run, then finished by the same command,
// writes the same bytes and the same measurements. A checkpoint of another
// configuration is refused; a finished output is not made again.
func TestTurbulenceResume(t *testing.T) {
	dir := t.TempDir()
	outA, workA := filepath.Join(dir, "a.npy"), filepath.Join(dir, "workA")
	_, stderr := mustRun(t, turbTestArgs(outA, workA)...)
	if !strings.Contains(stderr, "spin-up") || !strings.Contains(stderr, "pilot") {
		t.Errorf("no progress shown:\n%s", stderr)
	}
	arr, err := field.ReadArrayFile(outA)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(arr.Shape, []int{4, 32, 32}) || arr.DType != field.Float32 {
		t.Fatalf("shape %v, dtype %v; want (4, 32, 32) float32", arr.Shape, arr.DType)
	}
	fs, _ := arr.Fields()
	for i, f := range fs {
		if m, sd := field.MeanStd(f.Data); math.Abs(m) > 1e-5 || math.Abs(sd-1) > 1e-5 {
			t.Errorf("snapshot %d: mean %v, std %v; want standardised", i, m, sd)
		}
	}
	if entries, _ := os.ReadDir(workA); len(entries) != 0 {
		t.Errorf("work folder not empty after landing: %v", entries)
	}
	statsA := readTurbStats(t, filepath.Join(dir, "a.json"))
	if statsA.Split.Fit != [2]int{0, 2} || statsA.Split.HeldOut != [2]int{2, 4} || !reflect.DeepEqual(statsA.RunStart, []int{0, 2}) {
		t.Errorf("split %+v, run starts %v", statsA.Split, statsA.RunStart)
	}
	if statsA.SpacingTurnovers != 2 || statsA.Successive.Pairs != 2 || len(statsA.Pilot.Vorticity) != 17 ||
		statsA.Times[1]-statsA.Times[0] < statsA.Spacing || statsA.Times[3]-statsA.Times[2] < statsA.Spacing {
		t.Errorf("spacing %v T (Δ = %v), %d successive pairs, %d pilot lags, times %v",
			statsA.SpacingTurnovers, statsA.Spacing, statsA.Successive.Pairs, len(statsA.Pilot.Vorticity), statsA.Times)
	}

	// Stopped three times, then finished by the command line.
	outB, workB := filepath.Join(dir, "b.npy"), filepath.Join(dir, "workB")
	c := turbConfig{Size: 32, N: 4, Seed: 3, Runs: 2, Threshold: 0.1, Pilot: 4, Spacing: 2}
	for _, k := range []int{0, 1, 3} {
		o := turbOptions{work: workB, every: time.Hour, stopAfter: k}
		if err := makeTurbulence(c, outB, o, io.Discard, io.Discard); !errors.Is(err, errTurbStopped) {
			t.Fatalf("stop after %d snapshots: %v", k, err)
		}
		ck, err := loadTurbCheckpoint(filepath.Join(workB, "b.ckpt"))
		if err != nil || ck.done(32) != k {
			t.Fatalf("checkpoint after stopping at %d: %v snapshots, %v", k, ck.done(32), err)
		}
		wantNoFile(t, outB)
		if k == 0 {
			// A checkpoint of another configuration is refused.
			other := c
			other.Seed = 4
			if err := makeTurbulence(other, outB, o, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--fresh") {
				t.Errorf("checkpoint of seed 3 used for seed 4: %v", err)
			}
		}
	}
	_, stderr = mustRun(t, turbTestArgs(outB, workB)...)
	if !strings.Contains(stderr, "resuming") {
		t.Errorf("the last run did not resume:\n%s", stderr)
	}
	a, _ := os.ReadFile(outA)
	b, _ := os.ReadFile(outB)
	if !bytes.Equal(a, b) {
		t.Error("the resumed run's snapshots differ from the uninterrupted run's")
	}
	statsB := readTurbStats(t, filepath.Join(dir, "b.json"))
	for _, s := range []*turbStats{&statsA, &statsB} {
		s.WallSeconds, s.SpinUpSeconds, s.PilotSeconds, s.SampleSeconds, s.SecondsPerSnap, s.Command = 0, 0, 0, 0, 0, ""
	}
	if !reflect.DeepEqual(statsA, statsB) {
		t.Errorf("the resumed run's sidecar differs:\n%+v\n%+v", statsA, statsB)
	}

	// Finished: the same command does nothing.
	before, _ := os.Stat(outA)
	stdout, _ := mustRun(t, turbTestArgs(outA, workA)...)
	if after, _ := os.Stat(outA); !strings.Contains(stdout, "up to date") || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("a finished output was made again: %q", stdout)
	}

}

func readTurbStats(t *testing.T, path string) turbStats {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s turbStats
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTurbulenceBadFlags: every bad flag is refused with an error that
// names it, before anything is simulated or written.
func TestTurbulenceBadFlags(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.npy")
	work := filepath.Join(dir, "work")
	base := []string{"turbulence", "--work", work, "--out", out}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--size", "16"}, "--size 16"},
		{[]string{"--size", "33"}, "must be even"},
		{[]string{"--size", "512"}, "--size 512: want 16 to 256"},
		{[]string{"--n", "1"}, "--n 1: want at least 2"},
		{[]string{"--n", "100000000"}, "--n 100000000"},
		{[]string{"--runs", "0"}, "--runs 0"},
		{[]string{"--n", "4", "--runs", "5"}, "--runs 5: want 1 to 4"},
		{[]string{"--threshold", "0"}, "--threshold 0"},
		{[]string{"--threshold", "1"}, "--threshold 1"},
		{[]string{"--threshold", "NaN"}, "--threshold NaN: not a finite number"},
		{[]string{"--pilot", "1"}, "--pilot 1"},
		{[]string{"--spacing", "0.05"}, "--spacing 0.05"},
		{[]string{"--spacing", "20"}, "min(--pilot/2, 16) = 16"},
		{[]string{"--pilot", "8", "--spacing", "5"}, "min(--pilot/2, 16) = 4"},
		{[]string{"--spacing", "-1"}, "--spacing -1"},
		{[]string{"--checkpoint-every", "-1"}, "--checkpoint-every -1"},
		{[]string{"--work", ""}, "--work"},
		{[]string{"--out", filepath.Join(dir, "x.png")}, "must end in .npy"},
		{[]string{"--out", filepath.Join(dir, "no", "x.npy")}, "does not exist"},
		{[]string{"--out", ""}, "--out is required"},
		{[]string{"extra"}, "want no arguments"},
		{[]string{"--size", "big"}, "invalid value"},
	}
	for _, c := range cases {
		wantFail(t, append(append([]string{}, base...), c.args...), c.want)
	}
	wantNoFile(t, out)
	wantNoFile(t, work)
}
