package scattering

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/optimize"

	"scalewise/engine/polyspectra"
)

// Defaults of SynthOptions.
const (
	// DefaultSynthIters is the default maximum number of L-BFGS iterations
	// (the default steps = 300 of the synthesis in the code of Cheng et
	// al., "Scattering Spectra Models for Physics" (2024)).
	DefaultSynthIters = 300
	// DefaultSynthTol is the default stopping tolerance on the relative
	// statistic error ‖Φ(x) − Φ(t)‖/‖Φ(t)‖ (the default tol_optim of the
	// code of Morel et al., "Scale Dependencies and Self-Similar Models
	// with Wavelet Scattering Spectra", arXiv:2204.10177).
	DefaultSynthTol = 1e-3
	// DefaultSynthMemory is the default number of L-BFGS correction pairs
	// (see SynthOptions.Memory for the measurement behind it).
	DefaultSynthMemory = 50
)

// The recommended power-spectrum term (SynthOptions.PowerSpectrum and
// PowerSpectrumRings), the default of the command line's syntheses and of
// the page. Measured on the 128² critical φ⁴ target (scalewise scat synth:
// bump, J = 6, L = 4, 64 marginal quantiles, seeds 1–3): without the term
// the power-spectrum error over half-octave rings
// (polyspectra.HalfOctaveSpectrumError) is 0.18–0.23 — the lowest rings
// (4 modes each) miss by up to 1.3 in log power, the half octaves of
// each wavelet octave trade ±0.3, the corners keep +0.34 — and 0.000–0.001
// with it; scat validate's bispectrum error falls from 0.23–0.25 to
// 0.15–0.18 (with DefaultSynthWeights), the marginal's total variation
// stays 0.004. Matching the ring powers fixes the normalisation √(P_a P_b
// P_c) of every binned bispectrum coefficient. The cost is iterations: the
// synthesis then runs to its 300 instead of stopping near 195 (an
// evaluation costs the same, +2 half-spectrum FFTs), 1.44× the time.
const (
	// DefaultPowerSpectrumWeight: each ring counts as one more S2
	// coefficient (0.1 with uniform weights stops earlier, at 0.9–1.2× the
	// evaluations without the term, with the same spectrum error and a
	// bispectrum error of 0.18–0.21 on φ⁴ seeds 1–3).
	DefaultPowerSpectrumWeight = 1
	// DefaultPowerSpectrumRings is the number of rings per octave: 8
	// separate the lattice shells |k| = 2 and √5 (4 per octave do not), so
	// that coarser ring sets are matched too (scat validate's 6
	// octave-wide rings from 1 to the corner: spectrum error 0.001–0.004
	// with 8 per octave, 0.01–0.05 with 2 or 4); 16 per octave did not
	// lower the bispectrum error further (φ⁴ seeds 1–3: 0.15–0.24).
	DefaultPowerSpectrumRings = 8
)

// DefaultSynthWeights returns the recommended statistic weights of a
// synthesis loss (SynthOptions.Weights), the default of the command line's
// syntheses and of the page: S3 and S4 weighted 10, the rest 1. With
// uniform weights the relative error that stops a synthesis is dominated
// by the log S1 and log S2 entries, and S3 and S4 end matched to 0.6 % and
// 4 % only; weighted 10 they end at 0.1–0.2 % and 1.2–1.9 %, and the bispectrum
// error of φ⁴ (scat validate, with the power-spectrum term, 8 rings per
// octave) fell at every one of seeds 1–6, median 0.18 → 0.16 (30 gave
// 0.16 too).
func DefaultSynthWeights() Weights { return Weights{Mean: 1, S1: 1, S2: 1, S3: 10, S4: 10} }

// synthInitStream is the second PCG word of the initial white noise (the
// first is SynthOptions.Seed).
const synthInitStream = 0x5ca7_5e4d

