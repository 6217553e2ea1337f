package compute

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"sync"
	"time"

	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/engine/scattering"
	"scalewise/engine/wavelet"
)

// The Scattering scene: the wavelet-modulus geometry of a field (the
// directional filter bank, |x ⋆ ψ_{j,k}| and the second transform taken
// perpendicular to it, with its directional regularity), its scattering
// spectra, and microcanonical synthesis from them (engine/scattering). The
// worker keeps one ScatSession between requests: analysis requests reuse
// what did not change (the field, the bank, the statistics), and a
// synthesis advances in bounded "scat_synth_step" requests so that the
// page animates it, pauses it and never waits long on the worker.

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

// ScatRequest selects the field, the filter bank and the wavelet ψ_{j,k}
// of an analysis (and the target of a synthesis).
type ScatRequest struct {
	Field string  `json:"field"`
	Size  int     `json:"size"`
	Seed  uint64  `json:"seed"`
	Alpha float64 `json:"alpha"` // C^α regularity (0: DefaultScatAlpha)
	// The drawing (field "drawing"): as the Draw & denoise scene's
	// DenoiseRequest; an empty D uses that scene's first example.
	D     string  `json:"d"`
	Mode  string  `json:"mode"`
	Width float64 `json:"width"`
	BG    uint64  `json:"bg"`
	// The filter bank: kind "bump" (default) or "morlet", J scales, L
	// orientations (even), and the wavelet ψ_{j,k} shown.
	Kind string `json:"kind"`
	J    int    `json:"J"`
	L    int    `json:"L"`
	Sj   int    `json:"j"`
	Sk   int    `json:"k"`
	// By colours the filter bank panel by "orientation" (default) or
	// "scale".
	By string `json:"by"`
}

// ScatSynthRequest starts a synthesis of the request's field.
type ScatSynthRequest struct {
	ScatRequest
	Form    string  `json:"form"`     // "iso" (default) or "full"
	MaxIter int     `json:"max_iter"` // 0: scattering.DefaultSynthIters
	Tol     float64 `json:"tol"`      // 0: scattering.DefaultSynthTol
	// Marginal switches the marginal-matching term of the loss
	// (scattering.SynthOptions.Histogram, weight ScatMarginalWeight): nil
	// (absent from the JSON) or true is on, the default; false is off, the
	// synthesis from the scattering spectra alone.
	Marginal *bool `json:"marginal"`
	// MarginalQuantiles is the number of quantile-block means the marginal
	// term matches (scattering.SynthOptions.HistogramQuantiles): 0 means
	// ScatMarginalQuantiles, otherwise 1 to Size²; it must be 0 when the
	// term is off.
	MarginalQuantiles int `json:"marginal_quantiles"`
}

// ScatStepRequest advances the synthesis for about MaxMs milliseconds of
// engine time (0: DefaultScatStepMs), at least one iteration.
type ScatStepRequest struct {
	MaxMs float64 `json:"max_ms"`
}

// ScatExportRequest exports the synthesis: "gif" (the synthesis from
// white noise, animated), "npy" (the synthesised field, float32) or "png"
// (the synthesised field in the field's colours).
type ScatExportRequest struct {
	Format string `json:"format"`
}

// ScatSession is the worker's state of the Scattering scene. Requests may
// come one at a time or not; a mutex orders them.
type ScatSession struct {
	mu  sync.Mutex
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

	syn *scatSynth
}

// NewScatSession returns an empty session over src.
func NewScatSession(src ScatSource) *ScatSession {
	return &ScatSession{src: src}
}

// scatField is an analysed (or target) field and how to show it.
type scatField struct {
	f    *field.Field
	name string
	desc string
	note string // what had to be substituted, for the page to say
	cmap field.Colormap
	// log shows log₁₀ max(x, scatLogFloor) instead of x (a skewed
	// positive density).
	log    bool
	lo, hi float64 // colour range, in the shown units
}

// scatLogFloor is the floor of the log display of densities.
const scatLogFloor = 1e-2

