package nn

import "fmt"

// UNetConfig is the size of a bias-free U-Net (Kadkhodaie et al., ICLR 2024,
// App. A.1): Blocks encoder and decoder blocks, and Base channels at the
// finest level, doubling at every coarser level (Base·2^b in block b,
// Base·2^Blocks in the middle block). The paper's 80×80 model is
// {Blocks: 3, Base: 64}.
type UNetConfig struct {
	Blocks, Base int
}

// Limits on UNetConfig, to reject sizes that cannot be meant.
const (
	MaxBlocks = 8
	MaxBase   = 1024
)

// Validate returns an error unless 1 ≤ Blocks ≤ MaxBlocks and
// 1 ≤ Base ≤ MaxBase.
func (c UNetConfig) Validate() error {
	if c.Blocks < 1 || c.Blocks > MaxBlocks {
		return fmt.Errorf("nn: UNet Blocks = %d, want 1..%d", c.Blocks, MaxBlocks)
	}
	if c.Base < 1 || c.Base > MaxBase {
		return fmt.Errorf("nn: UNet Base = %d, want 1..%d", c.Base, MaxBase)
	}
	return nil
}

// Multiple returns 2^Blocks, which must divide the input height and width.
func (c UNetConfig) Multiple() int { return 1 << c.Blocks }

// CheckInput returns an error wrapping ErrShape unless y is a valid
// N×1×H×W tensor with N ≥ 1 and H, W positive multiples of 2^Blocks.
func (c UNetConfig) CheckInput(y *Tensor) error {
	if err := y.Check(); err != nil {
		return err
	}
	m := c.Multiple()
	if y.N < 1 || y.C != 1 || y.H < m || y.W < m || y.H%m != 0 || y.W%m != 0 {
		return fmt.Errorf("%w: UNet with %d blocks takes N×1×H×W input with H and W positive multiples of %d, got %v",
			ErrShape, c.Blocks, m, y)
	}
	return nil
}
