package phi4

import (
	"fmt"
	"math"
	"strings"

	"scalewise/engine/field"
)

// Kind names a sampler.
type Kind int

const (
	// KindHMC is hybrid Monte Carlo with unit mass (Duane et al. 1987).
	KindHMC Kind = iota
	// KindFAHMC is Fourier-accelerated HMC, M(k) = βk̂² + m² (Davies et
	// al. 1988; Catterall & Karamov 2002).
	KindFAHMC
	// KindMALA is the local checkerboard Metropolis-adjusted Langevin
	// algorithm (Roberts & Tweedie 1996).
	KindMALA
	// KindCluster is the embedded-Ising cluster algorithm (Brower &
	// Tamayo 1989): a MALA sweep and a Swendsen–Wang update of the signs.
	KindCluster
)

// ParseKind returns the sampler named "hmc", "fahmc", "mala" or "cluster"
// (case-insensitive).
func ParseKind(name string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "hmc":
		return KindHMC, nil
	case "fahmc", "fa-hmc":
		return KindFAHMC, nil
	case "mala":
		return KindMALA, nil
	case "cluster":
		return KindCluster, nil
	}
	return KindHMC, fmt.Errorf("phi4: unknown sampler %q (want hmc, fahmc, mala or cluster)", name)
}

// String returns the name of k as accepted by ParseKind.
func (k Kind) String() string {
	switch k {
	case KindHMC:
		return "hmc"
	case KindFAHMC:
		return "fahmc"
	case KindMALA:
		return "mala"
	case KindCluster:
		return "cluster"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Options configures a sampler. Zero StepSize and TargetAccept take the
// values of DefaultOptions, and so does TrajectoryLength when Leapfrog is
// zero too; zero Warmup means no adaptation (the step size stays
// StepSize), zero Jitter no jitter and zero Mass2 the adaptive Fourier mass
// described below.
type Options struct {
	// Warmup is the number of trajectories (HMC, FA-HMC) or sweeps (MALA)
	// during which the step size adapts; it is then fixed, so the chain
	// after the warm-up is an exact, time-homogeneous Markov chain.
	Warmup int
	// StepSize is the initial leapfrog step ε (HMC, FA-HMC) or the initial
	// Langevin step h (MALA).
	StepSize float64
	// Leapfrog is the number N of leapfrog steps per trajectory (HMC and
	// FA-HMC) when TrajectoryLength is zero.
	Leapfrog int
	// TrajectoryLength, if positive, sets N = round(T/ε) (at least 1, at
	// most MaxLeapfrog) instead of Leapfrog: N follows ε during the warm-up
	// and is fixed with it, so that the trajectory length T = Nε stays near
	// its optimum as ε shrinks on larger lattices.
	TrajectoryLength float64
	// TargetAccept is the mean Metropolis acceptance probability that the
	// warm-up aims at.
	TargetAccept float64
	// Jitter, in [0, 1), draws the step of each HMC trajectory uniformly
	// from ε·[1−Jitter, 1+Jitter], independently of the state (so detailed
	// balance holds), which avoids resonant trajectory lengths.
	Jitter float64
	// Mass2 is the mass term m² > 0 of FA-HMC, M(k) = βk̂² + m². Zero
	// chooses the Hartree mass m²_H = ⟨12φ²⟩ − 2 − 4β, the mean diagonal
	// of the Hessian of E minus its hopping part, so that M matches the
	// Gaussian approximation βk̂² + m²_H of the Hessian of E in every
	// Fourier mode; it is estimated during the first half of the warm-up
	// and then fixed (from the initial configuration when Warmup is 0),
	// and never taken below 0.01.
	Mass2 float64
	// Start is the initial configuration (copied); nil draws φ(x)
	// independently from N(0, 1).
	Start *field.Field
}

// MaxLeapfrog is the largest number of leapfrog steps that
// TrajectoryLength may ask for.
const MaxLeapfrog = 10000

// DefaultOptions returns the options used by SampleDecorrelated for kind:
// 1000 warm-up steps; for HMC trajectory length T = 3, ε₀ = 0.1,
// acceptance 0.8, jitter 0.1; for FA-HMC T = 5 (in its own time units,
// stretched by M^½), ε₀ = 0.3, acceptance 0.8, jitter 0.1, adaptive m²;
// for MALA (and the MALA sweep of the cluster sampler) h₀ = 0.1 and
// acceptance 0.574, the optimal value of Roberts & Rosenthal (1998) for
// Langevin proposals. The trajectory lengths are the
// measured optima for τ_int(m²) per force evaluation at β = 0.68,
// L = 16–64 (N ≈ 20–50 for HMC, 15–30 for FA-HMC).
func DefaultOptions(kind Kind) Options {
	switch kind {
	case KindFAHMC:
		return Options{Warmup: 1000, StepSize: 0.3, TrajectoryLength: 5, TargetAccept: 0.8, Jitter: 0.1}
	case KindMALA, KindCluster:
		return Options{Warmup: 1000, StepSize: 0.1, TargetAccept: 0.574}
	}
	return Options{Warmup: 1000, StepSize: 0.1, TrajectoryLength: 3, TargetAccept: 0.8, Jitter: 0.1}
}

// resolve fills the zero fields of o from DefaultOptions(kind) and checks
// the result against an l×l lattice.
func (o Options) resolve(kind Kind, l int) (Options, error) {
	d := DefaultOptions(kind)
	if o.StepSize == 0 {
		o.StepSize = d.StepSize
	}
	if o.Leapfrog == 0 && o.TrajectoryLength == 0 {
		o.TrajectoryLength = d.TrajectoryLength
	}
	if o.TargetAccept == 0 {
		o.TargetAccept = d.TargetAccept
	}
	switch {
	case o.Warmup < 0:
		return o, fmt.Errorf("phi4: warm-up length %d must not be negative", o.Warmup)
	case !(o.StepSize > 0) || math.IsInf(o.StepSize, 1):
		return o, fmt.Errorf("phi4: step size %v must be positive and finite", o.StepSize)
	case o.Leapfrog < 0 || o.Leapfrog > MaxLeapfrog:
		return o, fmt.Errorf("phi4: number of leapfrog steps %d must be in [0, %d] (0: set by TrajectoryLength)", o.Leapfrog, MaxLeapfrog)
	case !(o.TrajectoryLength >= 0) || math.IsInf(o.TrajectoryLength, 1):
		return o, fmt.Errorf("phi4: trajectory length %v must be positive and finite (or 0 to use Leapfrog)", o.TrajectoryLength)
	case !(o.TargetAccept > 0 && o.TargetAccept < 1):
		return o, fmt.Errorf("phi4: target acceptance %v must be in (0, 1)", o.TargetAccept)
	case !(o.Jitter >= 0 && o.Jitter < 1):
		return o, fmt.Errorf("phi4: jitter %v must be in [0, 1)", o.Jitter)
	case !(o.Mass2 >= 0) || math.IsInf(o.Mass2, 1):
		return o, fmt.Errorf("phi4: mass term m² = %v must be positive and finite (or 0 for the adaptive choice)", o.Mass2)
	}
	if s := o.Start; s != nil {
		if s.W != l || s.H != l || len(s.Data) != l*l {
			return o, fmt.Errorf("phi4: start field is %d×%d with %d values, want %d×%d", s.W, s.H, len(s.Data), l, l)
		}
		if err := s.CheckFinite(); err != nil {
			return o, fmt.Errorf("phi4: start field: %w", err)
		}
	}
	return o, nil
}
