package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// fdCheck compares the analytic gradient grad of L(p) = Σ r·out(p) with
// central finite differences at k random coordinates of p, perturbing p in
// place through eval (which must recompute out). Each coordinate must agree
// to rel·max(|g_i|, scale) where scale is the RMS of grad.
func fdCheck(t *testing.T, what string, rng *rand.Rand, p, grad []float32, eval func() float64, k int, eps, rel float64) {
	t.Helper()
	scale := norm(grad) / math.Sqrt(float64(len(grad)))
	for range k {
		i := rng.IntN(len(p))
		old := p[i]
		p[i] = old + float32(eps)
		lp := eval()
		p[i] = old - float32(eps)
		lm := eval()
		p[i] = old
		h := float64(old+float32(eps)) - float64(old-float32(eps))
		fd := (lp - lm) / h
		if d := math.Abs(fd - float64(grad[i])); d > rel*max(math.Abs(float64(grad[i])), scale) {
			t.Errorf("%s: coordinate %d: finite difference %.6g, gradient %.6g", what, i, fd, grad[i])
		}
	}
}

// adjointCheck verifies ⟨Ax, y⟩ = ⟨x, Aᵀy⟩ to rel.
func adjointCheck(t *testing.T, what string, ax, y, x, aty []float32, rel float64) {
	t.Helper()
	l, r := dot(ax, y), dot(x, aty)
	if math.Abs(l-r) > rel*(norm(ax)*norm(y)+norm(x)*norm(aty)) {
		t.Errorf("%s: ⟨Ax,y⟩ = %.8g, ⟨x,Aᵀy⟩ = %.8g", what, l, r)
	}
}

func TestConv3x3Backward(t *testing.T) {
	cases := []struct{ n, cin, cout, h, w int }{
		{1, 1, 1, 3, 3},
		{2, 3, 8, 5, 4},
		{2, 9, 10, 6, 7},
		{1, 8, 1, 20, 30},
	}
	for _, ops := range kernelOps(t, 1, 3) {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/w%d/%d_%d_%d_%dx%d", ops.Kernels(), ops.Workers(), c.n, c.cin, c.cout, c.h, c.w), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(3, uint64(c.cin*31+c.cout)))
				x := randTensor(rng, c.n, c.cin, c.h, c.w)
				w := randSlice(rng, c.cout*c.cin*9, 0.5)
				r := randTensor(rng, c.n, c.cout, c.h, c.w)
				out := NewTensor(c.n, c.cout, c.h, c.w)
				dx := NewTensor(c.n, c.cin, c.h, c.w)
				dw := make([]float32, len(w))
				if err := ops.Conv3x3(out, x, w); err != nil {
					t.Fatal(err)
				}
				if err := ops.Conv3x3BackwardInput(dx, r, w); err != nil {
					t.Fatal(err)
				}
				if err := ops.Conv3x3BackwardWeight(dw, x, r); err != nil {
					t.Fatal(err)
				}
				adjointCheck(t, "input", out.Data, r.Data, x.Data, dx.Data, 1e-5)
				adjointCheck(t, "weight", out.Data, r.Data, w, dw, 1e-5)
				loss := func() float64 {
					ops.Conv3x3(out, x, w)
					return dot(out.Data, r.Data)
				}
				fdCheck(t, "dx", rng, x.Data, dx.Data, loss, 10, 1e-2, 1e-2)
				fdCheck(t, "dw", rng, w, dw, loss, 10, 1e-2, 1e-2)
				// Accumulation: a second call adds the same gradient.
				dw2 := append([]float32(nil), dw...)
				ops.Conv3x3BackwardWeight(dw2, x, r)
				for i := range dw {
					if math.Abs(float64(dw2[i]-2*dw[i])) > 1e-4*(1+math.Abs(float64(dw[i]))) {
						t.Fatalf("weight gradient does not accumulate: %g vs 2·%g", dw2[i], dw[i])
					}
				}
			})
		}
		ops.Close()
	}
}

