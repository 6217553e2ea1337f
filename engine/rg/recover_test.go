package rg

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// gaussianScale returns a conditional scale without sigmoids whose energy
// ½x̄ᵀAx̄ + x̄ᵀBx_j is a Gaussian conditional, with A and B.
func gaussianScale(t *testing.T, n, S int, rng *rand.Rand) (*Scale, *mat.SymDense, *mat.Dense) {
	sc := testScale(true, n, S, 0, rng)
	for i, tm := range sc.Terms {
		switch {
		case tm.C == tm.D && tm.SX == 0 && tm.SY == 0:
			sc.Theta[i] = 2 + 0.5*float64(tm.C)
		case tm.C == 0:
			sc.Theta[i] = 0.4 * rng.NormFloat64()
		default:
			sc.Theta[i] = 0.15 * rng.NormFloat64()
		}
	}
	ev, err := newEvaluator(compile(sc), db4(t))
	if err != nil {
		t.Fatal(err)
	}
	dim, nn := 3*n*n, n*n
	A := mat.NewSymDense(dim, nil)
	B := mat.NewDense(dim, nn, nil)
	zero := randChannels(true, n, rng, 0)
	flat := func(g [4][]float64) []float64 { return append(append(append([]float64{}, g[1]...), g[2]...), g[3]...) }
	for i := range dim {
		u := randChannels(true, n, rng, 0)
		u[1+i/nn][i%nn] = 1
		ev.setCond(u[0])
		_, g := evalEnergy(t, ev, u)
		for r, v := range flat(g) {
			if r >= i {
				A.SetSym(i, r, v)
			}
		}
	}
	// The potential part is zero without sigmoids; subtract nothing.
	for i := range nn {
		u := randChannels(true, n, rng, 0)
		u[0][i] = 1
		ev.setCond(u[0])
		_, g := evalEnergy(t, ev, u)
		for r, v := range flat(g) {
			B.Set(r, i, v)
		}
	}
	_ = zero
	return sc, A, B
}

