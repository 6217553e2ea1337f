package compute

import (
	"errors"
	"fmt"
	"io"
	"math"

	"scalewise/engine/data"
	"scalewise/engine/field"
	"scalewise/engine/geometry"
	"scalewise/engine/wavelet"
	"scalewise/ui/protocol"
)

// ScalesRequest selects the image and the wavelet decomposition of the
// Scales scene (package protocol).
type ScalesRequest = protocol.ScalesRequest

// ScalesSizes are the image sizes the Scales scene offers.
var ScalesSizes = [...]int{32, 64, 128, 256}

// SourceImage returns the image a request names; mnist returns the
// sprite of MNIST test digits (in the page, assets.MNISTDigits; nil: the
// build has none).
func SourceImage(r ScalesRequest, mnist func() io.Reader) (*field.Field, string, error) {
	switch r.Image {
	case "calpha":
		ok := false
		for _, s := range ScalesSizes {
			ok = ok || r.Size == s
		}
		if !ok {
			return nil, "", fmt.Errorf("size %d is not offered (choose 32, 64, 128 or 256)", r.Size)
		}
		m, err := geometry.ParseCAlphaMethod(r.Method)
		if err != nil {
			return nil, "", err
		}
		x, err := geometry.CAlpha(geometry.CAlphaOptions{Size: r.Size, Alpha: r.Alpha, Method: m, Seed: r.Seed})
		if err != nil {
			return nil, "", err
		}
		return x, fmt.Sprintf("C^alpha image, alpha=%g, seed %d (%s generator)", r.Alpha, r.Seed, r.Method), nil
	case "mnist":
		if mnist == nil {
			return nil, "", errors.New("this build ships no MNIST digits")
		}
		s, err := data.DecodeSprite(mnist())
		if err != nil {
			return nil, "", err
		}
		i := int(r.Seed % uint64(s.N))
		x, label, err := s.Digit(i)
		if err != nil {
			return nil, "", err
		}
		return x, fmt.Sprintf("MNIST test digit %d (label %d), padded 28→32", i, label), nil
	}
	return nil, "", fmt.Errorf("unknown image %q (choose calpha or mnist)", r.Image)
}

