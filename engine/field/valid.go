package field

import "fmt"

// maxElements bounds the number of values in any array or field this package
// reads, writes, stacks, renders or resizes: 1<<28 values, 2 GiB as float64.
// It keeps hostile or corrupt input from requesting absurd allocations and
// keeps every size computation far from integer overflow.
const maxElements = 1 << 28

// checkField reports whether f is a usable field: non-nil, with positive
// sizes of at most maxElements values and len(f.Data) == f.W·f.H.
func checkField(f *Field) error {
	switch {
	case f == nil:
		return fmt.Errorf("field: nil field")
	case f.W <= 0 || f.H <= 0:
		return fmt.Errorf("field: size %d×%d must be positive", f.W, f.H)
	case f.W > maxElements/f.H:
		return fmt.Errorf("field: size %d×%d exceeds %d values", f.W, f.H, maxElements)
	case len(f.Data) != f.W*f.H:
		return fmt.Errorf("field: %d values for a %d×%d field (want %d)", len(f.Data), f.W, f.H, f.W*f.H)
	}
	return nil
}
