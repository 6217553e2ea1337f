package wavelet

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"scalewise/engine/fourier"
)

// DirectionalKind selects the mother wavelet of a DirectionalBank.
type DirectionalKind int

const (
	// Morlet is kymatio's 2-D Morlet wavelet (Andreux et al., "Kymatio:
	// scattering transforms in Python", JMLR 21 (2020);
	// kymatio/scattering2d/filter_bank.py): a Gabor function minus a
	// multiple of its envelope, with σ_j = 0.8·2^j, ξ_j = (3π/4)·2^{−j} and
	// slant 4/L.
	Morlet DirectionalKind = iota + 1
	// BumpSteerable is the bump-steerable wavelet of Allys et al. (2020) as
	// defined in pywph (Régaldo-Saint Blancard et al.): a compactly
	// supported radial bump around ξ_j = 0.85π·2^{−j} times the steerable
	// angular window cos^{L−1}(arg ω − θ) on a half plane.
	BumpSteerable
)

// String returns "morlet" or "bump".
func (k DirectionalKind) String() string {
	switch k {
	case Morlet:
		return "morlet"
	case BumpSteerable:
		return "bump"
	}
	return fmt.Sprintf("DirectionalKind(%d)", int(k))
}

// ParseDirectionalKind returns the kind named s: "morlet", or "bump" (also
// "bump-steerable"), case-insensitive.
func ParseDirectionalKind(s string) (DirectionalKind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "morlet":
		return Morlet, nil
	case "bump", "bump-steerable", "bumpsteerable":
		return BumpSteerable, nil
	}
	return 0, fmt.Errorf("wavelet: unknown directional wavelet %q (want morlet or bump)", s)
}

// Limits of NewDirectionalBank.
const (
	// MinDirectionalSize is the smallest width or height of a DirectionalBank.
	MinDirectionalSize = 8
	// MaxDirectionalSize is the largest width or height of a DirectionalBank.
	MaxDirectionalSize = 4096
	// MaxOrientations is the largest number L of orientations.
	MaxOrientations = 16
)

// Filter constants (see DirectionalBank).
const (
	morletSigma0 = 0.8                                        // kymatio: σ_j = 0.8·2^j
	morletXi0    = 3 * math.Pi / 4                            // kymatio: ξ_j = (3π/4)·2^{−j}
	bumpXi0      = 0.85 * math.Pi                             // pywph: k0 = 0.85π, ξ_j = k0·2^{−j}
	bumpC0       = 1.29                                       // pywph's 1/1.29 in the normalisation c
	gaussCut     = 9.0                                        // Gaussians are summed within 9 standard deviations (e^{−40.5} ≈ 3·10⁻¹⁸)
	bumpPhiScale = 1 / (0.496 * 0.6830201283771977 * bumpXi0) // pywph σ0 = 1/(0.496·2^{−0.55}·k0)
)

