package polyspectra

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"scalewise/engine/fourier"
)

// NoiseDraws is the number of white-noise fields from which an Estimator
// measures the Gaussian noise σ of its bispectrum and trispectrum bins
// (the relative error of σ is about 1/√(2·NoiseDraws) = 9 %).
const NoiseDraws = 64

// noiseSeed and noiseStream seed the white noise of the σ measurement
// (PCG), so that σ depends on the estimator's size and bins only.
const (
	noiseSeed   = 0x706f_6c79 // "poly"
	noiseStream = 0x7370_6563 // "spec"
)

// MaxBins is the largest number of rings an Estimator accepts.
const MaxBins = 32

// Estimator computes the power spectrum, binned bispectrum and binned
// trispectrum of H×W fields over fixed log-spaced rings (see the package
// documentation). It holds an FFT plan and scratch memory: not safe for
// concurrent use.
type Estimator struct {
	w, h, n int
	edges   []float64
	ring    []int // ring of each frequency index, −1 for none
	modes   []int // number of frequencies in each ring

	tri   [][3]int
	quad  [][4]int
	dtri  []float64 // Σ_x D_a D_b D_c of a Dirac
	dquad []float64 // Σ_x D_a D_b D_c D_d

	plan  *fourier.Plan2D
	xhat  []complex128
	spec  []complex128
	shell [][]float64 // I_i

	noise *Polyspectra // σ of each bin (nil until measured)
}

// Polyspectra holds the statistics of one field, or their mean over a set.
type Polyspectra struct {
	// Power is the ring-averaged periodogram P_i (one per ring).
	Power []float64
	// Bispectrum is B for each of Estimator.Triangles.
	Bispectrum []float64
	// Trispectrum is the full T for each of Estimator.Quadrilaterals, and
	// TrispectrumConnected T with the Gaussian part removed.
	Trispectrum, TrispectrumConnected []float64
}

// LogEdges returns the n+1 edges of n rings spaced logarithmically from 1
// to (s/2)·√2, the corner of the frequency square of an s×s field.
func LogEdges(s, n int) []float64 {
	hi := float64(s) / 2 * math.Sqrt2
	e := make([]float64, n+1)
	for i := range e {
		e[i] = math.Pow(hi, float64(i)/float64(n))
	}
	e[0], e[n] = 1, hi
	return e
}

// NewEstimator returns an estimator for h×w fields (h rows, w columns)
// with nbins log-spaced rings (LogEdges of max(w, h)). It returns an
// error unless w, h ≥ 4 and 1 ≤ nbins ≤ MaxBins.
func NewEstimator(w, h, nbins int) (*Estimator, error) {
	if w < 4 || h < 4 {
		return nil, fmt.Errorf("polyspectra: field %d×%d (width×height) is too small, want at least 4×4", w, h)
	}
	if nbins < 1 || nbins > MaxBins {
		return nil, fmt.Errorf("polyspectra: %d bins, want 1 to %d", nbins, MaxBins)
	}
	plan, err := fourier.NewPlan2D(h, w)
	if err != nil {
		return nil, err
	}
	s := max(w, h)
	n := w * h
	e := &Estimator{
		w: w, h: h, n: n, edges: LogEdges(s, nbins),
		ring: make([]int, n), modes: make([]int, nbins),
		plan: plan, xhat: make([]complex128, n), spec: make([]complex128, n),
		shell: make([][]float64, nbins),
	}
	for i := range e.shell {
		e.shell[i] = make([]float64, n)
	}
	for r := range h {
		ky := float64(fourier.SignedIndex(r, h)) * float64(s) / float64(h)
		for c := range w {
			kx := float64(fourier.SignedIndex(c, w)) * float64(s) / float64(w)
			b := e.ringOf(math.Hypot(kx, ky))
			e.ring[r*w+c] = b
			if b >= 0 {
				e.modes[b]++
			}
		}
	}
	for i, m := range e.modes {
		if m == 0 {
			return nil, fmt.Errorf("polyspectra: ring %d [%.3g, %.3g) of a %d×%d field holds no frequency; use fewer bins", i, e.edges[i], e.edges[i+1], w, h)
		}
	}
	e.configurations()
	return e, nil
}

// ringOf returns the ring of wave number k, or −1.
func (e *Estimator) ringOf(k float64) int {
	nb := len(e.modes)
	if k < e.edges[0] || k > e.edges[nb] {
		return -1
	}
	for i := range nb {
		if k < e.edges[i+1] {
			return i
		}
	}
	return nb - 1
}

