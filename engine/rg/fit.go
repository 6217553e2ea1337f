package rg

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"time"

	"gonum.org/v1/gonum/mat"

	"scalewise/engine/field"
	"scalewise/engine/wavelet"
)

// ScaleSpec sets the parameterisation of one factor (PRX 13, 041038,
// §4.3 and §4.5; the per-scale settings of the authors' WC-RG code for
// Guth, Lempereur, Bruna and Mallat, "Conditionally Strongly Log-Concave
// Generative Models", ICML 2023).
type ScaleSpec struct {
	// Sigmoids is the number K of sigmoid windows of the potential,
	// centred at K equally spaced points spanning the data range of the
	// potential field at that scale (symmetric about 0 with
	// FitOptions.Symmetric).
	Sigmoids int `json:"sigmoids"`
	// Stencil is n: quadratic interactions over the periodic shifts
	// s ∈ [−n, n]² (0: shift 0 only), see Term.
	Stencil int `json:"stencil"`
	// Width is the sigmoid width w in units of the centre spacing (the
	// authors' "extent"); for K = 1 in units of the data range.
	Width float64 `json:"width"`
	// Steps is the default number of MALA steps when sampling the factor.
	Steps int `json:"steps"`
	// Scattering, if non-nil, adds scattering-interaction terms to a
	// conditional factor whose field is at least ScatMinGrid wide (see the
	// package documentation, "Scattering interactions").
	Scattering *ScatSpec `json:"scattering,omitempty"`
}

// FitOptions configures Fit.
type FitOptions struct {
	// Beta is metadata recorded in the model (the φ⁴ coupling).
	Beta float64
	// J is the number of wavelet levels; 0 chooses log₂L (x_J is one
	// value: the coarsest factor is the density of the field's mean).
	J int
	// Specs holds one ScaleSpec per factor in the order of Model.Scales
	// (coarse to fine, len J+1); nil chooses DefaultSpecs.
	Specs []ScaleSpec
	// Workers is the number of goroutines (0: GOMAXPROCS). The result
	// does not depend on it.
	Workers int
	// Symmetric fits the model to the data and its mirror image −φ
	// together, so that the fitted energy is exactly even (E(−x) = E(x)),
	// as is the φ⁴ energy: the mean is then taken as 0, Std = √⟨φ²⟩, and
	// the sigmoid centres are symmetric about 0. The mirrored data are
	// not formed: their statistics follow from those of the data
	// (ρ_k'(−t) = ρ_{k̃}'(t) for the mirrored centre c_{k̃} = −c_k).
	Symmetric bool
	// Isotropic fits the conditional factors to the data and their
	// transposes (x ↔ y) together, so that the fitted energies are exactly
	// invariant under transposition, as is φ⁴ on the square lattice:
	// transposing a field transposes x_j and D_j and exchanges H_j and V_j.
	// Like Symmetric it costs nothing: the statistics of the transposed
	// data follow from those of the data. (The coarsest factor needs no
	// such symmetrisation on a 1×1 grid; on larger grids it is left as
	// fitted.)
	Isotropic bool
	// Calibration is the number of moment-matching rounds that refine the
	// self shift-0 coefficients of every conditional factor after score
	// matching (see Scale.Calibration); 0 chooses 3, a negative value
	// none.
	Calibration int
	// Precondition makes every factor's sampler (and the pilot and
	// calibration chains of the fit) a preconditioned MALA chain whose
	// mass matrix comes from the factor's quadratic kernels (see
	// Scale.Preconditioned).
	Precondition bool
	// BandLimit, if positive, declares the data band-limited to the
	// Fourier modes max(|k_x|, |k_y|) ≤ BandLimit (signed FFT indices, as
	// the 2/3 rule of a pseudo-spectral solver leaves them): before the fit
	// the other modes are filled with independent Gaussian noise (see
	// FillBandLimited), and the sampler projects its fields back onto the
	// retained modes (Model.BandLimit). 0: no band limit.
	BandLimit int
	// Ridge is the smallest eigenvalue, relative to the largest, that the
	// diagonally preconditioned score-matching matrix may have before a
	// ridge (Tikhonov) term lifts it there (see Scale.Ridge); 0 chooses
	// 1e-12.
	Ridge float64
	// ScatShrink is λ_s ≥ 0, a Gaussian prior on the scattering
	// coefficients: the score-matching loss of a factor with scattering
	// terms becomes ½θᵀHθ − θᵀG + ½λ_s Σ_{i scat} H_ii θ_i², which shrinks
	// them towards 0 (the local model) in the units where each feature's
	// score has unit mean square. 0: no prior.
	ScatShrink float64
	// Likelihood is the number of rounds of the maximum-likelihood
	// refinement of every conditional factor after score matching and
	// calibration (see Scale.LikelihoodDecrement); 0: none.
	Likelihood int
	// LikelihoodChains is the number of persistent chains of that
	// refinement, each on one training field's x_j (0: every training
	// field, at most defaultLikelihoodChains), and LikelihoodSteps the MALA
	// steps of each chain per round (0: Steps/2 of the factor).
	LikelihoodChains, LikelihoodSteps int
	// LikelihoodMode chooses the chains of that refinement: "" or
	// LikelihoodPersistent, LikelihoodShortRun or LikelihoodAncestral.
	LikelihoodMode string
	// LikelihoodRate is the damping η ∈ (0, 1] of its Newton steps (0:
	// defaultLikelihoodRate).
	LikelihoodRate float64
}

