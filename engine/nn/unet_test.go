package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestUNetParamCounts(t *testing.T) {
	// Exact count for the paper's model (Kadkhodaie et al., ICLR 2024,
	// App. A.1), and counts derived from its layer list to 0.5 %.
	cases := []struct {
		cfg   UNetConfig
		want  int
		exact bool
	}{
		{UNetConfig{3, 64}, 7659264, true},
		{UNetConfig{1, 64}, 366000, false},
		{UNetConfig{2, 64}, 1830000, false},
		{UNetConfig{4, 64}, 30990000, false},
		{UNetConfig{3, 8}, 120000, false},
		{UNetConfig{3, 16}, 479000, false},
		{UNetConfig{3, 32}, 1920000, false},
		{UNetConfig{2, 16}, 114000, false},
		{UNetConfig{2, 32}, 457000, false},
		{UNetConfig{1, 32}, 92000, false},
	}
	for _, c := range cases {
		u, err := NewUNet(c.cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		got := u.NumParams()
		if c.exact && got != c.want || math.Abs(float64(got-c.want)) > 0.005*float64(c.want) {
			t.Errorf("%+v: %d params, want %d", c.cfg, got, c.want)
		}
		if c.cfg == (UNetConfig{3, 64}) {
			gammas := 0
			for _, p := range u.Params() {
				if len(p.Shape) == 1 {
					gammas += p.Len()
				}
			}
			if gammas != 2688 {
				t.Errorf("%d BN γ values, want 2688", gammas)
			}
		}
	}
}

func TestUNetNamesAndShapes(t *testing.T) {
	u, err := NewUNet(UNetConfig{Blocks: 2, Base: 4}, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"enc0.conv1.weight [4 1 3 3]", "enc0.conv2.weight [4 4 3 3]", "enc0.bn2.gamma [4]",
		"enc1.conv1.weight [8 4 3 3]", "enc1.bn1.gamma [8]", "enc1.conv2.weight [8 8 3 3]", "enc1.bn2.gamma [8]",
		"mid.conv1.weight [16 8 3 3]", "mid.bn1.gamma [16]", "mid.conv2.weight [16 16 3 3]", "mid.bn2.gamma [16]",
		"dec1.up.weight [16 8 2 2]", "dec1.conv1.weight [8 16 3 3]", "dec1.bn1.gamma [8]",
		"dec1.conv2.weight [8 8 3 3]", "dec1.bn2.gamma [8]",
		"dec0.up.weight [8 4 2 2]", "dec0.conv1.weight [4 8 3 3]", "dec0.bn1.gamma [4]", "dec0.conv2.weight [1 4 3 3]",
	}
	ps := u.Params()
	if len(ps) != len(want) {
		t.Fatalf("%d params, want %d", len(ps), len(want))
	}
	for i, p := range ps {
		if got := fmt.Sprintf("%s %v", p.Name, p.Shape); got != want[i] {
			t.Errorf("param %d: %s, want %s", i, got, want[i])
		}
		if len(p.Grad) != len(p.Data) {
			t.Errorf("%s: grad length %d", p.Name, len(p.Grad))
		}
	}
	bufs := u.Buffers()
	if len(bufs) != 8 || bufs[0].Name != "enc0.bn2.running_sd" || bufs[0].Grad != nil {
		t.Errorf("buffers: %d, first %q", len(bufs), bufs[0].Name)
	}
	for _, b := range bufs {
		for _, v := range b.Data {
			if v != 1 {
				t.Fatalf("%s initialised to %g, want 1", b.Name, v)
			}
		}
	}
}

func TestUNetInit(t *testing.T) {
	u, _ := NewUNet(UNetConfig{Blocks: 3, Base: 32}, 7)
	v, _ := NewUNet(UNetConfig{Blocks: 3, Base: 32}, 7)
	w, _ := NewUNet(UNetConfig{Blocks: 3, Base: 32}, 8)
	for i, p := range u.Params() {
		if p.Data[0] != v.Params()[i].Data[0] {
			t.Fatal("same seed gives different parameters")
		}
		if p.Data[0] == w.Params()[i].Data[0] {
			t.Fatalf("%s: different seeds give equal parameters", p.Name)
		}
		var ss float64
		for _, x := range p.Data {
			ss += float64(x) * float64(x)
		}
		sd := math.Sqrt(ss / float64(len(p.Data)))
		var want float64
		switch len(p.Shape) {
		case 1:
			want = 2.0 / 9 / 64
			for _, x := range p.Data {
				if math.Abs(float64(x)) > 0.025 {
					t.Fatalf("%s: γ %g outside ±0.025", p.Name, x)
				}
			}
		case 4:
			if p.Shape[2] == 3 {
				want = math.Sqrt(2 / float64(p.Shape[1]*9))
			} else {
				want = math.Sqrt(2 / float64(p.Shape[1]*4))
			}
		}
		if tol := 4 * want / math.Sqrt(float64(len(p.Data))); math.Abs(sd-want) > max(tol, 0.15*want) {
			t.Errorf("%s: sd %.4g, want %.4g", p.Name, sd, want)
		}
	}
}

func TestUNetConfigAndInputErrors(t *testing.T) {
	for _, cfg := range []UNetConfig{{0, 8}, {2, 0}, {9, 8}, {2, 2000}} {
		if _, err := NewUNet(cfg, 1); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
	u, _ := NewUNet(UNetConfig{Blocks: 2, Base: 4}, 1)
	bad := []*Tensor{
		NewTensor(1, 1, 14, 16), NewTensor(1, 1, 16, 10), NewTensor(1, 2, 16, 16),
		NewTensor(0, 1, 16, 16), {N: 1, C: 1, H: 16, W: 16},
	}
	for _, y := range bad {
		err := u.Residual(NewTensor(y.N, y.C, y.H, y.W), y)
		if !errors.Is(err, ErrShape) {
			t.Errorf("%v: error %v, want ErrShape", y, err)
		}
		if _, err := u.TrainStep(y, y); err == nil {
			t.Errorf("%v: TrainStep accepted", y)
		}
	}
	y := NewTensor(1, 1, 16, 16)
	if err := u.Residual(NewTensor(1, 1, 16, 8), y); err == nil {
		t.Error("wrong dst shape accepted")
	}
}

// randomizeBN gives γ and running_sd spread-out values so that the BN scale
// matters in eval mode and activations are O(1).
func randomizeBN(u *UNet, rng *rand.Rand) {
	for _, p := range u.Params() {
		if len(p.Shape) == 1 {
			for i := range p.Data {
				p.Data[i] = float32(0.5 + rng.Float64())
			}
		}
	}
	for _, b := range u.Buffers() {
		for i := range b.Data {
			b.Data[i] = float32(0.5 + 1.5*rng.Float64())
		}
	}
}

// refUNetEval evaluates the eval-mode U-Net from its parameter names with
// the exported, unfused ops: Conv3x3 with the raw weights, BatchNormEval,
// ReLU, AvgPool2, ConvTranspose2x2 and Concat.
func refUNetEval(t *testing.T, u *UNet, y *Tensor) *Tensor {
	t.Helper()
	ops := NewOps(1)
	byName := map[string]*Param{}
	for _, p := range append(append([]*Param(nil), u.Params()...), u.Buffers()...) {
		byName[p.Name] = p
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	conv := func(x *Tensor, name, bn string, relu bool) *Tensor {
		w := byName[name+".weight"]
		out := NewTensor(x.N, w.Shape[0], x.H, x.W)
		must(ops.Conv3x3(out, x, w.Data))
		if bn != "" {
			must(BatchNormEval(out, out, byName[bn+".gamma"].Data, byName[bn+".running_sd"].Data))
		}
		if relu {
			must(ReLU(out, out))
		}
		return out
	}
	cfg := u.Config()
	x := y
	var skips []*Tensor
	for b := 0; b < cfg.Blocks; b++ {
		p := fmt.Sprintf("enc%d", b)
		if b == 0 {
			x = conv(x, p+".conv1", "", true)
		} else {
			x = conv(x, p+".conv1", p+".bn1", true)
		}
		x = conv(x, p+".conv2", p+".bn2", true)
		skips = append(skips, x)
		pooled := NewTensor(x.N, x.C, x.H/2, x.W/2)
		must(AvgPool2(pooled, x))
		x = pooled
	}
	x = conv(x, "mid.conv1", "mid.bn1", true)
	x = conv(x, "mid.conv2", "mid.bn2", true)
	for b := cfg.Blocks - 1; b >= 0; b-- {
		p := fmt.Sprintf("dec%d", b)
		w := byName[p+".up.weight"]
		up := NewTensor(x.N, w.Shape[1], 2*x.H, 2*x.W)
		must(ops.ConvTranspose2x2(up, x, w.Data))
		cat := NewTensor(x.N, up.C+skips[b].C, up.H, up.W)
		must(Concat(cat, up, skips[b]))
		x = conv(cat, p+".conv1", p+".bn1", true)
		if b > 0 {
			x = conv(x, p+".conv2", p+".bn2", true)
		} else {
			x = conv(x, p+".conv2", "", false)
		}
	}
	return x
}

func TestUNetEvalMatchesUnfoldedReference(t *testing.T) {
	cases := []struct {
		cfg     UNetConfig
		n, h, w int
		workers int
	}{
		{UNetConfig{2, 4}, 2, 16, 16, 1},
		{UNetConfig{2, 4}, 2, 16, 16, 3},
		{UNetConfig{3, 8}, 1, 24, 40, 2},
		{UNetConfig{1, 9}, 3, 6, 4, 1},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%+v/%dx%dx%d/w%d", c.cfg, c.n, c.h, c.w, c.workers), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(21, 22))
			u, err := NewUNet(c.cfg, 3)
			if err != nil {
				t.Fatal(err)
			}
			u.SetWorkers(c.workers)
			randomizeBN(u, rng)
			y := randTensor(rng, c.n, 1, c.h, c.w)
			got := NewTensor(c.n, 1, c.h, c.w)
			if err := u.Residual(got, y); err != nil {
				t.Fatal(err)
			}
			want := refUNetEval(t, u, y)
			if d := maxRelDiff(got.Data, want.Data); d > 1e-5 {
				t.Errorf("folded vs unfolded: max rel diff %.3g", d)
			}
			// Denoise is y − f(y).
			den := NewTensor(c.n, 1, c.h, c.w)
			if err := u.Denoise(den, y); err != nil {
				t.Fatal(err)
			}
			for i := range den.Data {
				if math.Abs(float64(den.Data[i]-(y.Data[i]-got.Data[i]))) > 1e-6 {
					t.Fatal("Denoise ≠ y − Residual")
				}
			}
		})
	}
}

func TestUNetHomogeneity(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	u, _ := NewUNet(UNetConfig{Blocks: 2, Base: 8}, 5)
	randomizeBN(u, rng)
	y := randTensor(rng, 2, 1, 16, 16)
	f := NewTensor(2, 1, 16, 16)
	if err := u.Residual(f, y); err != nil {
		t.Fatal(err)
	}
	if norm(f.Data) == 0 {
		t.Fatal("f(y) = 0")
	}
	for _, a := range []float32{0.1, 0.5, 2, 10} {
		ay := NewTensor(2, 1, 16, 16)
		for i, v := range y.Data {
			ay.Data[i] = a * v
		}
		fa := NewTensor(2, 1, 16, 16)
		u.Residual(fa, ay)
		scaled := make([]float32, len(f.Data))
		for i, v := range f.Data {
			scaled[i] = a * v
		}
		if d := maxRelDiff(fa.Data, scaled); d > 1e-5 {
			t.Errorf("a = %g: max rel |f(ay) − a f(y)| = %.3g", a, d)
		}
	}
	zero := NewTensor(2, 1, 16, 16)
	u.Residual(f, zero)
	for _, v := range f.Data {
		if v != 0 {
			t.Fatalf("f(0) has %g", v)
		}
	}
}

func TestUNetJacobian(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	u, _ := NewUNet(UNetConfig{Blocks: 2, Base: 8}, 6)
	randomizeBN(u, rng)
	const n, h, w = 2, 16, 16
	y := randTensor(rng, n, 1, h, w)
	v := randTensor(rng, n, 1, h, w)
	wt := randTensor(rng, n, 1, h, w)
	jv := NewTensor(n, 1, h, w)
	jtw := NewTensor(n, 1, h, w)
	if err := u.JVP(y, v, jv); err != nil {
		t.Fatal(err)
	}
	if err := u.VJP(y, wt, jtw); err != nil {
		t.Fatal(err)
	}
	// ⟨J v, w⟩ = ⟨v, Jᵀ w⟩.
	adjointCheck(t, "JVP/VJP", jv.Data, wt.Data, v.Data, jtw.Data, 1e-5)

	// Central difference (f(y+εv) − f(y−εv))/2ε. Its error is first order
	// in ε from ReLUs that switch (measured: 7 % at ε = 1e-2, 0.15 % at
	// 3e-4) until float32 rounding takes over below 1e-4.
	const eps = 2e-4
	yp, ym := NewTensor(n, 1, h, w), NewTensor(n, 1, h, w)
	for i := range y.Data {
		yp.Data[i] = y.Data[i] + eps*v.Data[i]
		ym.Data[i] = y.Data[i] - eps*v.Data[i]
	}
	fp, fm := NewTensor(n, 1, h, w), NewTensor(n, 1, h, w)
	u.Residual(fp, yp)
	u.Residual(fm, ym)
	fd := make([]float32, len(fp.Data))
	for i := range fd {
		fd[i] = (fp.Data[i] - fm.Data[i]) / (2 * eps)
	}
	if d := norm(sub(fd, jv.Data)) / norm(jv.Data); d > 5e-3 {
		t.Errorf("JVP vs central difference: relative error %.3g", d)
	}

	// Euler: J_f(y)·y = f(y), and the same through VJP: ⟨Jᵀw, y⟩ = ⟨w, f(y)⟩.
	f := NewTensor(n, 1, h, w)
	u.Residual(f, y)
	jy := NewTensor(n, 1, h, w)
	u.JVP(y, y, jy)
	if d := maxRelDiff(jy.Data, f.Data); d > 1e-5 {
		t.Errorf("Euler J·y vs f(y): max rel diff %.3g", d)
	}
	if l, r := dot(jtw.Data, y.Data), dot(wt.Data, f.Data); math.Abs(l-r) > 1e-4*norm(wt.Data)*norm(f.Data) {
		t.Errorf("⟨Jᵀw, y⟩ = %g, ⟨w, f(y)⟩ = %g", l, r)
	}
	// VJP is the gradient of ⟨f(y), w⟩: compare with finite differences at
	// a few pixels.
	loss := func() float64 {
		u.Residual(f, y)
		return dot(f.Data, wt.Data)
	}
	fdCheck(t, "VJP", rng, y.Data, jtw.Data, loss, 10, 1e-3, 2e-2)
}

func sub(a, b []float32) []float32 {
	d := make([]float32, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	return d
}
