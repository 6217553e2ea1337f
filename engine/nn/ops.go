package nn

import "runtime"

// tileLen is the flat run of outputs one task of the 3×3 kernels covers. With
// eight output channels the tile takes 8·tileLen·4 bytes, sized to stay in
// the L1 cache while all input channels are streamed through it.
const tileLen = 512

// Ops is the execution context of the kernels: reusable scratch memory and,
// when Workers() > 1, helper goroutines that split each kernel into tasks
// (by channel group, batch element or tile). Scratch grows to the largest
// shape seen, so after one warm-up call per shape the kernels do not
// allocate. An Ops is not safe for concurrent use.
type Ops struct {
	pool *pool
	st   *opsState
}

// opsState is everything an Ops owns besides the pool. It is a separate
// allocation so that the helper goroutines, which see the jobs in it, never
// keep the Ops itself reachable (the cleanup in NewOps depends on that).
type opsState struct {
	workers     int
	kern        convKernels // inner loops of the 3×3 convolution
	tiles       [][]float32 // per worker, tileBufLen values
	kernScratch [][]float32 // per worker, the kernels' scratch
	packed      []float32   // packed 3×3 weights
	flipped     []float32   // flipped and transposed 3×3 weights
	padA        []float32   // stacked input of the exported conv entry points
	padB        []float32   // stacked output gradient

	padJob  padJob
	convJob convJob
	dwJob   dwJob
	ctJob   convTJob
	ctgJob  convTGemmJob
	convTG  []float32 // the sub-pixel planes of a transposed convolution's output gradient
	bnJob   bnJob
}

// NewOps returns an execution context using up to workers goroutines; with
// workers ≤ 0 it uses runtime.GOMAXPROCS(0). With one worker every kernel
// runs serially on the caller's goroutine (the js/wasm case). Helper
// goroutines start on first use and stop on Close or when the Ops becomes
// unreachable.
func NewOps(workers int) *Ops {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	st := &opsState{workers: workers, kern: defaultKernels(),
		tiles: make([][]float32, workers), kernScratch: make([][]float32, workers)}
	for i := range st.tiles {
		st.tiles[i] = make([]float32, tileBufLen)
	}
	o := &Ops{st: st}
	if workers > 1 {
		o.pool = newPool(workers)
		runtime.AddCleanup(o, func(p *pool) { p.stop() }, o.pool)
	}
	return o
}

// SetKernels selects the 3×3 convolution kernels by name (see KernelSets):
// KernelScalar, the portable loops every build has, or a faster set this
// build and CPU run, such as KernelAVX2. NewOps starts with DefaultKernels.
// Results agree between sets to float32 rounding.
func (o *Ops) SetKernels(name string) error {
	k, err := kernelsByName(name)
	if err != nil {
		return err
	}
	o.st.kern = k
	return nil
}

// Kernels returns the name of the kernel set o uses.
func (o *Ops) Kernels() string { return o.st.kern.name() }

// Workers returns the number of goroutines the kernels may use.
func (o *Ops) Workers() int { return o.st.workers }

// Close stops the helper goroutines; the Ops stays usable and runs serially
// afterwards. Close is idempotent.
func (o *Ops) Close() {
	if o.pool != nil {
		o.pool.stop()
	}
}

// parallelMinFlops is the work below which a kernel runs serially: waking a
// helper costs a few microseconds.
const parallelMinFlops = 1 << 17

// run executes j over ntasks tasks, in parallel only when the kernel costs
// at least parallelMinFlops.
func (o *Ops) run(j job, ntasks int, flops float64) {
	maxw := o.st.workers
	if flops < parallelMinFlops {
		maxw = 1
	}
	o.pool.run(j, ntasks, maxw)
}
