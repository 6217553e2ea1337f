package compute

import (
	"fmt"
	"math"

	"scalewise/engine/field"
	"scalewise/engine/phi4"
	"scalewise/ui/protocol"
)

const (
	// rgGIFSide is the side of the exported animation.
	rgGIFSide = 256
	// rgGIFPerStage is about how many frames each stage records.
	rgGIFPerStage = 8
)

// rgGen is one generation in progress or finished: a Run of the
// session's generation stepper.
type rgGen struct {
	f       *rgFieldSpec
	L, J    int
	beta    float64
	seed    uint64
	which   string
	info    RGModelInfo
	s       rgSampler
	total   int
	steps   int
	truth   *rgTruth
	anim    *animation
	lastRec [2]int // stage, step of the last recorded frame
	done    bool
	doneFr  *Frames // the finished frames, kept for re-sending
}

// startGen loads the model for the request, creates the sampler and
// returns the first frames: the starting coarsest field, the ground-truth
// sample and statistics, and the learned energy of every stage.
func (s *RGSession) startGen(r RGStartRequest, progress Progress) (Run, *Frames, error) {
	f, err := checkRGLattice(r.Field, r.L, r.Beta)
	if err != nil {
		return nil, nil, err
	}
	progress(0, 3, "loading the model")
	m, which, err := s.model(f, r.L, r.Model)
	if err != nil {
		return nil, nil, err
	}
	info := m.Info()
	progress(1, 3, "ground truth")
	truth, err := s.groundTruth(f, r.L)
	if err != nil {
		return nil, nil, err
	}
	sm, err := m.NewSampler(r.Seed)
	if err != nil {
		return nil, nil, err
	}
	g := &rgGen{f: f, L: r.L, J: info.J, beta: info.Beta, seed: r.Seed, which: which, info: info, s: sm, truth: truth,
		anim: newAnimation(colormapPalette(f.cmap), 0), lastRec: [2]int{-1, -1}}
	for _, st := range info.Stages {
		g.total += st.Steps
	}
	g.record()
	progress(2, 3, "learned energies")

	shown := int(r.Seed % uint64(len(truth.samples))) // the sample drawn
	v := &protocol.RGStartValues{
		Kind: protocol.KindStart, Seed: g.seed, Provenance: info.Provenance, Stages: info.Stages, Limit: RGLimit,
		Range: [2]float64{f.lo, f.hi}, Colormap: colormapName(f.cmap),
		Truth: protocol.RGTruth{Source: f.truth, N: len(truth.samples), Phi2: truth.phi2, Shown: shown, Floor: truth.floor},
	}
	fr := NewFrames("renormalise", v)
	if err := g.addProgress(fr, &v.RGProgress); err != nil {
		return nil, nil, err
	}
	if err := fr.AddField("truth", truth.samples[shown], f.cmap, f.lo, f.hi); err != nil {
		return nil, nil, err
	}
	if err := fr.addSeries(
		namedSeries{"series/truth/edges", truth.edges}, namedSeries{"series/truth/density", truth.density},
		namedSeries{"series/truth/k", truth.k}, namedSeries{"series/truth/power", truth.power},
	); err != nil {
		return nil, nil, err
	}
	es, err := m.Energies()
	if err != nil {
		return nil, nil, err
	}
	if len(es) != len(info.Stages) {
		return nil, nil, fmt.Errorf("the model has energies for %d stages, not %d", len(es), len(info.Stages))
	}
	for st, e := range es {
		var ks []protocol.RGKernelInfo
		for i, k := range e.Kernels {
			name := fmt.Sprintf("kernel/%d/%d", st, i)
			kf, err := field.FromSlice(k.W, k.H, k.Data)
			if err != nil {
				return nil, nil, fmt.Errorf("kernel %s: %w", k.Name, err)
			}
			lim := kernelLimit(k)
			if err := fr.AddField(name, kf, field.Diverging, -lim, lim); err != nil {
				return nil, nil, err
			}
			ks = append(ks, protocol.RGKernelInfo{Image: name, Name: k.Name})
		}
		sc, err := addScatFamilies(fr, st, e.Scat)
		if err != nil {
			return nil, nil, err
		}
		v.Energy = append(v.Energy, protocol.RGEnergyInfo{Kernels: ks, Scattering: sc, Isotropic: e.ScatIsotropic})
		if err := fr.addSeries(
			namedSeries{fmt.Sprintf("series/energy/%d/t", st), e.T}, namedSeries{fmt.Sprintf("series/energy/%d/v", st), e.V},
		); err != nil {
			return nil, nil, err
		}
	}
	progress(3, 3, "ready")
	return g, fr, nil
}

