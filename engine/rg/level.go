package rg

import (
	"fmt"

	"scalewise/engine/wavelet"
)

// level is one level of the periodic orthonormal 2-D DWT of N×N fields,
// (x_j, H_j, V_j, D_j) = W(x_{j−1}), with the coarse channels kept as
// separate n×n slices, n = N/2, in the channel order u_0 = x_j, u_1 = H_j,
// u_2 = V_j, u_3 = D_j. It owns scratch space: one goroutine at a time.
type level struct {
	N, n int
	tr   *wavelet.Transform
	buf  []float64
}

func newLevel(wv *wavelet.Wavelet, N int) (*level, error) {
	if N < 2 || N%2 != 0 {
		return nil, fmt.Errorf("rg: wavelet level on a %d×%d grid (want an even size ≥ 2)", N, N)
	}
	tr, err := wavelet.NewTransform(wv, N, N, 1)
	if err != nil {
		return nil, err
	}
	return &level{N: N, n: N / 2, tr: tr, buf: make([]float64, N*N)}, nil
}

// quadrant returns the offset of channel c in the Mallat layout of one
// level: x_j top-left, V top-right, H bottom-left, D bottom-right.
func (l *level) quadrant(c int) int {
	switch c {
	case 0:
		return 0
	case 1: // H: x < n, y ≥ n
		return l.n * l.N
	case 2: // V: x ≥ n, y < n
		return l.n
	default: // D
		return l.n*l.N + l.n
	}
}

func (l *level) unpack(c int, dst []float64) {
	o := l.quadrant(c)
	for y := 0; y < l.n; y++ {
		copy(dst[y*l.n:(y+1)*l.n], l.buf[o+y*l.N:o+y*l.N+l.n])
	}
}

func (l *level) pack(c int, src []float64) {
	o := l.quadrant(c)
	for y := 0; y < l.n; y++ {
		copy(l.buf[o+y*l.N:o+y*l.N+l.n], src[y*l.n:(y+1)*l.n])
	}
}

// analyse computes u = W(x) for x of N² values; u[c] has n² values.
func (l *level) analyse(x []float64, u *[4][]float64) {
	_ = l.tr.Forward(l.buf, x)
	for c := range 4 {
		l.unpack(c, u[c])
	}
}

// details computes the detail part of W(x): out[b] = band b+1 (H, V, D).
func (l *level) details(x []float64, out [][]float64) {
	_ = l.tr.Forward(l.buf, x)
	for b := range 3 {
		l.unpack(b+1, out[b])
	}
}

// synthesise computes x = W⁻¹(u).
func (l *level) synthesise(u *[4][]float64, x []float64) {
	for c := range 4 {
		l.pack(c, u[c])
	}
	_ = l.tr.Inverse(x, l.buf)
}

// detailWeights returns w(p) = ‖detail part of W(δ_p)‖², the squared norm of
// the detail coefficients of a unit impulse at p, for p = (px, py) with
// px, py ∈ {0, 1}: w[py*2+px]. Since W is orthogonal, w(p) = Σ_i
// (∂x(p)/∂x̄_i)² is the weight of ρ”(x(p)) in the exact Laplacian of a
// potential term, Δ_x̄ Σ_p ρ(x(p)) = Σ_p ρ”(x(p)) w(p). Translating x by 2
// translates the coefficients by 1, so w is 2-periodic, and Σ_p w(p) =
// 3(N/2)² (the number of detail coefficients: each row of the orthogonal
// W has unit norm), i.e. w(0,0)+w(1,0)+w(0,1)+w(1,1) = 3.
func (l *level) detailWeights() [4]float64 {
	var w [4]float64
	x := make([]float64, l.N*l.N)
	for py := range 2 {
		for px := range 2 {
			clear(x)
			x[py*l.N+px] = 1
			_ = l.tr.Forward(l.buf, x)
			total := 0.0
			for _, v := range l.buf {
				total += v * v
			}
			a := 0.0
			for y := 0; y < l.n; y++ {
				for xx := 0; xx < l.n; xx++ {
					v := l.buf[y*l.N+xx]
					a += v * v
				}
			}
			w[py*2+px] = total - a
		}
	}
	return w
}
