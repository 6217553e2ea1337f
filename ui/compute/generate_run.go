package compute

import (
	"fmt"
	"time"

	"scalewise/engine/diffusion"
	"scalewise/engine/field"
	"scalewise/ui/protocol"
)

// genRun is one generation in progress or finished: a Run of the
// session's stepper. Each Iterate is one Step of the sampler (one call of
// the net): an iteration t = 1 … T, then the final denoise x̂(y_T), the
// sample.
type genRun struct {
	req      GenStartRequest
	spec     genSpec
	net      protocol.GenNet
	smp      diffusion.Sampler
	energy   *genEnergy
	gal      *diffusion.ByteGallery // the training set, or nil
	searched int
	traj     *genTrajectory
	points   []protocol.GenPoint // the iterations since the last frames
	secs     float64
	done     bool
	err      error // why the run stopped early
	sample   []float64
	nearest  *protocol.GenNearest
	nearImg  []float64
}

// start validates the request, loads the net (and the training set) and
// draws y₀ from the noise stream (Seed, Sample), returning the run and its
// first frames (kind "start": y₀, no points).
func (s *GenSession) start(r GenStartRequest, progress Progress) (Run, *Frames, error) {
	t0 := time.Now()
	spec, err := newGenSpec(r.Sampler, r.Preset, r.Steps, r.Size)
	if err != nil {
		return nil, nil, err
	}
	if r.Train != "" && spec.size != GenTrainSize {
		return nil, nil, fmt.Errorf("size=%d: a run searching a training set draws %d×%d images, the size the nets saw the digits at", spec.size, GenTrainSize, GenTrainSize)
	}
	progress(0, 3, "loading the net")
	net, err := s.loadNet(r.Net)
	if err != nil {
		return nil, nil, err
	}
	g := &genRun{req: r, spec: spec, net: net.info}
	if r.Train != "" {
		progress(1, 3, "the training set")
		if g.gal, err = s.gallery(r.Train, net.info.N); err != nil {
			return nil, nil, err
		}
		g.searched = g.gal.Len()
	}
	progress(2, 3, "the initial noise")
	den, err := diffusion.NewNetDenoiser(net.u, spec.size, spec.size)
	if err != nil {
		return nil, nil, fmt.Errorf("net %s: %w", r.Net, err)
	}
	if g.smp, err = spec.newSampler(den, r.Seed, r.Sample); err != nil {
		return nil, nil, err
	}
	if g.energy, err = newGenEnergy(spec.size); err != nil {
		return nil, nil, err
	}
	g.traj = newGenTrajectory(spec.size * spec.size)
	st := g.smp.State()
	g.traj.record(0, st.Y, nil)
	g.secs = time.Since(t0).Seconds()
	fr, err := g.frames(protocol.KindStart)
	if err != nil {
		return nil, nil, err
	}
	progress(3, 3, "ready")
	return g, fr, nil
}

// Iterate runs one step of the sampler: an iteration, recorded as a point
// and a row of the trajectory, or the final denoise, which finishes the
// run with its sample and nearest training image. A sampler that fails
// (does not converge, or meets a non-finite value) ends the run with the
// error.
func (g *genRun) Iterate() (bool, error) {
	t0 := time.Now()
	defer func() { g.secs += time.Since(t0).Seconds() }()
	done, err := g.smp.Step()
	st := g.smp.State()
	if err != nil {
		g.done, g.err = true, fmt.Errorf("generation with net %s (%s) failed at iteration %d: %w", g.req.Net, g.spec.name(), st.T+1, err)
		return true, g.err
	}
	if done {
		return true, g.finish(st)
	}
	e, err := g.energy.energies(st.Denoised)
	if err != nil {
		g.done, g.err = true, err
		return true, err
	}
	g.points = append(g.points, protocol.GenPoint{T: st.T, Sigma: st.Sigma, StepSize: st.StepSize, Energy: e})
	g.traj.record(st.T, st.Y, st.Denoised)
	return false, nil
}

// finish keeps the sample, records the last row and, with a training set,
// finds the training image nearest to the sample by cosine similarity
// (Kadkhodaie, Guth, Simoncelli and Mallat, ICLR 2024, §2.2): the image of
// the largest raw cosine, with its raw and mean-removed cosines.
func (g *genRun) finish(st diffusion.State) error {
	g.done = true
	g.sample = append([]float64(nil), st.Denoised...)
	g.traj.finish(st.T, st.Y, g.sample)
	if g.gal == nil {
		return nil
	}
	raw, _, err := g.gal.Nearest(g.sample)
	if err != nil {
		g.err = err
		return err
	}
	if g.nearImg, err = g.gal.Image(raw.Index); err != nil {
		g.err = err
		return err
	}
	g.nearest = &protocol.GenNearest{Index: raw.Index, Cos: raw.Cos,
		CosCentered: diffusion.CenteredCosine(g.sample, g.nearImg), Searched: g.searched}
	return nil
}

// Finished reports whether the run has stopped, with a sample or an error.
func (g *genRun) Finished() bool { return g.done }

// Frames returns the frames after a step of n iterations: "step", or
// "done" with the sample. A run that failed answers with its error.
func (g *genRun) Frames(int) (*Frames, error) {
	if g.err != nil {
		return nil, g.err
	}
	kind := protocol.KindStep
	if g.done {
		kind = protocol.KindDone
	}
	return g.frames(kind)
}

// frames returns the frames of kind with the points since the last
// frames: the images "y" and (but at start) "xhat", once done "sample",
// "nearest" and the series "sample_values"; each image in grey over
// [0, its maximum] (genWhite).
func (g *genRun) frames(kind string) (*Frames, error) {
	st := g.smp.State()
	sigma0, sigmaL := g.spec.sigmas()
	v := &protocol.GenValues{
		Kind: kind, Role: g.req.Role, Net: g.net, Size: g.spec.size, Sampler: g.spec.Sampler, Preset: g.spec.Preset,
		Seed: g.req.Seed, Sample: g.req.Sample, J: g.energy.J, T: st.T, MaxIter: g.spec.maxIter(),
		Sigma0: sigma0, SigmaL: sigmaL, Sigma: st.Sigma, Points: g.points, Done: g.done, Nearest: g.nearest,
		Seconds: g.secs,
	}
	if v.Points == nil {
		v.Points = []protocol.GenPoint{}
	}
	g.points = nil
	fr := NewFrames(GenScene, v)
	n := g.spec.size
	imgs := []genImage{{"y", st.Y}}
	if kind != protocol.KindStart {
		imgs = append(imgs, genImage{"xhat", st.Denoised})
	}
	if g.done {
		imgs = append(imgs, genImage{"sample", g.sample})
		if g.nearImg != nil {
			imgs = append(imgs, genImage{"nearest", g.nearImg})
		}
	}
	for _, im := range imgs {
		f, err := field.FromSlice(n, n, im.x)
		if err != nil {
			return nil, err
		}
		if err := fr.AddField(im.name, f, field.Gray, 0, genWhite(im.x)); err != nil {
			return nil, err
		}
	}
	if g.done {
		if err := fr.AddSeries("sample_values", g.sample); err != nil {
			return nil, err
		}
	}
	return fr, nil
}

// genImage is an image of a run and its name in the frames.
type genImage struct {
	name string
	x    []float64
}
