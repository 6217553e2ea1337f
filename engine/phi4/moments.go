package phi4

import (
	"errors"
	"math"

	"scalewise/engine/field"
)

// Magnetisation returns m = L⁻² Σ_x φ(x), the mean of the field; NaN for a
// nil or empty field.
func Magnetisation(f *field.Field) float64 {
	if f == nil || len(f.Data) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range f.Data {
		s += v
	}
	return s / float64(len(f.Data))
}

// MeanSquare returns L⁻² Σ_x φ(x)², the mean of φ² over the lattice; NaN
// for a nil or empty field.
func MeanSquare(f *field.Field) float64 {
	if f == nil || len(f.Data) == 0 {
		return math.NaN()
	}
	return f.Energy() / float64(len(f.Data))
}

// Moments accumulates, over a chain of configurations, the one-point
// moment ⟨φ²⟩ and the moments ⟨m^k⟩ of the magnetisation m, from which
// the Binder cumulant U = 1 − ⟨m⁴⟩/(3⟨m²⟩²) follows (Binder, Z. Phys. B
// 43, 119 (1981)). The zero value is ready to use.
type Moments struct {
	n                  int
	phi2, m, m2, m4, a float64
}

// Add adds one configuration.
func (a *Moments) Add(f *field.Field) error {
	if f == nil || len(f.Data) == 0 {
		return errors.New("phi4: Moments.Add of a nil or empty field")
	}
	m := Magnetisation(f)
	a.n++
	a.phi2 += MeanSquare(f)
	a.m += m
	a.a += math.Abs(m)
	a.m2 += m * m
	a.m4 += m * m * m * m
	return nil
}

// N returns the number of configurations added.
func (a *Moments) N() int { return a.n }

func (a *Moments) mean(s float64) float64 {
	if a.n == 0 {
		return math.NaN()
	}
	return s / float64(a.n)
}

// Phi2 returns ⟨φ²⟩ = ⟨L⁻² Σ_x φ(x)²⟩ (NaN when empty).
func (a *Moments) Phi2() float64 { return a.mean(a.phi2) }

// M returns ⟨m⟩ (NaN when empty).
func (a *Moments) M() float64 { return a.mean(a.m) }

// AbsM returns ⟨|m|⟩ (NaN when empty).
func (a *Moments) AbsM() float64 { return a.mean(a.a) }

// M2 returns ⟨m²⟩ (NaN when empty).
func (a *Moments) M2() float64 { return a.mean(a.m2) }

// M4 returns ⟨m⁴⟩ (NaN when empty).
func (a *Moments) M4() float64 { return a.mean(a.m4) }

// Binder returns U = 1 − ⟨m⁴⟩/(3⟨m²⟩²): 2/3 for a sharply magnetised
// system, 0 for a Gaussian m, ≈ 0.61 at the 2-D Ising critical point. It is
// NaN when empty or when ⟨m²⟩ = 0.
func (a *Moments) Binder() float64 {
	m2 := a.M2()
	if !(m2 > 0) {
		return math.NaN()
	}
	return 1 - a.M4()/(3*m2*m2)
}
