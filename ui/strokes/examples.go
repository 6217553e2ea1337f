package strokes

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Examples names the example drawings of the Draw & denoise scene.
var Examples = [...]string{"closed blob", "wave across", "spiral", "random curve"}

// Example returns example k on a size×size canvas: a closed blob
// r(θ) = r0(1 + 0.25 cos 3θ + 0.15 sin 2θ), a wave crossing the image, an
// Archimedean spiral, or (k = 3) a random smooth closed curve from seed (a
// radius with a few random Fourier harmonics of decaying amplitude).
func Example(k int, seed uint64, size int) ([][]XY, error) {
	if size < 8 {
		return nil, fmt.Errorf("example drawing: size %d too small", size)
	}
	c := float64(size) / 2
	var pts []XY
	switch k {
	case 0:
		for i := 0; i <= 160; i++ {
			t := 2 * math.Pi * float64(i) / 160
			r := 0.32 * float64(size) * (1 + 0.25*math.Cos(3*t) + 0.15*math.Sin(2*t))
			pts = append(pts, XY{c + r*math.Cos(t), c + r*math.Sin(t)})
		}
	case 1:
		for i := 0; i <= 160; i++ {
			x := float64(size) * float64(i) / 160
			y := c + 0.16*float64(size)*math.Sin(2*math.Pi*x/(0.65*float64(size))) + 0.06*float64(size)*math.Sin(2*math.Pi*x/(0.27*float64(size)))
			pts = append(pts, XY{x, y})
		}
	case 2:
		for i := 0; i <= 240; i++ {
			t := 5 * math.Pi * float64(i) / 240
			r := 0.02*float64(size) + 0.027*float64(size)*t
			pts = append(pts, XY{c + r*math.Cos(t), c + r*math.Sin(t)})
		}
	case 3:
		rng := rand.New(rand.NewPCG(seed, 0x5ca1e))
		var a, b [6]float64
		for h := 1; h < 6; h++ {
			s := 0.22 / float64(h)
			a[h], b[h] = s*rng.NormFloat64(), s*rng.NormFloat64()
		}
		cx := c + 0.1*float64(size)*rng.NormFloat64()
		cy := c + 0.1*float64(size)*rng.NormFloat64()
		for i := 0; i <= 200; i++ {
			t := 2 * math.Pi * float64(i) / 200
			r := 1.0
			for h := 1; h < 6; h++ {
				r += a[h]*math.Cos(float64(h)*t) + b[h]*math.Sin(float64(h)*t)
			}
			r = 0.3 * float64(size) * math.Max(0.3, r)
			x := math.Max(0, math.Min(float64(size), cx+r*math.Cos(t)))
			y := math.Max(0, math.Min(float64(size), cy+r*math.Sin(t)))
			pts = append(pts, XY{x, y})
		}
	default:
		return nil, fmt.Errorf("example drawing %d does not exist (0 … %d)", k, len(Examples)-1)
	}
	return [][]XY{pts}, nil
}
