package nn

import (
	"fmt"
	"math"
)

// Constants of the bias-free batch normalisation (BF_batchNorm in the code
// of Kadkhodaie et al., ICLR 2024; Mohan et al., ICLR 2020).
const (
	// BNEpsilon is added to the batch variance before the square root.
	BNEpsilon = 1e-5
	// BNMomentum is the weight of the batch standard deviation in the
	// running update running_sd ← (1−BNMomentum)·running_sd + BNMomentum·sd.
	BNMomentum = 0.1
)

// BNStats holds the per-channel batch statistics of a training-mode batch
// normalisation, needed by its backward pass: Mean[c] is the mean of channel
// c over (N, H, W) and SD[c] = sqrt(Var[c] + BNEpsilon) with the population
// (biased) variance.
type BNStats struct {
	Mean, SD []float64
}

// resize makes Mean and SD hold c values, reusing their storage.
func (s *BNStats) resize(c int) {
	if cap(s.Mean) < c {
		s.Mean, s.SD = make([]float64, c), make([]float64, c)
	}
	s.Mean, s.SD = s.Mean[:c], s.SD[:c]
}

// UpdateRunningSD applies running_sd ← 0.9·running_sd + 0.1·SD per channel.
func (s *BNStats) UpdateRunningSD(runningSD []float32) {
	for c, sd := range s.SD[:len(runningSD)] {
		runningSD[c] = float32((1-BNMomentum)*float64(runningSD[c]) + BNMomentum*sd)
	}
}

// BatchNormTrain is the training-mode bias-free batch normalisation
// (Kadkhodaie et al., ICLR 2024, App. A.1; Mohan et al., ICLR 2020):
//
//	sd_c = sqrt(Var_{n,y,x}(x[n][c]) + 1e-5),   dst[n][c] = γ_c · x[n][c] / sd_c.
//
// The variance is centred (population variance) but x itself is not, and
// there is no additive β, so the map is homogeneous in x. The statistics are
// stored in st for BatchNormBackward; running statistics are not touched
// (see BNStats.UpdateRunningSD). dst may be x.
func BatchNormTrain(dst, x *Tensor, gamma []float32, st *BNStats) error {
	if err := checkBN(dst, x, gamma); err != nil {
		return err
	}
	st.resize(x.C)
	j := bnJob{mode: bnForward, x: x, out: dst, gamma: gamma, mean: st.Mean, sd: st.SD}
	for c := 0; c < x.C; c++ {
		j.do(c, 0)
	}
	return nil
}

// BatchNormEval is the eval-mode bias-free batch normalisation, a fixed
// per-channel scale: dst[n][c] = γ_c · x[n][c] / running_sd_c. dst may be x.
func BatchNormEval(dst, x *Tensor, gamma, runningSD []float32) error {
	if err := checkBN(dst, x, gamma); err != nil {
		return err
	}
	if len(runningSD) != x.C {
		return fmt.Errorf("%w: batch norm over %d channels given %d running sds", ErrShape, x.C, len(runningSD))
	}
	for n := 0; n < x.N; n++ {
		for c := 0; c < x.C; c++ {
			scalePlane(dst.Plane(n, c), x.Plane(n, c), gamma[c]/runningSD[c])
		}
	}
	return nil
}

// BatchNormBackward is the gradient of BatchNormTrain, whose output
// u = γ x / sd depends on x also through the batch sd. With M = N·H·W and
// A_c = Σ_{n,y,x} dy·x over channel c,
//
//	dγ_c += A_c / sd_c,
//	dx = (γ_c/sd_c)·dy − γ_c·A_c·(x − mean_c) / (M·sd_c³),
//
// using ∂sd_c/∂x = (x − mean_c)/(M·sd_c). dx is overwritten (it may be dy);
// dgamma is added to. st must come from BatchNormTrain on the same x.
func BatchNormBackward(dx *Tensor, dgamma []float32, dy, x *Tensor, gamma []float32, st *BNStats) error {
	if err := checkBN(dy, x, gamma); err != nil {
		return err
	}
	if err := checkSame("batch norm backward", dx, x); err != nil {
		return err
	}
	if len(dgamma) != x.C || len(st.Mean) != x.C || len(st.SD) != x.C {
		return fmt.Errorf("%w: batch norm backward over %d channels", ErrShape, x.C)
	}
	j := bnJob{mode: bnBackward, x: x, g: dy, out: dx, gamma: gamma, dgamma: dgamma, mean: st.Mean, sd: st.SD}
	for c := 0; c < x.C; c++ {
		j.do(c, 0)
	}
	return nil
}

func checkBN(dst, x *Tensor, gamma []float32) error {
	if err := checkSame("batch norm", dst, x); err != nil {
		return err
	}
	if len(gamma) != x.C {
		return fmt.Errorf("%w: batch norm over %d channels given %d γ", ErrShape, x.C, len(gamma))
	}
	return nil
}

