package compute

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"scalewise/engine/field"
	"scalewise/engine/rg"
)

// RGEngineSource returns the session's source over engine/rg: model loads
// the shipped model for L (weights.RGModel in the page), sides lists the
// sides with a shipped model (weights.RGSides), samples the shipped
// ground-truth samples (assets.Phi4Samples), and fits use rg.Fit with the
// structure (J, stencils, potentials, steps) of the shipped model.
func RGEngineSource(model func(L int) (*rg.Model, error), sides func() []int, samples func(L int) ([]*field.Field, error)) RGSource {
	src := RGSource{Samples: samples, Sides: sides}
	if model != nil {
		src.Model = func(L int) (rgModel, error) {
			m, err := model(L)
			if err != nil {
				return nil, err
			}
			return newEngineModel(m, "shipped")
		}
		src.Fit = func(data []*field.Field, beta float64, progress Progress) (rgModel, error) {
			if len(data) == 0 {
				return nil, fmt.Errorf("no data to fit")
			}
			ref, err := model(data[0].W)
			if err != nil {
				return nil, err
			}
			m, err := fitLike(ref, data, beta, progress)
			if err != nil {
				return nil, err
			}
			return newEngineModel(m, "fitted")
		}
	}
	return src
}

// engineModel adapts *rg.Model to the session.
type engineModel struct {
	m    *rg.Model
	info RGModelInfo
}

