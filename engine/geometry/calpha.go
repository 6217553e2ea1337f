package geometry

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"scalewise/engine/field"
)

// CAlphaMethod selects how a C^α image is synthesised.
type CAlphaMethod int

const (
	// CAlphaPaper is Algorithm 2 ("Synthesis of a C^α image via
	// integration") of Kadkhodaie et al., ICLR 2024, Appendix E: a contour
	// C = IFFT(|ω|^(−α)·FFT(c)), c ~ U[−0.5, 0.5] i.i.d., backgrounds
	// B_i = IFFT((ω1²+ω2²)^(−β/2)·FFT(b_i)), b_i ~ U[−0.5, 0.5] i.i.d., a
	// binary mask M = 1{y > C(x)} and x = M·B1 + (1−M)·B2. See CAlpha for the
	// choices the paper leaves open.
	CAlphaPaper CAlphaMethod = iota
	// CAlphaCode is the variant implemented by the authors' code
	// (synthetic_data_generators.make_C_alpha_images): a U[−1, 1] contour
	// filtered by (1/|k|)^α, one integer row per column, U[−1, 1]
	// backgrounds filtered by (1/|k|)^β and min-max rescaled to random
	// sub-ranges, and a 2×2 box-filtered mask. See CAlpha for the details.
	CAlphaCode
)

// String returns "paper" or "code" (the names accepted by ParseCAlphaMethod).
func (m CAlphaMethod) String() string {
	switch m {
	case CAlphaPaper:
		return "paper"
	case CAlphaCode:
		return "code"
	}
	return fmt.Sprintf("CAlphaMethod(%d)", int(m))
}

// ParseCAlphaMethod parses "paper" (CAlphaPaper) or "code" (CAlphaCode),
// ignoring case and surrounding space.
func ParseCAlphaMethod(s string) (CAlphaMethod, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "paper":
		return CAlphaPaper, nil
	case "code":
		return CAlphaCode, nil
	}
	return 0, fmt.Errorf("geometry: unknown C^α method %q (want \"paper\" or \"code\")", s)
}

// Limits on CAlphaOptions.
const (
	// CAlphaMinSize and CAlphaMaxSize bound the image side (any integer in
	// between, not only powers of two).
	CAlphaMinSize = 8
	CAlphaMaxSize = 1024
	// CAlphaMaxAlpha bounds the contour regularity α ∈ (0, CAlphaMaxAlpha].
	CAlphaMaxAlpha = 6
	// CAlphaMaxBeta bounds the background regularity β ∈ (0, CAlphaMaxBeta];
	// it exceeds CAlphaMaxAlpha because Kadkhodaie et al. (ICLR 2024,
	// App. C, Fig. 17) use smooth backgrounds with β = 8.
	CAlphaMaxBeta = 8
)

// CAlphaOptions configures CAlpha.
type CAlphaOptions struct {
	// Size is the side N of the N×N image, CAlphaMinSize ≤ N ≤ CAlphaMaxSize.
	Size int
	// Alpha is the contour regularity α ∈ (0, CAlphaMaxAlpha].
	Alpha float64
	// Beta is the background regularity β ∈ (0, CAlphaMaxBeta]; 0 means α
	// (the authors' data sets use β = α).
	Beta float64
	// Method selects the paper algorithm or the code variant.
	Method CAlphaMethod
	// Seed seeds the generator; equal options give equal images.
	Seed uint64
}

// calphaStream is the second PCG seed word of CAlpha, fixed so that the image
// depends on CAlphaOptions.Seed alone.
const calphaStream = 0x43616c7068615f31 // "Calpha_1"

