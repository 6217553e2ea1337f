package wavelet

import (
	"math"
	"testing"

	"scalewise/engine/field"
)

func randomField(w, h int, seed uint64) *field.Field {
	f, _ := field.FromSlice(w, h, randomData(w*h, seed))
	return f
}

// relDiff returns ‖a − b‖/‖b‖, or +Inf if the sizes differ.
func relDiff(a, b *field.Field) float64 {
	if a == nil || b == nil || a.W != b.W || a.H != b.H {
		return math.Inf(1)
	}
	return diffNorm(a.Data, b.Data) / norm(b.Data)
}

var pyramidSizes = []struct{ w, h, levels int }{
	{64, 32, 5},
	{48, 48, 4},
	{16, 16, 4},
	{8, 24, 3},
	{12, 12, 0},
}

func TestPyramid(t *testing.T) {
	for _, w := range allWavelets(t) {
		for _, sz := range pyramidSizes {
			x := randomField(sz.w, sz.h, uint64(sz.w+sz.h))
			p, err := Decompose(w, x, sz.levels)
			if err != nil {
				t.Fatalf("%s %d×%d J=%d: %v", w.Name, sz.w, sz.h, sz.levels, err)
			}
			name := func() string { return w.Name }
			J := sz.levels

			// Shapes.
			if len(p.Approx) != J+1 || len(p.Details) != J+1 || p.Details[0] != [3]*field.Field{} {
				t.Fatalf("%s: bad pyramid shape", name())
			}
			for j := 0; j <= J; j++ {
				if a := p.Approx[j]; a.W != sz.w>>j || a.H != sz.h>>j {
					t.Fatalf("%s: Approx[%d] is %d×%d", name(), j, a.W, a.H)
				}
			}

			// Decompose copies its input.
			if &p.Approx[0].Data[0] == &x.Data[0] {
				t.Errorf("%s: Approx[0] aliases the input", name())
			}

			// Reconstruct = x.
			r, err := p.Reconstruct()
			if err != nil {
				t.Fatal(err)
			}
			if e := relDiff(r, x); e > 1e-12 {
				t.Errorf("%s %d×%d J=%d: Reconstruct error %.3g", name(), sz.w, sz.h, J, e)
			}

			// Projection(0) = x.
			p0, err := p.Projection(0)
			if err != nil {
				t.Fatal(err)
			}
			if e := relDiff(p0, x); e > 1e-15 {
				t.Errorf("%s: Projection(0) differs from x by %.3g", name(), e)
			}

			// Σ_j P_{W_j} x + P_{V_J} x = x, with orthogonal pieces:
			// ‖P_{W_j} x‖ = ‖x̄_j‖, ‖P_{V_j} x‖ = ‖x_j‖.
			sum, err := p.Projection(J)
			if err != nil {
				t.Fatal(err)
			}
			if d := math.Abs(sum.Energy() - p.Approx[J].Energy()); d > 1e-12*x.Energy() {
				t.Errorf("%s: ‖P_V%d x‖² − ‖x_%d‖² = %.3g", name(), J, J, d)
			}
			energy := sum.Energy()
			for j := 1; j <= J; j++ {
				dp, err := p.DetailProjection(j)
				if err != nil {
					t.Fatal(err)
				}
				bandEnergy := 0.0
				for _, b := range p.Details[j] {
					bandEnergy += b.Energy()
				}
				if d := math.Abs(dp.Energy() - bandEnergy); d > 1e-12*x.Energy() {
					t.Errorf("%s: ‖P_W%d x‖² − ‖x̄_%d‖² = %.3g", name(), j, j, d)
				}
				energy += dp.Energy()
				for i, v := range dp.Data {
					sum.Data[i] += v
				}
				// P_{V_{j−1}} = P_{V_j} + P_{W_j}.
				pj, _ := p.Projection(j)
				pj1, _ := p.Projection(j - 1)
				for i := range pj.Data {
					pj.Data[i] += dp.Data[i]
				}
				if e := relDiff(pj, pj1); e > 1e-12 {
					t.Errorf("%s: P_V%d + P_W%d differs from P_V%d by %.3g", name(), j, j, j-1, e)
				}
			}
			if e := relDiff(sum, x); e > 1e-12 {
				t.Errorf("%s %d×%d J=%d: Σ projections differs from x by %.3g", name(), sz.w, sz.h, J, e)
			}
			if d := math.Abs(energy-x.Energy()) / x.Energy(); d > 1e-12 {
				t.Errorf("%s: projections are not orthogonal: energy differs by %.3g", name(), d)
			}

			// Mallat equals Transform.Forward, and FromMallat inverts it.
			m := p.Mallat()
			tr, _ := NewTransform(w, sz.w, sz.h, J)
			c := make([]float64, sz.w*sz.h)
			_ = tr.Forward(c, x.Data)
			if e := diffNorm(m.Data, c); e != 0 {
				t.Errorf("%s: Mallat differs from Forward by %.3g", name(), e)
			}
			q, err := FromMallat(w, m, J)
			if err != nil {
				t.Fatal(err)
			}
			for j := 0; j <= J; j++ {
				if e := relDiff(q.Approx[j], p.Approx[j]); e > 1e-12 {
					t.Errorf("%s: FromMallat Approx[%d] differs by %.3g", name(), j, e)
				}
				if j == 0 {
					continue
				}
				for b := range 3 {
					if e := relDiff(q.Details[j][b], p.Details[j][b]); e != 0 {
						t.Errorf("%s: FromMallat Details[%d][%d] differs by %.3g", name(), j, b, e)
					}
				}
			}
			if e := diffNorm(q.Mallat().Data, m.Data); e != 0 {
				t.Errorf("%s: Mallat(FromMallat(m)) differs from m by %.3g", name(), e)
			}
		}
	}
}

