package wavelet

import "testing"

func benchTransform(b *testing.B, inverse bool) {
	w, err := ByName("db4")
	if err != nil {
		b.Fatal(err)
	}
	const n, levels = 256, 5
	tr, err := NewTransform(w, n, n, levels)
	if err != nil {
		b.Fatal(err)
	}
	x := randomData(n*n, 1)
	c := make([]float64, n*n)
	b.SetBytes(int64(8 * n * n))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if inverse {
			err = tr.Inverse(c, x)
		} else {
			err = tr.Forward(c, x)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForward256DB4J5 times a 5-level db4 forward transform of a
// 256×256 field.
func BenchmarkForward256DB4J5(b *testing.B) { benchTransform(b, false) }

// BenchmarkInverse256DB4J5 times the matching inverse transform.
func BenchmarkInverse256DB4J5(b *testing.B) { benchTransform(b, true) }