// The modes of FitOptions.LikelihoodMode.
const (
	// LikelihoodPersistent refines each factor given the data's x_j with
	// persistent chains started at the data's x̄_j: the maximum of the
	// conditional likelihood (see maximumLikelihood).
	LikelihoodPersistent = "persistent"
	// LikelihoodShortRun refines each factor given the data's x_j with
	// the sampler's own chains, restarted from 0 every round.
	LikelihoodShortRun = "short-run"
	// LikelihoodAncestral refines the factors coarse to fine, after they
	// are all fitted, each given the x_j drawn by the model's coarser
	// factors, with the sampler's own chains (see ancestralMoments).
	LikelihoodAncestral = "ancestral"
)

// defaultLikelihoodChains and defaultLikelihoodRate are the defaults of
// FitOptions.LikelihoodChains and LikelihoodRate.
const (
	defaultLikelihoodChains = 1024
	defaultLikelihoodRate   = 0.5
)

// windowMargin is the sampling window margin beyond the centres, as a
// fraction of the centre range.
const windowMargin = 0.1

// targetAccept is the MALA acceptance rate aimed at (Roberts & Rosenthal,
// J. R. Stat. Soc. B 60, 255 (1998)).
const targetAccept = 0.574

// minEquationsPerParameter is the least number of data coordinates (fields
// × varying coordinates per field) per parameter that Fit accepts.
const minEquationsPerParameter = 4

// defaultSpec is the parameterisation of a factor whose potential acts on a
// grid×grid field (see DefaultSpecs).
func defaultSpec(grid int, cond bool) ScaleSpec {
	if !cond {
		st := 0
		switch {
		case grid == 2:
			st = 1
		case grid >= 4:
			st = 2
		}
		return ScaleSpec{Sigmoids: 12, Stencil: st, Width: 1, Steps: 1000}
	}
	switch {
	case grid <= 2:
		return ScaleSpec{Sigmoids: 20, Stencil: 0, Width: 1, Steps: 100}
	case grid <= 4:
		return ScaleSpec{Sigmoids: 20, Stencil: 1, Width: 1, Steps: 100}
	case grid <= 8:
		return ScaleSpec{Sigmoids: 30, Stencil: 2, Width: 1, Steps: 150}
	case grid <= 16:
		return ScaleSpec{Sigmoids: 30, Stencil: 3, Width: 1, Steps: 200}
	case grid <= 64:
		return ScaleSpec{Sigmoids: 30, Stencil: 4, Width: 1, Steps: 300}
	default:
		return ScaleSpec{Sigmoids: 30, Stencil: 6, Width: 1, Steps: 500}
	}
}

// DefaultSpecs returns the default parameterisation for L×L fields and the
// default J = log₂L, one ScaleSpec per factor in the order of Model.Scales
// (Scales[0] for x_J, then conditional factors coarse to fine). By the
// grid N of the field the potential acts on (x_{j−1}, or x_J):
//
//	x_J (1×1):  12 sigmoids, 1000 steps (the 1-D density of the mean)
//	N = 2:      20 sigmoids, shift 0 only,   100 steps
//	N = 4:      20 sigmoids, 3×3 stencil,    100 steps
//	N = 8:      30 sigmoids, 5×5 stencil,    150 steps
//	N = 16:     30 sigmoids, 7×7 stencil,    200 steps
//	N = 32, 64: 30 sigmoids, 9×9 stencil,    300 steps
//	N ≥ 128:    30 sigmoids, 13×13 stencil,  500 steps
//
// with sigmoid widths equal to the centre spacing (Width 1; wider windows
// make H singular to working precision without changing the samples).
// This follows the authors' table (PRX 13, 041038, §4.3 and §4.5; the
// settings of their code for Guth et al., ICML 2023) with three changes: shifts are reduced
// modulo the grid (on grids smaller than the stencil the authors' count
// has duplicated features), stencils are capped at 9×9 up to N = 64 and
// 13×13 beyond (the authors' 17×17 at N = 32 is the whole grid of
// L = 32; 9×9 already reproduces the band stds within 1 %), and x_J has
// 12 sigmoids so that ~128 training fields suffice. Steps are the
// authors' orders of magnitude; on the L = 32 data four times more steps
// change no band std by more than its noise (about 1 %), and the
// acceptance after the warm-up is 0.56–0.58 at every scale.
func DefaultSpecs(L int) ([]ScaleSpec, int, error) {
	if !isPow2(L) || L < 2 || L > MaxL {
		return nil, 0, fmt.Errorf("rg: L = %d must be a power of two from 2 to %d", L, MaxL)
	}
	J := log2(L)
	return defaultSpecs(L, J), J, nil
}

