package phi4

import (
	"math"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/polyspectra"
)

// newTestSampler builds a sampler of kind on an unchecked l×l lattice (l may
// be 1 or 2, below the public minimum).
func newTestSampler(t *testing.T, kind Kind, l int, beta float64, opts Options, seed uint64) Sampler {
	t.Helper()
	opts, err := opts.resolve(kind, l)
	if err != nil {
		t.Fatal(err)
	}
	lat := newLattice(l, beta)
	switch kind {
	case KindHMC:
		return newHMC(lat, opts, seed, false)
	case KindFAHMC:
		return newHMC(lat, opts, seed, true)
	case KindCluster:
		return newCluster(lat, opts, seed)
	}
	return newMALA(lat, opts, seed)
}

// binProbabilities integrates the density ∝ exp(−V) over each bin (Simpson
// rule) and normalises over [lo, hi], where the density is negligible
// outside.
func binProbabilities(edges []float64, v func(float64) float64) []float64 {
	p := make([]float64, len(edges)-1)
	total := 0.0
	for i := range p {
		a, b := edges[i], edges[i+1]
		const m = 64
		h := (b - a) / m
		s := math.Exp(-v(a)) + math.Exp(-v(b))
		for j := 1; j < m; j++ {
			w := 2.0
			if j%2 == 1 {
				w = 4
			}
			s += w * math.Exp(-v(a+float64(j)*h))
		}
		p[i] = s * h / 3
		total += p[i]
	}
	for i := range p {
		p[i] /= total
	}
	return p
}

// TestSingleSiteExact runs every sampler on one site, where the lattice
// energy is V(φ) = φ⁴ − (1+2β)φ² (the site is its own neighbour), and
// compares the histogram with the exact density: total variation below
// 0.03 and ⟨φ²⟩ within 5 standard errors.
func TestSingleSiteExact(t *testing.T) {
	tests := []struct {
		kind Kind
		beta float64
		opts Options
	}{
		{KindHMC, 0, Options{Warmup: 500, Leapfrog: 5, Jitter: 0.2}},
		{KindHMC, 0.5, Options{Warmup: 500, Leapfrog: 3, Jitter: 0.2}},
		{KindFAHMC, 0, Options{Warmup: 500, Leapfrog: 5, Jitter: 0.2}},
		{KindFAHMC, 0.5, Options{Warmup: 500, Leapfrog: 3, Jitter: 0.2, Mass2: 2}},
		{KindMALA, 0, Options{Warmup: 500}},
		{KindMALA, 0, Options{Warmup: 500, TargetAccept: 0.8}},
		{KindCluster, 0, Options{Warmup: 500}},
	}
	n := 100000
	if testing.Short() {
		n = 40000
	}
	for _, tc := range tests {
		s := newTestSampler(t, tc.kind, 1, tc.beta, tc.opts, 42)
		edges, _ := polyspectra.UniformEdges(-2.5, 2.5, 25)
		h, _ := polyspectra.NewMarginal(edges)
		series := make([]float64, 0, n)
		for i := 0; i < n && s.Step(); i++ {
			h.Add(s.Field().Data)
			v := s.Field().Data[0]
			series = append(series, v*v)
		}
		if err := s.Err(); err != nil {
			t.Fatalf("%v β=%v: %v", tc.kind, tc.beta, err)
		}
		pot := func(x float64) float64 { return x*x*x*x - (1+2*tc.beta)*x*x }
		want := binProbabilities(edges, pot)
		got := h.Counts()
		tv := 0.0
		for i := range want {
			tv += math.Abs(got[i]/float64(h.Total())-want[i]) / 2
		}
		// Exact ⟨φ²⟩ by the same quadrature on a fine grid.
		fine, _ := polyspectra.UniformEdges(-3, 3, 600)
		pf := binProbabilities(fine, pot)
		exact := 0.0
		for i, p := range pf {
			c := (fine[i] + fine[i+1]) / 2
			exact += p * c * c
		}
		ac, err := TauInt(series, DefaultWindowC)
		if err != nil {
			t.Fatalf("%v: %v", tc.kind, err)
		}
		se := math.Sqrt(2 * ac.Tau * ac.Var / float64(n))
		t.Logf("%v β=%v: TV %.4f, ⟨φ²⟩ %.4f ± %.4f (exact %.4f), τ_int %.2f, acceptance %.3f, step %.3f",
			tc.kind, tc.beta, tv, ac.Mean, se, exact, ac.Tau, s.Acceptance(), s.StepSize())
		if tv > 0.03 {
			t.Errorf("%v β=%v: total variation %.4f from the exact density", tc.kind, tc.beta, tv)
		}
		if math.Abs(ac.Mean-exact) > 5*se {
			t.Errorf("%v β=%v: ⟨φ²⟩ = %.4f ± %.4f, exact %.4f", tc.kind, tc.beta, ac.Mean, se, exact)
		}
	}
}

