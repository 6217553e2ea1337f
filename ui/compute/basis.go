package compute

import (
	"fmt"
	"time"

	"scalewise/ui/protocol"
)

// The adapted basis of the Draw & denoise scene: the top K eigenpairs of
// the symmetric part S = (J + Jᵀ)/2 of the denoiser's Jacobian J = ∇x̂(y)
// at the scene's noisy drawing y, the geometry-adaptive harmonic basis in
// which the bias-free net shrinks y, x̂ = J·y ≈ Σ_k λ_k ⟨y, e_k⟩ e_k
// (Kadkhodaie, Guth, Simoncelli and Mallat, ICLR 2024, §3; Mohan et al.,
// ICLR 2020, §5). Lanczos (engine/basis) takes a few hundred products with
// J and Jᵀ, seconds in a worker, so it runs as a stepper: basis_start
// linearises the net at y, basis_step advances Lanczos within a time
// budget, then the Hutchinson probes of tr J and of the antisymmetry
// ‖(J − Jᵀ)/2‖_F/‖J‖_F, one per iteration; basis_cancel forgets the run.

// BasisStartRequest starts a basis run (package protocol).
type BasisStartRequest = protocol.BasisStartRequest

const (
	// DefaultBasisK and MaxBasisK bound the eigenpairs of a run.
	DefaultBasisK = 32
	MaxBasisK     = 64
	// BasisProbes is the number of Rademacher probes of the trace and
	// antisymmetry estimates.
	BasisProbes = 16
	// DefaultBasisStepMs and MaxBasisStepMs bound the engine time of one
	// basis_step.
	DefaultBasisStepMs = 40
	MaxBasisStepMs     = 200
)

// BasisSession keeps the scene's basis run between requests. Like the
// other sessions it is served by a Registry, one request at a time, and
// holds no locks.
type BasisSession struct {
	nets *Nets
	run  *Stepped[BasisStartRequest]
}

// NewBasisSession returns a session over the shipped denoisers (the cache
// OpDenoise uses).
func NewBasisSession(nets *Nets) *BasisSession {
	if nets == nil {
		nets = NewNets(nil)
	}
	s := &BasisSession{nets: nets}
	s.run = NewStepped(s.start, StepperConfig{
		Scene:    protocol.BasisScene,
		Limits:   StepLimits{MaxIters: 0, DefaultMs: DefaultBasisStepMs, MaxMs: MaxBasisStepMs},
		NoRun:    "no basis to compute: start one first",
		NoExport: "the basis has no export",
	})
	return s
}

// Stepper returns the stepper of the runs.
func (s *BasisSession) Stepper() *Stepped[BasisStartRequest] { return s.run }

// Register registers basis_start, basis_step and basis_cancel on r: the
// stepper's operations but the export (the basis has none).
func (s *BasisSession) Register(r *Registry) error {
	return RegisterStepper(r, StepperOps{Start: protocol.OpBasisStart, Step: protocol.OpBasisStep, Cancel: protocol.OpBasisCancel}, s.run)
}

// start validates the request, renders the noisy drawing as OpDenoise
// does, linearises the net at it and prepares Lanczos; the first frames
// (kind "start") carry no images.
func (s *BasisSession) start(r BasisStartRequest, progress Progress) (Run, *Frames, error) {
	t0 := time.Now()
	k := r.K
	if k == 0 {
		k = DefaultBasisK
	}
	if k < 1 || k > MaxBasisK {
		return nil, nil, fmt.Errorf("k=%d eigenvectors: ask for 1 to %d", r.K, MaxBasisK)
	}
	progress(0, 3, "the noisy drawing")
	img, err := renderDrawn(r.DenoiseRequest)
	if err != nil {
		return nil, nil, err
	}
	u, _, err := s.nets.Get(r.Net)
	if err != nil {
		return nil, nil, err
	}
	progress(1, 3, "linearising the net")
	b, err := newBasisRun(u, img.x.Data, img.y.Data, DrawCanvas, k, r.Krylov, r.Seed)
	if err != nil {
		return nil, nil, err
	}
	b.scene, b.net, b.sigma = protocol.BasisScene, r.Net, r.Sigma
	progress(2, 3, "Lanczos")
	b.secs = time.Since(t0).Seconds()
	progress(3, 3, "ready")
	return b, b.values(protocol.KindStart), nil
}