func defaultSpecs(L, J int) []ScaleSpec {
	out := make([]ScaleSpec, J+1)
	for i := range out {
		_, cond, grid, _ := scaleLevel(L, J, i)
		out[i] = defaultSpec(grid, cond)
	}
	return out
}

func checkSpec(sp ScaleSpec) error {
	switch {
	case sp.Sigmoids < 0 || sp.Sigmoids > maxSigmoids:
		return fmt.Errorf("%d sigmoids (want 0..%d)", sp.Sigmoids, maxSigmoids)
	case sp.Stencil < 0 || sp.Stencil > maxStencil:
		return fmt.Errorf("stencil %d (want 0..%d)", sp.Stencil, maxStencil)
	case sp.Sigmoids > 0 && (!finite(sp.Width) || sp.Width <= 0):
		return fmt.Errorf("width %v must be positive and finite", sp.Width)
	case sp.Steps < 1 || sp.Steps > maxSteps:
		return fmt.Errorf("steps %d (want 1..%d)", sp.Steps, maxSteps)
	}
	return nil
}

// checkData verifies that data is a non-empty set of finite L×L fields of
// one size, L a power of two from 2 to MaxL.
func checkData(data []*field.Field, what string) (int, error) {
	if len(data) == 0 {
		return 0, fmt.Errorf("rg: no %s fields", what)
	}
	L := 0
	for i, f := range data {
		if f == nil {
			return 0, fmt.Errorf("rg: %s field %d is nil", what, i)
		}
		if f.W != f.H || len(f.Data) != f.W*f.H {
			return 0, fmt.Errorf("rg: %s field %d is %d×%d with %d values (want a square field)", what, i, f.W, f.H, len(f.Data))
		}
		if i == 0 {
			L = f.W
			if !isPow2(L) || L < 2 || L > MaxL {
				return 0, fmt.Errorf("rg: field side %d must be a power of two from 2 to %d", L, MaxL)
			}
		} else if f.W != L {
			return 0, fmt.Errorf("rg: %s field %d is %d×%d but field 0 is %d×%d", what, i, f.W, f.H, L, L)
		}
		if k := allFinite(f.Data); k >= 0 {
			return 0, fmt.Errorf("rg: %s field %d has a non-finite value at index %d", what, i, k)
		}
	}
	return L, nil
}

func workerCount(w int) int {
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return max(1, w)
}

// parallel runs f(worker, i) for i = 0..n−1 on up to workers goroutines,
// each index exactly once.
func parallel(n, workers int, f func(worker, i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			f(0, i)
		}
		return
	}
	var next int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := int(next)
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				f(w, i)
			}
		}()
	}
	wg.Wait()
}