// shown returns v in the units the colours use.
func (f *scatField) shown(v float64) float64 {
	if f.log {
		return math.Log10(math.Max(v, scatLogFloor))
	}
	return v
}

// render returns x (n·n values) in the field's colours.
func (f *scatField) render(x []float64, n int) (*field.Field, error) {
	out, err := field.FromSlice(n, n, slices.Clone(x))
	if err != nil {
		return nil, err
	}
	if f.log {
		for i, v := range out.Data {
			out.Data[i] = f.shown(v)
		}
	}
	return out, nil
}

// Info lists the fields and sides the page can offer.
func (s *ScatSession) Info() *Frames {
	fr := NewFrames("scattering")
	fr.Values["kind"] = "info"
	var fields []string
	for _, name := range ScatFields {
		if s.available(name) {
			fields = append(fields, name)
		}
	}
	fr.Values["fields"] = fields
	fr.Values["sizes"] = ScatSizes
	fr.Values["max_L"] = MaxScatOrientations
	return fr
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

// check validates r and fills its defaults.
func (r *ScatRequest) check() error {
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

// fieldKey identifies the field a request asks for.
func (r ScatRequest) fieldKey() string {
	switch r.Field {
	case "calpha":
		return fmt.Sprintf("calpha|%d|%d|%g", r.Size, r.Seed, r.Alpha)
	case "drawing":
		return fmt.Sprintf("drawing|%d|%s|%s|%g|%d", r.Size, r.D, r.Mode, r.Width, r.BG)
	}
	return fmt.Sprintf("%s|%d|%d", r.Field, r.Size, r.Seed)
}

func (r ScatRequest) bankKey() string {
	return fmt.Sprintf("%s|%d|%d|%d", r.Kind, r.Size, r.J, r.L)
}

func scatKind(name string) wavelet.DirectionalKind {
	if name == "morlet" {
		return wavelet.Morlet
	}
	return wavelet.BumpSteerable
}

// makeField builds the field of r (checked).
func (s *ScatSession) makeField(r ScatRequest) (*scatField, error) {
	n := r.Size
	out := &scatField{name: r.Field}
	var f *field.Field
	var err error
	switch r.Field {
	case "phi4":
		if s.src.Phi4 == nil {
			return nil, errors.New("this build ships no φ⁴ samples")
		}
		fs, err := s.src.Phi4(n)
		if err != nil {
			return nil, err
		}
		if len(fs) == 0 {
			return nil, fmt.Errorf("no φ⁴ samples for L=%d", n)
		}
		i := int(r.Seed % uint64(len(fs)))
		f = fs[i].Clone()
		out.desc = fmt.Sprintf("φ⁴ at β = 0.68, %d×%d, shipped MCMC sample %d of %d", n, n, i, len(fs))
		out.cmap = field.Diverging
	case "calpha":
		f, err = geometry.CAlpha(geometry.CAlphaOptions{Size: n, Alpha: r.Alpha, Method: geometry.CAlphaCode, Seed: r.Seed})
		if err != nil {
			return nil, err
		}
		out.desc = fmt.Sprintf("C^α image, α = %g, %d×%d, seed %d", r.Alpha, n, n, r.Seed)
		out.cmap = field.Gray
	case "drawing":
		strokes, note, err := scatDrawing(r.D)
		if err != nil {
			return nil, err
		}
		out.note = note
		mode, err := geometry.ParseDrawingMode(r.Mode)
		if err != nil {
			return nil, err
		}
		// The drawing's canvas is DrawCanvas²: scale it to n².
		c := float64(n) / DrawCanvas
		for _, st := range strokes {
			for i := range st {
				st[i].X *= c
				st[i].Y *= c
			}
		}
		f, err = geometry.RenderStrokes(DrawingStrokes(strokes), geometry.DrawingOptions{
			Size: n, Mode: mode, Width: r.Width * c, Alpha: DrawBackgroundAlpha, Seed: r.BG})
		if err != nil {
			return nil, err
		}
		out.desc = fmt.Sprintf("the drawing (%s), %d×%d", r.Mode, n, n)
		if note != "" {
			out.desc = fmt.Sprintf("an example drawing (%s), %d×%d", r.Mode, n, n)
		}
		out.cmap = field.Gray
	case "cosmic":
		if s.src.Cosmic == nil {
			return nil, errors.New("this build has no cosmic-web generator")
		}
		f, err = s.src.Cosmic(n, r.Seed)
		if err != nil {
			return nil, err
		}
		out.desc = fmt.Sprintf("cosmic-web-like density (Zel'dovich), %d×%d, seed %d; colours: log₁₀ ρ", n, n, r.Seed)
		out.cmap = field.Perceptual
		out.log = true
	case "turbulence":
		if s.src.Turbulence == nil {
			return nil, errors.New("no 2-D turbulence snapshots ship with this build yet")
		}
		fs, err := s.src.Turbulence(n)
		if err != nil {
			return nil, err
		}
		if len(fs) == 0 {
			return nil, fmt.Errorf("no turbulence snapshots at %d×%d", n, n)
		}
		i := int(r.Seed % uint64(len(fs)))
		f = fs[i].Clone()
		out.desc = fmt.Sprintf("2-D turbulence vorticity, %d×%d, snapshot %d of %d", n, n, i, len(fs))
		out.cmap = field.Diverging
	}
	if f == nil || f.W != n || f.H != n {
		return nil, fmt.Errorf("the %s field is not %d×%d", r.Field, n, n)
	}
	if err := f.CheckFinite(); err != nil {
		return nil, fmt.Errorf("the %s field: %w", r.Field, err)
	}
	out.f = f
	shown := slices.Clone(f.Data)
	for i, v := range shown {
		shown[i] = out.shown(v)
	}
	switch out.cmap {
	case field.Diverging:
		abs := make([]float64, len(shown))
		for i, v := range shown {
			abs[i] = math.Abs(v)
		}
		m := percentile(abs, 0.995)
		if m == 0 {
			m = 1
		}
		out.lo, out.hi = -m, m
	default:
		out.lo, out.hi = percentile(shown, 0.002), percentile(shown, 0.998)
		if out.hi <= out.lo {
			out.lo, out.hi = out.lo-0.5, out.lo+0.5
		}
	}
	return out, nil
}

// scatDrawing decodes the drawing, or returns the Draw & denoise scene's
// first example (with a note) when there is none.
func scatDrawing(d string) ([][]XY, string, error) {
	if d != "" {
		s, size, err := DecodeStrokes(d)
		if err != nil {
			return nil, "", err
		}
		if size != DrawCanvas {
			return nil, "", fmt.Errorf("the drawing is for a %d×%d canvas, not %d×%d", size, size, DrawCanvas, DrawCanvas)
		}
		if len(s) > 0 {
			return s, "", nil
		}
	}
	s, err := ExampleDrawing(0, 0, DrawCanvas)
	if err != nil {
		return nil, "", err
	}
	return s, "no drawing yet: using the Draw & denoise scene's first example (draw there to use your own)", nil
}

// percentile returns the q-quantile of xs (nearest rank; xs is not
// modified).
func percentile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Round(q * float64(len(s)-1)))
	return s[max(0, min(len(s)-1, i))]
}

