package geometry

import (
	"fmt"
	"testing"
)

// BenchmarkCAlpha times one C^α image of each method: two real 2-D
// filters of N×N backgrounds and one 1-D filter of the contour.
func BenchmarkCAlpha(b *testing.B) {
	for _, m := range []CAlphaMethod{CAlphaPaper, CAlphaCode} {
		for _, n := range []int{64, 256} {
			b.Run(fmt.Sprintf("%v/%d", m, n), func(b *testing.B) {
				o := CAlphaOptions{Size: n, Alpha: 2, Method: m, Seed: 1}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := CAlpha(o); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
