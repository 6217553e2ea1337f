package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/engine/scattering"
	"scalewise/engine/wavelet"
)

// scatRegularityUsage is the usage line of "scat regularity".
const scatRegularityUsage = "scat regularity [IN.npy ...] [--images calpha2,calpha4,curve,stroke,white,gff] [--n 128] [--seeds 3] " +
	"[--J 0] [--L 8] [--kind bump|morlet] [--j 0,1] [--json]"

// Classes of the images of "scat regularity".
const (
	regClassSmooth = "piecewise_smooth" // C² away from piecewise-C² edges: the theorem applies
	regClassRough  = "rough"            // no geometric regularity
	regClassInput  = "input"            // a field read from a .npy file
)

// regularityStrokeWidth is the line width, in pixels, of the "stroke"
// images (the default width of the page's drawing tool).
const regularityStrokeWidth = 3

// regularityJPrimeSpan is the number of second scales j' = j+1..j+span.
const regularityJPrimeSpan = 3

// regularityKind is one generated image kind.
type regularityKind struct {
	name, class, desc string
	gen               func(n int, seed uint64) (*field.Field, error)
}

// regularityKinds are the image kinds of --images, in their default order.
var regularityKinds = []regularityKind{
	{"calpha2", regClassSmooth, "C^α image, α = β = 2 (geometry.CAlpha, code variant)", calphaImage(2)},
	{"calpha4", regClassSmooth, "C^α image, α = β = 4 (geometry.CAlpha, code variant)", calphaImage(4)},
	{"curve", regClassSmooth, "indicator of a region bounded by a smooth closed curve (geometry.SmoothCurve, BoundaryMask)", curveImage},
	{"stroke", regClassSmooth, fmt.Sprintf("a smooth open curve drawn as a line %g px wide over zero (geometry.SmoothCurve, StrokeMask)", float64(regularityStrokeWidth)), strokeImage},
	{"white", regClassRough, "Gaussian white noise", whiteNoiseImage},
	{"gff", regClassRough, "Gaussian field with power spectrum |ω|^−2 (white noise filtered by 1/|ω|, zero mean)", gffImage},
}

func regularityKindNames() []string {
	names := make([]string, len(regularityKinds))
	for i, k := range regularityKinds {
		names[i] = k.name
	}
	return names
}

func calphaImage(alpha float64) func(int, uint64) (*field.Field, error) {
	return func(n int, seed uint64) (*field.Field, error) {
		return geometry.CAlpha(geometry.CAlphaOptions{Size: n, Alpha: alpha, Method: geometry.CAlphaCode, Seed: seed})
	}
}

func curveImage(n int, seed uint64) (*field.Field, error) {
	pts, err := geometry.SmoothCurve(seed, 8*n, float64(n), true)
	if err != nil {
		return nil, err
	}
	return geometry.BoundaryMask(n, pts, true)
}

func strokeImage(n int, seed uint64) (*field.Field, error) {
	pts, err := geometry.SmoothCurve(seed, 8*n, float64(n), false)
	if err != nil {
		return nil, err
	}
	return geometry.StrokeMask(n, pts, regularityStrokeWidth)
}

// whiteNoiseImage returns scattering.WhiteNoise.
func whiteNoiseImage(n int, seed uint64) (*field.Field, error) {
	return scattering.WhiteNoise(n, n, seed), nil
}

// gffImage returns scattering.GaussianFreeField: power spectrum ∝ |ω|^−2.
func gffImage(n int, seed uint64) (*field.Field, error) { return scattering.GaussianFreeField(n, seed) }

// scatRegularityRow is the measurement of one image at one first scale j.
type scatRegularityRow struct {
	Image string `json:"image"`
	Class string `json:"class"`
	// Seed is the seed of a generated image (0 for a .npy field).
	Seed uint64 `json:"seed"`
	// Field is the index of a .npy field in its stack (absent for a
	// generated image).
	Field *int `json:"field,omitempty"`
	Size  int  `json:"size"`
	// BankJ is the number of scales of the filter bank used.
	BankJ   int       `json:"J"`
	J       int       `json:"j"`
	JPrimes []int     `json:"jprimes"`
	D       []float64 `json:"d"` // D̄(j, j') for each j'
	Slope   float64   `json:"slope"`
	R2      float64   `json:"r2"`
	Bound   float64   `json:"bound_exponent"`
	Within  bool      `json:"within_bound"` // 0 < slope < bound
}

