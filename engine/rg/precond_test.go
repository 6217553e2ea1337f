package rg

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"scalewise/engine/internal/testenv"
)

// TestPrecondIsInverseQuadratic checks the Fourier construction of the
// mass matrix against the dense quadratic part A of a Gaussian factor:
// M v = A⁻¹v, M^{½}M^{½} v = M v and ⟨v, M⁻¹v⟩ = vᵀAv for random v (the
// eigenvalue floor and the potential's curvature being inactive).
func TestPrecondIsInverseQuadratic(t *testing.T) {
	for _, tc := range []struct{ n, S int }{{4, 1}, {4, 2}, {2, 1}} {
		rng := rand.New(rand.NewPCG(21, uint64(tc.n*10+tc.S)))
		sc, A, _ := gaussianScale(t, tc.n, tc.S, rng)
		sc.StdBands = []float64{100, 100, 100}
		sc.Preconditioned = true
		c := compile(sc)
		if c.pre == nil {
			t.Fatal("no preconditioner")
		}
		pch := newPreChain(c.pre)
		nn, dim := tc.n*tc.n, 3*tc.n*tc.n
		v := make([]float64, dim)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		for i := range 3 {
			for k := range nn {
				pch.tmp[k] = v[i*nn+k]
			}
			_ = pch.plan.ForwardReal(pch.xi[i], pch.tmp)
		}
		apply := func(T []complex128, src [][]complex128) []float64 {
			pc := c.pre
			pc.apply(T, pch.move, src, 1, false)
			out := make([]float64, dim)
			for i := range 3 {
				_ = pch.plan.InverseReal(pch.tmp, pch.move[i])
				copy(out[i*nn:], pch.tmp)
			}
			return out
		}
		mv := apply(c.pre.m, pch.xi)
		var chol mat.Cholesky
		if !chol.Factorize(A) {
			t.Fatal("A is not positive definite")
		}
		var want mat.VecDense
		if err := chol.SolveVecTo(&want, mat.NewVecDense(dim, v)); err != nil {
			t.Fatal(err)
		}
		emax := 0.0
		for i, x := range mv {
			emax = max(emax, math.Abs(x-want.AtVec(i)))
		}
		// M^{½}(M^{½}v) against Mv.
		rv := apply(c.pre.r, pch.xi)
		for i := range 3 {
			for k := range nn {
				pch.tmp[k] = rv[i*nn+k]
			}
			_ = pch.plan.ForwardReal(pch.gh[i], pch.tmp)
		}
		rrv := apply(c.pre.r, pch.gh)
		rmax := 0.0
		for i, x := range rrv {
			rmax = max(rmax, math.Abs(x-mv[i]))
		}
		var av mat.VecDense
		av.MulVec(A, mat.NewVecDense(dim, v))
		qwant := mat.Dot(&av, mat.NewVecDense(dim, v))
		qgot := c.pre.quad(pch.xi)
		t.Logf("n=%d S=%d: |Mv − A⁻¹v|∞ = %.2g, |M½M½v − Mv|∞ = %.2g, vᵀAv %.6g vs %.6g", tc.n, tc.S, emax, rmax, qgot, qwant)
		if emax > 1e-10 || rmax > 1e-10 || math.Abs(qgot-qwant) > 1e-9*math.Abs(qwant) {
			t.Errorf("n=%d S=%d: the mass matrix is not A⁻¹", tc.n, tc.S)
		}
	}
}

