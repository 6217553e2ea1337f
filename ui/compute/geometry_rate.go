package compute

import (
	"fmt"
	"math"

	"scalewise/ui/protocol"
)

// Rates answers geom_rate: the measured optimal-rate curves of the shipped
// C^α denoisers, PSNR_out against PSNR_in = −20·log10 σ on held-out C^α
// images, with their least-squares slopes over the small-noise end beside
// the theory α/(α+1) (Kadkhodaie, Guth, Simoncelli and Mallat, ICLR 2024,
// §3 and App. D; the minimax rate of Dossal, Le Pennec, Peyré and Mallat,
// 2005) and the effective dimension tr J against σ. They are measurements
// (make rate-tables), each with the command that made it: the rate needs
// thousands of denoisings at a dozen noise levels.
func (s *GeometrySession) Rates() (*Frames, error) {
	if s.rates == nil {
		return nil, fmt.Errorf("this build ships no rate measurements")
	}
	rs, err := s.rates()
	if err != nil {
		return nil, err
	}
	v := &protocol.GeometryRateValues{Kind: protocol.KindRate}
	for _, r := range rs {
		c := protocol.GeometryRate{Alpha: r.Alpha, Net: r.Net, Command: r.Command, Size: r.Size, Images: r.Images,
			FitRange: r.FitRange, Slope: r.Slope, SlopeSE: r.SlopeSE, Intercept: r.Intercept, Theory: r.TheorySlope,
			Baselines: map[string]float64{}}
		if r.PaperSlope != nil {
			c.Paper = *r.PaperSlope
		}
		for name, b := range r.Baselines {
			c.Baselines[name] = b.Slope
		}
		for _, row := range r.Rows {
			c.Sigma = append(c.Sigma, row.Sigma)
			c.PSNRIn = append(c.PSNRIn, row.PSNRIn)
			c.PSNROut = append(c.PSNROut, math.Min(row.PSNROut, 100))
			c.Trace = append(c.Trace, row.Trace)
			c.TraceErr = append(c.TraceErr, row.TraceSE)
		}
		v.Curves = append(v.Curves, c)
	}
	return NewFrames(protocol.GeometryScene, v), nil
}