// addProgress adds the current field to fr and the generation's progress
// to p.
func (g *rgGen) addProgress(fr *Frames, p *protocol.RGProgress) error {
	cur := g.s.Current()
	if err := fr.AddField("current", cur, g.f.cmap, g.f.lo, g.f.hi); err != nil {
		return err
	}
	stage, step := g.s.Phase()
	p.Phase = protocol.RGPhase{Stage: stage, Step: step, J: g.J, Size: cur.W}
	if stage >= 0 && stage < len(g.info.Stages) {
		st := g.info.Stages[stage]
		p.Phase.Total, p.Phase.J, p.Phase.Size, p.Phase.Name = st.Steps, st.J, st.Size, st.Name
	}
	p.StepsDone, p.TotalSteps = g.steps, g.total
	acc := g.s.Acceptance()
	for i, a := range acc {
		if math.IsNaN(a) {
			acc[i] = -1 // not started
		}
	}
	p.Acceptance = sig(acc)
	grad, sec := g.s.Work()
	p.Cost = protocol.RGCost{GradEvals: grad, Seconds: sec}
	p.Done, p.Field, p.L, p.J, p.Beta, p.Model = g.done, g.f.name, g.L, g.J, g.beta, g.which
	return nil
}

// record keeps a frame of the animation when the generation reaches a new
// stage, every ~1/rgGIFPerStage of a stage, and at the end.
func (g *rgGen) record() {
	stage, step := g.s.Phase()
	if g.done {
		stage, step = len(g.info.Stages), 0
	}
	every := 1
	if stage >= 0 && stage < len(g.info.Stages) {
		every = max(1, g.info.Stages[stage].Steps/rgGIFPerStage)
	}
	if stage == g.lastRec[0] && step-g.lastRec[1] < every && !g.done {
		return
	}
	g.lastRec = [2]int{stage, step}
	cur := g.s.Current()
	if g.done {
		cur = g.s.Field()
	}
	pix := make([]uint8, cur.W*cur.H)
	for i, v := range cur.Data {
		pix[i] = paletteIndex(v, g.f.lo, g.f.hi)
	}
	g.anim.add(cur.W, pix)
}

// Iterate runs one MALA step, crossing stages as needed.
func (g *rgGen) Iterate() (bool, error) {
	if err := g.s.Step(1); err != nil {
		return false, err
	}
	g.steps++
	g.done = g.s.Done()
	g.record()
	return g.done, nil
}

// Finished reports whether the generation has finished.
func (g *rgGen) Finished() bool { return g.done }

// Frames returns the current field and progress after a step of n MALA
// steps; once the generation has finished, the finished hierarchy and
// statistics (kept, and sent again for later steps).
func (g *rgGen) Frames(n int) (*Frames, error) {
	if g.done && g.doneFr != nil {
		return g.doneFr, nil
	}
	v := &protocol.RGStepValues{Kind: protocol.KindStep, Steps: n}
	fr := NewFrames("renormalise", v)
	if g.done {
		if err := g.finish(fr, v); err != nil {
			return nil, err
		}
		g.doneFr = fr
		return fr, nil
	}
	if err := g.addProgress(fr, &v.RGProgress); err != nil {
		return nil, err
	}
	return fr, nil
}

