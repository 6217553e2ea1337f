package compute

import (
	"errors"
	"fmt"
	"math"
	"time"

	"scalewise/engine/field"
	"scalewise/engine/scattering"
	"scalewise/engine/wavelet"
	"scalewise/ui/protocol"
)

// Analyse returns the panels of r: the field, the filter bank in the
// Fourier plane, |x ⋆ ψ_{j,k}|, the second transforms
// | |x ⋆ ψ_{j,k}| ⋆ ψ_{ℓ,k⊥} | for ℓ = j+1 … j+3 (those below J), the
// directional regularity D(j, k, j′) for j′ = j … J−1 with its fitted
// exponent, and the scattering spectra (S1 and S2 per scale and
// orientation; the isotropic S3 and S4) with the coefficient counts.
func (s *ScatSession) Analyse(r ScatRequest, progress Progress) (*Frames, error) {
	progress = quiet(progress)
	if err := checkScatRequest(&r); err != nil {
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
	v := &protocol.ScatAnalyseValues{
		Kind: protocol.KindAnalysis, Field: r.Field, Desc: fld.desc, Note: fld.note,
		N: n, J: J, L: L, Sj: j, Sk: k, Wavelet: r.Kind, By: r.By,
	}
	fr := NewFrames("scattering", v)
	kp, err := scattering.Perpendicular(bank, k)
	if err != nil {
		return nil, err
	}
	v.Kperp = kp
	v.ThetaDeg = 180 * bank.Theta(k) / math.Pi
	v.Xi = bank.Xi(j)
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
	v.BankRes = side

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
	v.ModulusMax = mmax
	s1, err := s.mt.ModulusMean(j, k)
	if err != nil {
		return nil, err
	}
	v.S1jk = s1
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
		if err := fr.AddField(fmt.Sprintf("a/second/%d", len(v.Second)), sf, field.Perceptual, 0, m); err != nil {
			return nil, err
		}
		v.Second = append(v.Second, protocol.ScatSecond{JP: jp, Max: m})
	}
	if jps := scatJPrimes(j, J); len(jps) >= 2 {
		reg, err := s.mt.DirectionalRegularity(j, k, jps)
		if err != nil && !errors.Is(err, scattering.ErrUndefinedSlope) {
			return nil, err
		}
		lg := make([]float64, len(reg.D))
		for i, d := range reg.D {
			lg[i] = math.Log2(d)
		}
		v.Regularity = &protocol.ScatRegularity{
			JPrimes: reg.JPrimes, Log2D: sig(lg), Fitted: reg.Fitted,
			Slope: reg.Slope, Intercept: reg.Intercept, R2: reg.R2,
			Bound: scattering.RegularityBoundExponent,
		}
	}

	progress(3, 4, "the scattering spectra")
	if err := s.spectra(r, fr, v); err != nil {
		return nil, err
	}
	v.Ms = float64(time.Since(t0).Microseconds()) / 1000
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
func (s *ScatSession) spectra(r ScatRequest, fr *Frames, v *protocol.ScatAnalyseValues) error {
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
	v.Counts = map[string]map[string]int{}
	for _, f := range []scattering.Form{scattering.Isotropic, scattering.Full} {
		c := map[string]int{"total": sp.Count(f)}
		for _, g := range sp.Groups(f) {
			c[g.Name] = g.End - g.Start
		}
		v.Counts[f.String()] = c
	}
	v.Mean = sp.Mean
	for _, g := range sp.Groups(scattering.Isotropic) {
		if g.Name != "S3" && g.Name != "S4" || g.End <= g.Start {
			continue
		}
		if err := fr.AddSeries("a/"+map[string]string{"S3": "s3", "S4": "s4"}[g.Name], iso[g.Start:g.End]); err != nil {
			return err
		}
	}
	t3, t4 := scatTicks(r.J, r.L)
	v.S3Ticks, v.S4Ticks = t3, t4
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
