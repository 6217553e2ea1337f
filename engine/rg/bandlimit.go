package rg

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"

	"scalewise/engine/field"
	"scalewise/engine/fourier"
)

// BandLimit records that a model was fitted to band-limited data whose
// truncated Fourier modes were filled with noise (FillBandLimited), and
// that its samples are projected back onto the retained modes.
//
// A pseudo-spectral solver with the 2/3 dealiasing rule keeps the modes
// max(|k_x|, |k_y|) ≤ MaxK (signed FFT indices; MaxK = ⌊(L−1)/3⌋) and holds
// the others at zero (Orszag, "On the elimination of aliasing in
// finite-difference schemes by filtering high-wavenumber components",
// J. Atmos. Sci. 28, 1074 (1971)). The law of such data is singular: it
// lives on the subspace of retained modes, so every conditional factor
// that sees a truncated direction has an energy that is infinitely stiff
// there, and its Langevin step collapses. Filling the truncated modes
// with independent Gaussian noise makes the law regular; the projection
// P onto the retained modes undoes it exactly, since the noise is
// independent of the data and P removes it.
type BandLimit struct {
	// MaxK is the largest retained |k| along each axis (max-norm).
	MaxK int `json:"max_k"`
	// NoisePower is the variance per truncated Fourier mode of the fill,
	// E|x̂(k)|²/L² (data units squared): the mean of the data over the two
	// outermost retained shells, max(|k_x|, |k_y|) ∈ {MaxK−1, MaxK}, so
	// the filled spectrum continues flat at its edge value.
	NoisePower float64 `json:"noise_power"`
	// PowerFraction is the fraction of the filled data's power held by the
	// fill (its noise share).
	PowerFraction float64 `json:"power_fraction"`
}

// bandSeed seeds the noise of FillBandLimited in Fit.
const bandSeed = 0x6a09e667f3bcc908

// maxNorm returns max(|k_x|, |k_y|) of FFT index (r, c) on an L×L grid.
func maxNorm(r, c, L int) int {
	a, b := fourier.SignedIndex(r, L), fourier.SignedIndex(c, L)
	return max(abs(a), abs(b))
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// validate checks a BandLimit of an L×L model.
func (b *BandLimit) validate(L int) error {
	switch {
	case b.MaxK < 2 || b.MaxK >= L/2:
		return fmt.Errorf("rg: band limit %d must be in [2, %d)", b.MaxK, L/2)
	case !finite(b.NoisePower) || b.NoisePower < 0:
		return fmt.Errorf("rg: band-limit noise power %v must be finite and ≥ 0", b.NoisePower)
	case !finite(b.PowerFraction) || b.PowerFraction < 0 || b.PowerFraction > 1:
		return fmt.Errorf("rg: band-limit power fraction %v must be in [0, 1]", b.PowerFraction)
	}
	return nil
}

// DetectBandLimit returns the band limit of data (L×L fields): the
// smallest K < L/2 such that the modes max(|k_x|, |k_y|) > K hold at most
// tol of the total power of the fields with their means removed, or 0
// when there is none (the data are not band-limited to within tol).
func DetectBandLimit(data []*field.Field, tol float64) (int, error) {
	L, err := checkData(data, "band-limit")
	if err != nil {
		return 0, err
	}
	if !(tol >= 0) {
		return 0, fmt.Errorf("rg: band-limit tolerance %v must be ≥ 0", tol)
	}
	plan, err := fourier.NewPlan2D(L, L)
	if err != nil {
		return 0, err
	}
	z := make([]complex128, L*L)
	shell := make([]float64, L/2+1)
	for _, f := range data {
		_ = plan.ForwardReal(z, f.Data)
		for r := range L {
			for c := range L {
				if r == 0 && c == 0 {
					continue
				}
				a := cmplx.Abs(z[r*L+c])
				shell[maxNorm(r, c, L)] += a * a
			}
		}
	}
	total := 0.0
	for _, v := range shell {
		total += v
	}
	if !(total > 0) {
		return 0, errors.New("rg: the data are constant")
	}
	above := 0.0
	for K := L / 2; K >= 1; K-- {
		above += shell[K]
		if above > tol*total {
			if K == L/2 {
				return 0, nil
			}
			return K, nil
		}
	}
	return 0, nil
}

// FillBandLimited returns copies of data (L×L fields band-limited to
// max(|k_x|, |k_y|) ≤ maxK) whose truncated modes hold independent
// Gaussian noise of the power per mode stated in BandLimit.NoisePower:
// the truncated part of white noise of pixel variance NoisePower, drawn
// from seed (field i uses stream i). The retained modes are unchanged.
func FillBandLimited(data []*field.Field, maxK int, seed uint64) ([]*field.Field, *BandLimit, error) {
	L, err := checkData(data, "band-limited")
	if err != nil {
		return nil, nil, err
	}
	if maxK < 2 || maxK >= L/2 {
		return nil, nil, fmt.Errorf("rg: band limit %d must be in [2, %d)", maxK, L/2)
	}
	plan, err := fourier.NewPlan2D(L, L)
	if err != nil {
		return nil, nil, err
	}
	z := make([]complex128, L*L)
	var edge, ne, total, cut float64
	for _, f := range data {
		_ = plan.ForwardReal(z, f.Data)
		for r := range L {
			for c := range L {
				a := cmplx.Abs(z[r*L+c])
				p := a * a / float64(L*L)
				if r != 0 || c != 0 {
					total += p
				}
				switch m := maxNorm(r, c, L); {
				case m == maxK || m == maxK-1:
					edge += p
					ne++
				case m > maxK:
					cut += p
				}
			}
		}
	}
	if cut > 1e-12*total {
		return nil, nil, fmt.Errorf("rg: the data are not band-limited to %d: the modes beyond hold %.3g of the power", maxK, cut/total)
	}
	pw := edge / ne
	s := math.Sqrt(pw)
	out := make([]*field.Field, len(data))
	noise := make([]float64, L*L)
	added := 0.0
	for i, f := range data {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		for k := range noise {
			noise[k] = s * rng.NormFloat64()
		}
		_ = plan.ForwardReal(z, noise)
		for r := range L {
			for c := range L {
				if maxNorm(r, c, L) <= maxK {
					z[r*L+c] = 0
				} else {
					a := cmplx.Abs(z[r*L+c])
					added += a * a / float64(L*L)
				}
			}
		}
		g := field.New(L, L)
		_ = plan.InverseReal(g.Data, z)
		for k := range g.Data {
			g.Data[k] += f.Data[k]
		}
		out[i] = g
	}
	return out, &BandLimit{MaxK: maxK, NoisePower: pw, PowerFraction: added / (added + total)}, nil
}

// projector projects L×L fields onto the modes max(|k_x|, |k_y|) ≤ K.
type projector struct {
	K, L int
	plan *fourier.Plan2D
	z    []complex128
}

func newProjector(L, K int) (*projector, error) {
	plan, err := fourier.NewPlan2D(L, L)
	if err != nil {
		return nil, err
	}
	return &projector{K: K, L: L, plan: plan, z: make([]complex128, L*L)}, nil
}

// project replaces x (L² values) by its projection.
func (p *projector) project(x []float64) {
	L := p.L
	_ = p.plan.ForwardReal(p.z, x)
	for r := range L {
		for c := range L {
			if maxNorm(r, c, L) > p.K {
				p.z[r*L+c] = 0
			}
		}
	}
	_ = p.plan.InverseReal(x, p.z)
}