// Scales computes every panel of the Scales scene: the input x; for each
// scale j = 0 … J the projection P_{V_j} x on the approximation space shown at
// full size, the coefficients x_j, the detail bands x̄_j = (H, V, D) for
// j ≥ 1 and the Fourier-plane band picture; and the Mallat layout. Values
// report the relative reconstruction error ‖x − W⁻¹Wx‖/‖x‖, the relative
// energy error |‖Wx‖² − ‖x‖²|/‖x‖² and the share of ‖x‖² carried by each
// scale's details and by x_J (Mallat, A Wavelet Tour of Signal Processing,
// §7.7). mnist is the source of MNIST digits (see SourceImage).
func Scales(r ScalesRequest, mnist func() io.Reader, progress Progress) (*Frames, error) {
	progress = quiet(progress)
	x, desc, err := SourceImage(r, mnist)
	if err != nil {
		return nil, err
	}
	if err := x.CheckFinite(); err != nil {
		return nil, err
	}
	w, err := wavelet.ByName(r.Wavelet)
	if err != nil {
		return nil, err
	}
	if maxJ := wavelet.MaxLevels(x.W, x.H); r.J < 1 || r.J > maxJ {
		return nil, fmt.Errorf("J=%d is out of range for a %d×%d image (1 … %d)", r.J, x.W, x.H, maxJ)
	}
	J := r.J
	total := 3 + 2*(J+1)
	done := 0
	step := func(stage string) { done++; progress(done, total, stage) }

	p, err := wavelet.Decompose(w, x, J)
	if err != nil {
		return nil, err
	}
	rec, err := p.Reconstruct()
	if err != nil {
		return nil, err
	}
	step("transform")

	v := &protocol.ScalesValues{}
	fr := NewFrames("scales", v)
	xlo, xhi := field.Gray.Limits(x)
	if err := fr.AddField("x", x, field.Gray, xlo, xhi); err != nil {
		return nil, err
	}
	energy := x.Energy()
	diff := 0.0
	for i, v := range x.Data {
		d := v - rec.Data[i]
		diff += d * d
	}
	coefEnergy := 0.0
	detailShare := make([]float64, J+1)
	detailLimit := make([]float64, J+1)
	for j := 1; j <= J; j++ {
		e, m := 0.0, 0.0
		for _, b := range p.Details[j] {
			e += b.Energy()
			for _, v := range b.Data {
				m = math.Max(m, math.Abs(v))
			}
		}
		coefEnergy += e
		detailShare[j] = e / math.Max(energy, math.SmallestNonzeroFloat64)
		if m == 0 {
			m = 1
		}
		detailLimit[j] = m
	}
	coefEnergy += p.Approx[J].Energy()
	relErr := 0.0
	energyErr := 0.0
	if energy > 0 {
		relErr = math.Sqrt(diff / energy)
		energyErr = math.Abs(coefEnergy-energy) / energy
	}
	sizes := make([]int, J+1)
	for j := 0; j <= J; j++ {
		sizes[j] = p.Approx[j].W
	}
	*v = protocol.ScalesValues{
		Description: desc, N: x.W, J: J, Wavelet: w.Name, Taps: len(w.Lo), Moments: w.VanishingMoments(),
		ReconRelErr: relErr, EnergyRelErr: energyErr, DetailShare: detailShare,
		ApproxShare: p.Approx[J].Energy() / math.Max(energy, math.SmallestNonzeroFloat64),
		Sizes:       sizes,
	}
	step("energies")

	for j := 0; j <= J; j++ {
		proj, err := p.Projection(j)
		if err != nil {
			return nil, err
		}
		if err := fr.AddField(fmt.Sprintf("proj/%d", j), proj, field.Gray, xlo, xhi); err != nil {
			return nil, err
		}
		c := p.Approx[j]
		lo, hi := field.Gray.Limits(c)
		if err := fr.AddField(fmt.Sprintf("coef/%d", j), c, field.Gray, lo, hi); err != nil {
			return nil, err
		}
		if j >= 1 {
			for b, name := range [3]string{"H", "V", "D"} {
				if err := fr.AddField(fmt.Sprintf("%s/%d", name, j), p.Details[j][b], field.Diverging, -detailLimit[j], detailLimit[j]); err != nil {
					return nil, err
				}
			}
		}
		step(fmt.Sprintf("scale %d", j))
	}

	mallat, err := MallatRGBA(p, xlo, xhi, detailLimit)
	if err != nil {
		return nil, err
	}
	if err := fr.AddRGBA("mallat", x.W, x.H, mallat); err != nil {
		return nil, err
	}
	step("mallat")

	bm, err := wavelet.BandSpectrum(w, x.W, J)
	if err != nil {
		return nil, err
	}
	for j := 0; j <= J; j++ {
		if err := fr.AddRGBA(fmt.Sprintf("fourier/%d", j), bm.N, bm.N, FourierRGBA(bm, j)); err != nil {
			return nil, err
		}
		step(fmt.Sprintf("Fourier plane %d", j))
	}
	return fr, nil
}

// MallatRGBA renders the Mallat layout of p: x_J in gray over the limits of
// x scaled by 2^J (the orthonormal low-pass gains 2 per level in 2-D), and
// the detail bands of each level in the diverging colormap with that level's
// symmetric limit, so that every level is visible.
func MallatRGBA(p *wavelet.Pyramid, xlo, xhi float64, detailLimit []float64) ([]byte, error) {
	W, H := p.W, p.H
	out := make([]byte, 4*W*H)
	paste := func(f *field.Field, x0, y0 int, c field.Colormap, lo, hi float64) error {
		buf := make([]byte, 4*f.W*f.H)
		if err := field.RenderRGBA(buf, f, c, lo, hi); err != nil {
			return err
		}
		for y := 0; y < f.H; y++ {
			copy(out[4*((y0+y)*W+x0):], buf[4*y*f.W:4*(y+1)*f.W])
		}
		return nil
	}
	J := p.Levels
	lo, hi := field.Gray.Limits(p.Approx[J])
	if err := paste(p.Approx[J], 0, 0, field.Gray, lo, hi); err != nil {
		return nil, err
	}
	for j := 1; j <= J; j++ {
		d := p.Details[j]
		w, h := d[0].W, d[0].H
		m := detailLimit[j]
		// Layout documented in engine/wavelet: V top-right, H bottom-left, D bottom-right.
		for _, q := range []struct {
			f      *field.Field
			x0, y0 int
		}{{d[1], w, 0}, {d[0], 0, h}, {d[2], w, h}} {
			if err := paste(q.f, q.x0, q.y0, field.Diverging, -m, m); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
