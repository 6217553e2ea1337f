package nn

// Conv3x3Flops returns the floating-point operations of one 3×3 convolution
// from cin to cout channels over an h×w image, counting a multiply and an add
// per tap: 2·cin·cout·9·h·w.
func Conv3x3Flops(cin, cout, h, w int) float64 {
	return 2 * 9 * float64(cin) * float64(cout) * float64(h) * float64(w)
}
