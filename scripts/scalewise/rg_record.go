package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"

	"scalewise/engine/nn"
	"scalewise/engine/rg"
)

// recordRGFieldModel adds or updates the manifest entry of a --field
// model (turbulence, C^α) in the manifest beside it: its data, command,
// parameter count and fit time, and, when given, the metrics of its
// validation (rg validate --field --record). Without metrics, metrics
// already recorded for the same file (same SHA-256) are kept.
func recordRGFieldModel(out string, m *rg.Model, metrics map[string]float64) error {
	pc, err := m.Params()
	if err != nil {
		return err
	}
	secs, _ := strconv.ParseFloat(m.Provenance["fit_seconds"], 64)
	return upsertManifestEntry(out, func(man *nn.Manifest, sum string, size int64) nn.ManifestEntry {
		data := fmt.Sprintf("%s, %d×%d: %s (%s training fields", m.Provenance["field"], m.L, m.L, m.Provenance["data"], m.Provenance["fit_samples"])
		if s := m.Provenance["data_sha256"]; len(s) >= 12 {
			data += "; sha256 " + s[:12]
		}
		data += ")"
		extra := map[string]string{"J": strconv.Itoa(m.J), "wavelet": m.Wavelet, "field": m.Provenance["field"],
			"fit": "score matching, H θ = G with diagonal preconditioning", "calibration_rounds": m.Provenance["calibration"],
			"scattering_terms": m.Provenance["scattering_terms"], "params_scattering": strconv.Itoa(pc.Scattering), "d": strconv.Itoa(pc.D)}
		for _, k := range []string{"scattering_families", "scattering_isotropic", "scattering_smoothing", "scattering_shrink", "preconditioned_mala", "ridge", "band_limit", "split", "alpha", "holdout_seed"} {
			if v, ok := m.Provenance[k]; ok {
				extra[k] = v
			}
		}
		e := nn.ManifestEntry{File: filepath.Base(out), SHA256: sum, Bytes: size, Kind: "rg-model",
			Command: m.Provenance["command"], Data: data, Params: pc.Total, TrainSeconds: math.Round(secs), Extra: extra}
		for _, old := range man.Entries {
			if old.File == e.File && metrics == nil && old.SHA256 == sum {
				e.Metrics = old.Metrics
			}
		}
		if metrics != nil {
			e.Metrics = metrics
		}
		return e
	})
}

// rgFieldMetrics returns the manifest metrics of one model of a
// validation (rounded to 4 decimals), with the reference's beside.
func rgFieldMetrics(r *rgFieldModel, ref *rgFieldStats, n int, seed uint64) map[string]float64 {
	out := map[string]float64{
		"spectrum_err": r.SpectrumErr, "marginal_tv": r.MarginalTV, "increment_tv_max": r.IncrementTVMax,
		"bispec_err": r.BispecErr, "trispec_err": r.TrispecErr,
		"reference_spectrum_err": ref.SpectrumErr, "reference_marginal_tv": ref.MarginalTV,
		"reference_bispec_err": ref.BispecErr, "reference_trispec_err": ref.TrispecErr,
		"rg_seconds_per_sample": r.SecondsPerSample, "samples": float64(n), "seed": float64(seed),
		"pass": map[bool]float64{true: 1, false: 0}[r.Pass],
	}
	for _, inc := range r.Increments {
		out[fmt.Sprintf("increment_tv_lag%d", inc.Lag)] = inc.TV
	}
	if r.CostRatioSeconds > 0 {
		out["cost_ratio_seconds"] = r.CostRatioSeconds
	}
	for k, x := range out {
		out[k] = math.Round(x*1e4) / 1e4
	}
	return out
}

// flagBool returns the value of the boolean flag name of fs (false when
// fs has no such flag).
func flagBool(fs *flag.FlagSet, name string) bool {
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	b, _ := g.Get().(bool)
	return b
}

// landRGModel copies a recorded rg model (its manifest entry beside it
// must match the file) into dir atomically and upserts that entry into
// dir/manifest.json, as "scalewise land" does for weights files: a run
// that writes into build/ lands its models only once they are validated.
func landRGModel(src, dir string, log io.Writer) error {
	if err := landFile(src, dir, 1<<30); err != nil {
		return err
	}
	fmt.Fprintf(log, "landed %s in %s\n", filepath.Base(src), dir)
	return nil
}
