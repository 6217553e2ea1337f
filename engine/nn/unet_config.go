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

// NumParams returns the number of trainable values (convolution weights and
// BN γ) of the net NewUNet builds for c, and NumBuffers the number of BN
// running standard deviations, without building it, so that a size can be
// checked before it is allocated. Both are 0 unless c is valid.
func (c UNetConfig) NumParams() int64 {
	p, _ := c.counts()
	return p
}

// NumBuffers returns the number of non-trainable values (BN running
// standard deviations) of the net NewUNet builds for c; see NumParams.
func (c UNetConfig) NumBuffers() int64 {
	_, b := c.counts()
	return b
}

// counts follows NewUNet layer by layer: 3×3 convolutions cin→cout with
// cout·cin·9 weights and, with BN, cout γ (trainable) and cout running
// standard deviations; 2×2 transposed convolutions cin→cout with cin·cout·4
// weights.
func (c UNetConfig) counts() (params, buffers int64) {
	if c.Validate() != nil {
		return 0, 0
	}
	conv := func(cin, cout int64, bn bool) {
		params += cout * cin * 9
		if bn {
			params += cout
			buffers += cout
		}
	}
	ch := func(blk int) int64 { return int64(c.Base) << blk }
	in := int64(1)
	for blk := 0; blk < c.Blocks; blk++ {
		conv(in, ch(blk), blk > 0)
		conv(ch(blk), ch(blk), true)
		in = ch(blk)
	}
	conv(in, ch(c.Blocks), true)
	conv(ch(c.Blocks), ch(c.Blocks), true)
	in = ch(c.Blocks)
	for blk := c.Blocks - 1; blk >= 0; blk-- {
		params += in * ch(blk) * 4 // the transposed convolution
		conv(2*ch(blk), ch(blk), true)
		if blk > 0 {
			conv(ch(blk), ch(blk), true)
		} else {
			conv(ch(blk), 1, false)
		}
		in = ch(blk)
	}
	return params, buffers
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
