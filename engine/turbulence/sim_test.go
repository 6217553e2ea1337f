package turbulence

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"scalewise/engine/field"
)

// gridField returns the n×n field f(x, y) at x = 2π·c/n, y = 2π·r/n.
func gridField(n int, f func(x, y float64) float64) *field.Field {
	out := field.New(n, n)
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			out.Data[r*n+c] = f(2*math.Pi*float64(c)/float64(n), 2*math.Pi*float64(r)/float64(n))
		}
	}
	return out
}

// randomVorticity returns a smooth random vorticity field: Gaussian
// Fourier amplitudes ∝ |k| e^{−|k|²/(2k0²)} (energy spectrum peaked near k0).
func randomVorticity(n int, k0 float64, seed uint64) *field.Field {
	rng := rand.New(rand.NewPCG(seed, 3))
	f := field.New(n, n)
	kmax := int(3 * k0)
	for ky := 0; ky <= kmax; ky++ {
		for kx := -kmax; kx <= kmax; kx++ {
			if ky == 0 && kx <= 0 {
				continue
			}
			k := math.Hypot(float64(kx), float64(ky))
			a := k * math.Exp(-k*k/(2*k0*k0))
			amp, ph := a*rng.NormFloat64(), 2*math.Pi*rng.Float64()
			for r := 0; r < n; r++ {
				for c := 0; c < n; c++ {
					x, y := 2*math.Pi*float64(c)/float64(n), 2*math.Pi*float64(r)/float64(n)
					f.Data[r*n+c] += amp * math.Cos(float64(kx)*x+float64(ky)*y+ph)
				}
			}
		}
	}
	return f
}

// TestNonlinearTerm checks the sign conventions of the advection term on
// ω = cos x + cos 2y: ψ = cos x + cos(2y)/4, u = ∂ᵧψ = −sin(2y)/2,
// v = −∂ₓψ = sin x, so −u·∇ω = −[u(−sin x) + v(−2 sin 2y)] = (3/2) sin x sin 2y.
func TestNonlinearTerm(t *testing.T) {
	const n = 32
	p := Params{N: n, P: 1, Dt: 0.01, CFL: 0.5,
		Init: gridField(n, func(x, y float64) float64 { return math.Cos(x) + math.Cos(2*y) })}
	s, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	nl := make([]complex128, n*n)
	umax := s.nonlinear(nl, s.w)
	got := make([]float64, n*n)
	if err := s.plan.InverseReal(got, nl); err != nil {
		t.Fatal(err)
	}
	want := gridField(n, func(x, y float64) float64 { return 1.5 * math.Sin(x) * math.Sin(2*y) })
	worst := 0.0
	for i := range got {
		worst = max(worst, math.Abs(got[i]-want.Data[i]))
	}
	if worst > 1e-12 {
		t.Errorf("−u·∇ω differs from (3/2) sin x sin 2y by up to %.3g", worst)
	}
	// max(|u| + |v|) = max(|sin 2y|/2 + |sin x|) = 3/2 at grid points x = π/2, y = π/4.
	if math.Abs(umax-1.5) > 1e-12 {
		t.Errorf("max(|u|+|v|) = %v, want 1.5", umax)
	}
}

