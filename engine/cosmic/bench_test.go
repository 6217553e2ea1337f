package cosmic

import (
	"fmt"
	"testing"

	"scalewise/engine/field"
)

// BenchmarkFields times one field of each kind with DefaultParams. Run with
//
//	go test -run XXX -bench Fields -cpu 1 ./engine/cosmic
func BenchmarkFields(b *testing.B) {
	for _, n := range []int{64, 128, 256} {
		for name, gen := range map[string]func(Params) (*field.Field, error){"lognormal": Lognormal, "zeldovich": Zeldovich} {
			b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
				p := DefaultParams(n)
				for b.Loop() {
					if _, err := gen(p); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