// Fit estimates a Model from data by score matching, scale by scale (PRX
// 13, 041038, §4.4): the data are normalised, x_0 = (φ − Mean)/Std,
// decomposed with the periodic db4 DWT, and for each factor the
// parameters θ = H⁻¹G minimise the Hyvärinen loss E[½|∇_x̄Ē|² − Δ_x̄Ē]
// (exact Laplacians; diagonal preconditioning, see Scale.CondRaw). The
// initial MALA step of each factor is found by a short adaptive pilot
// chain started from training data, and then opts.Calibration rounds of
// moment matching refine the self shift-0 coefficients of the conditional
// factors (see Scale.Calibration; the fit then costs some sampling).
// progress, if non-nil, is called with a stage name and counts as the fit
// proceeds. Fit needs at least 2 finite, non-constant L×L fields (L a
// power of two from 2 to MaxL) and at least 4 data coordinates (fields ×
// varying coordinates per field) per parameter at every scale; the result
// is the same for any opts.Workers.
func Fit(data []*field.Field, opts FitOptions, progress func(stage string, done, total int)) (*Model, error) {
	t0 := time.Now()
	L, err := checkData(data, "training")
	if err != nil {
		return nil, err
	}
	if len(data) < 2 {
		return nil, errors.New("rg: need at least 2 training fields")
	}
	if !finite(opts.Beta) {
		return nil, fmt.Errorf("rg: beta %v is not finite", opts.Beta)
	}
	J := opts.J
	if J == 0 {
		J = log2(L)
	}
	if J < 1 || J > log2(L) {
		return nil, fmt.Errorf("rg: J = %d must be in [1, %d] for L = %d", J, log2(L), L)
	}
	specs := opts.Specs
	if specs == nil {
		specs = defaultSpecs(L, J)
	}
	if len(specs) != J+1 {
		return nil, fmt.Errorf("rg: %d scale specs, want J+1 = %d", len(specs), J+1)
	}
	scat := false
	for i, sp := range specs {
		if err := checkSpec(sp); err != nil {
			return nil, fmt.Errorf("rg: spec %d: %w", i, err)
		}
		if sp.Scattering != nil {
			_, cond, grid, _ := scaleLevel(L, J, i)
			if !cond {
				return nil, fmt.Errorf("rg: spec %d: scattering terms need a conditional factor", i)
			}
			if _, err := sp.Scattering.resolve(grid); err != nil {
				return nil, fmt.Errorf("rg: spec %d: %w", i, err)
			}
			scat = true
		}
	}
	workers := workerCount(opts.Workers)
	rounds := opts.Calibration
	if rounds == 0 {
		rounds = defaultCalibration
	}
	rounds = max(rounds, 0)
	wv, err := wavelet.ByName("db4")
	if err != nil {
		return nil, err
	}
	var band *BandLimit
	if opts.BandLimit != 0 {
		filled, bl, err := FillBandLimited(data, opts.BandLimit, bandSeed)
		if err != nil {
			return nil, err
		}
		data, band = filled, bl
	}
	// Normalisation.
	var s1, s2 float64
	for _, f := range data {
		for _, v := range f.Data {
			s1 += v
			s2 += v * v
		}
	}
	cnt := float64(len(data) * L * L)
	mean := s1 / cnt
	if opts.Symmetric {
		mean = 0
	}
	std := math.Sqrt(max(0, s2/cnt-mean*mean))
	if !(std > 0) || !finite(std) {
		return nil, fmt.Errorf("rg: data std %v must be positive and finite", std)
	}
	xs := make([][]float64, len(data))
	for i, f := range data {
		xs[i] = make([]float64, L*L)
		for p, v := range f.Data {
			xs[i][p] = (v - mean) / std
		}
	}
	ridge := opts.Ridge
	if ridge == 0 {
		ridge = ridgeTol
	}
	if !(ridge > 0 && ridge < 1) {
		return nil, fmt.Errorf("rg: ridge tolerance %v must be in (0, 1)", opts.Ridge)
	}
	if !(opts.ScatShrink >= 0) || !finite(opts.ScatShrink) {
		return nil, fmt.Errorf("rg: scattering shrinkage %v must be finite and ≥ 0", opts.ScatShrink)
	}
	if opts.Likelihood < 0 || opts.LikelihoodChains < 0 || opts.LikelihoodSteps < 0 {
		return nil, fmt.Errorf("rg: likelihood rounds %d, chains %d and steps %d must be ≥ 0", opts.Likelihood, opts.LikelihoodChains, opts.LikelihoodSteps)
	}
	if !(opts.LikelihoodRate >= 0 && opts.LikelihoodRate <= 1) {
		return nil, fmt.Errorf("rg: likelihood rate %v must be in [0, 1]", opts.LikelihoodRate)
	}
	switch opts.LikelihoodMode {
	case "", LikelihoodPersistent, LikelihoodShortRun, LikelihoodAncestral:
	default:
		return nil, fmt.Errorf("rg: likelihood mode %q: want %s, %s or %s", opts.LikelihoodMode, LikelihoodPersistent, LikelihoodShortRun, LikelihoodAncestral)
	}
	lc := likelihoodConf{rounds: opts.Likelihood, chains: opts.LikelihoodChains, steps: opts.LikelihoodSteps, rate: opts.LikelihoodRate,
		shortRun: opts.LikelihoodMode == LikelihoodShortRun}
	if lc.chains == 0 {
		lc.chains = defaultLikelihoodChains
	}
	if lc.rate == 0 {
		lc.rate = defaultLikelihoodRate
	}
	cf := fitConf{sym: opts.Symmetric, iso: opts.Isotropic, rounds: rounds, workers: workers, wv: wv, pre: opts.Precondition, ridge: ridge,
		shrink: opts.ScatShrink, lc: lc}
	ancestral := opts.LikelihoodMode == LikelihoodAncestral && lc.rounds > 0
	if ancestral {
		cf.lc.rounds = 0 // after every factor is fitted
	}
	levelXs := make([][][]float64, J+1)
	m := &Model{Version: Version, L: L, Beta: opts.Beta, Wavelet: "db4", J: J, Mean: mean, Std: std,
		Scales: make([]Scale, J+1), BandLimit: band}
	for j := 1; j <= J; j++ {
		i := J + 1 - j
		stage := fmt.Sprintf("scale %d (x̄_%d | x_%d, %d×%d)", i, j, j, L>>(j-1), L>>(j-1))
		var pr func(done, total int)
		if progress != nil {
			pr = func(done, total int) { progress(stage, done, total) }
		}
		levelXs[i] = xs
		sc, next, err := fitScale(xs, L, J, i, specs[i], cf, pr)
		if err != nil {
			return nil, fmt.Errorf("rg: scale %d (j = %d): %w", i, j, err)
		}
		m.Scales[i] = *sc
		xs = next
	}
	stage := fmt.Sprintf("scale 0 (x_%d, %d×%d)", J, L>>J, L>>J)
	var pr func(done, total int)
	if progress != nil {
		pr = func(done, total int) { progress(stage, done, total) }
	}
	cf.rounds = 0
	sc, _, err := fitScale(xs, L, J, 0, specs[0], cf, pr)
	if err != nil {
		return nil, fmt.Errorf("rg: scale 0 (x_%d): %w", J, err)
	}
	m.Scales[0] = *sc
	if ancestral {
		var pr func(i, done, total int)
		if progress != nil {
			pr = func(i, done, total int) {
				progress(fmt.Sprintf("likelihood, factor %d given the model's x_%d", i, m.Scales[i].J), done, total)
			}
		}
		if err := ancestralMoments(m, levelXs, lc, opts.Symmetric, opts.Isotropic, workers, wv, pr); err != nil {
			return nil, fmt.Errorf("rg: ancestral likelihood: %w", err)
		}
	}
	m.Provenance = map[string]string{
		"fitted_by":   "scalewise/engine/rg Fit (score matching, PRX 13 041038 §4.4)",
		"samples":     strconv.Itoa(len(data)),
		"symmetric":   strconv.FormatBool(opts.Symmetric),
		"isotropic":   strconv.FormatBool(opts.Isotropic),
		"calibration": strconv.Itoa(rounds),
		"fit_seconds": strconv.FormatFloat(time.Since(t0).Seconds(), 'f', 2, 64),
	}
	if scat {
		m.Provenance["scattering"] = "Lempereur & Mallat arXiv:2405.03468 scattering interactions"
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("rg: fitted model is invalid: %w", err)
	}
	return m, nil
}

