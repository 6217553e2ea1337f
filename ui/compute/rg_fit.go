package compute

import (
	"fmt"
	"time"

	"scalewise/ui/protocol"
)

// Fit refits the model for RGFitL from the shipped samples and keeps it as
// the "fitted" model.
func (s *RGSession) Fit(r RGFitRequest, progress Progress) (*Frames, error) {
	f, err := rgFieldOf(r.Field)
	if err != nil {
		return nil, err
	}
	if f.name != RGFieldPhi4 {
		return nil, fmt.Errorf("no fit in the page for %s: %s", f.name, f.noFit)
	}
	if r.L == 0 {
		r.L = RGFitL
	}
	if r.L != RGFitL {
		return nil, fmt.Errorf("L=%d: the page fits from the shipped L=%d samples only", r.L, RGFitL)
	}
	if err := checkRGBeta(r.Beta); err != nil {
		return nil, err
	}
	if s.src.Fit == nil || s.src.Samples == nil {
		return nil, fmt.Errorf("fitting is not available in this build")
	}
	data, err := s.src.Samples(r.L)
	if err != nil {
		return nil, err
	}
	n := r.N
	if n == 0 {
		n = DefaultRGFitN
	}
	if n < 2 {
		return nil, fmt.Errorf("n=%d: fit from at least 2 samples", r.N)
	}
	shipped := len(data)
	data = data[:min(n, len(data))]
	t0 := time.Now()
	m, err := s.src.Fit(data, RGBeta, throttle(progress, 50*time.Millisecond))
	if err != nil {
		return nil, err
	}
	sec := time.Since(t0).Seconds()
	info := m.Info()
	if info.L != r.L {
		return nil, fmt.Errorf("the fit returned a model for L=%d, not %d", info.L, r.L)
	}
	s.fitted = m
	v := &protocol.RGFitValues{
		Kind: protocol.KindFit, L: r.L, N: len(data), Shipped: shipped, Calibrated: info.Calibrated,
		Scales: len(info.Stages), J: info.J, Seconds: sec, Provenance: info.Provenance,
	}
	if ref, _, err := s.model(f, r.L, "shipped"); err == nil {
		c := ref.Info().Calibrated
		v.ShippedCalibrated = &c
	}
	return NewFrames("renormalise", v), nil
}
