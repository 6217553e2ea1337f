package rg

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestSolveShrink checks the Gaussian prior of FitOptions.ScatShrink: with
// shrink 0 the solve is unchanged; with shrink λ on the last coordinates
// θ solves (H + λ·diag(H_ii on them))θ = G exactly; and as λ → ∞ those
// coordinates vanish and the others solve the subsystem of the rest (the
// local model).
func TestSolveShrink(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const P, ns = 9, 4
	X := mat.NewDense(P, 40, nil) // H = XXᵀ, positive definite
	for i := range P {
		for j := range 40 {
			X.Set(i, j, rng.NormFloat64()*float64(i+1))
		}
	}
	H := mat.NewSymDense(P, nil)
	H.SymOuterK(1, X)
	G := make([]float64, P)
	for i := range G {
		G[i] = rng.NormFloat64()
	}
	const tol = 1e-14
	base, err := solveRidge(H, G, tol, nil)
	if err != nil {
		t.Fatal(err)
	}
	zero, err := solveRidge(H, G, tol, make([]float64, P))
	if err != nil {
		t.Fatal(err)
	}
	for i := range P {
		if math.Abs(zero.theta[i]-base.theta[i]) > 1e-9*(1+math.Abs(base.theta[i])) {
			t.Fatalf("shrink 0: θ_%d = %g, want %g", i, zero.theta[i], base.theta[i])
		}
	}
	for _, lam := range []float64{0.5, 1e9} {
		shrink := make([]float64, P)
		Hs := mat.NewSymDense(P, nil)
		Hs.CopySym(H)
		for i := P - ns; i < P; i++ {
			shrink[i] = lam
			Hs.SetSym(i, i, H.At(i, i)*(1+lam))
		}
		sol, err := solveRidge(H, G, tol, shrink)
		if err != nil {
			t.Fatal(err)
		}
		var want mat.VecDense
		if err := want.SolveVec(Hs, mat.NewVecDense(P, G)); err != nil {
			t.Fatal(err)
		}
		for i := range P {
			if d := math.Abs(sol.theta[i] - want.AtVec(i)); d > 1e-8*(1+math.Abs(want.AtVec(i))) {
				t.Errorf("λ=%g: θ_%d = %.12g, want %.12g", lam, i, sol.theta[i], want.AtVec(i))
			}
		}
		if lam < 1e6 {
			continue
		}
		sub := mat.NewSymDense(P-ns, nil)
		for i := range P - ns {
			for j := i; j < P-ns; j++ {
				sub.SetSym(i, j, H.At(i, j))
			}
		}
		local, err := solveRidge(sub, G[:P-ns], tol, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range P {
			w := 0.0
			if i < P-ns {
				w = local.theta[i]
			}
			if math.Abs(sol.theta[i]-w) > 1e-6*(1+math.Abs(w)) {
				t.Errorf("λ→∞: θ_%d = %g, want the local model's %g", i, sol.theta[i], w)
			}
		}
	}
}