// TestTwoByTwoExact runs every sampler on the periodic 2×2 lattice (each
// bond doubled by the periodicity) and compares ⟨φ²⟩ and ⟨m²⟩ with 4-D
// quadrature of exp(−E).
func TestTwoByTwoExact(t *testing.T) {
	const beta = 0.4
	lat := newLattice(2, beta)
	// Trapezoid rule on [−2.6, 2.6]⁴: spectrally accurate for this smooth,
	// rapidly decaying integrand.
	const g = 36
	h := 5.2 / (g - 1)
	var z, sphi2, sm2 float64
	phi := make([]float64, 4)
	for a := 0; a < g; a++ {
		for b := 0; b < g; b++ {
			for c := 0; c < g; c++ {
				for d := 0; d < g; d++ {
					phi[0], phi[1], phi[2], phi[3] = -2.6+h*float64(a), -2.6+h*float64(b), -2.6+h*float64(c), -2.6+h*float64(d)
					w := math.Exp(-lat.energy(phi))
					m := (phi[0] + phi[1] + phi[2] + phi[3]) / 4
					z += w
					sphi2 += w * (phi[0]*phi[0] + phi[1]*phi[1] + phi[2]*phi[2] + phi[3]*phi[3]) / 4
					sm2 += w * m * m
				}
			}
		}
	}
	exactPhi2, exactM2 := sphi2/z, sm2/z

	n := 60000
	if testing.Short() {
		n = 25000
	}
	for _, kind := range []Kind{KindHMC, KindFAHMC, KindMALA, KindCluster} {
		s := newTestSampler(t, kind, 2, beta, Options{Warmup: 500, Leapfrog: 4, Jitter: 0.2}, 7)
		p2 := make([]float64, 0, n)
		m2 := make([]float64, 0, n)
		for i := 0; i < n && s.Step(); i++ {
			p2 = append(p2, MeanSquare(s.Field()))
			m := Magnetisation(s.Field())
			m2 = append(m2, m*m)
		}
		for _, o := range []struct {
			name   string
			series []float64
			exact  float64
		}{{"⟨φ²⟩", p2, exactPhi2}, {"⟨m²⟩", m2, exactM2}} {
			ac, err := TauInt(o.series, DefaultWindowC)
			if err != nil {
				t.Fatalf("%v %s: %v", kind, o.name, err)
			}
			se := math.Sqrt(2 * ac.Tau * ac.Var / float64(len(o.series)))
			t.Logf("%v: %s = %.4f ± %.4f (exact %.4f), τ_int %.1f, acceptance %.3f", kind, o.name, ac.Mean, se, o.exact, ac.Tau, s.Acceptance())
			if math.Abs(ac.Mean-o.exact) > 5*se {
				t.Errorf("%v: %s = %.4f ± %.4f, exact %.4f", kind, o.name, ac.Mean, se, o.exact)
			}
		}
	}
}

// TestVirial checks two exact identities of p ∝ exp(−E) on an 8×8 lattice
// at β = 0.68: ⟨φ·∇E⟩ = L² (equipartition) and ⟨|∇E|²⟩ = ⟨ΔE⟩ with
// ΔE = Σ_x (12φ(x)² − 2) (configurational temperature).
func TestVirial(t *testing.T) {
	m := Model{L: 8, Beta: 0.68}
	n := 20000
	if testing.Short() {
		n = 6000
	}
	for _, kind := range []Kind{KindHMC, KindFAHMC, KindMALA, KindCluster} {
		s, err := NewSampler(kind, m, DefaultOptions(kind), 3)
		if err != nil {
			t.Fatal(err)
		}
		lat := m.lattice()
		f := make([]float64, 64)
		vir := make([]float64, 0, n)
		var grad2, lap float64
		for i := 0; i < n && s.Step(); i++ {
			phi := s.Field().Data
			lat.force(f, phi)
			var a float64
			for j, v := range phi {
				a -= v * f[j]
				grad2 += f[j] * f[j]
				lap += 12*v*v - 2 // ∂²E/∂φ(x)²: the hopping part has no diagonal
			}
			vir = append(vir, a/64)
		}
		ac, err := TauInt(vir, DefaultWindowC)
		if err != nil {
			t.Fatalf("%v: %v", kind, err)
		}
		// The automatic window can miss a small slow tail, so allow 0.01 on
		// top of 5 standard errors.
		se := math.Sqrt(2 * ac.Tau * ac.Var / float64(len(vir)))
		temp := grad2 / lap
		t.Logf("%v: ⟨φ·∇E⟩/L² = %.4f ± %.4f (τ %.1f), ⟨|∇E|²⟩/⟨ΔE⟩ = %.4f, acceptance %.3f", kind, ac.Mean, se, ac.Tau, temp, s.Acceptance())
		if math.Abs(ac.Mean-1) > 5*se+0.01 {
			t.Errorf("%v: ⟨φ·∇E⟩/L² = %.4f ± %.4f, want 1", kind, ac.Mean, se)
		}
		if math.Abs(temp-1) > 0.03 {
			t.Errorf("%v: ⟨|∇E|²⟩/⟨ΔE⟩ = %.4f, want 1", kind, temp)
		}
	}
}

