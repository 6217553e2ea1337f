package rg

import (
	"fmt"

	"scalewise/engine/fourier"
	"scalewise/engine/wavelet"
)

// scatGeom holds the read-only filters of the scattering terms on the N×N
// field x_{j−1} of one factor (package documentation, "Scattering
// interactions"): the directional bank's ψ̂_{k,ℓ} (real, FFT order), their
// squares, and the constants of the exact Laplacian of the new-scale
// moduli. With r_u(v) = ψ_{0,ℓ}(u − v), so that z_ℓ(u) = Σ_v r_u(v) x(v),
// and ρ_u = Bᵀr_u its gradient in x̄ (B the detail part of W⁻¹, Bᵀ the
// detail part of W),
//
//	lapA[ℓ][p] = ‖ρ_u‖² = Σ_i |ρ_{u,i}|²,   lapB[ℓ][p] = Σ_i ρ_{u,i}²,
//
// for u ≡ p (mod 2), p = (u_y mod 2)·2 + u_x mod 2: translating x by 2
// translates the coefficients of one db4 level by 1, so both are
// 2-periodic in u. Then (σ = 1) Δ_x̄ U_ℓ(u) = (lapA − Re(e^{−2iφ}lapB))/(2U).
// A scatGeom may be shared by goroutines.
type scatGeom struct {
	N, n, K, L int
	psi        [][]float64 // ψ̂_{k,ℓ} at k·L+ℓ (the bank's storage, read only)
	psi2       [][]float64 // ψ̂²_{k,ℓ}
	lapA       [][4]float64
	lapB       [][4]complex128
}

// newScatGeom builds the filters of a block for an N×N field.
func newScatGeom(b *ScatBlock, N int, wv *wavelet.Wavelet) (*scatGeom, error) {
	kind, err := wavelet.ParseDirectionalKind(b.Kind)
	if err != nil {
		return nil, err
	}
	bank, err := wavelet.NewDirectionalBank(kind, N, N, b.Scales, b.Orientations)
	if err != nil {
		return nil, err
	}
	g := &scatGeom{N: N, n: N / 2, K: b.Scales, L: b.Orientations}
	for k := range g.K {
		for l := range g.L {
			p := bank.Psi(k, l)
			if p == nil {
				return nil, fmt.Errorf("rg: scattering: no wavelet (%d, %d)", k, l)
			}
			g.psi = append(g.psi, p)
			q := make([]float64, len(p))
			for i, v := range p {
				q[i] = v * v
			}
			g.psi2 = append(g.psi2, q)
		}
	}
	plan, err := fourier.NewPlan2D(N, N)
	if err != nil {
		return nil, err
	}
	lev, err := newLevel(wv, N)
	if err != nil {
		return nil, err
	}
	NN := N * N
	psi := make([]complex128, NN)
	re, im := make([]float64, NN), make([]float64, NN)
	dre := [][]float64{make([]float64, g.n*g.n), make([]float64, g.n*g.n), make([]float64, g.n*g.n)}
	dim := [][]float64{make([]float64, g.n*g.n), make([]float64, g.n*g.n), make([]float64, g.n*g.n)}
	g.lapA = make([][4]float64, g.L)
	g.lapB = make([][4]complex128, g.L)
	for l := range g.L {
		for i, v := range g.psi[l] {
			psi[i] = complex(v, 0)
		}
		if err := plan.Inverse(psi, psi); err != nil {
			return nil, err
		}
		for p := range 4 {
			px, py := p%2, p/2
			for vy := range N {
				for vx := range N {
					c := psi[mod(py-vy, N)*N+mod(px-vx, N)]
					re[vy*N+vx], im[vy*N+vx] = real(c), imag(c)
				}
			}
			lev.details(re, dre)
			lev.details(im, dim)
			var a, bre, bim float64
			for c := range 3 {
				for i, x := range dre[c] {
					y := dim[c][i]
					a += x*x + y*y
					bre += x*x - y*y
					bim += 2 * x * y
				}
			}
			g.lapA[l][p] = a
			g.lapB[l][p] = complex(bre, bim)
		}
	}
	return g, nil
}

// parity returns the index p of lapA for site i of an N×N field.
func parity(i, N int) int { return ((i/N)%2)*2 + (i%N)%2 }

// modulusLaplacian returns Δ_x̄ U(u) for a site with z = U·e and
// constants A = Σ_i |ρ_i|², B = Σ_i ρ_i² of ρ = ∇_x̃ z(u). For the smoothed
// modulus U = (|z|² + ε²)^{1/2}, with z = a + ib linear in x̄,
//
//	Δ_x̄U = (‖∇a‖² + ‖∇b‖²)/U − ‖a∇a + b∇b‖²/U³ = (A(2 − |e|²) − Re(ē²B))/(2σ²U),
//
// which for ε = 0 (|e| = 1) is (A − Re(ē²B))/(2σ²U); 0 where U = 0.
func modulusLaplacian(U float64, e complex128, A float64, B complex128, inv2s2 float64) float64 {
	if !(U > 0) {
		return 0
	}
	er, ei := real(e), imag(e)
	// ē² = (er² − ei²) − 2i·er·ei; Re(ē²B) = (er² − ei²)Re B + 2 er ei Im B.
	rb := (er*er-ei*ei)*real(B) + 2*er*ei*imag(B)
	return (A*(2-er*er-ei*ei) - rb) * inv2s2 / U
}
