package rg

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"scalewise/engine/field"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// dataPath returns the ground-truth file for L: $RG_DATA_DIR (default
// ../../data)/phi4-L<L>-b0.68.npy.
func dataPath(L int) string {
	dir := os.Getenv("RG_DATA_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "data")
	}
	return filepath.Join(dir, fmt.Sprintf("phi4-L%d-b0.68.npy", L))
}

// TestMeasure fits and samples the φ⁴ ground-truth data and prints the
// Compare numbers. It runs only with RG_MEASURE=1 (RG_L: lattice side,
// default 32; RG_N: generated fields, default 512; RG_TRAIN: training
// fields, default all; RG_STEPS_MUL: multiplies the default steps).
func TestMeasure(t *testing.T) {
	if os.Getenv("RG_MEASURE") != "1" {
		t.Skip("set RG_MEASURE=1 to measure on data/phi4-L*-b0.68.npy")
	}
	L := envInt("RG_L", 32)
	path := dataPath(L)
	arr, err := field.ReadArrayFile(path)
	if err != nil {
		t.Skip(err)
	}
	data, err := arr.Fields()
	if err != nil {
		t.Fatal(err)
	}
	if nt := envInt("RG_TRAIN", 0); nt > 0 && nt < len(data) {
		data = data[:nt]
	}
	t0 := time.Now()
	specs, _, _ := DefaultSpecs(L)
	if g := envInt("RG_GAUSS_MAXGRID", 0); g > 0 {
		for i := 1; i < len(specs); i++ {
			if L>>(len(specs)-1-i) <= g {
				specs[i].Sigmoids = 0
			}
		}
	}
	m, err := Fit(data, FitOptions{Beta: 0.68, Symmetric: os.Getenv("RG_ASYM") != "1", Isotropic: os.Getenv("RG_NOISO") != "1", Specs: specs}, nil)
	if err != nil {
		t.Fatal(err)
	}
	fitSec := time.Since(t0).Seconds()
	t.Logf("fit %d fields of %d² in %.1f s", len(data), L, fitSec)
	for i, sc := range m.Scales {
		t.Logf("scale %d j=%d grid %d: %d params, cond %.3g → %.3g, ridge %g, h %.3g, loss %.4g, window [%.2f, %.2f]",
			i, sc.J, sc.Grid, len(sc.Theta), sc.CondRaw, sc.CondPreconditioned, sc.Ridge, sc.StepSize, sc.Loss, sc.WindowLo, sc.WindowHi)
	}
	if f, err := os.Create(filepath.Join(os.TempDir(), fmt.Sprintf("rg-L%d.json", L))); err == nil {
		_ = m.Write(f)
		f.Close()
	}
	o := SampleOptions{Seed: 1}
	if mul := envInt("RG_STEPS_MUL", 1); mul != 1 {
		for _, sc := range m.Scales {
			o.Steps = append(o.Steps, sc.Steps*mul)
		}
	}
	n := envInt("RG_N", 512)
	gen, st, err := m.SampleWith(n, o, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sampled %d in %.1f s wall (%.3f s/sample chain time, %.1f lattice gradients/sample)",
		n, st.WallSeconds, st.SecondsPerSample, st.LatticeGradPerSample)
	t.Logf("acceptance %.3f", st.Acceptance)
	t.Logf("step sizes %.3g", st.StepSize)
	c, err := Compare(gen, data, m.J)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("phi2 %.4f vs %.4f (rel %.4f); binder %.4f vs %.4f (abs %.4f); spectrum %.4f; hist TV %.4f; scale std max %.4f",
		c.Phi2Gen, c.Phi2Truth, c.Phi2RelErr, c.BinderGen, c.BinderTruth, c.BinderAbsErr, c.SpectrumMeanAbsLogRatio, c.HistTV, c.ScaleStdRelErrMax)
	for k := range c.ScaleLabels {
		t.Logf("  %s: gen %.4f truth %.4f rel %.4f", c.ScaleLabels[k], c.ScaleStdGen[k], c.ScaleStdTruth[k], c.ScaleStdRelErr[k])
	}
	for b := range c.K {
		t.Logf("  k %.3f: P gen %.4g truth %.4g", c.K[b], c.SpectrumGen[b], c.SpectrumTruth[b])
	}
	b, _ := json.Marshal(map[string]float64{"phi2_rel_err": c.Phi2RelErr, "binder_abs_err": c.BinderAbsErr,
		"spectrum_mean_abs_log_ratio": c.SpectrumMeanAbsLogRatio, "hist_tv_distance": c.HistTV, "scale_std_rel_err_max": c.ScaleStdRelErrMax,
		"fit_seconds": fitSec, "sample_seconds_per_sample": st.SecondsPerSample})
	t.Logf("%s", b)
}

// TestTimingL128 times Fit and Sample at L = 128 on 128 synthetic fields
// (RG_MEASURE=4; the statistics are meaningless, only the cost counts).
func TestTimingL128(t *testing.T) {
	if os.Getenv("RG_MEASURE") != "4" {
		t.Skip("set RG_MEASURE=4")
	}
	L := envInt("RG_L", 128)
	data := smoothFields(envInt("RG_TRAIN", 128), L, 1)
	t0 := time.Now()
	last := ""
	m, err := Fit(data, FitOptions{Symmetric: true, Isotropic: true}, func(stage string, done, total int) {
		if stage != last {
			t.Logf("%6.1f s: %s", time.Since(t0).Seconds(), stage)
			last = stage
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fit %d fields of %d² in %.1f s", len(data), L, time.Since(t0).Seconds())
	_, st, err := m.Sample(envInt("RG_N", 2), 1, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sample: %.2f s/sample chain time, %.0f lattice gradients/sample", st.SecondsPerSample, st.LatticeGradPerSample)
}
