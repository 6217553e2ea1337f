package rg

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"scalewise/engine/field"
	"scalewise/engine/wavelet"
)

// SampleOptions configures a Sampler.
type SampleOptions struct {
	// Seed seeds the chain's random numbers (PCG).
	Seed uint64
	// Steps is the number of MALA steps per factor in the order of
	// Model.Scales; nil uses each Scale.Steps.
	Steps []int
	// Warmup is the fraction of each factor's steps during which the step
	// h adapts (then it is fixed); 0 means 0.5.
	Warmup float64
}

// Work counts the work of sampling (PRX 13, 041038, §4.5 and §4.7).
type Work struct {
	// GradEvals is the number of energy-and-gradient evaluations at any
	// grid (one per MALA step, plus one per factor to start).
	GradEvals int64 `json:"grad_evals"`
	// LatticeGradEvals counts an evaluation on a field of N×N as (N/L)²
	// whole-lattice gradient evaluations (N the grid of x_{j−1}).
	LatticeGradEvals float64 `json:"lattice_grad_evals"`
	// Seconds is the time spent in Step.
	Seconds float64 `json:"seconds"`
}

func (w *Work) add(o Work) {
	w.GradEvals += o.GradEvals
	w.LatticeGradEvals += o.LatticeGradEvals
	w.Seconds += o.Seconds
}

// compiledModel is the read-only form of a model shared by chains.
type compiledModel struct {
	m     *Model
	wv    *wavelet.Wavelet
	sc    []*compiled
	steps []int
	warm  []int
}

func (m *Model) compileAll(o SampleOptions) (*compiledModel, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	wv, err := wavelet.ByName(m.Wavelet)
	if err != nil {
		return nil, err
	}
	cm := &compiledModel{m: m, wv: wv}
	if o.Steps != nil && len(o.Steps) != len(m.Scales) {
		return nil, fmt.Errorf("rg: %d step counts for %d scales", len(o.Steps), len(m.Scales))
	}
	wf := o.Warmup
	if wf == 0 {
		wf = 0.5
	}
	if !(wf >= 0 && wf <= 1) {
		return nil, fmt.Errorf("rg: warm-up fraction %v must be in [0, 1]", o.Warmup)
	}
	for i := range m.Scales {
		cm.sc = append(cm.sc, compileWith(&m.Scales[i], wv))
		n := m.Scales[i].Steps
		if o.Steps != nil {
			n = o.Steps[i]
		}
		if n < 1 || n > maxSteps {
			return nil, fmt.Errorf("rg: %d steps for scale %d (want 1..%d)", n, i, maxSteps)
		}
		cm.steps = append(cm.steps, n)
		cm.warm = append(cm.warm, int(math.Round(wf*float64(n))))
	}
	return cm, nil
}

// Sampler draws one field from a Model by MALA, coarse to fine (PRX 13,
// 041038, §4.5): x_J from E_J starting at 0, then for j = J..1, x̄_j from
// Ē_j(· | x_j) starting at x̄_j = 0 and x_{j−1} = W⁻¹(x_j, x̄_j); finally
// φ = Std·x_0 + Mean. Each factor runs its number of steps; during the
// first Warmup fraction of them h adapts towards Scale.TargetAccept and is
// then fixed. It is an iterator, for running bounded slices:
//
//	s, _ := m.NewSampler(SampleOptions{Seed: 1})
//	for !s.Done() { s.Step(10); draw(s.Current()) }
//	phi := s.Field()
//
// A Sampler must not be used by several goroutines at once.
type Sampler struct {
	cm    *compiledModel
	rng   *rand.Rand
	evs   []*evaluator
	i, t  int
	ch    *chain
	ad    adapter
	acc   []int
	prop  []int
	hs    []float64
	pyr   *wavelet.Pyramid
	cur   *field.Field
	final *field.Field
	work  Work
	err   error
	lev   *level // for Current
	x     []float64
	proj  *projector // of Current at the finest factor of a band-limited model
}

// NewSampler returns a sampler of m; see Sampler and SampleOptions.
func (m *Model) NewSampler(o SampleOptions) (*Sampler, error) {
	cm, err := m.compileAll(o)
	if err != nil {
		return nil, err
	}
	return cm.newSampler(o.Seed)
}