// fitScale fits factor i of the model to the fields xs (the potential
// field of that factor: x_{j−1} for a conditional factor, x_J for i = 0)
// and returns it with, for conditional factors, the coarse fields x_j.
func fitScale(xs [][]float64, L, J, i int, sp ScaleSpec, cf fitConf,
	progress func(done, total int)) (*Scale, [][]float64, error) {
	sym, rounds, workers, wv := cf.sym, cf.rounds, cf.workers, cf.wv
	j, cond, grid, n := scaleLevel(L, J, i)
	ns := len(xs)
	// Channels of every field.
	us := make([][4][]float64, ns)
	var levs []*level
	if cond {
		levs = make([]*level, workers)
		for w := range levs {
			lev, err := newLevel(wv, grid)
			if err != nil {
				return nil, nil, err
			}
			levs[w] = lev
		}
	}
	parallel(ns, workers, func(w, k int) {
		if cond {
			for c := range 4 {
				us[k][c] = make([]float64, n*n)
			}
			levs[w].analyse(xs[k], &us[k])
		} else {
			us[k][1] = xs[k]
		}
	})
	// Data range and stds.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		for _, v := range x {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if sym {
		M := max(-lo, hi)
		lo, hi = -M, M
	}
	if !(hi > lo) {
		return nil, nil, fmt.Errorf("the data at this scale are constant (range [%g, %g])", lo, hi)
	}
	sc := &Scale{J: j, Conditional: cond, Grid: grid, CoarseGrid: n, Stencil: sp.Stencil, Steps: sp.Steps,
		TargetAccept: targetAccept, Samples: ns, Preconditioned: cf.pre}
	chStd := func(c int) float64 {
		var a, b float64
		for k := range us {
			for _, v := range us[k][c] {
				a += v
				b += v * v
			}
		}
		cn := float64(ns * n * n)
		if sym {
			return math.Sqrt(b / cn)
		}
		return math.Sqrt(max(0, b/cn-(a/cn)*(a/cn)))
	}
	if cond {
		sc.StdCond = chStd(0)
		sc.StdBands = []float64{chStd(1), chStd(2), chStd(3)}
	} else {
		sc.StdCond = chStd(1)
		sc.StdBands = []float64{}
	}
	var blk *ScatBlock
	if sp.Scattering != nil {
		if !cond {
			return nil, nil, errors.New("scattering terms need a conditional factor")
		}
		b, err := sp.Scattering.resolve(grid)
		if err != nil {
			return nil, nil, err
		}
		ms := 0.0
		for k := range us {
			for c := 1; c < 4; c++ {
				ms += dot(us[k][c], us[k][c])
			}
		}
		b.Norm = math.Sqrt(ms / float64(3*ns*n*n))
		if !(b.Norm > 0) || !finite(b.Norm) {
			return nil, nil, fmt.Errorf("scattering: the details x̄_%d are zero on the data", j)
		}
		blk = b
	}
	K := sp.Sigmoids
	sc.Centres = make([]float64, K)
	spacing := hi - lo
	if K > 1 {
		spacing = (hi - lo) / float64(K-1)
	}
	mid := (lo + hi) / 2
	if sym {
		mid = 0
	}
	for k := range sc.Centres {
		sc.Centres[k] = mid + (float64(k)-float64(K-1)/2)*spacing
	}
	sc.Width = sp.Width * spacing
	if K == 0 {
		sc.Width = 1
	}
	margin := windowMargin * (hi - lo)
	sc.WindowLo, sc.WindowHi = lo-margin, hi+margin
	sc.Terms = buildTerms(cond, n, sp.Stencil)
	P := K + len(sc.Terms)
	if blk != nil {
		P += len(blk.Terms)
	}
	nv := len(varyingChannels(cond))
	if eq := ns * nv * n * n; eq < minEquationsPerParameter*P {
		return nil, nil, fmt.Errorf("too few samples: %d parameters but %d fields × %d coordinates = %d data coordinates (need at least %d per parameter)",
			P, ns, nv*n*n, eq, minEquationsPerParameter)
	}
	// Statistics, in fixed chunks merged in order (independent of workers).
	var wts [4]float64
	if cond {
		wts = levs[0].detailWeights()
	}
	lay := newLayout(cond, n, sp.Stencil, K, wts)
	sig := newSigmoids(sc.Centres, sc.Width)
	// The statistics' data: with scattering terms and Isotropic, the data
	// with their transposes (augmentData); otherwise the data.
	sxs, sus := xs, us
	var aug *augmented
	if blk != nil && cf.iso {
		aug = augmentData(xs, us, grid, levs[0])
		sxs, sus = aug.xs, aug.us
	}
	nsS := len(sxs)
	nchunk := min(nsS, 32)
	chunks := make([]*stats, nchunk)
	accs := make([]*accumulator, workers)
	for w := range accs {
		a, err := newAccumulator(lay, sig, wv)
		if err != nil {
			return nil, nil, err
		}
		accs[w] = a
	}
	var schunks []*scatStats
	var saccs []*scatAccumulator
	if blk != nil {
		g, err := newScatGeom(blk, grid, wv)
		if err != nil {
			return nil, nil, err
		}
		schunks = make([]*scatStats, nchunk)
		saccs = make([]*scatAccumulator, workers)
		for w := range saccs {
			a, err := newScatAccumulator(lay, g, blk, wv, 0x5ca7+uint64(i))
			if err != nil {
				return nil, nil, err
			}
			saccs[w] = a
		}
	}
	mleRounds := 0
	if cond {
		mleRounds = cf.lc.rounds
	}
	var mu sync.Mutex
	done := 0
	parallel(nchunk, workers, func(w, c int) {
		st := newStats(lay)
		var sst *scatStats
		if blk != nil {
			sst = newScatStats(lay, len(blk.Terms))
		}
		for k := c * nsS / nchunk; k < (c+1)*nsS/nchunk; k++ {
			accs[w].addField(st, &sus[k], sxs[k])
			if sst != nil {
				var sk [][][]float64
				if K > 0 {
					sk = accs[w].sk
				}
				seed, tr := k, false
				if aug != nil {
					seed, tr = aug.src[k], aug.tr[k]
				}
				saccs[w].addField(sst, seed, tr, &sus[k], sxs[k], sk)
			}
		}
		chunks[c] = st
		if sst != nil {
			schunks[c] = sst
		}
		if progress != nil {
			mu.Lock()
			done++
			progress(done, nchunk+rounds+mleRounds)
			mu.Unlock()
		}
	})
	st := newStats(lay)
	for _, c := range chunks {
		st.add(c)
	}
	if sym {
		st = mirror(lay, st)
	}
	if cf.iso && cond && aug == nil {
		st = transpose(lay, st)
	}
	var H *mat.SymDense
	var G []float64
	if blk != nil {
		sst := newScatStats(lay, len(blk.Terms))
		for _, c := range schunks {
			sst.add(c)
		}
		if sym {
			sst = scatMirror(lay, sst, scatParities(blk))
		}
		H, G = assembleScat(lay, sc.Terms, st, sst)
		sc.Scattering = blk
	} else {
		H, G = assemble(lay, sc.Terms, st)
	}
	tol := cf.ridge
	if tol == 0 {
		tol = ridgeTol
	}
	var shrink []float64
	if blk != nil && cf.shrink > 0 {
		shrink = make([]float64, len(G))
		for i := len(G) - len(blk.Terms); i < len(G); i++ {
			shrink[i] = cf.shrink
		}
	}
	sol, err := solveRidge(H, G, tol, shrink)
	if err != nil {
		return nil, nil, err
	}
	sc.Theta = sol.theta
	sc.CondRaw, sc.CondPreconditioned, sc.Ridge, sc.Loss = sol.condRaw, sol.condPrecon, sol.ridge, sol.loss
	if cf.pre {
		sc.Preconditioned = false // the metric is measured with plain chains' code paths
		sc.Metric = fisherMetric(sc, us, wv, workers)
		sc.Preconditioned = true
	}
	sc.StepSize = pilotStep(sc, us, wv, uint64(i))
	sc.Calibration, sc.CalibrationStdRatio = []float64{}, []float64{}
	if cond && rounds > 0 {
		var pr func(done, total int)
		if progress != nil {
			pr = func(done, _ int) { progress(nchunk+done, nchunk+rounds+mleRounds) }
		}
		sc.Calibration, sc.CalibrationStdRatio = calibrate(sc, us, rounds, cf.iso, workers, wv, uint64(1000+i), pr)
		if cf.pre { // the metric of the calibrated energy
			sc.Metric = fisherMetric(sc, us, wv, workers)
		}
	}
	if cond && cf.lc.rounds > 0 {
		lc := cf.lc
		if lc.steps == 0 {
			lc.steps = max(2, sc.Steps/2)
		}
		var pr func(done, total int)
		if progress != nil {
			pr = func(done, _ int) { progress(nchunk+rounds+done, nchunk+rounds+mleRounds) }
		}
		dec, err := maximumLikelihood(sc, us, xs, lc, sym, cf.iso, workers, wv, uint64(2000+i), pr)
		if err != nil {
			return nil, nil, fmt.Errorf("maximum likelihood: %w", err)
		}
		sc.LikelihoodDecrement = dec
		if allFinite(sc.Theta) >= 0 {
			return nil, nil, errors.New("maximum likelihood: θ is not finite")
		}
		if cf.pre && !lc.shortRun { // short-run moments depend on the preconditioner: keep it
			sc.Metric = fisherMetric(sc, us, wv, workers)
		}
	}
	var next [][]float64
	if cond {
		next = make([][]float64, ns)
		for k := range us {
			next[k] = us[k][0]
		}
	}
	return sc, next, nil
}

