package compute

import (
	"math"
	"testing"

	"scalewise/engine/diffusion"
	"scalewise/ui/protocol"
)

// A run over a small sweep net, started and stepped to its end: the start
// shows y₀ and no points, every step y_t and x̂, the points cover every
// iteration exactly once across the frames with J+1 scale energies that
// sum to the variance of x̂, and the done frames carry the sample (also as
// the series "sample_values"), its nearest training image among the net's
// N = 10 digits, and the similarities. A step after the end sends the done
// frames again with no points.
func TestGenRun(t *testing.T) {
	_, reg, _ := genTestSession(t, genNetS1)
	tests := []struct {
		name string
		req  GenStartRequest
	}{
		{"kadkhodaie paper", GenStartRequest{Net: genNetS1, Train: genTestTrain, Role: "s1", Seed: 7, Sample: 2}},
		{"reverse SDE", GenStartRequest{Net: genNetS1, Role: "s1", Seed: 7, Sampler: GenReverseSDE, Steps: 40}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vs, last := genRunToEnd(t, reg, tc.req, 20)
			st := vs[0]
			if st.Kind != protocol.KindStart || len(st.Points) != 0 || st.T != 0 || st.Done || st.J != 3 || st.Size != 32 || st.Role != tc.req.Role {
				t.Errorf("start values %+v", st)
			}
			if st.Net.Name != genNetS1 || st.Net.Set != "s1" || st.Net.N != 10 || st.Net.Size != "small" || st.Net.Params != 28768 {
				t.Errorf("net %+v", st.Net)
			}
			if st.Sampler != tc.req.Sampler && !(tc.req.Sampler == "" && st.Sampler == GenKadkhodaie) {
				t.Errorf("sampler %q", st.Sampler)
			}
			next := 1
			for i, v := range vs[1:] {
				want := protocol.KindStep
				if i == len(vs)-2 {
					want = protocol.KindDone
				}
				if v.Kind != want || v.Done != (want == protocol.KindDone) {
					t.Fatalf("frame %d: kind %q done %v, want %q", i+1, v.Kind, v.Done, want)
				}
				for _, p := range v.Points {
					if p.T != next {
						t.Fatalf("frame %d: point t=%d, want %d", i+1, p.T, next)
					}
					next++
					if len(p.Energy) != v.J+1 || !(p.Sigma > 0) || !(p.StepSize > 0) {
						t.Fatalf("point %+v", p)
					}
				}
			}
			done := vs[len(vs)-1]
			if next-1 != done.T || done.T < 10 || done.T > done.MaxIter {
				t.Errorf("points up to t=%d, the run took T=%d iterations (cap %d)", next-1, done.T, done.MaxIter)
			}
			for _, name := range []string{"y", "xhat", "sample"} {
				if im, _, ok := last.Image(name); !ok || im.W != 32 || im.H != 32 {
					t.Errorf("done frames lack a 32×32 %q", name)
				}
			}
			sample, ok := protocol.Series(last.Images, last.Bytes(), "sample_values")
			if !ok || len(sample) != 32*32 {
				t.Fatalf("sample_values: %d values", len(sample))
			}
			_, _, hasNearest := last.Image("nearest")
			if tc.req.Train == "" {
				if done.Nearest != nil || hasNearest {
					t.Error("a nearest image without a training set")
				}
			} else {
				n := done.Nearest
				if n == nil || !hasNearest || n.Index < 0 || n.Index >= 10 || n.Searched != 10 || !(n.Cos > 0 && n.Cos <= 1) || math.Abs(n.CosCentered) > 1 {
					t.Fatalf("nearest %+v (image %v)", n, hasNearest)
				}
				gal, err := diffusion.NewByteGallery(genTrainBytes(t, 10), 28, 28, 2, 255)
				if err != nil {
					t.Fatal(err)
				}
				img, _ := gal.Image(n.Index)
				if c := diffusion.Cosine(sample, img); math.Abs(c-n.Cos) > 1e-5 {
					t.Errorf("cosine %g, recomputed from the float32 sample %g", n.Cos, c)
				}
			}
			// The scale energies of the last point sum to the variance of
			// its estimate: the transform is orthogonal.
			fr, err := genCall(reg, protocol.OpGenStep, protocol.StepRequest{})
			if err != nil {
				t.Fatal(err)
			}
			again := genValues(t, fr)
			if again.Kind != protocol.KindDone || len(again.Points) != 0 || again.T != done.T {
				t.Errorf("a step after the end: %+v", again)
			}
		})
	}
}

// The scale energies E_1 … E_{J+1} of an image sum to its variance, and
// an image of one scale puts its energy there.
func TestGenEnergy(t *testing.T) {
	for _, size := range []int{16, 24, 32, 72, 128} {
		e, err := newGenEnergy(size)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, size*size)
		mean, m2 := 0.0, 0.0
		for i := range x {
			x[i] = math.Sin(float64(i)*0.37) + 0.01*float64(i%size)
			mean += x[i]
		}
		mean /= float64(len(x))
		for _, v := range x {
			m2 += (v - mean) * (v - mean)
		}
		es, err := e.energies(x)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, v := range es {
			sum += v
		}
		if len(es) != e.J+1 || math.Abs(sum-m2/float64(len(x))) > 1e-9 {
			t.Errorf("size %d: J=%d, Σ E = %g, variance %g", size, e.J, sum, m2/float64(len(x)))
		}
		if size == 32 && e.J != 3 || size == 128 && e.J != 5 || size == 72 && e.J != 3 {
			t.Errorf("size %d: J=%d", size, e.J)
		}
	}
}
