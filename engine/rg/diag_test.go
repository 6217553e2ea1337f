package rg

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"testing"

	"scalewise/engine/field"
	"scalewise/engine/wavelet"
)

// TestMeasureScales samples each conditional factor given the true x_j of
// data fields and compares the band stds with the data (RG_MEASURE=2;
// RG_MODEL: a model file written by TestMeasure).
func TestMeasureScales(t *testing.T) {
	if os.Getenv("RG_MEASURE") != "2" {
		t.Skip("set RG_MEASURE=2")
	}
	L := envInt("RG_L", 32)
	arr, err := field.ReadArrayFile(dataPath(L))
	if err != nil {
		t.Skip(err)
	}
	data, _ := arr.Fields()
	f, err := os.Open(os.Getenv("RG_MODEL"))
	if err != nil {
		t.Skip(err)
	}
	m, err := ReadModel(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	diagScales(t, m, data, envInt("RG_N", 128), envInt("RG_STEPS_MUL", 1), envInt("RG_MAXSCALE", 99))
}

// TestExperiment refits with modified specs (RG_MEASURE=3; RG_SIG,
// RG_WIDTH, RG_STENCIL override scales 1..RG_MAXSCALE) and runs the
// per-scale diagnostic.
func TestExperiment(t *testing.T) {
	if os.Getenv("RG_MEASURE") != "3" {
		t.Skip("set RG_MEASURE=3")
	}
	L := envInt("RG_L", 32)
	arr, err := field.ReadArrayFile(dataPath(L))
	if err != nil {
		t.Skip(err)
	}
	data, _ := arr.Fields()
	train := data
	if off := envInt("RG_TRAIN_OFF", -1); off >= 0 {
		train = data[off : off+envInt("RG_TRAIN", 1024)]
	}
	specs, _, _ := DefaultSpecs(L)
	maxS := envInt("RG_MAXSCALE", 3)
	for i := 0; i <= maxS; i++ {
		if v := envInt("RG_SIG", -1); v >= 0 && i > 0 {
			specs[i].Sigmoids = v
		}
		if v, err := strconv.ParseFloat(os.Getenv("RG_WIDTH"), 64); err == nil {
			specs[i].Width = v
		}
		if v := envInt("RG_STENCIL", -1); v >= 0 && i > 0 {
			specs[i].Stencil = v
		}
	}
	m, err := Fit(train, FitOptions{Beta: 0.68, Symmetric: true, Isotropic: true, Specs: specs}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i <= maxS; i++ {
		sc := m.Scales[i]
		t.Logf("scale %d: %d params cond %.3g → %.3g loss %.5g", i, len(sc.Theta), sc.CondRaw, sc.CondPreconditioned, sc.Loss)
	}
	diagScales(t, m, data, envInt("RG_N", 2048), envInt("RG_STEPS_MUL", 1), maxS)
}

func diagScales(t *testing.T, m *Model, data []*field.Field, nf, mul, maxScale int) {
	wv := db4(t)
	L := m.L
	nf = min(nf, len(data))
	pyrs := make([]*wavelet.Pyramid, nf)
	for k := range nf {
		x := field.New(L, L)
		for p, v := range data[k].Data {
			x.Data[p] = (v - m.Mean) / m.Std
		}
		pyrs[k], _ = wavelet.Decompose(wv, x, m.J)
	}
	for i := 1; i < min(len(m.Scales), maxScale+1); i++ {
		sc := &m.Scales[i]
		c := compile(sc)
		steps := sc.Steps * mul
		var s2 [3]float64
		var d2 [3]float64
		cnt := 0.0
		accs := 0.0
		parallelOut := make([][3][]float64, nf)
		parallel(nf, 2, func(_, k int) {
			ev, _ := newEvaluator(c, wv)
			ch := newChain(ev, rand.New(rand.NewPCG(uint64(k), 99)))
			ch.start(pyrs[k].Approx[sc.J].Data, nil)
			ch.h = sc.StepSize
			ad := adapter{logh: math.Log(ch.h), target: sc.TargetAccept}
			for s := range steps {
				_, a := ch.step()
				if s < steps/2 {
					ch.h = ad.update(a)
				}
			}
			for b := range 3 {
				parallelOut[k][b] = append([]float64(nil), ch.u[b+1]...)
			}
		})
		for k := range nf {
			for b := range 3 {
				for q, v := range parallelOut[k][b] {
					s2[b] += v * v
					w := pyrs[k].Details[sc.J][b].Data[q]
					d2[b] += w * w
				}
			}
			cnt += float64(len(parallelOut[k][0]))
		}
		_ = accs
		var gq, dq []float64
		for k := range nf {
			gq = append(gq, parallelOut[k][0]...)
			dq = append(dq, pyrs[k].Details[sc.J][0].Data...)
		}
		sort.Float64s(gq)
		sort.Float64s(dq)
		var qs []string
		for _, q := range []float64{0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999} {
			qs = append(qs, fmt.Sprintf("%.3g:%.3f/%.3f", q, gq[int(q*float64(len(gq)-1))], dq[int(q*float64(len(dq)-1))]))
		}
		t.Logf("scale %d H quantiles gen/data %v", i, qs)
		t.Logf("scale %d (j=%d, grid %d, %d steps): band std gen/data H %.4f V %.4f D %.4f",
			i, sc.J, sc.Grid, steps, math.Sqrt(s2[0]/d2[0]), math.Sqrt(s2[1]/d2[1]), math.Sqrt(s2[2]/d2[2]))
	}
}
