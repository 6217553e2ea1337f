package phi4

import (
	"fmt"
	"math"

	"scalewise/engine/field"
)

// Model is the φ⁴ theory on a periodic L×L lattice at coupling β,
//
//	E(φ) = −β Σ_⟨x,x'⟩ φ(x)φ(x') + Σ_x [φ(x)⁴ − φ(x)²],
//
// each nearest-neighbour pair counted once (Marchand, Ozawa, Biroli,
// Mallat, PRX 13, 041038 (2023); see the package documentation). L must be
// a power of two from MinL to MaxL and β must be positive and finite.
type Model struct {
	L    int
	Beta float64
}

// Validate returns an error unless L is a power of two in [MinL, MaxL] and
// β is positive and finite.
func (m Model) Validate() error {
	if err := checkL(m.L); err != nil {
		return err
	}
	if !(m.Beta > 0) || math.IsInf(m.Beta, 1) {
		return fmt.Errorf("phi4: coupling β = %v must be positive and finite", m.Beta)
	}
	return nil
}

// lattice returns the unchecked energy of a valid model.
func (m Model) lattice() lattice { return newLattice(m.L, m.Beta) }

// checkField returns an error unless m is valid and f is an L×L field.
func (m Model) checkField(f *field.Field, name string) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if f == nil {
		return fmt.Errorf("phi4: %s is a nil field", name)
	}
	if f.W != m.L || f.H != m.L || len(f.Data) != m.L*m.L {
		return fmt.Errorf("phi4: %s is %d×%d with %d values, want %d×%d", name, f.W, f.H, len(f.Data), m.L, m.L)
	}
	return nil
}

// Energy returns E(φ) = −β Σ_⟨x,x'⟩ φ(x)φ(x') + Σ_x [φ(x)⁴ − φ(x)²] with
// periodic boundaries (PRX 13, 041038, the φ⁴ energy). It returns an error
// for an invalid model or a field that is not L×L.
func (m Model) Energy(phi *field.Field) (float64, error) {
	if err := m.checkField(phi, "φ"); err != nil {
		return 0, err
	}
	return m.lattice().energy(phi.Data), nil
}

// Force stores the force −∇E(φ) in dst,
//
//	−∂E/∂φ(x) = β Σ_{x'~x} φ(x') − 4φ(x)³ + 2φ(x),
//
// the sum running over the four nearest neighbours. dst and phi must be
// distinct L×L fields.
func (m Model) Force(dst, phi *field.Field) error {
	if err := m.checkField(phi, "φ"); err != nil {
		return err
	}
	if err := m.checkField(dst, "dst"); err != nil {
		return err
	}
	if &dst.Data[0] == &phi.Data[0] {
		return fmt.Errorf("phi4: Force needs distinct dst and φ")
	}
	m.lattice().force(dst.Data, phi.Data)
	return nil
}
