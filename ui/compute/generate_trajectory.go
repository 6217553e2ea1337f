package compute

// The trajectory a run records for its exports: y_t and x̂ at every
// iteration, in float32. A 32×32 run of the "code" preset (about 700
// iterations) takes 700·2·1024·4 B ≈ 5.7 MB. The rows are capped at
// genTrajRows and genTrajBytes: past the cap, every other row is dropped
// (the first and the last stay) and rows are recorded half as often, so
// that a long run keeps rows t = 0, s, 2s, … and its last, with s = 1, 2,
// 4, … — every row while a run is no longer than the cap, which a 32×32 run
// of the presets never reaches.
const (
	genTrajRows  = 4000
	genTrajBytes = 32 << 20
)

// genRow is one recorded iteration: t, the iterate y_t and the estimate
// x̂ the sampler's state shows with it (diffusion.State.Denoised: zero at
// t = 0, x̂(y_{t−1}) after iteration t, the sample once done).
type genRow struct {
	t     int
	y, xh []float32
}

// genTrajectory is the recorded rows of a run.
type genTrajectory struct {
	n     int // values per image
	max   int // rows kept at most
	every int // a row is due every this many iterations
	rows  []genRow
}

// newGenTrajectory returns an empty trajectory of images of n values.
func newGenTrajectory(n int) *genTrajectory {
	return &genTrajectory{n: n, max: max(2, min(genTrajRows, genTrajBytes/(8*n))), every: 1}
}

// row returns y and xh as a row of t (xh nil: zeros).
func (tr *genTrajectory) row(t int, y, xh []float64) genRow {
	r := genRow{t: t, y: make([]float32, tr.n), xh: make([]float32, tr.n)}
	for i, v := range y {
		r.y[i] = float32(v)
	}
	for i, v := range xh {
		r.xh[i] = float32(v)
	}
	return r
}

// record keeps the state of iteration t when a row is due, thinning the
// rows past the cap.
func (tr *genTrajectory) record(t int, y, xh []float64) {
	if t%tr.every != 0 {
		return
	}
	tr.rows = append(tr.rows, tr.row(t, y, xh))
	if len(tr.rows) <= tr.max {
		return
	}
	last := len(tr.rows) - 1
	k := 0
	for i := 0; i < last; i += 2 {
		tr.rows[k] = tr.rows[i]
		k++
	}
	tr.rows[k] = tr.rows[last]
	clear(tr.rows[k+1:])
	tr.rows = tr.rows[:k+1]
	tr.every *= 2
}

// finish records the final state: y_T and the sample, replacing the row
// of iteration T if there is one.
func (tr *genTrajectory) finish(t int, y, sample []float64) {
	r := tr.row(t, y, sample)
	if k := len(tr.rows) - 1; k >= 0 && tr.rows[k].t == t {
		tr.rows[k] = r
		return
	}
	tr.rows = append(tr.rows, r)
}
