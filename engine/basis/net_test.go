package basis

import (
	"math"
	"math/rand/v2"
	"testing"

	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/engine/nn"
	"scalewise/weights"
)

// shippedNet loads a shipped denoiser with one worker.
func shippedNet(t *testing.T, name string) *nn.UNet {
	t.Helper()
	u, _, err := weights.Denoiser(name)
	if err != nil {
		t.Fatal(err)
	}
	u.SetWorkers(1)
	return u
}

// noisyCAlpha returns a size×size C^α image (the authors' code variant, as
// the calpha nets were trained on) of seed and it with noise σ.
func noisyCAlpha(t *testing.T, size int, alpha, sigma float64, seed uint64) (x, y *field.Field) {
	t.Helper()
	x, err := geometry.CAlpha(geometry.CAlphaOptions{Size: size, Alpha: alpha, Method: geometry.CAlphaCode, Seed: denoise.HeldOutSeed + seed})
	if err != nil {
		t.Fatal(err)
	}
	return x, denoise.AddNoise(x, sigma, seed)
}

// TestNetJacobian checks the adapter J = I − ∇f of the shipped nets
// against central differences of their denoisers,
// (x̂(y+εv) − x̂(y−εv))/2ε, the adjoint identity ⟨Jv, w⟩ = ⟨v, Jᵀw⟩ and
// Euler's J(y)·y = x̂(y). The nets' own JVP and VJP are tested on a random
// net in engine/nn (TestUNetJacobian); this tests the adapter's sign,
// identity term and conversions on trained weights.
func TestNetJacobian(t *testing.T) {
	const size = 16
	for _, name := range []string{"calpha4", "calpha1", "drawing"} {
		t.Run(name, func(t *testing.T) { checkNetJacobian(t, shippedNet(t, name), size) })
	}
}

func checkNetJacobian(t *testing.T, u *nn.UNet, size int) {
	_, y := noisyCAlpha(t, size, 4, 0.1, 1)
	j, err := NewNetJacobian(u, y.Data, size, size)
	if err != nil {
		t.Fatal(err)
	}
	n := j.Dim()
	rng := rand.New(rand.NewPCG(31, 32))
	v, w := make([]float64, n), make([]float64, n)
	for i := range v {
		v[i], w[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	jv, jtw := make([]float64, n), make([]float64, n)
	if err := j.Apply(jv, v); err != nil {
		t.Fatal(err)
	}
	if err := j.ApplyT(jtw, w); err != nil {
		t.Fatal(err)
	}
	if l, r := dot(jv, w), dot(v, jtw); math.Abs(l-r) > 1e-5*nrm2(jv)*nrm2(w) {
		t.Errorf("⟨Jv, w⟩ = %.8g, ⟨v, Jᵀw⟩ = %.8g", l, r)
	}
	// The difference is exact while no ReLU of the net switches within
	// ε·v of y, and float32 rounding swamps it below ε ≈ 1e-5. At
	// ε = 1e-4 the ReLUs that do switch leave errors of 0.3 to 3 %
	// (measured at 16×16 and 32×32 for ε from 1e-2 to 1e-5); a wrong
	// sign or a missing identity term would be off by order 1.
	const eps = 1e-4
	yp, ym := make([]float64, n), make([]float64, n)
	for i := range y.Data {
		yp[i], ym[i] = y.Data[i]+eps*v[i], y.Data[i]-eps*v[i]
	}
	xp, xm := denoised(t, u, yp, size), denoised(t, u, ym, size)
	fd := make([]float64, n)
	for i := range fd {
		fd[i] = (xp[i] - xm[i]) / (2 * eps)
	}
	axpy(fd, -1, jv)
	if d := nrm2(fd) / nrm2(jv); d > 5e-2 {
		t.Errorf("J·v vs central difference: relative error %.3g", d)
	} else {
		t.Logf("J·v vs central difference: relative error %.3g", d)
	}
	jy := make([]float64, n)
	if err := j.Apply(jy, y.Data); err != nil {
		t.Fatal(err)
	}
	xh := denoised(t, u, y.Data, size)
	axpy(jy, -1, xh)
	if d := nrm2(jy) / nrm2(xh); d > 1e-5 {
		t.Errorf("J(y)·y vs x̂(y): relative difference %.3g", d)
	}
}

// denoised returns x̂(y) by the net's Denoise through a NetJacobian at y.
func denoised(t *testing.T, u *nn.UNet, y []float64, size int) []float64 {
	t.Helper()
	j, err := NewNetJacobian(u, y, size, size)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, len(y))
	if err := j.Denoise(x); err != nil {
		t.Fatal(err)
	}
	return x
}

func TestNetJacobianErrors(t *testing.T) {
	u := shippedNet(t, "calpha4") // 2 blocks: sizes are multiples of 4
	good := make([]float64, 16*16)
	nan := make([]float64, 16*16)
	nan[3] = math.NaN()
	big := make([]float64, 16*16)
	big[0] = 1e39
	tests := []struct {
		name string
		u    *nn.UNet
		y    []float64
		h, w int
	}{
		{"nil net", nil, good, 16, 16},
		{"size", u, make([]float64, 18*18), 18, 18},
		{"length", u, good, 16, 8},
		{"zero", u, nil, 0, 0},
		{"NaN", u, nan, 16, 16},
		{"beyond float32", u, big, 16, 16},
	}
	for _, tc := range tests {
		if _, err := NewNetJacobian(tc.u, tc.y, tc.h, tc.w); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	j, err := NewNetJacobian(u, good, 16, 16)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Apply(make([]float64, 10), good); err == nil {
		t.Error("Apply accepted a short dst")
	}
	if err := j.Denoise(make([]float64, 10)); err == nil {
		t.Error("Denoise accepted a short dst")
	}
}