func TestConvTranspose2x2(t *testing.T) {
	cases := []struct{ n, cin, cout, h, w int }{
		{1, 1, 1, 1, 1},
		{2, 4, 3, 3, 5},
		{3, 16, 8, 4, 4},
		{2, 6, 5, 2, 3},  // blocks of four channels plus a remainder, both ways
		{2, 2, 3, 3, 3},  // fewer than three input channels
		{2, 11, 7, 5, 7}, // pixel tails; overlapping channel triples
		{1, 32, 16, 16, 16},
	}
	for _, ops := range kernelOps(t, 1, 2) {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/w%d/%d_%d_%d_%dx%d", ops.Kernels(), ops.Workers(), c.n, c.cin, c.cout, c.h, c.w), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(4, uint64(c.cin)))
				x := randTensor(rng, c.n, c.cin, c.h, c.w)
				w := randSlice(rng, c.cin*c.cout*4, 1)
				out := NewTensor(c.n, c.cout, 2*c.h, 2*c.w)
				if err := ops.ConvTranspose2x2(out, x, w); err != nil {
					t.Fatal(err)
				}
				// Reference: direct formula.
				for n := 0; n < c.n; n++ {
					for co := 0; co < c.cout; co++ {
						for y := 0; y < 2*c.h; y++ {
							for xx := 0; xx < 2*c.w; xx++ {
								var s float64
								for ci := 0; ci < c.cin; ci++ {
									s += float64(w[((ci*c.cout+co)*2+y%2)*2+xx%2]) * float64(x.At(n, ci, y/2, xx/2))
								}
								if d := math.Abs(s - float64(out.At(n, co, y, xx))); d > 1e-5*(1+math.Abs(s)) {
									t.Fatalf("out[%d][%d][%d][%d] = %g, want %g", n, co, y, xx, out.At(n, co, y, xx), s)
								}
							}
						}
					}
				}
				r := randTensor(rng, c.n, c.cout, 2*c.h, 2*c.w)
				dx := NewTensor(c.n, c.cin, c.h, c.w)
				dw := make([]float32, len(w))
				if err := ops.ConvTranspose2x2BackwardInput(dx, r, w); err != nil {
					t.Fatal(err)
				}
				if err := ops.ConvTranspose2x2BackwardWeight(dw, x, r); err != nil {
					t.Fatal(err)
				}
				adjointCheck(t, "input", out.Data, r.Data, x.Data, dx.Data, 1e-5)
				adjointCheck(t, "weight", out.Data, r.Data, w, dw, 1e-5)
				loss := func() float64 {
					ops.ConvTranspose2x2(out, x, w)
					return dot(out.Data, r.Data)
				}
				fdCheck(t, "dx", rng, x.Data, dx.Data, loss, 8, 1e-2, 1e-2)
				fdCheck(t, "dw", rng, w, dw, loss, 8, 1e-2, 1e-2)
			})
		}
		ops.Close()
	}
}

func TestAvgPool2(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := randTensor(rng, 2, 3, 6, 8)
	out := NewTensor(2, 3, 3, 4)
	if err := AvgPool2(out, x); err != nil {
		t.Fatal(err)
	}
	if got, want := out.At(1, 2, 1, 3), (x.At(1, 2, 2, 6)+x.At(1, 2, 2, 7)+x.At(1, 2, 3, 6)+x.At(1, 2, 3, 7))/4; math.Abs(float64(got-want)) > 1e-6 {
		t.Errorf("pool value %g, want %g", got, want)
	}
	r := randTensor(rng, 2, 3, 3, 4)
	dx := NewTensor(2, 3, 6, 8)
	if err := AvgPool2Backward(dx, r); err != nil {
		t.Fatal(err)
	}
	adjointCheck(t, "avgpool", out.Data, r.Data, x.Data, dx.Data, 1e-6)
	if err := AvgPool2(NewTensor(2, 3, 3, 4), NewTensor(2, 3, 7, 8)); err == nil {
		t.Error("odd height accepted")
	}
}

func TestConcatSplit(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	a, b := randTensor(rng, 2, 3, 4, 5), randTensor(rng, 2, 2, 4, 5)
	d := NewTensor(2, 5, 4, 5)
	if err := Concat(d, a, b); err != nil {
		t.Fatal(err)
	}
	if d.At(1, 0, 2, 3) != a.At(1, 0, 2, 3) || d.At(1, 4, 2, 3) != b.At(1, 1, 2, 3) {
		t.Error("concat places channels wrongly")
	}
	r := randTensor(rng, 2, 5, 4, 5)
	da, db := NewTensor(2, 3, 4, 5), NewTensor(2, 2, 4, 5)
	if err := Split(da, db, r); err != nil {
		t.Fatal(err)
	}
	ab := append(append([]float32(nil), a.Data...), b.Data...)
	dab := append(append([]float32(nil), da.Data...), db.Data...)
	adjointCheck(t, "concat", d.Data, r.Data, ab, dab, 1e-6)
	if err := Concat(d, a, a); err == nil {
		t.Error("channel mismatch accepted")
	}
}

