package compute

import (
	"bytes"
	"image/gif"
	"image/png"
	"math"
	"strings"
	"testing"

	"scalewise/engine/field"
	"scalewise/ui/protocol"
)

// The exports of a finished run, alone and with its partner's trajectory
// put as a blob: "npy" holds the sample(s) as float32 [k, 32, 32],
// "trajectory" the rows [T+1, 2, 32, 32] (x̂ zero at t = 0, the sample in
// the last row), "png" the samples above the nearest training image
// (×4), "gif" the animated trajectories side by side, min(T+1, 120)
// frames.
func TestGenExport(t *testing.T) {
	_, reg, blobs := genTestSession(t, genNetS1, genNetS2)
	vs2, _ := genRunToEnd(t, reg, GenStartRequest{Net: genNetS2, Seed: 2}, 50)
	partner := genExport(t, reg, GenExportRequest{Format: "trajectory"})
	if err := blobs.Store("partner", partner); err != nil {
		t.Fatal(err)
	}
	vs, last := genRunToEnd(t, reg, GenStartRequest{Net: genNetS1, Train: genTestTrain, Seed: 2}, 50)
	T, T2 := vs[len(vs)-1].T, vs2[len(vs2)-1].T
	sample, _ := protocol.Series(last.Images, last.Bytes(), "sample_values")
	prows := genRows(t, partner, 32)
	cell := 32 * genScale(32)
	tests := []struct {
		req   GenExportRequest
		check func(t *testing.T, b []byte)
	}{
		{GenExportRequest{Format: "npy"}, func(t *testing.T, b []byte) {
			a := readNPY(t, b)
			if !equalInts(a.Shape, []int{1, 32, 32}) || a.DType != field.Float32 {
				t.Fatalf("shape %v dtype %v", a.Shape, a.DType)
			}
			for i, v := range sample {
				if a.Data[i] != v {
					t.Fatalf("npy[%d] = %g, the sample %g", i, a.Data[i], v)
				}
			}
		}},
		{GenExportRequest{Format: "npy", Partner: "partner"}, func(t *testing.T, b []byte) {
			a := readNPY(t, b)
			if !equalInts(a.Shape, []int{2, 32, 32}) {
				t.Fatalf("shape %v", a.Shape)
			}
			for i, v := range prows[len(prows)-1].xh {
				if a.Data[1024+i] != float64(v) {
					t.Fatalf("npy[1, %d] = %g, the partner's sample %g", i, a.Data[1024+i], v)
				}
			}
		}},
		{GenExportRequest{Format: "trajectory"}, func(t *testing.T, b []byte) {
			a := readNPY(t, b)
			if !equalInts(a.Shape, []int{T + 1, 2, 32, 32}) {
				t.Fatalf("shape %v, want [%d 2 32 32]", a.Shape, T+1)
			}
			for i := range 1024 {
				if a.Data[1024+i] != 0 || a.Data[len(a.Data)-1024+i] != sample[i] {
					t.Fatalf("x̂ of row 0 is not 0 or x̂ of the last row is not the sample")
				}
			}
		}},
		{GenExportRequest{Format: "png"}, func(t *testing.T, b []byte) {
			im, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if r := im.Bounds(); r.Dx() != cell || r.Dy() != 2*cell+genExportGap {
				t.Errorf("png %v", r)
			}
		}},
		{GenExportRequest{Format: "png", Partner: "partner"}, func(t *testing.T, b []byte) {
			im, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if r := im.Bounds(); r.Dx() != 2*cell+genExportGap || r.Dy() != 2*cell+genExportGap {
				t.Errorf("png %v", r)
			}
		}},
		{GenExportRequest{Format: "gif", Show: "xhat"}, func(t *testing.T, b []byte) {
			g, err := gif.DecodeAll(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if len(g.Image) != min(T+1, genGIFMaxFrames) || g.Config.Width != cell || g.Config.Height != cell {
				t.Errorf("%d frames of %d×%d, want %d of %d²", len(g.Image), g.Config.Width, g.Config.Height, min(T+1, genGIFMaxFrames), cell)
			}
		}},
		{GenExportRequest{Format: "gif", Partner: "partner"}, func(t *testing.T, b []byte) {
			g, err := gif.DecodeAll(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			want := min(max(T, T2)+1, genGIFMaxFrames)
			if len(g.Image) != want || g.Config.Width != 2*cell+genExportGap || g.Config.Height != cell {
				t.Errorf("%d frames of %d×%d, want %d", len(g.Image), g.Config.Width, g.Config.Height, want)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.req.Format+"/"+tc.req.Partner+tc.req.Show, func(t *testing.T) {
			tc.check(t, genExport(t, reg, tc.req))
		})
	}
}

// A long trajectory is thinned past its cap, keeping its first and last
// rows, and a GIF of it has genGIFMaxFrames frames.
func TestGenTrajectoryCap(t *testing.T) {
	tr := newGenTrajectory(4)
	tr.max = 10
	y := make([]float64, 4)
	for it := 0; it <= 100; it++ {
		y[0] = float64(it)
		tr.record(it, y, y)
	}
	tr.finish(100, y, y)
	rows := tr.rows
	if len(rows) > 11 || rows[0].t != 0 || rows[len(rows)-1].t != 100 || rows[len(rows)-1].y[0] != 100 {
		t.Fatalf("%d rows, t from %d to %d", len(rows), rows[0].t, rows[len(rows)-1].t)
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].t <= rows[i-1].t || float64(rows[i].t) != float64(rows[i].y[0]) {
			t.Fatalf("rows out of order at %d: t=%d after %d", i, rows[i].t, rows[i-1].t)
		}
	}
	if n := newGenTrajectory(32 * 32).max; n != genTrajRows {
		t.Errorf("a 32×32 run keeps %d rows, want %d", n, genTrajRows)
	}
	if n := newGenTrajectory(128 * 128).max; n*2*128*128*4 > genTrajBytes {
		t.Errorf("a 128×128 run keeps %d rows: over %d bytes", n, genTrajBytes)
	}
}

// Bad exports are refused with a message: before a run, before its end,
// an unknown format or show, a missing partner, and a partner that is not
// a trajectory of the run's size.
func TestGenExportErrors(t *testing.T) {
	_, reg, blobs := genTestSession(t, genNetS1)
	if _, err := genCall(reg, protocol.OpGenExport, GenExportRequest{Format: "npy"}); err == nil || !strings.Contains(err.Error(), "nothing to export") {
		t.Errorf("export without a run: %v", err)
	}
	if _, err := genCall(reg, protocol.OpGenStart, GenStartRequest{Net: genNetS1}); err != nil {
		t.Fatal(err)
	}
	if _, err := genCall(reg, protocol.OpGenExport, GenExportRequest{Format: "npy"}); err == nil || !strings.Contains(err.Error(), "step the run") {
		t.Errorf("export before the end: %v", err)
	}
	genRunToEnd(t, reg, GenStartRequest{Net: genNetS1}, 50)
	var small bytes.Buffer
	if err := writeNPY32(&small, []int{1, 32, 32}, make([]float32, 1024)); err != nil {
		t.Fatal(err)
	}
	var other bytes.Buffer
	if err := writeNPY32(&other, []int{3, 2, 16, 16}, make([]float32, 3*2*256)); err != nil {
		t.Fatal(err)
	}
	var nan bytes.Buffer
	vals := make([]float32, 2*1024)
	vals[5] = float32(math.NaN())
	if err := writeNPY32(&nan, []int{1, 2, 32, 32}, vals); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"small": small.Bytes(), "other": other.Bytes(), "nan": nan.Bytes(), "junk": []byte("not an npy file"),
		"truncated": other.Bytes()[:200]} {
		if err := blobs.Store(name, b); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		req  GenExportRequest
		want string
	}{
		{GenExportRequest{Format: "jpeg"}, "unknown export format"},
		{GenExportRequest{Format: ""}, "unknown export format"},
		{GenExportRequest{Format: "gif", Show: "noise"}, "show="},
		{GenExportRequest{Format: "npy", Partner: "absent"}, "was not put"},
		{GenExportRequest{Format: "npy", Partner: "small"}, "shape [1 32 32] is not a trajectory"},
		{GenExportRequest{Format: "gif", Partner: "other"}, "is not a trajectory of 32×32"},
		{GenExportRequest{Format: "npy", Partner: "nan"}, "non-finite"},
		{GenExportRequest{Format: "npy", Partner: "junk"}, "npy"},
		{GenExportRequest{Format: "npy", Partner: "truncated"}, "truncated"},
		{GenExportRequest{Format: "trajectory", Partner: "small"}, "partner"},
	}
	for _, tc := range tests {
		_, err := genCall(reg, protocol.OpGenExport, tc.req)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.req, err, tc.want)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A GIF of a long trajectory is subsampled to genGIFMaxFrames frames, the
// first showing row 0 and the last the last row.
func TestGenGIFFrames(t *testing.T) {
	const n = 16
	g := &genRun{spec: genSpec{size: n}, traj: newGenTrajectory(n * n)}
	y := make([]float64, n*n)
	for it := 0; it < 301; it++ {
		y[0] = float64(it) / 300
		g.traj.record(it, y, y)
	}
	var b bytes.Buffer
	if err := g.writeGIF(&b, g.traj.rows[:50], true, nil); err != nil {
		t.Fatal(err)
	}
	a, err := gif.DecodeAll(&b)
	if err != nil {
		t.Fatal(err)
	}
	cell := n * genScale(n)
	if len(a.Image) != genGIFMaxFrames || a.Config.Width != 2*cell+genExportGap {
		t.Fatalf("%d frames of width %d", len(a.Image), a.Config.Width)
	}
	first, last := a.Image[0], a.Image[len(a.Image)-1]
	// Each image is shown over [0, its maximum] (genWhite): the first
	// row is all 0 (black); in the last frame pixel 0 is each image's
	// maximum (white), 1 on the left and 49/300 in the partner's row 49.
	if first.ColorIndexAt(0, 0) != 0 || last.ColorIndexAt(0, 0) != 255 || last.ColorIndexAt(cell+genExportGap, 0) != 255 || last.ColorIndexAt(genScale(n), 0) != 0 {
		t.Errorf("first frame %d, last %d and %d", first.ColorIndexAt(0, 0), last.ColorIndexAt(0, 0), last.ColorIndexAt(cell+genExportGap, 0))
	}
}