// DirectionalBank is a bank of complex directional wavelets ψ_{j,ℓ}, j =
// 0..J−1 (scale 2^j), ℓ = 0..L−1 (orientation θ_ℓ = πℓ/L), and a low-pass
// φ_J, for periodic width×height images (row-major, Data[y·width + x]). The
// filters are built directly in the Fourier domain and stored as their DFT
// samples ψ̂_{j,ℓ}[k_y·width + k_x] in FFT order, at the angular frequencies
//
//	ω = (ω_x, ω_y) = (2π k̃_x/width, 2π k̃_y/height),  k̃ = fourier.SignedIndex(k, ·),
//
// so that x ⋆ ψ_{j,ℓ} is the inverse DFT of x̂·ψ̂_{j,ℓ} (engine/fourier
// conventions). The filters of both kinds are real in Fourier (ψ̂ real, so
// ψ(−u) = ψ(u)* in space) and concentrated on the half plane ω·e_θ > 0,
// e_θ = (cos θ, sin θ), up to aliasing near the Nyquist frequency at j = 0.
// The orientations cover [0, π): ψ̂_{j,ℓ}(−ω) is the filter of orientation
// θ_ℓ + π, and for a real image x ⋆ ψ at θ + π is the complex conjugate of
// x ⋆ ψ at θ, so its modulus carries nothing new. Every filter is
// periodised: its value at grid frequency ω is Σ_{p∈Z²} F(ω + 2πp) of the
// continuous Fourier-domain function F, which is exactly the DFT of the
// sampled, periodised spatial filter.
//
// # Morlet (kymatio)
//
// The Morlet filters of kymatio (Andreux et al., "Kymatio: Scattering
// Transforms in Python", JMLR 21(60) (2020)), built in Fourier. With σ_j = 0.8·2^j, ξ_j = (3π/4)·2^{−j}, slant s = 4/L and the Gaussian
// envelope (the Fourier transform of kymatio's unit-integral spatial
// envelope exp(−uᵀR_θ diag(1, s²)R_θ⁻¹u/(2σ²))·s/(2πσ²))
//
//	G_{σ,θ}(ν) = exp(−σ²[(ν·e_θ)² + (ν·e_θ⊥)²/s²]/2),
//
// the Gabor filter is ĝ(ω) = Σ_p G(ω + 2πp − ξ_j e_θ) and the Morlet
// filter subtracts the envelope with the weight that zeroes the mean,
//
//	ψ̂_{j,ℓ}(ω) = ĝ(ω) − β ĝ₀(ω),  ĝ₀(ω) = Σ_p G(ω + 2πp),  β = ĝ(0)/ĝ₀(0),
//
// so ψ̂(0) = 0 up to rounding. The low-pass is kymatio's isotropic Gaussian
// φ̂_J(ω) = Σ_p exp(−σ_φ²|ω + 2πp|²/2) with σ_φ = 0.8·2^{J−1}. kymatio
// builds the same filters in space (its normalisation uses 3.1415 for π;
// here π is exact) and numbers the orientations θ = (⌊L/2⌋−1−ℓ)π/L; here
// θ_ℓ = πℓ/L, measured from the x axis (columns) towards the y axis (rows).
//
// # Bump-steerable (pywph)
//
// The bump-steerable filters of pywph (Allys et al., "New interpretable
// statistics for large-scale structure analysis and generation", PRD 102,
// 103506 (2020)). With ξ_j = 0.85π·2^{−j} and ρ = |ν|,
//
//	F(ν) = c exp(−(ρ−ξ_j)²/(ξ_j² − (ρ−ξ_j)²)) 1{0<ρ<2ξ_j} cos^{L−1}(arg ν − θ_ℓ) 1{cos(arg ν − θ_ℓ) > 0},
//	c    = √2 · 2^{L−1}(L−1)! / (1.29 √(L·(2(L−1))!)),
//
// (for L = 1 the half-plane boundary cos = 0 gets the weight 1/√2). pywph's
// constant c (without √2) normalises 2L filters on [0, 2π); since the
// angular windows are steerable, Σ_{ℓ<L} cos^{2(L−1)}(φ − θ_ℓ) =
// L·C(2L−2, L−1)/4^{L−1} for every φ, the √2 makes the L filters on [0, π)
// carry the same energy for real images: the angular sum in the
// Littlewood–Paley function below is exactly 1/1.29² times Σ_j bump_j².
// ψ̂(0) = 0 because 0 is outside the support. The low-pass is the isotropic
// Gaussian φ̂_J(ω) = Σ_p exp(−σ_φ²|ω + 2πp|²/2) with pywph's mother width
// σ0 = 1/(0.496·2^{−0.55}·k0) ≈ 1.105 dilated by 2^{J−2}, σ_φ = σ0·2^{J−2}
// (pywph itself uses these Gaussians only for its scaling moments, at scales
// 2..J−2, and has no φ_J). This dilation is our choice: it makes A(ω) flattest
// below the coarsest wavelet (measured 0.89 ≤ A ≤ 1.10 for |ω| < 1 at
// J = 3..7, against 0.53 ≤ A ≤ 1.07 with 2^{J−1}).
//
// # Littlewood–Paley
//
// LittlewoodPaley returns A(ω) = |φ̂_J(ω)|² + Σ_{j,ℓ} (|ψ̂_{j,ℓ}(ω)|² +
// |ψ̂_{j,ℓ}(−ω)|²)/2; for a real image x, min A·‖x‖² ≤ ‖x ⋆ φ_J‖² +
// Σ_{j,ℓ} ‖x ⋆ ψ_{j,ℓ}‖² ≤ max A·‖x‖² (Mallat, "A Wavelet Tour of Signal
// Processing", 3rd ed., §5.2, frame bounds of dyadic wavelet transforms). Measured on grids from 8×8 to 128×128 with
// L = 2..16 (directional_test.go): 0.497 ≤ A ≤ 1.17 for the bump (≤ 1.33 at
// J = 1), 0.055 ≤ A ≤ 1.12 for Morlet, whose lowest values lie on the border
// of the frequency square (A(π, π) ≈ 0.12 at L = 8). L = 1 is accepted but
// is not a frame: the Morlet wavelet vanishes on the whole line ω·e_θ = 0.
// Tight returns the bank divided by √A, a tight frame (A ≡ 1, corners
// included).
//
// A DirectionalBank is read-only after construction and may be shared by
// goroutines.
type DirectionalBank struct {
	kind          DirectionalKind
	width, height int
	scales        int // J
	orient        int // L
	psi           [][]float64
	phi           []float64
	xi            []float64 // ξ_j
	sigmaPhi      float64
	tight         bool // normalised by Tight
}