// field returns the field of r, made or cached.
func (s *ScatSession) field(r ScatRequest) (*scatField, error) {
	k := r.fieldKey()
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
	k := r.bankKey()
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

// Analyse returns the panels of r: the field, the filter bank in the
// Fourier plane, |x ⋆ ψ_{j,k}|, the second transforms
// | |x ⋆ ψ_{j,k}| ⋆ ψ_{ℓ,k⊥} | for ℓ = j+1 … j+3 (those below J), the
// directional regularity D(j, k, j′) for j′ = j … J−1 with its fitted
// exponent, and the scattering spectra (S1 and S2 per scale and
// orientation; the isotropic S3 and S4) with the coefficient counts.
func (s *ScatSession) Analyse(r ScatRequest, progress Progress) (*Frames, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if progress == nil {
		progress = func(int, int, string) {}
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	progress(0, 4, "the field")
	fld, err := s.field(r)
	if err != nil {
		return nil, err
	}
	progress(1, 4, "the filter bank")
	bank, err := s.bankFor(r)
	if err != nil {
		return nil, err
	}
	if !s.mtOK {
		if err := s.mt.SetField(fld.f); err != nil {
			return nil, err
		}
		s.mtOK = true
	}
	n, J, L, j, k := r.Size, r.J, r.L, r.Sj, r.Sk
	fr := NewFrames("scattering")
	v := fr.Values
	v["kind"] = "analysis"
	v["field"] = r.Field
	v["desc"] = fld.desc
	v["note"] = fld.note
	v["n"], v["J"], v["L"], v["j"], v["k"] = n, J, L, j, k
	v["wavelet"] = r.Kind
	v["by"] = r.By
	kp, err := scattering.Perpendicular(bank, k)
	if err != nil {
		return nil, err
	}
	v["kperp"] = kp
	v["theta_deg"] = 180 * bank.Theta(k) / math.Pi
	v["xi"] = bank.Xi(j)
	fshow, err := fld.render(fld.f.Data, n)
	if err != nil {
		return nil, err
	}
	if err := fr.AddField("a/field", fshow, fld.cmap, fld.lo, fld.hi); err != nil {
		return nil, err
	}

	progress(2, 4, "the bank panel")
	dbank, err := s.displayBank(r)
	if err != nil {
		return nil, err
	}
	side, rgba := scatBankRGBA(dbank, j, k, r.By == "scale")
	if err := fr.AddRGBA("a/bank", side, side, rgba); err != nil {
		return nil, err
	}
	v["bank_res"] = side

	// |x ⋆ ψ_{j,k}| and the second transforms.
	mod := field.New(n, n)
	if err := s.mt.Modulus(mod.Data, j, k); err != nil {
		return nil, err
	}
	mmax := percentile(mod.Data, 0.998)
	if !(mmax > 0) {
		mmax = 1
	}
	if err := fr.AddField("a/modulus", mod, field.Perceptual, 0, mmax); err != nil {
		return nil, err
	}
	v["modulus_max"] = mmax
	s1, err := s.mt.ModulusMean(j, k)
	if err != nil {
		return nil, err
	}
	v["s1_jk"] = s1
	var seconds []map[string]any
	w := make([]complex128, n*n)
	for jp := j + 1; jp < J && jp <= j+scatMaxSecond; jp++ {
		if err := s.mt.Second(w, j, k, jp); err != nil {
			return nil, err
		}
		sf := field.New(n, n)
		for i, c := range w {
			sf.Data[i] = math.Hypot(real(c), imag(c))
		}
		m := percentile(sf.Data, 0.998)
		if !(m > 0) {
			m = 1
		}
		if err := fr.AddField(fmt.Sprintf("a/second/%d", len(seconds)), sf, field.Perceptual, 0, m); err != nil {
			return nil, err
		}
		seconds = append(seconds, map[string]any{"jp": jp, "max": m})
	}
	v["second"] = seconds
	v["regularity"] = nil
	if jps := scatJPrimes(j, J); len(jps) >= 2 {
		reg, err := s.mt.DirectionalRegularity(j, k, jps)
		if err != nil && !errors.Is(err, scattering.ErrUndefinedSlope) {
			return nil, err
		}
		lg := make([]float64, len(reg.D))
		for i, d := range reg.D {
			lg[i] = math.Log2(d)
		}
		v["regularity"] = map[string]any{
			"jprimes": reg.JPrimes, "log2d": sig(lg), "fitted": reg.Fitted,
			"slope": reg.Slope, "intercept": reg.Intercept, "r2": reg.R2,
			"bound": scattering.RegularityBoundExponent,
		}
	}

	progress(3, 4, "the scattering spectra")
	if err := s.spectra(r, fr); err != nil {
		return nil, err
	}
	v["ms"] = float64(time.Since(t0).Microseconds()) / 1000
	progress(4, 4, "ready")
	return fr, nil
}

// scatJPrimes returns the second scales j′ = j … J−1 of the directional
// regularity curve (the theorem bounds D for every j′ ≥ j).
func scatJPrimes(j, J int) []int {
	var out []int
	for jp := j; jp < J; jp++ {
		out = append(out, jp)
	}
	return out
}

// displayBank returns the bank the filter-bank panel is drawn from: the
// bank itself, or for small fields the same J, L and kind on a
// scatBankMinRes² grid.
func (s *ScatSession) displayBank(r ScatRequest) (*wavelet.DirectionalBank, error) {
	if r.Size >= scatBankMinRes {
		return s.bank, nil
	}
	k := fmt.Sprintf("%s|%d|%d", r.Kind, r.J, r.L)
	if s.dbank != nil && s.dkey == k {
		return s.dbank, nil
	}
	b, err := wavelet.NewDirectionalBank(scatKind(r.Kind), scatBankMinRes, scatBankMinRes, r.J, r.L)
	if err != nil {
		return nil, err
	}
	s.dkey, s.dbank = k, b
	return b, nil
}

// spectra adds the scattering spectra of the session's field (computed
// once per field and bank) to fr: log₂ S1 and log₂ S2 per (j, ℓ), the
// isotropic Re S3 and Re S4 with the positions where j1 changes, and the
// coefficient counts of both forms.
func (s *ScatSession) spectra(r ScatRequest, fr *Frames) error {
	k := s.fkey + "#" + s.bkey
	if s.spec == nil || s.skey != k {
		op, err := scattering.NewOperator(s.bank, scattering.SpectraOptions{})
		if err != nil {
			return err
		}
		sp, err := op.Compute(s.fld.f.Data, nil)
		if err != nil {
			return err
		}
		s.skey, s.spec = k, sp
	}
	sp := s.spec
	log2 := func(xs []float64) []float64 {
		out := make([]float64, len(xs))
		for i, x := range xs {
			out[i] = math.Log2(math.Max(x, 1e-300))
		}
		return out
	}
	if err := fr.AddSeries("a/s1", log2(sp.S1)); err != nil {
		return err
	}
	if err := fr.AddSeries("a/s2", log2(sp.S2)); err != nil {
		return err
	}
	iso := sp.Vector(scattering.Isotropic)
	counts := map[string]any{}
	for _, f := range []scattering.Form{scattering.Isotropic, scattering.Full} {
		c := map[string]any{"total": sp.Count(f)}
		for _, g := range sp.Groups(f) {
			c[g.Name] = g.End - g.Start
		}
		counts[f.String()] = c
	}
	fr.Values["counts"] = counts
	fr.Values["mean"] = sp.Mean
	for _, g := range sp.Groups(scattering.Isotropic) {
		if g.Name != "S3" && g.Name != "S4" || g.End <= g.Start {
			continue
		}
		if err := fr.AddSeries("a/"+map[string]string{"S3": "s3", "S4": "s4"}[g.Name], iso[g.Start:g.End]); err != nil {
			return err
		}
	}
	t3, t4 := scatTicks(r.J, r.L)
	fr.Values["s3_ticks"], fr.Values["s4_ticks"] = t3, t4
	return nil
}

// scatTicks returns where the outer scale j1 changes in the isotropic S3
// and S4 vectors (ScalesInclusive: pairs j1 ≤ j with L values each,
// triples j1 ≤ j2 ≤ j3 with L² each, numbered with j1 slowest).
func scatTicks(J, L int) (t3, t4 []int) {
	at3, at4 := 0, 0
	for j1 := range J {
		t3 = append(t3, at3)
		t4 = append(t4, at4)
		at3 += (J - j1) * L
		m := J - j1
		at4 += m * (m + 1) / 2 * L * L
	}
	return t3, t4
}

// scatBankRGBA paints the frequency plane [−π, π)² (zero frequency at the
// centre, ω_y downwards like the image rows) by the energy of each filter,
// (|ψ̂_{j,ℓ}(ω)|² + |ψ̂_{j,ℓ}(−ω)|²)/2, coloured by orientation ℓ (or
// scale j), with the low-pass |φ̂_J|² in grey; brightness follows the
// square root of the Littlewood–Paley sum. The selected ψ_{j,k} is
// outlined in white where |ψ̂|² is half its peak.
func scatBankRGBA(b *wavelet.DirectionalBank, j, k int, byScale bool) (int, []byte) {
	D, _ := b.Size()
	J, L := b.Scales(), b.Orientations()
	idx := func(px, py int) int { // FFT index of display pixel (px, py)
		kx := ((px-D/2)%D + D) % D
		ky := ((py-D/2)%D + D) % D
		return ky*D + kx
	}
	neg := func(i int) int { // FFT index of −ω
		kx, ky := i%D, i/D
		return ((D-ky)%D)*D + (D-kx)%D
	}
	cols := make([][3]float64, J*L)
	for jj := range J {
		for l := range L {
			if byScale {
				cols[jj*L+l] = bankHSV(jj, J)
			} else {
				cols[jj*L+l] = bankHSV(l, L)
			}
		}
	}
	rgb := make([][3]float64, D*D)
	tot := make([]float64, D*D)
	phi := b.Phi()
	var peak float64
	for i := range rgb {
		ni := neg(i)
		var acc [3]float64
		var s float64
		for lam := range J * L {
			psi := b.Psi(lam/L, lam%L)
			w := (psi[i]*psi[i] + psi[ni]*psi[ni]) / 2
			s += w
			for c := range 3 {
				acc[c] += w * cols[lam][c]
			}
		}
		p := phi[i] * phi[i]
		for c := range 3 {
			acc[c] += 0.55 * p
		}
		s += p
		rgb[i], tot[i] = acc, s
		peak = math.Max(peak, s)
	}
	sel := b.Psi(j, k)
	var sp float64
	for _, v := range sel {
		sp = math.Max(sp, v*v)
	}
	in := func(px, py int) bool {
		if px < 0 || py < 0 || px >= D || py >= D {
			return false
		}
		i := idx(px, py)
		v := sel[i]*sel[i] + sel[neg(i)]*sel[neg(i)]
		return v >= 0.5*sp
	}
	out := make([]byte, 4*D*D)
	for py := range D {
		for px := range D {
			i := idx(px, py)
			o := 4 * (py*D + px)
			var c [3]float64
			if tot[i] > 0 && peak > 0 {
				g := math.Sqrt(tot[i]/peak) / tot[i]
				for ch := range 3 {
					c[ch] = math.Min(1, rgb[i][ch]*g)
				}
			}
			if in(px, py) && (!in(px-1, py) || !in(px+1, py) || !in(px, py-1) || !in(px, py+1)) {
				c = [3]float64{1, 1, 1}
			}
			out[o], out[o+1], out[o+2], out[o+3] = byte(255*c[0]+0.5), byte(255*c[1]+0.5), byte(255*c[2]+0.5), 255
		}
	}
	return D, out
}

// bankHSV is the colour of orientation (or scale) i of n in the bank
// panel, as RGB in [0, 1].
func bankHSV(i, n int) [3]float64 { return hsv(float64(i)/float64(max(n, 1)), 0.8, 1) }

// BankColor is the colour of orientation (or scale) i of n in the bank
// panel, for the canvas app's plots.
func BankColor(i, n int) color.RGBA {
	c := bankHSV(i, n)
	return color.RGBA{uint8(255*c[0] + 0.5), uint8(255*c[1] + 0.5), uint8(255*c[2] + 0.5), 255}
}