// fitConf holds the settings shared by the factors of one fit.
type fitConf struct {
	sym, iso, pre   bool
	rounds, workers int
	ridge, shrink   float64
	wv              *wavelet.Wavelet
	lc              likelihoodConf
}

// transpose returns the statistics of the data together with their
// transposes, given those of the data of a conditional factor. With
// σ = (0)(1 2)(3) the channel map of transposition (H ↔ V) and ℓᵀ the
// transposed shift, the transposed field has u'_b(q) = u_σb(qᵀ) and
// s'_{k,a}(q) = s_{k,σa}(qᵀ), so
//
//	C'_{b,b'}(ℓ) = C_{σb,σb'}(ℓᵀ),   D'_{k,a,b}(r) = D_{k,σa,σb}(rᵀ),
//
// SS and GV are unchanged (the detail weights satisfy w(1,0) = w(0,1)).
func transpose(l *layout, st *stats) *stats {
	out := newStats(l)
	sigma := [4]int{0, 2, 1, 3}
	W4, W2 := 4*l.S+1, 2*l.S+1
	for i, b := range l.srcs {
		for _, b2 := range l.srcs[i:] {
			dst := out.C[l.pairIdx[b][b2]]
			sb, sb2 := sigma[b], sigma[b2]
			for ly := 0; ly < W4; ly++ {
				for lx := 0; lx < W4; lx++ {
					var v float64
					if sb <= sb2 { // C_{σb,σb'}(ℓᵀ)
						v = st.C[l.pairIdx[sb][sb2]][lx*W4+ly]
					} else { // C_{σb',σb}(−ℓᵀ)
						v = st.C[l.pairIdx[sb2][sb]][(W4-1-lx)*W4+(W4-1-ly)]
					}
					dst[ly*W4+lx] = st.C[l.pairIdx[b][b2]][ly*W4+lx] + v
				}
			}
		}
	}
	vIdx, sIdx := [4]int{-1, -1, -1, -1}, [4]int{-1, -1, -1, -1}
	for i, a := range l.vary {
		vIdx[a] = i
	}
	for i, b := range l.srcs {
		sIdx[b] = i
	}
	nv, ns := len(l.vary), len(l.srcs)
	for k := 0; k < l.K; k++ {
		for ai, a := range l.vary {
			for bi, b := range l.srcs {
				base := ((k*nv+ai)*ns + bi) * l.nr
				tb := ((k*nv+vIdx[sigma[a]])*ns + sIdx[sigma[b]]) * l.nr
				for ry := 0; ry < W2; ry++ {
					for rx := 0; rx < W2; rx++ {
						out.D[base+ry*W2+rx] = st.D[base+ry*W2+rx] + st.D[tb+rx*W2+ry]
					}
				}
			}
		}
	}
	for i, v := range st.SS {
		out.SS[i] = 2 * v
	}
	for i, v := range st.GV {
		out.GV[i] = 2 * v
	}
	out.cnt = 2 * st.cnt
	return out
}

