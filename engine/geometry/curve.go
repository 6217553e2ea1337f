package geometry

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Point is a point of the image plane in pixel units: (0, 0) is the top-left
// corner of the image, X grows to the right and Y downwards, and pixel
// (i, j) (column i, row j) has its centre at (i + ½, j + ½).
type Point struct{ X, Y float64 }

// Limits on curves.
const (
	// MaxCurvePoints bounds the number of points of a curve given to or
	// returned by the functions of this package.
	MaxCurvePoints = 1 << 20
	// MaxCoordinate bounds |X| and |Y| of every point, and the size given to
	// SmoothCurve, so that squared distances stay far from overflow.
	MaxCoordinate = 1e6
)

// curveStream is the second PCG seed word of SmoothCurve.
const curveStream = 0x536d6f6f74684376 // "SmoothCv"

// Parameters of the random curves of SmoothCurve.
const (
	// curveHarmonics is the number K of Fourier harmonics of a random curve.
	curveHarmonics = 12
	// curveDecay is the decay exponent γ of the harmonic amplitudes k^(−γ).
	curveDecay = 2
)

// SmoothCurve returns n points sampled densely along a random smooth curve in
// a size×size image, determined by seed.
//
// A closed curve (closed = true) is star-shaped about a centre c drawn in the
// middle 30 % of the image: in polar coordinates about c,
//
//	r(θ) = r₀·(1 + ρ(θ)),   ρ(θ) = Σ_{k=1..K} a_k cos kθ + b_k sin kθ,
//
// with a_k, b_k ~ N(0, k^(−2γ)), K = 12, γ = 2, ρ rescaled so that
// max_i |ρ(θ_i)| = A with A ~ U(0.1, 0.5), and r₀ ~ U(0.15, 0.3)·size reduced
// when needed so that r₀(1 + A) stays at least min(1, d/20) pixel inside the
// border (d the distance from c to the border). Since r > 0 the curve is simple.
// The points are θ_i = 2πi/n, i = 0..n−1; the closing segment from the last
// point to the first is implied (it is not repeated).
//
// An open curve (closed = false) is a random line through a point p₀ of the
// middle half of the image, with direction u at a uniform angle, perturbed
// along the normal ν = (−u_y, u_x):
//
//	P(t) = p₀ + t·u + q(s)·ν,   q(s) = Σ_{k=1..K} c_k sin(kπs),   s = (t + L)/(2L),
//
// for t ∈ [−L, L] with L = √2·size, c_k ~ N(0, k^(−2γ)) and q rescaled so
// that max_i |q| = A·size with A ~ U(0.05, 0.25). Both ends lie on the line
// at distance √2·size from p₀, outside the image, so the curve crosses the
// image; being the graph of q over the line, it does not self-intersect. The
// points are t_i = −L + 2L·i/(n − 1), i = 0..n−1.
//
// n must be at least 3 (closed) or 2 (open) and at most MaxCurvePoints; size
// must be finite, positive and at most MaxCoordinate.
func SmoothCurve(seed uint64, n int, size float64, closed bool) ([]Point, error) {
	minN := 2
	if closed {
		minN = 3
	}
	if n < minN || n > MaxCurvePoints {
		return nil, fmt.Errorf("geometry: %d curve points outside [%d, %d]", n, minN, MaxCurvePoints)
	}
	if math.IsNaN(size) || !(size > 0 && size <= MaxCoordinate) {
		return nil, fmt.Errorf("geometry: curve image size %v outside (0, %g]", size, float64(MaxCoordinate))
	}
	rng := rand.New(rand.NewPCG(seed, curveStream))
	if closed {
		return closedCurve(rng, n, size), nil
	}
	return openCurve(rng, n, size), nil
}

// harmonicAmplitudes returns K i.i.d. N(0, k^(−2γ)) amplitudes, k = 1..K.
func harmonicAmplitudes(rng *rand.Rand) []float64 {
	c := make([]float64, curveHarmonics)
	for i := range c {
		c[i] = rng.NormFloat64() * math.Pow(float64(i+1), -curveDecay)
	}
	return c
}

// normalizeMaxAbs scales v in place so that max |v| = a (v unchanged if it is
// identically zero).
func normalizeMaxAbs(v []float64, a float64) {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	if m == 0 {
		return
	}
	for i := range v {
		v[i] *= a / m
	}
}

