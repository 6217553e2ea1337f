package basis

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

func TestDense(t *testing.T) {
	// A = [[1 2] [3 4]]: A·(1, 1) = (3, 7), Aᵀ·(1, 1) = (4, 6).
	d, err := NewDense(2, []float64{1, 2, 3, 4})
	if err != nil {
		t.Fatal(err)
	}
	got := make([]float64, 2)
	tests := []struct {
		name  string
		apply func(dst, x []float64) error
		want  []float64
	}{
		{"Apply", d.Apply, []float64{3, 7}},
		{"ApplyT", d.ApplyT, []float64{4, 6}},
		{"symmetric part", SymmetricPart(d).Apply, []float64{3.5, 6.5}},
	}
	for _, tc := range tests {
		if err := tc.apply(got, []float64{1, 1}); err != nil {
			t.Fatal(err)
		}
		if got[0] != tc.want[0] || got[1] != tc.want[1] {
			t.Errorf("%s = %v, want %v", tc.name, got, tc.want)
		}
	}
	if tr := d.Trace(); tr != 5 {
		t.Errorf("trace %g, want 5", tr)
	}
	// (A − Aᵀ)/2 = [[0 −½] [½ 0]]: ‖·‖_F² = ½, ‖A‖_F² = 30.
	if r, want := d.AntisymmetryRatio(), math.Sqrt(0.5/30); math.Abs(r-want) > 1e-15 {
		t.Errorf("antisymmetry %g, want %g", r, want)
	}
	e, err := DenseOf(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		for j := range 2 {
			if e.At(i, j) != d.At(i, j) {
				t.Errorf("DenseOf(%d, %d) = %g, want %g", i, j, e.At(i, j), d.At(i, j))
			}
		}
	}
}

func TestDenseErrors(t *testing.T) {
	if _, err := NewDense(2, make([]float64, 3)); err == nil {
		t.Error("NewDense accepted 3 values for 2×2")
	}
	if _, err := NewDense(0, nil); err == nil {
		t.Error("NewDense accepted n = 0")
	}
	d := randomDense(rand.New(rand.NewPCG(1, 2)), 3, 0)
	for _, f := range []func(dst, x []float64) error{d.Apply, d.ApplyT, SymmetricPart(d).Apply} {
		if err := f(make([]float64, 3), make([]float64, 2)); err == nil {
			t.Error("accepted a vector of the wrong length")
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := DenseOf(ctx, d); err == nil {
		t.Error("DenseOf ignored a cancelled context")
	}
	if _, err := DenseOf(context.Background(), nil); err == nil {
		t.Error("DenseOf accepted a nil operator")
	}
}

// TestSymmetricEigen checks the oracle itself on a known spectrum.
func TestSymmetricEigen(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	lambda := []float64{-1, 0.5, 2, 3}
	d, u := withSpectrum(rng, lambda)
	vals, vecs, err := d.SymmetricEigen()
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{3, 2, 0.5, -1} {
		if math.Abs(vals[i]-want) > 1e-12 {
			t.Errorf("λ_%d = %.15g, want %g", i+1, vals[i], want)
		}
		if a := angle(vecs[i], u[len(lambda)-1-i]); a > 1e-10 {
			t.Errorf("e_%d off by %.3g rad", i+1, a)
		}
	}
}
