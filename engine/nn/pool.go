package nn

import (
	"sync"
	"sync/atomic"
)

// job is work split into independent tasks. do runs task t on worker w,
// 0 ≤ w < the number of workers of the run, so that per-worker scratch can be
// indexed by w; no two goroutines run with the same w at the same time.
type job interface {
	do(task, worker int)
}

// poolReq asks one helper goroutine to take part in a run as worker w.
type poolReq struct {
	j      job
	ntasks int
	worker int
}

// pool runs the tasks of a job on the calling goroutine and up to workers−1
// long-lived helper goroutines, which are started on first use. Tasks are
// handed out dynamically through an atomic counter. A run costs no
// allocation: requests travel by value over a buffered channel.
//
// The helpers reference only the pool, never its owner, so the owner can
// stop them from a cleanup (see NewOps) once it becomes unreachable.
type pool struct {
	workers int
	reqs    chan poolReq
	next    atomic.Int64
	wg      sync.WaitGroup
	mu      sync.Mutex // guards started and stopped
	started bool
	stopped bool
}

func newPool(workers int) *pool {
	return &pool{workers: workers, reqs: make(chan poolReq, workers)}
}

// run executes j.do(t, w) for every t in [0, ntasks) using at most maxWorkers
// goroutines (the caller included). It returns when all tasks are done.
func (p *pool) run(j job, ntasks, maxWorkers int) {
	if ntasks <= 0 {
		return
	}
	helpers := 0
	if p != nil {
		helpers = min(p.workers, ntasks, maxWorkers) - 1
	}
	if helpers <= 0 || !p.start() {
		for t := 0; t < ntasks; t++ {
			j.do(t, 0)
		}
		return
	}
	p.next.Store(0)
	p.wg.Add(helpers)
	for w := 1; w <= helpers; w++ {
		p.reqs <- poolReq{j: j, ntasks: ntasks, worker: w}
	}
	p.drain(j, ntasks, 0)
	p.wg.Wait()
}

// drain runs tasks of the current run as worker w until none are left.
func (p *pool) drain(j job, ntasks, w int) {
	for {
		t := int(p.next.Add(1)) - 1
		if t >= ntasks {
			return
		}
		j.do(t, w)
	}
}

// start launches the helpers once; it reports false after stop.
func (p *pool) start() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return false
	}
	if !p.started {
		p.started = true
		for i := 1; i < p.workers; i++ {
			go p.loop()
		}
	}
	return true
}

func (p *pool) loop() {
	for {
		r, ok := <-p.reqs
		if !ok {
			return
		}
		p.drain(r.j, r.ntasks, r.worker)
		r = poolReq{} // drop the reference to the job while idle
		_ = r
		p.wg.Done()
	}
}

// stop ends the helper goroutines; later runs are serial. It is idempotent.
func (p *pool) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.stopped {
		p.stopped = true
		close(p.reqs)
	}
}
