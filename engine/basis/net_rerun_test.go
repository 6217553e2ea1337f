package basis

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"scalewise/engine/denoise"
	"scalewise/engine/geometry"
	"scalewise/engine/nn"
	"scalewise/weights"
)

// rerunJacobian is NetJacobian as it was before nn.Linearization: every
// application reruns the net's forward pass on y (nn.UNet.JVP and VJP).
// It gives the same products, at about twice the cost; the benchmarks
// compare the two.
type rerunJacobian struct {
	u          *nn.UNet
	y, in, out *nn.Tensor
}

func newRerunJacobian(u *nn.UNet, y []float64, h, w int) *rerunJacobian {
	j := &rerunJacobian{u: u, y: nn.NewTensor(1, 1, h, w), in: nn.NewTensor(1, 1, h, w), out: nn.NewTensor(1, 1, h, w)}
	for i, v := range y {
		j.y.Data[i] = float32(v)
	}
	return j
}

func (j *rerunJacobian) Dim() int { return len(j.y.Data) }
func (j *rerunJacobian) Apply(dst, x []float64) error {
	return j.apply(dst, x, j.u.JVP)
}
func (j *rerunJacobian) ApplyT(dst, x []float64) error {
	return j.apply(dst, x, j.u.VJP)
}
func (j *rerunJacobian) apply(dst, x []float64, prod func(y, v, out *nn.Tensor) error) error {
	for i, v := range x {
		j.in.Data[i] = float32(v)
	}
	if err := prod(j.y, j.in, j.out); err != nil {
		return err
	}
	for i, v := range j.out.Data {
		dst[i] = x[i] - float64(v)
	}
	return nil
}

// noisyDrawing returns a size×size noisy drawing (geometry.RandomDrawing,
// boundary mode, as the "drawing" net was trained on) at σ.
func noisyDrawing(tb testing.TB, size int, sigma float64, seed uint64) []float64 {
	tb.Helper()
	x, err := geometry.RandomDrawing(seed, geometry.DrawingOptions{Size: size, Mode: geometry.DrawingBoundary})
	if err != nil {
		tb.Fatal(err)
	}
	return denoise.AddNoise(x, sigma, seed).Data
}

// BenchmarkNetLanczos is the page's computation: the top 32 and 64
// eigenpairs of the symmetric part of the "drawing" net's Jacobian at a
// noisy 64×64 drawing (σ = 0.1), with one worker, through NetJacobian
// (the linearization) and through rerunJacobian (the forward pass rerun
// at every product). It reports seconds and Lanczos steps per run and
// milliseconds per step. Under js/wasm (the page's engine) run it alone:
//
//	GOOS=js GOARCH=wasm go test -run X -bench NetLanczos/k32/linearized -benchtime 1x ./engine/basis/
func BenchmarkNetLanczos(b *testing.B) {
	u, _, err := weights.Denoiser("drawing")
	if err != nil {
		b.Fatal(err)
	}
	u.SetWorkers(1)
	const size = 64
	y := noisyDrawing(b, size, 0.1, 1)
	for _, k := range []int{32, 64} {
		for _, op := range []string{"linearized", "rerun"} {
			b.Run(fmt.Sprintf("k%d/%s", k, op), func(b *testing.B) {
				var e *Eigen
				for b.Loop() {
					var j Operator
					if op == "rerun" {
						j = newRerunJacobian(u, y, size, size)
					} else if j, err = NewNetJacobian(u, y, size, size); err != nil {
						b.Fatal(err)
					}
					if e, err = Lanczos(context.Background(), SymmetricPart(j), k, LanczosOptions{Seed: 1}); err != nil {
						b.Fatal(err)
					}
				}
				s := b.Elapsed().Seconds() / float64(b.N)
				b.ReportMetric(s, "s/run")
				b.ReportMetric(float64(e.Krylov), "steps")
				b.ReportMetric(s*1e3/float64(e.Krylov), "ms/step")
			})
		}
	}
}

// BenchmarkNetLanczosTolerance logs, for the page's computation (top 32
// at a noisy 64×64 drawing, "drawing" net, σ = 0.1), the Lanczos steps and
// time each tolerance needs and how far its eigenpairs are from those of
// DefaultTol (run with -bench NetLanczosTolerance -benchtime 1x).
func BenchmarkNetLanczosTolerance(b *testing.B) {
	u, _, err := weights.Denoiser("drawing")
	if err != nil {
		b.Fatal(err)
	}
	u.SetWorkers(1)
	const size, k = 64, 32
	y := noisyDrawing(b, size, 0.1, 1)
	j, err := NewNetJacobian(u, y, size, size)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var ref *Eigen
		for _, tol := range []float64{DefaultTol, 1e-5, 1e-4, 1e-3} {
			t0 := time.Now()
			e, err := Lanczos(context.Background(), SymmetricPart(j), k, LanczosOptions{Seed: 1, Tol: tol})
			if err != nil {
				b.Fatal(err)
			}
			if ref == nil {
				ref = e
			}
			worstV, worstA := 0.0, 0.0
			for i := range k {
				worstV = math.Max(worstV, relErr(e.Values[i], ref.Values[i]))
				worstA = math.Max(worstA, angle(e.Vectors[i], ref.Vectors[i]))
			}
			b.Logf("tol %g: %d steps in %v; λ_1 = %.5f, λ_%d = %.5f; vs tol %g: values to %.2g, vectors to %.2g rad",
				tol, e.Krylov, time.Since(t0).Round(time.Millisecond), e.Values[0], k, e.Values[k-1], DefaultTol, worstV, worstA)
		}
	}
}

// TestNetJacobianLinearized checks that NetJacobian (one forward pass,
// then the linearization's products) gives exactly the products of
// rerunJacobian (the forward pass rerun at each) and that Denoise is the
// net's Denoise.
func TestNetJacobianLinearized(t *testing.T) {
	const size = 16
	u := shippedNet(t, "drawing")
	y := noisyDrawing(t, size, 0.1, 3)
	j, err := NewNetJacobian(u, y, size, size)
	if err != nil {
		t.Fatal(err)
	}
	ref := newRerunJacobian(u, y, size, size)
	n := j.Dim()
	rng := rand.New(rand.NewPCG(5, 6))
	x, got, want := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	for _, tc := range []struct {
		name      string
		got, want func(dst, x []float64) error
	}{{"Apply", j.Apply, ref.Apply}, {"ApplyT", j.ApplyT, ref.ApplyT}} {
		if err := tc.got(got, x); err != nil {
			t.Fatal(err)
		}
		if err := tc.want(want, x); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s differs from the rerun net's", tc.name)
		}
	}
	if err := j.Denoise(got); err != nil {
		t.Fatal(err)
	}
	in, out := nn.NewTensor(1, 1, size, size), nn.NewTensor(1, 1, size, size)
	for i, v := range y {
		in.Data[i] = float32(v)
	}
	if err := u.Denoise(out, in); err != nil {
		t.Fatal(err)
	}
	for i, v := range out.Data {
		if got[i] != float64(v) {
			t.Fatalf("Denoise differs from the net's at %d: %g vs %g", i, got[i], v)
		}
	}
}