// NewDirectionalBank builds the J·L wavelets ψ̂_{j,ℓ} and the low-pass φ̂_J
// of the given kind for width×height images. It returns an error unless the
// kind is Morlet or BumpSteerable, MinDirectionalSize ≤ width, height ≤
// MaxDirectionalSize, J ≥ 1 with 2^J ≤ min(width, height)/2 (the coarsest
// wavelet then has a centre frequency of at least 1.5 grid steps, and φ_J a
// spatial width σ_φ at most a fifth of the image), and 1 ≤ L ≤
// MaxOrientations.
func NewDirectionalBank(kind DirectionalKind, width, height, scales, orientations int) (*DirectionalBank, error) {
	if kind != Morlet && kind != BumpSteerable {
		return nil, fmt.Errorf("wavelet: unknown directional wavelet kind %d", int(kind))
	}
	if width < MinDirectionalSize || height < MinDirectionalSize || width > MaxDirectionalSize || height > MaxDirectionalSize {
		return nil, fmt.Errorf("wavelet: directional bank size %d×%d must be between %d and %d each way",
			width, height, MinDirectionalSize, MaxDirectionalSize)
	}
	maxJ := MaxDirectionalScales(width, height)
	if scales < 1 || scales > maxJ {
		return nil, fmt.Errorf("wavelet: %d scales for a %d×%d image; want 1 ≤ J ≤ %d (2^J ≤ min(width, height)/2)",
			scales, width, height, maxJ)
	}
	if orientations < 1 || orientations > MaxOrientations {
		return nil, fmt.Errorf("wavelet: %d orientations; want 1 ≤ L ≤ %d", orientations, MaxOrientations)
	}
	b := &DirectionalBank{
		kind: kind, width: width, height: height, scales: scales, orient: orientations,
		psi: make([][]float64, scales*orientations),
		phi: make([]float64, width*height),
		xi:  make([]float64, scales),
	}
	g := newFreqGrid(width, height)
	var env []float64
	if kind == Morlet {
		env = make([]float64, width*height)
	}
	for j := range scales {
		dil := math.Ldexp(1, j)
		for l := range orientations {
			f := make([]float64, width*height)
			th := b.Theta(l)
			switch kind {
			case Morlet:
				b.xi[j] = morletXi0 / dil
				g.morlet(f, env, morletSigma0*dil, b.xi[j], th, 4/float64(orientations))
			case BumpSteerable:
				b.xi[j] = bumpXi0 / dil
				g.bump(f, b.xi[j], th, orientations)
			}
			b.psi[j*orientations+l] = f
		}
	}
	coarse := math.Ldexp(1, scales-1)
	switch kind {
	case Morlet:
		b.sigmaPhi = morletSigma0 * coarse
	case BumpSteerable:
		b.sigmaPhi = bumpPhiScale * coarse / 2
	}
	g.addGaussian(b.phi, 0, 0, b.sigmaPhi*b.sigmaPhi, 0, b.sigmaPhi*b.sigmaPhi)
	return b, nil
}

