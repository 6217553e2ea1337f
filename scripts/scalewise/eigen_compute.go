package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"scalewise/engine/basis"
	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/nn"
)

// eigenReport is what eigen prints.
type eigenReport struct {
	Net          string         `json:"net"`
	Image        string         `json:"image"`
	Height       int            `json:"height"`
	Width        int            `json:"width"`
	Sigma        float64        `json:"sigma"`
	Seed         uint64         `json:"seed"`
	K            int            `json:"k"`
	Krylov       int            `json:"krylov"`
	KrylovMax    int            `json:"krylov_max"`
	Converged    bool           `json:"converged"`
	Restarts     int            `json:"restarts"`
	Eigenvalues  []float64      `json:"eigenvalues"`
	Residuals    []float64      `json:"residuals"`
	ResidualKind string         `json:"residual_kind"`
	Trace        basis.Estimate `json:"trace"`
	Antisymmetry basis.Estimate `json:"antisymmetry"`
	SURE         float64        `json:"sure"`
	SURESE       float64        `json:"sure_se"`
	MSE          float64        `json:"mse"`
	MSENoisy     float64        `json:"mse_noisy"`
	PSNRIn       float64        `json:"psnr_in"`
	PSNROut      float64        `json:"psnr_out"`
	Coefficients []float64      `json:"coefficients"`
	NoisyCoeffs  []float64      `json:"noisy_coefficients"`
	Out          string         `json:"out"`
	Seconds      float64        `json:"seconds"`
	LanczosSecs  float64        `json:"lanczos_seconds"`
}

// computeEigen runs the eigen command on the clean image x with net u and
// at most m Lanczos steps; it returns the report and the eigenvectors.
func computeEigen(c eigenConfig, u *nn.UNet, x *field.Field, m int, stderr io.Writer) (*eigenReport, [][]float64, error) {
	start := time.Now()
	n := x.W * x.H
	y := denoise.AddNoise(x, c.sigma, c.seed)
	j, err := basis.NewNetJacobian(u, y.Data, x.H, x.W)
	if err != nil {
		return nil, nil, err
	}
	xhat := field.New(x.W, x.H)
	if err := j.Denoise(xhat.Data); err != nil {
		return nil, nil, err
	}
	ctx := context.Background()
	extra := 0
	if c.explicit {
		extra = c.k
	}
	bar := newProgress(stderr, m+extra+c.probes)
	e, err := basis.Lanczos(ctx, basis.SymmetricPart(j), c.k, basis.LanczosOptions{
		Krylov: m, Tol: c.tol, Seed: c.seed, ExplicitResiduals: c.explicit,
		Progress: func(p basis.LanczosProgress) {
			bar.update(p.Step, fmt.Sprintf("Lanczos β=%.2g", p.Beta), false)
		}})
	if err != nil {
		return nil, nil, err
	}
	lanczosSecs := time.Since(start).Seconds()
	done := e.Applies
	bar.total = done + c.probes // Lanczos may stop before m steps
	tr, as, err := basis.TraceAndAntisymmetry(ctx, j, c.probes, c.seed, func(p int) {
		bar.update(done+p, "probes", false)
	})
	if err != nil {
		return nil, nil, err
	}
	bar.update(bar.total, "done", true)
	sure, err := basis.SURE(y.Data, xhat.Data, tr.Value, c.sigma)
	if err != nil {
		return nil, nil, err
	}
	r := &eigenReport{Net: c.net, Image: c.image, Height: x.H, Width: x.W, Sigma: c.sigma, Seed: c.seed,
		K: c.k, Krylov: e.Krylov, KrylovMax: m, Converged: e.Converged, Restarts: e.Restarts,
		Eigenvalues: e.Values, Residuals: e.Residuals, ResidualKind: "lanczos estimate |beta_m y_m|",
		Trace: tr, Antisymmetry: as, SURE: sure, SURESE: 2 * c.sigma * c.sigma * tr.StdErr / float64(n),
		MSE: meanSquare(xhat.Data, x.Data), MSENoisy: meanSquare(y.Data, x.Data), Out: c.out, LanczosSecs: lanczosSecs}
	if c.net == "" {
		r.Net = c.weights
	}
	if c.explicit {
		r.ResidualKind = "explicit ||S e - lambda e||"
	}
	r.PSNRIn, _ = denoise.PSNR(x, y)
	r.PSNROut, _ = denoise.PSNR(x, xhat)
	for _, v := range e.Vectors {
		r.Coefficients = append(r.Coefficients, dotSlices(x.Data, v))
		r.NoisyCoeffs = append(r.NoisyCoeffs, dotSlices(y.Data, v))
	}
	r.Seconds = time.Since(start).Seconds()
	vals := append(append(append([]float64{}, r.Eigenvalues...), r.Residuals...), r.Coefficients...)
	vals = append(vals, r.Trace.Value, r.Trace.StdErr, r.Antisymmetry.Value, r.Antisymmetry.StdErr, r.SURE, r.MSE)
	if err := checkFiniteValues(vals, "the Jacobian of "+r.Net, "reported value"); err != nil {
		return nil, nil, err
	}
	return r, e.Vectors, nil
}

// meanSquare returns ‖a − b‖²/n.
func meanSquare(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += (v - b[i]) * (v - b[i])
	}
	return s / float64(len(a))
}

// dotSlices returns ⟨a, b⟩.
func dotSlices(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// writeEigenvectors writes the eigenvectors, each an h×w image, as a
// float32 .npy of shape (k, h, w).
func writeEigenvectors(path string, vecs [][]float64, w, h int) error {
	fs := make([]*field.Field, len(vecs))
	for i, v := range vecs {
		f, err := field.FromSlice(w, h, v)
		if err != nil {
			return err
		}
		fs[i] = f
	}
	a, err := field.StackArray(fs)
	if err != nil {
		return err
	}
	if err := checkWritable(a.Data, field.Float32, "the eigenvectors", "value"); err != nil {
		return err
	}
	return field.WriteArrayFile(path, a, field.Float32)
}
