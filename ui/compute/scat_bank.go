package compute

import (
	"math"
	"scalewise/ui/layout"

	"scalewise/engine/wavelet"
)

// scatBankRGBA paints the frequency plane [−π, π)² (zero frequency at the
// centre, ω_y downwards like the image rows) by the energy of each filter,
// (|ψ̂_{j,ℓ}(ω)|² + |ψ̂_{j,ℓ}(−ω)|²)/2, coloured by orientation ℓ (or
// scale j), with the low-pass |φ̂_J|² in grey; brightness follows the
// square root of the Littlewood–Paley sum. The selected ψ_{j,k} is
// outlined in white where |ψ̂|² is half its peak.
func scatBankRGBA(b *wavelet.DirectionalBank, j, k int, byScale bool) (int, []byte) {
	D, _ := b.Size()
	J, L := b.Scales(), b.Orientations()
	idx := func(px, py int) int { // FFT index of display pixel (px, py)
		kx := ((px-D/2)%D + D) % D
		ky := ((py-D/2)%D + D) % D
		return ky*D + kx
	}
	neg := func(i int) int { // FFT index of −ω
		kx, ky := i%D, i/D
		return ((D-ky)%D)*D + (D-kx)%D
	}
	cols := make([][3]float64, J*L)
	for jj := range J {
		for l := range L {
			if byScale {
				cols[jj*L+l] = layout.BankHSV(jj, J)
			} else {
				cols[jj*L+l] = layout.BankHSV(l, L)
			}
		}
	}
	rgb := make([][3]float64, D*D)
	tot := make([]float64, D*D)
	phi := b.Phi()
	var peak float64
	for i := range rgb {
		ni := neg(i)
		var acc [3]float64
		var s float64
		for lam := range J * L {
			psi := b.Psi(lam/L, lam%L)
			w := (psi[i]*psi[i] + psi[ni]*psi[ni]) / 2
			s += w
			for c := range 3 {
				acc[c] += w * cols[lam][c]
			}
		}
		p := phi[i] * phi[i]
		for c := range 3 {
			acc[c] += 0.55 * p
		}
		s += p
		rgb[i], tot[i] = acc, s
		peak = math.Max(peak, s)
	}
	sel := b.Psi(j, k)
	var sp float64
	for _, v := range sel {
		sp = math.Max(sp, v*v)
	}
	in := func(px, py int) bool {
		if px < 0 || py < 0 || px >= D || py >= D {
			return false
		}
		i := idx(px, py)
		v := sel[i]*sel[i] + sel[neg(i)]*sel[neg(i)]
		return v >= 0.5*sp
	}
	out := make([]byte, 4*D*D)
	for py := range D {
		for px := range D {
			i := idx(px, py)
			o := 4 * (py*D + px)
			var c [3]float64
			if tot[i] > 0 && peak > 0 {
				g := math.Sqrt(tot[i]/peak) / tot[i]
				for ch := range 3 {
					c[ch] = math.Min(1, rgb[i][ch]*g)
				}
			}
			if in(px, py) && (!in(px-1, py) || !in(px+1, py) || !in(px, py-1) || !in(px, py+1)) {
				c = [3]float64{1, 1, 1}
			}
			out[o], out[o+1], out[o+2], out[o+3] = byte(255*c[0]+0.5), byte(255*c[1]+0.5), byte(255*c[2]+0.5), 255
		}
	}
	return D, out
}
