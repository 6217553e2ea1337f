package scattering

import (
	"math"

	"scalewise/engine/fourier"
	"scalewise/engine/polyspectra"
)

// spectrumTerm is the power-spectrum term of a Synthesis
// (SynthOptions.PowerSpectrum). The wavelet power S2(j, ℓ) = E|x ⋆ ψ_{j,ℓ}|²
// constrains the power spectrum of x only through its integrals over the
// octave-wide bands |ψ̂_{j,ℓ}|²: how the power is spread within an octave —
// between its two half octaves, or between the finest octave's corners,
// where the bank's Littlewood–Paley sum dips to 0.6 (bump) or 0.13
// (Morlet), and the rest of it — is left to the S3 and S4 cross-spectra and
// keeps much of the initial white noise. Measured on the critical φ⁴
// target at 128² (bump, J = 6, L = 4, seeds 1–3), the synthesis's log
// power over half-octave rings misses the target's by 0.18–0.23 on
// average: by up to ±1.3 in the lowest rings (|k| = 1 and √2, 4 modes
// each, left to the coarsest wavelet and the low-pass), by ±0.1–0.3
// between the two half octaves of the large-scale octaves, by +0.34 in
// the corners (|k| > N/2), by less than 0.1 elsewhere. The term
// matches the ring powers themselves, as the log power spectrum term of
// the synthesis code of Cheng et al., "Scattering Spectra Models for
// Physics", PNAS Nexus 3, pgae103 (2024) (there J − 1 log-spaced bins;
// the power spectrum is the second-order moment that the scattering
// spectra of Cheng et al. and the phase-harmonic covariances of Zhang &
// Mallat, "Maximum entropy models from phase harmonic covariances", ACHA
// 53 (2021), approximate by wavelet bands): with the rings of
// polyspectra.OctaveRings, r per octave from |k| = 1 to the corner of the
// frequency square,
//
//	P_i(x) = (1/(m_i MN)) Σ_{k ∈ ring i} |x̂(k)|²,
//	ℓ_P(x) = c Σ_i (log(P_i(x) + f) − log(P_i(t) + f))²,   c = PowerSpectrum · w,   f = ε·σ_t²,
//
// with m_i the number of frequencies of ring i, x̂ the unnormalised DFT, w
// the weight of one S2 entry of the target vector (1 for uniform
// weights), so that PowerSpectrum = 1 counts each ring as one more S2
// coefficient, and the floor f = polyspectra.SpectrumFloor (ε = 10⁻⁴)
// times the target's variance σ_t², which bounds the log where the target
// has no power beyond rounding (the corners of a dealiased turbulence
// field) and changes nothing measurable elsewhere. The rings are
// symmetric under k → −k, so ∂/∂x Σ_{k∈i} |x̂(k)|² = 2·MN·IDFT(1_i·x̂)
// (IDFT divided by MN, real), hence
//
//	∂P_i/∂x = (2/m_i) IDFT(1_i·x̂),
//	∂ℓ_P/∂x = IDFT(G·x̂),   G(k) = 4c (log(P_i(x) + f) − log(P_i(t) + f)) / (m_i (P_i(x) + f))   for k ∈ ring i (0 at k = 0),
//
// one real forward and one inverse half-spectrum FFT per evaluation, in
// preallocated buffers (no allocation).
type spectrumTerm struct {
	c     float64
	rings *polyspectra.OctaveRings
	ring  []int32   // ring of each half-spectrum frequency (−1: none)
	m     []float64 // m_i
	floor float64   // f = ε·σ_t²
	tlog  []float64 // log(P_i(t) + f)
	p     []float64 // P_i(x) of the last evaluation
	gain  []float64 // G per ring
	plan  *fourier.Plan2D
	xh    []complex128 // half spectrum
	r     []float64    // scratch, M·N
}

// newSpectrumTerm prepares the term for the target t (h×w) with perOctave
// rings per octave and factor c ≥ 0 (0: off; the ring powers are still
// available for SpectrumErr).
func newSpectrumTerm(t []float64, w, h, perOctave int, c float64) (*spectrumTerm, error) {
	rings, err := polyspectra.NewOctaveRings(w, h, perOctave)
	if err != nil {
		return nil, err
	}
	plan, err := fourier.NewPlan2D(h, w)
	if err != nil {
		return nil, err
	}
	nr := rings.Len()
	s := &spectrumTerm{
		c: c, rings: rings, ring: rings.HalfIndex(),
		tlog: make([]float64, nr), p: make([]float64, nr), gain: make([]float64, nr),
		plan: plan, xh: make([]complex128, plan.HalfLen()), r: make([]float64, w*h),
	}
	s.m = make([]float64, nr)
	for i, m := range rings.Modes() {
		s.m[i] = float64(m)
	}
	_, sd := spMeanStd(t)
	s.floor = polyspectra.SpectrumFloor * sd * sd
	s.power(t)
	for i, v := range s.p {
		s.tlog[i] = spLog(v + s.floor)
	}
	return s, nil
}

// power stores P_i(x) in s.p, leaving the half spectrum of x in s.xh.
func (s *spectrumTerm) power(x []float64) {
	_ = s.plan.ForwardHalf(s.xh, x) // lengths are checked by the caller
	s.rings.PowerHalf(s.p, s.xh)
}

// relErr returns the mean over the rings of |log(P_i(x) + f) − log(P_i(t) + f)|.
func (s *spectrumTerm) relErr(x []float64) float64 {
	s.power(x)
	var e float64
	for i, v := range s.p {
		e += math.Abs(spLog(v+s.floor) - s.tlog[i])
	}
	return e / float64(len(s.p))
}

// lossGrad returns ℓ_P(x) and adds its gradient to grad.
func (s *spectrumTerm) lossGrad(x, grad []float64) float64 {
	s.power(x)
	var f float64
	for i, v := range s.p {
		v += s.floor
		d := spLog(v) - s.tlog[i]
		f += d * d
		s.gain[i] = 0
		if v > spLogFloor { // below the log floor the derivative is 0
			s.gain[i] = 4 * s.c * d / (s.m[i] * v)
		}
	}
	for k, r := range s.ring {
		g := 0.0
		if r >= 0 {
			g = s.gain[r]
		}
		s.xh[k] *= complex(g, 0)
	}
	_ = s.plan.InverseHalf(s.r, s.xh)
	for i, v := range s.r {
		grad[i] += v
	}
	return s.c * f
}
