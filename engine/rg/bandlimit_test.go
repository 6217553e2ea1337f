package rg

import (
	"bytes"
	"math"
	"math/cmplx"
	"strings"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/fourier"
)

// truncate zeroes the modes max(|k_x|, |k_y|) > K of each field (the 2/3
// rule) and returns the power beyond K before truncation.
func truncate(t *testing.T, fs []*field.Field, K int) {
	t.Helper()
	pr, err := newProjector(fs[0].W, K)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		pr.project(f.Data)
	}
}

// beyond returns the fraction of the power of f (mean removed) in the
// modes max(|k_x|, |k_y|) > K.
func beyond(f *field.Field, K int) float64 {
	L := f.W
	plan, _ := fourier.NewPlan2D(L, L)
	z := make([]complex128, L*L)
	_ = plan.ForwardReal(z, f.Data)
	var in, out float64
	for r := range L {
		for c := range L {
			if r == 0 && c == 0 {
				continue
			}
			a := cmplx.Abs(z[r*L+c])
			if maxNorm(r, c, L) > K {
				out += a * a
			} else {
				in += a * a
			}
		}
	}
	return out / (in + out)
}

// TestBandLimit checks the noise fill of band-limited data and the
// projection of the samples: DetectBandLimit finds the 2/3-rule limit
// (and none on full-band data), FillBandLimited leaves the retained modes
// unchanged and puts the stated power in the others, and a model fitted
// with FitOptions.BandLimit records it, survives JSON, and samples fields
// with no power beyond it, Hierarchy's x_0 being the projected field.
func TestBandLimit(t *testing.T) {
	const L, K = 16, 5 // ⌊(16−1)/3⌋
	fs := smoothFields(64, L, 3)
	if k, err := DetectBandLimit(fs, 1e-10); err != nil || k != 0 {
		t.Fatalf("full-band data: DetectBandLimit = %d, %v; want 0", k, err)
	}
	truncate(t, fs, K)
	if k, err := DetectBandLimit(fs, 1e-10); err != nil || k != K {
		t.Fatalf("DetectBandLimit = %d, %v; want %d", k, err, K)
	}
	if _, _, err := FillBandLimited(fs, K-1, 1); err == nil || !strings.Contains(err.Error(), "not band-limited") {
		t.Errorf("FillBandLimited below the limit: err = %v", err)
	}
	filled, bl, err := FillBandLimited(fs, K, 1)
	if err != nil {
		t.Fatal(err)
	}
	if bl.MaxK != K || !(bl.NoisePower > 0) || !(bl.PowerFraction > 0 && bl.PowerFraction < 1) {
		t.Fatalf("band limit %+v", bl)
	}
	// Retained modes unchanged; the fill's power per truncated mode.
	pr, _ := newProjector(L, K)
	var dmax, pw, nm float64
	plan, _ := fourier.NewPlan2D(L, L)
	z := make([]complex128, L*L)
	for i, f := range filled {
		g := f.Clone()
		pr.project(g.Data)
		for p, v := range g.Data {
			dmax = max(dmax, math.Abs(v-fs[i].Data[p]))
		}
		_ = plan.ForwardReal(z, f.Data)
		for r := range L {
			for c := range L {
				if maxNorm(r, c, L) > K {
					a := cmplx.Abs(z[r*L+c])
					pw += a * a / float64(L*L)
					nm++
				}
			}
		}
	}
	pw /= nm
	t.Logf("fill: noise power per mode %.4g (measured %.4g over %.0f modes), power fraction %.3g; retained modes changed by %.2g",
		bl.NoisePower, pw, nm, bl.PowerFraction, dmax)
	if dmax > 1e-12 {
		t.Errorf("the fill changed the retained modes by %g", dmax)
	}
	if math.Abs(pw/bl.NoisePower-1) > 5/math.Sqrt(nm/2) {
		t.Errorf("fill power per mode %g, stated %g", pw, bl.NoisePower)
	}
	specs, _, _ := DefaultSpecs(L)
	for i := range specs {
		specs[i].Steps = 200
	}
	m, err := Fit(fs, FitOptions{Specs: specs, Calibration: -1, BandLimit: K, Precondition: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.BandLimit == nil || m.BandLimit.MaxK != K {
		t.Fatalf("model band limit %+v", m.BandLimit)
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := ReadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if *m2.BandLimit != *m.BandLimit || !m2.Scales[1].Preconditioned {
		t.Fatalf("JSON round trip: %+v, preconditioned %v", m2.BandLimit, m2.Scales[1].Preconditioned)
	}
	bad := *m2
	bad.BandLimit = &BandLimit{MaxK: L / 2}
	if bad.Validate() == nil {
		t.Error("a band limit of L/2 validated")
	}
	s, err := m2.NewSampler(SampleOptions{Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	checked := false
	for !s.Done() {
		s.Step(50)
		if i, _, _ := s.Phase(); i == len(m2.Scales)-1 && !checked {
			if b := beyond(s.Current(), K); b > 1e-20 {
				t.Errorf("Current during the finest factor holds %g of its power beyond the band limit", b)
			}
			checked = true
		}
	}
	if s.Err() != nil {
		t.Fatal(s.Err())
	}
	f := s.Field()
	if b := beyond(f, K); b > 1e-20 {
		t.Errorf("sampled field holds %g of its power beyond the band limit", b)
	}
	x0 := s.Hierarchy().Approx[0]
	for p, v := range x0.Data {
		if d := math.Abs(m2.Std*v + m2.Mean - f.Data[p]); d > 1e-12 {
			t.Fatalf("Hierarchy x_0 is not the projected field (%g at %d)", d, p)
		}
	}
	t.Logf("acceptance per factor %.2f", s.Acceptance())
}