// scatRegularitySummary is the range of the exponents of one image kind (or
// one .npy file) over its seeds (fields) and first scales.
type scatRegularitySummary struct {
	Image       string  `json:"image"`
	Class       string  `json:"class"`
	Description string  `json:"description,omitempty"`
	Rows        int     `json:"rows"`
	MinSlope    float64 `json:"min_slope"`
	MaxSlope    float64 `json:"max_slope"`
	AllWithin   bool    `json:"all_within_bound"`
}

// scatRegularitySettings are the resolved flags of "scat regularity".
type scatRegularitySettings struct {
	Inputs      []string `json:"inputs,omitempty"`
	Images      []string `json:"images,omitempty"`
	N           int      `json:"n,omitempty"`
	Seeds       int      `json:"seeds,omitempty"`
	Kind        string   `json:"kind"`
	J           int      `json:"J"`
	JFlag       int      `json:"J_flag"`
	L           int      `json:"L"`
	Js          []int    `json:"js"`
	JPrimeSpan  int      `json:"jprime_span"`
	StrokeWidth float64  `json:"stroke_width,omitempty"`
	// Normalisation of the wavelets (see scattering.Regularity).
	Normalisation string `json:"normalisation"`
}

// scatRegularityJSON is the output of "scat regularity --json".
type scatRegularityJSON struct {
	Command       string                  `json:"command"`
	Settings      scatRegularitySettings  `json:"settings"`
	BoundExponent float64                 `json:"bound_exponent"`
	Rows          []scatRegularityRow     `json:"rows"`
	Summary       []scatRegularitySummary `json:"summary"`
	// PiecewiseSmoothMinSlope is the smallest exponent of the piecewise
	// smooth kinds, RoughMaxSlope the largest of the rough ones, and Gap
	// their difference (null when a class is absent).
	PiecewiseSmoothMinSlope *float64 `json:"piecewise_smooth_min_slope"`
	RoughMaxSlope           *float64 `json:"rough_max_slope"`
	Gap                     *float64 `json:"gap"`
	Seconds                 float64  `json:"seconds"`
	Version                 string   `json:"version"`
}

// regularityImage is one image to measure.
type regularityImage struct {
	name, class, desc string
	seed              uint64
	index             int                                            // field index in a .npy stack, −1 for a generated image
	f                 *field.Field                                   // a .npy field, or nil
	gen               func(n int, seed uint64) (*field.Field, error) // makes a generated image
}

// parseRegularityJs parses the --j list: distinct integers ≥ 0.
func parseRegularityJs(s string) ([]int, error) {
	var js []int
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		j, err := strconv.Atoi(p)
		if err != nil || j < 0 {
			return nil, fmt.Errorf("--j: %q is not a scale j ≥ 0", p)
		}
		if slices.Contains(js, j) {
			return nil, fmt.Errorf("--j: scale %d given twice", j)
		}
		js = append(js, j)
	}
	if len(js) == 0 {
		return nil, errors.New("--j: no scale")
	}
	return js, nil
}

// regularityJPrimes returns j' = j+1..j+3 below J, or an error when fewer
// than two remain (a growth exponent needs two points).
func regularityJPrimes(j, J int) ([]int, error) {
	var jps []int
	for jp := j + 1; jp <= j+regularityJPrimeSpan && jp < J; jp++ {
		jps = append(jps, jp)
	}
	if len(jps) < 2 {
		return nil, fmt.Errorf("--j %d: %d of the second scales j' = %d..%d lie below J = %d; the growth exponent needs at least 2 (lower --j, or raise --J or the image size)",
			j, len(jps), j+1, j+regularityJPrimeSpan, J)
	}
	return jps, nil
}

// regularityTransform is a filter bank and its transform for one image size.
type regularityTransform struct {
	J  int
	tr *scattering.ModulusTransform
}

