package denoise

import (
	"fmt"
	"math"

	"scalewise/engine/field"
)

// checkField returns an error unless f is non-nil, has positive sizes and
// len(f.Data) = W·H; what names f in the message.
func checkField(f *field.Field, what string) error {
	switch {
	case f == nil:
		return fmt.Errorf("denoise: nil %s", what)
	case f.W <= 0 || f.H <= 0:
		return fmt.Errorf("denoise: %s size %d×%d must be positive", what, f.W, f.H)
	case len(f.Data) != f.W*f.H:
		return fmt.Errorf("denoise: %s has %d values for %d×%d", what, len(f.Data), f.W, f.H)
	}
	return nil
}

// checkPair returns an error unless a and b are valid fields of the same
// size with finite values.
func checkPair(a, b *field.Field, whatA, whatB string) error {
	if err := checkField(a, whatA); err != nil {
		return err
	}
	if err := checkField(b, whatB); err != nil {
		return err
	}
	if a.W != b.W || a.H != b.H {
		return fmt.Errorf("denoise: %s is %d×%d but %s is %d×%d", whatA, a.W, a.H, whatB, b.W, b.H)
	}
	if err := a.CheckFinite(); err != nil {
		return fmt.Errorf("denoise: %s: %w", whatA, err)
	}
	if err := b.CheckFinite(); err != nil {
		return fmt.Errorf("denoise: %s: %w", whatB, err)
	}
	return nil
}

// PSNR returns the peak signal-to-noise ratio, in decibels, of the estimate
// est of the image clean, for intensities of peak value 1:
//
//	PSNR = 10·log10(1/MSE),   MSE = (1/(W·H)) Σ (est − clean)².
//
// It is +Inf when est equals clean (MSE = 0). It returns an error if either
// field is nil or malformed, if their sizes differ or if a value is NaN or
// infinite.
func PSNR(clean, est *field.Field) (float64, error) {
	if err := checkPair(clean, est, "clean image", "estimate"); err != nil {
		return 0, err
	}
	return psnr(clean.Data, est.Data), nil
}

// psnr returns 10·log10(1/MSE) of b against a (equal lengths, finite values).
func psnr(a, b []float64) float64 {
	return psnrFromSSE(sse(a, b), len(a))
}

// sse returns Σ (a − b)².
func sse(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		d := b[i] - v
		s += d * d
	}
	return s
}

// psnrFromSSE returns 10·log10(n/sse), +Inf for sse = 0.
func psnrFromSSE(sse float64, n int) float64 {
	if sse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(float64(n)/sse)
}
