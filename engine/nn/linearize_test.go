package nn

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLinearization checks Linearization.JVP and VJP against UNet.JVP and
// VJP (bit for bit: the same arithmetic), the adjoint identity
// ⟨Jv, w⟩ = ⟨v, Jᵀw⟩, Euler's J·y = f(y) with Output, that later uses of
// the net at another input leave the linearization intact, and that the
// products do not allocate: for every kernel set of this build, one and two
// workers, batches of one and two images.
func TestLinearization(t *testing.T) {
	tests := []struct {
		name    string
		cfg     UNetConfig
		n, h, w int
	}{
		{"2 blocks, 1×16×16", UNetConfig{Blocks: 2, Base: 8}, 1, 16, 16},
		{"2 blocks, 2×16×24", UNetConfig{Blocks: 2, Base: 8}, 2, 16, 24},
		{"3 blocks, 1×24×16", UNetConfig{Blocks: 3, Base: 4}, 1, 24, 16},
	}
	for _, kernels := range KernelSets() {
		for _, workers := range []int{1, 2} {
			for _, tc := range tests {
				t.Run(tc.name+"/"+kernels, func(t *testing.T) {
					rng := rand.New(rand.NewPCG(71, uint64(workers)))
					u, err := NewUNet(tc.cfg, 3)
					if err != nil {
						t.Fatal(err)
					}
					u.SetWorkers(workers)
					if err := u.SetKernels(kernels); err != nil {
						t.Fatal(err)
					}
					randomizeBN(u, rng)
					checkLinearization(t, u, rng, tc.n, tc.h, tc.w)
				})
			}
		}
	}
}

func checkLinearization(t *testing.T, u *UNet, rng *rand.Rand, n, h, w int) {
	y := randTensor(rng, n, 1, h, w)
	v := randTensor(rng, n, 1, h, w)
	wt := randTensor(rng, n, 1, h, w)
	l, err := u.Linearize(y)
	if err != nil {
		t.Fatal(err)
	}
	y0 := y.Data[0]
	y.Data[0] = y0 + 1 // the linearization keeps its own copy of y
	other := randTensor(rng, n, 1, h, w)
	f := NewTensor(n, 1, h, w)
	if err := u.Residual(f, other); err != nil { // overwrites the net's workspace
		t.Fatal(err)
	}
	y.Data[0] = y0

	jv, jtw := NewTensor(n, 1, h, w), NewTensor(n, 1, h, w)
	if err := l.JVP(v, jv); err != nil {
		t.Fatal(err)
	}
	if err := l.VJP(wt, jtw); err != nil {
		t.Fatal(err)
	}
	refV, refT := NewTensor(n, 1, h, w), NewTensor(n, 1, h, w)
	if err := u.JVP(y, v, refV); err != nil {
		t.Fatal(err)
	}
	if err := u.VJP(y, wt, refT); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(jv.Data, refV.Data) {
		t.Errorf("JVP differs from UNet.JVP by up to %.3g relative", maxRelDiff(jv.Data, refV.Data))
	}
	if !slices.Equal(jtw.Data, refT.Data) {
		t.Errorf("VJP differs from UNet.VJP by up to %.3g relative", maxRelDiff(jtw.Data, refT.Data))
	}
	adjointCheck(t, "linearization", jv.Data, wt.Data, v.Data, jtw.Data, 1e-5)

	if err := u.Residual(f, y); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.Output().Data, f.Data) {
		t.Error("Output differs from Residual at y")
	}
	if !slices.Equal(l.Input().Data, y.Data) {
		t.Error("Input differs from y")
	}
	jy := NewTensor(n, 1, h, w)
	if err := l.JVP(y, jy); err != nil {
		t.Fatal(err)
	}
	if d := maxRelDiff(jy.Data, f.Data); d > 1e-5 {
		t.Errorf("Euler J·y vs f(y): max rel diff %.3g", d)
	}

	// Repeated products give the same result and do not allocate.
	again := NewTensor(n, 1, h, w)
	if err := l.VJP(wt, again); err != nil || !slices.Equal(again.Data, jtw.Data) {
		t.Errorf("repeated VJP differs (%v)", err)
	}
	if a := testing.AllocsPerRun(3, func() { l.JVP(v, jv); l.VJP(wt, jtw) }); a != 0 {
		t.Errorf("JVP + VJP allocate %.1f times", a)
	}
}

func TestLinearizationErrors(t *testing.T) {
	u, _ := NewUNet(UNetConfig{Blocks: 2, Base: 4}, 1)
	if _, err := u.Linearize(NewTensor(1, 1, 18, 16)); err == nil {
		t.Error("Linearize of an 18×16 image (not a multiple of 4): no error")
	}
	if _, err := u.Linearize(NewTensor(1, 2, 16, 16)); err == nil {
		t.Error("Linearize of a 2-channel image: no error")
	}
	l, err := u.Linearize(NewTensor(1, 1, 16, 16))
	if err != nil {
		t.Fatal(err)
	}
	v := NewTensor(1, 1, 16, 16)
	for _, tc := range []struct {
		name    string
		in, out *Tensor
	}{
		{"wrong input shape", NewTensor(1, 1, 16, 8), NewTensor(1, 1, 16, 16)},
		{"wrong output shape", NewTensor(1, 1, 16, 16), NewTensor(2, 1, 16, 16)},
		{"aliased", v, v},
	} {
		if err := l.JVP(tc.in, tc.out); err == nil {
			t.Errorf("JVP, %s: no error", tc.name)
		}
		if err := l.VJP(tc.in, tc.out); err == nil {
			t.Errorf("VJP, %s: no error", tc.name)
		}
	}
}
