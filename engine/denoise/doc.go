// Package denoise holds classical denoising baselines and their metrics for
// images with intensities in [0, 1] corrupted by additive white Gaussian
// noise y = x + σz, z ~ N(0, Id):
//
//   - PSNR, the peak signal-to-noise ratio 10·log10(1/MSE);
//   - AddNoise, which draws y from x, σ and a seed;
//   - GaussianFilter, linear smoothing by a sampled Gaussian;
//   - WaveletSoftThreshold, soft thresholding of the detail coefficients of
//     an orthogonal wavelet transform (Donoho and Johnstone, "Ideal spatial
//     adaptation by wavelet shrinkage", Biometrika 81(3), 1994; Donoho,
//     "De-noising by soft-thresholding", IEEE Trans. Inf. Theory 41(3), 1995);
//   - BestGaussian and BestWaveletThreshold, which tune the one parameter of
//     each baseline with the clean images as an oracle, giving an upper
//     bound on what the baseline achieves at a noise level.
//
// Every function is deterministic, including the parallel searches, and the
// package holds no mutable global state.
package denoise
