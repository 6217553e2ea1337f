package compute

import (
	"bytes"
	"math"
	"testing"

	"scalewise/engine/diffusion"
	"scalewise/engine/field"
	"scalewise/ui/protocol"
)

// genRows decodes a trajectory export into its rows.
func genRows(t *testing.T, b []byte, size int) []genRow {
	t.Helper()
	rows, err := readGenTrajectory(b, size)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// Two runs with the same seed and sample on the two nets of a pair (S1,
// S2) start from the same y₀ (the "y" images of their starts are the same
// bytes) and inject the same noise: in both trajectories y₀ = m + σ₀z₀ and
// every update y_t − y_{t−1} − h_t(x̂ − y_{t−1}) = γ_t z_t with z₀, z₁, …
// the successive draws of diffusion.NewNoise(seed, sample) — the contract
// of the generalisation test (Kadkhodaie et al., ICLR 2024, §2.2) — while
// the samples differ.
func TestGenSharedNoise(t *testing.T) {
	_, reg, _ := genTestSession(t, genNetS1, genNetS2)
	const seed, sample, n = 21, 4, 32 * 32
	kad := diffusion.KadkhodaiePaper()
	type result struct {
		y0     []byte
		points []protocol.GenPoint
		rows   []genRow
	}
	var res []result
	for _, net := range []string{genNetS1, genNetS2} {
		fr, err := genCall(reg, protocol.OpGenStart, GenStartRequest{Net: net, Seed: seed, Sample: sample})
		if err != nil {
			t.Fatal(err)
		}
		_, y0, _ := fr.Image("y")
		vs, _ := genRunToEnd(t, reg, GenStartRequest{Net: net, Seed: seed, Sample: sample}, 50)
		var pts []protocol.GenPoint
		for _, v := range vs {
			pts = append(pts, v.Points...)
		}
		res = append(res, result{bytes.Clone(y0), pts, genRows(t, genExport(t, reg, GenExportRequest{Format: "trajectory"}), 32)})
	}
	if !bytes.Equal(res[0].y0, res[1].y0) {
		t.Error("the two nets start from different y₀")
	}
	a, b := res[0].rows, res[1].rows
	if bytes.Equal(f32bytes(a[len(a)-1].xh), f32bytes(b[len(b)-1].xh)) {
		t.Error("the two nets drew the same sample")
	}
	for k, r := range res {
		noise := diffusion.NewNoise(seed, sample)
		z := make([]float64, n)
		noise.Fill(z)
		for i, v := range z {
			if want := float32(kad.Mean + kad.Sigma0*v); r.rows[0].y[i] != want {
				t.Fatalf("net %d: y₀[%d] = %g, want m + σ₀z₀ = %g", k, i, r.rows[0].y[i], want)
			}
		}
		// Row t holds y_t and x̂(y_{t−1}); the point of t, σ_t and h_t.
		for ti := 1; ti < len(r.rows)-1 && ti < 40; ti++ {
			noise.Fill(z)
			p := r.points[ti-1]
			bb := 1 - kad.Beta*p.StepSize
			gamma := math.Sqrt(bb*bb-(1-p.StepSize)*(1-p.StepSize)) * p.Sigma
			prev, cur := r.rows[ti-1], r.rows[ti]
			worst := 0.0
			for i := range z {
				y0, y1, xh := float64(prev.y[i]), float64(cur.y[i]), float64(cur.xh[i])
				got := (y1 - y0 - p.StepSize*(xh-y0)) / gamma
				worst = math.Max(worst, math.Abs(got-z[i]))
			}
			// float32 rows: |Δy| ≈ 1e-7 against γ ≥ 0.005.
			if worst > 1e-3 {
				t.Fatalf("net %d, t=%d: the injected noise differs from z_t of the stream by %g", k, ti, worst)
			}
		}
	}
}

// f32bytes returns the bytes of float32 values, for comparisons.
func f32bytes(x []float32) []byte {
	var b bytes.Buffer
	if err := writeNPY32(&b, []int{len(x)}, x); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// readNPY decodes an exported .npy file.
func readNPY(t *testing.T, b []byte) *field.Array {
	t.Helper()
	a, err := field.ReadArray(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return a
}