// runScatRegularity is "scalewise scat regularity". It measures the
// geometric directional regularity of images, after the theorem of N. Cuvelle-Magar and S. Mallat shown in
// Mallat's talk "Multiscale geometry of images and physics with score
// diffusion" (slide "Geometric Directional Regularity"): if x is C² away
// from piecewise-C² edge curves then, for every orientation k, every j' ≥ j
// and every α < 2, there is a C > 0 with
//
//	D(j, k, j') = ‖ |x ⋆ ψ_{j,k}| ⋆ ψ_{j',k⊥} ‖₁ ≤ C·2^{α j'},
//
// where k⊥ is the orientation perpendicular to k: the modulus of the first
// wavelet transform varies slowly along the edges, so the second wavelet,
// oscillating across the first, finds little to respond to. The command
// reports the orientation-averaged D̄(j, j') = (1/L) Σ_k D(j, k, j') for
// j' = j+1..j+3 and its fitted growth exponent (the slope of log₂ D̄
// against j'), computed by scattering.DirectionalRegularityMean, next to
// the bound exponent 2 (scattering.RegularityBoundExponent).
//
// The wavelets are the Morlet filters of kymatio (Andreux et al.,
// "Kymatio: Scattering Transforms in Python", JMLR 21(60) (2020)) and the
// bump-steerable filters of pywph (Allys et al., PRD 102, 103506 (2020))
// in engine/wavelet.DirectionalBank, normalised, as usual for
// scattering, to ψ̂ ≈ 1 at the centre frequency of every scale (an L¹ norm
// independent of j). The slide does not state a normalisation; with
// L²-normalised second wavelets every exponent would be larger by exactly 1
// (see scattering.Regularity).
//
// What the engine's tests observed (engine/scattering/regularity_test.go,
// 128×128, L = 8, j = 0, 1): piecewise-smooth images have exponents in
// (0, 2), while white noise and the |ω|^{−2} Gaussian field have negative
// exponents (below −0.25): the bound alone does not separate the two
// classes, the sign of the exponent does.
func runScatRegularity(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("scat regularity", flag.ContinueOnError)
	images := fs.String("images", strings.Join(regularityKindNames(), ","), "generated image kinds: "+strings.Join(regularityKindNames(), ", "))
	n := fs.Int("n", 128, "side of the generated images (16 to 256)")
	seeds := fs.Int("seeds", 3, "generated images use seeds 1..seeds")
	Jflag := fs.Int("J", 0, "number of wavelet scales, 2^J ≤ N/2 (0: the largest, log2(N) − 1)")
	L := fs.Int("L", 8, "number of orientations, even, 2 to 16")
	kindName := fs.String("kind", "bump", "wavelet: bump (bump-steerable) or morlet")
	jlist := fs.String("j", "0,1", "first scales j (comma-separated); j' = j+1..j+3 below J")
	asJSON := fs.Bool("json", false, "print JSON")
	inputs, err := parseAnyPositional(fs, args, stderr)
	if err != nil {
		return err
	}
	kind, err := wavelet.ParseDirectionalKind(*kindName)
	if err != nil {
		return fmt.Errorf("--kind: %w", err)
	}
	if *L < 2 || *L > wavelet.MaxOrientations || *L%2 != 0 {
		return fmt.Errorf("--L %d: want an even number of orientations from 2 to %d (the second wavelet is perpendicular to the first)", *L, wavelet.MaxOrientations)
	}
	if *Jflag < 0 {
		return fmt.Errorf("--J %d: want ≥ 1, or 0 for the largest", *Jflag)
	}
	js, err := parseRegularityJs(*jlist)
	if err != nil {
		return err
	}

	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var imgs []regularityImage
	settings := scatRegularitySettings{Kind: kind.String(), JFlag: *Jflag, L: *L, Js: js, JPrimeSpan: regularityJPrimeSpan,
		Normalisation: "psi-hat = 1 at the centre frequency of every scale (L1 norm independent of j)"}
	if len(inputs) > 0 {
		for _, name := range []string{"images", "n", "seeds"} {
			if set[name] {
				return fmt.Errorf("--%s applies to generated images; it cannot be used with .npy inputs", name)
			}
		}
		for _, path := range inputs {
			_, fields, err := readScatFields(path)
			if err != nil {
				return err
			}
			for i, f := range fields {
				imgs = append(imgs, regularityImage{name: path, class: regClassInput, index: i, f: f})
			}
		}
		settings.Inputs = inputs
	} else {
		var kinds []regularityKind
		for _, s := range strings.Split(*images, ",") {
			s = strings.ToLower(strings.TrimSpace(s))
			if s == "" {
				continue
			}
			i := slices.IndexFunc(regularityKinds, func(k regularityKind) bool { return k.name == s })
			if i < 0 {
				return fmt.Errorf("--images: unknown image kind %q (want %s)", s, strings.Join(regularityKindNames(), ", "))
			}
			if slices.ContainsFunc(kinds, func(k regularityKind) bool { return k.name == s }) {
				return fmt.Errorf("--images: %q given twice", s)
			}
			kinds = append(kinds, regularityKinds[i])
		}
		if len(kinds) == 0 {
			return errors.New("--images: no image kind")
		}
		if *n < geometry.DrawingMinSize || *n > geometry.DrawingMaxSize {
			return fmt.Errorf("--n %d: want an image side from %d to %d", *n, geometry.DrawingMinSize, geometry.DrawingMaxSize)
		}
		if err := checkIntFlag("seeds", *seeds, 1, maxRegularitySeeds, "seeds per image kind"); err != nil {
			return err
		}
		for _, k := range kinds {
			settings.Images = append(settings.Images, k.name)
			if k.name == "stroke" {
				settings.StrokeWidth = regularityStrokeWidth
			}
			for s := 1; s <= *seeds; s++ {
				imgs = append(imgs, regularityImage{name: k.name, class: k.class, desc: k.desc, seed: uint64(s), index: -1, gen: k.gen})
			}
		}
		settings.N, settings.Seeds = *n, *seeds
	}

	// Filter banks, one per image size, and the second scales, all checked
	// before anything is measured.
	transforms := map[int]*regularityTransform{}
	sizeOf := func(im regularityImage) int {
		if im.f != nil {
			return im.f.W
		}
		return *n
	}
	for _, im := range imgs {
		size := sizeOf(im)
		if transforms[size] != nil {
			continue
		}
		where := fmt.Sprintf("--n %d", size)
		if im.f != nil {
			where = fmt.Sprintf("%s: %d×%d fields", im.name, size, size)
		}
		J := *Jflag
		if J == 0 {
			J = wavelet.MaxDirectionalScales(size, size)
		}
		bank, err := wavelet.NewDirectionalBank(kind, size, size, J, *L)
		if err != nil {
			if *Jflag == 0 {
				return fmt.Errorf("%s: too small for a filter bank: %w", where, err)
			}
			return fmt.Errorf("%s, --J %d: %w", where, J, err)
		}
		for _, j := range js {
			if _, err := regularityJPrimes(j, J); err != nil {
				return fmt.Errorf("%s (J = %d): %w", where, J, err)
			}
		}
		tr, err := scattering.NewModulusTransform(bank)
		if err != nil {
			return err
		}
		transforms[size] = &regularityTransform{J: J, tr: tr}
	}
	if len(transforms) == 1 {
		for _, t := range transforms {
			settings.J = t.J
		}
	}

	start := time.Now()
	out := scatRegularityJSON{
		Command:  "scalewise " + strings.Join(append([]string{"scat", "regularity"}, args...), " "),
		Settings: settings, BoundExponent: scattering.RegularityBoundExponent, Version: Version,
	}
	for _, im := range imgs {
		what := fmt.Sprintf("%s seed %d", im.name, im.seed)
		if im.f == nil {
			f, err := im.gen(*n, im.seed)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			im.f = f
		} else {
			what = fmt.Sprintf("%s: field %d", im.name, im.index)
		}
		t := transforms[im.f.W]
		if err := t.tr.SetField(im.f); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		for _, j := range js {
			jps, _ := regularityJPrimes(j, t.J)
			s, err := t.tr.DirectionalRegularityMean(j, jps)
			if errors.Is(err, scattering.ErrUndefinedSlope) {
				return fmt.Errorf("%s: j = %d: D̄ vanishes at some j' (a constant image?), so its growth exponent is undefined: %w", what, j, err)
			}
			if err != nil {
				return fmt.Errorf("%s: j = %d: %w", what, j, err)
			}
			row := scatRegularityRow{Image: im.name, Class: im.class, Seed: im.seed, Size: im.f.W, BankJ: t.J, J: j,
				JPrimes: s.JPrimes, D: s.D, Slope: s.Slope, R2: s.R2, Bound: scattering.RegularityBoundExponent,
				Within: s.Slope > 0 && s.Slope < scattering.RegularityBoundExponent}
			if im.index >= 0 {
				row.Field = &im.index
			}
			for _, v := range append(slices.Clone(row.D), row.Slope, row.R2) {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("%s: j = %d: non-finite result (D̄ = %v, slope %v, R² %v)", what, j, row.D, row.Slope, row.R2)
				}
			}
			out.Rows = append(out.Rows, row)
		}
	}
	summarizeRegularity(&out, imgs)
	out.Seconds = time.Since(start).Seconds()
	if *asJSON {
		return printJSON(stdout, out)
	}
	printRegularityText(stdout, &out)
	return nil
}

