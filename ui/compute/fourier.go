package compute

import (
	"math"
	"scalewise/ui/layout"

	"scalewise/engine/wavelet"
)

// levelColor returns a distinct colour for wavelet level l (1 … J) and for
// the low-pass x_J (l = J+1), on a hue circle.
func levelColor(l, J int) [3]float64 {
	h := float64(l-1) / float64(J+1)
	return layout.HSV(h, 0.75, 1)
}

// FourierRGBA paints the frequency plane [−π, π)² (zero frequency at the
// centre) by the share of each band's energy at every frequency: each
// frequency ω gets Σ_b share_b(ω)·colour_b, where the shares of an
// orthonormal basis sum to one. At scale j the detail bands x̄_j are shown at
// full brightness, the space of x_j (coarser levels and the low-pass) at
// medium brightness, and the finer details that x_j has dropped are dark —
// the dyadic subdivision of the Fourier plane by the wavelet transform
// (Mallat, A Wavelet Tour, §7.7.2). The three bands of one level differ in
// hue (H and V either side of the level's hue, D paler).
func FourierRGBA(bm *wavelet.BandMap, j int) []byte {
	n, J := bm.N, bm.Levels
	out := make([]byte, 4*n*n)
	type band struct {
		share []float64
		col   [3]float64
	}
	var bands []band
	for l := 1; l <= J; l++ {
		weight := 0.55
		switch {
		case l < j:
			weight = 0.12
		case l == j:
			weight = 1
		}
		for b := 0; b < 3; b++ {
			// H, V, D of one level: the level's hue shifted apart, D paler.
			h := float64(l-1)/float64(J+1) + []float64{-0.05, 0.05, 0}[b]
			c := layout.HSV(h, []float64{0.85, 0.85, 0.45}[b], weight)
			bands = append(bands, band{bm.Share[l][b], c})
		}
	}
	{
		c := levelColor(J+1, J)
		weight := 0.55
		if j == J {
			weight = 1
		}
		bands = append(bands, band{bm.Share[J][3], [3]float64{c[0] * weight, c[1] * weight, c[2] * weight}})
	}
	for py := 0; py < n; py++ {
		ky := (py + n/2) % n
		for px := 0; px < n; px++ {
			kx := (px + n/2) % n
			k := ky*n + kx
			var rgb [3]float64
			for _, b := range bands {
				s := b.share[k]
				rgb[0] += s * b.col[0]
				rgb[1] += s * b.col[1]
				rgb[2] += s * b.col[2]
			}
			o := 4 * (py*n + px)
			for c := 0; c < 3; c++ {
				out[o+c] = uint8(math.Round(255 * math.Min(1, math.Max(0, rgb[c]))))
			}
			out[o+3] = 255
		}
	}
	return out
}