// closedCurve implements the closed case of SmoothCurve.
func closedCurve(rng *rand.Rand, n int, size float64) []Point {
	cx := size * (0.35 + 0.3*rng.Float64())
	cy := size * (0.35 + 0.3*rng.Float64())
	r0 := size * (0.15 + 0.15*rng.Float64())
	amp := 0.1 + 0.4*rng.Float64()
	a := harmonicAmplitudes(rng)
	b := harmonicAmplitudes(rng)

	d := math.Min(math.Min(cx, size-cx), math.Min(cy, size-cy))
	margin := math.Min(1, d/20)
	r0 = math.Min(r0, (d-margin)/(1+amp))

	theta := make([]float64, n)
	rho := make([]float64, n)
	for i := range rho {
		theta[i] = 2 * math.Pi * float64(i) / float64(n)
		for k := range a {
			kt := float64(k+1) * theta[i]
			rho[i] += a[k]*math.Cos(kt) + b[k]*math.Sin(kt)
		}
	}
	normalizeMaxAbs(rho, amp)
	pts := make([]Point, n)
	for i := range pts {
		r := r0 * (1 + rho[i])
		pts[i] = Point{cx + r*math.Cos(theta[i]), cy + r*math.Sin(theta[i])}
	}
	return pts
}

// openCurve implements the open case of SmoothCurve.
func openCurve(rng *rand.Rand, n int, size float64) []Point {
	px := size * (0.25 + 0.5*rng.Float64())
	py := size * (0.25 + 0.5*rng.Float64())
	phi := 2 * math.Pi * rng.Float64()
	amp := size * (0.05 + 0.2*rng.Float64())
	c := harmonicAmplitudes(rng)

	ux, uy := math.Cos(phi), math.Sin(phi)
	half := math.Sqrt2 * size
	t := make([]float64, n)
	q := make([]float64, n)
	for i := range q {
		s := float64(i) / float64(n-1)
		t[i] = half * (2*s - 1)
		for k, ck := range c {
			q[i] += ck * math.Sin(float64(k+1)*math.Pi*s)
		}
	}
	normalizeMaxAbs(q, amp)
	pts := make([]Point, n)
	for i := range pts {
		pts[i] = Point{px + t[i]*ux - q[i]*uy, py + t[i]*uy + q[i]*ux}
	}
	return pts
}

// Resample returns points at equal arc length step (in pixels) along the
// polyline pts: pts[0], then the points at arc length step, 2·step, … strictly
// before the end, and finally the last point of pts, so that consecutive
// output points are step apart along the polyline except the last pair, which
// is at most step apart. A drawing tool uses it to join fast mouse moves
// without gaps; to resample a closed curve, append pts[0] first.
//
// Special cases: an empty pts gives nil; a polyline of zero length (all
// points equal) gives its first point; a step that is not finite and positive
// gives a copy of pts; a step so small that more than MaxCurvePoints points
// would result is increased to length/(MaxCurvePoints − 1). Non-finite
// coordinates propagate into the result (the mask functions reject them).
func Resample(pts []Point, step float64) []Point {
	if len(pts) == 0 {
		return nil
	}
	if math.IsNaN(step) || math.IsInf(step, 0) || step <= 0 {
		return append([]Point(nil), pts...)
	}
	total := 0.0
	for i := 1; i < len(pts); i++ {
		total += dist(pts[i-1], pts[i])
	}
	if !(total > 0) || math.IsInf(total, 0) {
		if total == 0 {
			return []Point{pts[0]}
		}
		return append([]Point(nil), pts...)
	}
	if total/step > MaxCurvePoints-2 {
		step = total / (MaxCurvePoints - 2)
	}
	out := []Point{pts[0]}
	k := 1
	// walked is the arc length at the start of segment i−1 → i.
	walked := 0.0
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		seg := dist(a, b)
		for seg > 0 {
			s := float64(k) * step
			if s >= total-1e-9*step || s > walked+seg {
				break
			}
			f := (s - walked) / seg
			out = append(out, Point{a.X + f*(b.X-a.X), a.Y + f*(b.Y-a.Y)})
			k++
		}
		walked += seg
	}
	return append(out, pts[len(pts)-1])
}

// dist returns the Euclidean distance between a and b.
func dist(a, b Point) float64 { return math.Hypot(b.X-a.X, b.Y-a.Y) }

// checkPoints returns an error unless pts has between 1 and MaxCurvePoints
// points, all with finite coordinates of absolute value at most MaxCoordinate.
func checkPoints(pts []Point) error {
	if len(pts) == 0 || len(pts) > MaxCurvePoints {
		return fmt.Errorf("geometry: %d curve points outside [1, %d]", len(pts), MaxCurvePoints)
	}
	for i, p := range pts {
		if math.IsNaN(p.X) || math.IsNaN(p.Y) || !(math.Abs(p.X) <= MaxCoordinate && math.Abs(p.Y) <= MaxCoordinate) {
			return fmt.Errorf("geometry: curve point %d = (%v, %v) is not finite or exceeds %g in absolute value", i, p.X, p.Y, float64(MaxCoordinate))
		}
	}
	return nil
}
