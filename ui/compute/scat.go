package compute

import (
	"fmt"
	"math"
	"slices"

	"scalewise/engine/field"
	"scalewise/engine/scattering"
	"scalewise/engine/wavelet"
	"scalewise/ui/protocol"
)

// The Scattering scene: the wavelet-modulus geometry of a field (the
// directional filter bank, |x ⋆ ψ_{j,k}| and the second transform taken
// perpendicular to it, with its directional regularity), its scattering
// spectra, and microcanonical synthesis from them (engine/scattering). The
// worker keeps one ScatSession between requests: analysis requests reuse
// what did not change (the field, the bank, the statistics), and a
// synthesis is a stepper (scat_synth_start, scat_synth_step, scat_export,
// scat_synth_cancel) so that the page animates it, pauses it and never
// waits long on the worker.

// ScatSizes are the field sides the page offers.
var ScatSizes = [...]int{64, 128}

// ScatFields are the fields the scene can analyse and synthesise:
// "phi4" (a shipped φ⁴ sample at β = 0.68), "calpha" (a C^α image drawn
// live), "drawing" (the drawing of the Draw & denoise scene), "cosmic" (a
// Zel'dovich cosmic-web-like density drawn live, when the build has
// engine/cosmic) and "turbulence" (2-D turbulence vorticity: a hook, see
// ScatSource.Turbulence).
var ScatFields = [...]string{"phi4", "calpha", "drawing", "cosmic", "turbulence"}

const (
	// MaxScatOrientations is the largest number L of orientations offered.
	MaxScatOrientations = 8
	// DefaultScatAlpha is the regularity of a C^α field when none is given.
	DefaultScatAlpha = 2
	// DefaultScatStepMs and MaxScatStepMs bound the engine time of one
	// synthesis step request (at least one L-BFGS iteration is made).
	DefaultScatStepMs = 40
	MaxScatStepMs     = 250
	// MaxScatIters bounds the iterations a synthesis may be asked for.
	MaxScatIters = 2000
	// scatBankMinRes is the least side of the frequency grid on which the
	// filter bank panel is drawn (the filters depend on ω only; a 64² bank
	// drawn on a 128² grid shows the same tiling, more finely sampled).
	scatBankMinRes = 128
	// scatHistBins is the number of bins of the marginal histogram.
	scatHistBins = 48
	// scatMaxSecond is the number of second transforms shown: ℓ = j+1 … j+3.
	scatMaxSecond = 3
)

// ScatSource gives the session the fields it cannot make from a seed
// alone. A nil function leaves its field out of the build (ScatSession.Info
// says which are available).
type ScatSource struct {
	// Phi4 returns the shipped φ⁴ samples at β = 0.68 for an L×L lattice
	// (assets.Phi4Samples in the page).
	Phi4 func(L int) ([]*field.Field, error)
	// Cosmic returns a cosmic-web-like density at n×n from seed (the
	// worker passes engine/cosmic's Zel'dovich field).
	Cosmic func(n int, seed uint64) (*field.Field, error)
	// Turbulence returns shipped stationary 2-D turbulence vorticity
	// snapshots at n×n (the seed picks one; assets.TurbulenceSnapshots in
	// the page). Generating a stationary snapshot live takes far too long
	// for the page; a nil function leaves the field out.
	Turbulence func(n int) ([]*field.Field, error)
}

// Request types of the scene (package protocol).
type (
	// ScatRequest selects the field, the bank and the wavelet of an
	// analysis, and the target of a synthesis.
	ScatRequest = protocol.ScatRequest
	// ScatSynthRequest starts a synthesis.
	ScatSynthRequest = protocol.ScatSynthRequest
	// ScatStepRequest advances the synthesis.
	ScatStepRequest = protocol.ScatStepRequest
	// ScatExportRequest exports the synthesis.
	ScatExportRequest = protocol.ScatExportRequest
)