const (
	bnForward  = iota // statistics, then out = γ·x/sd (then ReLU when relu)
	bnBackward        // dx from g (masked by a > 0 when relu), dγ
)

// bnJob runs the training-mode batch normalisation, optionally fused with a
// following ReLU, one channel per task.
type bnJob struct {
	mode     int
	x        *Tensor // BN input
	out      *Tensor // forward output, or dx
	g        *Tensor // backward: gradient w.r.t. the BN output (or the ReLU output)
	a        *Tensor // backward with relu: the ReLU output, for its mask
	relu     bool
	gamma    []float32
	dgamma   []float32
	mean, sd []float64
}

func (j *bnJob) do(c, _ int) {
	if j.mode == bnForward {
		j.forward(c)
	} else {
		j.backward(c)
	}
}

func (j *bnJob) forward(c int) {
	x := j.x
	var s float64
	for n := 0; n < x.N; n++ {
		s += sum(x.Plane(n, c))
	}
	m := float64(x.N * x.H * x.W)
	mean := s / max(m, 1)
	var v float64
	for n := 0; n < x.N; n++ {
		v += sumSqDev(x.Plane(n, c), mean)
	}
	sd := math.Sqrt(v/max(m, 1) + BNEpsilon)
	j.mean[c], j.sd[c] = mean, sd
	k := float32(float64(j.gamma[c]) / sd)
	for n := 0; n < x.N; n++ {
		if j.relu {
			scaleReLUPlane(j.out.Plane(n, c), x.Plane(n, c), k)
		} else {
			scalePlane(j.out.Plane(n, c), x.Plane(n, c), k)
		}
	}
}

func (j *bnJob) backward(c int) {
	x := j.x
	var a float64
	for n := 0; n < x.N; n++ {
		if j.relu {
			a += dotMasked(j.g.Plane(n, c), x.Plane(n, c), j.a.Plane(n, c))
		} else {
			a += dotF(j.g.Plane(n, c), x.Plane(n, c))
		}
	}
	m := float64(x.N * x.H * x.W)
	sd, gam := j.sd[c], float64(j.gamma[c])
	j.dgamma[c] += float32(a / sd)
	k1 := float32(gam / sd)
	k2 := float32(gam * a / (m * sd * sd * sd))
	mean := float32(j.mean[c])
	for n := 0; n < x.N; n++ {
		var mask []float32
		if j.relu {
			mask = j.a.Plane(n, c)
		}
		bnBackPlane(j.out.Plane(n, c), j.g.Plane(n, c), x.Plane(n, c), mask, k1, k2, mean)
	}
}

func sum(s []float32) float64 {
	var t float32
	var acc float64
	for i, v := range s {
		t += v
		if i&255 == 255 { // float32 partial sums, flushed to float64
			acc += float64(t)
			t = 0
		}
	}
	return acc + float64(t)
}

func sumSqDev(s []float32, mean float64) float64 {
	m := float32(mean)
	var t float32
	var acc float64
	for i, v := range s {
		d := v - m
		t += d * d
		if i&255 == 255 {
			acc += float64(t)
			t = 0
		}
	}
	return acc + float64(t)
}

func dotF(a, b []float32) float64 {
	b = b[:len(a)]
	var t float32
	var acc float64
	for i, v := range a {
		t += v * b[i]
		if i&255 == 255 {
			acc += float64(t)
			t = 0
		}
	}
	return acc + float64(t)
}

// dotMasked returns Σ g·x over the positions where mask > 0.
func dotMasked(g, x, mask []float32) float64 {
	x, mask = x[:len(g)], mask[:len(g)]
	var t float32
	var acc float64
	for i, v := range g {
		if mask[i] > 0 {
			t += v * x[i]
		}
		if i&255 == 255 {
			acc += float64(t)
			t = 0
		}
	}
	return acc + float64(t)
}

func scalePlane(dst, x []float32, k float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = k * v
	}
}

func scaleReLUPlane(dst, x []float32, k float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = max(k*v, 0)
	}
}

// bnBackPlane sets dst = k1·ĝ − k2·(x − mean) with ĝ = g, or g masked by
// mask > 0 when mask is not nil. dst may be g.
func bnBackPlane(dst, g, x, mask []float32, k1, k2, mean float32) {
	g, x = g[:len(dst)], x[:len(dst)]
	if mask == nil {
		for i, v := range g {
			dst[i] = k1*v - k2*(x[i]-mean)
		}
		return
	}
	mask = mask[:len(dst)]
	for i, v := range g {
		if mask[i] <= 0 {
			v = 0
		}
		dst[i] = k1*v - k2*(x[i]-mean)
	}
}
