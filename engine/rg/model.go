package rg

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"scalewise/engine/field"
	"scalewise/engine/wavelet"
)

// Version is the format version of Model written by Write and accepted by
// ReadModel.
const Version = 1

// MaxL is the largest lattice side a Model accepts.
const MaxL = 1024

// maxStencil bounds Scale.Stencil (a (2·64+1)² stencil is far beyond any
// use and keeps hostile JSON from asking for huge kernels).
const maxStencil = 64

// maxSigmoids bounds the number of sigmoid windows per scale.
const maxSigmoids = 1000

// maxSteps bounds the MALA steps per scale.
const maxSteps = 10_000_000

// Model is a wavelet-conditional renormalisation-group model of a
// stationary field on a periodic L×L lattice (Marchand, Ozawa, Biroli,
// Mallat, "Multiscale data-driven energy estimation and generation",
// PRX 13, 041038 (2023), §4.1): with
// x_0 = (φ − Mean)/Std and (x_j, x̄_j) = W(x_{j−1}) one level of the
// periodic orthonormal Daubechies-4 transform,
//
//	p(x_0) = p_J(x_J) ∏_{j=1..J} p̄_j(x̄_j | x_j),
//	p_J ∝ e^{−E_J(x_J)},   p̄_j ∝ e^{−Ē_j(x̄_j | x_j)},
//
// each energy being linear in its parameters θ (see Scale). Scales lists
// the factors in sampling order, coarse to fine: Scales[0] is p_J(x_J)
// (unconditional), Scales[i] for i = 1..J is p̄_j with j = J+1−i.
type Model struct {
	// Version is the format version (Version).
	Version int `json:"version"`
	// L is the lattice side (a power of two).
	L int `json:"l"`
	// Beta is metadata: the coupling of the φ⁴ data the model was fitted to.
	Beta float64 `json:"beta"`
	// Wavelet names the orthogonal wavelet ("db4").
	Wavelet string `json:"wavelet"`
	// J is the number of wavelet levels; x_J lives on an (L/2^J)² grid.
	J int `json:"j"`
	// Mean and Std normalise the data: x_0 = (φ − Mean)/Std.
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
	// Scales holds the J+1 factors, coarse to fine (see above).
	Scales []Scale `json:"scales"`
	// BandLimit, if non-nil, records that the data were band-limited and
	// filled with noise beyond (FitOptions.BandLimit): sampled fields are
	// projected onto the retained modes. Nil in older models.
	BandLimit *BandLimit `json:"band_limit,omitempty"`
	// Provenance records how the model was made (free-form).
	Provenance map[string]string `json:"provenance,omitempty"`
}