// TestMALALargeStep is a regression test for the truncated drift: with the
// plain Langevin drift and h = 0.43 the quartic force overshoots at large
// |φ|, sites get stuck there and ⟨φ²⟩ on a 16×16 lattice came out ≈ 0.99
// instead of ≈ 0.83.
func TestMALALargeStep(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 6000
	}
	for _, h := range []float64{0.43, 0.8} {
		s, err := NewMALA(Model{L: 16, Beta: 0.68}, Options{StepSize: h}, 3)
		if err != nil {
			t.Fatal(err)
		}
		var mom Moments
		for i := 0; i < n && s.Step(); i++ {
			if i >= 1000 {
				mom.Add(s.Field())
			}
		}
		if p := mom.Phi2(); math.Abs(p-0.832) > 0.025 {
			t.Errorf("h = %v: ⟨φ²⟩ = %.4f, want 0.832 ± 0.025 (acceptance %.3f)", h, p, s.Acceptance())
		}
	}
}

// TestAdaptation checks that the warm-up reaches the target acceptance on
// a 16×16 lattice and that the step size is then fixed.
func TestAdaptation(t *testing.T) {
	m := Model{L: 16, Beta: 0.68}
	for _, tc := range []struct {
		kind   Kind
		target float64
	}{{KindHMC, 0.8}, {KindFAHMC, 0.8}, {KindMALA, 0.574}, {KindCluster, 0.574}, {KindHMC, 0.6}} {
		opts := DefaultOptions(tc.kind)
		opts.TargetAccept = tc.target
		s, err := NewSampler(tc.kind, m, opts, 9)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.WarmUp(nil); err != nil {
			t.Fatal(err)
		}
		eps := s.StepSize()
		for i := 0; i < 2000 && s.Step(); i++ {
		}
		if s.StepSize() != eps {
			t.Errorf("%v: step size changed after warm-up: %v → %v", tc.kind, eps, s.StepSize())
		}
		if a := s.Acceptance(); math.Abs(a-tc.target) > 0.08 {
			t.Errorf("%v: acceptance %.3f, target %.3f (step %.3g)", tc.kind, a, tc.target, eps)
		}
		if w := s.Work(); w.WarmupSteps != opts.Warmup || w.Steps != 2000 {
			t.Errorf("%v: work %+v", tc.kind, w)
		}
		if h, ok := s.(*HMC); ok {
			if want := int(math.Round(opts.TrajectoryLength / eps)); h.Leapfrog() != want {
				t.Errorf("%v: N = %d, want round(T/ε) = %d", tc.kind, h.Leapfrog(), want)
			}
		}
	}
}

// TestDeterministic checks that a seed fixes the chain.
func TestDeterministic(t *testing.T) {
	m := Model{L: 8, Beta: 0.68}
	for _, kind := range []Kind{KindHMC, KindFAHMC, KindMALA, KindCluster} {
		run := func(seed uint64) *field.Field {
			opts := DefaultOptions(kind)
			opts.Warmup = 50
			s, err := NewSampler(kind, m, opts, seed)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 20 && s.Step(); i++ {
			}
			return s.Field().Clone()
		}
		a, b, c := run(1), run(1), run(2)
		same, differ := true, false
		for i := range a.Data {
			same = same && a.Data[i] == b.Data[i]
			differ = differ || a.Data[i] != c.Data[i]
		}
		if !same || !differ {
			t.Errorf("%v: same seed equal %v, other seed differs %v", kind, same, differ)
		}
	}
}