// TestPyramidLevels checks that Approx[j] is the top-left block of the
// j-level transform, i.e. the pyramid is built one level at a time.
func TestPyramidLevels(t *testing.T) {
	w, _ := ByName("db3")
	x := randomField(32, 16, 5)
	p, err := Decompose(w, x, 4)
	if err != nil {
		t.Fatal(err)
	}
	for j := 1; j <= 4; j++ {
		tr, _ := NewTransform(w, 32, 16, j)
		c := make([]float64, len(x.Data))
		_ = tr.Forward(c, x.Data)
		a := block(c, 32, 32>>j, 16>>j, 0, 0)
		if e := diffNorm(a.Data, p.Approx[j].Data); e != 0 {
			t.Errorf("Approx[%d] differs from the %d-level transform by %.3g", j, j, e)
		}
	}
}

func TestPyramidErrors(t *testing.T) {
	w, _ := ByName("haar")
	good := randomField(16, 8, 1)
	if _, err := Decompose(w, nil, 1); err == nil {
		t.Error("Decompose(nil): no error")
	}
	if _, err := Decompose(w, &field.Field{W: 4, H: 4, Data: make([]float64, 15)}, 1); err == nil {
		t.Error("Decompose(short data): no error")
	}
	if _, err := Decompose(w, good, 4); err == nil {
		t.Error("Decompose(16×8, J=4): no error")
	}
	if _, err := Decompose(nil, good, 1); err == nil {
		t.Error("Decompose(nil wavelet): no error")
	}
	if _, err := FromMallat(w, nil, 1); err == nil {
		t.Error("FromMallat(nil): no error")
	}
	if _, err := FromMallat(w, randomField(6, 6, 1), 2); err == nil {
		t.Error("FromMallat(6×6, J=2): no error")
	}

	p, err := Decompose(w, good, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range []int{-1, 4} {
		if _, err := p.Projection(j); err == nil {
			t.Errorf("Projection(%d): no error", j)
		}
	}
	for _, j := range []int{-1, 0, 4} {
		if _, err := p.DetailProjection(j); err == nil {
			t.Errorf("DetailProjection(%d): no error", j)
		}
	}

	mutations := []struct {
		name  string
		apply func(p *Pyramid)
	}{
		{"nil approx", func(p *Pyramid) { p.Approx[2] = nil }},
		{"nil detail", func(p *Pyramid) { p.Details[1][BandV] = nil }},
		{"wrong size", func(p *Pyramid) { p.Details[3][BandD] = field.New(2, 2) }},
		{"short data", func(p *Pyramid) { p.Approx[3].Data = p.Approx[3].Data[:1] }},
		{"missing level", func(p *Pyramid) { p.Details = p.Details[:3] }},
		{"bad levels", func(p *Pyramid) { p.Levels = 5 }},
		{"nil wavelet", func(p *Pyramid) { p.Wavelet = nil }},
	}
	for _, b := range mutations {
		q, _ := Decompose(w, good, 3)
		b.apply(q)
		if _, err := q.Reconstruct(); err == nil {
			t.Errorf("%s: Reconstruct: no error", b.name)
		}
		if _, err := q.Projection(1); err == nil {
			t.Errorf("%s: Projection: no error", b.name)
		}
		if _, err := q.DetailProjection(1); err == nil {
			t.Errorf("%s: DetailProjection: no error", b.name)
		}
		if m := q.Mallat(); m != nil {
			t.Errorf("%s: Mallat returned a field", b.name)
		}
	}
	var nilP *Pyramid
	if _, err := nilP.Reconstruct(); err == nil {
		t.Error("nil Pyramid: Reconstruct: no error")
	}
	if nilP.Mallat() != nil {
		t.Error("nil Pyramid: Mallat returned a field")
	}
}