// TestConservation runs the inviscid, unforced, undamped equation (only the
// dealiased advection). The Galerkin truncation conserves E and Z exactly,
// so their drift is the time-stepping error alone and must vanish at least
// as fast as dt⁴ (RK4 damps oscillations by 1 − (ω dt)⁶/72 per step, so the
// drift falls as dt⁵). Measured at N = 64 over 2 eddy turnovers: Courant 0.5
// (326 steps) ΔE/E = −5.7·10⁻⁶, ΔZ/Z = −1.3·10⁻⁴; Courant 0.25 (651 steps)
// −1.8·10⁻⁷ and −4.0·10⁻⁶, i.e. 32× smaller. (Z drifts more: the inviscid
// truncated flow sends its enstrophy to K, where the modes are fastest.)
func TestConservation(t *testing.T) {
	const n = 64
	init := randomVorticity(n, 4, 11)
	drift := func(cfl float64) (de, dz float64, final *field.Field) {
		p := Params{N: n, P: 1, Dt: 0.05, Adaptive: true, CFL: cfl, Init: init}
		s, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		e0, z0 := s.Energy(), s.Enstrophy()
		tt := s.EddyTurnoverTime()
		if err := s.Advance(2 * tt); err != nil {
			t.Fatal(err)
		}
		de = math.Abs(s.Energy()/e0 - 1)
		dz = math.Abs(s.Enstrophy()/z0 - 1)
		t.Logf("N=%d, Courant %.2f, %d steps over %.3g (2 turnovers): |ΔE/E| = %.2g, |ΔZ/Z| = %.2g", n, cfl, s.Steps(), s.Time(), de, dz)
		return de, dz, s.Vorticity()
	}
	de1, dz1, final := drift(0.5)
	de2, dz2, _ := drift(0.25)
	if de1 > 1e-4 || dz1 > 1e-3 {
		t.Errorf("Courant 0.5: energy drift %.3g or enstrophy drift %.3g too large", de1, dz1)
	}
	if de1/de2 < 16 || dz1/dz2 < 16 {
		t.Errorf("halving dt reduced the drifts only %.3g× (E) and %.3g× (Z), want ≥ 16× (time-stepping error only)", de1/de2, dz1/dz2)
	}
	// The flow did evolve (the test is not trivially passed at rest).
	if c := correlation(init, final); c > 0.95 {
		t.Errorf("vorticity barely changed (correlation %.3f with the initial field)", c)
	}
}

func correlation(a, b *field.Field) float64 {
	var ma, mb float64
	for i := range a.Data {
		ma += a.Data[i]
		mb += b.Data[i]
	}
	ma /= float64(len(a.Data))
	mb /= float64(len(b.Data))
	var ab, aa, bb float64
	for i := range a.Data {
		x, y := a.Data[i]-ma, b.Data[i]-mb
		ab += x * y
		aa += x * x
		bb += y * y
	}
	return ab / math.Sqrt(aa*bb)
}

// TestSteadyStates checks flows with ω = k²ψ (all modes on one shell |k|),
// for which u·∇ω = 0: a single Fourier mode, the Taylor–Green vortex
// ω = 2 sin x sin y and a mix of modes on the shell |k| = 5. Without
// dissipation they are stationary solutions of the Euler equation; with
// drag and hyperviscosity they decay exactly as e^{−(μ + ν|k|^{2p})t}
// (the integrating factor is exact; only round-off remains).
func TestSteadyStates(t *testing.T) {
	const n = 32
	flows := []struct {
		name string
		k2   float64
		f    func(x, y float64) float64
	}{
		{"mode(3,2)", 13, func(x, y float64) float64 { return math.Cos(3*x + 2*y + 0.3) }},
		{"Taylor-Green", 2, func(x, y float64) float64 { return 2 * math.Sin(x) * math.Sin(y) }},
		{"shell5", 25, func(x, y float64) float64 { return math.Cos(5*x) + 0.7*math.Sin(3*x-4*y) - 0.4*math.Cos(5*y+1) }},
	}
	damping := []struct{ mu, nu float64 }{{0, 0}, {0.3, 0}, {0, 1e-4}, {0.2, 2e-5}}
	for _, fl := range flows {
		for _, d := range damping {
			init := gridField(n, fl.f)
			p := Params{N: n, Mu: d.mu, Nu: d.nu, P: 2, Dt: 0.01, CFL: MaxCFL, Init: init}
			s, err := New(p)
			if err != nil {
				t.Fatal(err)
			}
			const steps = 100
			for range steps {
				if err := s.Step(); err != nil {
					t.Fatal(err)
				}
			}
			decay := math.Exp(-(d.mu + d.nu*fl.k2*fl.k2) * s.Time())
			got := s.Vorticity()
			worst, amp := 0.0, 0.0
			for i, v := range got.Data {
				worst = max(worst, math.Abs(v-decay*init.Data[i]))
				amp = max(amp, math.Abs(init.Data[i]))
			}
			if worst > 1e-11*amp {
				t.Errorf("%s μ=%v ν=%v: after t=%v max |ω − e^{−λt}ω₀| = %.3g (decay factor %.6f)", fl.name, d.mu, d.nu, s.Time(), worst, decay)
			}
		}
	}
}