// ScatSession is the worker's state of the Scattering scene: the
// analysed field, its bank and statistics (each reused while it does not
// change), and the synthesis, a stepper. It is not safe for concurrent
// use: the Registry serves one request at a time.
type ScatSession struct {
	src ScatSource

	fkey string
	fld  *scatField

	bkey string
	bank *wavelet.DirectionalBank
	mt   *scattering.ModulusTransform
	mtOK bool // mt holds the current field

	skey string
	spec *scattering.Spectra

	dkey  string
	dbank *wavelet.DirectionalBank

	synth *Stepped[ScatSynthRequest]
}

// NewScatSession returns an empty session over src.
func NewScatSession(src ScatSource) *ScatSession {
	s := &ScatSession{src: src}
	s.synth = NewStepped(s.startSynth, StepperConfig{
		Scene:    "scattering",
		Limits:   StepLimits{DefaultMs: DefaultScatStepMs, MaxMs: MaxScatStepMs},
		NoRun:    "no synthesis in progress: press Synthesise first",
		NoExport: "nothing to export: press Synthesise first",
	})
	return s
}

// Synthesis returns the session's synthesis, a stepper:
// scat_synth_start, scat_synth_step, scat_export and scat_synth_cancel.
func (s *ScatSession) Synthesis() Stepper[ScatSynthRequest, ScatExportRequest] { return s.synth }

// SynthStart starts a synthesis (see startSynth).
func (s *ScatSession) SynthStart(r ScatSynthRequest, progress Progress) (*Frames, error) {
	return s.synth.Start(r, progress)
}

// SynthStep advances the synthesis by L-BFGS iterations for about r.MaxMs
// milliseconds of engine time (at least one iteration) and returns the
// current field, the loss history, its power spectrum and marginal
// against the target's, and its statistics vector.
func (s *ScatSession) SynthStep(r ScatStepRequest) (*Frames, error) { return s.synth.Step(r) }

// SynthExport returns the synthesis as a file: the Frames carry no
// images, their buffer is the file's bytes.
func (s *ScatSession) SynthExport(r ScatExportRequest, progress Progress) (*Frames, error) {
	return s.synth.Export(r, progress)
}

// fields returns the fields of ScatFields this build offers.
func (s *ScatSession) fields() []string {
	var fields []string
	for _, name := range ScatFields {
		if s.available(name) {
			fields = append(fields, name)
		}
	}
	return fields
}

// Info lists the fields and sides the page can offer.
func (s *ScatSession) Info() *Frames {
	return NewFrames("scattering", &protocol.ScatInfoValues{
		Kind: protocol.KindInfo, Fields: s.fields(), Sizes: ScatSizes[:], MaxL: MaxScatOrientations,
		MarginalQuantiles: ScatMarginalQuantiles, PowerSpectrumRings: scattering.DefaultSynthOptions().PowerSpectrumRings})
}

func (s *ScatSession) available(name string) bool {
	switch name {
	case "phi4":
		return s.src.Phi4 != nil
	case "calpha", "drawing":
		return true
	case "cosmic":
		return s.src.Cosmic != nil
	case "turbulence":
		return s.src.Turbulence != nil
	}
	return false
}

// scatMaxJ is the largest J of a bank for n×n fields.
func scatMaxJ(n int) int { return wavelet.MaxDirectionalScales(n, n) }