func newEngineModel(m *rg.Model, origin string) (*engineModel, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	info := RGModelInfo{L: m.L, J: m.J, Beta: m.Beta}
	for i, sc := range m.Scales {
		name := "x_J"
		if i > 0 {
			name = fmt.Sprintf("j=%d", sc.J)
		}
		info.Stages = append(info.Stages, RGStage{Name: name, J: sc.J, Size: sc.Grid, Steps: sc.Steps})
		info.Calibrated = info.Calibrated || len(sc.Calibration) > 0
	}
	var keys []string
	for k := range m.Provenance {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var prov []string
	for _, k := range keys {
		prov = append(prov, k+": "+m.Provenance[k])
	}
	info.Provenance = origin
	if len(prov) > 0 {
		info.Provenance += "; " + strings.Join(prov, "; ")
	}
	return &engineModel{m: m, info: info}, nil
}

func (e *engineModel) Info() RGModelInfo { return e.info }

// rgKernelPairs are the channel pairs whose kernels the page shows for a
// conditional scale: each band with itself, the bands with each other,
// and x_j with each band (0 = x_j, 1 = H, 2 = V, 3 = D).
var rgKernelPairs = [][2]int{{1, 1}, {2, 2}, {3, 3}, {1, 2}, {1, 3}, {2, 3}, {0, 1}, {0, 2}, {0, 3}}

var rgChannelNames = [4]string{"x", "H", "V", "D"}

// rgPotentialPoints is the number of points of each potential curve.
const rgPotentialPoints = 96

func (e *engineModel) Energies() ([]RGEnergy, error) {
	out := make([]RGEnergy, len(e.m.Scales))
	for i, sc := range e.m.Scales {
		pairs := rgKernelPairs
		if !sc.Conditional {
			pairs = [][2]int{{1, 1}}
		}
		for _, p := range pairs {
			k, err := e.m.Kernel(i, p[0], p[1])
			if err != nil {
				return nil, err
			}
			name := rgChannelNames[p[0]] + "·" + rgChannelNames[p[1]]
			if !sc.Conditional {
				name = "x_J·x_J"
			}
			out[i].Kernels = append(out[i].Kernels, RGKernel{Name: name, C: p[0], D: p[1], W: k.W, H: k.H, Data: k.Data})
		}
		t := make([]float64, rgPotentialPoints)
		for k := range t {
			t[k] = sc.WindowLo + (sc.WindowHi-sc.WindowLo)*float64(k)/float64(len(t)-1)
		}
		v, err := e.m.Potential(i, t)
		if err != nil {
			return nil, err
		}
		out[i].T, out[i].V = t, v
		if out[i].Scat, out[i].ScatIsotropic, err = scaleScat(&e.m.Scales[i]); err != nil {
			return nil, fmt.Errorf("scale %d: %w", i, err)
		}
	}
	return out, nil
}

// toPhi converts a field of normalised coefficients at level `level`
// (x_level, on an (L/2^level)² grid) to the units of φ: the local average
// Mean + Std·x/2^level (the orthonormal low-pass gains a factor 2 per
// level in 2-D).
func (e *engineModel) toPhi(x *field.Field, level int) *field.Field {
	out := field.New(x.W, x.H)
	s := e.m.Std / math.Ldexp(1, level)
	for i, v := range x.Data {
		out.Data[i] = e.m.Mean + s*v
	}
	return out
}

// levelOf returns the wavelet level of a field of side n.
func (e *engineModel) levelOf(n int) int {
	l := 0
	for n < e.m.L && n > 0 {
		n *= 2
		l++
	}
	return l
}

// fitLike refits a model with the structure of ref (J, sigmoid counts and
// widths, stencils, steps, symmetry) to data by score matching alone
// (rg.Fit without calibration rounds).
func fitLike(ref *rg.Model, data []*field.Field, beta float64, progress Progress) (*rg.Model, error) {
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	specs := make([]rg.ScaleSpec, len(ref.Scales))
	for i, sc := range ref.Scales {
		K := len(sc.Centres)
		w := 1.0
		if K > 1 {
			lo, hi := sc.Centres[0], sc.Centres[0]
			for _, c := range sc.Centres {
				lo, hi = math.Min(lo, c), math.Max(hi, c)
			}
			if hi > lo {
				w = sc.Width / ((hi - lo) / float64(K-1))
			}
		}
		specs[i] = rg.ScaleSpec{Sigmoids: K, Stencil: sc.Stencil, Width: w, Steps: sc.Steps}
	}
	var pr func(stage string, done, total int)
	if progress != nil {
		pr = func(stage string, done, total int) { progress(done, total, "fitting "+stage) }
	}
	// Score matching only: the moment-matching calibration rounds that may
	// follow it (rg.FitOptions.Calibration) run thousands of MALA chains
	// and take minutes in a browser.
	return rg.Fit(data, rg.FitOptions{Beta: beta, J: ref.J, Specs: specs, Symmetric: ref.Provenance["symmetric"] == "true", Calibration: -1}, pr)
}

func (e *engineModel) NewSampler(seed uint64) (rgSampler, error) {
	s, err := e.m.NewSampler(rg.SampleOptions{Seed: seed})
	if err != nil {
		return nil, err
	}
	return &engineSampler{e: e, s: s}, nil
}

// engineSampler adapts *rg.Sampler to the session: fields in the units of
// φ, work in whole-lattice gradients.
type engineSampler struct {
	e *engineModel
	s *rg.Sampler
}

func (s *engineSampler) Step(k int) error {
	s.s.Step(k)
	return s.s.Err()
}

func (s *engineSampler) Done() bool { return s.s.Done() }

func (s *engineSampler) Phase() (stage, step int) {
	i, t, _ := s.s.Phase()
	return i, t
}

func (s *engineSampler) Current() *field.Field {
	x := s.s.Current()
	return s.e.toPhi(x, s.e.levelOf(x.W))
}

func (s *engineSampler) Field() *field.Field { return s.s.Field() }

func (s *engineSampler) Hierarchy() ([]*field.Field, [][3]*field.Field) {
	p := s.s.Hierarchy()
	approx := make([]*field.Field, len(p.Approx))
	for j, x := range p.Approx {
		if x != nil {
			approx[j] = s.e.toPhi(x, j)
		}
	}
	return approx, p.Details
}

func (s *engineSampler) Acceptance() []float64 { return s.s.Acceptance() }

func (s *engineSampler) Work() (float64, float64) {
	w := s.s.Work()
	return w.LatticeGradEvals, w.Seconds
}