// configurations fills the shells of a Dirac and keeps the ring triples and
// quadruples that hold at least one closed polygon.
func (e *Estimator) configurations() {
	nb := len(e.modes)
	for i := range nb {
		e.filter(i)
	}
	// (WH)² Σ_x D_a D_b D_c counts the closed triangles and
	// (WH)³ Σ_x D_a D_b D_c D_d the closed quadrilaterals; keep counts ≥ ½.
	n2 := float64(e.n) * float64(e.n)
	n3 := n2 * float64(e.n)
	for a := range nb {
		for b := a; b < nb; b++ {
			for c := b; c < nb; c++ {
				if d := e.sum3(a, b, c); d*n2 >= 0.5 {
					e.tri = append(e.tri, [3]int{a, b, c})
					e.dtri = append(e.dtri, d)
				}
				for d := c; d < nb; d++ {
					if v := e.sum4(a, b, c, d); v*n3 >= 0.5 {
						e.quad = append(e.quad, [4]int{a, b, c, d})
						e.dquad = append(e.dquad, v)
					}
				}
			}
		}
	}
}

// filter stores in shell i the inverse DFT of 1_i (a Dirac's shell).
func (e *Estimator) filter(i int) {
	for k := range e.spec {
		if e.ring[k] == i {
			e.spec[k] = 1
		} else {
			e.spec[k] = 0
		}
	}
	e.plan.InverseReal(e.shell[i], e.spec) //nolint:errcheck // sizes match
}

func (e *Estimator) sum3(a, b, c int) float64 {
	ia, ib, ic := e.shell[a], e.shell[b], e.shell[c]
	var s float64
	for x, v := range ia {
		s += v * ib[x] * ic[x]
	}
	return s
}

func (e *Estimator) sum4(a, b, c, d int) float64 {
	ia, ib, ic, id := e.shell[a], e.shell[b], e.shell[c], e.shell[d]
	var s float64
	for x, v := range ia {
		s += v * ib[x] * ic[x] * id[x]
	}
	return s
}

// Size returns the field width and height.
func (e *Estimator) Size() (w, h int) { return e.w, e.h }

// Edges returns the ring edges (len Bins()+1), in cycles per max(W, H)
// pixels.
func (e *Estimator) Edges() []float64 { return append([]float64(nil), e.edges...) }

// Bins returns the number of rings.
func (e *Estimator) Bins() int { return len(e.modes) }

// Modes returns the number of frequencies in each ring.
func (e *Estimator) Modes() []int { return append([]int(nil), e.modes...) }

// Triangles returns the ring triples (a ≤ b ≤ c) of the bispectrum, in
// the order of Polyspectra.Bispectrum.
func (e *Estimator) Triangles() [][3]int { return append([][3]int(nil), e.tri...) }

// Quadrilaterals returns the ring quadruples (a ≤ b ≤ c ≤ d) of the
// trispectrum, in the order of Polyspectra.Trispectrum.
func (e *Estimator) Quadrilaterals() [][4]int { return append([][4]int(nil), e.quad...) }

// Compute returns the statistics of the field x (H·W values, row-major,
// finite and not constant).
func (e *Estimator) Compute(x []float64) (*Polyspectra, error) {
	p := &Polyspectra{
		Power:                make([]float64, len(e.modes)),
		Bispectrum:           make([]float64, len(e.tri)),
		Trispectrum:          make([]float64, len(e.quad)),
		TrispectrumConnected: make([]float64, len(e.quad)),
	}
	if err := e.compute(p, x); err != nil {
		return nil, err
	}
	return p, nil
}

func (e *Estimator) compute(p *Polyspectra, x []float64) error {
	if len(x) != e.n {
		return fmt.Errorf("polyspectra: field has %d values, want %d×%d = %d", len(x), e.h, e.w, e.n)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("polyspectra: field value %d is %v", i, v)
		}
	}
	if err := e.plan.ForwardReal(e.xhat, x); err != nil {
		return err
	}
	nb := len(e.modes)
	// pw[i] = P̂_i, the mean of |x̂|² over ring i (unnormalised DFT).
	pw := make([]float64, nb)
	for k, r := range e.ring {
		if r >= 0 {
			z := e.xhat[k]
			pw[r] += real(z)*real(z) + imag(z)*imag(z)
		}
	}
	for i := range pw {
		pw[i] /= float64(e.modes[i])
		if !(pw[i] > 0) {
			return errors.New("polyspectra: the field has no power in a ring (constant field?)")
		}
		p.Power[i] = pw[i] / float64(e.n)
	}
	for i := range nb {
		for k, r := range e.ring {
			if r == i {
				e.spec[k] = e.xhat[k]
			} else {
				e.spec[k] = 0
			}
		}
		if err := e.plan.InverseReal(e.shell[i], e.spec); err != nil {
			return err
		}
	}
	for t, c := range e.tri {
		p.Bispectrum[t] = e.sum3(c[0], c[1], c[2]) / e.dtri[t] / math.Sqrt(pw[c[0]]*pw[c[1]]*pw[c[2]])
	}
	n := float64(e.n)
	for q, c := range e.quad {
		a, b, cc, d := c[0], c[1], c[2], c[3]
		full := e.sum4(a, b, cc, d)
		// ⟨I_i²⟩ = Σ_{k∈i}|x̂|²/(WH)² = modes_i·P̂_i/(WH)².
		var disc float64
		if a == b && cc == d {
			pairings := 1.0
			if b == cc {
				pairings = 3
			}
			ga := float64(e.modes[a]) * pw[a] / (n * n)
			gc := float64(e.modes[cc]) * pw[cc] / (n * n)
			disc = pairings * n * ga * gc
		}
		norm := e.dquad[q] * math.Sqrt(pw[a]*pw[b]*pw[cc]*pw[d])
		p.Trispectrum[q] = full / norm
		p.TrispectrumConnected[q] = (full - disc) / norm
	}
	return nil
}

