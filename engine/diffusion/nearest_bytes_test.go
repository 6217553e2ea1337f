package diffusion

import (
	"math"
	"math/rand/v2"
	"testing"
)

// expandBytes returns the images of data (w×h bytes each) as float images
// padded by pad zeros, with values float64(b)/max: the reference a
// ByteGallery must match.
func expandBytes(data []byte, w, h, pad int, max float64) [][]float64 {
	pw, ph := w+2*pad, h+2*pad
	var out [][]float64
	for off := 0; off+w*h <= len(data); off += w * h {
		im := make([]float64, pw*ph)
		for y := range h {
			for x := range w {
				im[(y+pad)*pw+x+pad] = float64(data[off+y*w+x]) / max
			}
		}
		out = append(out, im)
	}
	return out
}

// TestByteGalleryNearest checks ByteGallery against the float Gallery of
// the expanded, padded images, the brute-force reference: the same
// matches, bit for bit, on random byte images, sparse digit-like ones, a
// zero and a constant image, for queries that are random, a gallery image
// itself, a shifted and a scaled copy, constant and zero.
func TestByteGalleryNearest(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tests := []struct {
		name       string
		w, h, pad  int
		n          int
		sparse     bool
		max        float64
		wantLenErr bool
	}{
		{"mnist-like", 28, 28, 2, 300, true, 255, false},
		{"dense", 8, 6, 1, 200, false, 255, false},
		{"no padding", 5, 5, 0, 50, false, 100, false},
		{"wide padding", 4, 4, 6, 40, true, 255, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := make([]byte, tc.n*tc.w*tc.h)
			for i := range data {
				if !tc.sparse || rng.IntN(4) == 0 {
					data[i] = byte(rng.IntN(256))
				}
			}
			m := tc.w * tc.h
			clear(data[5*m : 6*m]) // a zero image
			for i := 6 * m; i < 7*m; i++ {
				data[i] = 77 // a constant one, not constant once padded
			}
			imgs := expandBytes(data, tc.w, tc.h, tc.pad, tc.max)
			ref, err := NewGallery(len(imgs[0]), imgs)
			if err != nil {
				t.Fatal(err)
			}
			g, err := NewByteGallery(data, tc.w, tc.h, tc.pad, tc.max)
			if err != nil {
				t.Fatal(err)
			}
			if g.Len() != ref.Len() || g.Dim() != len(imgs[0]) {
				t.Fatalf("%d images of %d values, want %d of %d", g.Len(), g.Dim(), ref.Len(), len(imgs[0]))
			}
			dim := g.Dim()
			random := make([]float64, dim)
			for i := range random {
				random[i] = rng.Float64()
			}
			shifted, scaled, constant := make([]float64, dim), make([]float64, dim), make([]float64, dim)
			for i, v := range imgs[11] {
				shifted[i], scaled[i], constant[i] = v+0.3, 2*v, 0.5
			}
			for q, x := range [][]float64{random, imgs[9], shifted, scaled, constant, make([]float64, dim)} {
				wr, wc, err := ref.Nearest(x)
				if err != nil {
					t.Fatal(err)
				}
				gr, gc, err := g.Nearest(x)
				if err != nil {
					t.Fatal(err)
				}
				if gr != wr || gc != wc {
					t.Errorf("query %d: raw %+v centered %+v, the float gallery gives %+v %+v", q, gr, gc, wr, wc)
				}
			}
			if r, _, _ := g.Nearest(imgs[9]); r.Index != 9 || math.Abs(r.Cos-1) > 1e-12 {
				t.Errorf("an image of the gallery finds %+v, want itself", r)
			}
			for _, i := range []int{0, 9, g.Len() - 1} {
				im, err := g.Image(i)
				if err != nil || !equalSlices(im, imgs[i]) {
					t.Errorf("Image(%d) differs from the expanded image (%v)", i, err)
				}
			}
		})
	}
}

// TestByteGalleryErrors checks the refused arguments.
func TestByteGalleryErrors(t *testing.T) {
	tests := []struct {
		name      string
		data      []byte
		w, h, pad int
		max       float64
	}{
		{"empty", nil, 2, 2, 0, 255},
		{"partial image", make([]byte, 7), 2, 2, 0, 255},
		{"zero width", make([]byte, 4), 0, 2, 0, 255},
		{"negative pad", make([]byte, 4), 2, 2, -1, 255},
		{"zero scale", make([]byte, 4), 2, 2, 0, 0},
		{"NaN scale", make([]byte, 4), 2, 2, 0, math.NaN()},
		{"infinite scale", make([]byte, 4), 2, 2, 0, math.Inf(1)},
	}
	for _, tc := range tests {
		if _, err := NewByteGallery(tc.data, tc.w, tc.h, tc.pad, tc.max); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	g, err := NewByteGallery(make([]byte, 8), 2, 2, 1, 255)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := g.Nearest(make([]float64, 4)); err == nil {
		t.Error("a sample of the unpadded size accepted")
	}
	if _, err := g.Image(2); err == nil {
		t.Error("Image out of range accepted")
	}
}

// BenchmarkByteGalleryNearest searches 30,000 MNIST-sized digits (the
// largest training set of the sweep) for a 32×32 sample.
func BenchmarkByteGalleryNearest(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	data := make([]byte, 30000*28*28)
	for i := range data {
		if rng.IntN(5) == 0 {
			data[i] = byte(rng.IntN(256))
		}
	}
	x := make([]float64, 32*32)
	for i := range x {
		x[i] = rng.Float64()
	}
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			if _, err := NewByteGallery(data, 28, 28, 2, 255); err != nil {
				b.Fatal(err)
			}
		}
	})
	g, err := NewByteGallery(data, 28, 28, 2, 255)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("nearest", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := g.Nearest(x); err != nil {
				b.Fatal(err)
			}
		}
	})
}
