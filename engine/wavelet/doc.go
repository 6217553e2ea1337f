// Package wavelet implements orthogonal wavelet filters and the periodic
// two-dimensional multi-level discrete wavelet transform (DWT), following
// S. Mallat, "A Wavelet Tour of Signal Processing" (3rd ed.), ch. 7, and
// I. Daubechies, "Ten Lectures on Wavelets", §6.4.
//
// # Filters
//
// A wavelet is given by its orthonormal low-pass (reconstruction) filter h of
// even length L, with
//
//	Σ_n h[n] = √2,   Σ_n h[n] h[n+2k] = δ_k.
//
// The high-pass filter is the alternating flip
//
//	g[n] = (−1)^n h[L−1−n].
//
// # One level, one dimension
//
// For a signal x of even length N the periodic analysis is
//
//	a[k] = Σ_n h[n] x[(2k+n) mod N],   d[k] = Σ_n g[n] x[(2k+n) mod N],   k = 0..N/2−1,
//
// and the synthesis is its exact transpose,
//
//	x[m] = Σ_k a[k] h[(m−2k) mod N] + d[k] g[(m−2k) mod N].
//
// The analysis matrix is orthogonal (Mallat, ch. 7: conjugate mirror filters and periodic wavelet bases), so the
// synthesis is also its inverse and energy is preserved. The periodisation is
// exact for every even N, including N smaller than L.
//
// # Scales
//
// Scale j = 0 is the image itself, x_0 = x (finest). One 2-D level applied
// to x_{j−1} (rows, then columns) gives x_j, the low-pass approximation of
// half the size in each direction, and the three detail bands
// x̄_j = (H, V, D) at level j, j = 1..J:
//
//	H  "horizontal detail": low-pass along x, high-pass along y; responds to horizontal edges,
//	V  "vertical detail":   high-pass along x, low-pass along y; responds to vertical edges,
//	D  "diagonal detail":   high-pass along both x and y.
//
// With φ the scaling sequence (filter h) and ψ the wavelet sequence
// (filter g), the level-j band functions are φ⊗ψ (H: φ in x, ψ in y), ψ⊗φ (V)
// and ψ⊗ψ (D) (Mallat, ch. 7, separable wavelet bases).
//
// # Mallat layout
//
// A J-level transform of a W×H field (W columns, H rows, row-major,
// Data[y*W+x]) is stored in a W×H array. The bands of level j occupy the
// quadrants of the top-left (W/2^(j−1))×(H/2^(j−1)) block: with w = W/2^j and
// h = H/2^j,
//
//	top-left     x <  w, y <  h:  levels j+1..J (or x_J when j = J)
//	top-right    x >= w, y <  h:  V_j (high-pass in x)
//	bottom-left  x <  w, y >= h:  H_j (high-pass in y)
//	bottom-right x >= w, y >= h:  D_j (high-pass in both)
//
// so x_J itself sits in the top-left (W/2^J)×(H/2^J) block. Levels = 0 is
// the identity.
package wavelet