// mirror returns the statistics of the data together with their mirror
// images −x, given those of the data and centres symmetric about 0
// (c_{K−1−k} = −c_k): channels change sign, and ρ_k'(−t) = ρ_{k̃}'(t),
// ρ_k”(−t) = −ρ_{k̃}”(t) with k̃ = K−1−k, so C doubles and
//
//	D_k → D_k − D_k̃,   SS_{k,k'} → SS_{k,k'} + SS_{k̃,k̃'},   GV_k → GV_k − GV_k̃.
func mirror(l *layout, st *stats) *stats {
	out := newStats(l)
	K := l.K
	for i := range st.C {
		for r, v := range st.C[i] {
			out.C[i][r] = 2 * v
		}
	}
	blk := len(st.D) / max(K, 1)
	for k := range K {
		kt := K - 1 - k
		for r := range blk {
			out.D[k*blk+r] = st.D[k*blk+r] - st.D[kt*blk+r]
		}
		out.GV[k] = st.GV[k] - st.GV[kt]
		for k2 := k; k2 < K; k2++ {
			a, b := K-1-k2, K-1-k // (k̃', k̃) with k̃' ≤ k̃
			out.SS[k*K+k2] = st.SS[k*K+k2] + st.SS[a*K+b]
		}
	}
	out.cnt = 2 * st.cnt
	return out
}