// MaxDirectionalScales returns the largest J accepted by NewDirectionalBank
// for a width×height image: the largest J with 2^J ≤ min(width, height)/2
// (0 if there is none).
func MaxDirectionalScales(width, height int) int {
	m := min(width, height) / 2
	j := 0
	for m >= 2 {
		m /= 2
		j++
	}
	return j
}

// Kind returns the mother wavelet.
func (b *DirectionalBank) Kind() DirectionalKind { return b.kind }

// Size returns the image width and height.
func (b *DirectionalBank) Size() (width, height int) { return b.width, b.height }

// Scales returns J, the number of wavelet scales j = 0..J−1.
func (b *DirectionalBank) Scales() int { return b.scales }

// Orientations returns L, the number of orientations ℓ = 0..L−1.
func (b *DirectionalBank) Orientations() int { return b.orient }

// Theta returns θ_ℓ = πℓ/L, the orientation of the wavelets with index ℓ,
// in radians from the x axis towards the y axis.
func (b *DirectionalBank) Theta(l int) float64 {
	return math.Pi * float64(l) / float64(b.orient)
}

// Xi returns ξ_j, the radial centre frequency (radians per pixel) of the
// wavelets of scale j: (3π/4)·2^{−j} (Morlet) or 0.85π·2^{−j} (bump). It
// returns NaN when j is out of range.
func (b *DirectionalBank) Xi(j int) float64 {
	if j < 0 || j >= b.scales {
		return math.NaN()
	}
	return b.xi[j]
}

// CentreFrequency returns ξ_j e_{θ_ℓ} = (ξ_j cos θ_ℓ, ξ_j sin θ_ℓ), the
// centre frequency (ω_x, ω_y) of ψ_{j,ℓ}: the peak of the bump-steerable
// wavelet, and the centre of the Morlet wavelet's Gabor part (its peak moves
// slightly towards higher |ω| because of the subtracted envelope). It
// returns NaNs when j or ℓ is out of range.
func (b *DirectionalBank) CentreFrequency(j, l int) (wx, wy float64) {
	if l < 0 || l >= b.orient {
		return math.NaN(), math.NaN()
	}
	xi := b.Xi(j)
	th := b.Theta(l)
	return xi * math.Cos(th), xi * math.Sin(th)
}

// LowPassSigma returns σ_φ, the spatial standard deviation of φ_J, whose
// Fourier transform is φ̂_J(ω) = exp(−σ_φ²|ω|²/2) (periodised).
func (b *DirectionalBank) LowPassSigma() float64 { return b.sigmaPhi }

// Psi returns ψ̂_{j,ℓ}, width·height real values in FFT order (see
// DirectionalBank), or nil when j or ℓ is out of range. The slice is the
// bank's own storage and must not be modified.
func (b *DirectionalBank) Psi(j, l int) []float64 {
	if j < 0 || j >= b.scales || l < 0 || l >= b.orient {
		return nil
	}
	return b.psi[j*b.orient+l]
}

// Phi returns φ̂_J, width·height real values in FFT order. The slice is the
// bank's own storage and must not be modified.
func (b *DirectionalBank) Phi() []float64 { return b.phi }

// Frequency returns the angular frequency ω = (ω_x, ω_y) of FFT index
// i = k_y·width + k_x: (2π k̃_x/width, 2π k̃_y/height) with k̃ the signed
// indices of fourier.SignedIndex, in [−π, π)².
func (b *DirectionalBank) Frequency(i int) (wx, wy float64) {
	return fourier.AngularFrequency(i%b.width, b.width), fourier.AngularFrequency(i/b.width, b.height)
}

// negIndex returns the FFT index of −ω for the FFT index i of ω.
func negIndex(i, width, height int) int {
	kx, ky := i%width, i/width
	return ((height-ky)%height)*width + (width-kx)%width
}

// LittlewoodPaley returns, in FFT order, the Littlewood–Paley function
//
//	A(ω) = |φ̂_J(ω)|² + Σ_{j,ℓ} (|ψ̂_{j,ℓ}(ω)|² + |ψ̂_{j,ℓ}(−ω)|²)/2,
//
// whose minimum and maximum over ω are the frame bounds of the bank for real
// images (see DirectionalBank). It allocates the result.
func (b *DirectionalBank) LittlewoodPaley() []float64 {
	w, h := b.width, b.height
	a := make([]float64, w*h)
	for _, f := range b.psi {
		for i, v := range f {
			a[i] += v * v / 2
		}
	}
	sym := slices.Clone(a)
	for i := range a {
		a[i] += sym[negIndex(i, w, h)] + b.phi[i]*b.phi[i]
	}
	return a
}

