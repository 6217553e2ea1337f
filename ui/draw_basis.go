//go:build js

package ui

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"

	"scalewise/ui/protocol"
)

// The adapted basis of the Draw & denoise scene. A bias-free denoiser is
// homogeneous and piecewise linear, so at the noisy image y it is linear:
// x̂(y) = J(y)·y with J = ∇x̂(y), and where J is nearly symmetric its
// eigenvectors e_k are an orthonormal basis in which it shrinks each
// coefficient, x̂ ≈ Σ_k λ_k ⟨y, e_k⟩ e_k; they oscillate along the contours
// of the image and inside its regions, a geometry-adaptive harmonic basis
// (Kadkhodaie, Guth, Simoncelli and Mallat, "Generalization in diffusion
// models arises from geometry-adaptive harmonic representations", ICLR
// 2024, §3; Mohan, Kadkhodaie, Simoncelli and Fernandez-Granda, ICLR 2020).
// The engine finds the top K pairs of (J + Jᵀ)/2 by Lanczos, a stepper:
// start, steps with progress, done (protocol.BasisValues).

// drawBasis is the scene's adapted basis: the run in progress and the last
// finished one, each tied to the denoise (noisy image and net) it was
// computed for, so that a new drawing greys the old result instead of
// passing it off as the new one's.
type drawBasis struct {
	run     protocol.BasisValues // the latest values of the run in progress
	running bool
	runKey  uint64 // the denoise the run is for (denoiseKey)

	result    protocol.BasisValues // the finished run's values; Kind "" before one
	resultKey uint64
	imgs      imageCache // the finished run's tiles and series

	// version counts the results, for the scene's offscreen layer.
	version int
}

// maxBasisK is the most eigenpairs a run may have (protocol.BasisStartRequest).
const maxBasisK = 64

// load applies basis frames of the denoise current: "start" begins a run,
// "step" reports its progress, "done" makes it the result (its images
// replace the last result's), "cancel" ends it. Inconsistent frames change
// nothing.
func (b *drawBasis) load(v protocol.BasisValues, images []protocol.Image, buf []byte, current uint64) error {
	switch v.Kind {
	case protocol.KindStart:
		if v.K < 1 || v.K > maxBasisK {
			return fmt.Errorf("draw: basis start frames with K = %d (want 1 to %d)", v.K, maxBasisK)
		}
		b.run, b.running, b.runKey = v, true, current
	case protocol.KindStep:
		if !b.running {
			return fmt.Errorf("draw: basis step frames before its start")
		}
		k := b.run.K
		b.run = v
		if b.run.K == 0 {
			b.run.K = k
		}
	case protocol.KindDone:
		if !b.running {
			return fmt.Errorf("draw: basis done frames before its start")
		}
		if v.K < 1 || v.K > maxBasisK || v.Cols < 1 {
			return fmt.Errorf("draw: inconsistent basis done frames (K = %d, %d tiles across)", v.K, v.Cols)
		}
		if _, _, ok := protocol.Lookup(images, buf, "tiles"); !ok {
			return fmt.Errorf("draw: basis done frames without their tiles")
		}
		if lam, ok := protocol.Series(images, buf, "eigenvalues"); !ok || len(lam) == 0 {
			return fmt.Errorf("draw: basis done frames without their eigenvalues")
		}
		b.result, b.resultKey = v, b.runKey
		b.imgs.replace(images, buf)
		b.running = false
		b.version++
	case protocol.KindCancel:
		b.running = false
	default:
		return fmt.Errorf("draw: unknown basis frames %q", v.Kind)
	}
	return nil
}

// has reports whether a run has finished.
func (b *drawBasis) has() bool { return b.result.Kind != "" }

// stale reports whether the result is not of the denoise current (an
// earlier drawing, σ, noise or net).
func (b *drawBasis) stale(current uint64) bool { return b.has() && b.resultKey != current }

// series returns the result's series called name (nil when it has none).
func (b *drawBasis) series(name string) []float64 {
	s, _ := b.imgs.series(name)
	return s
}

// denoiseKey fingerprints a denoise by its noisy image and net: the basis
// is of J(y) for that net at that y, so frames that show the same noisy
// image from the same net (the page denoising again after a scene switch)
// keep the result, and any other change of the drawing, σ, noise or net
// makes it stale.
func denoiseKey(images []protocol.Image, buf []byte, net string) uint64 {
	h := fnv.New64a()
	if im, b, ok := protocol.Lookup(images, buf, "noisy"); ok {
		var wh [8]byte
		binary.LittleEndian.PutUint32(wh[:4], uint32(im.W))
		binary.LittleEndian.PutUint32(wh[4:], uint32(im.H))
		h.Write(wh[:])
		h.Write(b)
	}
	h.Write([]byte(net))
	return h.Sum64()
}