// Mean returns the mean of the statistics of the fields xs (at least one).
func (e *Estimator) Mean(xs [][]float64) (*Polyspectra, error) {
	if len(xs) == 0 {
		return nil, errors.New("polyspectra: Mean of no fields")
	}
	var sum *Polyspectra
	for i, x := range xs {
		p, err := e.Compute(x)
		if err != nil {
			return nil, fmt.Errorf("field %d: %w", i, err)
		}
		if sum == nil {
			sum = p
			continue
		}
		addTo(sum.Power, p.Power)
		addTo(sum.Bispectrum, p.Bispectrum)
		addTo(sum.Trispectrum, p.Trispectrum)
		addTo(sum.TrispectrumConnected, p.TrispectrumConnected)
	}
	inv := 1 / float64(len(xs))
	for _, s := range [][]float64{sum.Power, sum.Bispectrum, sum.Trispectrum, sum.TrispectrumConnected} {
		for i := range s {
			s[i] *= inv
		}
	}
	return sum, nil
}

func addTo(dst, src []float64) {
	for i, v := range src {
		dst[i] += v
	}
}

// Noise returns the Gaussian noise σ of every bin: the standard deviation
// of each statistic over NoiseDraws white Gaussian noise fields (Power
// holds the relative σ of the ring power, σ(P_i)/P_i). It is measured on
// the first call (NoiseDraws evaluations, deterministic) and cached; the
// result must not be modified. It returns an error, and caches nothing, if
// a noise field cannot be computed (white noise has power in every ring of
// an estimator NewEstimator made, so this does not happen in practice).
func (e *Estimator) Noise() (*Polyspectra, error) {
	if e.noise != nil {
		return e.noise, nil
	}
	r := rand.New(rand.NewPCG(noiseSeed, noiseStream))
	x := make([]float64, e.n)
	var s1, s2 *Polyspectra
	for range NoiseDraws {
		for i := range x {
			x[i] = r.NormFloat64()
		}
		p, err := e.Compute(x)
		if err != nil {
			return nil, fmt.Errorf("polyspectra: measuring the noise σ: %w", err)
		}
		q := &Polyspectra{
			Power:                square(p.Power),
			Bispectrum:           square(p.Bispectrum),
			Trispectrum:          square(p.Trispectrum),
			TrispectrumConnected: square(p.TrispectrumConnected),
		}
		if s1 == nil {
			s1, s2 = p, q
			continue
		}
		addTo(s1.Power, p.Power)
		addTo(s1.Bispectrum, p.Bispectrum)
		addTo(s1.Trispectrum, p.Trispectrum)
		addTo(s1.TrispectrumConnected, p.TrispectrumConnected)
		addTo(s2.Power, q.Power)
		addTo(s2.Bispectrum, q.Bispectrum)
		addTo(s2.Trispectrum, q.Trispectrum)
		addTo(s2.TrispectrumConnected, q.TrispectrumConnected)
	}
	sd := func(a, b []float64, rel bool) []float64 {
		out := make([]float64, len(a))
		const m = NoiseDraws
		for i := range a {
			mean := a[i] / m
			v := (b[i] - m*mean*mean) / (m - 1)
			out[i] = math.Sqrt(max(v, 0))
			if rel {
				out[i] /= mean
			}
		}
		return out
	}
	e.noise = &Polyspectra{
		Power:                sd(s1.Power, s2.Power, true),
		Bispectrum:           sd(s1.Bispectrum, s2.Bispectrum, false),
		Trispectrum:          sd(s1.Trispectrum, s2.Trispectrum, false),
		TrispectrumConnected: sd(s1.TrispectrumConnected, s2.TrispectrumConnected, false),
	}
	return e.noise, nil
}

func square(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, a := range v {
		out[i] = a * a
	}
	return out
}
