package compute

import "scalewise/engine/field"

// RGModelInfo describes a fitted model.
type RGModelInfo struct {
	L          int
	J          int
	Beta       float64
	Stages     []RGStage
	Provenance string
	// Calibrated reports moment-matching calibration after score matching.
	Calibrated bool
}

// RGKernel is one quadratic interaction kernel of a scale's energy, shown
// as a small image: the coefficients θ over the stencil of shifts, between
// channels C and D (0 = x_j, 1 = H, 2 = V, 3 = D).
type RGKernel struct {
	Name string
	C, D int
	W, H int
	Data []float64 // row-major, W·H, centre at (W/2, H/2)
}

// RGEnergy is the learned energy of one stage for display: its kernels,
// its potential V(t) = Σ_k θ_k ρ_k(t) sampled on T and, for a factor with
// scattering interactions, their coefficients by family (Scat; nil
// without), summed over rotations when ScatIsotropic.
type RGEnergy struct {
	Kernels       []RGKernel
	T, V          []float64
	Scat          []RGScatFamily
	ScatIsotropic bool
}

// rgModel is what the session needs from a fitted model; rg_engine.go
// implements it over engine/rg.
type rgModel interface {
	Info() RGModelInfo
	Energies() ([]RGEnergy, error)
	NewSampler(seed uint64) (rgSampler, error)
}

// rgSampler is the coarse-to-fine sampler, an iterator.
type rgSampler interface {
	// Step runs k MALA steps, crossing stages as needed.
	Step(k int) error
	Done() bool
	// Phase returns the current stage and the steps done in it.
	Phase() (stage, step int)
	// Current returns the finest field reconstructed so far, in the units
	// of φ, at its own size (a fresh field).
	Current() *field.Field
	// Field returns the generated φ once Done.
	Field() *field.Field
	// Hierarchy returns, once Done, x_j in the units of φ (the local
	// averages, approx[j] for j = 0…J, approx[0] = φ) and the detail
	// bands x̄_j = (H, V, D) as coefficients (details[j], j = 1…J).
	Hierarchy() (approx []*field.Field, details [][3]*field.Field)
	// Acceptance returns the mean acceptance rate of each stage so far
	// (NaN for stages not started).
	Acceptance() []float64
	// Work returns the cost so far: gradient evaluations counted in units
	// of one whole-lattice (L×L) gradient, and engine seconds.
	Work() (gradEvals, seconds float64)
}
