package basis

import (
	"context"
	"math"
	"testing"
	"time"
)

// TestNetOracle builds the full Jacobian of a shipped net at a noisy C^α
// image by n JVPs (32×32, n = 1024; 16×16 under wasm) and checks the
// matrix-free estimates against it: Lanczos's top 16 eigenpairs of the
// symmetric part against mat.EigenSym (values to 1e-3 relative, vectors to
// 1e-2 rad), Hutchinson's trace and the antisymmetry ratio within 3
// standard errors of the exact values.
func TestNetOracle(t *testing.T) {
	size := 32
	if onWasm() {
		size = 16
	}
	u := shippedNet(t, "calpha4")
	_, y := noisyCAlpha(t, size, 4, 0.1, 2)
	j, err := NewNetJacobian(u, y.Data, size, size)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t0 := time.Now()
	d, err := DenseOf(ctx, j)
	if err != nil {
		t.Fatal(err)
	}
	t1 := time.Now()
	vals, vecs, err := d.SymmetricEigen()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d×%d: dense Jacobian in %v, its eigendecomposition in %v; λ_1 = %.4f, λ_16 = %.4f, λ_n = %.4f, tr J = %.2f, antisymmetry %.4f",
		size, size, t1.Sub(t0).Round(time.Millisecond), time.Since(t1).Round(time.Millisecond), vals[0], vals[15], vals[len(vals)-1], d.Trace(), d.AntisymmetryRatio())

	t.Run("lanczos", func(t *testing.T) {
		const k = 16
		t0 := time.Now()
		e, err := Lanczos(ctx, SymmetricPart(j), k, LanczosOptions{Seed: 1, ExplicitResiduals: true})
		if err != nil {
			t.Fatal(err)
		}
		worstV, worstA := 0.0, 0.0
		for i := range k {
			worstV = math.Max(worstV, relErr(e.Values[i], vals[i]))
			worstA = math.Max(worstA, angle(e.Vectors[i], vecs[i]))
		}
		t.Logf("top %d in %d steps (%v, converged %v): values to %.2g relative, vectors to %.2g rad, largest residual %.2g",
			k, e.Krylov, time.Since(t0).Round(time.Millisecond), e.Converged, worstV, worstA, maxOf(e.Residuals))
		if worstV > 1e-3 || worstA > 1e-2 || !e.Converged {
			t.Errorf("top %d: values off by %.3g relative, vectors by %.3g rad (want 1e-3, 1e-2), converged %v", k, worstV, worstA, e.Converged)
		}
	})
	t.Run("trace", func(t *testing.T) {
		e, err := Trace(ctx, j, 64, 3)
		if err != nil {
			t.Fatal(err)
		}
		within3SE(t, "Hutchinson tr J", e, d.Trace())
	})
	t.Run("antisymmetry", func(t *testing.T) {
		e, err := Antisymmetry(ctx, j, 64, 4)
		if err != nil {
			t.Fatal(err)
		}
		within3SE(t, "‖(J − Jᵀ)/2‖_F / ‖J‖_F", e, d.AntisymmetryRatio())
	})
}

func maxOf(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = math.Max(m, x)
	}
	return m
}