func (cm *compiledModel) newSampler(seed uint64) (*Sampler, error) {
	m := cm.m
	s := &Sampler{cm: cm, rng: rand.New(rand.NewPCG(seed, 0xda942042e4dd58b5)),
		acc: make([]int, len(cm.sc)), prop: make([]int, len(cm.sc)), hs: make([]float64, len(cm.sc))}
	for _, c := range cm.sc {
		ev, err := newEvaluator(c, cm.wv)
		if err != nil {
			return nil, err
		}
		s.evs = append(s.evs, ev)
	}
	s.pyr = &wavelet.Pyramid{Wavelet: cm.wv, W: m.L, H: m.L, Levels: m.J,
		Approx: make([]*field.Field, m.J+1), Details: make([][3]*field.Field, m.J+1)}
	s.startScale(0)
	return s, nil
}

func (s *Sampler) startScale(i int) {
	s.i, s.t = i, 0
	c := s.cm.sc[i]
	s.ch = newChain(s.evs[i], s.rng)
	var cond []float64
	if c.cond {
		j := s.cm.m.Scales[i].J
		cond = s.pyr.Approx[j].Data
		s.lev = s.evs[i].lev
	} else {
		s.lev = nil
	}
	t0 := time.Now()
	s.ch.start(cond, nil)
	s.ch.h = s.cm.m.Scales[i].StepSize
	s.ad = adapter{logh: math.Log(s.ch.h), target: s.cm.m.Scales[i].TargetAccept}
	s.account(i, 1, time.Since(t0))
	s.cur = field.New(c.N, c.N)
	s.x = s.cur.Data
}

func (s *Sampler) account(i int, evals int64, d time.Duration) {
	N := float64(s.cm.sc[i].N)
	L := float64(s.cm.m.L)
	s.work.GradEvals += evals
	s.work.LatticeGradEvals += float64(evals) * (N / L) * (N / L)
	s.work.Seconds += d.Seconds()
}

// finishScale stores the result of factor i in the hierarchy.
func (s *Sampler) finishScale(i int) {
	c := s.cm.sc[i]
	sc := &s.cm.m.Scales[i]
	s.hs[i] = s.ch.h
	if !c.cond {
		s.pyr.Approx[sc.J] = field.New(c.n, c.n)
		copy(s.pyr.Approx[sc.J].Data, s.ch.u[1])
		return
	}
	var d [3]*field.Field
	for b := range 3 {
		d[b] = field.New(c.n, c.n)
		copy(d[b].Data, s.ch.u[b+1])
	}
	s.pyr.Details[sc.J] = d
	x := field.New(c.N, c.N)
	s.lev.synthesise(&s.ch.u, x.Data)
	s.pyr.Approx[sc.J-1] = x
}

// Done reports whether every factor has been sampled.
func (s *Sampler) Done() bool { return s.final != nil || s.err != nil }

// Err returns the error that stopped the sampler, if any.
func (s *Sampler) Err() error { return s.err }

// Step runs up to k MALA steps, moving on to the next (finer) factor when
// one is finished, and returns the number of steps run.
func (s *Sampler) Step(k int) int {
	ran := 0
	t0 := time.Now()
	var ev0 int64
	if s.ch != nil {
		ev0 = s.ch.evals
	}
	flush := func() {
		s.account(s.i, s.ch.evals-ev0, time.Since(t0))
		t0 = time.Now()
	}
	for ; ran < k && !s.Done(); ran++ {
		accepted, a := s.ch.step()
		if s.t < s.cm.warm[s.i] {
			s.ch.h = s.ad.update(a)
		} else {
			s.prop[s.i]++
			if accepted {
				s.acc[s.i]++
			}
		}
		s.t++
		if s.t < s.cm.steps[s.i] {
			continue
		}
		flush()
		s.finishScale(s.i)
		if s.i+1 == len(s.cm.sc) {
			m := s.cm.m
			if b := m.BandLimit; b != nil {
				pr, err := newProjector(m.L, b.MaxK)
				if err != nil {
					s.err = err
					return ran + 1
				}
				pr.project(s.pyr.Approx[0].Data)
			}
			s.final = field.New(m.L, m.L)
			for p, v := range s.pyr.Approx[0].Data {
				s.final.Data[p] = m.Std*v + m.Mean
			}
			if k := allFinite(s.final.Data); k >= 0 {
				s.err = fmt.Errorf("rg: sampled field is not finite at %d", k)
			}
			return ran + 1
		}
		s.startScale(s.i + 1)
		ev0 = s.ch.evals
		t0 = time.Now()
	}
	if !s.Done() {
		flush()
	}
	return ran
}