func TestReLUBackward(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	x := randTensor(rng, 2, 3, 4, 4)
	y := NewTensor(2, 3, 4, 4)
	r := randTensor(rng, 2, 3, 4, 4)
	dx := NewTensor(2, 3, 4, 4)
	if err := ReLU(y, x); err != nil {
		t.Fatal(err)
	}
	if err := ReLUBackward(dx, r, y); err != nil {
		t.Fatal(err)
	}
	loss := func() float64 {
		ReLU(y, x)
		return dot(y.Data, r.Data)
	}
	fdCheck(t, "relu", rng, x.Data, dx.Data, loss, 20, 1e-3, 1e-2)
}

func TestBatchNormTrainBackward(t *testing.T) {
	cases := []struct {
		n, c, h, w int
		shift      float64
	}{
		{2, 3, 4, 5, 0},
		{4, 2, 3, 3, 2}, // non-centred input: mean ≠ 0
		{1, 1, 8, 8, -1},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%dx%dx%dx%d", c.n, c.c, c.h, c.w), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, uint64(c.c)))
			x := randTensor(rng, c.n, c.c, c.h, c.w)
			for i := range x.Data {
				x.Data[i] += float32(c.shift)
			}
			gamma := randSlice(rng, c.c, 1)
			r := randTensor(rng, c.n, c.c, c.h, c.w)
			out := NewTensor(c.n, c.c, c.h, c.w)
			var st BNStats
			if err := BatchNormTrain(out, x, gamma, &st); err != nil {
				t.Fatal(err)
			}
			// The output has, per channel, Var = γ²·Var(x)/(Var(x)+ε).
			for ch := 0; ch < c.c; ch++ {
				var s, s2 float64
				m := 0
				for n := 0; n < c.n; n++ {
					for _, v := range out.Plane(n, ch) {
						s += float64(v)
						s2 += float64(v) * float64(v)
						m++
					}
				}
				v := s2/float64(m) - (s/float64(m))*(s/float64(m))
				want := float64(gamma[ch]*gamma[ch]) * (st.SD[ch]*st.SD[ch] - BNEpsilon) / (st.SD[ch] * st.SD[ch])
				if math.Abs(v-want) > 1e-4*(1+want) {
					t.Errorf("channel %d: output variance %g, want %g", ch, v, want)
				}
			}
			dx := NewTensor(c.n, c.c, c.h, c.w)
			dgamma := make([]float32, c.c)
			if err := BatchNormBackward(dx, dgamma, r, x, gamma, &st); err != nil {
				t.Fatal(err)
			}
			var st2 BNStats
			loss := func() float64 {
				BatchNormTrain(out, x, gamma, &st2)
				return dot(out.Data, r.Data)
			}
			fdCheck(t, "dx", rng, x.Data, dx.Data, loss, 20, 1e-2, 2e-2)
			fdCheck(t, "dgamma", rng, gamma, dgamma, loss, 3, 1e-2, 1e-2)
		})
	}
}

func TestBatchNormEvalAndRunning(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	x := randTensor(rng, 2, 2, 3, 3)
	gamma := []float32{2, -1}
	rsd := []float32{1, 1}
	out := NewTensor(2, 2, 3, 3)
	var st BNStats
	if err := BatchNormTrain(out, x, gamma, &st); err != nil {
		t.Fatal(err)
	}
	st.UpdateRunningSD(rsd)
	for c := range rsd {
		if want := 0.9 + 0.1*st.SD[c]; math.Abs(float64(rsd[c])-want) > 1e-6 {
			t.Errorf("running sd %g, want %g", rsd[c], want)
		}
	}
	if err := BatchNormEval(out, x, gamma, rsd); err != nil {
		t.Fatal(err)
	}
	if got, want := out.At(1, 1, 2, 0), -x.At(1, 1, 2, 0)/rsd[1]; math.Abs(float64(got-want)) > 1e-6 {
		t.Errorf("eval output %g, want %g", got, want)
	}
}