// SynthOptions configures a Synthesis. The zero value is the reference
// setting: isotropic form, uniform weights, seed 0, 300 iterations,
// tolerance 10⁻³, memory DefaultSynthMemory, white-noise start.
type SynthOptions struct {
	// Seed seeds the initial white noise (PCG); a run is deterministic for
	// a seed on a given platform.
	Seed uint64
	// MaxIter is the maximum number of L-BFGS (major) iterations; 0 means
	// DefaultSynthIters.
	MaxIter int
	// Tol stops the synthesis once RelErr ≤ Tol (with Histogram > 0,
	// LowPass > 0 or PowerSpectrum > 0: once the relative error of the
	// whole loss, √(ℓ_total/Σ_i w_i Φ_i(t)²) =
	// √(RelErr² + Histogram·MarginalErr² + (ℓ_φ + ℓ_P)/Σ_i w_i Φ_i(t)²),
	// is ≤ Tol); 0 means DefaultSynthTol.
	Tol float64
	// Form is the statistics vector matched; 0 means Isotropic.
	Form Form
	// Weights are the per-statistic weights of the loss (nil: uniform).
	Weights *Weights
	// Memory is the number of L-BFGS correction pairs (s, y) kept; 0 means
	// DefaultSynthMemory. It costs 2·Memory·M·N float64 (at 50: 3.3 MB at
	// 64², 13 MB at 128²) and about 4·Memory·M·N flops per iteration,
	// small beside one loss evaluation. Measured at 64², J = 5, L = 4,
	// isotropic, to RelErr 10⁻³ (evaluations for a Gaussian random field /
	// a φ⁴ sample): 10 pairs 93 / 162, 20 pairs 86 / 136, 50 pairs 79 /
	// 119, 150 pairs (Cheng's history) 76 / 115.
	Memory int
	// Init, when not nil, is the starting field (M·N values, finite)
	// instead of white noise; it is copied.
	Init []float64
	// Histogram, when > 0, adds a marginal-matching term to the loss (as
	// the synthesis code of Cheng et al. 2024 can add a sorted-pixel
	// histogram term): Histogram · Σ_i w_i Φ_i(t)² · (W₂/σ_t)², with
	// W₂ the Wasserstein-2 distance between the pixel marginals of x and
	// of the target (from the sorted pixel values) and σ_t the target's
	// standard deviation, so that Histogram = 1 weighs the relative
	// marginal error W₂/σ_t as much as the relative statistic error
	// RelErr (see marginal for the formulas and the gradient). It matches
	// information beyond the scattering spectra: HistogramQuantiles more
	// numbers (M·N for the whole sorted marginal). 0, the default, is off:
	// the loss is the statistics' alone.
	Histogram float64
	// HistogramQuantiles is the number K of equal-count quantile blocks
	// whose means the Histogram term matches (the block-averaged sorted
	// marginal: K statistics); 0 means M·N, the whole sorted marginal. It
	// must be at most M·N and is unused when Histogram is 0.
	HistogramQuantiles int
	// LowPass, when > 0, adds the low-pass power term (see lowPass):
	// LowPass · w · (log P_φ(x) − log P_φ(t))², P_φ the power of the
	// fluctuations in the band of the bank's low-pass φ_J, which the
	// wavelets leave loosely constrained, and w the weight of one S2 entry
	// (so 1 counts it as one more S2 coefficient). 0, the default, is off.
	LowPass float64
	// PowerSpectrum, when > 0, adds the power-spectrum term (see
	// spectrumTerm): PowerSpectrum · w · Σ_i (log(P_i(x) + f) − log(P_i(t) + f))²
	// over the rings of polyspectra.OctaveRings (PowerSpectrumRings per
	// octave, |k| from 1 to the corner of the frequency square), P_i the
	// mean periodogram over ring i, f = polyspectra.SpectrumFloor·σ_t² and
	// w the weight of one S2 entry (so 1 counts each ring as one more S2
	// coefficient). 0, the zero value, is
	// off; DefaultPowerSpectrumWeight is the command line's and the page's
	// default.
	PowerSpectrum float64
	// PowerSpectrumRings is the number of rings per octave of the
	// power-spectrum term (and of SpectrumErr); 0 means
	// DefaultPowerSpectrumRings. At most polyspectra.MaxRingsPerOctave.
	PowerSpectrumRings int
}

