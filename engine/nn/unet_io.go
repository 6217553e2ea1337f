package nn

import (
	"fmt"
	"io"
	"os"
	"strconv"
)

// UNetArchitecture names the network in the weights' metadata.
const UNetArchitecture = "scalewise-bias-free-unet-v1"

// MaxWeightsBytes bounds the weight files LoadUNet reads.
const MaxWeightsBytes = 256 << 20

// SaveUNet writes the net's parameters and batch-norm buffers as
// safetensors, with metadata holding the architecture and configuration
// (keys "architecture", "blocks", "base") plus the caller's entries
// (training data, seed, steps, metrics).
func SaveUNet(w io.Writer, u *UNet, meta map[string]string) error {
	md := map[string]string{}
	for k, v := range meta {
		md[k] = v
	}
	cfg := u.Config()
	md["architecture"] = UNetArchitecture
	md["blocks"] = strconv.Itoa(cfg.Blocks)
	md["base"] = strconv.Itoa(cfg.Base)
	var ts []NamedTensor
	for _, p := range append(append([]*Param{}, u.Params()...), u.Buffers()...) {
		ts = append(ts, NamedTensor{Name: p.Name, Shape: p.Shape, Data: p.Data})
	}
	return WriteSafetensors(w, ts, md)
}

// SaveUNetFile is SaveUNet to a file, written whole or not at all.
func SaveUNetFile(path string, u *UNet, meta map[string]string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := SaveUNet(f, u, meta); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// LoadUNet reads weights written by SaveUNet, or their float16 copy
// (SafetensorsToF16: tensors stored as IEEE 754-2008 binary16, read back as
// float32 exactly; the metadata then say "dtype": "F16"). A truncated or
// corrupted file,
// an unknown architecture, a missing, extra or wrongly shaped tensor gives a
// clear error, never a panic.
func LoadUNet(r io.Reader) (*UNet, map[string]string, error) {
	ts, md, err := ReadSafetensors(r, MaxWeightsBytes)
	if err != nil {
		return nil, nil, err
	}
	if a := md["architecture"]; a != UNetArchitecture {
		return nil, nil, fmt.Errorf("nn: unknown architecture %q (want %q)", a, UNetArchitecture)
	}
	blocks, err1 := strconv.Atoi(md["blocks"])
	base, err2 := strconv.Atoi(md["base"])
	if err1 != nil || err2 != nil {
		return nil, nil, fmt.Errorf("nn: weights metadata has no valid blocks/base (%q, %q)", md["blocks"], md["base"])
	}
	cfg := UNetConfig{Blocks: blocks, Base: base}
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	// The net is allocated from the metadata's claim: check it against the
	// values the file holds first, so that a small file cannot ask for a
	// huge net.
	var have int64
	for _, t := range ts {
		have += int64(len(t.Data))
	}
	if need := cfg.NumParams() + cfg.NumBuffers(); need > have {
		return nil, nil, fmt.Errorf("nn: weights lack tensors of the %d-block, base-%d U-Net their metadata names: it has %d values, the file holds %d", blocks, base, need, have)
	}
	u, err := NewUNet(cfg, 0)
	if err != nil {
		return nil, nil, err
	}
	byName := map[string]NamedTensor{}
	for _, t := range ts {
		byName[t.Name] = t
	}
	all := append(append([]*Param{}, u.Params()...), u.Buffers()...)
	for _, p := range all {
		t, ok := byName[p.Name]
		if !ok {
			return nil, nil, fmt.Errorf("nn: weights lack tensor %s", p.Name)
		}
		if !sameShape(t.Shape, p.Shape) {
			return nil, nil, fmt.Errorf("nn: tensor %s has shape %v, want %v", p.Name, t.Shape, p.Shape)
		}
		copy(p.Data, t.Data)
		delete(byName, p.Name)
	}
	for name := range byName {
		return nil, nil, fmt.Errorf("nn: weights have an unexpected tensor %s for a %d-block, base-%d U-Net", name, blocks, base)
	}
	return u, md, nil
}

// LoadUNetFile is LoadUNet from a file.
func LoadUNetFile(path string) (*UNet, map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	u, md, err := LoadUNet(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return u, md, nil
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
