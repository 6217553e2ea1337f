package phi4

import (
	"errors"
	"math"
	"math/rand/v2"
	"scalewise/engine/internal/testenv"
	"testing"
)

// ar1 returns n values of x_{t+1} = ρ x_t + √(1−ρ²) ξ_t, started in
// equilibrium.
func ar1(n int, rho float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, n)
	x[0] = rng.NormFloat64()
	s := math.Sqrt(1 - rho*rho)
	for i := 1; i < n; i++ {
		x[i] = rho*x[i-1] + s*rng.NormFloat64()
	}
	return x
}

// TestTauIntAR1 checks τ_int against (1+ρ)/(2(1−ρ)) for AR(1) series.
func TestTauIntAR1(t *testing.T) {
	testenv.SkipStatisticalOnWasm(t)
	tests := []struct {
		rho float64
		c   float64
	}{
		{0, 6},
		{0.5, 6},
		{0.9, 6},
		{0.95, 5},
		{0.98, 6},
	}
	n := 400000
	if testing.Short() {
		n = 100000
	}
	for i, tc := range tests {
		x := ar1(n, tc.rho, uint64(i)+1)
		ac, err := TauInt(x, tc.c)
		if err != nil {
			t.Fatal(err)
		}
		want := (1 + tc.rho) / (2 * (1 - tc.rho))
		t.Logf("ρ = %v: τ_int = %.3f ± %.3f (W = %d), exact %.3f", tc.rho, ac.Tau, ac.Err, ac.Window, want)
		// 4σ statistical error plus the bias of the window cut, ≈ τ e^{−c} at most.
		if math.Abs(ac.Tau-want) > 4*ac.Err+want*math.Exp(-tc.c)*2 {
			t.Errorf("ρ = %v: τ_int = %.3f ± %.3f, want %.3f", tc.rho, ac.Tau, ac.Err, want)
		}
		if float64(ac.Window) < tc.c*ac.Tau {
			t.Errorf("ρ = %v: window %d < c·τ = %.1f", tc.rho, ac.Window, tc.c*ac.Tau)
		}
		if math.Abs(ac.Var-1) > 0.1 || math.Abs(ac.Mean) > 0.1 {
			t.Errorf("ρ = %v: mean %.3f, variance %.3f, want 0 and 1", tc.rho, ac.Mean, ac.Var)
		}
	}
}

// TestTauIntDirect compares with a direct O(nW) evaluation of the estimator.
func TestTauIntDirect(t *testing.T) {
	x := ar1(3000, 0.8, 9)
	ac, err := TauInt(x, 6)
	if err != nil {
		t.Fatal(err)
	}
	n := len(x)
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(n)
	c := func(lag int) float64 {
		s := 0.0
		for i := 0; i+lag < n; i++ {
			s += (x[i] - mean) * (x[i+lag] - mean)
		}
		return s / float64(n-lag)
	}
	tau, c0 := 0.5, c(0)
	for w := 1; w <= ac.Window; w++ {
		tau += c(w) / c0
	}
	if math.Abs(tau-ac.Tau) > 1e-9 {
		t.Errorf("τ_int = %.12f, direct sum %.12f", ac.Tau, tau)
	}
}

func TestTauIntBadInput(t *testing.T) {
	tests := []struct {
		name  string
		x     []float64
		c     float64
		short bool
	}{
		{"too short", []float64{1, 2, 3}, 6, false},
		{"constant", []float64{2, 2, 2, 2, 2, 2}, 6, false},
		{"NaN", []float64{1, 2, math.NaN(), 4, 5}, 6, false},
		{"c zero", []float64{1, 2, 3, 4, 5}, 0, false},
		{"c infinite", []float64{1, 2, 3, 4, 5}, math.Inf(1), false},
		{"slow series", ar1(200, 0.999, 3), 6, true},
	}
	for _, tc := range tests {
		_, err := TauInt(tc.x, tc.c)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if errors.Is(err, ErrShortSeries) != tc.short {
			t.Errorf("%s: error %v, ErrShortSeries %v", tc.name, err, tc.short)
		}
	}
}
