package basis

import (
	"context"
	"math"
	"testing"
)

// TestSURENet compares SURE (with a Hutchinson trace of 8 probes) with the
// true per-pixel MSE of the shipped calpha1 net on 16 held-out C^1 images of
// 64×64 at σ = 0.1: the means agree within 5 %. SURE − MSE fluctuates per
// image by about σ²·√(2/n) (its term σ²(‖z‖²/n − 1) alone), 2.2e-4 at
// n = 4096, so the mean over 16 images is good to about 5.5e-5, 2 % of
// this net's MSE (2.5e-3); the smoother classes' nets, with MSEs of 3e-4 to
// 6e-4, would need many more images for a 5 % test.
func TestSURENet(t *testing.T) {
	const size, images, sigma = 64, 16, 0.1
	u := shippedNet(t, "calpha1")
	var sure, mse float64
	diff := make([]float64, images)
	for s := range images {
		x, y := noisyCAlpha(t, size, 1, sigma, uint64(100+s))
		j, err := NewNetJacobian(u, y.Data, size, size)
		if err != nil {
			t.Fatal(err)
		}
		xh := make([]float64, j.Dim())
		if err := j.Denoise(xh); err != nil {
			t.Fatal(err)
		}
		tr, err := Trace(context.Background(), j, 8, uint64(s))
		if err != nil {
			t.Fatal(err)
		}
		r, err := SURE(y.Data, xh, tr.Value, sigma)
		if err != nil {
			t.Fatal(err)
		}
		m := 0.0
		for i, v := range xh {
			m += (v - x.Data[i]) * (v - x.Data[i])
		}
		m /= float64(len(xh))
		sure += r / images
		mse += m / images
		diff[s] = r - m
	}
	md, se := meanSE(diff)
	t.Logf("%d images %d×%d, σ = %g: mean MSE %.4g, mean SURE %.4g (%+.1f %%; SURE − MSE = %.2g ± %.2g)",
		images, size, size, sigma, mse, sure, 100*(sure-mse)/mse, md, se)
	if math.Abs(sure-mse) > 0.05*mse {
		t.Errorf("mean SURE %.4g vs mean MSE %.4g: off by %.1f %%, want within 5 %%", sure, mse, 100*(sure-mse)/mse)
	}
}