// freqGrid evaluates periodised continuous functions on the DFT frequency
// grid of a width×height image. A function F with (effective) support in the
// box [cx−hx, cx+hx]×[cy−hy, cy+hy] is added into f as Σ_p F(ω + 2πp) by
// visiting every unwrapped grid frequency ν = (2πk_x/width, 2πk_y/height),
// k ∈ Z, inside the box and adding F(ν) at index (k_y mod height, k_x mod
// width): the cost is the number of grid points in the box, whatever the
// number of aliases.
type freqGrid struct {
	width, height int
	dx, dy        float64 // grid steps 2π/width, 2π/height
}

func newFreqGrid(width, height int) freqGrid {
	return freqGrid{width: width, height: height,
		dx: 2 * math.Pi / float64(width), dy: 2 * math.Pi / float64(height)}
}

// span returns the integer grid indices k with lo ≤ k·step ≤ hi.
func span(lo, hi, step float64) (int, int) {
	return int(math.Ceil(lo / step)), int(math.Floor(hi / step))
}

func wrap(k, n int) int {
	k %= n
	if k < 0 {
		k += n
	}
	return k
}

// addGaussian adds into f the periodisation of the Gaussian
//
//	F(ν) = exp(−½ (ν−c)ᵀ Q (ν−c)),  Q = [[qxx, qxy], [qxy, qyy]] positive definite,
//
// centred at c = (cx, cy), over the box of Mahalanobis radius gaussCut.
func (g freqGrid) addGaussian(f []float64, cx, cy, qxx, qxy, qyy float64) {
	det := qxx*qyy - qxy*qxy
	hx := gaussCut * math.Sqrt(qyy/det) // √Σxx, Σ = Q⁻¹
	hy := gaussCut * math.Sqrt(qxx/det)
	cut := gaussCut * gaussCut
	x0, x1 := span(cx-hx, cx+hx, g.dx)
	y0, y1 := span(cy-hy, cy+hy, g.dy)
	for ky := y0; ky <= y1; ky++ {
		ey := float64(ky)*g.dy - cy
		row := f[wrap(ky, g.height)*g.width:]
		row = row[:g.width]
		kx := wrap(x0, g.width)
		for k := x0; k <= x1; k++ {
			ex := float64(k)*g.dx - cx
			q := qxx*ex*ex + 2*qxy*ex*ey + qyy*ey*ey
			if q < cut {
				row[kx] += math.Exp(-q / 2)
			}
			if kx++; kx == g.width {
				kx = 0
			}
		}
	}
}

// morlet stores in f the Morlet filter ψ̂ = ĝ − βĝ₀ (see DirectionalBank)
// of width σ, centre frequency ξ e_θ and slant s, using env (len(f)) as
// scratch for ĝ₀.
func (g freqGrid) morlet(f, env []float64, sigma, xi, theta, slant float64) {
	c, s := math.Cos(theta), math.Sin(theta)
	s2, is2 := sigma*sigma, 1/(slant*slant)
	qxx := s2 * (c*c + s*s*is2)
	qxy := s2 * c * s * (1 - is2)
	qyy := s2 * (s*s + c*c*is2)
	clear(f)
	clear(env)
	g.addGaussian(f, xi*c, xi*s, qxx, qxy, qyy)
	g.addGaussian(env, 0, 0, qxx, qxy, qyy)
	beta := f[0] / env[0]
	for i, e := range env {
		f[i] -= beta * e
	}
}

// bumpNorm returns pywph's c = 2^{L−1}(L−1)!/(1.29·√(L·(2(L−1))!)) times √2
// (see DirectionalBank).
func bumpNorm(l int) float64 {
	n := l - 1
	// 2^n n!/√((2n)!) = √(4^n n!²/(2n)!) = 1/√(C(2n, n)/4^n).
	ratio := 1.0 // C(2n, n)/4^n = Π_{i=1}^{n} (2i−1)/(2i)
	for i := 1; i <= n; i++ {
		ratio *= float64(2*i-1) / float64(2*i)
	}
	return math.Sqrt2 / (bumpC0 * math.Sqrt(float64(l)*ratio))
}