// pilotSteps is the length of each pilot chain of pilotStep.
const pilotSteps = 150

// pilotStep returns an initial MALA step for a fitted scale: the mean log
// step of up to two adaptive chains of pilotSteps steps started at
// training fields (in equilibrium), from h₀ = 1/max_a K_{a,a}(0).
func pilotStep(sc *Scale, us [][4][]float64, wv *wavelet.Wavelet, seed uint64) float64 {
	c := compileWith(sc, wv)
	h0 := 1.0
	for _, a := range c.vary {
		if c.pre != nil {
			break // preconditioned: h is dimensionless
		}
		if k := c.kern[a][a]; k != nil {
			if d := k[c.S*(2*c.S+1)+c.S]; d > 0 {
				h0 = min(h0, 1/d)
			}
		}
	}
	ev, err := newEvaluator(c, wv)
	if err != nil {
		return h0
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	ch := newChain(ev, rng)
	nrun := min(2, len(us))
	sum := 0.0
	for r := range nrun {
		init := make([][]float64, len(c.vary))
		for k, a := range c.vary {
			init[k] = us[r][a]
		}
		ch.start(us[r][0], init)
		ad := adapter{logh: math.Log(h0), target: targetAccept}
		ch.h = h0
		for range pilotSteps {
			_, a := ch.step()
			ch.h = ad.update(a)
		}
		sum += ad.logh
	}
	h := math.Exp(sum / float64(nrun))
	if !finite(h) || h <= 0 {
		return h0
	}
	return h
}