// TestDeterminism: the same seed gives bit-identical states, another seed
// a different one.
func TestDeterminism(t *testing.T) {
	run := func(seed uint64) *field.Field {
		p := DefaultParams(32)
		p.Seed = seed
		s, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		for range 60 {
			if err := s.Step(); err != nil {
				t.Fatal(err)
			}
		}
		return s.Vorticity()
	}
	a, b, c := run(5), run(5), run(6)
	for i := range a.Data {
		if a.Data[i] != b.Data[i] {
			t.Fatalf("seed 5 twice differs at %d: %v vs %v", i, a.Data[i], b.Data[i])
		}
	}
	if correlation(a, c) > 0.9 {
		t.Errorf("seeds 5 and 6 give correlated fields (%.3f)", correlation(a, c))
	}
}

func TestParamsValidate(t *testing.T) {
	good := DefaultParams(64)
	if err := good.Validate(); err != nil {
		t.Fatalf("default parameters: %v", err)
	}
	nan := math.NaN()
	tests := []struct {
		name string
		edit func(p *Params)
	}{
		{"odd N", func(p *Params) { p.N = 63 }},
		{"small N", func(p *Params) { p.N = 8 }},
		{"zero N", func(p *Params) { p.N = 0 }},
		{"huge N", func(p *Params) { p.N = 2 * MaxN }},
		{"zero dt", func(p *Params) { p.Dt = 0 }},
		{"negative dt", func(p *Params) { p.Dt = -0.01 }},
		{"NaN dt", func(p *Params) { p.Dt = nan }},
		{"Inf dt", func(p *Params) { p.Dt = math.Inf(1) }},
		{"NaN ε", func(p *Params) { p.Epsilon = nan }},
		{"negative ε", func(p *Params) { p.Epsilon = -1 }},
		{"NaN μ", func(p *Params) { p.Mu = nan }},
		{"negative μ", func(p *Params) { p.Mu = -0.1 }},
		{"NaN ν", func(p *Params) { p.Nu = nan }},
		{"negative ν", func(p *Params) { p.Nu = -1 }},
		{"order 0", func(p *Params) { p.P = 0 }},
		{"order too high", func(p *Params) { p.P = MaxOrder + 1 }},
		{"zero CFL", func(p *Params) { p.CFL = 0 }},
		{"CFL too high", func(p *Params) { p.CFL = 2 }},
		{"NaN CFL", func(p *Params) { p.CFL = nan }},
		{"NaN Kf", func(p *Params) { p.Kf = nan }},
		{"band beyond K", func(p *Params) { p.Kf = 21 }},
		{"band through 0", func(p *Params) { p.Kf, p.DeltaK = 1, 1 }},
		{"negative band width", func(p *Params) { p.DeltaK = -0.5 }},
		{"empty band", func(p *Params) { p.Kf, p.DeltaK = 1.2, 0.1 }},
		{"init size", func(p *Params) { p.Init = field.New(32, 32) }},
		{"init NaN", func(p *Params) { p.Init = field.New(64, 64); p.Init.Data[7] = nan }},
	}
	for _, tc := range tests {
		p := good
		tc.edit(&p)
		if _, err := New(p); err == nil {
			t.Errorf("%s: New accepted %+v", tc.name, p)
		}
	}
	// Unforced flows need no band.
	p := good
	p.Epsilon, p.Kf, p.DeltaK = 0, 0, 0
	if _, err := New(p); err != nil {
		t.Errorf("unforced flow rejected: %v", err)
	}
}

