package layout

import (
	"math"
	"strconv"
)

// Scale maps data values from Min to Max onto [0, 1]: linearly, or when
// Log is set, linearly in their logarithm (a log10 axis).
type Scale struct {
	Min, Max float64
	Log      bool
}

// Lin returns the linear scale from lo to hi.
func Lin(lo, hi float64) Scale { return Scale{Min: lo, Max: hi} }

// Log10 returns the logarithmic scale from lo to hi (both positive).
func Log10(lo, hi float64) Scale { return Scale{Min: lo, Max: hi, Log: true} }

// Norm returns where v lies from Min (0) to Max (1); values outside the
// range map outside [0, 1].
func (s Scale) Norm(v float64) float64 {
	if s.Log {
		return (math.Log(v) - math.Log(s.Min)) / (math.Log(s.Max) - math.Log(s.Min))
	}
	return (v - s.Min) / (s.Max - s.Min)
}

// Value is the inverse of Norm: the data value at t.
func (s Scale) Value(t float64) float64 {
	if s.Log {
		return math.Exp(math.Log(s.Min) + t*(math.Log(s.Max)-math.Log(s.Min)))
	}
	return s.Min + t*(s.Max-s.Min)
}

// Valid reports whether v can be placed on the scale: finite, and positive
// on a log scale.
func (s Scale) Valid(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && (!s.Log || v > 0)
}

// Ticks returns about n nice ticks inside the scale's range: LinearTicks,
// or LogTicks on a log scale.
func (s Scale) Ticks(n int) []Tick {
	if s.Log {
		return LogTicks(s.Min, s.Max, n)
	}
	return LinearTicks(s.Min, s.Max, n)
}

// Plot maps data coordinates into a rectangle: X from left to right, Y
// from bottom to top.
type Plot struct {
	Rect Rect
	X, Y Scale
}

// Point returns the screen position of the data point (x, y).
func (p Plot) Point(x, y float64) (float32, float32) {
	return p.Rect.X + float32(p.X.Norm(x))*p.Rect.W, p.Rect.Y + float32(1-p.Y.Norm(y))*p.Rect.H
}

// Data is the inverse of Point: the data point at a screen position.
func (p Plot) Data(px, py float32) (x, y float64) {
	return p.X.Value(float64((px - p.Rect.X) / p.Rect.W)), p.Y.Value(float64(1 - (py-p.Rect.Y)/p.Rect.H))
}

// Valid reports whether the data point (x, y) can be placed on the plot.
func (p Plot) Valid(x, y float64) bool { return p.X.Valid(x) && p.Y.Valid(y) }

// MarkedTicks returns Ticks(n) labelled in markup (TickMarkup): on a log
// axis whose ticks are powers of ten reaching below 0.01 or above 1000,
// every label is a power ("10^{−2}", "10^{0}", "10^{3}").
func (s Scale) MarkedTicks(n int) []Tick {
	ticks := s.Ticks(n)
	powers, wide := s.Log && len(ticks) > 0, false
	for _, tk := range ticks {
		e := math.Round(math.Log10(tk.Value))
		if math.Abs(tk.Value-math.Pow(10, e)) > 1e-9*tk.Value {
			powers = false
		}
		wide = wide || e < -2 || e > 3
	}
	for i, tk := range ticks {
		if powers && wide {
			ticks[i].Label = TickMarkup("1e" + strconv.Itoa(int(math.Round(math.Log10(tk.Value)))))
		} else {
			ticks[i].Label = TickMarkup(tk.Label)
		}
	}
	return ticks
}