// Phase returns the index i of the factor being sampled (into
// Model.Scales: 0 for x_J, then j = J+1−i), the steps done at it and its
// total number of steps. When Done, it returns (len(Scales), 0, 0).
func (s *Sampler) Phase() (i, step, total int) {
	if s.Done() {
		return len(s.cm.sc), 0, 0
	}
	return s.i, s.t, s.cm.steps[s.i]
}

// Current returns the current finest reconstructed field in normalised
// units: x_{j−1} = W⁻¹(x_j, x̄_j) while factor j is sampled, x_J while the
// coarsest factor is, and x_0 when Done (for a model with a BandLimit,
// x_0 projected onto the retained modes, also while the finest factor is
// sampled). The field is owned by the
// sampler and overwritten by the next call.
func (s *Sampler) Current() *field.Field {
	if s.Done() {
		return s.pyr.Approx[0]
	}
	if s.lev != nil {
		s.lev.synthesise(&s.ch.u, s.x)
	} else {
		copy(s.x, s.ch.u[1])
	}
	if b := s.cm.m.BandLimit; b != nil && s.i == len(s.cm.sc)-1 {
		// The finest factor's field, projected as the result will be.
		if s.proj == nil {
			pr, err := newProjector(s.cm.m.L, b.MaxK)
			if err != nil {
				return s.cur
			}
			s.proj = pr
		}
		s.proj.project(s.x)
	}
	return s.cur
}

// Field returns the sampled field in φ units, Std·x_0 + Mean, once Done
// (nil before). For a model with a BandLimit, x_0 (here and in Hierarchy)
// is projected onto the retained Fourier modes.
func (s *Sampler) Field() *field.Field { return s.final }

// Hierarchy returns the finished part of the sampled pyramid in
// normalised units (copies): Approx[j] = x_j and Details[j] = (H_j, V_j,
// D_j) for every finished level, nil elsewhere; Approx[0] = x_0 once Done.
func (s *Sampler) Hierarchy() *wavelet.Pyramid {
	p := &wavelet.Pyramid{Wavelet: s.pyr.Wavelet, W: s.pyr.W, H: s.pyr.H, Levels: s.pyr.Levels,
		Approx: make([]*field.Field, len(s.pyr.Approx)), Details: make([][3]*field.Field, len(s.pyr.Details))}
	for j, f := range s.pyr.Approx {
		if f != nil {
			p.Approx[j] = f.Clone()
		}
	}
	for j, d := range s.pyr.Details {
		for b, f := range d {
			if f != nil {
				p.Details[j][b] = f.Clone()
			}
		}
	}
	return p
}

// Acceptance returns, per factor (Model.Scales order), the fraction of
// accepted MALA moves after the warm-up (NaN where none was made yet).
func (s *Sampler) Acceptance() []float64 {
	out := make([]float64, len(s.acc))
	for i := range out {
		out[i] = math.NaN()
		if s.prop[i] > 0 {
			out[i] = float64(s.acc[i]) / float64(s.prop[i])
		}
	}
	return out
}

// StepSizes returns, per factor, the MALA step h in use at its end (the
// adapted value; 0 for factors not finished).
func (s *Sampler) StepSizes() []float64 { return append([]float64(nil), s.hs...) }

// Work returns the work done so far.
func (s *Sampler) Work() Work { return s.work }

// SampleStats summarises Model.Sample.
type SampleStats struct {
	// N is the number of fields.
	N int `json:"n"`
	// Acceptance and StepSize are per factor, averaged over chains
	// (acceptance after the warm-up; 0 if no chain made a move after it).
	Acceptance []float64 `json:"acceptance"`
	StepSize   []float64 `json:"step_size"`
	// Work is the total over chains (Seconds: summed chain time).
	Work Work `json:"work"`
	// WallSeconds is the elapsed time of Sample.
	WallSeconds float64 `json:"wall_seconds"`
	// LatticeGradPerSample and SecondsPerSample are per field (chain time).
	LatticeGradPerSample float64 `json:"lattice_grad_per_sample"`
	SecondsPerSample     float64 `json:"seconds_per_sample"`
}

