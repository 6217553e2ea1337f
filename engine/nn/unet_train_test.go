package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestUNetTrainGradient checks the training-mode gradient (BN with batch
// statistics) against central finite differences of the loss, for every
// parameter tensor and for the input.
//
// Single-coordinate differences are unreliable here: with O(1) γ the
// random network switches ReLUs under any perturbation, and the float32 loss
// (≈ 370) carries rounding noise, so one-coordinate differences scatter by
// ±10 % around the gradient at every ε. Instead the test takes directional
// derivatives along d = m ⊙ g (normalised), with random weights m_i ∈ {½, 1}:
// it must equal ⟨g, d⟩, the signal is at least ½|g|, and a gradient that is
// wrong on some coordinates is caught because they enter with different
// weights in the two trials. Measured: the difference quotient converges to
// 0.5–1.5 % at ε = 1e-3 and carries ≈ 0.05 of absolute rounding noise, hence
// the tolerance 3 % + 0.1.
func TestUNetTrainGradient(t *testing.T) {
	for _, kernels := range KernelSets() {
		t.Run(kernels, func(t *testing.T) { checkTrainGradient(t, kernels) })
	}
}

// checkTrainGradient is TestUNetTrainGradient with one kernel set.
func checkTrainGradient(t *testing.T, kernels string) {
	rng := rand.New(rand.NewPCG(31, 32))
	u, err := NewUNet(UNetConfig{Blocks: 2, Base: 4}, 9)
	if err != nil {
		t.Fatal(err)
	}
	if err := u.SetKernels(kernels); err != nil {
		t.Fatal(err)
	}
	randomizeBN(u, rng) // γ = O(1) so that every layer matters
	const n, h, w = 2, 16, 16
	y := randTensor(rng, n, 1, h, w)
	target := randTensor(rng, n, 1, h, w)
	ws := u.trainWorkspace(n, h, w)
	u.ZeroGrad()
	u.trainForward(ws, y, target, false)
	u.trainBackward(ws, true)
	dy := append([]float32(nil), ws.grads[0].Data...)
	loss := func() float64 { return u.trainForward(ws, y, target, false) }

	check := func(name string, p, grad []float32) {
		t.Helper()
		if norm(grad) == 0 {
			t.Errorf("%s: zero gradient", name)
			return
		}
		for trial := 0; trial < 2; trial++ {
			d := make([]float32, len(grad))
			for i, g := range grad {
				d[i] = g
				if rng.IntN(2) == 0 {
					d[i] = g / 2
				}
			}
			dn := norm(d)
			gs := dot(grad, d) / dn // ⟨g, d/|d|⟩
			const eps = 1e-3
			old := append([]float32(nil), p...)
			for i := range p {
				p[i] = old[i] + float32(eps*float64(d[i])/dn)
			}
			lp := loss()
			for i := range p {
				p[i] = old[i] - float32(eps*float64(d[i])/dn)
			}
			lm := loss()
			copy(p, old)
			fd := (lp - lm) / (2 * eps)
			if math.Abs(fd-gs) > 0.03*gs+0.1 {
				t.Errorf("%s: directional difference %.5g, gradient %.5g", name, fd, gs)
			}
		}
	}
	for _, p := range u.Params() {
		check(p.Name, p.Data, append([]float32(nil), p.Grad...))
	}
	check("input", y.Data, dy)

	// TrainStep gives the same gradients and loss, and updates running_sd.
	ps := u.Params()
	want := append([]float32(nil), ps[3].Grad...)
	l0 := loss()
	rsd0 := float64(u.Buffers()[0].Data[0])
	l, err := u.TrainStep(y, target)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(l-l0) > 1e-9*l0 {
		t.Errorf("TrainStep loss %g, want %g", l, l0)
	}
	if d := maxRelDiff(ps[3].Grad, want); d > 1e-6 {
		t.Errorf("TrainStep gradient differs by %.3g", d)
	}
	rsd, sd := u.Buffers()[0].Data[0], ws.stats[1].SD[0]
	if want := 0.9*rsd0 + 0.1*sd; math.Abs(float64(rsd)-want) > 1e-6 {
		t.Errorf("running_sd %g after one step, want 0.9·%g + 0.1·%g", rsd, rsd0, sd)
	}
}

func TestUNetTrainLossDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	u, _ := NewUNet(UNetConfig{Blocks: 1, Base: 4}, 1)
	y := randTensor(rng, 3, 1, 8, 8)
	target := randTensor(rng, 3, 1, 8, 8)
	l, err := u.TrainStep(y, target)
	if err != nil {
		t.Fatal(err)
	}
	f := u.trainWS.acts[len(u.trainWS.acts)-1]
	var want float64
	for i, v := range f.Data {
		d := float64(v) - float64(target.Data[i])
		want += d * d
	}
	want /= 3
	if math.Abs(l-want) > 1e-6*want {
		t.Errorf("loss %g, want Σ(f−t)²/N = %g", l, want)
	}
}

