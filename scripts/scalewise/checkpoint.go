package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"

	"scalewise/engine/nn"
)

// saveCheckpoint writes the net, its batch-norm buffers and Adam's moments
// after `step` steps as safetensors, with the run's configuration in the
// metadata so that a resume with other settings is refused.
func saveCheckpoint(path string, c trainConfig, u *nn.UNet, adam *nn.Adam, step int, elapsed float64) error {
	cfg, _ := json.Marshal(c)
	st := adam.State()
	var ts []nn.NamedTensor
	for _, p := range append(append([]*nn.Param{}, u.Params()...), u.Buffers()...) {
		ts = append(ts, nn.NamedTensor{Name: p.Name, Shape: p.Shape, Data: p.Data})
	}
	for i, p := range adam.TrainedParams() {
		ts = append(ts,
			nn.NamedTensor{Name: "adam.m." + p.Name, Shape: []int{len(st.M[i])}, Data: st.M[i]},
			nn.NamedTensor{Name: "adam.v." + p.Name, Shape: []int{len(st.V[i])}, Data: st.V[i]})
	}
	md := map[string]string{"config": string(cfg), "step": strconv.Itoa(step), "adam_t": strconv.Itoa(st.T), "elapsed": fmt.Sprintf("%.1f", elapsed)}
	return writeFileAtomic(path, func(w io.Writer) error { return nn.WriteSafetensors(w, ts, md) })
}

// loadCheckpoint restores a checkpoint of the same run into u and adam and
// returns the step to continue from and the seconds trained so far. A
// missing file gives an error wrapping os.ErrNotExist.
func loadCheckpoint(path string, c trainConfig, u *nn.UNet, adam *nn.Adam) (int, float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	ts, md, err := nn.ReadSafetensors(f, 1<<30)
	if err != nil {
		return 0, 0, err
	}
	var saved trainConfig
	if err := json.Unmarshal([]byte(md["config"]), &saved); err != nil {
		return 0, 0, fmt.Errorf("no run configuration: %w", err)
	}
	if saved != c {
		return 0, 0, fmt.Errorf("it belongs to another run (%+v)", saved)
	}
	step, err1 := strconv.Atoi(md["step"])
	t, err2 := strconv.Atoi(md["adam_t"])
	elapsed, _ := strconv.ParseFloat(md["elapsed"], 64)
	if err1 != nil || err2 != nil || step < 0 || step > c.Steps || t < 0 {
		return 0, 0, fmt.Errorf("bad step metadata")
	}
	if !isFinite(elapsed) || elapsed < 0 {
		elapsed = 0
	}
	byName := map[string][]float32{}
	for _, t := range ts {
		byName[t.Name] = t.Data
	}
	get := func(name string, n int) ([]float32, error) {
		d, ok := byName[name]
		if !ok || len(d) != n {
			return nil, fmt.Errorf("tensor %s missing or of the wrong size", name)
		}
		return d, nil
	}
	for _, p := range append(append([]*nn.Param{}, u.Params()...), u.Buffers()...) {
		d, err := get(p.Name, len(p.Data))
		if err != nil {
			return 0, 0, err
		}
		copy(p.Data, d)
	}
	st := nn.AdamState{T: t}
	for _, p := range adam.TrainedParams() {
		m, err := get("adam.m."+p.Name, len(p.Data))
		if err != nil {
			return 0, 0, err
		}
		v, err := get("adam.v."+p.Name, len(p.Data))
		if err != nil {
			return 0, 0, err
		}
		st.M, st.V = append(st.M, m), append(st.V, v)
	}
	if err := adam.SetState(st); err != nil {
		return 0, 0, err
	}
	return step, elapsed, nil
}
