package phi4

import (
	"math"
	"math/rand/v2"
	"testing"

	"scalewise/engine/field"
)

func randomField(l int, seed uint64) *field.Field {
	rng := rand.New(rand.NewPCG(seed, 7))
	f := field.New(l, l)
	for i := range f.Data {
		f.Data[i] = 1.2 * rng.NormFloat64()
	}
	return f
}

func TestModelValidate(t *testing.T) {
	tests := []struct {
		l    int
		beta float64
		ok   bool
	}{
		{8, 0.68, true},
		{16, 1e-3, true},
		{256, 5, true},
		{4, 0.68, false},
		{12, 0.68, false},
		{512, 0.68, false},
		{0, 0.68, false},
		{-8, 0.68, false},
		{16, 0, false},
		{16, -0.5, false},
		{16, math.NaN(), false},
		{16, math.Inf(1), false},
	}
	for _, tc := range tests {
		err := Model{L: tc.l, Beta: tc.beta}.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("Model{L: %d, Beta: %v}.Validate() = %v, want ok=%v", tc.l, tc.beta, err, tc.ok)
		}
	}
}

// TestEnergyConstantField checks the pair counting: a constant field c has
// 2L² bonds, E = −2βL²c² + L²(c⁴ − c²).
func TestEnergyConstantField(t *testing.T) {
	tests := []struct {
		l       int
		beta, c float64
	}{
		{8, 0.68, 1},
		{16, 0.68, -0.7},
		{32, 0.1, 1.3},
		{8, 2.5, 0.25},
	}
	for _, tc := range tests {
		f := field.New(tc.l, tc.l)
		for i := range f.Data {
			f.Data[i] = tc.c
		}
		got, err := Model{L: tc.l, Beta: tc.beta}.Energy(f)
		if err != nil {
			t.Fatal(err)
		}
		n := float64(tc.l * tc.l)
		want := -2*tc.beta*n*tc.c*tc.c + n*(math.Pow(tc.c, 4)-tc.c*tc.c)
		if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
			t.Errorf("L=%d β=%v c=%v: E = %v, want %v", tc.l, tc.beta, tc.c, got, want)
		}
	}
}

// TestEnergyTwoForms checks E against its gradient form
// (β/2) Σ (φ−φ')² + Σ [φ⁴ − (1+2β)φ²].
func TestEnergyTwoForms(t *testing.T) {
	for _, l := range []int{8, 16} {
		f := randomField(l, uint64(l))
		m := Model{L: l, Beta: 0.68}
		got, err := m.Energy(f)
		if err != nil {
			t.Fatal(err)
		}
		want := 0.0
		for y := 0; y < l; y++ {
			for x := 0; x < l; x++ {
				v := f.At(x, y)
				dx := v - f.At((x+1)%l, y)
				dy := v - f.At(x, (y+1)%l)
				want += m.Beta/2*(dx*dx+dy*dy) + v*v*v*v - (1+2*m.Beta)*v*v
			}
		}
		if math.Abs(got-want) > 1e-10*math.Abs(want) {
			t.Errorf("L=%d: E = %v, gradient form %v", l, got, want)
		}
	}
}

// TestForceFiniteDifference compares −∇E with central differences.
func TestForceFiniteDifference(t *testing.T) {
	tests := []struct {
		l    int
		beta float64
	}{
		{8, 0.68},
		{16, 0.3},
		{32, 1.7},
	}
	for _, tc := range tests {
		m := Model{L: tc.l, Beta: tc.beta}
		phi := randomField(tc.l, 3)
		force := field.New(tc.l, tc.l)
		if err := m.Force(force, phi); err != nil {
			t.Fatal(err)
		}
		const h = 1e-5
		rng := rand.New(rand.NewPCG(5, 5))
		for k := 0; k < 20; k++ {
			i := rng.IntN(tc.l * tc.l)
			v := phi.Data[i]
			phi.Data[i] = v + h
			ep, _ := m.Energy(phi)
			phi.Data[i] = v - h
			em, _ := m.Energy(phi)
			phi.Data[i] = v
			fd := -(ep - em) / (2 * h)
			if d := math.Abs(fd - force.Data[i]); d > 1e-6*math.Max(1, math.Abs(fd)) {
				t.Errorf("L=%d β=%v site %d: force %v, finite difference %v (rel. diff %.2g)", tc.l, tc.beta, i, force.Data[i], fd, d/math.Max(1, math.Abs(fd)))
			}
		}
		// The fused energy-and-force pass agrees with the separate ones.
		lat := m.lattice()
		f2 := make([]float64, tc.l*tc.l)
		e2 := lat.energyForce(f2, phi.Data)
		e1, _ := m.Energy(phi)
		if math.Abs(e1-e2) > 1e-12*math.Abs(e1) {
			t.Errorf("energyForce E = %v, Energy %v", e2, e1)
		}
		for i := range f2 {
			if f2[i] != force.Data[i] {
				t.Fatalf("energyForce force[%d] = %v, Force %v", i, f2[i], force.Data[i])
			}
		}
	}
}

func TestModelBadInput(t *testing.T) {
	m := Model{L: 8, Beta: 0.68}
	good := field.New(8, 8)
	tests := []struct {
		name       string
		model      Model
		dst, phi   *field.Field
		forceOnly  bool
		energyFail bool
	}{
		{"nil field", m, good, nil, false, true},
		{"wrong size", m, good, field.New(8, 16), false, true},
		{"short data", m, good, &field.Field{W: 8, H: 8, Data: make([]float64, 10)}, false, true},
		{"bad model", Model{L: 6, Beta: 0.68}, good, good, false, true},
		{"nil dst", m, nil, good, true, false},
		{"aliased dst", m, good, good, true, false},
	}
	for _, tc := range tests {
		if !tc.forceOnly {
			if _, err := tc.model.Energy(tc.phi); (err != nil) != tc.energyFail {
				t.Errorf("%s: Energy error %v, want error=%v", tc.name, err, tc.energyFail)
			}
		}
		dst := tc.dst
		if err := tc.model.Force(dst, tc.phi); err == nil {
			t.Errorf("%s: Force gave no error", tc.name)
		}
	}
}
