package compute

import (
	"fmt"
	"math"
	"time"

	"scalewise/engine/basis"
	"scalewise/ui/protocol"
)

// basisRun is one basis computation in progress or finished: a Run of the
// session's stepper. Each Iterate is one step of the LanczosRun (a Lanczos
// step, one product with S = (J + Jᵀ)/2; then the Ritz values; then the
// Ritz vectors, a few at a time), then one probe of the trace and
// antisymmetry estimates (a product with J and one with Jᵀ), so that no
// iteration costs much more than a Lanczos step.
type basisRun struct {
	req        BasisStartRequest
	k          int
	img        *drawnImage
	lz         *basis.LanczosRun
	probes     *basis.ProbeRun
	e          *basis.Eigen
	tr, antisy basis.Estimate
	secs       float64
	done       bool
	doneFr     *Frames // the finished frames, kept for re-sending
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
	v := &protocol.BasisValues{Kind: kind, K: b.k, Size: DrawCanvas, Step: st.Step, Krylov: st.Krylov,
		Residual: st.Residual, Cols: basisCols(b.k), Done: b.done, Seconds: b.secs, Net: b.req.Net, Sigma: b.req.Sigma}
	if b.done {
		v.Converged = b.e.Converged
		v.Trace, v.TraceErr = b.tr.Value, b.tr.StdErr
		v.Antisymmetry, v.AntisymmetryErr = b.antisy.Value, b.antisy.StdErr
	}
	return NewFrames(protocol.BasisScene, v)
}

// addBasis adds the finished basis to fr: the tiles and the series
// "eigenvalues" (λ_1 ≥ … ≥ λ_K), "coefficients" (|⟨x, e_k⟩|, x the clean
// drawing) and "noisy_coefficients" (|⟨y, e_k⟩|).
func (b *basisRun) addBasis(fr *Frames) error {
	if err := addBasisTiles(fr, "tiles", b.e.Vectors, DrawCanvas, basisCols(b.k)); err != nil {
		return err
	}
	clean, noisy := make([]float64, b.k), make([]float64, b.k)
	for i, e := range b.e.Vectors {
		clean[i] = math.Abs(inner(b.img.x.Data, e))
		noisy[i] = math.Abs(inner(b.img.y.Data, e))
	}
	return fr.addSeries(namedSeries{"eigenvalues", b.e.Values}, namedSeries{"coefficients", clean},
		namedSeries{"noisy_coefficients", noisy})
}

// inner returns ⟨a, b⟩.
func inner(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}
