// Package geometry synthesises images with geometric regularity: C^α images
// made of two C^α backgrounds separated by a C^α contour, following
// Kadkhodaie, Guth, Simoncelli and Mallat, "Generalization in diffusion
// models arises from geometry-adaptive harmonic representations", ICLR 2024,
// Appendix E (Algorithm 2), together with the variant found in the authors'
// code (synthetic_data_generators.make_C_alpha_images).
//
// It also renders drawings: a curve (random, see SmoothCurve, or drawn by a
// person, see Resample) rasterised with anti-aliasing either as the boundary
// between two smooth backgrounds (BoundaryMask) or as a stroke of a given
// width (StrokeMask), blended with C^α-like backgrounds by RenderDrawing;
// RandomDrawing makes training images of the same kind.
//
// All generators are deterministic functions of their options, including the
// seed; the package holds no mutable global state.
package geometry
