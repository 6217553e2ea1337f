package assets

import (
	"math"
	"testing"
)

// The shipped turbulence snapshots are standardised, distinct and not
// Gaussian white noise: neighbouring pixels are strongly correlated.
func TestTurbulenceSnapshots(t *testing.T) {
	for _, n := range []int{64, 128} {
		fs, err := TurbulenceSnapshots(n)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) < 2 {
			t.Fatalf("%d×%d: %d snapshots", n, n, len(fs))
		}
		for k, f := range fs {
			var m, v, c float64
			for i, x := range f.Data {
				m += x
				v += x * x
				c += x * f.Data[(i/n)*n+(i%n+1)%n]
			}
			m /= float64(len(f.Data))
			v /= float64(len(f.Data))
			c /= float64(len(f.Data))
			if math.Abs(m) > 1e-3 || math.Abs(v-1) > 1e-3 || c < 0.5 {
				t.Errorf("%d×%d snapshot %d: mean %.2g, variance %.4f, lag-1 correlation %.3f", n, n, k, m, v, c)
			}
		}
		if fs[0].Data[0] == fs[1].Data[0] && fs[0].Data[n+1] == fs[1].Data[n+1] {
			t.Errorf("%d×%d: snapshots 0 and 1 look identical", n, n)
		}
	}
	if _, err := TurbulenceSnapshots(32); err == nil {
		t.Error("32×32: no error")
	}
}
