package turbulence

import (
	"fmt"
	"math"

	"scalewise/engine/field"
	"scalewise/engine/fourier"
)

// Autocorrelation is a measured temporal autocorrelation of the vorticity
// and of the stream function of the stationary flow (see
// MeasureAutocorrelation).
//
// The normalised autocorrelation of a field a(x, t) at lag τ is estimated as
// the mean, over time origins tᵢ = t₀ + iδ, of the spatial correlation
// coefficient of the two fields τ apart,
//
//	C_a(τ) = ⟨ρ(a(·, tᵢ), a(·, tᵢ + τ))⟩ᵢ,
//	ρ(f, g) = Σ_x (f − f̄)(g − ḡ) / √(Σ_x (f − f̄)² Σ_x (g − ḡ)²),
//
// which, for snapshots standardised to zero mean and unit variance, is the
// expected correlation of two snapshots τ apart. Its integral
// τ_a = ∫₀^∞ C_a(τ) dτ is the integral time scale (Taylor, Proc. London
// Math. Soc. s2-20, 196 (1922); Pope, "Turbulent Flows" (2000), ch. 3).
// The products ρ at successive origins are themselves correlated, so the
// standard error of C_a is estimated by batch means: the origins are cut
// into AutocorrelationBlocks consecutive blocks, each much longer than τ_a,
// whose means are nearly independent, and σ = sd(block means)/√blocks
// (Flyvbjerg & Petersen, J. Chem. Phys. 91, 461 (1989)).
//
// Two fields are measured. The vorticity ω is dominated by the enstrophy
// range, scales near and below the forcing scale 2π/Kf, and decorrelates in
// a few vortex times. The stream function ψ (∇²ψ = −ω, ψ̂_k = ω̂_k/|k|²)
// weights the modes by |k|⁻⁴, so it follows the energy-containing large
// eddies at k ≈ 1–3, which live for a drag time 1/(2μ) or more and
// decorrelate much more slowly (Boffetta & Ecke, Annu. Rev. Fluid Mech. 44,
// 427 (2012), §2: the drag ends the inverse cascade). A stack of snapshots
// for multiscale (wavelet, renormalisation-group) models must be
// decorrelated at every scale, so both must be small at the chosen spacing.
// With DefaultParams(64) the measured C_ω falls below 0.1 after about 0.6
// eddy turnover times T, C_ψ after about 3.3 T; the integral times are
// τ_ω ≈ 0.3 T and τ_ψ ≈ 1.5 T.
type Autocorrelation struct {
	// Step is the lag step δ; Lags[j] = j·δ for j = 0, …, len(Lags)−1.
	Step float64
	Lags []float64
	// Vorticity and Streamfunction hold C_ω(Lags[j]) and C_ψ(Lags[j]);
	// both are 1 at lag 0. VorticityErr and StreamfunctionErr hold their
	// standard errors (batch means).
	Vorticity, Streamfunction       []float64
	VorticityErr, StreamfunctionErr []float64
	// Pairs[j] is the number of snapshot pairs averaged at lag j.
	Pairs []int
	// Duration is the simulated time of the measurement.
	Duration float64
}

// AutocorrelationBlocks is the number of blocks of the batch-means error
// of Autocorrelation.
const AutocorrelationBlocks = 8

