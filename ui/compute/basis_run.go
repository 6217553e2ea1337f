package compute

import (
	"context"
	"fmt"
	"math"
	"time"

	"scalewise/engine/basis"
	"scalewise/engine/nn"
	"scalewise/ui/protocol"
)

// basisRun is one basis computation in progress or finished: a Run of the
// session's stepper. Each Iterate is one step of the LanczosRun (a Lanczos
// step, one product with S = (J + Jᵀ)/2; then the Ritz values; then the
// Ritz vectors, a few at a time), then one probe of the trace and
// antisymmetry estimates (a product with J and one with Jᵀ), so that no
// iteration costs much more than a Lanczos step.
type basisRun struct {
	scene      string  // the scene of its frames
	size       int     // the side of the image
	net        string  // the denoiser's name
	sigma      float64 // the noise level of y
	k          int
	x, y       []float64 // the clean and the noisy image, side×side
	lz         *basis.LanczosRun
	probes     *basis.ProbeRun
	e          *basis.Eigen
	tr, antisy basis.Estimate
	secs       float64
	done       bool
	doneFr     *Frames // the finished frames, kept for re-sending

	// wrap, if set, makes the values the frames carry from the run's
	// (the Geometry scene adds which analysis it is); extra, if set, adds
	// images to the finished frames.
	wrap  func(protocol.BasisValues) any
	extra func(fr *Frames) error
}

// newBasisRun prepares the analysis of the net u at the noisy image y
// (side×side, clean image x): u linearised at y, Lanczos for the top k
// eigenpairs of (J + Jᵀ)/2 with at most krylov steps (0: the engine's
// default) from a start vector of seed, and the Hutchinson probes of the
// trace and the antisymmetry.
func newBasisRun(u *nn.UNet, x, y []float64, side, k, krylov int, seed uint64) (*basisRun, error) {
	n := side * side
	if len(x) != n || len(y) != n {
		return nil, fmt.Errorf("basis: images of %d and %d values for %d×%d", len(x), len(y), side, side)
	}
	if k < 1 || k > MaxBasisK {
		return nil, fmt.Errorf("k=%d eigenvectors: ask for 1 to %d", k, MaxBasisK)
	}
	m := krylov
	if m == 0 {
		m = basis.DefaultKrylov(n, k)
	}
	if m < k || m > n {
		return nil, fmt.Errorf("krylov=%d: the Lanczos steps for %d eigenvectors must be %d to %d", krylov, k, k, n)
	}
	j, err := basis.NewNetJacobian(u, y, side, side)
	if err != nil {
		return nil, fmt.Errorf("the net at y: %w", err)
	}
	lz, err := basis.NewLanczosRun(context.Background(), basis.SymmetricPart(j), k, basis.LanczosOptions{Krylov: m, Seed: seed})
	if err != nil {
		return nil, err
	}
	pr, err := basis.NewProbeRun(j, BasisProbes, seed)
	if err != nil {
		return nil, err
	}
	return &basisRun{size: side, k: k, x: x, y: y, lz: lz, probes: pr}, nil
}

// Iterate does one step of Lanczos or, once it is over, one probe.
func (b *basisRun) Iterate() (bool, error) {
	t0 := time.Now()
	defer func() { b.secs += time.Since(t0).Seconds() }()
	if !b.lz.Done() {
		if _, err := b.lz.Step(); err != nil {
			return false, err
		}
		return false, nil
	}
	if err := b.probes.Step(); err != nil {
		return false, err
	}
	if !b.probes.Done() {
		return false, nil
	}
	e, err := b.lz.Result()
	if err != nil {
		return false, err
	}
	if b.tr, b.antisy, err = b.probes.Estimates(); err != nil {
		return false, err
	}
	b.e, b.done = e, true
	return true, nil
}

// Finished reports whether the run has finished.
func (b *basisRun) Finished() bool { return b.done }

// Frames returns the progress after a step of n iterations (kind "step")
// or, once finished, the basis (kind "done", kept and sent again).
func (b *basisRun) Frames(int) (*Frames, error) {
	if !b.done {
		return b.values(protocol.KindStep), nil
	}
	if b.doneFr != nil {
		return b.doneFr, nil
	}
	fr := b.values(protocol.KindDone)
	if err := b.addBasis(fr); err != nil {
		return nil, err
	}
	b.doneFr = fr
	return fr, nil
}

// Export refuses: the basis operations have no export.
func (b *basisRun) Export(string, Progress) (File, error) {
	return File{}, fmt.Errorf("the basis has no export")
}

// values returns frames of kind with the run's numbers and no images.
func (b *basisRun) values(kind string) *Frames {
	st := b.lz.State()
	v := protocol.BasisValues{Kind: kind, K: b.k, Size: b.size, Step: st.Step, Krylov: st.Krylov,
		Residual: st.Residual, Cols: basisCols(b.k), Done: b.done, Seconds: b.secs, Net: b.net, Sigma: b.sigma}
	if b.done {
		v.Converged = b.e.Converged
		v.Trace, v.TraceErr = b.tr.Value, b.tr.StdErr
		v.Antisymmetry, v.AntisymmetryErr = b.antisy.Value, b.antisy.StdErr
	}
	if b.wrap != nil {
		return NewFrames(b.scene, b.wrap(v))
	}
	return NewFrames(b.scene, &v)
}

// addBasis adds the finished basis to fr: the tiles and the series
// "eigenvalues" (λ_1 ≥ … ≥ λ_K), "coefficients" (|⟨x, e_k⟩|, x the clean
// drawing) and "noisy_coefficients" (|⟨y, e_k⟩|).
func (b *basisRun) addBasis(fr *Frames) error {
	if err := addBasisTiles(fr, "tiles", b.e.Vectors, b.size, basisCols(b.k)); err != nil {
		return err
	}
	clean, noisy := make([]float64, b.k), make([]float64, b.k)
	for i, e := range b.e.Vectors {
		clean[i] = math.Abs(inner(b.x, e))
		noisy[i] = math.Abs(inner(b.y, e))
	}
	if err := fr.addSeries(namedSeries{"eigenvalues", b.e.Values}, namedSeries{"coefficients", clean},
		namedSeries{"noisy_coefficients", noisy}); err != nil {
		return err
	}
	if b.extra != nil {
		return b.extra(fr)
	}
	return nil
}

// inner returns ⟨a, b⟩.
func inner(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}
