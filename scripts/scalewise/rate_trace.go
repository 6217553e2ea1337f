package main

import (
	"context"
	"math"

	"scalewise/engine/basis"
	"scalewise/engine/denoise"
	"scalewise/engine/field"
	"scalewise/engine/nn"
)

// traceOver returns the mean over the noisy images ys of the effective
// dimension tr ∇x̂(y) (Kadkhodaie et al., ICLR 2024, §3), each estimated
// by Hutchinson's estimator with probes Rademacher probes
// (basis.Trace on basis.NewNetJacobian; the probes of image i are seeded
// with seed + i), and its standard error: s/√m with s the sample standard
// deviation of the m per-image estimates (which holds both the spread
// over images and the probe noise), or for one image the Hutchinson
// standard error. It calls step after each image.
func traceOver(u *nn.UNet, ys []*field.Field, probes int, seed uint64, step func()) (mean, se float64, err error) {
	ctx := context.Background()
	vals := make([]float64, len(ys))
	for i, y := range ys {
		j, err := basis.NewNetJacobian(u, y.Data, y.H, y.W)
		if err != nil {
			return 0, 0, err
		}
		e, err := basis.Trace(ctx, j, probes, seed+uint64(i))
		if err != nil {
			return 0, 0, err
		}
		vals[i], se = e.Value, e.StdErr
		mean += e.Value / float64(len(ys))
		step()
	}
	if m := len(vals); m > 1 {
		ss := 0.0
		for _, v := range vals {
			ss += (v - mean) * (v - mean)
		}
		se = math.Sqrt(ss / float64(m-1) / float64(m))
	}
	return mean, se, nil
}

// roundoffPSNR returns the mean over the noisy images ys of the PSNR of
// x̂(λy)/λ against x̂(y), λ = roundoffScale. The eval-mode bias-free net is
// homogeneous of degree 1 (x̂(λy) = λ·x̂(y) in exact arithmetic; Mohan et
// al., ICLR 2020), so the difference is float32 round-off alone: about √2
// times the round-off of one evaluation, since the two round independently.
func roundoffPSNR(u *nn.UNet, ys []*field.Field) (float64, error) {
	scaled := make([]*field.Field, len(ys))
	for i, y := range ys {
		scaled[i] = y.Clone()
		for k := range scaled[i].Data {
			scaled[i].Data[k] *= roundoffScale
		}
	}
	a, err := denoiseAll(u, ys)
	if err != nil {
		return 0, err
	}
	b, err := denoiseAll(u, scaled)
	if err != nil {
		return 0, err
	}
	mean := 0.0
	for i := range a {
		for k := range b[i].Data {
			b[i].Data[k] /= roundoffScale
		}
		p, err := denoise.PSNR(a[i], b[i])
		if err != nil {
			return 0, err
		}
		mean += p / float64(len(a))
	}
	return mean, nil
}
