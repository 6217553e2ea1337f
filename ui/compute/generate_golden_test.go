package compute

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var genUpdate = flag.Bool("update", false, "rewrite testdata/generate_trajectory.sha256 from this run")

// genGoldenPath holds the SHA-256 of the trajectory exports of fixed runs.
var genGoldenPath = filepath.Join("testdata", "generate_trajectory.sha256")

// genGoldenRuns are the fixed runs of the checksums: both samplers, both
// nets of a pair.
var genGoldenRuns = []struct {
	name string
	req  GenStartRequest
}{
	{"s1-paper", GenStartRequest{Net: genNetS1, Seed: 11, Sample: 3}},
	{"s2-paper", GenStartRequest{Net: genNetS2, Seed: 11, Sample: 3}},
	{"s1-sde20", GenStartRequest{Net: genNetS1, Seed: 5, Sampler: GenReverseSDE, Steps: 20}},
}

// genTrajectoryOf runs req to its end and returns its trajectory export.
func genTrajectoryOf(t *testing.T, reg *Registry, req GenStartRequest) []byte {
	t.Helper()
	genRunToEnd(t, reg, req, 50)
	return genExport(t, reg, GenExportRequest{Format: "trajectory"})
}

// The same request gives the same trajectory, bit for bit: twice in one
// session, and in a fresh one.
func TestGenDeterministic(t *testing.T) {
	_, reg, _ := genTestSession(t, genNetS1)
	_, fresh, _ := genTestSession(t, genNetS1)
	req := GenStartRequest{Net: genNetS1, Seed: 3, Sample: 1}
	a := genTrajectoryOf(t, reg, req)
	b := genTrajectoryOf(t, reg, req)
	c := genTrajectoryOf(t, fresh, req)
	if !bytes.Equal(a, b) || !bytes.Equal(a, c) {
		t.Error("the same request gave different trajectories")
	}
	req.Sample = 2
	if bytes.Equal(a, genTrajectoryOf(t, reg, req)) {
		t.Error("another sample gave the same trajectory")
	}
}

// The same seed gives the same trajectory natively and in wasm: the
// SHA-256 of the trajectory exports of fixed runs, on the scalar kernels
// (wasm's; the AVX2 kernels round differently) and one goroutine, match
// testdata/generate_trajectory.sha256 (go test -run TestGenGolden -update
// rewrites it). Builds that fuse multiply-adds (GOAMD64=v3, arm64) round
// differently and skip the comparison.
func TestGenGolden(t *testing.T) {
	_, reg, _ := genTestSession(t, genNetS1, genNetS2)
	var got strings.Builder
	for _, g := range genGoldenRuns {
		sum := sha256.Sum256(genTrajectoryOf(t, reg, g.req))
		fmt.Fprintf(&got, "%s %s\n", g.name, hex.EncodeToString(sum[:]))
	}
	if !genExactArith {
		t.Skipf("%s/%s fuses multiply-adds: its trajectories are not wasm's, bit for bit", runtime.GOOS, runtime.GOARCH)
	}
	if *genUpdate {
		if err := os.WriteFile(genGoldenPath, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(genGoldenPath)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("%s/%s: trajectory checksums\n%s want (%s)\n%s", runtime.GOOS, runtime.GOARCH, got.String(), genGoldenPath, want)
	}
}