// SynthStatus says whether a Synthesis runs and why it stopped.
type SynthStatus int

const (
	// SynthRunning: Step can make another iteration.
	SynthRunning SynthStatus = iota
	// SynthConverged: RelErr ≤ Tol (with the marginal, low-pass or
	// power-spectrum term on: the whole loss's relative error, see
	// SynthOptions.Tol).
	SynthConverged
	// SynthMaxIter: MaxIter iterations were made without reaching Tol.
	SynthMaxIter
	// SynthStalled: the line search could not decrease the loss further
	// (a step indistinguishable from 0 in floating point, an interval of
	// uncertainty below its tolerance, or no descent direction); the field
	// is the last accepted iterate. StopReason gives the optimiser's error,
	// which wraps gonum's optimize.ErrLinesearcherFailure, ErrNoProgress or
	// ErrNonDescentDirection.
	SynthStalled
	// SynthFailed: an evaluation failed (a non-finite loss or gradient);
	// Step returned the error.
	SynthFailed
)

// String returns "running", "converged", "max-iter", "stalled" or "failed".
func (s SynthStatus) String() string {
	switch s {
	case SynthRunning:
		return "running"
	case SynthConverged:
		return "converged"
	case SynthMaxIter:
		return "max-iter"
	case SynthStalled:
		return "stalled"
	case SynthFailed:
		return "failed"
	}
	return fmt.Sprintf("SynthStatus(%d)", int(s))
}

// Synthesis is microcanonical synthesis by gradient descent on the pixels
// (Bruna & Mallat, "Multiscale sparse microcanonical models", Math. Stat.
// Learn. 1, 257 (2019); Cheng et al. 2024): starting from white noise
// with the target's mean and standard deviation, it minimises
//
//	ℓ(x) = Σ_i w_i (Φ_i(x) − Φ_i(t))²
//
// with Φ the scattering spectra vector (Form) normalised by the target's
// S2 (Target, Operator.LossGrad), by L-BFGS, and stops when the relative
// statistic error
//
//	RelErr = √(ℓ(x) / Σ_i w_i Φ_i(t)²)   (= ‖Φ(x) − Φ(t)‖/‖Φ(t)‖ for uniform weights)
//
// is at most Tol, or after MaxIter iterations. With SynthOptions.Histogram
// = h > 0 the loss gains the marginal term ℓ_h (SynthOptions.Histogram),
// RelErr stays the statistic error (the first sum alone), and the stopping
// rule applies to the relative error of the whole loss,
// √(RelErr² + h·MarginalErr²) ≤ Tol; likewise with the low-pass term
// (SynthOptions.LowPass) and the power-spectrum term ℓ_P
// (SynthOptions.PowerSpectrum, see spectrumTerm), which matches the log
// power of the field in rings of 1/PowerSpectrumRings of an octave up to
// the corners of the frequency square. It is an iterator: each Step
// makes one L-BFGS iteration (one line search, usually one or two loss
// evaluations) and Field, Loss, RelErr, Iter and Evals show the state, so
// a page can draw every iterate; Run steps to the end.
//
// # The optimiser
//
// L-BFGS from gonum's optimize package: optimize.LBFGS (Nocedal & Wright,
// Numerical Optimization, 2nd ed., Algorithm 7.4: the two-loop recursion
// over the last Memory pairs (s, y), initial Hessian γI with
// γ = sᵀy/yᵀy) chooses the direction and optimize.MoreThuente (Moré &
// Thuente 1994, safeguarded cubic and quadratic interpolation) finds a
// step meeting the strong Wolfe conditions with c1 = 10⁻⁴, c2 = 0.9, both
// combined by optimize.LinesearchMethod. Each trial evaluates the loss and
// gradient together (Operator.LossGrad computes both in one pass). The
// first trial step is 1, the quasi-Newton step, except on the first
// iteration, where the direction is −∇ℓ and the trial moves x by a unit
// distance (1/‖∇ℓ‖). If a search fails (MoreThuente's interval shrinks
// below its tolerance, a step no longer moves x in floating point, or the
// direction is not a descent direction) the memory is cleared and the
// search is retried once from the current iterate along −∇ℓ; if that fails
// too the synthesis has stalled.
//
// The optimiser is driven by reverse communication, without
// optimize.Minimize and its goroutine: Step calls LinesearchMethod.Iterate
// (Init at the start and on a restart), evaluates the loss and gradient at
// Location.X whenever it asks for FuncEvaluation|GradEvaluation, and ends
// the iteration when it announces MajorIteration (Location then holds the
// accepted point, already evaluated). Step is a plain synchronous call,
// which matters on js/wasm (one thread, no preemption), and there is
// nothing to close — an abandoned Synthesis is garbage.
//
// A Synthesis uses its Operator exclusively while it lives (the Operator
// is not safe for concurrent use; see Operator). After construction Step
// does not allocate.
type Synthesis struct {
	op     *Operator
	tgt    *Target
	tol    float64
	maxIt  int
	tnorm2 float64 // Σ_i w_i Φ_i(t)²
	groups []CoefGroup
	hist   float64       // SynthOptions.Histogram
	marg   *marginal     // the marginal term (its c is 0 when hist is 0)
	lp     *lowPass      // the low-pass power term (nil: off)
	ps     *spectrumTerm // the power-spectrum term (its c is 0 when off)

	statF, evalStatF float64 // the statistic loss at the iterate, at the last evaluation

	opt minimizer // its x is the current iterate
	phi []float64 // Φ(x)

	iter   int
	status SynthStatus
	reason error
}