// TestBlowUp: a non-finite state and a fixed step above the Courant bound
// are reported as errors (never panics), and stay reported.
func TestBlowUp(t *testing.T) {
	s, err := New(DefaultParams(32))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Step(); err != nil {
		t.Fatal(err)
	}
	s.w[37] = complex(math.Inf(1), 0)
	err = s.Step()
	if !errors.Is(err, ErrBlowUp) {
		t.Fatalf("Step with an infinite mode: %v, want ErrBlowUp", err)
	}
	if err2 := s.Step(); !errors.Is(err2, ErrBlowUp) || s.Err() == nil {
		t.Errorf("second Step after blow-up: %v", err2)
	}
	if _, err := s.Snapshots(2, 1, nil); err == nil {
		t.Errorf("Snapshots after blow-up succeeded")
	}

	s, err = New(DefaultParams(32))
	if err != nil {
		t.Fatal(err)
	}
	s.w[37] = complex(math.NaN(), 0)
	if err := s.Step(); !errors.Is(err, ErrBlowUp) {
		t.Errorf("Step with a NaN mode: %v, want ErrBlowUp", err)
	}

	// A fixed step far above the Courant bound.
	p := Params{N: 32, P: 1, Dt: 1, CFL: 0.5, Init: randomVorticity(32, 3, 2)}
	s, err = New(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Step(); !errors.Is(err, ErrCFL) {
		t.Errorf("Step with Courant number ≫ 0.5: %v, want ErrCFL", err)
	}
}

func TestSnapshotArguments(t *testing.T) {
	s, err := New(DefaultParams(32))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		n       int
		spacing float64
	}{{0, 1}, {-1, 1}, {2, 0.5}, {2, math.NaN()}, {2, math.Inf(1)}} {
		if _, err := s.Snapshots(tc.n, tc.spacing, nil); err == nil {
			t.Errorf("Snapshots(%d, %v) succeeded", tc.n, tc.spacing)
		}
	}
	p := DefaultParams(32)
	p.Mu = 0
	s, err = New(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Snapshots(1, 1, nil); err == nil || !strings.Contains(err.Error(), "drag") {
		t.Errorf("Snapshots without drag: %v, want an error about the drag", err)
	}
}

// TestSpectrumSumsToEnergy: the shell spectrum adds up to E, and E, Z, the
// integral scale and the turnover time of a single shell are exact.
func TestSpectrumSumsToEnergy(t *testing.T) {
	const n = 32
	// ω = cos(5x): ψ = cos(5x)/25, u = 0, v = sin(5x)/5, E = ½⟨v²⟩ = 1/100.
	s, err := New(Params{N: n, P: 1, Dt: 0.01, CFL: 0.5,
		Init: gridField(n, func(x, y float64) float64 { return math.Cos(5 * x) })})
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("E", s.Energy(), 0.01)
	check("Z", s.Enstrophy(), 0.25)
	check("L", s.IntegralScale(), 2*math.Pi/5)
	check("T", s.EddyTurnoverTime(), 2*math.Pi/5/math.Sqrt(0.02))
	k, e := s.EnergySpectrum()
	check("E(5)", e[4], 0.01)
	if k[4] != 5 {
		t.Errorf("k[4] = %v", k[4])
	}

	s, err = New(Params{N: n, P: 1, Dt: 0.01, CFL: 0.5, Init: randomVorticity(n, 4, 9)})
	if err != nil {
		t.Fatal(err)
	}
	_, e = s.EnergySpectrum()
	sum := 0.0
	for _, v := range e {
		sum += v
	}
	check("Σ E(k)", sum, s.Energy())
	// Vorticity returns the (dealiased, mean-free) initial field.
	if at, err := New(Params{N: n, P: 1, Dt: 0.01, CFL: 0.5, Init: gridField(n, func(x, y float64) float64 {
		return math.Sin(2*x-y) + 0.5
	})}); err != nil {
		t.Fatal(err)
	} else {
		w := at.Vorticity()
		want := gridField(n, func(x, y float64) float64 { return math.Sin(2*x - y) })
		for i := range w.Data {
			if math.Abs(w.Data[i]-want.Data[i]) > 1e-13 {
				t.Fatalf("Vorticity at %d = %v, want %v (mean removed)", i, w.Data[i], want.Data[i])
			}
		}
	}
}

// TestForcingRate: with μ = ν = 0 the advection conserves energy, so
// E(t) is the injected energy, whose mean is εt; Budget.Injected must
// match E(t) − E(0) (measured: to 10⁻⁶ relative), and the mean over seeds
// must be near εt (its relative scatter is about 1/√(number of band modes)
// per run).
func TestForcingRate(t *testing.T) {
	const n, seeds = 32, 8
	mean := 0.0
	var tEnd float64
	for seed := range uint64(seeds) {
		p := DefaultParams(n)
		p.Mu, p.Nu, p.Seed = 0, 0, seed+1
		s, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Advance(0.5); err != nil {
			t.Fatal(err)
		}
		e := s.Energy()
		if b := s.Budget(); math.Abs(b.Injected-e) > 1e-5*e || b.Drag != 0 || b.Viscous != 0 {
			t.Errorf("seed %d: budget %+v, energy %v", seed, b, e)
		}
		mean += e / seeds
		tEnd = s.Time()
	}
	ratio := mean / (DefaultEpsilon * tEnd)
	t.Logf("mean E(t)/(εt) over %d seeds at t = %.3f: %.3f", seeds, tEnd, ratio)
	if math.Abs(ratio-1) > 0.25 {
		t.Errorf("mean injected energy / εt = %.3f, want ≈ 1", ratio)
	}
}