// TestPMALAGaussian samples a Gaussian conditional ½x̄ᵀAx̄ + x̄ᵀBx_j with
// the preconditioned chain (M = A⁻¹ exactly) and compares the sample
// covariance and mean with A⁻¹ and −A⁻¹Bx_j: the whitened error
// ‖LᵀĈL − I‖_F/√d against its sampling noise for independent samples,
// about √(d+1)/√n_eff.
func TestPMALAGaussian(t *testing.T) {
	testenv.SkipStatisticalOnWasm(t)
	rng := rand.New(rand.NewPCG(9, 10))
	n := 4
	sc, A, B := gaussianScale(t, n, 1, rng)
	sc.StdBands = []float64{100, 100, 100}
	sc.Preconditioned = true
	var chol mat.Cholesky
	if !chol.Factorize(A) {
		t.Fatal("A not positive definite")
	}
	var Lc mat.TriDense
	chol.LTo(&Lc)
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
	for _, h := range []float64{0.1, 0.3} {
		ev, _ := newEvaluator(compile(sc), db4(t))
		ch := newChain(ev, rand.New(rand.NewPCG(11, uint64(h*100))))
		if ch.pre == nil {
			t.Fatal("chain is not preconditioned")
		}
		ch.start(cond, nil)
		ch.h = h
		const burn, steps = 200, 20000
		C := mat.NewSymDense(dim, nil)
		m := make([]float64, dim)
		x := make([]float64, dim)
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
				copy(x[(b-1)*nn:], ch.u[b])
			}
			for i, v := range x {
				m[i] += v / steps
			}
			C.SymRankOne(C, 1.0/steps, mat.NewVecDense(dim, x))
		}
		// Covariance about the exact mean; mean error in σ units.
		merr := 0.0
		var Ci mat.SymDense
		_ = chol.InverseTo(&Ci)
		for i := range dim {
			merr = max(merr, math.Abs(m[i]+mu.AtVec(i))/math.Sqrt(Ci.At(i, i)))
		}
		mv := mat.NewVecDense(dim, nil)
		for i := range dim {
			mv.SetVec(i, -mu.AtVec(i))
		}
		C.SymRankOne(C, -1, mv) // E[xxᵀ] − μμᵀ
		var W mat.Dense
		W.Mul(Lc.T(), C)
		W.Mul(&W, &Lc)
		fro := 0.0
		for i := range dim {
			for j := range dim {
				d := W.At(i, j)
				if i == j {
					d--
				}
				fro += d * d
			}
		}
		werr := math.Sqrt(fro / float64(dim))
		// With M = A⁻¹ the chain is an AR(1) process x − μ ↦ (1−h)(x − μ)
		// + noise on accepted moves: lag-1 correlation ρ = 1 − h·acceptance
		// and integrated autocorrelation time of second moments
		// τ = (1+ρ²)/(1−ρ²).
		ar := float64(acc) / steps
		rho := 1 - h*ar
		tau := (1 + rho*rho) / (1 - rho*rho)
		noise := math.Sqrt(float64(dim+1) * tau / steps)
		t.Logf("h=%.2f: acceptance %.3f, whitened covariance error %.4f (sampling noise for τ = %.1f: %.4f), max |mean error|/σ %.3f",
			h, ar, werr, tau, noise, merr)
		if werr > 2*noise {
			t.Errorf("h=%v: whitened covariance error %.4f", h, werr)
		}
		if merr > 0.1 {
			t.Errorf("h=%v: mean error %.3f σ", h, merr)
		}
	}
}

// TestPMALAAllocs checks that a preconditioned MALA step does not
// allocate.
func TestPMALAAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	sc, _, _ := gaussianScale(t, 4, 1, rng)
	sc.StdBands = []float64{100, 100, 100}
	sc.Preconditioned = true
	ev, _ := newEvaluator(compile(sc), db4(t))
	ch := newChain(ev, rng)
	ch.start(make([]float64, 16), nil)
	ch.h = 0.3
	if a := testing.AllocsPerRun(50, func() { ch.step() }); a != 0 {
		t.Errorf("a preconditioned step allocates %v times", a)
	}
}

// TestFisherMetricGaussian checks Scale.Metric on exact samples of a
// Gaussian conditional ½x̄ᵀAx̄ + x̄ᵀBx_j: the score g = A(x̄ − μ) has
// E[ggᵀ] = A, so the metric kernel must equal the quadratic kernels of A
// up to sampling noise (relative error ~ 1/√(samples·n²)).
func TestFisherMetricGaussian(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	n, S := 4, 1
	sc, A, B := gaussianScale(t, n, S, rng)
	chol, Lc := choleskyOf(t, A)
	const ns = 4000
	us := make([][4][]float64, ns)
	for s := range ns {
		us[s] = drawConditional(t, rng, chol, Lc, B, n)
	}
	got := fisherMetric(sc, us, db4(t), 2)
	c := compile(sc)
	w := (2*S + 1) * (2*S + 1)
	var num, den float64
	for ai, a := range c.vary {
		for bi, b := range c.vary {
			for r := range w {
				want := 0.0
				if k := c.kern[a][b]; k != nil {
					want = k[r]
				}
				d := got[(ai*3+bi)*w+r] - want
				num += d * d
				den += want * want
			}
		}
	}
	rel := math.Sqrt(num / den)
	t.Logf("Fisher metric against A's kernels: relative error %.4f (%d samples of %d coordinates)", rel, ns, 3*n*n)
	if rel > 0.05 {
		t.Errorf("relative error %.4f", rel)
	}
}
