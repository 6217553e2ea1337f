// Package polyspectra estimates the validation statistics of synthesised
// fields: the radially averaged power spectrum, the marginal one-point
// distribution, and the binned bispectrum and trispectrum, with the
// distances between two estimates used by `scalewise scat validate`: the
// validation statistics of Cheng, Morel, Allys, Ménard and Mallat,
// "Scattering spectra models for physics", PNAS Nexus 3 (2024), written
// here from their definitions.
//
// # Bins
//
// A frequency index (r, c) of an H×W field has the wave number
//
//	|k| = √(k_x² + k_y²),  k_x = SignedIndex(c, W)·S/W,  k_y = SignedIndex(r, H)·S/H,  S = max(W, H),
//
// in cycles per S pixels (cycles per field for a square field). The bins
// are n rings spaced logarithmically from |k| = 1 to (S/2)·√2 (the corner
// of the frequency square), as in §3: ring i holds the frequencies with
// e_i ≤ |k| < e_{i+1} (the last ring also its upper edge); k = 0 is in no
// ring. The same Estimator (hence the same bins) serves both fields of a
// comparison.
//
// # Power spectrum
//
// P_i = mean over ring i of |x̂(k)|²/(WH), x̂ the unnormalised DFT (|x̂|²/(WH)
// is the periodogram of the orthonormal DFT). SpectrumError compares two
// spectra by the mean over rings of |log(P_a/P_b)|. OctaveRings gives the
// same ring power on finer log-spaced rings, r per octave up to the corner
// (HalfOctaveSpectrumError: r = 2, 13 rings at 128², with a floor of
// SpectrumFloor·σ² under both powers), which resolve the half octaves that
// the octave-wide bands of a dyadic wavelet bank, and the log2(N) − 1
// rings above, average over.
//
// # Bispectrum and trispectrum: the FFT shell method
//
// With 1_i the indicator of ring i, the shell-filtered fields
//
//	I_i(x) = IDFT(x̂ · 1_i)(x)        (real: rings are symmetric under k → −k)
//
// give, by the convolution theorem,
//
//	Σ_x I_a I_b I_c(x) = (WH)⁻² Σ_{k1+k2+k3=0, k_n ∈ ring} x̂(k1) x̂(k2) x̂(k3),
//
// a sum over the closed triangles with one side in each ring. The same sum
// for a Dirac (x̂ ≡ 1), D_abc = Σ_x D_a D_b D_c, is (WH)⁻² times the number
// of those triangles, so their ratio is the mean of x̂x̂x̂ over the
// triangles. Dividing by √(P̂_a P̂_b P̂_c), P̂_i the mean of |x̂|² over ring i
// (§3's normalization "both": by the power and by the Dirac's triangle
// count), gives the dimensionless binned bispectrum
//
//	B(a, b, c) = [Σ_x I_a I_b I_c / Σ_x D_a D_b D_c] / √(P̂_a P̂_b P̂_c),
//
// independent of the field's amplitude and of a translation (a shift
// multiplies x̂(k) by a phase that cancels on closed triangles). Ring
// triples a ≤ b ≤ c with no closed triangle are left out. The binned
// trispectrum is the same with four rings a ≤ b ≤ c ≤ d and closed
// quadrilaterals,
//
//	T(a, b, c, d) = [Σ_x I_a I_b I_c I_d / Σ_x D_a D_b D_c D_d] / √(P̂_a P̂_b P̂_c P̂_d),
//
// which is, as in §3, the full (not the connected) 4-point function. The
// connected part is also returned: the Gaussian (disconnected) part of
// Σ_x I_a I_b I_c I_d, estimated from the field itself by Wick's theorem,
// is WH·Σ_pairings Π ⟨I_p I_q⟩ with ⟨I_p I_q⟩ = δ_pq Σ_{k∈p}|x̂|²/(WH)²
// (distinct rings are orthogonal), non-zero only for a = b, c = d (one
// pairing; three when all four rings are equal), and is subtracted before
// the normalisation.
//
// # Distances
//
// The Gaussian noise σ of each bispectrum and trispectrum bin is measured
// once per Estimator by Monte Carlo: the standard deviation of the bin
// over NoiseDraws white Gaussian noise fields (for the normalised
// estimators it depends on the triangle and quadrilateral counts only, not
// on the spectrum, up to the variation of the spectrum within a ring).
// RelError measures the distance between an estimate a and a reference b
// in the σ-weighted norm relative to the reference plus its noise:
//
//	E(a, b) = √( Σ_n ((a_n − b_n)/σ_n)² / Σ_n ((b_n/σ_n)² + 1) ).
//
// For a strongly non-Gaussian reference (|b_n| ≫ σ_n) it is the relative
// error ‖a − b‖/‖b‖ weighted by the inverse noise; for a reference without
// a bispectrum (a Gaussian or a ±-symmetric field, b ≈ noise) it stays
// finite, ≈ 1 between two independent samples of the same field. Ratios of
// errors against the same reference do not depend on the denominator.
//
// PDFTotalVariation is the total variation ½Σ_i |p_a,i − p_b,i| between the
// pooled one-point histograms of two sets of fields over common bins: the
// quantiles of both sets pooled together (equal mass per bin, so that a
// skewed or heavy-tailed field is resolved where its mass is).
package polyspectra
