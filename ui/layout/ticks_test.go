package layout

import (
	"math"
	"strconv"
	"testing"
)

func TestNiceStep(t *testing.T) {
	tests := []struct {
		span float64
		n    int
		want float64
	}{
		{1, 5, 0.2},
		{1, 10, 0.1},
		{10, 4, 5},
		{7, 5, 2},
		{0.03, 3, 0.01},
		{1234, 5, 500},
		{100, 1, 100},
		{-10, 2, 5},
		{0, 5, 1},
		{1, 0, 1},
	}
	for _, tt := range tests {
		if got := NiceStep(tt.span, tt.n); math.Abs(got-tt.want) > 1e-12*tt.want {
			t.Errorf("NiceStep(%v, %d) = %v, want %v", tt.span, tt.n, got, tt.want)
		}
	}
}

// isNice reports whether v is 1, 2 or 5 × 10^k.
func isNice(v float64) bool {
	p := math.Pow(10, math.Floor(math.Log10(v)+1e-9))
	m := v / p
	for _, n := range []float64{1, 2, 5} {
		if math.Abs(m-n) < 1e-9 {
			return true
		}
	}
	return false
}

func TestLinearTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   []string // the labels, when given
	}{
		{0, 1, 5, []string{"0", "0.2", "0.4", "0.6", "0.8", "1"}},
		{-0.8, 0.8, 4, []string{"-0.5", "0", "0.5"}},
		{0, 0.8, 4, []string{"0", "0.2", "0.4", "0.6", "0.8"}},
		{1, 2500, 3, []string{"1000", "2000"}},
		{0, 3e6, 3, []string{"0", "1e6", "2e6", "3e6"}},
		{-3.2, 17.9, 5, nil},
		{0.00012, 0.00019, 4, nil},
		{-1e9, 1e9, 6, nil},
		{4.9, 5.1, 2, nil},
		{1, 1, 5, []string{}},
		{2, 1, 5, []string{}},
	}
	for _, tt := range tests {
		ticks := LinearTicks(tt.lo, tt.hi, tt.n)
		if tt.want != nil {
			if len(ticks) != len(tt.want) {
				t.Errorf("LinearTicks(%v, %v, %d) = %v, want labels %q", tt.lo, tt.hi, tt.n, ticks, tt.want)
				continue
			}
			for i, tk := range ticks {
				if tk.Label != tt.want[i] {
					t.Errorf("LinearTicks(%v, %v, %d)[%d] = %q, want %q", tt.lo, tt.hi, tt.n, i, tk.Label, tt.want[i])
				}
			}
		}
		if !(tt.hi > tt.lo) {
			continue
		}
		step := NiceStep(tt.hi-tt.lo, tt.n)
		if !isNice(step) {
			t.Errorf("step %v is not 1, 2 or 5 × 10^k", step)
		}
		if len(ticks) < 2 || len(ticks) > tt.n+1 {
			t.Errorf("LinearTicks(%v, %v, %d): %d ticks", tt.lo, tt.hi, tt.n, len(ticks))
			continue
		}
		eps := 1e-9 * step
		if ticks[0].Value < tt.lo-eps || ticks[len(ticks)-1].Value > tt.hi+eps {
			t.Errorf("LinearTicks(%v, %v, %d) = %v leaves the range", tt.lo, tt.hi, tt.n, ticks)
		}
		if ticks[0].Value-tt.lo >= step+eps || tt.hi-ticks[len(ticks)-1].Value >= step+eps {
			t.Errorf("LinearTicks(%v, %v, %d) = %v does not cover the range", tt.lo, tt.hi, tt.n, ticks)
		}
		checkTicks(t, ticks, step)
	}
}

