package layout

import (
	"math"
	"strconv"
	"strings"
)

// Tick is a value marked on an axis and its label.
type Tick struct {
	Value float64
	Label string
}

// NiceStep returns the smallest step of the form 1, 2 or 5 × 10^k that
// divides span into at most n parts (n < 1 counts as 1).
func NiceStep(span float64, n int) float64 {
	n = max(n, 1)
	raw := math.Abs(span) / float64(n)
	if raw == 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range [...]float64{1, 2, 5, 10} {
		if s := m * p; s >= raw*(1-1e-9) {
			return s
		}
	}
	return 10 * p
}

// LinearTicks returns the multiples of a nice step (NiceStep of the range
// into n parts) from lo to hi, so that at most n+1 ticks cover the range
// with no gap at either end wider than a step. A range that is empty or
// not finite has no ticks.
func LinearTicks(lo, hi float64, n int) []Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil
	}
	step := NiceStep(hi-lo, n)
	first := math.Ceil(lo/step - 1e-9)
	last := math.Floor(hi/step + 1e-9)
	var out []Tick
	for k := first; k <= last; k++ {
		v := k * step
		out = append(out, Tick{v, FormatTick(v, step)})
	}
	return out
}

// LogTicks returns ticks for a log axis from lo to hi (both positive):
// the powers of ten inside the range (every second, fifth, … one when
// there are more than n+1); where fewer than two powers fall inside, the
// 1, 2, 5 multiples of powers of ten; and where fewer than two of those
// do, LinearTicks.
func LogTicks(lo, hi float64, n int) []Tick {
	if !(lo > 0) || !(hi > lo) || math.IsInf(hi, 0) {
		return nil
	}
	n = max(n, 1)
	e0 := int(math.Ceil(math.Log10(lo) - 1e-9))
	e1 := int(math.Floor(math.Log10(hi) + 1e-9))
	if e1-e0 >= 1 {
		every := max(1, int(NiceStep(float64(e1-e0), n)))
		var out []Tick
		for e := ceilDiv(e0, every) * every; e <= e1; e += every {
			v := math.Pow(10, float64(e))
			out = append(out, Tick{v, FormatTick(v, v)})
		}
		if len(out) >= 2 {
			return out
		}
	}
	var out []Tick
	for e := e0 - 1; e <= e1; e++ {
		p := math.Pow(10, float64(e))
		for _, m := range [...]float64{1, 2, 5} {
			if v := m * p; v >= lo*(1-1e-9) && v <= hi*(1+1e-9) {
				out = append(out, Tick{v, FormatTick(v, p)})
			}
		}
	}
	if len(out) >= 2 && len(out) <= n+1 {
		return out
	}
	return LinearTicks(lo, hi, n)
}

// ceilDiv returns ⌈a/b⌉ for b > 0.
func ceilDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a > 0 {
		q++
	}
	return q
}

// FormatTick formats a tick value compactly for an axis whose ticks are
// step apart: no more decimals than the step needs and no trailing zeros
// ("0.4", "1"), and a short exponent ("2e5", "1e-4") for values of 10⁵ and
// more or under 10⁻³.
func FormatTick(v, step float64) string {
	step = math.Abs(step)
	if step == 0 || math.IsNaN(step) || math.IsInf(step, 0) {
		step = math.Abs(v)
	}
	if math.Abs(v) < step*1e-6 || v == 0 {
		return "0"
	}
	stepExp := int(math.Floor(math.Log10(step) + 1e-9))
	if a := math.Abs(v); a >= 1e5 || a < 1e-3 {
		vExp := int(math.Floor(math.Log10(a) + 1e-9))
		s := strconv.FormatFloat(v, 'e', max(0, vExp-stepExp), 64)
		mant, exp, _ := strings.Cut(s, "e")
		e, _ := strconv.Atoi(exp)
		return trimZeros(mant) + "e" + strconv.Itoa(e)
	}
	return trimZeros(strconv.FormatFloat(v, 'f', max(0, -stepExp), 64))
}

// trimZeros drops the zeros that end a decimal fraction ("1.50" → "1.5",
// "1.0" → "1").
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}