// NewSynthesis returns a synthesis of the target field (op's size,
// row-major, finite, not constant): it computes the target's spectra
// normalised by its own S2, draws the initial field — white noise
// standardised to exactly the target's mean and standard deviation, from
// opt.Seed, or opt.Init — and evaluates the loss there (one evaluation, so
// Loss and RelErr hold at iteration 0). If the start already satisfies Tol
// the synthesis is converged at once. It returns an error for a nil
// operator, a target of the wrong length or with NaNs or infinities, a
// constant target, a negative MaxIter, Memory or Tol (or a NaN Tol), an
// unknown Form, bad weights (NewTarget), a bad Init, a negative or
// non-finite Histogram, or HistogramQuantiles outside [0, M·N].
func NewSynthesis(op *Operator, target []float64, opt SynthOptions) (*Synthesis, error) {
	if op == nil {
		return nil, errors.New("scattering: NewSynthesis: nil operator")
	}
	if err := op.checkField(target, "target field"); err != nil {
		return nil, err
	}
	if opt.MaxIter < 0 {
		return nil, fmt.Errorf("scattering: NewSynthesis: MaxIter %d must be ≥ 0", opt.MaxIter)
	}
	if opt.Memory < 0 {
		return nil, fmt.Errorf("scattering: NewSynthesis: Memory %d must be ≥ 0", opt.Memory)
	}
	if !(opt.Tol >= 0) || math.IsInf(opt.Tol, 0) {
		return nil, fmt.Errorf("scattering: NewSynthesis: Tol %v must be finite and ≥ 0", opt.Tol)
	}
	form := opt.Form
	if form == 0 {
		form = Isotropic
	}
	if form != Full && form != Isotropic {
		return nil, fmt.Errorf("scattering: NewSynthesis: unknown form %d", int(form))
	}
	if opt.Init != nil {
		if err := op.checkField(opt.Init, "initial field"); err != nil {
			return nil, err
		}
	}
	if !(opt.Histogram >= 0) || math.IsInf(opt.Histogram, 0) {
		return nil, fmt.Errorf("scattering: NewSynthesis: Histogram %v must be finite and ≥ 0", opt.Histogram)
	}
	if opt.HistogramQuantiles < 0 || opt.HistogramQuantiles > op.n {
		return nil, fmt.Errorf("scattering: NewSynthesis: HistogramQuantiles %d must be in [0, %d]", opt.HistogramQuantiles, op.n)
	}
	if !(opt.LowPass >= 0) || math.IsInf(opt.LowPass, 0) {
		return nil, fmt.Errorf("scattering: NewSynthesis: LowPass %v must be finite and ≥ 0", opt.LowPass)
	}
	if !(opt.PowerSpectrum >= 0) || math.IsInf(opt.PowerSpectrum, 0) {
		return nil, fmt.Errorf("scattering: NewSynthesis: PowerSpectrum %v must be finite and ≥ 0", opt.PowerSpectrum)
	}
	if opt.PowerSpectrumRings < 0 || opt.PowerSpectrumRings > polyspectra.MaxRingsPerOctave {
		return nil, fmt.Errorf("scattering: NewSynthesis: PowerSpectrumRings %d must be in [0, %d]", opt.PowerSpectrumRings, polyspectra.MaxRingsPerOctave)
	}
	mean, std := spMeanStd(target)
	if !(std > 0) || std <= 1e-12*math.Abs(mean) {
		return nil, fmt.Errorf("scattering: NewSynthesis: the target field is constant (mean %g, standard deviation %g)", mean, std)
	}
	spec, err := op.Compute(target, nil)
	if err != nil {
		return nil, err
	}
	tgt, err := NewTarget(spec, form, opt.Weights)
	if err != nil {
		return nil, err
	}
	s := &Synthesis{
		op: op, tgt: tgt, tol: opt.Tol, maxIt: opt.MaxIter,
		groups: spec.Groups(form),
	}
	if s.tol == 0 {
		s.tol = DefaultSynthTol
	}
	if s.maxIt == 0 {
		s.maxIt = DefaultSynthIters
	}
	for i, v := range tgt.vec {
		s.tnorm2 += tgt.wvec[i] * v * v
	}
	s.hist = opt.Histogram
	nq := opt.HistogramQuantiles
	if nq == 0 {
		nq = op.n
	}
	scale := s.tnorm2
	if !(scale > 0) {
		scale = 1
	}
	s.marg = newMarginal(target, nq, s.hist*scale/(std*std))
	var w float64 // the mean weight of the S2 entries
	for _, g := range s.groups {
		if g.Name == "S2" && g.End > g.Start {
			for _, v := range tgt.wvec[g.Start:g.End] {
				w += v
			}
			w /= float64(g.End - g.Start)
		}
	}
	rings := opt.PowerSpectrumRings
	if rings == 0 {
		rings = DefaultPowerSpectrumRings
	}
	if s.ps, err = newSpectrumTerm(target, op.w, op.h, rings, opt.PowerSpectrum*w); err != nil {
		return nil, err
	}
	if opt.LowPass > 0 {
		if s.lp, err = newLowPass(target, op.bank.Phi(), op.w, op.h, opt.LowPass*w); err != nil {
			return nil, err
		}
	}
	x0 := make([]float64, op.n)
	if opt.Init != nil {
		copy(x0, opt.Init)
	} else {
		synthNoise(x0, mean, std, opt.Seed)
	}
	mem := opt.Memory
	if mem == 0 {
		mem = DefaultSynthMemory
	}
	if err := s.opt.init(s.evaluate, mem, x0); err != nil {
		return nil, err
	}
	s.phi = slices.Clone(op.vec)
	s.statF = s.evalStatF
	if s.objErr() <= s.tol {
		s.status = SynthConverged
	}
	return s, nil
}