// bump adds into f (assumed zero) the periodised bump-steerable filter of
// centre frequency ξ e_θ with L orientations (see DirectionalBank).
func (g freqGrid) bump(f []float64, xi, theta float64, l int) {
	clear(f)
	c := bumpNorm(l)
	ct, st := math.Cos(theta), math.Sin(theta)
	r := 2 * xi
	x0, x1 := span(-r, r, g.dx)
	y0, y1 := span(-r, r, g.dy)
	for ky := y0; ky <= y1; ky++ {
		ny := float64(ky) * g.dy
		row := f[wrap(ky, g.height)*g.width:]
		row = row[:g.width]
		kx := wrap(x0, g.width)
		for k := x0; k <= x1; k++ {
			nx := float64(k) * g.dx
			rho := math.Hypot(nx, ny)
			if rho > 0 && rho < r {
				if v := angularWindow((nx*ct+ny*st)/rho, l); v > 0 {
					d := rho - xi
					row[kx] += c * v * math.Exp(-d*d/(xi*xi-d*d))
				}
			}
			if kx++; kx == g.width {
				kx = 0
			}
		}
	}
}

// angularWindow returns cos^{L−1} for cos = cos(arg ν − θ) > 0, 1/√2 on the
// boundary cos = 0 when L = 1 (so that the squares of the window and of its
// reflection sum to one there, as everywhere else), and 0 otherwise.
func angularWindow(cos float64, l int) float64 {
	switch {
	case cos > 0:
		v := 1.0
		for range l - 1 {
			v *= cos
		}
		return v
	case cos == 0 && l == 1:
		return math.Sqrt2 / 2
	}
	return 0
}

// Tight returns a copy of the bank normalised to a tight frame: every
// filter divided by the square root of the Littlewood–Paley function,
//
//	ψ̂'_{j,ℓ}(ω) = ψ̂_{j,ℓ}(ω)/√A(ω),   φ̂'_J(ω) = φ̂_J(ω)/√A(ω),
//
// so that A'(ω) = |φ̂'_J(ω)|² + Σ_{j,ℓ} (|ψ̂'_{j,ℓ}(ω)|² + |ψ̂'_{j,ℓ}(−ω)|²)/2 = 1
// at every grid frequency (A is even, A(−ω) = A(ω)): the frame bounds are
// 1 and, for a real image, ‖x ⋆ φ'_J‖² + Σ_{j,ℓ} ‖x ⋆ ψ'_{j,ℓ}‖² = ‖x‖²
// (Mallat, "A Wavelet Tour of Signal Processing", 3rd ed., §5.2: a dyadic
// wavelet transform is a tight frame when A is constant). The wavelets keep
// their supports, centres and orientations and ψ̂'(0) = 0; the division
// reshapes them only where A ≠ 1: for the bump-steerable bank it raises
// the finest scale by up to 1/√0.6 ≈ 1.29 in the corners of the frequency
// square (A(π, π) ≈ 0.6 at J = 6, L = 4, 128²), so that the wavelet power
// of the finest octave weighs the corner frequencies as much as the rest;
// for Morlet (A down to 0.055–0.13 on the border of the square) by up to
// 1/√0.055 ≈ 4.3. Where A = 0 (only the Morlet bank with L = 1, on the line
// ω·e_θ = 0) every filter vanishes and stays 0, and so does A'. Tight
// allocates a new bank; the receiver is unchanged.
func (b *DirectionalBank) Tight() *DirectionalBank {
	a := b.LittlewoodPaley()
	t := *b
	t.psi = make([][]float64, len(b.psi))
	t.phi = make([]float64, len(b.phi))
	for i, v := range a {
		if v > 0 {
			a[i] = 1 / math.Sqrt(v)
		}
	}
	for f, src := range b.psi {
		dst := make([]float64, len(src))
		for i, v := range src {
			dst[i] = v * a[i]
		}
		t.psi[f] = dst
	}
	for i, v := range b.phi {
		t.phi[i] = v * a[i]
	}
	t.tight = true
	return &t
}

// IsTight reports whether the bank was made by Tight.
func (b *DirectionalBank) IsTight() bool { return b.tight }