// checkTicks checks that ticks increase strictly, are multiples of step
// (when step > 0), and that their labels are distinct and read back as
// their values.
func checkTicks(t *testing.T, ticks []Tick, step float64) {
	t.Helper()
	seen := map[string]bool{}
	for i, tk := range ticks {
		if i > 0 && !(tk.Value > ticks[i-1].Value) {
			t.Errorf("ticks %v do not increase", ticks)
		}
		if step > 0 {
			if k := tk.Value / step; math.Abs(k-math.Round(k)) > 1e-6 {
				t.Errorf("tick %v is not a multiple of %v", tk.Value, step)
			}
		}
		if seen[tk.Label] {
			t.Errorf("label %q twice in %v", tk.Label, ticks)
		}
		seen[tk.Label] = true
		v, err := strconv.ParseFloat(tk.Label, 64)
		if err != nil || math.Abs(v-tk.Value) > 1e-9*math.Max(math.Abs(tk.Value), math.Abs(step)) {
			t.Errorf("label %q of %v reads back as %v (%v)", tk.Label, tk.Value, v, err)
		}
	}
}

func TestLogTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   []string
	}{
		{1, 1000, 5, []string{"1", "10", "100", "1000"}},
		{0.003, 20, 5, []string{"0.01", "0.1", "1", "10"}},
		{1e-12, 1e3, 4, []string{"1e-10", "1e-5", "1"}},
		{1e-8, 1e8, 4, []string{"1e-5", "1", "1e5"}},
		{2, 60, 4, []string{"2", "5", "10", "20", "50"}},
		{3, 40, 5, []string{"5", "10", "20"}},
		{1, 2000, 7, []string{"1", "10", "100", "1000"}}, // more ticks asked than decades
		{1, 1e6, 12, []string{"1", "10", "100", "1000", "10000", "1e5", "1e6"}},
		{0.7, 0.9, 4, nil},
		{0, 10, 5, []string{}},
		{5, 1, 5, []string{}},
	}
	for _, tt := range tests {
		ticks := LogTicks(tt.lo, tt.hi, tt.n)
		if tt.want != nil {
			if len(ticks) != len(tt.want) {
				t.Errorf("LogTicks(%v, %v, %d) = %v, want labels %q", tt.lo, tt.hi, tt.n, ticks, tt.want)
				continue
			}
			for i, tk := range ticks {
				if tk.Label != tt.want[i] {
					t.Errorf("LogTicks(%v, %v, %d)[%d] = %q, want %q", tt.lo, tt.hi, tt.n, i, tk.Label, tt.want[i])
				}
			}
		}
		if !(tt.lo > 0 && tt.hi > tt.lo) {
			continue
		}
		if len(ticks) < 2 || len(ticks) > tt.n+1 {
			t.Errorf("LogTicks(%v, %v, %d) = %v: want 2 to %d ticks", tt.lo, tt.hi, tt.n, ticks, tt.n+1)
			continue
		}
		for _, tk := range ticks {
			if tk.Value < tt.lo*(1-1e-9) || tk.Value > tt.hi*(1+1e-9) {
				t.Errorf("LogTicks(%v, %v, %d): tick %v outside", tt.lo, tt.hi, tt.n, tk.Value)
			}
		}
		checkTicks(t, ticks, 0)
		// Ticks that span a decade or more are 1, 2 or 5 × 10^k.
		if ticks[len(ticks)-1].Value/ticks[0].Value >= 2 {
			for _, tk := range ticks {
				if !isNice(tk.Value) {
					t.Errorf("LogTicks(%v, %v, %d): %v is not 1, 2 or 5 × 10^k", tt.lo, tt.hi, tt.n, tk.Value)
				}
			}
		}
	}
}

func TestFormatTick(t *testing.T) {
	tests := []struct {
		v, step float64
		want    string
	}{
		{0, 1, "0"},
		{1e-17, 0.1, "0"},
		{0.30000000000000004, 0.1, "0.3"},
		{-0.5, 0.5, "-0.5"},
		{2, 1, "2"},
		{2000, 1000, "2000"},
		{12345, 5, "12345"},
		{100000, 1e5, "1e5"},
		{2.5e6, 5e5, "2.5e6"},
		{-3e9, 1e9, "-3e9"},
		{0.001, 0.001, "0.001"},
		{0.0002, 0.0001, "2e-4"},
		{1.5e-5, 5e-6, "1.5e-5"},
		{0.05, 0.05, "0.05"},
		{7, 0, "7"},
	}
	for _, tt := range tests {
		if got := FormatTick(tt.v, tt.step); got != tt.want {
			t.Errorf("FormatTick(%v, %v) = %q, want %q", tt.v, tt.step, got, tt.want)
		}
	}
}
