package nn

import (
	"errors"
	"fmt"
)

// ErrShape is returned (wrapped, with details) when tensor or parameter
// shapes do not fit an operation. Test for it with errors.Is.
var ErrShape = errors.New("nn: shape mismatch")

func shapeErr(what string, a, b *Tensor) error {
	return fmt.Errorf("%w: %s: %v and %v differ", ErrShape, what, a, b)
}