// checkScatRequest validates r and fills its defaults.
func checkScatRequest(r *ScatRequest) error {
	if !slices.Contains(ScatFields[:], r.Field) {
		return fmt.Errorf("unknown field %q (phi4, calpha, drawing, cosmic or turbulence)", r.Field)
	}
	if !slices.Contains(ScatSizes[:], r.Size) {
		return fmt.Errorf("size %d is not offered (64 or 128)", r.Size)
	}
	if r.Kind == "" {
		r.Kind = "bump"
	}
	if r.Kind != "bump" && r.Kind != "morlet" {
		return fmt.Errorf("unknown wavelet %q (bump or morlet)", r.Kind)
	}
	if mj := scatMaxJ(r.Size); r.J < 1 || r.J > mj {
		return fmt.Errorf("J=%d scales: a %d×%d field takes 1 to %d", r.J, r.Size, r.Size, mj)
	}
	if r.L < 2 || r.L > MaxScatOrientations || r.L%2 != 0 {
		return fmt.Errorf("L=%d orientations: want an even number from 2 to %d (the perpendicular of θ must be one of the angles)", r.L, MaxScatOrientations)
	}
	if r.Sj < 0 || r.Sj >= r.J {
		return fmt.Errorf("j=%d: the scales are 0 to %d", r.Sj, r.J-1)
	}
	if r.Sk < 0 || r.Sk >= r.L {
		return fmt.Errorf("k=%d: the orientations are 0 to %d", r.Sk, r.L-1)
	}
	switch r.By {
	case "":
		r.By = "orientation"
	case "orientation", "scale":
	default:
		return fmt.Errorf("unknown bank colouring %q (orientation or scale)", r.By)
	}
	if r.Field == "calpha" {
		if r.Alpha == 0 {
			r.Alpha = DefaultScatAlpha
		}
		if math.IsNaN(r.Alpha) || r.Alpha < 0.25 || r.Alpha > 6 {
			return fmt.Errorf("α=%v: want 0.25 to 6", r.Alpha)
		}
	}
	if r.Field == "drawing" {
		if r.Mode == "" {
			r.Mode = "boundary"
		}
		if r.Width == 0 {
			r.Width = 3
		}
		if math.IsNaN(r.Width) || r.Width < 0.5 || r.Width > 16 {
			return fmt.Errorf("stroke width %v: want 0.5 to 16 pixels", r.Width)
		}
	}
	return nil
}

// scatFieldKey identifies the field a request asks for.
func scatFieldKey(r ScatRequest) string {
	switch r.Field {
	case "calpha":
		return fmt.Sprintf("calpha|%d|%d|%g", r.Size, r.Seed, r.Alpha)
	case "drawing":
		return fmt.Sprintf("drawing|%d|%s|%s|%g|%d", r.Size, r.D, r.Mode, r.Width, r.BG)
	}
	return fmt.Sprintf("%s|%d|%d", r.Field, r.Size, r.Seed)
}

// scatBankKey identifies the filter bank a request asks for.
func scatBankKey(r ScatRequest) string {
	return fmt.Sprintf("%s|%d|%d|%d", r.Kind, r.Size, r.J, r.L)
}

func scatKind(name string) wavelet.DirectionalKind {
	if name == "morlet" {
		return wavelet.Morlet
	}
	return wavelet.BumpSteerable
}

// field returns the field of r, made or cached.
func (s *ScatSession) field(r ScatRequest) (*scatField, error) {
	k := scatFieldKey(r)
	if s.fld != nil && s.fkey == k {
		return s.fld, nil
	}
	f, err := s.makeField(r)
	if err != nil {
		return nil, err
	}
	s.fkey, s.fld = k, f
	s.mtOK, s.skey, s.spec = false, "", nil
	return f, nil
}

// bankFor returns the bank of r, made or cached.
func (s *ScatSession) bankFor(r ScatRequest) (*wavelet.DirectionalBank, error) {
	k := scatBankKey(r)
	if s.bank != nil && s.bkey == k {
		return s.bank, nil
	}
	b, err := wavelet.NewDirectionalBank(scatKind(r.Kind), r.Size, r.Size, r.J, r.L)
	if err != nil {
		return nil, err
	}
	mt, err := scattering.NewModulusTransform(b)
	if err != nil {
		return nil, err
	}
	s.bkey, s.bank, s.mt, s.mtOK = k, b, mt, false
	s.skey, s.spec = "", nil
	return b, nil
}
