package wavelet

import (
	"math"
	"math/cmplx"
	"testing"
)

func TestBandMapPartitionOfUnity(t *testing.T) {
	tests := []struct {
		wavelet   string
		n, levels int
	}{
		{"haar", 32, 5},
		{"db2", 16, 4},
		{"db4", 64, 3},
		{"db8", 48, 4},
		{"db8", 8, 3}, // filters much longer than the coarse grids
		{"db3", 24, 0},
	}
	for _, tc := range tests {
		w, _ := ByName(tc.wavelet)
		m, err := BandSpectrum(w, tc.n, tc.levels)
		if err != nil {
			t.Fatalf("%s n=%d J=%d: %v", tc.wavelet, tc.n, tc.levels, err)
		}
		if m.N != tc.n || m.Levels != tc.levels || len(m.Share) != tc.levels+1 {
			t.Fatalf("%s: BandMap is N=%d, Levels=%d with %d levels of shares", tc.wavelet, m.N, m.Levels, len(m.Share))
		}
		worst := 0.0
		for i := range tc.n * tc.n {
			s := 0.0
			for j, bands := range m.Share {
				for b, share := range bands {
					wantNil := (b != BandA && j == 0) || (b == BandA && j != tc.levels)
					if (share == nil) != wantNil {
						t.Fatalf("%s: Share[%d][%d] nil = %v", tc.wavelet, j, b, share == nil)
					}
					if share != nil {
						if share[i] < -1e-15 {
							t.Fatalf("%s: negative share %g", tc.wavelet, share[i])
						}
						s += share[i]
					}
				}
			}
			worst = math.Max(worst, math.Abs(s-1))
		}
		if worst > 1e-10 {
			t.Errorf("%s n=%d J=%d: shares sum to 1 ± %.3g", tc.wavelet, tc.n, tc.levels, worst)
		}
	}
}

func TestBandMapLocation(t *testing.T) {
	const n, levels = 64, 3
	for _, name := range Names() {
		w, _ := ByName(name)
		m, err := BandSpectrum(w, n, levels)
		if err != nil {
			t.Fatal(err)
		}
		at := func(j, b, kx, ky int) float64 { return m.Share[j][b][ky*n+kx] }
		// Low frequencies belong to the approximation.
		if s := at(levels, BandA, 0, 0); math.Abs(s-1) > 1e-12 {
			t.Errorf("%s: approximation share at DC = %.15g, want 1", name, s)
		}
		for _, k := range [][2]int{{1, 0}, {0, 1}, {1, 1}, {n - 1, 0}, {n - 1, n - 1}} {
			if s := at(levels, BandA, k[0], k[1]); s < 0.9 {
				t.Errorf("%s: approximation share at %v = %.3g, want ≈ 1", name, k, s)
			}
		}
		// Nyquist belongs to level 1: (π,0) to V, (0,π) to H, (π,π) to D.
		h := n / 2
		for _, c := range []struct{ b, kx, ky int }{{BandV, h, 0}, {BandH, 0, h}, {BandD, h, h}} {
			if s := at(1, c.b, c.kx, c.ky); math.Abs(s-1) > 1e-12 {
				t.Errorf("%s: band %d share at (%d,%d) = %.15g, want 1", name, c.b, c.kx, c.ky, s)
			}
		}
		dom := m.Dominant()
		for _, c := range []struct{ b, kx, ky int }{
			{BandV, h - 1, 0}, {BandV, h + 1, 1}, {BandH, 1, h - 1}, {BandD, h - 1, h + 1}, {BandD, h, h},
		} {
			if got, want := dom[c.ky*n+c.kx], 4+c.b; got != want {
				t.Errorf("%s: Dominant at (%d,%d) = %d, want %d", name, c.kx, c.ky, got, want)
			}
		}
		if got, want := dom[0], 4*levels+BandA; got != want {
			t.Errorf("%s: Dominant at DC = %d, want %d", name, got, want)
		}
	}
}

// TestBandMapDirectDFT compares one band's share with a direct DFT sum.
func TestBandMapDirectDFT(t *testing.T) {
	const n, levels = 8, 2
	w, _ := ByName("db2")
	m, err := BandSpectrum(w, n, levels)
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := NewTransform(w, n, n, levels)
	// V band of level 2 at position 0: x = n/4, y = 0.
	psi := make([]float64, n*n)
	psi[n/4] = 1
	_ = tr.Inverse(psi, psi)
	for ky := range n {
		for kx := range n {
			var s complex128
			for y := range n {
				for x := range n {
					s += complex(psi[y*n+x], 0) * cmplx.Exp(complex(0, -2*math.Pi*float64(kx*x+ky*y)/n))
				}
			}
			want := float64((n/4)*(n/4)) / (n * n) * real(s*cmplx.Conj(s))
			if got := m.Share[2][BandV][ky*n+kx]; math.Abs(got-want) > 1e-13 {
				t.Errorf("Share[2][V] at (%d,%d) = %.15g, want %.15g", kx, ky, got, want)
			}
		}
	}
}

func TestBandSpectrumErrors(t *testing.T) {
	w, _ := ByName("db2")
	tests := []struct {
		name      string
		w         *Wavelet
		n, levels int
	}{
		{"zero", w, 0, 0},
		{"negative", w, -8, 1},
		{"odd", w, 9, 1},
		{"too deep", w, 16, 5},
		{"negative levels", w, 16, -1},
		{"too large", w, 2048, 1},
		{"nil wavelet", nil, 16, 1},
	}
	for _, tc := range tests {
		if _, err := BandSpectrum(tc.w, tc.n, tc.levels); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
