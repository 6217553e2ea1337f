package rg

import (
	"bytes"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/internal/testenv"
)

// TestScatParams checks the parameter counts of the default models with
// scattering terms at L = 32 and 64 (reported beside d = L²) and the
// per-factor counts of the documentation.
func TestScatParams(t *testing.T) {
	for _, L := range []int{16, 32, 64, 128} {
		specs, J, err := DefaultSpecs(L)
		if err != nil {
			t.Fatal(err)
		}
		specs, err = WithScattering(L, J, specs, nil)
		if err != nil {
			t.Fatal(err)
		}
		pc, err := SpecParams(L, J, specs)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for _, sp := range pc.Scales {
			want := map[int]int{8: 45, 16: 95, 32: 161, 64: 243, 128: 341}[sp.Grid]
			if sp.J < J && sp.Grid >= ScatMinGrid && sp.Scattering != want {
				t.Errorf("L=%d, grid %d: %d scattering terms, want %d", L, sp.Grid, sp.Scattering, want)
			}
			sum += sp.Total
		}
		if sum != pc.Total || pc.D != L*L {
			t.Errorf("L=%d: totals %d vs %d, d = %d", L, sum, pc.Total, pc.D)
		}
		lg := math.Log2(float64(pc.D))
		t.Logf("L=%d (d=%d): %d parameters: %d sigmoids, %d quadratic, %d scattering (log₂³d = %.0f); per factor %v",
			L, pc.D, pc.Total, pc.Sigmoids, pc.Quadratic, pc.Scattering, lg*lg*lg, perFactor(pc))
	}
	// Non-isotropic counts: L orientations, K scales: L + 2L²(K−1) + L³K(K−1)/2 + L²(L+1)K/2.
	for _, tc := range []struct{ N, L int }{{8, 4}, {32, 4}, {64, 2}, {16, 3}} {
		b, err := ScatSpec{Orientations: tc.L}.resolve(tc.N)
		if err != nil {
			t.Fatal(err)
		}
		K, L := b.Scales, tc.L
		want := L + 2*L*L*(K-1) + L*L*L*K*(K-1)/2 + L*L*(L+1)*K/2
		if len(b.Terms) != want {
			t.Errorf("N=%d, L=%d: %d terms, want %d", tc.N, tc.L, len(b.Terms), want)
		}
	}
}

func perFactor(pc ParamCounts) []int {
	var out []int
	for _, s := range pc.Scales {
		out = append(out, s.Scattering)
	}
	return out
}

// TestScatFitSampleAPI fits a model with scattering terms through the
// public API (Symmetric and Isotropic, one calibration round), checks its
// validation, JSON round trip, parameter counts, the symmetries of the
// fitted energy, and samples from it.
func TestScatFitSampleAPI(t *testing.T) {
	testenv.SkipStatisticalOnWasm(t)
	const L = 16
	specs, J, err := DefaultSpecs(L)
	if err != nil {
		t.Fatal(err)
	}
	for i := range specs {
		specs[i].Steps = 20
		specs[i].Sigmoids = 6
	}
	specs, err = WithScattering(L, J, specs, &ScatSpec{Isotropic: true, Probes: 2})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Fit(smoothFields(64, L, 3), FitOptions{Specs: specs, Symmetric: true, Isotropic: true, Calibration: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := m.Params()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := SpecParams(L, J, specs)
	if !reflect.DeepEqual(pc, want) {
		t.Errorf("Params %+v, SpecParams %+v", pc, want)
	}
	t.Logf("L=%d: %d parameters (%d scattering), per factor %v", L, pc.Total, pc.Scattering, perFactor(pc))
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := ReadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m, m2) {
		t.Error("JSON round trip changed the model")
	}
	// A broken block is rejected.
	bad := *m2
	bad.Scales = append([]Scale(nil), m2.Scales...)
	i := len(bad.Scales) - 1
	blk := *bad.Scales[i].Scattering
	blk.Terms = blk.Terms[1:]
	bad.Scales[i].Scattering = &blk
	if bad.Validate() == nil {
		t.Error("a scattering block with a missing term validates")
	}
	// Symmetric fit: the odd s3 coefficients vanish and Ē(−x̄ | −x_j) =
	// Ē(x̄ | x_j); Isotropic: Ē is invariant under transposition.
	rng := rand.New(rand.NewPCG(5, 6))
	for i, sc := range m.Scales {
		if sc.Scattering == nil {
			continue
		}
		P0 := len(sc.Centres) + len(sc.Terms)
		big := 0.0
		for _, v := range sc.Theta[P0:] {
			big = max(big, math.Abs(v))
		}
		for f, tm := range sc.Scattering.Terms {
			if (tm.Family == ScatS3Re || tm.Family == ScatS3Im) && math.Abs(sc.Theta[P0+f]) > 1e-8*big {
				t.Errorf("scale %d: odd term %v has θ = %g in a symmetric fit", i, tm, sc.Theta[P0+f])
			}
		}
		n := sc.CoarseGrid
		u := randChannels(true, n, rng, 1)
		energy := func(u [4][]float64) float64 {
			fs := make([]*field.Field, 3)
			for b := range fs {
				fs[b] = &field.Field{W: n, H: n, Data: u[b+1]}
			}
			e, _, err := m.Energy(i, &field.Field{W: n, H: n, Data: u[0]}, fs)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		e0 := energy(u)
		var neg, tr [4][]float64
		for c, src := range [4]int{0, 2, 1, 3} {
			neg[c] = make([]float64, n*n)
			tr[c] = make([]float64, n*n)
			for k, v := range u[c] {
				neg[c][k] = -v
			}
			for y := range n {
				for x := range n {
					tr[c][y*n+x] = u[src][x*n+y]
				}
			}
		}
		if d := math.Abs(energy(neg) - e0); d > 1e-9*(1+math.Abs(e0)) {
			t.Errorf("scale %d: Ē(−x̄|−x_j) − Ē(x̄|x_j) = %g", i, d)
		}
		if d := math.Abs(energy(tr) - e0); d > 1e-6*(1+math.Abs(e0)) {
			t.Errorf("scale %d: Ē(transposed) − Ē = %g", i, d)
		}
		t.Logf("scale %d: cond %.3g → %.3g, Ē = %.6g, |Ē(−x̄|−x_j) − Ē| = %.2g, |Ē(transposed) − Ē| = %.2g",
			i, sc.CondRaw, sc.CondPreconditioned, e0, math.Abs(energy(neg)-e0), math.Abs(energy(tr)-e0))
	}
	fs, st, err := m.Sample(2, 7, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if allFinite(f.Data) >= 0 {
			t.Error("sampled field is not finite")
		}
	}
	t.Logf("sampling: acceptance %v", st.Acceptance)
}
