package nn

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

func TestUNetSaveLoadRoundTrip(t *testing.T) {
	u, err := NewUNet(UNetConfig{Blocks: 2, Base: 4}, 7)
	if err != nil {
		t.Fatal(err)
	}
	// Make the buffers non-trivial so that they must travel too.
	for _, b := range u.Buffers() {
		for i := range b.Data {
			b.Data[i] = 0.5 + float32(i%5)/10
		}
	}
	var buf bytes.Buffer
	if err := SaveUNet(&buf, u, map[string]string{"data": "test", "steps": "3"}); err != nil {
		t.Fatal(err)
	}
	v, md, err := LoadUNet(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if md["data"] != "test" || md["architecture"] != UNetArchitecture || md["blocks"] != "2" || md["base"] != "4" {
		t.Errorf("metadata %v", md)
	}
	y := NewTensor(1, 1, 16, 16)
	for i := range y.Data {
		y.Data[i] = float32(i%7) / 7
	}
	a, b := NewTensor(1, 1, 16, 16), NewTensor(1, 1, 16, 16)
	if err := u.Residual(a, y); err != nil {
		t.Fatal(err)
	}
	if err := v.Residual(b, y); err != nil {
		t.Fatal(err)
	}
	for i := range a.Data {
		if a.Data[i] != b.Data[i] {
			t.Fatalf("loaded net differs at %d: %v vs %v", i, a.Data[i], b.Data[i])
		}
	}
}

// LoadUNet reads the float16 copy of a net: its weights are the halves
// nearest the originals, and it denoises nearly as the original does.
func TestLoadUNetF16(t *testing.T) {
	u, err := NewUNet(UNetConfig{Blocks: 2, Base: 4}, 7)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := SaveUNet(&buf, u, map[string]string{"data": "test"}); err != nil {
		t.Fatal(err)
	}
	half, err := SafetensorsToF16(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(half) >= buf.Len()*6/10 {
		t.Errorf("float16 copy of %d bytes, the original %d", len(half), buf.Len())
	}
	v, md, err := LoadUNet(bytes.NewReader(half))
	if err != nil {
		t.Fatal(err)
	}
	if md["dtype"] != "F16" || md["data"] != "test" || md["architecture"] != UNetArchitecture {
		t.Errorf("metadata %v", md)
	}
	all := func(n *UNet) []*Param { return append(append([]*Param{}, n.Params()...), n.Buffers()...) }
	pu, pv := all(u), all(v)
	for i, p := range pu {
		for j, w := range p.Data {
			h, err := HalfFromFloat32(w)
			if err != nil || pv[i].Data[j] != HalfToFloat32(h) {
				t.Fatalf("%s[%d] = %v, want the half nearest %v (%v)", p.Name, j, pv[i].Data[j], w, err)
			}
		}
	}
	y := NewTensor(1, 1, 16, 16)
	for i := range y.Data {
		y.Data[i] = float32(i%7) / 7
	}
	a, b := NewTensor(1, 1, 16, 16), NewTensor(1, 1, 16, 16)
	if err := u.Residual(a, y); err != nil {
		t.Fatal(err)
	}
	if err := v.Residual(b, y); err != nil {
		t.Fatal(err)
	}
	var d2, n2 float64
	for i := range a.Data {
		d := float64(a.Data[i] - b.Data[i])
		d2 += d * d
		n2 += float64(a.Data[i]) * float64(a.Data[i])
	}
	if d2 > 1e-4*n2 {
		t.Errorf("float16 net's residual differs by %.2g (relative, squared), want < 1e-4", d2/n2)
	}
}

func TestLoadUNetRejectsBadFiles(t *testing.T) {
	u, _ := NewUNet(UNetConfig{Blocks: 2, Base: 4}, 1)
	var good bytes.Buffer
	if err := SaveUNet(&good, u, nil); err != nil {
		t.Fatal(err)
	}
	tensors := func(mutate func([]NamedTensor) []NamedTensor, md map[string]string) []byte {
		var ts []NamedTensor
		for _, p := range append(append([]*Param{}, u.Params()...), u.Buffers()...) {
			ts = append(ts, NamedTensor{Name: p.Name, Shape: p.Shape, Data: p.Data})
		}
		var b bytes.Buffer
		if err := WriteSafetensors(&b, mutate(ts), md); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	okMeta := map[string]string{"architecture": UNetArchitecture, "blocks": "2", "base": "4"}
	same := func(ts []NamedTensor) []NamedTensor { return ts }
	corrupt := append([]byte{}, good.Bytes()...)
	hl := binary.LittleEndian.Uint64(corrupt[:8])
	binary.LittleEndian.PutUint32(corrupt[8+hl:], 0x7fc00000) // a NaN in the first tensor
	for _, tc := range []struct {
		name, want string
		file       []byte
	}{
		{"empty", "safetensors", nil},
		{"truncated", "safetensors", good.Bytes()[:good.Len()/2]},
		{"corrupted value", "corrupted", corrupt},
		{"unknown architecture", "unknown architecture", tensors(same, map[string]string{"architecture": "resnet", "blocks": "2", "base": "4"})},
		{"no config", "blocks/base", tensors(same, map[string]string{"architecture": UNetArchitecture})},
		{"missing tensor", "lack tensor", tensors(func(ts []NamedTensor) []NamedTensor { return ts[1:] }, okMeta)},
		{"extra tensor", "unexpected tensor", tensors(func(ts []NamedTensor) []NamedTensor {
			return append(ts, NamedTensor{Name: "extra", Shape: []int{1}, Data: []float32{1}})
		}, okMeta)},
		{"wrong shape", "has shape", tensors(func(ts []NamedTensor) []NamedTensor {
			ts[0] = NamedTensor{Name: ts[0].Name, Shape: []int{len(ts[0].Data)}, Data: ts[0].Data}
			return ts
		}, okMeta)},
		{"mismatched config", "", tensors(same, map[string]string{"architecture": UNetArchitecture, "blocks": "3", "base": "4"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := LoadUNet(bytes.NewReader(tc.file))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("LoadUNet: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// Weighting image n by w_n scales its loss and its gradient by w_n: with a
// weight of 0 for the second image, the gradient is that of the first
// image's batch (statistics of the whole batch), and uniform weights 1
// reproduce TrainStep.
func TestTrainStepWeighted(t *testing.T) {
	u, _ := NewUNet(UNetConfig{Blocks: 1, Base: 4}, 3)
	y, tg := NewTensor(2, 1, 8, 8), NewTensor(2, 1, 8, 8)
	for i := range y.Data {
		y.Data[i] = float32(i%9) / 9
		tg.Data[i] = float32(i%5)/5 - 0.4
	}
	l1, err := u.TrainStep(y, tg)
	if err != nil {
		t.Fatal(err)
	}
	g1 := append([]float32{}, u.Params()[0].Grad...)
	l2, err := u.TrainStepWeighted(y, tg, []float32{1, 1})
	if err != nil {
		t.Fatal(err)
	}
	if l1 != l2 {
		t.Errorf("unit weights: loss %v vs %v", l2, l1)
	}
	for i, g := range u.Params()[0].Grad {
		if g != g1[i] {
			t.Fatalf("unit weights change the gradient at %d", i)
		}
	}
	l3, _ := u.TrainStepWeighted(y, tg, []float32{2, 0})
	l4, _ := u.TrainStepWeighted(y, tg, []float32{1, 0})
	if d := l3 - 2*l4; d*d > 1e-9*l3*l3 {
		t.Errorf("loss is not linear in the weights: %v vs 2×%v", l3, l4)
	}
	if _, err := u.TrainStepWeighted(y, tg, []float32{1}); err == nil {
		t.Error("a wrong number of weights was accepted")
	}
}

// UNetConfig.NumParams and NumBuffers count what NewUNet builds, without
// building it.
func TestUNetConfigCounts(t *testing.T) {
	for _, cfg := range []UNetConfig{{1, 1}, {1, 4}, {2, 4}, {2, 8}, {3, 5}, {3, 16}, {4, 2}} {
		u, err := NewUNet(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		buffers := 0
		for _, b := range u.Buffers() {
			buffers += len(b.Data)
		}
		if got := cfg.NumParams(); got != int64(u.NumParams()) {
			t.Errorf("%+v: NumParams %d, NewUNet has %d", cfg, got, u.NumParams())
		}
		if got := cfg.NumBuffers(); got != int64(buffers) {
			t.Errorf("%+v: NumBuffers %d, NewUNet has %d", cfg, got, buffers)
		}
	}
	if got := (UNetConfig{3, 64}).NumParams(); got != 7659264 {
		t.Errorf("paper's model: %d params, want 7659264", got)
	}
	if got := (UNetConfig{MaxBlocks, MaxBase}).NumParams(); got < 1e12 {
		t.Errorf("largest config: %d params, want over 10¹²", got)
	}
	if got := (UNetConfig{0, 4}).NumParams(); got != 0 {
		t.Errorf("invalid config: %d params, want 0", got)
	}
}

// A small weights file whose metadata names a huge net fails before the
// net is allocated.
func TestLoadUNetHugeConfigClaim(t *testing.T) {
	var b bytes.Buffer
	md := map[string]string{"architecture": UNetArchitecture, "blocks": "8", "base": "1024"}
	if err := WriteSafetensors(&b, []NamedTensor{{Name: "enc0.conv1.weight", Shape: []int{1}, Data: []float32{1}}}, md); err != nil {
		t.Fatal(err)
	}
	var err error
	n := allocated(func() { _, _, err = LoadUNet(bytes.NewReader(b.Bytes())) })
	if err == nil || !strings.Contains(err.Error(), "lack tensors of the 8-block, base-1024 U-Net") {
		t.Fatalf("LoadUNet: %v, want a lack-tensors error", err)
	}
	if n > 1<<20 {
		t.Errorf("allocated %d bytes for a %d-byte file", n, b.Len())
	}
}
