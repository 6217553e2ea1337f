// Package geometry synthesises images with geometric regularity: C^α images
// made of two C^α backgrounds separated by a C^α contour, following
// Kadkhodaie, Guth, Simoncelli and Mallat, "Generalization in diffusion
// models arises from geometry-adaptive harmonic representations", ICLR 2024,
// Appendix E (Algorithm 2), together with the variant found in the authors'
// code (synthetic_data_generators.make_C_alpha_images).
//
// All generators are deterministic functions of their options, including the
// seed; the package holds no mutable global state.
package geometry
