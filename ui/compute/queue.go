package compute

import (
	"context"
	"sync"
)

// Queue holds requests in arrival order for one serving goroutine. Push
// never blocks (the worker pushes from a JavaScript callback, which must
// not block); Serve takes the requests one at a time. This is the
// worker's concurrency rule: one request is served at a time, in the
// order the page sent them.
type Queue[T any] struct {
	mu    sync.Mutex
	items []T
	wake  chan struct{} // holds a token while items may be waiting
}

// NewQueue returns an empty queue.
func NewQueue[T any]() *Queue[T] {
	return &Queue[T]{wake: make(chan struct{}, 1)}
}

// Push appends x to the queue.
func (q *Queue[T]) Push(x T) {
	q.mu.Lock()
	q.items = append(q.items, x)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default: // a token is already waiting
	}
}

// pop removes and returns the oldest item, if any.
func (q *Queue[T]) pop() (T, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var x T
	if len(q.items) == 0 {
		return x, false
	}
	x = q.items[0]
	q.items[0] = *new(T) // let the request be collected
	q.items = q.items[1:]
	return x, true
}

// Serve calls serve on each item in arrival order, one at a time, until
// ctx is done.
func (q *Queue[T]) Serve(ctx context.Context, serve func(T)) {
	for {
		for {
			x, ok := q.pop()
			if !ok {
				break
			}
			serve(x)
			if ctx.Err() != nil {
				return
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-q.wake:
		}
	}
}
