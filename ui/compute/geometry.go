package compute

import (
	"errors"
	"fmt"
	"math"
	"time"

	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/engine/nn"
	"scalewise/ui/protocol"
)

// The Geometry scene: the eigen-analysis of the Draw scene (the top K
// eigenpairs of the symmetric part of a bias-free denoiser's Jacobian at
// y = x + σz, by Lanczos, as a stepper) on a held-out C^α image or an
// MNIST digit, with the shipped C^α nets or the sweep's MNIST nets, so
// that the geometry-adaptive harmonic basis can be compared across α, σ
// and nets (Kadkhodaie, Guth, Simoncelli and Mallat, "Generalization in
// diffusion models arises from geometry-adaptive harmonic
// representations", ICLR 2024, §3, Figs. 4 and 6); and the measured
// optimal-rate curves of the C^α nets (geometry_rate.go).

// GeometryStartRequest starts an analysis (package protocol).
type GeometryStartRequest = protocol.GeometryStartRequest

const (
	// DefaultGeometrySize and the sizes a C^α image may have: the C^α
	// nets were trained at 32×32; 64×64 is the Draw scene's size.
	DefaultGeometrySize = 32
	// mnistSide and mnistPad: an MNIST digit is 28×28, padded by 2 pixels
	// to the 32×32 the sweep's nets saw.
	mnistSide = genDigitSide
	mnistPad  = genDigitPad
)

// GeometrySession keeps the scene's analysis run and the sweep nets it
// loaded from the page's blobs between requests. Like the other sessions
// it is served by a Registry, one request at a time.
type GeometrySession struct {
	nets  *Nets
	blobs *Blobs
	cache genCache
	rates func() ([]*denoise.RateReport, error)
	run   *Stepped[GeometryStartRequest]
}

// NewGeometrySession returns a session over the shipped denoisers, the
// page's blobs (the sweep nets) and the shipped rate reports (nil: none).
func NewGeometrySession(nets *Nets, blobs *Blobs, rates func() ([]*denoise.RateReport, error)) *GeometrySession {
	if nets == nil {
		nets = NewNets(nil)
	}
	if blobs == nil {
		blobs = NewBlobs(0)
	}
	s := &GeometrySession{nets: nets, blobs: blobs, rates: rates}
	s.run = NewStepped(s.start, StepperConfig{
		Scene:    protocol.GeometryScene,
		Limits:   StepLimits{MaxIters: 0, DefaultMs: DefaultBasisStepMs, MaxMs: MaxBasisStepMs},
		NoRun:    "no analysis to compute: start one first",
		NoExport: "the analysis has no export: save the page's PNG",
	})
	return s
}

// Stepper returns the stepper of the analyses.
func (s *GeometrySession) Stepper() *Stepped[GeometryStartRequest] { return s.run }

// Register registers geom_rate, geom_start, geom_step and geom_cancel on r.
func (s *GeometrySession) Register(r *Registry) error {
	return errors.Join(
		Handle(r, protocol.OpGeomRate, func(protocol.InfoRequest, Progress) (*Frames, error) { return s.Rates() }),
		RegisterStepper(r, StepperOps{Start: protocol.OpGeomStart, Step: protocol.OpGeomStep, Cancel: protocol.OpGeomCancel}, s.run),
	)
}

// geometryImage returns the clean image of r: a held-out C^α image (the
// rate command's held-out seeds) or the page's MNIST digit, padded and
// scaled to [0, 1].
func geometryImage(r GeometryStartRequest) (*field.Field, error) {
	switch r.Image {
	case protocol.GeometryCAlpha:
		size := r.Size
		if size == 0 {
			size = DefaultGeometrySize
		}
		if size != 32 && size != 64 {
			return nil, fmt.Errorf("size %d: a C^α image here is 32 or 64 pixels square", r.Size)
		}
		if math.IsNaN(r.Alpha) || r.Alpha <= 0 || r.Alpha > geometry.CAlphaMaxAlpha {
			return nil, fmt.Errorf("α = %v: want 0 < α ≤ %d", r.Alpha, geometry.CAlphaMaxAlpha)
		}
		if r.Seed >= denoise.HeldOutSeed {
			return nil, fmt.Errorf("image seed %d: at most %d", r.Seed, denoise.HeldOutSeed-1)
		}
		return geometry.CAlpha(geometry.CAlphaOptions{Size: size, Alpha: r.Alpha, Method: geometry.CAlphaCode, Seed: denoise.HeldOutSeed + r.Seed})
	case protocol.GeometryMNIST:
		if r.Size != 0 && r.Size != GenTrainSize {
			return nil, fmt.Errorf("size %d: an MNIST digit is %d pixels square here", r.Size, GenTrainSize)
		}
		if len(r.Digit) != mnistSide*mnistSide {
			return nil, fmt.Errorf("an MNIST digit of %d pixels: want %d×%d = %d", len(r.Digit), mnistSide, mnistSide, mnistSide*mnistSide)
		}
		x := field.New(GenTrainSize, GenTrainSize)
		for i, v := range r.Digit {
			if v < 0 || v > genDigitMax {
				return nil, fmt.Errorf("MNIST pixel %d is %d: want 0 to %d", i, v, genDigitMax)
			}
			x.Data[(i/mnistSide+mnistPad)*GenTrainSize+i%mnistSide+mnistPad] = float64(v) / genDigitMax
		}
		return x, nil
	}
	return nil, fmt.Errorf("image %q: want %q or %q", r.Image, protocol.GeometryCAlpha, protocol.GeometryMNIST)
}

