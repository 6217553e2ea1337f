package compute

import (
	"bytes"
	"testing"

	"scalewise/ui/protocol"
)

// A grid of N samples has ⌈√N⌉ columns of 32×32 cells 2 pixels apart,
// reports progress after every sample, and its cell i is the sample a run
// with Sample = i draws, pixel for pixel.
func TestGenGrid(t *testing.T) {
	_, reg, _ := genTestSession(t, genNetS1)
	tests := []struct {
		req        GenGridRequest
		cols, rows int
	}{
		{GenGridRequest{Net: genNetS1, N: 5, Seed: 4, Sampler: GenReverseSDE, Steps: 12}, 3, 2},
		{GenGridRequest{Net: genNetS1, N: 1, Seed: 4}, 1, 1},
		{GenGridRequest{Net: genNetS1, N: 4, Seed: 9, Size: 16, Sampler: GenReverseSDE, Steps: 5}, 2, 2},
	}
	for _, tc := range tests {
		var reports []int
		fr, err := reg.Call(protocol.OpGenGrid, genJSON(t, tc.req), func(done, total int, _ string) {
			if total != tc.req.N {
				t.Errorf("progress of %d", total)
			}
			reports = append(reports, done)
		})
		if err != nil {
			t.Fatal(err)
		}
		hdr, err := fr.Header()
		if err != nil {
			t.Fatal(err)
		}
		h, err := decodeStrict[protocol.GenGridValues](hdr)
		if err != nil {
			t.Fatal(err)
		}
		v := h.Values
		size := tc.req.Size
		if size == 0 {
			size = DefaultGenSize
		}
		if v.Kind != protocol.KindGrid || v.N != tc.req.N || v.Cols != tc.cols || v.Size != size || len(v.Iterations) != tc.req.N || v.Net.Set != "s1" {
			t.Errorf("values %+v", v)
		}
		if len(reports) != tc.req.N+1 || reports[tc.req.N] != tc.req.N {
			t.Errorf("progress %v", reports)
		}
		im, pix, ok := fr.Image("grid")
		if !ok || im.W != tc.cols*size+(tc.cols-1)*genGridGap || im.H != tc.rows*size+(tc.rows-1)*genGridGap {
			t.Fatalf("grid image %+v", im)
		}
		// Cell N−1 against the run of that sample.
		i := tc.req.N - 1
		start := GenStartRequest{Net: tc.req.Net, Seed: tc.req.Seed, Sample: uint64(i), Sampler: tc.req.Sampler, Steps: tc.req.Steps, Size: tc.req.Size}
		vs, last := genRunToEnd(t, reg, start, 50)
		if vs[len(vs)-1].T != v.Iterations[i] {
			t.Errorf("sample %d: %d iterations, the run %d", i, v.Iterations[i], vs[len(vs)-1].T)
		}
		_, want, _ := last.Image("sample")
		x0, y0 := (i%tc.cols)*(size+genGridGap), (i/tc.cols)*(size+genGridGap)
		for y := range size {
			got := pix[4*((y0+y)*im.W+x0) : 4*((y0+y)*im.W+x0+size)]
			if !bytes.Equal(got, want[4*y*size:4*(y+1)*size]) {
				t.Fatalf("grid %+v: row %d of cell %d differs from the run's sample", tc.req, y, i)
			}
		}
	}
}