// synthNoise fills x with Gaussian white noise from seed, standardised so
// that its sample mean and standard deviation are exactly mean and std.
func synthNoise(x []float64, mean, std float64, seed uint64) {
	r := rand.New(rand.NewPCG(seed, synthInitStream))
	for i := range x {
		x[i] = r.NormFloat64()
	}
	m, sd := spMeanStd(x)
	for i, v := range x {
		x[i] = mean + std*(v-m)/sd
	}
}

// spMeanStd returns the mean and the (population) standard deviation of x.
func spMeanStd(x []float64) (mean, std float64) {
	mean = spMean(x)
	var v float64
	for _, a := range x {
		d := a - mean
		v += d * d
	}
	return mean, math.Sqrt(v / float64(len(x)))
}

// evaluate computes the loss at x and its gradient into grad, and checks
// that both are finite.
func (s *Synthesis) evaluate(x, grad []float64) (float64, error) {
	f, err := s.op.LossGrad(x, s.tgt, grad)
	if err != nil {
		return 0, err
	}
	s.evalStatF = f
	if s.marg.c > 0 {
		f += s.marg.lossGrad(x, grad)
	}
	if s.lp != nil {
		f += s.lp.lossGrad(x, grad)
	}
	if s.ps.c > 0 {
		f += s.ps.lossGrad(x, grad)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("scattering: synthesis loss is %v", f)
	}
	for i, g := range grad {
		if math.IsNaN(g) || math.IsInf(g, 0) {
			return 0, fmt.Errorf("scattering: synthesis gradient value %d is %v", i, g)
		}
	}
	return f, nil
}

