package rg

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"scalewise/engine/field"
)

// ResampleOptions sets Model.ResampleFactor.
type ResampleOptions struct {
	// Seed seeds the chains (field k uses stream k) and the noise fill of a
	// band-limited model.
	Seed uint64
	// FromData starts each chain at the field's own x̄_j instead of at 0
	// (Sampler's start): a chain started at a sample of the data's law
	// stays at the data's statistics if the model's conditional law is
	// the data's, whatever its mixing time.
	FromData bool
	// Steps is the number of MALA steps per chain (0: the factor's Steps),
	// of which the first half adapt h as Sampler does.
	Steps int
	// Progress, if not nil, is called with the number of fields done and
	// their total after each field (from the workers, one call at a time).
	Progress func(done, total int)
}

// ResampleFactor isolates one conditional factor p̄_j(x̄_j | x_j) of the
// model (Scales[i], i ≥ 1): for each field φ it returns the field whose
// details x̄_j are redrawn by the factor's MALA chain given φ's own x_j,
// with every other detail of φ kept,
//
//	x_0 = W⁻¹(x̄_1, …, W⁻¹(x_j, x̄_j^new), …),   x = (φ − Mean)/Std,
//
// then projected onto the retained modes of a band-limited model and
// returned as Std·x_0 + Mean. The statistics of these fields against φ's
// measure the error of that factor alone, the coarser factors being exact
// (the hierarchy of Marchand, Ozawa, Biroli & Mallat, PRX 13, 041038,
// §4, one factor at a time). It also returns the mean acceptance after
// the adaptation, per field. A band-limited model's fields are filled
// beyond the band limit as in the fit (FillBandLimited, from Seed) before
// their analysis. The fields must be L×L.
func (m *Model) ResampleFactor(fields []*field.Field, i int, o ResampleOptions, workers int) ([]*field.Field, []float64, error) {
	if err := m.Validate(); err != nil {
		return nil, nil, err
	}
	if i < 1 || i >= len(m.Scales) {
		return nil, nil, fmt.Errorf("rg: factor %d is not conditional (want 1..%d)", i, len(m.Scales)-1)
	}
	if len(fields) == 0 {
		return nil, nil, errors.New("rg: no fields to resample")
	}
	if o.Steps < 0 || o.Steps > maxSteps {
		return nil, nil, fmt.Errorf("rg: %d steps (want 0..%d)", o.Steps, maxSteps)
	}
	for k, f := range fields {
		if f == nil || f.W != m.L || f.H != m.L || len(f.Data) != m.L*m.L {
			return nil, nil, fmt.Errorf("rg: field %d is not %d×%d", k, m.L, m.L)
		}
		if p := allFinite(f.Data); p >= 0 {
			return nil, nil, fmt.Errorf("rg: field %d is not finite at %d", k, p)
		}
	}
	cm, err := m.compileAll(SampleOptions{})
	if err != nil {
		return nil, nil, err
	}
	sc := &m.Scales[i]
	steps := sc.Steps
	if o.Steps > 0 {
		steps = o.Steps
	}
	warm := int(math.Round(0.5 * float64(steps)))
	xs := make([]*field.Field, len(fields))
	for k, f := range fields {
		x := field.New(m.L, m.L)
		for p, v := range f.Data {
			x.Data[p] = (v - m.Mean) / m.Std
		}
		xs[k] = x
	}
	if b := m.BandLimit; b != nil {
		if xs, _, err = FillBandLimited(xs, b.MaxK, o.Seed); err != nil {
			return nil, nil, err
		}
	}
	// The levels from L down to the factor's grid.
	var grids []int
	for N := m.L; N >= sc.Grid; N /= 2 {
		grids = append(grids, N)
	}
	workers = workerCount(workers)
	type work struct {
		levs []*level
		ev   *evaluator
		pr   *projector
	}
	ws := make([]*work, workers)
	for w := range ws {
		wk := &work{}
		for _, N := range grids {
			lev, err := newLevel(cm.wv, N)
			if err != nil {
				return nil, nil, err
			}
			wk.levs = append(wk.levs, lev)
		}
		if wk.ev, err = newEvaluator(cm.sc[i], cm.wv); err != nil {
			return nil, nil, err
		}
		if b := m.BandLimit; b != nil {
			if wk.pr, err = newProjector(m.L, b.MaxK); err != nil {
				return nil, nil, err
			}
		}
		ws[w] = wk
	}
	out := make([]*field.Field, len(fields))
	acc := make([]float64, len(fields))
	var mu sync.Mutex
	done := 0
	parallel(len(fields), workers, func(w, k int) {
		wk := ws[w]
		// Analysis: u[l] are the channels of level l (grid grids[l]).
		u := make([][4][]float64, len(grids))
		x := xs[k].Data
		for l, lev := range wk.levs {
			for c := range 4 {
				u[l][c] = make([]float64, lev.n*lev.n)
			}
			lev.analyse(x, &u[l])
			x = u[l][0]
		}
		last := len(grids) - 1
		ch := newChain(wk.ev, rand.New(rand.NewPCG(o.Seed, uint64(k))))
		var init [][]float64
		if o.FromData {
			init = [][]float64{u[last][1], u[last][2], u[last][3]}
		}
		ch.start(u[last][0], init)
		ch.h = sc.StepSize
		ad := adapter{logh: math.Log(ch.h), target: sc.TargetAccept}
		var a float64
		for s := range steps {
			_, p := ch.step()
			if s < warm {
				ch.h = ad.update(p)
			} else {
				a += p
			}
		}
		if steps > warm {
			acc[k] = a / float64(steps-warm)
		}
		for c := 1; c < 4; c++ {
			copy(u[last][c], ch.u[c])
		}
		// Synthesis back to L×L with the field's own finer details.
		for l := last; l >= 0; l-- {
			y := make([]float64, grids[l]*grids[l])
			wk.levs[l].synthesise(&u[l], y)
			if l > 0 {
				u[l-1][0] = y
			} else {
				x = y
			}
		}
		if wk.pr != nil {
			wk.pr.project(x)
		}
		f := field.New(m.L, m.L)
		for p, v := range x {
			f.Data[p] = m.Std*v + m.Mean
		}
		out[k] = f
		if o.Progress != nil {
			mu.Lock()
			done++
			o.Progress(done, len(fields))
			mu.Unlock()
		}
	})
	for k, f := range out {
		if p := allFinite(f.Data); p >= 0 {
			return nil, nil, fmt.Errorf("rg: resampled field %d is not finite at %d", k, p)
		}
	}
	return out, acc, nil
}