// summarizeRegularity fills the per-kind summary and the class extremes.
func summarizeRegularity(out *scatRegularityJSON, imgs []regularityImage) {
	idx := map[string]int{}
	for _, im := range imgs {
		if _, ok := idx[im.name]; !ok {
			idx[im.name] = len(out.Summary)
			out.Summary = append(out.Summary, scatRegularitySummary{Image: im.name, Class: im.class, Description: im.desc,
				MinSlope: math.Inf(1), MaxSlope: math.Inf(-1), AllWithin: true})
		}
	}
	smoothMin, roughMax := math.Inf(1), math.Inf(-1)
	for _, r := range out.Rows {
		s := &out.Summary[idx[r.Image]]
		s.Rows++
		s.MinSlope = math.Min(s.MinSlope, r.Slope)
		s.MaxSlope = math.Max(s.MaxSlope, r.Slope)
		s.AllWithin = s.AllWithin && r.Within
		switch r.Class {
		case regClassSmooth:
			smoothMin = math.Min(smoothMin, r.Slope)
		case regClassRough:
			roughMax = math.Max(roughMax, r.Slope)
		}
	}
	if !math.IsInf(smoothMin, 0) {
		out.PiecewiseSmoothMinSlope = &smoothMin
	}
	if !math.IsInf(roughMax, 0) {
		out.RoughMaxSlope = &roughMax
	}
	if out.PiecewiseSmoothMinSlope != nil && out.RoughMaxSlope != nil {
		g := smoothMin - roughMax
		out.Gap = &g
	}
}