// Step makes one L-BFGS iteration: it evaluates the loss and gradient
// along the search direction until the line search accepts a step (one
// evaluation when the quasi-Newton step 1 is accepted, as it mostly is),
// and makes that point the current iterate. A failed search is retried
// once along −∇ℓ within the same Step (see The optimiser).
// It returns done = true when the synthesis has stopped (see Status):
// converged, at MaxIter, stalled (then without error, the field staying at
// the last accepted iterate) or failed (with the error, which later calls
// return again). Step on a stopped synthesis does nothing.
func (s *Synthesis) Step() (done bool, err error) {
	switch s.status {
	case SynthRunning:
	case SynthFailed:
		return true, s.reason
	default:
		return true, nil
	}
	if err := s.opt.iterate(); err != nil {
		if errors.Is(err, errStalled) {
			s.status, s.reason = SynthStalled, err
			return true, nil
		}
		return s.fail(err)
	}
	s.iter++
	copy(s.phi, s.op.vec) // the last evaluation was at the new iterate
	s.statF = s.evalStatF
	switch {
	case s.objErr() <= s.tol:
		s.status = SynthConverged
	case s.iter >= s.maxIt:
		s.status = SynthMaxIter
	}
	return s.status != SynthRunning, nil
}

func (s *Synthesis) fail(err error) (bool, error) {
	s.status, s.reason = SynthFailed, err
	return true, err
}