// MeasureAutocorrelation advances the simulation by duration, taking the
// vorticity and the stream function every step δ of simulated time (at the
// first step that reaches t₀ + iδ, so the grid does not drift), and returns
// their autocorrelations at the lags 0, δ, …, Lδ, L = ⌊min(maxLag,
// duration/2)/δ⌋, each the mean over all pairs of snapshots that far apart
// (at least half of the snapshots take part at every lag), with its
// standard error. The flow should be statistically stationary (SpinUp).
// progress, if non-nil, is called after every snapshot with Phase
// "autocorrelation". It keeps L + 1 snapshots of each field in memory.
func (s *Simulation) MeasureAutocorrelation(duration, step, maxLag float64, progress func(Progress)) (Autocorrelation, error) {
	if !finite(duration) || !finite(step) || !finite(maxLag) || !(step > 0) || !(duration >= 2*step) || !(maxLag >= step) {
		return Autocorrelation{}, fmt.Errorf("turbulence: autocorrelation over %v with lag step %v up to lag %v: want 0 < step ≤ max lag and 2·step ≤ duration, all finite", duration, step, maxLag)
	}
	m := int(math.Floor(duration/step + 1e-9)) // snapshots after the first
	nLag := min(m/2, int(math.Floor(maxLag/step+1e-9)))
	if n := int64(nLag+1) * int64(s.n*s.n); n > 1<<25 {
		return Autocorrelation{}, fmt.Errorf("turbulence: autocorrelation up to lag %d would keep %d values; lengthen the step or shorten the largest lag", nLag, 2*n)
	}
	const nb = AutocorrelationBlocks
	a := Autocorrelation{
		Step:              step,
		Lags:              make([]float64, nLag+1),
		Vorticity:         make([]float64, nLag+1),
		Streamfunction:    make([]float64, nLag+1),
		VorticityErr:      make([]float64, nLag+1),
		StreamfunctionErr: make([]float64, nLag+1),
		Pairs:             make([]int, nLag+1),
	}
	// Block sums of ρ per lag, for the batch-means errors.
	blockW, blockP := make([][nb]float64, nLag+1), make([][nb]float64, nLag+1)
	blockN := make([][nb]int, nLag+1)
	plan, err := fourier.NewPlan2D(s.n, s.n)
	if err != nil {
		return a, err
	}
	spec := make([]complex128, s.n*s.n)
	// Ring buffers of the last nLag+1 standardised snapshots.
	ring := nLag + 1
	om, ps := make([][]float64, ring), make([][]float64, ring)
	t0 := s.t
	npts := float64(s.n * s.n)
	for i := 0; i <= m; i++ {
		if i > 0 {
			if err := s.Advance(t0 + float64(i)*step - s.t); err != nil {
				return a, err
			}
		}
		w := s.Vorticity()
		psi := field.New(s.n, s.n)
		streamfunction(plan, spec, psi.Data, w.Data)
		for _, f := range [][]float64{w.Data, psi.Data} {
			if err := field.Standardise(f); err != nil {
				return a, fmt.Errorf("turbulence: autocorrelation at t = %v: %w", s.t, err)
			}
		}
		om[i%ring], ps[i%ring] = w.Data, psi.Data
		for lag := 0; lag <= min(i, nLag); lag++ {
			j := (i - lag) % ring
			// The origin i − lag of the m − lag + 1 at this lag.
			b := (i - lag) * nb / (m - lag + 1)
			blockW[lag][b] += dot(om[j], w.Data) / npts
			blockP[lag][b] += dot(ps[j], psi.Data) / npts
			blockN[lag][b]++
		}
		if progress != nil {
			progress(Progress{Phase: "autocorrelation", Done: i, Total: m, Time: s.t, Energy: s.Energy()})
		}
	}
	for j := range a.Lags {
		a.Lags[j] = float64(j) * step
		a.Vorticity[j], a.VorticityErr[j], a.Pairs[j] = batchMeans(blockW[j][:], blockN[j][:])
		a.Streamfunction[j], a.StreamfunctionErr[j], _ = batchMeans(blockP[j][:], blockN[j][:])
	}
	a.Duration = s.t - t0
	return a, nil
}

// batchMeans returns the mean of the values whose block sums and counts are
// sum and count, the standard error sd(block means)/√blocks over the
// non-empty blocks (0 with fewer than two), and the number of values.
func batchMeans(sum []float64, count []int) (mean, stderr float64, n int) {
	var means []float64
	total := 0.0
	for b := range sum {
		if count[b] > 0 {
			means = append(means, sum[b]/float64(count[b]))
			total += sum[b]
			n += count[b]
		}
	}
	mean = total / float64(n)
	if k := len(means); k > 1 {
		mm, v := 0.0, 0.0
		for _, x := range means {
			mm += x / float64(k)
		}
		for _, x := range means {
			v += (x - mm) * (x - mm)
		}
		stderr = math.Sqrt(v / float64(k-1) / float64(k))
	}
	return mean, stderr, n
}

func dot(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d += a[i] * b[i]
	}
	return d
}

// Decorrelated returns the smallest lag index j ≥ 1 at which both
// autocorrelations are below threshold with a margin of two standard
// errors, |C_ω| + 2σ_ω < threshold and |C_ψ| + 2σ_ψ < threshold, and false
// if there is none.
func (a Autocorrelation) Decorrelated(threshold float64) (int, bool) {
	for j := 1; j < len(a.Lags); j++ {
		if math.Abs(a.Vorticity[j])+2*a.VorticityErr[j] < threshold && math.Abs(a.Streamfunction[j])+2*a.StreamfunctionErr[j] < threshold {
			return j, true
		}
	}
	return 0, false
}