func TestAdamFirstStep(t *testing.T) {
	p := newParam("p", true, 4)
	copy(p.Data, []float32{1, 2, 3, 4})
	copy(p.Grad, []float32{0.5, -2, 0, 1e-3})
	buf := newParam("b", false, 2)
	a := NewAdam([]*Param{p, buf}, 0.1)
	a.Step()
	// Bias correction makes the first step lr·g/(|g|+ε).
	want := []float64{0.9, 2.1, 3, 4 - 0.1*1e-3/(1e-3+1e-8)}
	for i := range want {
		if math.Abs(float64(p.Data[i])-want[i]) > 1e-6 {
			t.Errorf("θ[%d] = %g, want %g", i, p.Data[i], want[i])
		}
	}
	before := p.Data[0]
	a.SetLR(0)
	a.Step()
	if a.Steps() != 2 || p.Data[0] != before {
		t.Errorf("lr 0 changed θ from %g to %g", before, p.Data[0])
	}
}

// smoothBatch fills y with smooth random images in [0, 1] plus Gaussian
// noise of standard deviation σ = u², u ~ U(0, 0.5), one σ per image, and
// target with that noise.
func smoothBatch(rng *rand.Rand, y, target *Tensor) {
	h, w := y.H, y.W
	for n := 0; n < y.N; n++ {
		var fx, fy, ph, amp [4]float64
		for k := range fx {
			fx[k], fy[k] = float64(rng.IntN(3)), float64(rng.IntN(3))
			ph[k], amp[k] = 2*math.Pi*rng.Float64(), 0.25*rng.Float64()
		}
		u := 0.5 * rng.Float64()
		sigma := u * u
		img, tg := y.Plane(n, 0), target.Plane(n, 0)
		for i := 0; i < h; i++ {
			for j := 0; j < w; j++ {
				v := 0.5
				for k := range fx {
					v += amp[k] * math.Cos(2*math.Pi*(fx[k]*float64(j)/float64(w)+fy[k]*float64(i)/float64(h))+ph[k])
				}
				v = max(0, min(1, v))
				z := sigma * rng.NormFloat64()
				img[i*w+j] = float32(v + z)
				tg[i*w+j] = float32(z)
			}
		}
	}
}

func TestUNetTrainingLowersLoss(t *testing.T) {
	steps := 150
	if testing.Short() {
		steps = 80
	}
	rng := rand.New(rand.NewPCG(35, 36))
	u, _ := NewUNet(UNetConfig{Blocks: 2, Base: 8}, 11)
	opt := NewAdam(u.Params(), 1e-3)
	y, target := NewTensor(8, 1, 16, 16), NewTensor(8, 1, 16, 16)
	var first, last float64
	for s := 0; s < steps; s++ {
		smoothBatch(rng, y, target)
		l, err := u.TrainStep(y, target)
		if err != nil {
			t.Fatal(err)
		}
		if math.IsNaN(l) {
			t.Fatalf("step %d: loss NaN", s)
		}
		opt.Step()
		if s < 10 {
			first += l / 10
		}
		if s >= steps-10 {
			last += l / 10
		}
	}
	t.Logf("mean loss: first 10 steps %.4g, last 10 steps %.4g", first, last)
	if last > 0.5*first {
		t.Errorf("loss went from %.4g to %.4g, want a drop of at least 50%%", first, last)
	}
}