// printRegularityText prints the aligned table of "scat regularity".
func printRegularityText(w io.Writer, out *scatRegularityJSON) {
	st := out.Settings
	src := fmt.Sprintf("%d×%d images, seeds 1..%d", st.N, st.N, st.Seeds)
	if len(st.Inputs) > 0 {
		src = fmt.Sprintf("%d field(s) from %s", len(out.Rows)/len(st.Js), strings.Join(st.Inputs, ", "))
	}
	J := strconv.Itoa(st.J)
	if st.J == 0 {
		J = "per size"
	}
	fmt.Fprintf(w, "directional regularity D̄(j, j') = mean_k ‖ |x ⋆ ψ_{j,k}| ⋆ ψ_{j',k⊥} ‖₁, j' = j+1..j+%d: %s; %s wavelets, J = %s, L = %d; %.3g s\n",
		st.JPrimeSpan, src, st.Kind, J, st.L, out.Seconds)
	fmt.Fprintf(w, "exponent = slope of log₂ D̄ against j'; the theorem bounds it by %g for C² images with piecewise-C² edges\n\n", out.BoundExponent)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "image\tseed\tj\tj'\tmean_k D(j, k, j')\tslope\tR²\tbound\twithin (0, bound)")
	for _, r := range out.Rows {
		seed := strconv.FormatUint(r.Seed, 10)
		if r.Field != nil {
			seed = "field " + strconv.Itoa(*r.Field)
		}
		jps := make([]string, len(r.JPrimes))
		ds := make([]string, len(r.D))
		for i := range r.D {
			jps[i] = strconv.Itoa(r.JPrimes[i])
			ds[i] = fmt.Sprintf("%.3e", r.D[i])
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t% .3f\t%.3f\t%g\t%s\n", r.Image, seed, r.J, strings.Join(jps, ","),
			strings.Join(ds, " "), r.Slope, r.R2, r.Bound, yesNo(r.Within))
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "image\tclass\trows\tmin slope\tmax slope\tall within")
	for _, s := range out.Summary {
		fmt.Fprintf(tw, "%s\t%s\t%d\t% .3f\t% .3f\t%s\n", s.Image, s.Class, s.Rows, s.MinSlope, s.MaxSlope, yesNo(s.AllWithin))
	}
	tw.Flush()
	if out.Gap != nil {
		fmt.Fprintf(w, "\npiecewise-smooth min slope %.3f, rough max slope %.3f: gap %.3f\n",
			*out.PiecewiseSmoothMinSlope, *out.RoughMaxSlope, *out.Gap)
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