// At returns C_ω(τ) and C_ψ(τ) interpolated linearly between the measured
// lags (NaN beyond the last).
func (a Autocorrelation) At(tau float64) (vorticity, streamfunction float64) {
	x := tau / a.Step
	j := int(math.Floor(x))
	if j < 0 || j >= len(a.Lags) || (j == len(a.Lags)-1 && x > float64(j)) {
		return math.NaN(), math.NaN()
	}
	if j == len(a.Lags)-1 {
		return a.Vorticity[j], a.Streamfunction[j]
	}
	f := x - float64(j)
	return a.Vorticity[j]*(1-f) + a.Vorticity[j+1]*f, a.Streamfunction[j]*(1-f) + a.Streamfunction[j+1]*f
}

// ErrAt returns the standard errors σ_ω(τ) and σ_ψ(τ), interpolated like
// At.
func (a Autocorrelation) ErrAt(tau float64) (vorticity, streamfunction float64) {
	return Autocorrelation{Step: a.Step, Lags: a.Lags, Vorticity: a.VorticityErr, Streamfunction: a.StreamfunctionErr}.At(tau)
}

// IntegralTimes returns the integral time scales τ_ω and τ_ψ, the
// trapezoidal integrals of C_ω and C_ψ from lag 0 to their first zero
// crossing (or to the last lag, a lower bound, when they stay positive).
func (a Autocorrelation) IntegralTimes() (vorticity, streamfunction float64) {
	integral := func(c []float64) float64 {
		sum := 0.0
		for j := 1; j < len(c); j++ {
			if c[j] <= 0 {
				// Up to the zero of the linear interpolant.
				return sum + a.Step*c[j-1]*c[j-1]/(c[j-1]-c[j])/2
			}
			sum += a.Step * (c[j-1] + c[j]) / 2
		}
		return sum
	}
	return integral(a.Vorticity), integral(a.Streamfunction)
}

// Streamfunction returns the stream function ψ of the vorticity ω on the
// periodic [0, 2π)² grid: the solution of ∇²ψ = −ω with zero mean,
// ψ̂_k = ω̂_k/|k|² (the mean of ω, which no periodic ψ can carry, is
// ignored). It is linear in ω.
func Streamfunction(omega *field.Field) (*field.Field, error) {
	if omega == nil || omega.W != omega.H || omega.W < 2 || len(omega.Data) != omega.W*omega.H {
		return nil, fmt.Errorf("turbulence: stream function of a field that is not a square grid")
	}
	n := omega.W
	plan, err := fourier.NewPlan2D(n, n)
	if err != nil {
		return nil, err
	}
	psi := field.New(n, n)
	streamfunction(plan, make([]complex128, n*n), psi.Data, omega.Data)
	return psi, nil
}

// streamfunction stores in dst the stream function of the vorticity w (see
// Streamfunction), with spec as scratch.
func streamfunction(plan *fourier.Plan2D, spec []complex128, dst, w []float64) {
	n := plan.Cols()
	_ = plan.ForwardReal(spec, w)
	for r := 0; r < n; r++ {
		ky := fourier.SignedIndex(r, n)
		for c := 0; c < n; c++ {
			kx := fourier.SignedIndex(c, n)
			k2 := kx*kx + ky*ky
			if k2 == 0 {
				spec[r*n+c] = 0
				continue
			}
			spec[r*n+c] /= complex(float64(k2), 0)
		}
	}
	_ = plan.InverseReal(dst, spec)
}

// Correlation returns the correlation coefficient ρ(f, g) of two fields of
// the same size over their grid points (see Autocorrelation); NaN if either
// is constant.
func Correlation(f, g *field.Field) float64 {
	var mf, mg float64
	for i := range f.Data {
		mf += f.Data[i]
		mg += g.Data[i]
	}
	mf /= float64(len(f.Data))
	mg /= float64(len(g.Data))
	var fg, ff, gg float64
	for i := range f.Data {
		x, y := f.Data[i]-mf, g.Data[i]-mg
		fg += x * y
		ff += x * x
		gg += y * y
	}
	return fg / math.Sqrt(ff*gg)
}