// validate checks o and returns the effective background regularity β.
func (o CAlphaOptions) validate() (beta float64, err error) {
	if o.Size < CAlphaMinSize || o.Size > CAlphaMaxSize {
		return 0, fmt.Errorf("geometry: C^α size %d outside [%d, %d]", o.Size, CAlphaMinSize, CAlphaMaxSize)
	}
	if math.IsNaN(o.Alpha) || !(o.Alpha > 0 && o.Alpha <= CAlphaMaxAlpha) {
		return 0, fmt.Errorf("geometry: C^α alpha %v outside (0, %d]", o.Alpha, CAlphaMaxAlpha)
	}
	beta = o.Beta
	if beta == 0 {
		beta = o.Alpha
	}
	if math.IsNaN(beta) || !(beta > 0 && beta <= CAlphaMaxBeta) {
		return 0, fmt.Errorf("geometry: C^α beta %v outside (0, %d] (0 selects alpha)", o.Beta, CAlphaMaxBeta)
	}
	if o.Method != CAlphaPaper && o.Method != CAlphaCode {
		return 0, fmt.Errorf("geometry: unknown C^α method %v", o.Method)
	}
	return beta, nil
}

// CAlpha synthesises an N×N C^α image x = M·B1 + (1−M)·B2 with values in
// [0, 1]: two backgrounds B1, B2 that are C^β (Fourier weight |k|^(−β))
// separated by the graph of a C^α contour (Fourier weight |k|^(−α)), after
// Kadkhodaie et al., "Generalization in diffusion models arises from
// geometry-adaptive harmonic representations", ICLR 2024, App. E. Rows y
// count down from the top; M = 1 (background B1) below the contour.
//
// CAlphaPaper (Algorithm 2), with the choices the paper leaves open:
//   - frequencies are the signed integers k of the DFT; the zero-frequency
//     weight is 0, so the contour and both backgrounds have zero mean (other
//     units for ω only rescale, which the normalisations below undo);
//   - the contour is normalised so that max_x |C(x)| = N/4 and placed about
//     the middle row: M(x, y) = 1{y + ½ > N/2 + C(x)}, so the contour stays
//     within the middle half of the image and both regions are non-empty;
//   - the blended image is min-max rescaled to [0, 1] (min 0, max 1).
//
// CAlphaCode (the authors' make_C_alpha_images):
//   - contour: c ~ U[−1, 1]^N, C = Re IDFT(w·DFT(c)) with w(k) = |k|^(−α),
//     w(0) = 1, inverse normalised by 1/N; row(x) = round(N·C(x)) + ⌊N/2⌋
//     (round half to even, clamped to [0, N]) and the binary mask is
//     m(x, y) = 1{y ≥ row(x)};
//   - backgrounds: b_i ~ U[−1, 1]^(N×N), B_i = Re IDFT₂(w·DFT₂(b_i)) with
//     w(k1, k2) = (k1² + k2²)^(−β/2) and w(0, 0) = 1 (the value of its
//     neighbours at |k| = 1);
//   - with u1, u2 ~ U(0, 1): B1 is min-max rescaled to [u1, 1] and B2 to
//     [0, u2], or, with probability ½, B1 to [0, u2] and B2 to [u1, 1];
//   - the mask is box-filtered 2×2 with stride 1 and reflect padding,
//     M(x, y) = ¼ Σ_{dx, dy ∈ {−1, 0}} m(x+dx, y+dy) with index −1 reflected
//     to 1, and x = M·B1 + (1−M)·B2 lies in [0, 1] without clipping.
//
// The random draws are taken, in this order, from a PCG generator seeded with
// (Seed, calphaStream): contour noise, B1 noise, B2 noise and, for the code
// variant, u1, u2 and the swap.
func CAlpha(o CAlphaOptions) (*field.Field, error) {
	img, _, err := cAlpha(o)
	return img, err
}

// cAlpha is CAlpha that also returns the contour: for the code variant the
// integer row row(x) of each column, for the paper variant the real boundary
// N/2 + C(x) in row units.
func cAlpha(o CAlphaOptions) (*field.Field, []float64, error) {
	beta, err := o.validate()
	if err != nil {
		return nil, nil, err
	}
	rng := rand.New(rand.NewPCG(o.Seed, calphaStream))
	switch o.Method {
	case CAlphaCode:
		img, contour := cAlphaCode(rng, o.Size, o.Alpha, beta)
		return img, contour, nil
	default:
		img, contour := cAlphaPaper(rng, o.Size, o.Alpha, beta)
		return img, contour, nil
	}
}