// TestStepAllocs checks that steps after the warm-up do not allocate.
func TestStepAllocs(t *testing.T) {
	m := Model{L: 16, Beta: 0.68}
	for _, kind := range []Kind{KindHMC, KindFAHMC, KindMALA, KindCluster} {
		opts := DefaultOptions(kind)
		opts.Warmup = 20
		s, err := NewSampler(kind, m, opts, 1)
		if err != nil {
			t.Fatal(err)
		}
		s.Step()
		if a := testing.AllocsPerRun(20, func() { s.Step() }); a != 0 {
			t.Errorf("%v: %v allocations per step", kind, a)
		}
	}
}

func TestSamplerBadInput(t *testing.T) {
	good := Model{L: 8, Beta: 0.68}
	nan := field.New(8, 8)
	nan.Data[3] = math.NaN()
	tests := []struct {
		name  string
		kind  Kind
		model Model
		opts  Options
	}{
		{"L not a power of two", KindHMC, Model{L: 24, Beta: 0.68}, Options{}},
		{"L too small", KindFAHMC, Model{L: 4, Beta: 0.68}, Options{}},
		{"β zero", KindMALA, Model{L: 8}, Options{}},
		{"negative warm-up", KindHMC, good, Options{Warmup: -1}},
		{"negative step", KindHMC, good, Options{StepSize: -0.1}},
		{"NaN step", KindMALA, good, Options{StepSize: math.NaN()}},
		{"negative leapfrog", KindFAHMC, good, Options{Leapfrog: -2}},
		{"too many leapfrog", KindHMC, good, Options{Leapfrog: MaxLeapfrog + 1}},
		{"negative trajectory", KindHMC, good, Options{TrajectoryLength: -1}},
		{"infinite trajectory", KindFAHMC, good, Options{TrajectoryLength: math.Inf(1)}},
		{"target 1", KindHMC, good, Options{TargetAccept: 1}},
		{"jitter 1", KindHMC, good, Options{Jitter: 1}},
		{"negative mass", KindFAHMC, good, Options{Mass2: -1}},
		{"start size", KindHMC, good, Options{Start: field.New(16, 16)}},
		{"start NaN", KindMALA, good, Options{Start: nan}},
		{"unknown kind", Kind(9), good, Options{}},
	}
	for _, tc := range tests {
		s, err := NewSampler(tc.kind, tc.model, tc.opts, 1)
		if err == nil || s != nil {
			t.Errorf("%s: NewSampler = (%v, %v), want (nil, error)", tc.name, s, err)
		}
	}
	if _, err := ParseKind("metropolis"); err == nil {
		t.Error("ParseKind(metropolis) gave no error")
	}
	for _, k := range []Kind{KindHMC, KindFAHMC, KindMALA, KindCluster} {
		if got, err := ParseKind(k.String()); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k.String(), got, err)
		}
	}
}

// TestClusterCriticalSlowingDown runs the cluster sampler and MALA on a
// 16×16 lattice at β = 0.68: both must give ⟨φ²⟩ ≈ 0.832 (the value of
// TestMALALargeStep), and the Swendsen–Wang update of the signs must
// decorrelate the squared magnetisation at least 5 times faster per step
// than the local sweeps alone.
func TestClusterCriticalSlowingDown(t *testing.T) {
	m := Model{L: 16, Beta: 0.68}
	n := 20000
	if testing.Short() {
		n = 8000
	}
	tau := map[Kind]float64{}
	for _, kind := range []Kind{KindMALA, KindCluster} {
		s, err := NewSampler(kind, m, DefaultOptions(kind), 5)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 1000 && s.Step(); i++ {
		}
		var mom Moments
		m2 := make([]float64, 0, n)
		for i := 0; i < n && s.Step(); i++ {
			if err := mom.Add(s.Field()); err != nil {
				t.Fatal(err)
			}
			v := Magnetisation(s.Field())
			m2 = append(m2, v*v)
		}
		ac, err := TauInt(m2, DefaultWindowC)
		if err != nil {
			t.Fatalf("%v: %v", kind, err)
		}
		tau[kind] = ac.Tau
		t.Logf("%v: ⟨φ²⟩ %.4f, Binder %.3f, τ_int(m²) %.1f sweeps", kind, mom.Phi2(), mom.Binder(), ac.Tau)
		if p := mom.Phi2(); math.Abs(p-0.832) > 0.02 {
			t.Errorf("%v: ⟨φ²⟩ = %.4f, want 0.832 ± 0.02", kind, p)
		}
	}
	if tau[KindCluster]*5 > tau[KindMALA] {
		t.Errorf("τ_int(m²): cluster %.1f, MALA %.1f sweeps: want at least 5× shorter", tau[KindCluster], tau[KindMALA])
	}
}