// Run steps the synthesis until it stops or ctx is cancelled (checked
// between iterations; ctx may be nil), calling each (if not nil) after
// every iteration. It returns Step's error or ctx's.
func (s *Synthesis) Run(ctx context.Context, each func(*Synthesis)) error {
	for {
		if ctx != nil {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		done, err := s.Step()
		if err != nil {
			return err
		}
		if each != nil {
			each(s)
		}
		if done {
			return nil
		}
	}
}

// Field returns the current iterate x (M·N values, row-major). The slice
// is the synthesis's own: it changes with the next Step and must not be
// modified.
func (s *Synthesis) Field() []float64 { return s.opt.x }

// Loss returns ℓ(x) at the current iterate (the marginal, low-pass and
// power-spectrum terms included when they are on).
func (s *Synthesis) Loss() float64 { return s.opt.f }

// RelErr returns the relative statistic error √(ℓ(x)/Σ_i w_i Φ_i(t)²) at
// the current iterate (√ℓ(x) if the weighted target vector is 0), ℓ the
// statistic part of the loss (without the marginal term).
func (s *Synthesis) RelErr() float64 {
	if s.tnorm2 > 0 {
		return math.Sqrt(s.statF / s.tnorm2)
	}
	return math.Sqrt(s.statF)
}

// objErr is the relative error of the whole loss (the statistic,
// marginal, low-pass and power-spectrum terms over Σ_i w_i Φ_i(t)²),
// which the stopping rule compares with Tol.
func (s *Synthesis) objErr() float64 {
	if s.tnorm2 > 0 {
		return math.Sqrt(s.opt.f / s.tnorm2)
	}
	return math.Sqrt(s.opt.f)
}

// MarginalErr returns the relative marginal error W₂/σ_t at the current
// iterate: the Wasserstein-2 distance between the pixel marginals of x and
// of the target (of their block-averaged quantile functions when
// HistogramQuantiles < M·N) over the target's standard deviation. It is
// computed whether the marginal term is on or not (one sort, no
// allocation).
func (s *Synthesis) MarginalErr() float64 { return s.marg.relErr(s.opt.x) }

// LowPassErr returns |log P_φ(x) − log P_φ(t)| at the current iterate,
// the log-ratio of the low-pass band powers of x and the target (see
// SynthOptions.LowPass), or NaN when the low-pass term is off.
func (s *Synthesis) LowPassErr() float64 {
	if s.lp == nil {
		return math.NaN()
	}
	return s.lp.relErr(s.opt.x)
}

// SpectrumErr returns the power-spectrum error at the current iterate:
// the mean over the rings of the power-spectrum term
// (SynthOptions.PowerSpectrumRings per octave, |k| from 1 to the corner)
// of |log(P_i(x) + f) − log(P_i(t) + f)|, P_i the mean periodogram over
// ring i and f = polyspectra.SpectrumFloor·σ_t². It is computed whether
// the term is on or not (one FFT, no allocation).
func (s *Synthesis) SpectrumErr() float64 { return s.ps.relErr(s.opt.x) }

// Histogram returns the weight of the marginal term (0: off).
func (s *Synthesis) Histogram() float64 { return s.hist }

// HistogramQuantiles returns the number of quantile blocks of the
// marginal term (M·N: the whole sorted marginal).
func (s *Synthesis) HistogramQuantiles() int { return len(s.marg.tmean) }

// Iter returns the number of L-BFGS iterations made.
func (s *Synthesis) Iter() int { return s.iter }

// Evals returns the number of loss-and-gradient evaluations made, the
// one at the start included.
func (s *Synthesis) Evals() int { return s.opt.evals }

// Status returns whether the synthesis runs, or why it stopped.
func (s *Synthesis) Status() SynthStatus { return s.status }

// StopReason returns the optimiser's error for SynthStalled, the
// evaluation error for SynthFailed, and nil otherwise.
func (s *Synthesis) StopReason() error { return s.reason }

// Tol returns the stopping tolerance on RelErr.
func (s *Synthesis) Tol() float64 { return s.tol }

// MaxIter returns the maximum number of iterations.
func (s *Synthesis) MaxIter() int { return s.maxIt }

// Target returns the synthesis target (its form, weights, spectra and
// vector).
func (s *Synthesis) Target() *Target { return s.tgt }

// Groups returns the statistic groups of the target's form (the ranges of
// mean, S1, S2, S3 and S4 in Vector and in GroupErrors' order).
func (s *Synthesis) Groups() []CoefGroup { return slices.Clone(s.groups) }

// Vector returns Φ(x) of the current iterate in the target's form (owned
// by the synthesis: it changes with the next Step and must not be
// modified).
func (s *Synthesis) Vector() []float64 { return s.phi }

// GroupErrors stores in dst (grown if needed) and returns, for each
// statistic group of the target's form (Spectra.Groups: mean, S1, S2, S3,
// S4), the unweighted relative error ‖Φ_g(x) − Φ_g(t)‖/‖Φ_g(t)‖ at the
// current iterate (the absolute error ‖Φ_g(x) − Φ_g(t)‖ where Φ_g(t) = 0).
func (s *Synthesis) GroupErrors(dst []float64) []float64 {
	dst = slices.Grow(dst[:0], len(s.groups))[:len(s.groups)]
	for gi, g := range s.groups {
		var num, den float64
		for i := g.Start; i < g.End; i++ {
			d := s.phi[i] - s.tgt.vec[i]
			num += d * d
			den += s.tgt.vec[i] * s.tgt.vec[i]
		}
		if den > 0 {
			dst[gi] = math.Sqrt(num / den)
		} else {
			dst[gi] = math.Sqrt(num)
		}
	}
	return dst
}

// Line-search constants: the strong Wolfe conditions
// φ(α) ≤ φ(0) + c1·α·φ'(0) and |φ'(α)| ≤ c2·|φ'(0)| (the usual
// quasi-Newton values; MoreThuente's own default c1 is 0).
const (
	synthC1 = 1e-4
	synthC2 = 0.9
)

// errStalled is wrapped, with gonum's line search error, by the error of
// minimizer.iterate when it cannot decrease the loss even along −∇f.
var errStalled = errors.New("scattering: L-BFGS stalled")

// minimizer drives gonum's L-BFGS (optimize.LinesearchMethod with
// optimize.LBFGS directions and optimize.MoreThuente steps) by reverse
// communication, one major iteration per call of iterate, synchronously
// and, after init, without allocating. Its x, g and f are the current
// iterate, its gradient and value; loc is the point the optimiser asks to
// evaluate, or has accepted.
type minimizer struct {
	eval func(x, grad []float64) (float64, error)

	method optimize.LinesearchMethod
	dir    optimize.LBFGS
	search optimize.MoreThuente
	loc    optimize.Location
	op     optimize.Operation // the optimiser's pending request
	opErr  error              // its pending error (a failed search)
	fresh  bool               // no iteration since the last Init: the search runs along −∇f

	x, g  []float64
	f     float64
	evals int
}

// init evaluates eval at x0 (kept, not copied) and prepares the optimiser
// with memory pairs, allocating all its buffers; an evaluation error is
// returned.
func (m *minimizer) init(eval func(x, grad []float64) (float64, error), memory int, x0 []float64) error {
	m.eval = eval
	m.x, m.g = x0, make([]float64, len(x0))
	f, err := eval(m.x, m.g)
	m.evals = 1
	if err != nil {
		return err
	}
	m.f = f
	m.dir = optimize.LBFGS{Store: memory}
	m.search = optimize.MoreThuente{DecreaseFactor: synthC1, CurvatureFactor: synthC2}
	m.method = optimize.LinesearchMethod{NextDirectioner: &m.dir, Linesearcher: &m.search}
	m.loc = optimize.Location{X: slices.Clone(m.x), Gradient: slices.Clone(m.g)}
	m.restart()
	return nil
}

// restart starts the optimiser afresh (memory cleared, direction −∇f, a
// first trial moving x by a unit distance) from the current iterate.
func (m *minimizer) restart() {
	copy(m.loc.X, m.x)
	copy(m.loc.Gradient, m.g)
	m.loc.F = m.f
	m.op, m.opErr = m.method.Init(&m.loc)
	m.fresh = true
}

// iterate makes one major iteration: it evaluates f and ∇f wherever the
// line search asks until it accepts a point, which becomes the iterate;
// the last evaluation is then at the new iterate. If the search fails it
// is restarted once from the iterate along −∇f (restart); if that fails
// too, or the failed search already ran along −∇f, iterate returns an
// error wrapping errStalled and gonum's. An evaluation error is returned
// as is. On an error the iterate is unchanged.
func (m *minimizer) iterate() error {
	const evalOp = optimize.FuncEvaluation | optimize.GradEvaluation
	for {
		switch {
		case m.opErr != nil:
			if m.fresh {
				return fmt.Errorf("%w: %w", errStalled, m.opErr)
			}
			m.restart()
		case m.op == optimize.MajorIteration:
			// The last call ended an iteration: start the next line search
			// (LBFGS stores the pair (s, y) and computes the direction).
			m.op, m.opErr = m.method.Iterate(&m.loc)
		case m.op&evalOp != 0 && m.op&^evalOp == 0:
			// Evaluate both whichever is asked (MoreThuente asks for both).
			f, err := m.eval(m.loc.X, m.loc.Gradient)
			m.evals++
			if err != nil {
				return err
			}
			m.loc.F = f
			m.op, m.opErr = m.method.Iterate(&m.loc)
			if m.opErr == nil && m.op == optimize.MajorIteration {
				// loc is the accepted point, the one just evaluated.
				copy(m.x, m.loc.X)
				copy(m.g, m.loc.Gradient)
				m.f = m.loc.F
				m.fresh = false
				return nil
			}
		default:
			return fmt.Errorf("scattering: unexpected optimiser request %v", m.op)
		}
	}
}
