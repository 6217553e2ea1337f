package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sync"
	"time"

	"scalewise/engine/field"
	"scalewise/engine/scattering"
	"scalewise/engine/wavelet"
)

// rgMicrocanonical is the peer of "rg validate --field --microcanonical K":
// K microcanonical syntheses (Cheng, Morel, Allys, Ménard and Mallat,
// "Scattering spectra models for physics", PNAS Nexus 3, pgae103 (2024),
// §3: a gradient descent from white noise to the scattering spectra of one
// target field), each from a different training field as its target, so
// that the K syntheses sample the ensemble, compared with the truth by
// the same statistics as the hierarchic models' samples.
type rgMicrocanonical struct {
	Setting string `json:"setting"`
	Targets string `json:"targets"`
	// SecondsPerSample is the mean time of one synthesis, MeanIterations
	// its mean number of L-BFGS iterations and Stops the number of
	// syntheses by how they stopped (scattering.SynthStatus).
	SecondsPerSample float64        `json:"seconds_per_sample"`
	MeanIterations   float64        `json:"mean_iterations"`
	Stops            map[string]int `json:"stops"`
	rgFieldStats
}

// rgPeerFlags are the flags of rg validate --microcanonical: K syntheses
// of at most Iters iterations each (0: scattering.DefaultSynthIters).
type rgPeerFlags struct {
	K, Iters int
}

// check validates the flags where nfit training fields can be targets.
func (p rgPeerFlags) check(fs *flag.FlagSet, cond rgConditional, nfit int) error {
	if p.K == 0 {
		return fieldOnly(fs, "needs --microcanonical", "microcanonical-iters")
	}
	if cond.Level > 0 {
		return errors.New("--conditional redraws one factor of the model: drop --microcanonical")
	}
	if err := checkIntFlag("microcanonical", p.K, 1, nfit, "syntheses, one per training field"); err != nil {
		return err
	}
	return checkIntFlag("microcanonical-iters", p.Iters, 0, 100000, "iterations per synthesis (0: the default)")
}

// microcanonicalSynth is one synthesis at the defaults of "scat synth":
// isotropic scattering spectra of bump-steerable wavelets, J = log₂L − 1,
// 4 orientations, its default loss weights, marginal and power-spectrum
// terms, L-BFGS iterations (or maxIter when > 0) and tolerance,
// white-noise start of the seed.
// bank is that of the field size; each call builds its own Operator (an
// Operator serves one synthesis at a time). each, when not nil, is called
// after every iteration.
func microcanonicalSynth(bank *wavelet.DirectionalBank, target []float64, seed uint64, maxIter int, each func(*scattering.Synthesis)) ([]float64, *rgSynthCost, error) {
	op, err := scattering.NewOperator(bank, scattering.SpectraOptions{})
	if err != nil {
		return nil, nil, err
	}
	w, err := parseScatWeights(scatDefaultWeights)
	if err != nil {
		return nil, nil, err
	}
	o := scattering.SynthOptions{Seed: seed, MaxIter: scattering.DefaultSynthIters, Tol: scattering.DefaultSynthTol, Form: scattering.Isotropic,
		Memory: scattering.DefaultSynthMemory, Weights: w, Histogram: scattering.DefaultMarginalWeight, HistogramQuantiles: scattering.DefaultMarginalQuantiles,
		LowPass: scatValidateLowPass, PowerSpectrum: scattering.DefaultPowerSpectrumWeight, PowerSpectrumRings: scattering.DefaultPowerSpectrumRings}
	if maxIter > 0 {
		o.MaxIter = maxIter
	}
	t0 := time.Now()
	s, err := scattering.NewSynthesis(op, target, o)
	if err != nil {
		return nil, nil, err
	}
	if err := s.Run(context.Background(), each); err != nil {
		return nil, nil, err
	}
	return append([]float64(nil), s.Field()...), &rgSynthCost{
		Setting: fmt.Sprintf("scat synth defaults: bump wavelets, J = %d, L = 4, isotropic form (%d coefficients), weights %s, histogram %g (%d quantiles), power spectrum %g, at most %d iterations, tol %g",
			bank.Scales(), op.Count(scattering.Isotropic), scatDefaultWeights, o.Histogram, o.HistogramQuantiles, o.PowerSpectrum, o.MaxIter, o.Tol),
		Iterations: s.Iter(), Status: s.Status().String(), RelError: s.RelErr(), Seconds: time.Since(t0).Seconds(),
	}, nil
}

// directionalBankFor returns the bump-steerable bank of "scat synth" for
// L×L fields: J = log₂L − 1 scales (wavelet.MaxDirectionalScales), 4
// orientations.
func directionalBankFor(L int) (*wavelet.DirectionalBank, error) {
	return wavelet.NewDirectionalBank(wavelet.BumpSteerable, L, L, wavelet.MaxDirectionalScales(L, L), 4)
}

// timeSynthesis times one microcanonical synthesis of an L×L field from
// the target (microcanonicalSynth), with a progress bar.
func timeSynthesis(target []float64, L int, seed uint64, stderr io.Writer) (*rgSynthCost, error) {
	bank, err := directionalBankFor(L)
	if err != nil {
		return nil, err
	}
	bar := newProgress(stderr, scattering.DefaultSynthIters)
	_, c, err := microcanonicalSynth(bank, target, seed, 0, func(s *scattering.Synthesis) {
		bar.update(s.Iter(), fmt.Sprintf("synthesis rel.err %.3g", s.RelErr()), false)
	})
	if err != nil {
		return nil, err
	}
	bar.update(scattering.DefaultSynthIters, fmt.Sprintf("synthesis done after %d iterations", c.Iterations), true)
	return c, nil
}

// microcanonicalSet draws one synthesis per target (seed + i for the i-th)
// of at most maxIter iterations (0: the default) on workers goroutines,
// with a progress bar over the syntheses.
func microcanonicalSet(targets []*field.Field, seed uint64, maxIter, workers int, stderr io.Writer) ([]*field.Field, *rgMicrocanonical, error) {
	if len(targets) == 0 {
		return nil, nil, errors.New("no target for the microcanonical syntheses")
	}
	L := targets[0].W
	bank, err := directionalBankFor(L)
	if err != nil {
		return nil, nil, err
	}
	out := make([]*field.Field, len(targets))
	costs := make([]*rgSynthCost, len(targets))
	errs := make([]error, len(targets))
	bar := newProgress(stderr, len(targets))
	var mu sync.Mutex
	done := 0
	runParallel(len(targets), workers, func(i int) {
		x, c, err := microcanonicalSynth(bank, targets[i].Data, seed+uint64(i), maxIter, nil)
		if err == nil {
			out[i], err = field.FromSlice(L, L, x)
		}
		costs[i], errs[i] = c, err
		mu.Lock()
		done++
		bar.update(done, "microcanonical syntheses", done == len(targets))
		mu.Unlock()
	})
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	p := &rgMicrocanonical{Setting: costs[0].Setting, Stops: map[string]int{}}
	for _, c := range costs {
		p.SecondsPerSample += c.Seconds / float64(len(costs))
		p.MeanIterations += float64(c.Iterations) / float64(len(costs))
		p.Stops[c.Status]++
	}
	return out, p, nil
}