// start checks the request, draws the image and its noise, denoises it,
// linearises the net there and prepares Lanczos; the first frames (kind
// "start") carry no images.
func (s *GeometrySession) start(r GeometryStartRequest, progress Progress) (Run, *Frames, error) {
	t0 := time.Now()
	if r.Slot != protocol.GeometrySlotA && r.Slot != protocol.GeometrySlotB {
		return nil, nil, fmt.Errorf("analysis %q: want %q or %q", r.Slot, protocol.GeometrySlotA, protocol.GeometrySlotB)
	}
	if math.IsNaN(r.Sigma) || r.Sigma <= 0 || r.Sigma > 1 {
		return nil, nil, fmt.Errorf("noise level σ = %v: want 0 < σ ≤ 1", r.Sigma)
	}
	k := r.K
	if k == 0 {
		k = DefaultBasisK
	}
	if k < 1 || k > MaxBasisK {
		return nil, nil, fmt.Errorf("k=%d eigenvectors: ask for 1 to %d", r.K, MaxBasisK)
	}
	progress(0, 3, "the image")
	x, err := geometryImage(r)
	if err != nil {
		return nil, nil, err
	}
	if r.Net == "" {
		return nil, nil, fmt.Errorf("no net: name a shipped denoiser or a sweep net put as %s<net>.safetensors", protocol.BlobNetPrefix)
	}
	s.cache.pruneNets(s.blobs)
	u, md, err := s.cache.net(s.blobs, s.nets, r.Net)
	if err != nil {
		return nil, nil, err
	}
	if m := u.Config().Multiple(); x.W%m != 0 {
		return nil, nil, fmt.Errorf("net %s takes sizes that are multiples of %d, not %d", r.Net, m, x.W)
	}
	y := denoise.AddNoise(x, r.Sigma, r.NSeed)
	progress(1, 3, "denoising")
	den, _, err := denoiseField(u, y)
	if err != nil {
		return nil, nil, fmt.Errorf("net %s: %w", r.Net, err)
	}
	progress(2, 3, "linearising the net")
	b, err := newBasisRun(u, x.Data, y.Data, x.W, k, r.Krylov, r.LanczosSeed)
	if err != nil {
		return nil, nil, err
	}
	psnrIn, _ := denoise.PSNR(x, y)
	psnrOut, _ := denoise.PSNR(x, den)
	meta := protocol.GeometryValues{Slot: r.Slot, Image: r.Image, Alpha: r.Alpha, Seed: r.Seed, DigitIndex: r.DigitIndex,
		PSNRIn: finitePSNR(psnrIn), PSNROut: finitePSNR(psnrOut), Params: u.NumParams(), Trained: md["data"]}
	if r.Image != protocol.GeometryCAlpha {
		meta.Alpha, meta.Seed = 0, 0
	}
	b.scene, b.net, b.sigma = protocol.GeometryScene, r.Net, r.Sigma
	b.wrap = func(v protocol.BasisValues) any {
		g := meta
		g.BasisValues = v
		return &g
	}
	b.extra = func(fr *Frames) error {
		for _, p := range []struct {
			name string
			f    *field.Field
		}{{"clean", x}, {"noisy", y}, {"denoised", den}} {
			if err := fr.AddField(p.name, p.f, field.Gray, 0, 1); err != nil {
				return err
			}
		}
		return nil
	}
	b.secs = time.Since(t0).Seconds()
	progress(3, 3, "ready")
	return b, b.values(protocol.KindStart), nil
}

// denoiseField returns the net's estimate of the clean image, x̂(y) =
// y − r(y), and the residual r(y) it predicts. The Draw and Geometry
// scenes denoise with it.
func denoiseField(u *nn.UNet, y *field.Field) (den, resid *field.Field, err error) {
	in := nn.NewTensor(1, 1, y.H, y.W)
	for i, v := range y.Data {
		in.Data[i] = float32(v)
	}
	res := nn.NewTensor(1, 1, y.H, y.W)
	if err := u.Residual(res, in); err != nil {
		return nil, nil, err
	}
	den, resid = field.New(y.W, y.H), field.New(y.W, y.H)
	for i := range den.Data {
		resid.Data[i] = float64(res.Data[i])
		den.Data[i] = y.Data[i] - resid.Data[i]
	}
	if err := den.CheckFinite(); err != nil {
		return nil, nil, fmt.Errorf("denoiser output: %w", err)
	}
	return den, resid, nil
}