// finish adds the finished generation: the hierarchy, the final field and
// its statistics against the ground truth.
func (g *rgGen) finish(fr *Frames, v *protocol.RGStepValues) error {
	v.Kind = protocol.KindDone
	if err := g.addProgress(fr, &v.RGProgress); err != nil {
		return err
	}
	phi := g.s.Field()
	if phi == nil || phi.W != g.L || phi.H != g.L {
		return fmt.Errorf("the sampler finished without an %d×%d field", g.L, g.L)
	}
	if err := phi.CheckFinite(); err != nil {
		return fmt.Errorf("generated field: %w", err)
	}
	if err := fr.AddField("final", phi, g.f.cmap, g.f.lo, g.f.hi); err != nil {
		return err
	}
	approx, details := g.s.Hierarchy()
	if len(approx) != g.J+1 || len(details) != g.J+1 {
		return fmt.Errorf("the hierarchy has %d approximations and %d detail levels, want %d", len(approx), len(details), g.J+1)
	}
	res := &protocol.RGResult{Sizes: make([]int, g.J+1), DetailLimits: make([]float64, g.J+1)}
	for j := 0; j <= g.J; j++ {
		res.Sizes[j] = approx[j].W
		if err := fr.AddField(fmt.Sprintf("x/%d", j), approx[j], g.f.cmap, g.f.lo, g.f.hi); err != nil {
			return err
		}
		if j == 0 {
			continue
		}
		m := 0.0
		for _, b := range details[j] {
			lo, hi := b.MinMax()
			m = math.Max(m, math.Max(math.Abs(lo), math.Abs(hi)))
		}
		if m == 0 || math.IsNaN(m) {
			m = 1
		}
		res.DetailLimits[j] = m
		for b, name := range [3]string{"H", "V", "D"} {
			if err := fr.AddField(fmt.Sprintf("%s/%d", name, j), details[j][b], field.Diverging, -m, m); err != nil {
				return err
			}
		}
	}

	hist, spec, err := newRGStats(g.f, g.L)
	if err != nil {
		return err
	}
	hist.Add(phi.Data)
	if err := spec.Add(phi.Data); err != nil {
		return err
	}
	var mom phi4.Moments
	if err := mom.Add(phi); err != nil {
		return err
	}
	gd := hist.Density()
	_, all := spec.Result()
	t := g.truth
	gp := make([]float64, len(t.keep))
	for i, b := range t.keep {
		if v := all[b]; !math.IsNaN(v) && !math.IsInf(v, 0) {
			gp[i] = v
		}
	}
	res.Generated = protocol.RGGenerated{Phi2: mom.Phi2(), M: mom.M()}
	if err := fr.addSeries(namedSeries{"series/generated/density", gd}, namedSeries{"series/generated/power", gp}); err != nil {
		return err
	}
	res.HistTV = totalVariation(gd, t.density, t.edges)
	res.SpectrumLogRatio = flooredLogRatio(t.k, gp, t.power, t.floor)
	res.FramesRecorded = g.anim.len()
	v.RGResult = res
	return nil
}

// Export returns the finished generation: "gif" (the coarse-to-fine
// animation), "png" or "npy" (the final field), named after the field
// type (exportStem).
func (g *rgGen) Export(format string, progress Progress) (File, error) {
	if !g.done {
		return File{}, fmt.Errorf("nothing to export: generate a field first and let it finish")
	}
	phi := g.s.Field()
	return exportFile(format, g.exportStem(), exportSource{
		raw: phi, shown: phi, cmap: g.f.cmap, lo: g.f.lo, hi: g.f.hi, anim: g.anim, gifSide: rgGIFSide,
	}, progress)
}

// exportStem names the exports: scalewise-rg-phi4-L64-beta0.68-seed7,
// scalewise-rg-turbulence-L64-seed7, scalewise-rg-calpha-L32-seed7.
func (g *rgGen) exportStem() string {
	if g.f.name == RGFieldPhi4 {
		return fmt.Sprintf("scalewise-rg-phi4-L%d-beta%g-seed%d", g.L, g.beta, g.seed)
	}
	return fmt.Sprintf("scalewise-rg-%s-L%d-seed%d", g.f.name, g.L, g.seed)
}

// kernelLimit returns the symmetric colour range of a kernel image: the
// largest |coefficient|, leaving out the centre of a kernel of a channel
// with itself, which dominates (the diagonal of the quadratic form) and
// would hide the interactions with the neighbours; it saturates instead.
func kernelLimit(k RGKernel) float64 {
	lim, centre := 0.0, 0.0
	for i, v := range k.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if k.C == k.D && i == (k.H/2)*k.W+k.W/2 {
			centre = math.Abs(v)
			continue
		}
		lim = math.Max(lim, math.Abs(v))
	}
	if lim == 0 {
		lim = centre
	}
	if lim == 0 {
		lim = 1
	}
	return lim
}

// flooredLogRatio is the mean over the wave-number bins k > 0 of
// |log((p + f)/(q + f))|: meanAbsLogRatio for f = 0 (φ⁴), and with the
// floor f = SpectrumFloor·σ² of polyspectra.OctaveRings.SpectrumError
// for the other fields, whose dealiased corners (turbulence) hold no
// power, so that rounding there does not swamp the comparison.
func flooredLogRatio(k, p, q []float64, f float64) float64 {
	if f == 0 {
		return meanAbsLogRatio(k, p, q)
	}
	s, n := 0.0, 0
	for i := range p {
		if k[i] > 0 && p[i] >= 0 && q[i] >= 0 {
			s += math.Abs(math.Log((p[i] + f) / (q[i] + f)))
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return s / float64(n)
}