// Scale is one factor of a Model (PRX 13, 041038, §4.3). A conditional
// scale j has the energy, linear in θ,
//
//	Ē_θ(x̄_j | x_j) = Σ_k θ_k Σ_p ρ_k(x_{j−1}(p)) + Σ_t θ_{K+t} Φ_t(u),
//	ρ_k(t) = sigmoid(−(t − c_k)/w),   x_{j−1} = W⁻¹(x_j, x̄_j),
//
// with the potential acting on the Grid×Grid field x_{j−1} and the
// quadratic features Φ_t = ½ Σ_p u_c(p) u_d(p+s) of Terms acting on the
// channels u = (x_j, H_j, V_j, D_j) of the CoarseGrid×CoarseGrid grid
// (CoarseGrid = Grid/2). The unconditional coarsest scale (j = J) has the
// same form with one channel u_1 = x_J and the potential acting on x_J
// itself (Grid = CoarseGrid = L/2^J).
//
// Theta is ordered as θ^V (one per centre, in the order of Centres)
// followed by one coefficient per entry of Terms; Terms is the list built
// from (Conditional, CoarseGrid, Stencil) by the documented rule (see Term
// and ScaleSpec) and is checked against it by Validate.
type Scale struct {
	// J is the wavelet level j of the factor (J of the model for the
	// coarsest, unconditional factor and for the first conditional one).
	J int `json:"j"`
	// Conditional is false for p_J(x_J) only.
	Conditional bool `json:"conditional"`
	// Grid is the side of the field the potential acts on: x_{j−1}, or x_J.
	Grid int `json:"grid"`
	// CoarseGrid is the side of the channels u: Grid/2, or Grid for x_J.
	CoarseGrid int `json:"coarse_grid"`
	// Centres are the sigmoid centres c_k and Width their common width w
	// (normalised units of x_{j−1}).
	Centres []float64 `json:"centres"`
	Width   float64   `json:"width"`
	// Stencil is n: quadratic interactions over shifts s ∈ [−n, n]².
	Stencil int `json:"stencil"`
	// Terms lists the quadratic features in the order of Theta[K:].
	Terms []Term `json:"terms"`
	// Theta holds the fitted parameters (see above).
	Theta []float64 `json:"theta"`
	// CondRaw and CondPreconditioned are the condition numbers λmax/λmin of
	// the score-matching matrix H and of D^{-½}HD^{-½}, D = diag(H), §4.4
	// (−1 when the matrix is singular).
	CondRaw            float64 `json:"cond_raw"`
	CondPreconditioned float64 `json:"cond_preconditioned"`
	// Ridge is the multiple of the identity added to D^{-½}HD^{-½} before
	// solving (0 unless the matrix was numerically singular).
	Ridge float64 `json:"ridge"`
	// Loss is the Hyvärinen score-matching loss E[½|∇Ē|² − ΔĒ] at θ,
	// −½θᵀG, per training field.
	Loss float64 `json:"loss"`
	// Calibration is the change of the self shift-0 coefficients of the
	// bands H, V, D made by the moment-matching rounds after score matching
	// (Theta includes it; empty when not calibrated), and
	// CalibrationStdRatio the ratio std_model/std_data of each band given
	// the data x_j measured by the last round, before its update.
	Calibration         []float64 `json:"calibration"`
	CalibrationStdRatio []float64 `json:"calibration_std_ratio"`
	// LikelihoodDecrement holds, per round of the maximum-likelihood
	// refinement that followed score matching (FitOptions.Likelihood), the
	// Newton decrement δ = (ΔᵀF⁻¹Δ)^½ of the moment mismatch Δ = E_θ[Φ] −
	// E_data[Φ] measured before that round's step (see maximumLikelihood);
	// empty when not refined.
	LikelihoodDecrement []float64 `json:"likelihood_decrement,omitempty"`
	// LikelihoodStdRatio is the ratio std_model/std_data of each band H,
	// V, D measured by the refinement's last round, before its step.
	LikelihoodStdRatio []float64 `json:"likelihood_std_ratio,omitempty"`
	// StepSize is the initial MALA step h (adapted during the warm-up of
	// each chain), Steps the default number of MALA steps and TargetAccept
	// the acceptance rate the warm-up aims at (§4.5).
	StepSize     float64 `json:"step_size"`
	Steps        int     `json:"steps"`
	TargetAccept float64 `json:"target_accept"`
	// WindowLo and WindowHi bound the potential field during sampling: a
	// MALA move whose x_{j−1} leaves [WindowLo, WindowHi] is rejected
	// (§4.5).
	WindowLo float64 `json:"window_lo"`
	WindowHi float64 `json:"window_hi"`
	// StdCond is the data std of x_j (conditional) or x_J (unconditional)
	// and StdBands that of H_j, V_j, D_j (empty for x_J), for validation.
	StdCond  float64   `json:"std_x"`
	StdBands []float64 `json:"std_bands"`
	// Samples is the number of training fields (before symmetrisation).
	Samples int `json:"samples"`
	// Scattering holds the scattering-interaction terms of a conditional
	// factor (nil: none; see the package documentation, "Scattering
	// interactions"); their coefficients end Theta, after the quadratic
	// ones.
	Scattering *ScatBlock `json:"scattering,omitempty"`
	// Preconditioned makes the sampler of this factor a preconditioned
	// MALA chain whose mass matrix is the inverse of Metric (see precond;
	// StepSize is then dimensionless, of order 1). False (older models):
	// plain MALA.
	Preconditioned bool `json:"preconditioned,omitempty"`
	// Metric is the kernel of the preconditioner's metric P = M⁻¹, the
	// Fisher information of the factor estimated on the training data,
	// P_{ab}(r) = E[∂_{a,q}Ē ∂_{b,q+r}Ē] for the varying channels a, b
	// (indices into H, V, D, or the single channel x_J) and shifts r in
	// the stencil, at Metric[(a·nv + b)(2S+1)² + (r_y+S)(2S+1) + r_x+S]
	// (see precond). Empty: the quadratic kernels serve instead.
	Metric []float64 `json:"metric,omitempty"`
}

func isPow2(n int) bool { return n > 0 && n&(n-1) == 0 }

