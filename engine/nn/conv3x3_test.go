package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestConv3x3MatchesReference(t *testing.T) {
	cases := []struct{ n, cin, cout, h, w int }{
		{1, 1, 1, 1, 1},
		{1, 1, 8, 5, 7},
		{2, 3, 9, 4, 6},
		{3, 8, 17, 7, 3},
		{1, 16, 8, 33, 20}, // several tiles
		{2, 5, 1, 2, 40},
		{2, 7, 13, 9, 11},   // groups of four plus three left over; position tails
		{1, 20, 12, 16, 16}, // full groups only
	}
	for _, ops := range kernelOps(t, 1, 3) {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/w%d/%dx%d->%d/%dx%d", ops.Kernels(), ops.Workers(), c.n, c.cin, c.cout, c.h, c.w), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(1, uint64(c.cin*100+c.cout)))
				x := randTensor(rng, c.n, c.cin, c.h, c.w)
				w := randSlice(rng, c.cout*c.cin*9, 1)
				dst := NewTensor(c.n, c.cout, c.h, c.w)
				for i := range dst.Data {
					dst.Data[i] = 99 // must be overwritten
				}
				if err := ops.Conv3x3(dst, x, w); err != nil {
					t.Fatal(err)
				}
				checkClose(t, "conv", dst.Data, refConv3x3(x, w, c.cout), 1e-5)
			})
		}
		ops.Close()
	}
}

func TestConv3x3ShapeErrors(t *testing.T) {
	ops := NewOps(1)
	x := NewTensor(1, 2, 4, 4)
	cases := []struct {
		name string
		dst  *Tensor
		w    []float32
	}{
		{"weights", NewTensor(1, 3, 4, 4), make([]float32, 5)},
		{"spatial", NewTensor(1, 3, 4, 5), make([]float32, 54)},
		{"batch", NewTensor(2, 3, 4, 4), make([]float32, 54)},
		{"nil", nil, make([]float32, 54)},
	}
	for _, c := range cases {
		if err := ops.Conv3x3(c.dst, x, c.w); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