// chainSeed derives the seed of chain i (SplitMix64 of seed + i·γ).
func chainSeed(seed uint64, i int) uint64 {
	z := seed + uint64(i+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Sample draws n independent fields (φ units) with default SampleOptions,
// chain i seeded by a hash of (seed, i), on up to workers goroutines
// (0: GOMAXPROCS); the fields depend on seed only, not on workers.
// progress, if non-nil, is called (serially) after each field.
func (m *Model) Sample(n int, seed uint64, workers int, progress func(done, total int)) ([]*field.Field, SampleStats, error) {
	return m.SampleWith(n, SampleOptions{Seed: seed}, workers, progress)
}

// SampleWith is Sample with options (o.Seed is the base seed).
func (m *Model) SampleWith(n int, o SampleOptions, workers int, progress func(done, total int)) ([]*field.Field, SampleStats, error) {
	return m.sample(n, o, workers, progress, nil)
}

// stepChunk is the number of MALA steps a chain runs between two calls of
// the progress function of SampleProgress.
const stepChunk = 4096

// SampleProgress is SampleWith reporting progress in work rather than in
// fields: progress, if non-nil, is called (serially) every few thousand
// MALA steps of any chain with the work done and the total, in
// whole-lattice gradient evaluations (Work.LatticeGradEvals, a step on an
// N×N grid counting (N/L)², so that the work is nearly proportional to
// time); the total is n·Σ_i (Steps_i + 1)(Grid_i/L)². A long run thus shows
// its progress, and the time left, before its first field is finished.
// The fields are those of SampleWith.
func (m *Model) SampleProgress(n int, o SampleOptions, workers int, progress func(done, total float64)) ([]*field.Field, SampleStats, error) {
	return m.sample(n, o, workers, nil, progress)
}

// sample is SampleWith and SampleProgress: perField is called after each
// field, perWork every stepChunk steps of a chain.
func (m *Model) sample(n int, o SampleOptions, workers int, perField func(done, total int), perWork func(done, total float64)) ([]*field.Field, SampleStats, error) {
	var st SampleStats
	if n < 1 {
		return nil, st, fmt.Errorf("rg: number of samples %d must be positive", n)
	}
	cm, err := m.compileAll(o)
	if err != nil {
		return nil, st, err
	}
	t0 := time.Now()
	out := make([]*field.Field, n)
	samplers := make([]*Sampler, n)
	errs := make([]error, n)
	var mu sync.Mutex
	done := 0
	chunk := 1 << 20
	var workDone, workTotal float64
	if perWork != nil {
		chunk = stepChunk
		for i, k := range cm.steps {
			r := float64(cm.sc[i].N) / float64(m.L)
			workTotal += float64(k+1) * r * r
		}
		workTotal *= float64(n)
	}
	parallel(n, workerCount(workers), func(_, i int) {
		s, err := cm.newSampler(chainSeed(o.Seed, i))
		if err != nil {
			errs[i] = err
			return
		}
		var counted float64 // of this chain's work (the start counts too)
		for !s.Done() {
			s.Step(chunk)
			if perWork != nil {
				mu.Lock()
				workDone += s.work.LatticeGradEvals - counted
				counted = s.work.LatticeGradEvals
				perWork(min(workDone, workTotal), workTotal)
				mu.Unlock()
			}
		}
		errs[i] = s.Err()
		out[i] = s.Field()
		s.evs, s.ch, s.pyr, s.cur, s.x = nil, nil, nil, nil, nil
		samplers[i] = s
		if perField != nil {
			mu.Lock()
			done++
			perField(done, n)
			mu.Unlock()
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, st, err
	}
	ns := len(m.Scales)
	st = SampleStats{N: n, Acceptance: make([]float64, ns), StepSize: make([]float64, ns)}
	na := make([]int, ns)
	for _, s := range samplers {
		a := s.Acceptance()
		for i := range ns {
			if !math.IsNaN(a[i]) {
				st.Acceptance[i] += a[i]
				na[i]++
			}
			st.StepSize[i] += s.hs[i] / float64(n)
		}
		st.Work.add(s.work)
	}
	for i := range ns {
		if na[i] > 0 {
			st.Acceptance[i] /= float64(na[i])
		}
	}
	st.WallSeconds = time.Since(t0).Seconds()
	st.LatticeGradPerSample = st.Work.LatticeGradEvals / float64(n)
	st.SecondsPerSample = st.Work.Seconds / float64(n)
	return out, st, nil
}