func log2(n int) int {
	j := 0
	for n > 1 {
		n >>= 1
		j++
	}
	return j
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func allFinite(vs []float64) int {
	for i, v := range vs {
		if !finite(v) {
			return i
		}
	}
	return -1
}

// Validate checks every field of m: version, sizes (L a power of two from
// 2 to MaxL, 1 ≤ J ≤ log₂L, one Scale per factor with the right level,
// grids, conditionality and term list), finite values, positive widths,
// steps and std, ordered window, and parameter counts. It never panics.
func (m *Model) Validate() error {
	if m == nil {
		return errors.New("rg: nil model")
	}
	if m.Version != Version {
		return fmt.Errorf("rg: model version %d is not supported (want %d)", m.Version, Version)
	}
	if !isPow2(m.L) || m.L < 2 || m.L > MaxL {
		return fmt.Errorf("rg: L = %d must be a power of two from 2 to %d", m.L, MaxL)
	}
	if !finite(m.Beta) {
		return fmt.Errorf("rg: beta %v is not finite", m.Beta)
	}
	if _, err := wavelet.ByName(m.Wavelet); err != nil || m.Wavelet == "" {
		return fmt.Errorf("rg: unknown wavelet %q", m.Wavelet)
	}
	if m.J < 1 || m.J > log2(m.L) {
		return fmt.Errorf("rg: J = %d must be in [1, %d] for L = %d", m.J, log2(m.L), m.L)
	}
	if !finite(m.Mean) {
		return fmt.Errorf("rg: mean %v is not finite", m.Mean)
	}
	if !finite(m.Std) || m.Std <= 0 {
		return fmt.Errorf("rg: std %v must be positive and finite", m.Std)
	}
	if len(m.Scales) != m.J+1 {
		return fmt.Errorf("rg: %d scales, want J+1 = %d", len(m.Scales), m.J+1)
	}
	for i := range m.Scales {
		if err := m.Scales[i].validate(m.L, m.J, i); err != nil {
			return fmt.Errorf("rg: scale %d: %w", i, err)
		}
	}
	if m.BandLimit != nil {
		return m.BandLimit.validate(m.L)
	}
	return nil
}

// scaleLevel returns the level j, conditionality and grids of factor i.
func scaleLevel(L, J, i int) (j int, cond bool, grid, coarse int) {
	if i == 0 {
		g := L >> J
		return J, false, g, g
	}
	j = J + 1 - i
	grid = L >> (j - 1)
	return j, true, grid, grid / 2
}

func (s *Scale) validate(L, J, i int) error {
	j, cond, grid, coarse := scaleLevel(L, J, i)
	switch {
	case s.J != j:
		return fmt.Errorf("level j = %d, want %d", s.J, j)
	case s.Conditional != cond:
		return fmt.Errorf("conditional = %v, want %v", s.Conditional, cond)
	case s.Grid != grid || s.CoarseGrid != coarse:
		return fmt.Errorf("grids %d and %d, want %d and %d", s.Grid, s.CoarseGrid, grid, coarse)
	case len(s.Centres) > maxSigmoids:
		return fmt.Errorf("%d centres (at most %d)", len(s.Centres), maxSigmoids)
	case allFinite(s.Centres) >= 0:
		return fmt.Errorf("centre %d is not finite", allFinite(s.Centres))
	case !finite(s.Width) || s.Width <= 0:
		return fmt.Errorf("width %v must be positive and finite", s.Width)
	case s.Stencil < 0 || s.Stencil > maxStencil:
		return fmt.Errorf("stencil %d must be in [0, %d]", s.Stencil, maxStencil)
	}
	want := buildTerms(cond, coarse, s.Stencil)
	if !slices.Equal(s.Terms, want) {
		return fmt.Errorf("term list (%d terms) differs from the one built for stencil %d on a %d×%d grid (%d terms)",
			len(s.Terms), s.Stencil, coarse, coarse, len(want))
	}
	nsc := 0
	if s.Scattering != nil {
		if !cond {
			return errors.New("scattering terms on the unconditional factor")
		}
		if err := s.Scattering.validate(grid); err != nil {
			return err
		}
		nsc = len(s.Scattering.Terms)
	}
	switch p := len(s.Centres) + len(s.Terms) + nsc; {
	case p == 0:
		return errors.New("no parameters")
	case len(s.Theta) != p && nsc > 0:
		return fmt.Errorf("%d parameters, want %d sigmoids + %d terms + %d scattering terms = %d",
			len(s.Theta), len(s.Centres), len(s.Terms), nsc, p)
	case len(s.Theta) != p:
		return fmt.Errorf("%d parameters, want %d sigmoids + %d terms = %d", len(s.Theta), len(s.Centres), len(s.Terms), p)
	case allFinite(s.Theta) >= 0:
		return fmt.Errorf("theta[%d] is not finite", allFinite(s.Theta))
	}
	switch {
	case len(s.Metric) != 0 && len(s.Metric) != len(varyingChannels(cond))*len(varyingChannels(cond))*(2*s.Stencil+1)*(2*s.Stencil+1):
		return fmt.Errorf("%d metric values, want 0 or %d", len(s.Metric), len(varyingChannels(cond))*len(varyingChannels(cond))*(2*s.Stencil+1)*(2*s.Stencil+1))
	case allFinite(s.Metric) >= 0:
		return fmt.Errorf("metric value %d is not finite", allFinite(s.Metric))
	case !finite(s.CondRaw) || !finite(s.CondPreconditioned) || !finite(s.Ridge) || s.Ridge < 0 || !finite(s.Loss):
		return errors.New("condition numbers, ridge and loss must be finite (ridge ≥ 0)")
	case !finite(s.StepSize) || s.StepSize <= 0:
		return fmt.Errorf("step size %v must be positive and finite", s.StepSize)
	case s.Steps < 1 || s.Steps > maxSteps:
		return fmt.Errorf("steps %d must be in [1, %d]", s.Steps, maxSteps)
	case !(s.TargetAccept > 0 && s.TargetAccept < 1):
		return fmt.Errorf("target acceptance %v must be in (0, 1)", s.TargetAccept)
	case !finite(s.WindowLo) || !finite(s.WindowHi) || s.WindowLo >= s.WindowHi:
		return fmt.Errorf("window [%v, %v] must be finite and ordered", s.WindowLo, s.WindowHi)
	case !finite(s.StdCond) || s.StdCond < 0:
		return fmt.Errorf("std of x %v must be finite and ≥ 0", s.StdCond)
	case s.Samples < 0:
		return fmt.Errorf("negative sample count %d", s.Samples)
	}
	nb := 0
	if cond {
		nb = 3
	}
	if len(s.StdBands) != nb {
		return fmt.Errorf("%d band stds, want %d", len(s.StdBands), nb)
	}
	for _, vs := range [][]float64{s.Calibration, s.CalibrationStdRatio} {
		if len(vs) != 0 && len(vs) != nb {
			return fmt.Errorf("%d calibration values, want 0 or %d", len(vs), nb)
		}
		if k := allFinite(vs); k >= 0 {
			return fmt.Errorf("calibration value %d is not finite", k)
		}
	}
	for _, v := range s.StdBands {
		if !finite(v) || v < 0 {
			return fmt.Errorf("band std %v must be finite and ≥ 0", v)
		}
	}
	return nil
}

// ReadModel decodes a Model from JSON (as written by Write) and validates
// it: unknown fields, trailing data, an unknown version, wrong lengths,
// non-finite values (JSON cannot encode NaN or Inf, so they are syntax
// errors), L not a power of two and every other check of Validate give
// an error.
func ReadModel(r io.Reader) (*Model, error) {
	if r == nil {
		return nil, errors.New("rg: nil reader")
	}
	data, err := io.ReadAll(io.LimitReader(r, 1<<30))
	if err != nil {
		return nil, fmt.Errorf("rg: reading model: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Model
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("rg: decoding model: %w", err)
	}
	if dec.More() {
		return nil, errors.New("rg: trailing data after the model")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Write validates m and writes it as JSON (one line) to w.
func (m *Model) Write(w io.Writer) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if w == nil {
		return errors.New("rg: nil writer")
	}
	return json.NewEncoder(w).Encode(m)
}

// scale returns factor i after validating the model.
func (m *Model) scale(i int) (*Scale, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if i < 0 || i >= len(m.Scales) {
		return nil, fmt.Errorf("rg: scale index %d out of range [0, %d]", i, len(m.Scales)-1)
	}
	return &m.Scales[i], nil
}

// Energy returns the energy of factor i (PRX 13, 041038, §4.3) and its
// gradient with respect to the varying channels:
//
//	i = 0:  E_J(x_J) = Σ_k θ_k Σ_p ρ_k(x_J(p)) + Σ_t θ_{K+t} Φ_t(x_J),
//	        cond must be nil and vary = [x_J];
//	i ≥ 1:  Ē_j(x̄_j | x_j) with cond = x_j and vary = [H_j, V_j, D_j],
//
// all on the CoarseGrid×CoarseGrid grid in normalised units, with the
// scattering terms of the factor, if any (package documentation,
// "Scattering interactions"). The window is not applied.
func (m *Model) Energy(i int, cond *field.Field, vary []*field.Field) (float64, []*field.Field, error) {
	sc, err := m.scale(i)
	if err != nil {
		return 0, nil, err
	}
	wv, err := wavelet.ByName(m.Wavelet)
	if err != nil {
		return 0, nil, err
	}
	c := compileWith(sc, wv)
	var cd []float64
	if c.cond {
		if cond == nil {
			return 0, nil, errors.New("rg: conditional scale needs the conditioning field x_j")
		}
		cd = cond.Data
	} else if cond != nil {
		return 0, nil, errors.New("rg: the coarsest scale has no conditioning field")
	}
	vd := make([][]float64, len(vary))
	for k, f := range vary {
		if f == nil {
			return 0, nil, fmt.Errorf("rg: varying channel %d is nil", k+1)
		}
		if f.W != c.n || f.H != c.n {
			return 0, nil, fmt.Errorf("rg: varying channel %d is %d×%d, want %d×%d", k+1, f.W, f.H, c.n, c.n)
		}
		vd[k] = f.Data
	}
	if err := c.checkChannels(cd, vd); err != nil {
		return 0, nil, err
	}
	ev, err := newEvaluator(c, wv)
	if err != nil {
		return 0, nil, err
	}
	var u, g [4][]float64
	if c.cond {
		u[0] = cd
		ev.setCond(cd)
	}
	out := make([]*field.Field, len(c.vary))
	for k, a := range c.vary {
		u[a] = vd[k]
		out[k] = field.New(c.n, c.n)
		g[a] = out[k].Data
	}
	e, _ := ev.eval(&u, &g, false)
	return e, out, nil
}

// Potential returns V(t) = Σ_k θ_k ρ_k(t) of factor i at each t
// (normalised units of x_{j−1}, or of x_J for i = 0), the scalar potential
// of §4.3, for drawing it as a curve (e.g. over [WindowLo, WindowHi]).
func (m *Model) Potential(i int, t []float64) ([]float64, error) {
	sc, err := m.scale(i)
	if err != nil {
		return nil, err
	}
	sg := newSigmoids(sc.Centres, sc.Width)
	th := sc.Theta[:len(sc.Centres)]
	out := make([]float64, len(t))
	for k, v := range t {
		out[k], _ = sg.potential(th, v)
	}
	return out, nil
}

// Kernel returns the quadratic interaction kernel of factor i between
// channels c and d as a (2n+1)×(2n+1) image, n = Stencil, with shift
// s = (sx, sy) at column n+sx, row n+sy: the coefficient K_{c,d}(s) of
//
//	Q = ½ Σ_{c,d} Σ_s K_{c,d}(s) Σ_p u_c(p) u_d(p+s),
//
// summed over ordered channel pairs, so that K_{d,c}(−s) = K_{c,d}(s): for
// c ≠ d it is θ_t of the term (c, d, s) (halved, as the pair appears twice
// in the double sum), for c = d θ_t at s = 0 and θ_t/2 at ±s otherwise.
// Shifts equal modulo the grid share one term. Channels are 0 = x_j,
// 1..3 = H, V, D (only 1 = x_J for i = 0); c = d = 0 gives zeros.
func (m *Model) Kernel(i, c, d int) (*field.Field, error) {
	sc, err := m.scale(i)
	if err != nil {
		return nil, err
	}
	nc := 4
	if !sc.Conditional {
		nc = 2
	}
	if c < 0 || d < 0 || c >= nc || d >= nc || (!sc.Conditional && (c == 0 || d == 0)) {
		return nil, fmt.Errorf("rg: channels (%d, %d) out of range for scale %d", c, d, i)
	}
	n := sc.Stencil
	w := 2*n + 1
	out := field.New(w, w)
	g := sc.CoarseGrid
	K := len(sc.Centres)
	for sy := -n; sy <= n; sy++ {
		for sx := -n; sx <= n; sx++ {
			v := 0.0
			for ti, t := range sc.Terms {
				th := sc.Theta[K+ti]
				same := func(ax, ay int) bool { return mod(ax-sx, g) == 0 && mod(ay-sy, g) == 0 }
				switch {
				case t.C == c && t.D == d && c == d:
					if same(t.SX, t.SY) || same(-t.SX, -t.SY) {
						if mod(t.SX, g) == 0 && mod(t.SY, g) == 0 {
							v += th
						} else {
							v += th / 2
						}
					}
				case t.C == c && t.D == d:
					if same(t.SX, t.SY) {
						v += th / 2
					}
				case t.C == d && t.D == c:
					if same(-t.SX, -t.SY) {
						v += th / 2
					}
				}
			}
			out.Data[(sy+n)*w+sx+n] = v
		}
	}
	return out, nil
}