// TestScoreMatchingRecoversGaussian fits the quadratic model to exact
// samples of a known Gaussian conditional and recovers its θ.
func TestScoreMatchingRecoversGaussian(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n, S := 4, 1
	sc, A, B := gaussianScale(t, n, S, rng)
	chol, Lc := choleskyOf(t, A)
	nn := n * n
	lev, _ := newLevel(db4(t), 2*n)
	const ns = 12000
	xs := make([][]float64, ns)
	for s := range ns {
		u := drawConditional(t, rng, chol, Lc, B, n)
		xs[s] = make([]float64, 4*nn)
		lev.synthesise(&u, xs[s])
	}
	// L = 8, J = 3: factor i = 3 is j = 1 on the 8×8 grid.
	got, _, err := fitScale(xs, 8, 3, 3, ScaleSpec{Sigmoids: 0, Stencil: S, Width: 1, Steps: 10}, fitConf{workers: 2, wv: db4(t)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	num, den := 0.0, 0.0
	for i := range sc.Theta {
		d := got.Theta[i] - sc.Theta[i]
		num += d * d
		den += sc.Theta[i] * sc.Theta[i]
	}
	rel := math.Sqrt(num / den)
	t.Logf("Gaussian conditional: %d parameters, relative θ error %.4f, cond %.3g → %.3g, ridge %g, h %.3g",
		len(sc.Theta), rel, got.CondRaw, got.CondPreconditioned, got.Ridge, got.StepSize)
	if rel > 0.03 {
		t.Errorf("relative θ error %.4f > 0.03", rel)
	}
}

// mixture1D is ½N(−m, s²) + ½N(m, s²).
func mixtureEnergy(x, m, s float64) float64 {
	a, b := (x-m)/s, (x+m)/s
	return -math.Log(0.5*math.Exp(-a*a/2) + 0.5*math.Exp(-b*b/2))
}

// TestScoreMatchingRecovers1D fits the unconditional coarsest factor to
// exact samples of a bimodal 1-D density and compares energies.
func TestScoreMatchingRecovers1D(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const m, s, ns = 1.5, 0.8, 20000
	xs := make([][]float64, ns)
	for i := range xs {
		v := rng.NormFloat64()*s + m
		if rng.IntN(2) == 0 {
			v -= 2 * m
		}
		xs[i] = []float64{v}
	}
	for _, sym := range []bool{false, true} {
		sc, _, err := fitScale(xs, 8, 3, 0, ScaleSpec{Sigmoids: 16, Stencil: 0, Width: 1, Steps: 10}, fitConf{sym: sym, workers: 2, wv: db4(t)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ev, _ := newEvaluator(compile(sc), db4(t))
		e := func(x float64) float64 {
			v, _ := evalEnergy(t, ev, [4][]float64{nil, {x}})
			return v
		}
		maxErr := 0.0
		for x := -3.0; x <= 3.0; x += 0.1 {
			got := e(x) - e(m)
			want := mixtureEnergy(x, m, s) - mixtureEnergy(m, m, s)
			maxErr = max(maxErr, math.Abs(got-want))
		}
		t.Logf("symmetric=%v: max |ΔE error| on [−3, 3] = %.3f (barrier %.2f), cond %.3g → %.3g",
			sym, maxErr, mixtureEnergy(0, m, s)-mixtureEnergy(m, m, s), sc.CondRaw, sc.CondPreconditioned)
		if maxErr > 0.25 {
			t.Errorf("symmetric=%v: energy error %.3f > 0.25", sym, maxErr)
		}
		if sym {
			K := len(sc.Centres)
			for k := range K {
				if d := sc.Theta[k] + sc.Theta[K-1-k]; math.Abs(d) > 1e-8*(1+math.Abs(sc.Theta[k])) {
					t.Errorf("symmetric fit: θ_%d + θ_%d = %g, want 0", k, K-1-k, d)
				}
			}
			if d := e(1.3) - e(-1.3); math.Abs(d) > 1e-9 {
				t.Errorf("symmetric fit: E(1.3) − E(−1.3) = %g", d)
			}
		}
	}
}

// TestMALAGaussian runs the MALA chain on a known Gaussian conditional
// with fixed steps of different sizes and checks the mean and variance of
// every coordinate against μ = −A⁻¹Bx_j and diag(A⁻¹).
func TestMALAGaussian(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	n := 4
	sc, A, B := gaussianScale(t, n, 1, rng)
	var chol mat.Cholesky
	if !chol.Factorize(A) {
		t.Fatal("A not positive definite")
	}
	var Ainv mat.SymDense
	if err := chol.InverseTo(&Ainv); err != nil {
		t.Fatal(err)
	}
	nn, dim := n*n, 3*n*n
	cond := make([]float64, nn)
	for i := range cond {
		cond[i] = rng.NormFloat64()
	}
	var bc, mu mat.VecDense
	bc.MulVec(B, mat.NewVecDense(nn, cond))
	if err := chol.SolveVecTo(&mu, &bc); err != nil {
		t.Fatal(err)
	}
	for _, h := range []float64{0.05, 0.2} {
		ev, _ := newEvaluator(compile(sc), db4(t))
		ch := newChain(ev, rand.New(rand.NewPCG(11, uint64(h*100))))
		ch.start(cond, nil)
		ch.h = h
		const burn, steps = 500, 30000
		s1 := make([]float64, dim)
		s2 := make([]float64, dim)
		acc := 0
		for it := range burn + steps {
			ok, _ := ch.step()
			if it < burn {
				continue
			}
			if ok {
				acc++
			}
			for b := 1; b < 4; b++ {
				for i, v := range ch.u[b] {
					k := (b-1)*nn + i
					s1[k] += v
					s2[k] += v * v
				}
			}
		}
		ratio, merr := 0.0, 0.0
		for k := range dim {
			m := s1[k] / steps
			v := s2[k]/steps - m*m
			ratio += v / Ainv.At(k, k) / float64(dim)
			merr = max(merr, math.Abs(m+mu.AtVec(k))/math.Sqrt(Ainv.At(k, k)))
		}
		t.Logf("h=%.2f: acceptance %.3f, mean var/var_true %.4f, max |mean error|/σ %.3f", h, float64(acc)/steps, ratio, merr)
		if math.Abs(ratio-1) > 0.03 {
			t.Errorf("h=%v: variance ratio %.4f, want 1 ± 0.03", h, ratio)
		}
		if merr > 0.15 {
			t.Errorf("h=%v: mean error %.3f σ", h, merr)
		}
	}
}

// TestMALA1D samples a fixed bimodal 1-D energy (the coarsest factor) with
// a window and compares the histogram with the exact windowed density.
func TestMALA1D(t *testing.T) {
	sc := &Scale{J: 3, Grid: 1, CoarseGrid: 1, Width: 0.5, Terms: buildTerms(false, 1, 0),
		StepSize: 0.3, Steps: 10, TargetAccept: 0.574, WindowLo: -3, WindowHi: 2.5}
	sc.Centres = []float64{-1.5, -0.5, 0.5, 1.5}
	sc.Theta = []float64{-2, 3, -3, 2, 0.5} // V plus ½·0.5x²
	ev, _ := newEvaluator(compile(sc), db4(t))
	energy := func(x float64) float64 {
		v, _ := evalEnergy(t, ev, [4][]float64{nil, {x}})
		return v
	}
	const nb = 40
	lo, hi := sc.WindowLo, sc.WindowHi
	want := make([]float64, nb)
	z := 0.0
	for b := range nb {
		for k := range 50 {
			x := lo + (hi-lo)*(float64(b)+(float64(k)+0.5)/50)/nb
			want[b] += math.Exp(-energy(x))
		}
		z += want[b]
	}
	ch := newChain(ev, rand.New(rand.NewPCG(12, 13)))
	ch.start(nil, nil)
	ch.h = 0.4
	got := make([]float64, nb)
	const steps = 200000
	acc := 0
	for range steps {
		if ok, _ := ch.step(); ok {
			acc++
		}
		x := ch.u[1][0]
		if x < lo || x > hi {
			t.Fatalf("chain left the window: %v", x)
		}
		got[min(nb-1, int((x-lo)/(hi-lo)*nb))]++
	}
	tv := 0.0
	for b := range nb {
		tv += 0.5 * math.Abs(got[b]/steps-want[b]/z)
	}
	t.Logf("1-D MALA: acceptance %.3f, TV %.4f", float64(acc)/steps, tv)
	if tv > 0.02 {
		t.Errorf("TV distance %.4f > 0.02", tv)
	}
}

// choleskyOf factorises the precision A of a Gaussian conditional, for
// drawConditional.
func choleskyOf(t *testing.T, A *mat.SymDense) (*mat.Cholesky, *mat.TriDense) {
	t.Helper()
	var chol mat.Cholesky
	if !chol.Factorize(A) {
		t.Fatal("A is not positive definite")
	}
	var Lc mat.TriDense
	chol.LTo(&Lc)
	return &chol, &Lc
}

// drawConditional draws the wavelet coefficients u = (x_j, x̄_j) of one
// sample of the Gaussian conditional model of gaussianScale on an n×n
// grid: x_j ~ N(0, I), and x̄_j ~ N(−A⁻¹B x_j, A⁻¹) by the Cholesky
// factor L of A (chol, with Lc = L): mean by a solve, noise by Lᵀy = z.
func drawConditional(t *testing.T, rng *rand.Rand, chol *mat.Cholesky, Lc *mat.TriDense, B mat.Matrix, n int) [4][]float64 {
	t.Helper()
	dim, nn := 3*n*n, n*n
	c := mat.NewVecDense(nn, nil)
	for i := range nn {
		c.SetVec(i, rng.NormFloat64())
	}
	var bc, mu mat.VecDense
	bc.MulVec(B, c)
	if err := chol.SolveVecTo(&mu, &bc); err != nil {
		t.Fatal(err)
	}
	z := mat.NewVecDense(dim, nil)
	for i := range dim {
		z.SetVec(i, rng.NormFloat64())
	}
	var y mat.VecDense
	if err := y.SolveVec(Lc.T(), z); err != nil { // y ~ N(0, A⁻¹)
		t.Fatal(err)
	}
	var u [4][]float64
	u[0] = c.RawVector().Data
	for b := 1; b < 4; b++ {
		u[b] = make([]float64, nn)
		for i := range nn {
			k := (b-1)*nn + i
			u[b][i] = -mu.AtVec(k) + y.AtVec(k)
		}
	}
	return u
}
